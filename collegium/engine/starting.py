"""The write of a start: judge the start rules and store the new instance with its first event, in one unit."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from collegium.engine import indexing, replay
from collegium.engine.audit import chain
from collegium.engine.clock import format_time
from collegium.engine.scheduler import timers_for, timers_record
from collegium.errors import RuleViolation
from collegium.rules.verdict import Verdict
from collegium.store.protocol import Write
from collegium.store.records import EventRecord, InstanceRecord, TimerRecord

if TYPE_CHECKING:
    from collegium.engine.engine import Engine
    from collegium.engine.registry import CompiledProcedure


def write(engine: Engine, proc: CompiledProcedure, new_id: str, actor: str, payload: Mapping[str, Any],
          now: dt.datetime, definitions: tuple[tuple[str, str, str, str], ...]
          ) -> tuple[InstanceRecord, EventRecord, Verdict]:
    """Judge and store one start; raises :class:`RuleViolation` (nothing written) or the store's StaleVersion."""
    plan = proc.start_plan
    with engine.store.unit() as unit:
        verdict = engine._evaluate(plan, engine._context(proc, new_id, "", plan.trigger, actor, payload, now, unit))
        if not verdict.passed:
            raise RuleViolation(verdict)
        at = format_time(now)
        rec = InstanceRecord(new_id, proc.spec.id, proc.spec.version, proc.pack.id, proc.pack.version,
                             proc.spec.initial, 1, dict(payload), at, at)
        set_timers = timers_for(proc, rec, now, 1)
        record = start_record(engine, proc, set_timers)
        event = chain(rec, None, plan.trigger, actor, at, dict(payload), replay.stored_verdict(verdict), record,
                      None)
        timers = {rec.id: set_timers} if set_timers else {}
        unit.commit(Write(None, None, (rec,), (event,), timers, definitions,
                          index=indexing.changed(engine.registry, None, (rec,))))
    return rec, event, verdict


def start_record(engine: Engine, proc: CompiledProcedure, timers: tuple[TimerRecord, ...],
                 **more: Any) -> dict[str, Any]:
    """The effects record of an instance's first event: the definition texts it is judged under (kind, key and
    SHA-256 of each, so the audit checks the stored texts against its chain), the timers it sets, and ``more``."""
    record: dict[str, Any] = {**more, "definitions": [[d.kind, d.key, d.sha256]
                                                      for d in engine.registry.texts_of(proc)]}
    if timers:
        record["timers"] = timers_record(timers)
    return record

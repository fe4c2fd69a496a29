"""A start: the start rules judged on the data, then the new instance and its first event
written in one unit, through the judging and chaining the steps of :mod:`collegium.engine.step`
use."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from collegium.engine import indexing, judging, replay
from collegium.engine.audit import chain
from collegium.engine.clock import format_time
from collegium.engine.outcomes import Instance, Outcome
from collegium.engine.timers import timers_for, timers_record
from collegium.store.protocol import Write
from collegium.store.records import DefinitionText, InstanceRecord, TimerRecord

if TYPE_CHECKING:
    from collegium.engine.compiled import CompiledProcedure
    from collegium.engine.engine import Engine


def write(engine: Engine, proc: CompiledProcedure, new_id: str, actor: str,
          payload: Mapping[str, Any], now: dt.datetime,
          texts: tuple[DefinitionText, ...]) -> Outcome:
    """Judge and store one start; raises :class:`~collegium.errors.RuleViolation` (nothing
    written) or the store's StaleVersion."""
    plan = proc.start_plan
    with engine.store.unit() as unit:
        ctx = judging.context(proc, instance_id=new_id, state="", trigger=plan.trigger,
                              actor=actor, facts=payload, now=now, unit=unit,
                              directory=engine.directory)
        verdict = judging.evaluate(plan, ctx)
        judging.gate(verdict)
        at = format_time(now)
        rec = InstanceRecord(id=new_id, procedure=proc.spec.id, procedure_version=proc.spec.version,
                             pack=proc.pack.id, pack_version=proc.pack.version,
                             state=proc.spec.initial, version=1, facts=dict(payload),
                             created_at=at, updated_at=at)
        set_timers = timers_for(proc, rec, now, 1)
        rec, event = chain(rec, None, plan.trigger, actor, at, dict(payload),
                      replay.stored_verdict(verdict), start_record(engine, proc, set_timers), None)
        timers = {rec.id: set_timers} if set_timers else {}
        unit.commit(Write(update=None, expected_version=None, create=(rec,), events=(event,),
                          timers=timers, definitions=texts,
                          index=indexing.changed(engine.registry, None, (rec,))))
    return Outcome(Instance.of(rec), event, verdict)


def start_record(engine: Engine, proc: CompiledProcedure, timers: tuple[TimerRecord, ...],
                 **more: Any) -> dict[str, Any]:
    """The effects record of an instance's first event: the definition texts it is judged under
    (kind, key and SHA-256 of each, so the audit checks the stored texts against its chain), the
    timers it sets, and ``more``."""
    record: dict[str, Any] = {**more, "definitions": [[d.kind, d.key, d.sha256]
                                                      for d in engine.registry.texts_of(proc)]}
    if timers:
        record["timers"] = timers_record(timers)
    return record

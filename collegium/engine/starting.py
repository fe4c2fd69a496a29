"""A start: the start rules judged on the data, then the new instance and its first event
written in one unit, through the judging and chaining the steps of :mod:`collegium.engine.step`
use."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from collegium.engine import indexing, judging, replay
from collegium.engine.audit import chain
from collegium.engine.clock import format_time
from collegium.engine.outcomes import Instance, Outcome
from collegium.engine.timers import timers_for, timers_record
from collegium.rules.verdict import Verdict
from collegium.store.protocol import Write
from collegium.store.records import DefinitionText, EventRecord, InstanceRecord, TimerRecord

if TYPE_CHECKING:
    from collegium.engine.compiled import CompiledProcedure
    from collegium.engine.engine import Engine


def write(
    engine: Engine,
    proc: CompiledProcedure,
    new_id: str,
    actor: str,
    payload: Mapping[str, Any],
    now: dt.datetime,
    texts: tuple[DefinitionText, ...],
) -> Outcome:
    """Judge and store one start; raises :class:`~collegium.errors.RuleViolation` (nothing
    written) or the store's StaleVersion."""
    plan = proc.start_plan
    with engine.store.unit() as unit:
        judging.require_body(proc, payload, judging.bodies(engine.directory, unit, now))
        ctx = judging.context(
            proc,
            instance_id=new_id,
            state="",
            trigger=plan.trigger,
            actor=actor,
            facts=payload,
            now=now,
            unit=unit,
            directory=engine.directory,
            supplied=payload,
        )
        verdict = judging.evaluate(plan, ctx)
        judging.gate(verdict)
        new = born(engine, proc, new_id, actor, dict(payload), verdict, now)
        unit.commit(
            Write(
                update=None,
                expected_version=None,
                create=(new.rec,),
                events=(new.event,),
                timers={new_id: new.timers} if new.timers else {},
                definitions=texts,
                index=indexing.changed(engine.registry, None, (new.rec,)),
            )
        )
    return Outcome(Instance.of(new.rec), new.event, verdict)


@dataclass(frozen=True, slots=True, kw_only=True)
class Born:
    """A new instance as its first step leaves it: its row, its first event and its timers."""

    rec: InstanceRecord
    event: EventRecord
    timers: tuple[TimerRecord, ...]


def born(
    engine: Engine,
    proc: CompiledProcedure,
    new_id: str,
    actor: str,
    facts: dict[str, Any],
    verdict: Verdict,
    now: dt.datetime,
    *,
    parent_id: str | None = None,
) -> Born:
    """A new instance of ``proc`` started by ``actor`` with ``facts`` (its start judged:
    ``verdict``), chained from its first event; started by the instance ``parent_id`` (the event
    records it) or on its own. The start and the children a step starts are born here."""
    at = format_time(now)
    rec = InstanceRecord(
        id=new_id,
        procedure=proc.spec.id,
        procedure_version=proc.spec.version,
        pack=proc.pack.id,
        pack_version=proc.pack.version,
        state=proc.spec.initial,
        version=1,
        facts=facts,
        created_at=at,
        updated_at=at,
        parent_id=parent_id,
    )
    timers = timers_for(proc, rec, now, 1)
    more = {} if parent_id is None else {"spawned_by": parent_id}
    rec, event = chain(
        rec,
        None,
        proc.start_plan.trigger,
        actor,
        at,
        dict(facts),
        replay.stored_verdict(verdict),
        start_record(engine, proc, timers, **more),
        None,
    )
    return Born(rec=rec, event=event, timers=timers)


def start_record(
    engine: Engine, proc: CompiledProcedure, timers: tuple[TimerRecord, ...], **more: Any
) -> dict[str, Any]:
    """The effects record of an instance's first event: the definition texts it is judged under
    (kind, key and SHA-256 of each, so the audit checks the stored texts against its chain), the
    timers it sets, and ``more``."""
    record: dict[str, Any] = {
        **more,
        "definitions": [[d.kind, d.key, d.sha256] for d in engine.registry.texts_of(proc)],
    }
    if timers:
        record["timers"] = timers_record(timers)
    return record

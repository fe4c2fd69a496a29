"""The last two stages of a step (:mod:`collegium.engine.step`): what it writes, and the commit.

:func:`chain` turns what the stages before it decided into one
:class:`~collegium.store.protocol.Write`: the instance as the step leaves it, each child's row and
first event, the timers of the states entered, the ballot's writes, the seats, views and
attendance, the index rows, the definition texts not yet stored, and the step's event appended to
the instance's hash chain, keeping no secret choice and no transient input. :func:`write` commits
it, guarded by the instance's version.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from collegium.engine import counting, indexing, replay, staging, starting
from collegium.engine.audit import chain as chained
from collegium.engine.clock import format_time
from collegium.engine.outcomes import Instance, Outcome
from collegium.engine.timers import timers_for, timers_record
from collegium.store.protocol import Unit, Write
from collegium.store.records import DefinitionText, EventRecord, InstanceRecord, TimerRecord
from collegium.workflows.spec import TRANSIENT_INPUTS

if TYPE_CHECKING:
    from collegium.engine.engine import Engine
    from collegium.engine.step import Step

__all__ = ["chain", "write"]


def chain(engine: Engine, step: Step) -> None:
    """What the step writes, hash-chained: the instance as it leaves it (with the children it
    started), each child's first event, the timers of the states entered, the ballot's writes,
    the seats and views, and the step's event keeping no secret choice and no transient input."""
    rec, applied, now = step.rec, step.applied, step.now
    at = format_time(now)
    record, facts = applied.record, step.facts
    meeting_state = (facts.get("meeting") or {}).get("state")
    cast = counting.writes(
        facts.get("ballot") or {},
        list(applied.votes),
        record,
        tallies=step.plan.tallies,
        left=rec.state == meeting_state != step.dest,
        sealer=engine.sealer,
    )
    unkept = TRANSIENT_INPUTS | ({"choice"} if record.get("secret_vote") else frozenset())
    data = (
        step.data
        if unkept.isdisjoint(step.data)
        else {k: v for k, v in step.data.items() if k not in unkept}
    )
    started: list[InstanceRecord] = []
    child_events: list[EventRecord] = []
    timers: dict[str, tuple[TimerRecord, ...]] = {}
    texts: tuple[DefinitionText, ...] = ()
    for child in step.children:
        new_child = starting.born(
            engine,
            child.proc,
            child.id,
            step.actor,
            child.facts,
            child.verdict,
            now,
            parent_id=rec.id,
        )
        if new_child.timers:
            timers[child.id] = new_child.timers
        child_events.append(new_child.event)
        started.append(new_child.rec)
        texts += engine.texts.unsaved(engine.registry, child.proc)
    if started:
        facts["children"] = [*(facts.get("children") or []), *(c.id for c in started)]
        record["started"] = [c.id for c in started]
    new = InstanceRecord(
        id=rec.id,
        procedure=rec.procedure,
        procedure_version=rec.procedure_version,
        pack=rec.pack,
        pack_version=rec.pack_version,
        state=step.dest,
        version=rec.version + 1,
        facts=facts,
        created_at=rec.created_at,
        updated_at=at,
        parent_id=rec.parent_id,
        head_hash=rec.head_hash,
        event_count=rec.event_count,
    )
    reentered = step.dest == rec.state and step.plan.reenter
    if step.dest != rec.state or reentered:
        # a timer is set when its state is entered (the left state's go); a step that re-enters
        # its state records its timers even when there are none: the audit reads a new entry
        entered = timers_for(step.proc, new, now, step.seq)
        if entered or reentered:
            record["timers"] = timers_record(entered)
        if entered or step.proc.spec.states[rec.state].timers:  # else it had none, and gets none
            timers[rec.id] = entered
    new, event = chained(
        new,
        rec.state,
        step.trigger,
        step.actor,
        at,
        data,
        replay.stored_verdict(step.verdict),
        record,
        step.key,
    )
    step.new, step.event, step.texts = new, event, texts
    step.write = Write(
        update=new,
        expected_version=rec.version,
        create=tuple(started),
        events=(event, *child_events),
        timers=timers,
        definitions=texts,
        votes=cast.votes,
        secret_closed=cast.closed,
        seats=staging.seat_rows(step.plan, facts, step.seats),
        views=applied.views,
        attendance=staging.attendance_rows(step.plan, step.data, facts, step.seats),
        index=indexing.changed(engine.registry, rec, (new, *started)),
        returned=cast.returned,
        sealed=cast.sealed,
        counted=cast.counted,
        discarded=cast.discarded,
    )


def write(unit: Unit, step: Step) -> Outcome:
    """Commit the step's write (the store raises StaleVersion if the instance changed since it
    was loaded); the outcome the caller gets."""
    unit.commit(step.write)
    return Outcome(
        Instance.of(step.new), step.event, step.verdict, tuple(c.id for c in step.children)
    )

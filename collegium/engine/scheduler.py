"""The sweep that fires timers when they fall due (what sets them: ``collegium.engine.timers``).

:func:`run_due` fires due timers earliest first, each as the engine's own actor
(:data:`~collegium._reserved.SYSTEM_ACTOR`) at the time it fell due and with an idempotency
key naming the timer, so the sweep is idempotent and its result does not depend on how often it
runs.
"""

from __future__ import annotations

import datetime as dt
from contextlib import suppress
from dataclasses import replace
from typing import TYPE_CHECKING, Any

from collegium._catalog import Message
from collegium._reserved import SYSTEM_ACTOR
from collegium.engine import replay, running
from collegium.engine.audit import chain
from collegium.engine.clock import aware, format_time, iso_duration, parse_time
from collegium.engine.outcomes import Instance, Outcome
from collegium.engine.step import Command
from collegium.engine.timers import (
    REFUSED,
    REMIND,
    TimerRun,
    TimerStale,
    timer_key,
    timers_for,
    timers_record,
    when_due,
)
from collegium.errors import (
    ConcurrentUpdate,
    InvalidInput,
    NotFound,
    RuleViolation,
    TransitionNotAllowed,
)
from collegium.rules.verdict import Verdict
from collegium.store.protocol import StaleVersion, Write
from collegium.store.records import TimerRecord

if TYPE_CHECKING:
    from collegium.engine.engine import Engine

__all__ = [
    "REFUSED",
    "REMIND",
    "TimerRun",
    "fire_timer",
    "refused",
    "remind",
    "run_due",
    "timer_key",
    "timers_for",
    "timers_record",
]


def run_due(
    engine: Engine, until: dt.datetime | None = None, *, batch: int = 500
) -> list[TimerRun]:
    """Fire every timer due by ``until`` (default, and at the latest: the engine clock's now),
    earliest first."""
    now = engine.clock.now()
    limit = aware(until, "until") if until is not None else now
    if limit > now:
        raise InvalidInput(
            Message(
                "cannot run timers due by {until}: the clock says {now}",
                until=format_time(limit),
                now=format_time(now),
            )
        )
    runs: list[TimerRun] = []
    size = batch
    while True:
        due = engine.store.due_timers(format_time(limit), size)
        if not due:
            return runs
        size = batch
        for timer in due:
            run = fire_timer(engine, timer)
            runs.append(run)
            event = run.outcome.event if run.outcome is not None else None
            if event is not None and (event.source != event.dest or "timers" in event.effects):
                # the move may have set earlier timers than the rest of this batch: fetch again,
                # only the earliest (fetching the whole batch again after every move read K²/2 rows
                # for a sweep of K moves)
                size = 1
                break


def fire_timer(engine: Engine, timer: TimerRecord) -> TimerRun:
    """Fire one due timer as the engine's own actor: a reminder is recorded; a deadline runs its
    trigger through the step's stages. A timer whose instance left its state is dropped; one the
    rules refuse is recorded as refused (``@refused``) and dropped."""
    try:
        outcome = (
            remind(engine, timer)
            if timer.lead
            else running.run(
                engine,
                Command(
                    instance_id=timer.instance_id,
                    trigger=timer.trigger,
                    actor=SYSTEM_ACTOR,
                    data={},
                    key=timer_key(timer),
                    timer=timer,
                ),
                fire_due=_never,
            )
        )
    except (NotFound, TimerStale):
        engine.store.drop_timer(timer)
        return TimerRun(timer, stale=True)
    except (RuleViolation, TransitionNotAllowed, InvalidInput) as exc:
        with suppress(NotFound, TimerStale):  # it left the state meanwhile: nothing to record
            refused(engine, timer, exc)
        engine.store.drop_timer(timer)
        return TimerRun(timer, error=exc)
    if outcome.event.source == outcome.event.dest:
        engine.store.drop_timer(timer)
    # else the step left the state, and its transaction replaced the instance's timers: nothing to
    # drop
    return TimerRun(timer, outcome)


def remind(engine: Engine, timer: TimerRecord) -> Outcome:
    """Record a reminder: an event of its own in the instance's history (and so in the outbox), in
    the same state and with the same facts, saying which timer falls due when (``timer``,
    ``due_at``) and how far ahead (``lead``, an ISO 8601 duration). No rule judges it: it decides
    nothing."""
    lead = dt.timedelta(seconds=timer.lead)
    return _note(
        engine,
        timer,
        REMIND,
        {
            "timer": timer.trigger,
            "due_at": format_time(parse_time(timer.due_at) + lead),
            "lead": iso_duration(lead),
        },
        [],
    )


def refused(
    engine: Engine,
    timer: TimerRecord,
    error: RuleViolation | TransitionNotAllowed | InvalidInput,
) -> Outcome:
    """Record that a timer fell due and was refused (by the rules, its verdict kept; or as not
    allowed), in the same state and with the same facts, before the timer is dropped: the history
    says why its deadline did nothing, and the audit tells a refused timer from a deleted one."""
    verdict = replay.stored_verdict(error.verdict) if isinstance(error, RuleViolation) else []
    return _note(
        engine,
        timer,
        REFUSED,
        {"timer": timer.trigger, "due_at": timer.due_at, "error": type(error).__name__},
        verdict,
    )


def _note(
    engine: Engine, timer: TimerRecord, trigger: str, data: dict[str, Any], verdict: list[list[Any]]
) -> Outcome:
    """An event of the engine's about ``timer`` (keyed by it), leaving the instance's state and
    facts as they are."""
    key = timer_key(timer)
    for _ in range(engine.max_retries + 1):
        try:
            with engine.store.unit() as unit:
                rec = unit.load(timer.instance_id)
                now = when_due(timer, rec, unit.timer_entered(rec.id, timer.trigger, timer.lead))
                done = unit.find_event(rec.id, key)
                if done is not None:
                    return replay.outcome(
                        engine.registry.pack(rec.pack, rec.pack_version), rec, done
                    )
                at = format_time(now)
                noted = replace(rec, version=rec.version + 1, updated_at=at)
                new, event = chain(
                    noted, rec.state, trigger, SYSTEM_ACTOR, at, data, verdict, {}, key
                )
                unit.commit(
                    Write(update=new, expected_version=rec.version, create=(), events=(event,))
                )
            return Outcome(Instance.of(new), event, Verdict(trigger, ()))
        except StaleVersion:
            continue
    raise ConcurrentUpdate(
        Message(
            "instance {id!r} kept changing; gave up after {retries} retries",
            id=timer.instance_id,
            retries=engine.max_retries,
        )
    )


def _never(timer: TimerRecord) -> object:
    """A timer's own step fires no other timer first (its instance's due timers are its own)."""
    raise AssertionError(f"a timer's step asked to fire {timer.trigger!r} first")

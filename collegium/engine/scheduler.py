"""The scheduler: timers set when a state is entered, and the sweep that fires them when due.

A timer is due ``after`` a duration in its state, or ``at`` a datetime fact read when the state is
entered. :func:`run_due` fires due timers earliest first, each as the engine's own actor
(:data:`~collegium._reserved.SYSTEM_ACTOR`) at the time it fell due and with an idempotency
key naming the timer, so the sweep is idempotent and its result does not depend on how often it
runs.
"""

from __future__ import annotations

import datetime as dt
from contextlib import suppress
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from collegium._reserved import SYSTEM_ACTOR, TIMER_KEY_PREFIX
from collegium.engine import replay
from collegium.engine.audit import chain
from collegium.engine.clock import aware, format_time, iso_duration, parse_time
from collegium.errors import (
    CollegiumError,
    ConcurrentUpdate,
    InvalidInput,
    NotFound,
    RuleViolation,
    TransitionNotAllowed,
)
from collegium.rules.verdict import Verdict
from collegium.store.protocol import StaleVersion, Write
from collegium.store.records import InstanceRecord, TimerRecord

if TYPE_CHECKING:
    from collegium.engine.engine import Engine, Outcome
    from collegium.engine.registry import CompiledProcedure


@dataclass(frozen=True, slots=True)
class TimerRun:
    """One due timer handled by :meth:`Engine.run_due`: the outcome, or why it did not fire."""

    timer: TimerRecord
    outcome: Outcome | None = None
    error: CollegiumError | None = None
    stale: bool = False


def timers_for(proc: CompiledProcedure, rec: InstanceRecord, entered: dt.datetime,
               seq: int) -> tuple[TimerRecord, ...]:
    """The timers of ``rec``'s current state, entered at ``entered`` by its event ``seq``."""
    out = []
    for spec in proc.spec.states[rec.state].timers:
        if spec.after is not None:
            due = entered + spec.after
        else:
            value = rec.facts.get(spec.at or "")
            if not value:
                continue
            due = parse_time(str(value), spec.at or "timer")
        out.append(TimerRecord(rec.id, spec.trigger, rec.state, format_time(due), seq))
        for lead in spec.remind:  # a reminder already past when the state is entered is not sent
            if due - lead >= entered:
                out.append(TimerRecord(rec.id, spec.trigger, rec.state, format_time(due - lead), seq,
                                       int(lead.total_seconds())))
    return tuple(out)


def timers_record(timers: tuple[TimerRecord, ...]) -> list[list[Any]]:
    """The timers a step sets, as its event's effects record keeps them: ``[trigger, lead, due_at]`` each (the
    state is the event's destination, the entry its sequence number), so the audit derives the timer rows."""
    return [[t.trigger, t.lead, t.due_at] for t in timers]


def run_due(engine: Engine, until: dt.datetime | None = None, *, batch: int = 500) -> list[TimerRun]:
    """Fire every timer due by ``until`` (default, and at the latest: the engine clock's now), earliest first."""
    now = engine.clock.now()
    limit = aware(until, "until") if until is not None else now
    if limit > now:
        raise InvalidInput(f"cannot run timers due by {format_time(limit)}: the clock says {format_time(now)}")
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
            if run.outcome is not None and run.outcome.event.source != run.outcome.event.dest:
                # the move may have set earlier timers than the rest of this batch: fetch again, only the earliest
                # (fetching the whole batch again after every move read K²/2 rows for a sweep of K moves)
                size = 1
                break


class TimerStale(Exception):
    """Internal: the instance left the state that set the timer (checked under the instance's lock)."""


def timer_key(timer: TimerRecord) -> str:
    """The idempotency key a timer fires with: one per entry into its state (and per lead time, for a reminder)."""
    key = f"{TIMER_KEY_PREFIX}{timer.state}:{timer.trigger}:{timer.entered_seq}"
    return f"{key}:{timer.lead}" if timer.lead else key


class TimersDue(Exception):
    """Internal: a command found timers of its instance that fell due; they fire first, then it runs again."""

    def __init__(self, timers: list[TimerRecord]) -> None:
        super().__init__(f"{len(timers)} timers due")
        self.timers = timers


def fire_timer(engine: Engine, timer: TimerRecord) -> TimerRun:
    try:
        outcome = remind(engine, timer) if timer.lead else engine._fire(
            timer.instance_id, timer.trigger, SYSTEM_ACTOR, {}, timer_key(timer), None, timer=timer)
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
    # else the step left the state, and its transaction replaced the instance's timers: nothing to drop
    return TimerRun(timer, outcome)


def when_due(timer: TimerRecord, rec: InstanceRecord, entered: int | None) -> dt.datetime:
    """The time a timer's step is recorded at: when it fell due, but never before the instance's last step.

    ``entered`` is the entry the instance's stored timer of this trigger belongs to, read under the instance's
    lock. Raises :class:`TimerStale` when the instance is no longer in the entry of the state that set the timer
    (it left the state, or left and came back, which replaced the timer); steps that stay in the state (a progress
    report) do not make it stale.
    """
    if rec.state != timer.state or entered != timer.entered_seq:
        raise TimerStale(timer.instance_id)
    return max(parse_time(timer.due_at), parse_time(rec.updated_at))


#: The trigger of a reminder's event: the engine's own, never a procedure's (those are lower-case identifiers).
REMIND = "@remind"


#: The trigger of the event that records a timer the rules refused: the timer is then dropped.
REFUSED = "@refused"


def remind(engine: Engine, timer: TimerRecord) -> Outcome:
    """Record a reminder: an event of its own in the instance's history (and so in the outbox), in the same state
    and with the same facts, saying which timer falls due when (``timer``, ``due_at``) and how far ahead (``lead``,
    an ISO 8601 duration). No rule judges it: it decides nothing."""
    lead = dt.timedelta(seconds=timer.lead)
    return _note(engine, timer, REMIND, {"timer": timer.trigger,
                                         "due_at": format_time(parse_time(timer.due_at) + lead),
                                         "lead": iso_duration(lead)}, [])


def refused(engine: Engine, timer: TimerRecord, error: RuleViolation | TransitionNotAllowed | InvalidInput,
            ) -> Outcome:
    """Record that a timer fell due and was refused (by the rules, its verdict kept; or as not allowed), in the same
    state and with the same facts, before the timer is dropped: the history says why its deadline did nothing, and
    the audit tells a refused timer from a deleted one."""
    verdict = replay.stored_verdict(error.verdict) if isinstance(error, RuleViolation) else []
    return _note(engine, timer, REFUSED, {"timer": timer.trigger, "due_at": timer.due_at,
                                          "error": type(error).__name__}, verdict)


def _note(engine: Engine, timer: TimerRecord, trigger: str, data: dict[str, Any],
          verdict: list[list[Any]]) -> Outcome:
    """An event of the engine's about ``timer`` (keyed by it), leaving the instance's state and facts as they are."""
    from collegium.engine.outcomes import Instance, Outcome

    key = timer_key(timer)
    for _ in range(engine.max_retries + 1):
        try:
            with engine.store.unit() as unit:
                rec = unit.load(timer.instance_id)
                now = when_due(timer, rec, unit.timer_entered(rec.id, timer.trigger, timer.lead))
                done = unit.find_event(rec.id, key)
                if done is not None:
                    return replay.outcome(engine.registry.pack(rec.pack, rec.pack_version), rec, done)
                at = format_time(now)
                new = InstanceRecord(rec.id, rec.procedure, rec.procedure_version, rec.pack, rec.pack_version,
                                     rec.state, rec.version + 1, rec.facts, rec.created_at, at, rec.parent_id,
                                     rec.head_hash, rec.event_count)
                event = chain(new, rec.state, trigger, SYSTEM_ACTOR, at, data, verdict, {}, key)
                unit.commit(Write(new, rec.version, (), (event,)))
            return Outcome(Instance.of(new), event, Verdict(trigger, ()))
        except StaleVersion:
            continue
    raise ConcurrentUpdate(f"instance {timer.instance_id!r} kept changing; gave up after {engine.max_retries} retries")

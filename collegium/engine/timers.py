"""Timers: what a state sets when it is entered, when each falls due, the key each fires with.

A timer is due ``after`` a duration in its state, or ``at`` a datetime fact read when the state is
entered; a reminder is due a lead time before its timer. Pure functions of an instance and its
procedure: the sweep that fires them is :mod:`collegium.engine.scheduler`.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from collegium._reserved import TIMER_KEY_PREFIX
from collegium.engine.clock import format_time, parse_time
from collegium.errors import CollegiumError
from collegium.store.records import InstanceRecord, TimerRecord

if TYPE_CHECKING:
    from collegium.engine.compiled import CompiledProcedure
    from collegium.engine.outcomes import Outcome


@dataclass(frozen=True, slots=True)
class TimerRun:
    """One due timer handled by :meth:`Engine.run_due`: the outcome, or why it did not fire."""

    timer: TimerRecord
    outcome: Outcome | None = None
    error: CollegiumError | None = None
    stale: bool = False


def timers_for(
    proc: CompiledProcedure, rec: InstanceRecord, entered: dt.datetime, seq: int
) -> tuple[TimerRecord, ...]:
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
        out.append(
            TimerRecord(
                instance_id=rec.id,
                trigger=spec.trigger,
                state=rec.state,
                due_at=format_time(due),
                entered_seq=seq,
            )
        )
        for lead in spec.remind:  # a reminder already past when the state is entered is not sent
            if due - lead >= entered:
                out.append(
                    TimerRecord(
                        instance_id=rec.id,
                        trigger=spec.trigger,
                        state=rec.state,
                        due_at=format_time(due - lead),
                        entered_seq=seq,
                        lead=int(lead.total_seconds()),
                    )
                )
    return tuple(out)


def timers_record(timers: tuple[TimerRecord, ...]) -> list[list[Any]]:
    """The timers a step sets, as its event's effects record keeps them: ``[trigger, lead, due_at]``
    each (the state is the event's destination, the entry its sequence number), so the audit derives
    the timer rows."""
    return [[t.trigger, t.lead, t.due_at] for t in timers]


class TimerStale(Exception):
    """Internal: the instance left the state that set the timer (checked under the instance's
    lock)."""


def timer_key(timer: TimerRecord) -> str:
    """The idempotency key a timer fires with: one per entry into its state (and per lead time, for
    a reminder)."""
    key = f"{TIMER_KEY_PREFIX}{timer.state}:{timer.trigger}:{timer.entered_seq}"
    return f"{key}:{timer.lead}" if timer.lead else key


def when_due(timer: TimerRecord, rec: InstanceRecord, entered: int | None) -> dt.datetime:
    """The time a timer's step is recorded at: when it fell due, but never before the instance's
    last step.

    ``entered`` is the entry the instance's stored timer of this trigger belongs to, read under the
    instance's lock. Raises :class:`TimerStale` when the instance is no longer in the entry of the
    state that set the timer (it left the state, or left and came back, which replaced the timer);
    steps that stay in the state (a progress report) do not make it stale.
    """
    if rec.state != timer.state or entered != timer.entered_seq:
        raise TimerStale(timer.instance_id)
    return max(parse_time(timer.due_at), parse_time(rec.updated_at))


#: The trigger of a reminder's event: the engine's own, never a procedure's (those are lower-case
#: identifiers).
REMIND = "@remind"


#: The trigger of the event that records a timer the rules refused: the timer is then dropped.
REFUSED = "@refused"

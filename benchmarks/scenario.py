"""The P1 ("major decision") scenario both sides of a benchmark run: a standing committee of eleven,
an instance driven to individual deliberation, then the measured sequence

    11 × consult, schedule, open_meeting, 11 × state_view (the secretary's last), 11 × vote,
    close_ballot                                                     (36 fires, ends in ``adopted``)

which exercises every kind of rule bound in the ``party-committee`` pack (role, member, covers,
expression, period, threshold and a branch rule). The views come before the votes, the
secretary's last (末位表态): the pack refuses a vote or the close until every member present has
stated one (R-CHAIR-LAST).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from collegium.engine.clock import ManualClock, SequentialIds, format_time
from collegium.engine.engine import Engine
from collegium.store.bodies import Body, Member

#: where every benchmark's virtual clock starts
START = dt.datetime(2026, 3, 2, 1, 0, tzinfo=dt.UTC)
PROCEDURE = "major_decision"
MEMBERS: tuple[Member, ...] = (
    Member(person="sec", role="secretary"),
    Member(person="dep", role="deputy_secretary"),
    *(Member(person=f"m{i}", role="standing_member") for i in range(1, 10)),
)
BODY = Body(id="sc", kind="standing", members=MEMBERS)
PROPOSAL: dict[str, Any] = {
    "title": "Budget",
    "category": "major",
    "proposer": "sec",
    "lead_member": "m1",
    "body": "sc",
    "confidentiality": "public",
}
#: untimed fires that take a fresh instance from ``proposed`` to ``deliberation``
SETUP: tuple[tuple[str, str, dict[str, Any] | None], ...] = (
    ("prepare", "m1", None),
    ("start_deliberation", "m1", {"preparation": "research done"}),
)
NOTICE = dt.timedelta(days=1)


@dataclass(frozen=True, slots=True)
class Step:
    """One fire of the measured sequence; ``advance`` moves the virtual clock just before it."""

    trigger: str
    actor: str
    data: Mapping[str, Any] | None
    advance: dt.timedelta | None = None


def speaking_order(members: Iterable[Member]) -> list[str]:
    """Who states a view at a meeting where all ``members`` are present: every voting member, in
    the body's order, the secretary last (末位表态)."""
    voting = [m for m in members if m.voting]
    return [m.person for m in sorted(voting, key=lambda m: m.role == "secretary")]


def measured_steps(t0: dt.datetime) -> list[Step]:
    """The 36 measured fires for an instance whose sequence starts when the clock says ``t0``.

    The meeting is scheduled exactly one day ahead (the pack's advance notice) and the clock moves
    one day before it opens, so every rule, warnings included, passes. Every member states a view,
    the secretary last, before the votes.
    """
    steps = [Step("consult", "sec", {"member": m.person, "view": "agree"}) for m in MEMBERS]
    steps.append(Step("schedule", "sec", {"meeting_at": format_time(t0 + NOTICE)}))
    steps.append(
        Step("open_meeting", "sec", {"attendance": {m.person: "present" for m in MEMBERS}}, NOTICE)
    )
    steps.extend(Step("state_view", p, {"view": "agree"}) for p in speaking_order(MEMBERS))
    steps.extend(Step("vote", m.person, {"choice": "agree"}) for m in MEMBERS)
    steps.append(Step("close_ballot", "sec", None))
    return steps


def plans(start: dt.datetime, count: int) -> list[list[Step]]:
    """Step lists for ``count`` instances run one after another from ``start``
    (each moves the clock a day)."""
    return [measured_steps(start + i * NOTICE) for i in range(count)]


STEPS_PER_INSTANCE = len(measured_steps(START))


def memory_engine() -> tuple[Engine, ManualClock]:
    clock = ManualClock(START)
    engine = Engine.in_memory(clock=clock, ids=SequentialIds())
    engine.define_body(BODY)
    return engine, clock


def start_in_deliberation(engine: Engine, count: int) -> list[str]:
    """Start ``count`` instances and take each to ``deliberation`` (untimed set-up)."""
    ids = []
    for _ in range(count):
        iid = engine.start(PROCEDURE, "sec", PROPOSAL).instance.id
        for trigger, actor, data in SETUP:
            engine.fire(iid, trigger, actor, data)
        ids.append(iid)
    return ids


def run_engine(engine: Engine, clock: ManualClock, ids: list[str], steps: list[list[Step]]) -> int:
    """Fire every step of every instance; return the number of fires."""
    fire = engine.fire
    advance = clock.advance
    n = 0
    for iid, seq in zip(ids, steps, strict=True):
        for step in seq:
            if step.advance is not None:
                advance(step.advance)
            fire(iid, step.trigger, step.actor, step.data)
            n += 1
    return n

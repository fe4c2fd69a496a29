"""The host's directory of people: bodies and members come from the host, as of each command's
time, instead of Collegium's tables; a meeting still freezes the membership it opened with."""

from __future__ import annotations

import datetime as dt

import pytest

from collegium import (
    Body,
    Directory,
    Engine,
    InvalidInput,
    ManualClock,
    Member,
    NotFound,
    RuleViolation,
    SequentialIds,
    rejudge,
)
from tests.conftest import MATTER, START, consult_all, state_views
from tests.test_replay import PACK


class DatedDirectory:
    """A host's directory with dated memberships: (person, role, joined, left)."""

    def __init__(self) -> None:
        self.asked: list[tuple[str, dt.datetime]] = []
        self.seats: list[tuple[str, str, dt.datetime, dt.datetime | None]] = [
            ("sec", "secretary", START, None),
            ("dep", "deputy_secretary", START, None),
            *((f"m{i}", "standing_member", START, None) for i in range(1, 8)),
        ]

    def body(self, body_id: str, at: dt.datetime) -> Body | None:
        self.asked.append((body_id, at))
        if body_id != "sc":
            return None
        members = tuple(
            Member(person=p, role=r)
            for p, r, joined, left in self.seats
            if joined <= at and (left is None or at < left)
        )
        return Body(id="sc", kind="standing", members=members)


@pytest.fixture
def host() -> DatedDirectory:
    return DatedDirectory()


def engine_with(host: Directory, clock: ManualClock) -> Engine:
    return Engine.in_memory(clock=clock, ids=SequentialIds(), directory=host)


def test_a_matter_runs_on_the_hosts_directory_as_of_each_command(
    host: DatedDirectory, clock: ManualClock
) -> None:
    engine = engine_with(host, clock)
    later = START + dt.timedelta(days=5)
    host.seats.append(("m8", "standing_member", later, None))  # joins in five days
    iid = engine.start("major_decision", "sec", MATTER).instance.id
    engine.fire(iid, "prepare", "m1")
    with pytest.raises(RuleViolation, match="R-ROLE"):
        engine.fire(iid, "start_deliberation", "m8", {"preparation": "done"})  # not yet a member
    engine.fire(iid, "start_deliberation", "m1", {"preparation": "done"})
    assert engine.body("sc").member("m8") is None and ("sc", START) in host.asked
    consult_all(engine, iid)  # the seven members of today
    clock.set(later)
    at = {"meeting_at": (later + dt.timedelta(days=1)).isoformat()}
    # m8 has joined: individual deliberation must now reach m8 too
    assert [r.rule_id for r in engine.check(iid, "schedule", "sec", at).failures] == [
        "R-DELIBERATION"
    ]
    engine.fire(iid, "consult", "sec", {"member": "m8", "view": "agree"})
    engine.fire(iid, "schedule", "sec", at)
    assert engine.body("sc").member("m8") is not None


def test_a_meeting_keeps_the_membership_it_opened_with(
    host: DatedDirectory, clock: ManualClock
) -> None:
    engine = engine_with(host, clock)
    iid = engine.start("major_decision", "sec", MATTER).instance.id
    engine.fire(iid, "prepare", "m1")
    engine.fire(iid, "start_deliberation", "m1", {"preparation": "done"})
    consult_all(engine, iid)
    engine.fire(iid, "schedule", "sec", {"meeting_at": (START + dt.timedelta(days=1)).isoformat()})
    clock.advance(dt.timedelta(days=1))
    present = {p: "present" for p, *_ in host.seats}
    engine.fire(iid, "open_meeting", "sec", {"attendance": present})
    # in the host, m7 leaves and m9 joins after the meeting opened
    moment = clock.advance(dt.timedelta(minutes=30))
    host.seats = [(p, r, j, moment if p == "m7" else left) for p, r, j, left in host.seats]
    host.seats.append(("m9", "standing_member", moment, None))
    state_views(engine, iid)  # the frozen seats speak, m7 among them; m9 has none
    engine.fire(
        iid, "vote", "m7", {"choice": "agree"}
    )  # the seat m7 held when the sitting opened still votes
    with pytest.raises(RuleViolation, match="R-VOTER"):
        engine.fire(iid, "vote", "m9", {"choice": "agree"})
    for person in ("sec", "dep", "m1", "m2"):
        engine.fire(iid, "vote", person, {"choice": "agree"})
    assert engine.fire(iid, "close_ballot", "sec").instance.facts["ballot"]["result"]["n"] == 9
    # re-judged with the directory, every step sees the body as it was when it happened
    report = rejudge(engine.store, PACK, directory=host)
    assert report.diverged == {} and report.changed == ()


def test_bodies_are_not_defined_in_collegium_when_the_host_keeps_them(
    host: DatedDirectory, clock: ManualClock
) -> None:
    engine = engine_with(host, clock)
    with pytest.raises(InvalidInput, match="host's directory"):
        engine.define_body(
            Body(id="sc", kind="standing", members=(Member(person="x", role="secretary"),))
        )
    with pytest.raises(NotFound, match=r"^no body 'nowhere'$"):  # not in the host's directory
        engine.start("major_decision", "sec", {**MATTER, "body": "nowhere"})
    assert engine.instances() == []

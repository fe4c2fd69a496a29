"""Views, then votes (末位表态), and attendance judged when it is used (P2), on every backend.

At a meeting every present, non-recused voting member states a view, the secretary last, before a
vote is cast or the ballot closed (R-CHAIR-LAST); in an oral or roll-call ballot the secretary also
votes last (R-CHAIR-VOTES-LAST). A matter taken up at a sitting reads who is present from the
sitting at each view, vote and close: a member who has left does not vote, and the quorum is
judged on those present then (R-VOTER, R-QUORUM-SC)."""

from __future__ import annotations

import datetime as dt

import pytest

from collegium import Engine, ManualClock, RuleViolation
from tests.conftest import consult_all, to_deliberation

MEMBERS = ["sec", "dep", *(f"m{i}" for i in range(1, 10))]
OTHERS = MEMBERS[1:]


def opened(engine: Engine, clock: ManualClock, **meeting: object) -> str:
    """A major matter at a meeting of its own, every member present."""
    iid = to_deliberation(engine)
    consult_all(engine, iid)
    at = clock.now() + dt.timedelta(days=2)
    engine.fire(iid, "schedule", "sec", {"meeting_at": at.isoformat()})
    clock.advance(dt.timedelta(days=2))
    attendance = dict.fromkeys(MEMBERS, "present")
    engine.fire(iid, "open_meeting", "sec", {"attendance": attendance, **meeting})
    return iid


def refusal(engine: Engine, iid: str, trigger: str, actor: str, data: dict[str, object]) -> str:
    """The message of the one rule refusing the command, which must leave the instance as it was."""
    before = engine.get(iid), len(engine.history(iid)), engine.ballot(iid).voters
    with pytest.raises(RuleViolation) as refused:
        engine.fire(iid, trigger, actor, data)
    assert (engine.get(iid), len(engine.history(iid)), engine.ballot(iid).voters) == before
    (failure,) = refused.value.verdict.failures
    return f"{failure.rule_id}: {failure.message('en')}"


def state_views(engine: Engine, iid: str, people: list[str]) -> None:
    for person in people:
        engine.fire(iid, "state_view", person, {"view": "agree"})


def test_no_vote_and_no_close_until_every_member_present_has_spoken(
    sql_engine: Engine, clock: ManualClock
) -> None:
    engine = sql_engine
    iid = opened(engine, clock)
    said = refusal(engine, iid, "vote", "m1", {"choice": "agree"})
    assert said.startswith("R-CHAIR-LAST: yet to state a view: sec, dep, m1, m2")
    state_views(engine, iid, OTHERS[:-1])
    said = refusal(engine, iid, "close_ballot", "sec", {})
    assert said.startswith("R-CHAIR-LAST: yet to state a view: sec, m9;")
    said = refusal(engine, iid, "state_view", "sec", {"view": "agree"})
    assert said.startswith("R-CHAIR-LAST: yet to state a view: m9;")
    state_views(engine, iid, ["m9", "sec"])
    for person in MEMBERS:
        engine.fire(iid, "vote", person, {"choice": "agree"})
    assert engine.fire(iid, "close_ballot", "sec").instance.state == "adopted"


def test_a_chinese_refusal_names_who_has_yet_to_speak(
    sql_engine: Engine, clock: ManualClock
) -> None:
    iid = opened(sql_engine, clock)
    state_views(sql_engine, iid, OTHERS)
    with pytest.raises(RuleViolation) as refused:
        sql_engine.fire(iid, "close_ballot", "sec")
    (failure,) = refused.value.verdict.failures
    assert failure.message("zh-CN").startswith("尚未表态：sec；")


@pytest.mark.parametrize("method", ["roll_call", "oral"])
def test_where_votes_are_cast_one_by_one_the_secretary_votes_last(
    sql_engine: Engine, clock: ManualClock, method: str
) -> None:
    engine = sql_engine
    iid = opened(engine, clock, method=method)
    state_views(engine, iid, [*OTHERS, "sec"])
    for person in OTHERS[:-1]:
        engine.fire(iid, "vote", person, {"choice": "agree"})
    said = refusal(engine, iid, "vote", "sec", {"choice": "agree"})
    assert said.startswith("R-CHAIR-VOTES-LAST:") and said.endswith("m9")
    engine.fire(iid, "vote", "m9", {"choice": "oppose"})
    engine.fire(iid, "vote", "sec", {"choice": "agree"})
    assert engine.fire(iid, "close_ballot", "sec").instance.state == "adopted"


def test_a_show_of_hands_has_no_order_of_voting(sql_engine: Engine, clock: ManualClock) -> None:
    iid = opened(sql_engine, clock, method="show_of_hands")
    state_views(sql_engine, iid, [*OTHERS, "sec"])
    sql_engine.fire(iid, "vote", "sec", {"choice": "agree"})


# -- a sitting: attendance as it stands when it is used -------------------------------------------
def at_sitting(engine: Engine, clock: ManualClock) -> tuple[str, str]:
    """A matter taken up at a sitting in session with every member present; (sitting, matter)."""
    iid = to_deliberation(engine)
    consult_all(engine, iid)
    at = (clock.now() + dt.timedelta(days=2)).isoformat()
    engine.fire(iid, "schedule", "sec", {"meeting_at": at})
    data = {"title": "12th meeting", "body": "sc", "meeting_at": at, "agenda": [iid]}
    sitting = engine.start("meeting", "sec", data).instance.id
    clock.advance(dt.timedelta(days=2))
    engine.fire(sitting, "open", "sec", {"attendance": dict.fromkeys(MEMBERS, "present")})
    engine.fire(iid, "open_meeting", "sec", {"sitting": sitting})
    return sitting, iid


def test_a_member_who_has_left_no_longer_votes_and_one_who_arrives_does(
    sql_engine: Engine, clock: ManualClock
) -> None:
    engine = sql_engine
    sitting, iid = at_sitting(engine, clock)
    engine.fire(sitting, "attend", "sec", {"member": "m9", "status": "absent", "reason": "ill"})
    state_views(engine, iid, [*OTHERS[:-1], "sec"])  # m9 left: the views are complete without m9
    said = refusal(engine, iid, "vote", "m9", {"choice": "agree"})
    assert said == "R-VOTER: m9 is not among members entitled to vote now"
    assert engine.meeting(iid).seats["m9"].attendance == "absent"
    engine.fire(sitting, "attend", "sec", {"member": "m9", "status": "present"})
    said = refusal(engine, iid, "vote", "m1", {"choice": "agree"})  # back, and yet to speak
    assert said.startswith("R-CHAIR-LAST: yet to state a view: m9;")
    state_views(engine, iid, ["m9"])
    engine.fire(iid, "vote", "m9", {"choice": "agree"})


def test_the_quorum_is_judged_on_those_present_at_each_vote_and_at_the_close(
    sql_engine: Engine, clock: ManualClock
) -> None:
    engine = sql_engine
    sitting, iid = at_sitting(engine, clock)
    state_views(engine, iid, [*OTHERS, "sec"])
    for person in MEMBERS[:4]:
        engine.fire(iid, "vote", person, {"choice": "agree"})
    for person in MEMBERS[5:]:  # six of eleven leave: five are left, fewer than half
        engine.fire(sitting, "attend", "sec", {"member": person, "status": "absent"})
    quorum = "R-QUORUM-SC: present 5 of 11 who should attend; needs at least 6 (≥ 1/2 of 11)"
    assert refusal(engine, iid, "vote", "m3", {"choice": "agree"}) == quorum
    assert refusal(engine, iid, "close_ballot", "sec", {}) == quorum
    engine.fire(sitting, "attend", "sec", {"member": "m9", "status": "present"})
    engine.fire(iid, "vote", "m9", {"choice": "agree"})  # back; its view was stated before it left
    engine.fire(iid, "vote", "m3", {"choice": "agree"})
    closed = engine.fire(iid, "close_ballot", "sec").instance
    result = closed.facts["ballot"]["result"]
    assert (closed.state, result["present"], result["n"], result["agree"]) == ("adopted", 6, 11, 6)

"""Meetings with an agenda: one sitting of a body takes up several matters, each with its own
recusals, quorum and ballot; attendance changes during the sitting count for the matters taken up
after them, and for those already taken up from then on (attendance is read when it is used)."""

from __future__ import annotations

import datetime as dt

import pytest

from collegium import Engine, InvalidInput, ManualClock, Member, RuleViolation, Verdict
from tests.conftest import consult_all, standing_committee, state_views, to_deliberation

MEMBERS = ["sec", "dep", *(f"m{i}" for i in range(1, 10))]


def scheduled(engine: Engine, clock: ManualClock, **overrides: object) -> str:
    iid = to_deliberation(engine, **overrides)
    consult_all(engine, iid)
    engine.fire(
        iid, "schedule", "sec", {"meeting_at": (clock.now() + dt.timedelta(days=2)).isoformat()}
    )
    return iid


def sitting(
    engine: Engine,
    clock: ManualClock,
    agenda: list[str],
    present: list[str] | None = None,
    **attendance: str,
) -> str:
    """A standing-committee meeting convened with ``agenda``, opened two days later with
    ``present``."""
    at = (clock.now() + dt.timedelta(days=2)).isoformat()
    mid = engine.start(
        "meeting",
        "sec",
        {
            "title": "Standing committee, 12th meeting",
            "body": "sc",
            "meeting_at": at,
            "agenda": agenda,
        },
    ).instance.id
    clock.advance(dt.timedelta(days=2))
    given = {**dict.fromkeys(MEMBERS if present is None else present, "present"), **attendance}
    engine.fire(mid, "open", "sec", {"attendance": given})
    return mid


def failed(verdict: Verdict) -> set[str]:
    return {r.rule_id for r in verdict.failures}


def vote_all(engine: Engine, iid: str, choices: dict[str, str]) -> str:
    """Every member present states a view, the secretary last; then ``choices`` are cast and the
    ballot closed: the matter's state."""
    state_views(engine, iid)
    for person, choice in choices.items():
        engine.fire(iid, "vote", person, {"choice": choice})
    return engine.fire(iid, "close_ballot", "sec").instance.state


def test_two_matters_are_decided_at_one_meeting_each_with_its_own_recusals_and_ballot(
    engine: Engine, clock: ManualClock
) -> None:
    a, b = scheduled(engine, clock, title="Budget"), scheduled(engine, clock, title="Land use")
    mid = sitting(engine, clock, [a, b])
    assert engine.get(mid).state == "in_session"
    engine.fire(a, "open_meeting", "sec", {"sitting": mid})
    engine.fire(b, "open_meeting", "sec", {"sitting": mid, "recused": ["m1", "m2"]})
    # matter a: n = 11, six agree pass; matter b: m1 and m2 recused, so n = 9 and five agree pass
    assert vote_all(engine, a, dict.fromkeys(MEMBERS[:6], "agree")) == "adopted"
    assert (
        vote_all(engine, b, dict.fromkeys(["sec", "dep", "m3", "m4", "m5"], "agree")) == "adopted"
    )
    result_b = engine.get(b).facts["ballot"]["result"]
    assert (result_b["n"], result_b["present"], result_b["needed"]) == (9, 9, 5)
    meeting_b = engine.meeting(b)
    assert meeting_b.sitting == mid and meeting_b.seats["m1"].attendance == "recused"
    assert (
        engine.meeting(mid).seats["m1"].attendance == "present"
    )  # the recusal is the matter's, not the sitting's
    engine.fire(mid, "adjourn", "sec")
    assert engine.verify_audit().ok


def test_a_matter_not_on_the_agenda_is_refused_and_nothing_is_written(
    engine: Engine, clock: ManualClock
) -> None:
    a, other = scheduled(engine, clock), scheduled(engine, clock)
    mid = sitting(engine, clock, [a])
    before = engine.get(other)
    with pytest.raises(RuleViolation, match="R-ON-AGENDA") as refused:
        engine.fire(other, "open_meeting", "sec", {"sitting": mid})
    assert [r.rule_id for r in refused.value.verdict.failures] == ["R-ON-AGENDA"]
    after = engine.get(other)
    assert (after.state, after.version, len(engine.history(other))) == (
        before.state,
        before.version,
        len(engine.history(other)),
    )
    assert "meeting" not in after.facts


def test_an_emergency_matter_may_be_taken_up_without_being_on_the_agenda(
    engine: Engine, clock: ManualClock
) -> None:
    a, urgent = scheduled(engine, clock), scheduled(engine, clock, emergency=True)
    mid = sitting(engine, clock, [a])
    assert (
        engine.fire(urgent, "open_meeting", "sec", {"sitting": mid}).instance.state == "in_meeting"
    )


def test_attendance_changed_during_the_sitting_counts_for_matters_taken_up_after(
    engine: Engine, clock: ManualClock
) -> None:
    a, b = scheduled(engine, clock), scheduled(engine, clock)
    mid = sitting(
        engine, clock, [a, b], present=MEMBERS[:6]
    )  # 6 of 11 present: quorum (>= 5.5) holds
    engine.fire(a, "open_meeting", "sec", {"sitting": mid})
    out = engine.fire(
        mid, "attend", "sec", {"member": "m4", "status": "absent", "reason": "called away"}
    )
    assert out.instance.facts["meeting"]["reasons"] == {"m4": "called away"}
    assert engine.meeting(mid).seats["m4"].attendance == "absent"
    # a was taken up with m4 present, and reads the sitting's attendance as it stands now: m4 has
    # left, so a is down to 5 of 11 too and votes no more than b could be taken up
    assert engine.meeting(a).seats["m4"].attendance == "absent"
    assert "R-QUORUM-SC" in failed(engine.check(a, "vote", "m1", {"choice": "agree"}))
    with pytest.raises(RuleViolation, match="R-QUORUM-SC"):  # 5 of 11 for b: no quorum
        engine.fire(b, "open_meeting", "sec", {"sitting": mid})
    engine.fire(mid, "attend", "sec", {"member": "m7", "status": "present"})
    engine.fire(
        mid, "attend", "sec", {"member": "npc-rep", "status": "attendee"}
    )  # 列席: no seat, no vote
    taken = engine.fire(b, "open_meeting", "sec", {"sitting": mid}).instance
    assert taken.facts["meeting"]["attendees"] == ["npc-rep"]
    state_views(engine, b)
    assert "R-VOTER" in failed(engine.check(b, "vote", "npc-rep", {"choice": "agree"}))
    assert failed(engine.check(b, "vote", "m4", {"choice": "agree"})) == {"R-VOTER"}
    assert engine.check(b, "vote", "m7", {"choice": "agree"}).passed
    assert engine.verify_audit().ok


def test_the_membership_frozen_at_the_opening_governs_the_sitting(
    engine: Engine, clock: ManualClock
) -> None:
    a = scheduled(engine, clock)
    mid = sitting(engine, clock, [a])
    body = standing_committee()
    engine.define_body(
        body.model_copy(
            update={"members": (*body.members, Member(person="m10", role="standing_member"))}
        )
    )
    engine.fire(a, "open_meeting", "sec", {"sitting": mid})
    assert "R-VOTER" in failed(engine.check(a, "vote", "m10", {"choice": "agree"}))
    with pytest.raises(InvalidInput, match="no seat"):
        engine.fire(mid, "attend", "sec", {"member": "m10", "status": "present"})
    assert vote_all(engine, a, dict.fromkeys(MEMBERS[:6], "agree")) == "adopted"
    assert engine.get(a).facts["ballot"]["result"]["n"] == 11


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"sitting": "nope"}, "no meeting 'nope'"),
        ({"sitting": "M", "attendance": {"sec": "present"}}, "either 'sitting' or 'attendance'"),
        ({"sitting": "M", "recused": ["stranger"]}, "'stranger' has no seat"),
        ({"recused": ["m1"], "attendance": {"sec": "present"}}, "'recused' goes with 'sitting'"),
        ({}, "needs 'attendance' or 'sitting'"),
    ],
)
def test_taking_a_matter_up_refuses_bad_input(
    engine: Engine, clock: ManualClock, data: dict[str, object], message: str
) -> None:
    a = scheduled(engine, clock)
    mid = sitting(engine, clock, [a])
    data = {k: (mid if v == "M" else v) for k, v in data.items()}
    with pytest.raises(InvalidInput, match=message):
        engine.fire(a, "open_meeting", "sec", data)
    assert engine.get(a).state == "scheduled" and "meeting" not in engine.get(a).facts


def test_a_matter_is_taken_up_only_at_a_sitting_of_its_body_that_is_in_session(
    engine: Engine, clock: ManualClock
) -> None:
    engine.define_body(standing_committee(body_id="other"))
    a = scheduled(engine, clock)
    at = (clock.now() + dt.timedelta(days=2)).isoformat()
    later = engine.start(
        "meeting", "sec", {"body": "sc", "meeting_at": at, "agenda": [a]}
    ).instance.id
    elsewhere = engine.start(
        "meeting", "sec", {"body": "other", "meeting_at": at, "agenda": [a]}
    ).instance.id
    clock.advance(dt.timedelta(days=2))
    with pytest.raises(InvalidInput, match="not in session"):
        engine.fire(a, "open_meeting", "sec", {"sitting": later})
    engine.fire(elsewhere, "open", "sec", {"attendance": dict.fromkeys(MEMBERS, "present")})
    with pytest.raises(InvalidInput, match="is a meeting of 'other'"):
        engine.fire(a, "open_meeting", "sec", {"sitting": elsewhere})
    with pytest.raises(InvalidInput, match="not a meeting convened with an agenda"):
        engine.fire(a, "open_meeting", "sec", {"sitting": a})


def test_a_meeting_needs_its_agenda_a_quorum_and_its_day(
    engine: Engine, clock: ManualClock
) -> None:
    at = (clock.now() + dt.timedelta(days=2)).isoformat()
    with pytest.raises(RuleViolation, match="R-AGENDA"):
        engine.start("meeting", "sec", {"body": "sc", "meeting_at": at})
    with pytest.raises(RuleViolation, match="R-ROLE"):
        engine.start("meeting", "m1", {"body": "sc", "meeting_at": at, "agenda": ["x"]})
    mid = engine.start(
        "meeting", "sec", {"body": "sc", "meeting_at": at, "agenda": ["x"]}
    ).instance.id
    with pytest.raises(RuleViolation, match="R-MEETING-DAY"):
        engine.fire(mid, "open", "sec", {"attendance": dict.fromkeys(MEMBERS, "present")})
    clock.advance(dt.timedelta(days=2))
    with pytest.raises(RuleViolation, match="R-QUORUM-SITTING"):  # 5 of 11 < 5.5
        engine.fire(mid, "open", "sec", {"attendance": dict.fromkeys(MEMBERS[:5], "present")})
    with pytest.raises(InvalidInput, match="not recorded absent"):
        engine.fire(
            mid,
            "open",
            "sec",
            {"attendance": dict.fromkeys(MEMBERS, "present"), "reasons": {"m1": "ill"}},
        )
    out = engine.fire(
        mid,
        "open",
        "sec",
        {"attendance": dict.fromkeys(MEMBERS[:10], "present"), "reasons": {"m9": "on leave"}},
    )
    assert out.instance.facts["meeting"]["reasons"] == {"m9": "on leave"}
    with pytest.raises(InvalidInput, match="only for a member who leaves"):
        engine.fire(mid, "attend", "sec", {"member": "m9", "status": "present", "reason": "back"})
    with pytest.raises(InvalidInput, match="is a member"):
        engine.fire(mid, "attend", "sec", {"member": "m9", "status": "attendee"})
    with pytest.raises(InvalidInput, match="status"):
        engine.fire(mid, "attend", "sec", {"member": "m9", "status": "recused"})
    back = engine.fire(mid, "attend", "sec", {"member": "m9", "status": "present"}).instance
    assert "reasons" not in back.facts["meeting"]


def test_meetings_with_agendas_on_every_backend(sql_engine: Engine, clock: ManualClock) -> None:
    a, b = scheduled(sql_engine, clock), scheduled(sql_engine, clock)
    mid = sitting(sql_engine, clock, [a, b])
    sql_engine.fire(a, "open_meeting", "sec", {"sitting": mid, "recused": ["m9"]})
    sql_engine.fire(mid, "attend", "sec", {"member": "m8", "status": "absent"})
    sql_engine.fire(b, "open_meeting", "sec", {"sitting": mid})
    assert sql_engine.meeting(mid).seats["m8"].attendance == "absent"
    assert sql_engine.meeting(a).seats["m8"].attendance == "absent"  # read from the sitting now
    assert sql_engine.meeting(b).seats["m8"].attendance == "absent"
    assert vote_all(sql_engine, a, dict.fromkeys(MEMBERS[:6], "agree")) == "adopted"
    assert sql_engine.get(a).facts["ballot"]["result"]["n"] == 10
    assert sql_engine.verify_audit().ok


def test_an_edited_attendance_at_a_sitting_is_found_by_the_audit(
    engine: Engine, clock: ManualClock
) -> None:
    a = scheduled(engine, clock)
    mid = sitting(engine, clock, [a])
    engine.fire(mid, "attend", "sec", {"member": "m3", "status": "absent"})
    assert engine.verify_audit().ok
    seats = engine.store._seats  # type: ignore[attr-defined]
    meeting_id = engine.get(mid).facts["meeting"]["id"]
    seats[meeting_id]["m3"] = seats[meeting_id]["m3"]._replace(attendance="present")
    report = engine.verify_audit()
    assert report.problem is not None and "seats" in report.problem.reason


def test_no_vote_at_a_meeting_that_has_adjourned(engine: Engine, clock: ManualClock) -> None:
    a = scheduled(engine, clock)
    mid = sitting(engine, clock, [a])
    engine.fire(a, "open_meeting", "sec", {"sitting": mid})
    state_views(engine, a)
    engine.fire(a, "vote", "sec", {"choice": "agree"})
    engine.fire(mid, "adjourn", "sec")
    with pytest.raises(RuleViolation) as refused:
        engine.fire(a, "vote", "dep", {"choice": "agree"})
    assert [r.rule_id for r in refused.value.verdict.failures] == ["R-SITTING-IN-SESSION"]
    assert "no longer in session (adjourned)" in refused.value.verdict.failures[0].message("en")
    assert failed(engine.check(a, "close_ballot", "sec")) == {"R-SITTING-IN-SESSION"}
    engine.fire(
        a, "defer", "sec", {"defer_reason": "views_diverge"}
    )  # what remains: defer it to a later meeting
    assert engine.ballot(a).lapsed

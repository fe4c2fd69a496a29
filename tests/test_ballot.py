"""Ballots: named ballots keep each choice and the dissent; secret ballots cannot be traced to a
voter."""

from __future__ import annotations

import datetime as dt
import sqlite3
from pathlib import Path

import pytest

from collegium import Engine, InvalidInput, ManualClock, RuleViolation, SequentialIds
from tests.conftest import (
    START,
    consult_all,
    count,
    secret_ballot,
    standing_committee,
    state_views,
    to_deliberation,
)

CHOICES = {
    "sec": "agree",
    "dep": "agree",
    "m1": "oppose",
    "m2": "agree",
    "m3": "abstain",
    "m4": "agree",
    "m5": "oppose",
    "m6": "agree",
    "m7": "agree",
    "m8": "agree",
    "m9": "abstain",
}


def meeting(engine: Engine, clock: ManualClock, method: str | None) -> str:
    """Every member votes as CHOICES says (on paper, by method ``secret``: the tellers m8 and m9
    count the papers later); the ballot is not yet counted or closed."""
    iid = to_deliberation(engine)
    consult_all(engine, iid)
    engine.fire(
        iid, "schedule", "sec", {"meeting_at": (clock.now() + dt.timedelta(days=2)).isoformat()}
    )
    clock.advance(dt.timedelta(days=2))
    data: dict[str, object] = {"attendance": dict.fromkeys(CHOICES, "present")}
    if method is not None:
        data.update(secret_ballot(method) if method.startswith("secret") else {"method": method})
    engine.fire(iid, "open_meeting", "sec", data)
    state_views(engine, iid)
    for person, choice in CHOICES.items():
        engine.fire(iid, "vote", person, {} if method == "secret" else {"choice": choice})
    return iid


#: what the tellers of a paper ballot count when every member voted as CHOICES says
PAPER = {"agree": 7, "oppose": 2, "abstain": 2}


def test_a_named_ballot_keeps_each_choice_and_the_dissent(
    engine: Engine, clock: ManualClock
) -> None:
    iid = meeting(engine, clock, None)
    out = engine.fire(iid, "close_ballot", "sec")
    ballot = engine.ballot(iid)
    assert (ballot.method, ballot.secret) == ("named", False)
    assert ballot.choices == CHOICES
    assert dict(ballot.counts) == {"agree": 7, "oppose": 2, "abstain": 2}
    result = out.instance.facts["ballot"]["result"]
    assert {
        k: result[k]
        for k in ("agree", "oppose", "abstain", "n", "present", "needed", "method", "passed")
    } == {
        "agree": 7,
        "oppose": 2,
        "abstain": 2,
        "n": 11,
        "present": 11,
        "needed": 6,
        "method": "named",
        "passed": True,
    }
    assert result["dissent"] == ["m1", "m5"]  # R-DISSENT: recorded dissent stays with the decision
    assert result["quorum"] == [{"rule": "R-QUORUM-SC", "needed": 6}]
    assert [e.data for e in engine.history(iid) if e.trigger == "vote"][2] == {"choice": "oppose"}


@pytest.mark.parametrize("method", ["secret", "secret_electronic"])
def test_a_secret_ballot_cannot_be_traced_from_the_database_file(
    tmp_path: Path, method: str
) -> None:
    path = tmp_path / "secret.db"
    clock = ManualClock(START)
    engine = Engine.open(str(path), clock=clock, ids=SequentialIds())
    engine.define_body(standing_committee())
    iid = meeting(engine, clock, method)
    with pytest.raises(RuleViolation, match="R-ONE-VOTE"):
        engine.fire(iid, "vote", "m1", {} if method == "secret" else {"choice": "agree"})
    count(engine, iid, PAPER if method == "secret" else None)
    out = engine.fire(iid, "close_ballot", "sec")
    assert out.instance.state == "adopted"
    ballot = engine.ballot(iid)
    assert ballot.secret and ballot.choices == {} and ballot.voters == tuple(sorted(CHOICES))
    assert ballot.tellers == ("m8", "m9") and ballot.counted
    assert "dissent" not in out.instance.facts["ballot"]["result"]
    assert out.instance.facts["ballot"]["result"]["returned"] == 11
    engine.close()

    # Now only the file: what could anyone holding it learn?
    db = sqlite3.connect(path)
    words = {"agree", "oppose", "abstain"}
    tables = [r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
    for table in tables:
        columns = [r[1] for r in db.execute(f"PRAGMA table_info({table})")]
        for row in db.execute(f"SELECT * FROM {table}"):
            cells = dict(zip(columns, row, strict=True))
            text = " ".join(str(v) for v in row)
            if table == "collegium_events" and cells["trigger"] == "vote":
                # a vote's event says that its actor voted, and nothing about the choice
                assert not any(w in text for w in words), text
                assert cells["data"] == "{}"
            if table in ("collegium_votes", "collegium_sealed_votes"):
                pytest.fail(f"a closed secret ballot left a row in {table}: {row}")
    participation = db.execute("SELECT * FROM collegium_ballot_voters").fetchall()
    assert sorted(v for _, v in participation) == sorted(CHOICES)
    assert [r[1] for r in db.execute("PRAGMA table_info(collegium_ballot_voters)")] == [
        "ballot_id",
        "voter",
    ]
    totals = {c: n for c, n in db.execute("SELECT choice, count FROM collegium_ballot_counts") if n}
    assert totals == PAPER
    assert [r[1] for r in db.execute("PRAGMA table_info(collegium_ballot_counts)")] == [
        "ballot_id",
        "choice",
        "count",
    ]
    db.close()


def test_the_vote_method_is_checked(engine: Engine, clock: ManualClock) -> None:
    iid = to_deliberation(engine)
    consult_all(engine, iid)
    engine.fire(
        iid, "schedule", "sec", {"meeting_at": (clock.now() + dt.timedelta(days=2)).isoformat()}
    )
    clock.advance(dt.timedelta(days=2))
    with pytest.raises(
        InvalidInput,
        match="method 'telepathy' is not one of: oral, show_of_hands, named, secret, "
        "secret_electronic, roll_call",
    ):
        engine.fire(
            iid,
            "open_meeting",
            "sec",
            {"attendance": dict.fromkeys(CHOICES, "present"), "method": "telepathy"},
        )


def open_meeting(engine: Engine, clock: ManualClock, **matter: object) -> str:
    iid = to_deliberation(engine, **matter)
    consult_all(engine, iid)
    engine.fire(
        iid, "schedule", "sec", {"meeting_at": (clock.now() + dt.timedelta(days=2)).isoformat()}
    )
    clock.advance(dt.timedelta(days=2))
    attendance = dict.fromkeys(CHOICES, "present") | {"m9": "recused"}
    engine.fire(iid, "open_meeting", "sec", {"attendance": attendance})
    return iid


def test_a_personnel_ballot_is_agree_disagree_defer(engine: Engine, clock: ManualClock) -> None:
    iid = open_meeting(engine, clock, category="personnel")
    state_views(engine, iid)
    with pytest.raises(
        InvalidInput, match="not one of this ballot's options: agree, disagree, defer"
    ):
        engine.fire(iid, "vote", "m1", {"choice": "oppose"})
    for person, choice in [
        ("dep", "agree"),
        ("m1", "disagree"),
        ("m2", "defer"),
        ("m3", "agree"),
        ("m4", "agree"),
        ("m5", "agree"),
        ("m6", "agree"),
        ("sec", "agree"),
    ]:
        engine.fire(iid, "vote", person, {"choice": choice})
    result = engine.fire(iid, "close_ballot", "sec").instance.facts["ballot"]["result"]
    assert {k: result[k] for k in ("agree", "disagree", "defer", "n", "present", "needed")} == {
        "agree": 6,
        "disagree": 1,
        "defer": 1,
        "n": 10,
        "present": 10,
        "needed": 6,
    }
    assert result["dissent"] == ["m1"]
    assert result["quorum"] == [{"rule": "R-QUORUM-CADRE", "needed": 7}]  # two thirds of 10


def test_the_secretary_states_a_view_last(engine: Engine, clock: ManualClock) -> None:
    iid = open_meeting(engine, clock)
    with pytest.raises(RuleViolation) as caught:
        engine.fire(iid, "state_view", "sec", {"view": "agree"})
    last = caught.value.verdict.result("R-CHAIR-LAST")
    assert last is not None and not last.passed and "末位表态" in last.title.get("zh-CN")
    missing = last.params["unstated"].split(", ")
    assert missing == [
        "dep",
        "m1",
        "m2",
        "m3",
        "m4",
        "m5",
        "m6",
        "m7",
        "m8",
    ]  # m9 is recused
    assert last.facts["unstated_count"] == len(missing)
    for person in missing:
        engine.fire(iid, "state_view", person, {"view": "agree"})
    with pytest.raises(RuleViolation, match="R-VOTER"):
        engine.fire(iid, "state_view", "m9", {"view": "oppose"})
    engine.fire(iid, "state_view", "sec", {"view": "agree"})
    with pytest.raises(RuleViolation, match="R-ONE-VIEW"):
        engine.fire(
            iid, "state_view", "m1", {"view": "oppose"}
        )  # nobody speaks after the secretary
    assert {p for p, seat in engine.meeting(iid).seats.items() if seat.view} == {
        "sec",
        "dep",
        "m1",
        "m2",
        "m3",
        "m4",
        "m5",
        "m6",
        "m7",
        "m8",
    }


def test_a_vote_is_deferred_for_a_stated_reason_but_not_in_an_emergency(
    engine: Engine, clock: ManualClock
) -> None:
    iid = open_meeting(engine, clock)
    with pytest.raises(RuleViolation, match="R-DEFER"):
        engine.fire(iid, "defer", "sec")
    state_views(engine, iid)
    engine.fire(iid, "vote", "m1", {"choice": "agree"})
    assert engine.ballot(iid).open
    assert (
        engine.fire(iid, "defer", "sec", {"defer_reason": "facts_unclear"}).instance.state
        == "deferred"
    )
    lapsed = engine.ballot(
        iid
    )  # the vote begun at the meeting ends without a tally: no longer open
    assert lapsed.lapsed and not lapsed.open and not lapsed.closed and lapsed.voters == ("m1",)
    urgent = open_meeting(engine, clock, emergency=True)
    with pytest.raises(RuleViolation) as caught:
        engine.fire(urgent, "defer", "sec", {"defer_reason": "views_diverge"})
    assert [r.rule_id for r in caught.value.verdict.failures] == ["R-EMERGENCY"]
    assert (
        caught.value.verdict.failures[0].message("zh-CN")
        == "该事项为紧急事项，应在本次会议作出决定，不暂缓表决"
    )


def test_a_personnel_list_is_voted_candidate_by_candidate(
    engine: Engine, clock: ManualClock
) -> None:
    iid = open_meeting(engine, clock, category="personnel", candidates=["Zhang", "Li", "Wang"])
    state_views(engine, iid)
    with pytest.raises(RuleViolation) as caught:
        engine.fire(iid, "vote", "m1", {"choice": "agree"})
    assert [r.rule_id for r in caught.value.verdict.failures] == ["R-ITEMWISE"]
    assert (
        caught.value.verdict.failures[0].message()
        == "this list is voted item by item: name one of Zhang, Li, Wang"
    )
    with pytest.raises(RuleViolation, match="R-ITEMWISE"):
        engine.fire(iid, "vote", "m1", {"choice": "agree", "item": "Zhao"})
    voters = ["dep", "m1", "m2", "m3", "m4", "m5", "m6", "m7", "m8", "sec"]
    for i, person in enumerate(voters):
        engine.fire(iid, "vote", person, {"choice": "agree", "item": "Zhang"})
        engine.fire(
            iid, "vote", person, {"choice": "agree" if i < 5 else "disagree", "item": "Li"}
        )  # 5 of 10
        engine.fire(iid, "vote", person, {"choice": "agree" if i < 8 else "defer", "item": "Wang"})
    with pytest.raises(RuleViolation, match="R-ONE-VOTE"):
        engine.fire(iid, "vote", "m1", {"choice": "disagree", "item": "Zhang"})
    out = engine.fire(iid, "close_ballot", "sec")
    assert out.instance.state == "adopted"  # at least one candidate passed
    items = out.instance.facts["ballot"]["result"]["items"]
    assert {name: (r["agree"], r["needed"], r["passed"]) for name, r in items.items()} == {
        "Zhang": (10, 6, True),
        "Li": (5, 6, False),
        "Wang": (8, 6, True),
    }
    assert items["Li"]["dissent"] == ["m5", "m6", "m7", "m8", "sec"]
    assert [(r.facts["item"], r.passed) for r in out.verdict.results if r.rule_id == "R-PASS"] == [
        ("Zhang", True),
        ("Li", False),
        ("Wang", True),
    ]
    ballot = engine.ballot(iid)
    assert dict(ballot.items["Li"]) == {"agree": 5, "disagree": 5, "defer": 0}
    assert len(ballot.voters) == 10


def test_a_single_ballot_takes_no_item(engine: Engine, clock: ManualClock) -> None:
    iid = open_meeting(engine, clock)
    with pytest.raises(InvalidInput, match="not voted item by item"):
        engine.fire(iid, "vote", "m1", {"choice": "agree", "item": "Zhang"})


@pytest.mark.parametrize("method", ["secret", "secret_electronic"])
def test_an_open_secret_ballot_shows_who_voted_but_no_totals(
    engine: Engine, clock: ManualClock, method: str
) -> None:
    iid = to_deliberation(engine)
    consult_all(engine, iid)
    engine.fire(
        iid, "schedule", "sec", {"meeting_at": (clock.now() + dt.timedelta(days=2)).isoformat()}
    )
    clock.advance(dt.timedelta(days=2))
    engine.fire(
        iid,
        "open_meeting",
        "sec",
        {"attendance": dict.fromkeys(CHOICES, "present"), **secret_ballot(method)},
    )
    state_views(engine, iid)

    def vote(person: str) -> None:
        engine.fire(iid, "vote", person, {} if method == "secret" else {"choice": CHOICES[person]})

    for person in ("dep", "m1"):
        vote(person)
        open_ballot = engine.ballot(iid)
        assert (
            dict(open_ballot.counts) == {} and not open_ballot.closed
        )  # totals beside who-voted-when would tell
    assert engine.ballot(iid).voters == ("dep", "m1")
    for person in CHOICES:
        if person not in ("dep", "m1"):
            vote(person)
    with pytest.raises(InvalidInput, match="count_ballots comes before close_ballot"):
        engine.fire(iid, "close_ballot", "sec")
    count(engine, iid, PAPER if method == "secret" else None)
    assert dict(engine.ballot(iid).counts) == {}  # counted, and shown at the close
    with pytest.raises(InvalidInput, match="the tellers have counted this ballot: no more votes"):
        vote("m1")
    engine.fire(iid, "close_ballot", "sec")
    assert {c: n for c, n in engine.ballot(iid).counts.items() if n} == PAPER


@pytest.mark.parametrize("method", ["secret", "secret_electronic"])
def test_the_totals_are_written_once_by_the_count_and_the_log_is_truncated(
    tmp_path: Path, method: str
) -> None:
    path = tmp_path / "secret.db"
    clock = ManualClock(START)
    engine = Engine.open(str(path), clock=clock, ids=SequentialIds())
    engine.define_body(standing_committee())
    iid = meeting(engine, clock, method)
    wal = tmp_path / "secret.db-wal"
    assert wal.stat().st_size > 0  # while the ballot is open, the log holds each vote's transaction
    db = sqlite3.connect(path)
    assert db.execute("SELECT count(*) FROM collegium_ballot_counts").fetchone() == (
        0,
    )  # no vote wrote a total
    sealed = db.execute("SELECT count(*) FROM collegium_sealed_votes").fetchone()[0]
    assert sealed == (len(CHOICES) if method == "secret_electronic" else 0)
    count(engine, iid, PAPER if method == "secret" else None)
    assert wal.stat().st_size == 0  # the counting step truncated it, with the engine still open
    assert db.execute("SELECT count(*) FROM collegium_sealed_votes").fetchone() == (0,)
    for table in ("collegium_ballot_counts", "collegium_ballot_voters", "collegium_sealed_votes"):
        with pytest.raises(sqlite3.OperationalError, match="no such column: rowid"):
            db.execute(f"SELECT rowid FROM {table}")
    db.close()
    engine.close()


def test_candidates_are_unique_bounded_names(engine: Engine) -> None:
    from tests.conftest import propose

    with pytest.raises(InvalidInput, match="names an entry twice"):
        propose(engine, category="personnel", candidates=["Zhang", "Zhang"])
    with pytest.raises(InvalidInput, match="1 to 64 characters"):
        propose(engine, category="personnel", candidates=["", "Li"])
    with pytest.raises(InvalidInput, match="1 to 64 characters"):
        propose(engine, category="personnel", candidates=["C" * 65])


def rejected_matter(engine: Engine, clock: ManualClock) -> str:
    iid = open_meeting(engine, clock)  # m9 recused: n = 10
    state_views(engine, iid)
    for person in ("dep", "m1", "m2", "m3", "m4"):
        engine.fire(iid, "vote", person, {"choice": "agree"})
    assert (
        engine.fire(iid, "close_ballot", "sec").instance.state == "rejected"
    )  # 5 of 10 is not more than half
    return iid


@pytest.mark.parametrize(("agree", "state"), [(6, "deliberation"), (5, "rejected")])
def test_a_rejected_matter_is_reopened_only_by_a_majority_of_those_who_should_attend(
    engine: Engine, clock: ManualClock, agree: int, state: str
) -> None:
    iid = rejected_matter(engine, clock)
    engine.fire(
        iid, "move_reconsideration", "sec", {"attendance": dict.fromkeys(CHOICES, "present")}
    )
    for i, person in enumerate(CHOICES):
        engine.fire(iid, "vote", person, {"choice": "agree" if i < agree else "abstain"})
    out = engine.fire(iid, "close_reconsideration", "sec")
    assert out.instance.state == state
    motion = out.verdict.result("R-RECONSIDER")
    assert motion is not None and motion.facts == {"agree": agree, "n": 11, "needed": 6}
    assert "复议" in motion.title.get("zh-CN")
    if state == "rejected":
        assert engine.fire(iid, "archive", "sec").instance.state == "archived"


def test_a_motion_to_reconsider_needs_a_quorate_meeting(engine: Engine, clock: ManualClock) -> None:
    iid = rejected_matter(engine, clock)
    attendance = {p: ("present" if i < 4 else "absent") for i, p in enumerate(CHOICES)}
    with pytest.raises(RuleViolation, match="R-QUORUM-SC"):
        engine.fire(iid, "move_reconsideration", "sec", {"attendance": attendance})
    assert engine.get(iid).state == "rejected"


def test_the_meeting_record_keeps_seats_attendance_and_views_out_of_the_facts(
    engine: Engine, clock: ManualClock
) -> None:
    iid = open_meeting(engine, clock)  # everyone present but m9, recused
    facts = engine.get(iid).facts
    assert set(facts["meeting"]) == {
        "id",
        "body",
        "kind",
        "opened_at",
        "state",
        "attendees",
        "seats_sha",
        "seated",
    }  # no copy: the seats' counts only
    engine.fire(iid, "state_view", "m1", {"view": "reserve"})
    meeting = engine.meeting(iid)
    assert (meeting.body, meeting.kind, meeting.id) == ("sc", "standing", facts["ballot"]["id"])
    assert list(meeting.seats) == [
        m.person for m in engine.body("sc").members
    ]  # in the body's order
    assert (
        meeting.seats["m9"].attendance,
        meeting.seats["m1"].view,
        meeting.seats["sec"].role,
    ) == ("recused", "reserve", "secretary")
    # membership changes after the opening do not move the meeting's seats (the frozen snapshot)
    engine.define_body(standing_committee(5))
    assert len(engine.meeting(iid).seats) == 11
    state_views(engine, iid)  # the frozen seats state their views: m8 among them
    assert engine.check(iid, "vote", "m8", {"choice": "agree"}).passed


def test_a_vote_asks_about_its_voter_without_reading_every_seat(
    engine: Engine, clock: ManualClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A vote's rules (R-VOTER, R-RECUSAL …) ask about one seat each: in a body of thousands a vote
    must not read the whole frozen membership (R-RECUSAL once listed every recused seat, ~4.7 ms a
    vote with 3,000 seats)."""
    from collegium.engine.context import Context

    whole = []
    original = Context.seats

    def spy(self: Context) -> object:
        whole.append(self.trigger)
        return original(self)

    iid = to_deliberation(engine)
    consult_all(engine, iid)
    engine.fire(
        iid, "schedule", "sec", {"meeting_at": (clock.now() + dt.timedelta(days=2)).isoformat()}
    )
    clock.advance(dt.timedelta(days=2))
    attendance = dict.fromkeys(CHOICES, "present") | {"m9": "recused"}
    engine.fire(iid, "open_meeting", "sec", {"attendance": attendance})
    state_views(engine, iid)
    monkeypatch.setattr(Context, "seats", spy)
    for person, choice in CHOICES.items():
        if person != "m9":
            engine.fire(iid, "vote", person, {"choice": choice})
    with pytest.raises(RuleViolation, match="R-RECUSAL"):
        engine.fire(iid, "vote", "m9", {"choice": "agree"})
    assert whole == []

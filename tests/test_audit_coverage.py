"""The audit covers every stored row that decides an outcome, not only the chains: a named vote's
choice, a vote's row (without which a member could vote again), who returned a secret ballot, a
timer's due time, a member's role, a stored definition text. Each edit is named by its table and
row, on every backend."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
import sqlalchemy as sa

from collegium import Body, Engine, ManualClock, Member, RuleViolation, rejudge
from collegium.store import schema
from collegium.store.sqlstore import SqlStore
from tests.conftest import (
    TELLERS_KEY,
    carry_out,
    consult_all,
    count,
    secret_ballot,
    state_views,
    to_deliberation,
    to_meeting,
)
from tests.test_timers import PACK, make

Edit = Callable[[sa.Connection], None]


def tamper(engine: Engine, edit: Edit) -> None:
    store = engine.store
    assert isinstance(store, SqlStore)
    with store.engine.begin() as conn:
        edit(conn)


def meeting(engine: Engine, clock: ManualClock, method: str) -> str:
    """A matter at a meeting of its own with every member present, its ballot opened by ``method``
    (a secret one counted by m8 and m9) and every member's view stated: ready for the votes."""
    iid = to_deliberation(engine)
    consult_all(engine, iid)
    engine.fire(
        iid, "schedule", "sec", {"meeting_at": (clock.now() + dt.timedelta(days=3)).isoformat()}
    )
    clock.advance(dt.timedelta(days=3))
    attendance = dict.fromkeys((m.person for m in engine.body("sc").members), "present")
    secret = secret_ballot(method) if method.startswith("secret") else {"method": method}
    engine.fire(iid, "open_meeting", "sec", {"attendance": attendance, **secret})
    state_views(engine, iid)
    return iid


def decided(engine: Engine, clock: ManualClock) -> str:
    """A matter adopted by a named ballot with every member present: m1 and m2 oppose, the rest
    agree."""
    iid = meeting(engine, clock, "named")
    for member in engine.body("sc").members:
        engine.fire(
            iid,
            "vote",
            member.person,
            {"choice": "oppose" if member.person in ("m1", "m2") else "agree"},
        )
    engine.fire(iid, "close_ballot", "sec")
    return iid


def test_an_untouched_store_with_votes_timers_and_bodies_verifies(
    sql_engine: Engine, clock: ManualClock
) -> None:
    iid = decided(sql_engine, clock)
    sql_engine.fire(iid, "publish", "sec", {"audience": "public"})
    task = carry_out(sql_engine, iid)
    assert sql_engine.store.due_timers("9999", 10)  # the task's deadline review and its reminders
    report = sql_engine.verify_audit()
    assert report.ok, report.problem
    assert sql_engine.history(task)[0].effects["timers"]  # the step that set them recorded them


def test_an_edited_named_choice_is_detected(sql_engine: Engine, clock: ManualClock) -> None:
    iid = decided(sql_engine, clock)
    ballot = sql_engine.ballot(iid).id
    votes = schema.votes
    tamper(
        sql_engine,
        lambda conn: conn.execute(
            sa.update(votes)
            .where(votes.c.ballot_id == ballot, votes.c.voter == "m1")
            .values(choice="agree")
        ),
    )
    assert sql_engine.ballot(iid).choices["m1"] == "agree"  # what the table now says ...
    problem = sql_engine.verify_audit().problem
    assert (
        problem is not None and problem.table == "collegium_votes"
    )  # ... is not what the chain says
    assert problem.row == f"ballot_id={ballot!r}, voter='m1'" and problem.instance_id == iid
    assert "'oppose'" in problem.reason and problem.seq == next(
        e.seq for e in sql_engine.history(iid) if e.trigger == "vote" and e.actor == "m1"
    )


def test_a_deleted_vote_row_is_detected(sql_engine: Engine, clock: ManualClock) -> None:
    iid = to_meeting(sql_engine, clock)
    state_views(sql_engine, iid)
    sql_engine.fire(iid, "vote", "m4", {"choice": "agree"})
    votes = schema.votes
    tamper(sql_engine, lambda conn: conn.execute(sa.delete(votes).where(votes.c.voter == "m4")))
    problem = sql_engine.verify_audit().problem
    assert (
        problem is not None
        and problem.table == "collegium_votes"
        and "'m4' has no row" in problem.reason
    )
    tamper(
        sql_engine,
        lambda conn: conn.execute(
            sa.insert(votes).values(ballot_id=sql_engine.ballot(iid).id, voter="m4", choice="agree")
        ),
    )
    sql_engine.fire(iid, "vote", "m3", {"choice": "agree"})
    ballot = sql_engine.ballot(iid).id
    votes = schema.votes
    tamper(sql_engine, lambda conn: conn.execute(sa.delete(votes).where(votes.c.voter == "m3")))
    sql_engine.fire(
        iid, "vote", "m3", {"choice": "oppose"}
    )  # with the row gone, the member votes twice ...
    problem = sql_engine.verify_audit().problem
    assert (
        problem is not None and problem.table == "collegium_votes"
    )  # ... and the audit sees both votes
    assert (
        problem.row == f"ballot_id={ballot!r}, voter='m3'"
        and "a second vote by 'm3'" in problem.reason
    )
    assert problem.seq == sql_engine.history(iid)[-1].seq


@pytest.mark.parametrize("method", ["secret", "secret_electronic"])
def test_a_deleted_secret_participation_is_detected(
    sql_engine: Engine, clock: ManualClock, method: str
) -> None:
    iid = meeting(sql_engine, clock, method)
    sql_engine.fire(iid, "vote", "m3", {} if method == "secret" else {"choice": "agree"})
    voters = schema.ballot_voters
    tamper(sql_engine, lambda conn: conn.execute(sa.delete(voters).where(voters.c.voter == "m3")))
    problem = sql_engine.verify_audit().problem
    assert problem is not None and problem.table == "collegium_ballot_voters"
    assert "'m3'" in (problem.row or "") and "deleted" in problem.reason


def secret_decided(engine: Engine, clock: ManualClock, method: str) -> str:
    """A matter whose secret ballot every member returned (m1 and m2 against), counted by its
    tellers."""
    iid = meeting(engine, clock, method)
    for member in engine.body("sc").members:
        choice = "oppose" if member.person in ("m1", "m2") else "agree"
        engine.fire(iid, "vote", member.person, {} if method == "secret" else {"choice": choice})
    count(engine, iid, {"agree": 9, "oppose": 2} if method == "secret" else None)
    return iid


@pytest.mark.parametrize("method", ["secret", "secret_electronic"])
@pytest.mark.parametrize("edit", ["changed", "deleted"])
def test_edited_secret_totals_are_detected(
    sql_engine: Engine, clock: ManualClock, method: str, edit: str
) -> None:
    iid = secret_decided(sql_engine, clock, method)
    counted = next(e for e in sql_engine.history(iid) if e.trigger == "count_ballots")
    assert sql_engine.verify_audit().ok
    c = schema.ballot_counts
    agree = (c.c.ballot_id == sql_engine.ballot(iid).id) & (c.c.choice == "agree")
    tamper(
        sql_engine,
        lambda conn: conn.execute(
            sa.update(c).where(agree).values(count=3)
            if edit == "changed"
            else sa.delete(c).where(agree)
        ),
    )
    out = sql_engine.fire(iid, "close_ballot", "sec")  # the result now follows the edited rows ...
    assert out.instance.state == "rejected"
    problem = (
        sql_engine.verify_audit().problem
    )  # ... and the audit names them against the tellers' count
    assert problem is not None and problem.table == "collegium_ballot_counts"
    assert (problem.instance_id, problem.seq) == (
        iid,
        counted.seq,
    ) and "'agree': 9" in problem.reason


@pytest.mark.parametrize("edit", ["replaced", "deleted", "added"])
def test_edited_sealed_choices_are_detected_and_not_counted(
    sql_engine: Engine, clock: ManualClock, edit: str
) -> None:
    from collegium import AuditError
    from collegium.engine.sealing import SodiumSealer

    iid = meeting(sql_engine, clock, "secret_electronic")
    for person in ("m1", "m2", "m3"):
        sql_engine.fire(iid, "vote", person, {"choice": "oppose"})
    ballot = sql_engine.ballot(iid).id
    t = schema.sealed_votes
    forged = SodiumSealer().seal(
        TELLERS_KEY.public, "agree"
    )  # the key is public: anyone can seal a choice

    def edit_rows(conn: sa.Connection) -> None:
        first = conn.execute(sa.select(t.c.sealed).where(t.c.ballot_id == ballot)).scalars().first()
        if edit in ("replaced", "deleted"):
            conn.execute(sa.delete(t).where(t.c.sealed == first))
        if edit in ("replaced", "added"):
            conn.execute(sa.insert(t).values(ballot_id=ballot, sealed=forged))

    tamper(sql_engine, edit_rows)
    problem = sql_engine.verify_audit().problem
    assert problem is not None and problem.table == "collegium_sealed_votes"
    assert problem.row == f"ballot_id={ballot!r}" and "added, removed or replaced" in problem.reason
    with pytest.raises(AuditError, match="the store was changed; it is not counted"):
        count(sql_engine, iid)
    assert not sql_engine.ballot(iid).counted


def test_sealed_choices_left_after_the_count_are_detected(
    sql_engine: Engine, clock: ManualClock
) -> None:
    iid = secret_decided(sql_engine, clock, "secret_electronic")
    tamper(
        sql_engine,
        lambda conn: conn.execute(
            sa.insert(schema.sealed_votes).values(
                ballot_id=sql_engine.ballot(iid).id, sealed="a" * 108
            )
        ),
    )
    problem = sql_engine.verify_audit().problem
    assert problem is not None and problem.table == "collegium_sealed_votes"
    assert "remain after the ballot was counted" in problem.reason


@pytest.mark.parametrize("edit", ["later", "deleted"])
def test_a_silenced_deadline_is_detected(sql_engine: Engine, clock: ManualClock, edit: str) -> None:
    iid = decided(sql_engine, clock)
    sql_engine.fire(iid, "publish", "sec", {"audience": "public"})
    task = carry_out(sql_engine, iid)
    t = schema.timers
    review = (t.c.instance_id == task) & (t.c.lead_seconds == 0)
    tamper(
        sql_engine,
        lambda conn: conn.execute(
            sa.update(t).where(review).values(due_at="2099-12-31T10:00:00.000000Z")
            if edit == "later"
            else sa.delete(t).where(review)
        ),
    )
    problem = sql_engine.verify_audit().problem
    assert (
        problem is not None and problem.table == "collegium_timers" and problem.instance_id == task
    )
    assert problem.row == f"instance_id={task!r}, trigger='review', lead_seconds=0"
    assert problem.seq == 1  # the step that set the timer: the task's start
    assert ("2099-12-31" in problem.reason) if edit == "later" else ("is gone" in problem.reason)


def test_an_edited_role_is_detected(sql_engine: Engine) -> None:
    m = schema.members
    tamper(
        sql_engine,
        lambda conn: conn.execute(sa.update(m).where(m.c.person == "m4").values(role="secretary")),
    )
    problem = sql_engine.verify_audit().problem
    assert problem is not None and problem.body_id == "sc" and problem.table == "collegium_members"
    assert (
        problem.row == "body_id='sc', person='m4'" and "role, vote or name edited" in problem.reason
    )


def test_a_member_added_behind_the_engine_is_detected(sql_engine: Engine) -> None:
    tamper(
        sql_engine,
        lambda conn: conn.execute(
            sa.insert(schema.members).values(
                body_id="sc", person="intruder", position=99, role="standing_member", voting=True
            )
        ),
    )
    problem = sql_engine.verify_audit().problem
    assert (
        problem is not None
        and problem.row == "body_id='sc', person='intruder'"
        and "added" in problem.reason
    )


def test_bodies_are_chained_and_an_unchanged_definition_adds_nothing(sql_engine: Engine) -> None:
    body = sql_engine.body("sc")
    sql_engine.define_body(body)  # a worker defining its bodies again when it starts
    changed = Body(
        id="sc",
        kind="standing",
        members=(*body.members, Member(person="m10", role="standing_member")),
    )
    sql_engine.define_body(changed)
    events = list(sql_engine.store.body_events())
    assert [(e.body_id, e.seq) for e in events] == [("sc", 1), ("sc", 2)]
    assert events[1].prev_hash == events[0].hash and sql_engine.verify_audit().ok
    be = schema.body_events
    tamper(sql_engine, lambda conn: conn.execute(sa.delete(be).where(be.c.seq == 2)))
    problem = sql_engine.verify_audit().problem  # the rows now hold a definition no chain recorded
    assert problem is not None and problem.body_id == "sc" and "added" in problem.reason


@pytest.mark.parametrize("rehash", [False, True])
def test_an_edited_definition_text_is_detected(sql_engine: Engine, rehash: bool) -> None:
    iid = sql_engine.start(
        "major_decision",
        "sec",
        {
            "title": "County budget",
            "category": "major",
            "proposer": "sec",
            "lead_member": "m1",
            "body": "sc",
            "confidentiality": "public",
        },
    ).instance.id
    d = schema.definitions

    def edit(conn: sa.Connection) -> None:
        kind, key, text = conn.execute(
            sa.select(d.c.kind, d.c.key, d.c.text).where(d.c.kind == "pack")
        ).one()
        edited = text.replace('value: "1/2"', 'value: "1/3"', 1)  # a quorum of a third
        assert edited != text
        text = edited
        values: dict[str, str] = {"text": text}
        if rehash:  # and its SHA-256 too: then the chain's record of the text gives it away
            import hashlib

            values["sha256"] = hashlib.sha256(text.encode()).hexdigest()
        conn.execute(sa.update(d).where(d.c.kind == kind, d.c.key == key).values(**values))

    tamper(sql_engine, edit)
    problem = sql_engine.verify_audit().problem
    assert problem is not None and problem.table == "collegium_definitions"
    assert (problem.row or "").startswith("kind='pack'")
    if rehash:
        assert problem.instance_id == iid and "not the stored one" in problem.reason
    else:
        assert "does not match its SHA-256" in problem.reason


REFUSING = (
    PACK
    + """
  - id: R-NEVER
    title: {en: Never lapses, zh-CN: 从不逾期}
    citation: test
    guards: [{procedure: notice, triggers: [lapse]}]
    check: {kind: expression, expr: "body == 'nobody'"}
"""
)


def test_a_refused_timer_is_recorded_so_its_missing_row_is_not_taken_for_tampering(
    db_url: str,
) -> None:
    engine = make(db_url, pack=REFUSING)
    clock = engine.clock
    assert isinstance(clock, ManualClock)
    iid = engine.start(
        "notice", "chair", {"body": "b", "deadline": "2026-01-03T09:00Z"}
    ).instance.id
    clock.advance(dt.timedelta(days=3))
    runs = engine.run_due()
    assert [type(r.error) for r in runs] == [RuleViolation]
    last = engine.history(iid)[-1]
    assert (last.trigger, last.actor, last.data["timer"]) == ("@refused", "@system", "lapse")
    assert last.verdict[-1][:2] == ["R-NEVER", False] and engine.get(iid).state == "open"
    assert engine.verify_audit().ok  # the timer row is gone, and its refusal says why
    assert engine.run_due() == []
    replayed = rejudge(
        engine.store, REFUSING, registry=engine.registry
    )  # the refusal replays as recorded
    assert replayed.diverged == {} and replayed.changed == () and replayed.steps == 1
    engine.close()


def test_rows_added_behind_the_engine_are_detected(sql_engine: Engine, clock: ManualClock) -> None:
    """A vote, a returned ballot, totals, a timer, a body: each row the engine did not write is
    named."""
    iid = meeting(sql_engine, clock, "secret_electronic")
    ballot = sql_engine.ballot(iid).id
    assert sql_engine.verify_audit().ok
    added: list[tuple[sa.Table, dict[str, Any], str]] = [
        (
            schema.votes,
            {"ballot_id": ballot, "voter": "m4", "choice": "agree"},
            "a vote no event recorded",
        ),
        (
            schema.ballot_voters,
            {"ballot_id": ballot, "voter": "m4"},
            "a secret ballot returned that no vote",
        ),
        (
            schema.ballot_counts,
            {"ballot_id": ballot, "choice": "agree", "count": 9},
            "totals that no count",
        ),
        (
            schema.timers,
            {
                "instance_id": iid,
                "trigger": "review",
                "lead_seconds": 0,
                "state": "in_meeting",
                "due_at": "2026-12-31T10:00:00.000000Z",
                "entered_seq": 1,
            },
            "a timer no step set",
        ),
        (schema.bodies, {"id": "shadow", "kind": "standing"}, "has no recorded definition"),
    ]
    for table, row, reason in added:
        tamper(sql_engine, lambda conn, t=table, r=row: conn.execute(sa.insert(t).values(**r)))
        problem = sql_engine.verify_audit().problem
        assert problem is not None and problem.table == table.name and reason in problem.reason, (
            problem
        )
        # a row of no chain is named by its table and row, never as "instance None"
        assert "None" not in str(problem) and "None" not in problem.message("zh-CN"), problem
        tamper(
            sql_engine,
            lambda conn, t=table, r=row: conn.execute(
                sa.delete(t).where(*(t.c[k] == v for k, v in r.items()))
            ),
        )
        assert sql_engine.verify_audit().ok


def test_a_member_removed_behind_the_engine_is_detected(sql_engine: Engine) -> None:
    m = schema.members
    tamper(sql_engine, lambda conn: conn.execute(sa.delete(m).where(m.c.person == "m9")))
    problem = sql_engine.verify_audit().problem
    assert (
        problem is not None
        and problem.row == "body_id='sc', person='m9'"
        and "removed" in problem.reason
    )

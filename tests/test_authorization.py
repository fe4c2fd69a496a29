"""Authorization: every step names the roles that may take it; the actor is judged against the body
(and, once a meeting opens, against its frozen seats); a stranger, a member acting for another, a
role escalation or the engine's own actor are refused with the rule id, and nothing is written.
Secret ballots stay untraceable on every backend."""

from __future__ import annotations

import datetime as dt

import pytest
import sqlalchemy as sa

from collegium import Body, Engine, InvalidInput, ManualClock, Member, Registry, RuleViolation
from tests.conftest import (
    consult_all,
    count,
    standing_committee,
    state_views,
    to_deliberation,
    to_meeting,
)
from tests.test_assignment import TASK, adopted, failed, task
from tests.test_ballot import CHOICES, PAPER, meeting


def snapshot(engine: Engine, iid: str) -> tuple[str, int, int, dict[str, object]]:
    inst = engine.get(iid)
    return inst.state, inst.version, len(engine.history(iid)), dict(inst.facts)


def refused_by(
    engine: Engine, iid: str, trigger: str, actor: str, data: dict[str, object] | None = None
) -> list[str]:
    before = snapshot(engine, iid)
    with pytest.raises(RuleViolation) as exc:
        engine.fire(iid, trigger, actor, data)
    assert snapshot(engine, iid) == before  # a refusal writes nothing
    return failed(exc)


def test_every_step_of_every_built_in_procedure_names_the_roles_that_may_take_it() -> None:
    registry = Registry.builtin()
    steps = 0
    for spec in registry.procedures():
        proc = registry.compiled(spec.id, spec.version)
        for t in spec.transitions:
            for source in t.source:
                plan = proc.plan(source, t.trigger)
                assert plan is not None and plan.roles, (spec.id, t.trigger)
                assert any(
                    r.spec.check.kind == "role" and r.severity == "block" for r in plan.rules
                ), (spec.id, t.trigger)  # and a rule judges it
                steps += 1
        start = proc.start_plan
        assert start.roles and any(r.spec.check.kind == "role" for r in start.rules), spec.id
    assert steps > 60


@pytest.mark.parametrize(
    ("trigger", "data"),
    [
        ("prepare", None),
        ("start_deliberation", {"preparation": "done"}),
    ],
)
def test_a_person_outside_the_body_takes_no_step(
    engine: Engine, trigger: str, data: dict[str, object] | None
) -> None:
    iid = engine.start(
        "major_decision",
        "sec",
        {
            "title": "Roads",
            "category": "major",
            "proposer": "sec",
            "lead_member": "m1",
            "body": "sc",
            "confidentiality": "public",
        },
    ).instance.id
    if trigger != "prepare":
        engine.fire(iid, "prepare", "m1")
    assert refused_by(engine, iid, trigger, "stranger", data) == ["R-ROLE"]
    [rule] = engine.check(iid, trigger, "stranger", data).failures  # it says who, in both languages
    assert "stranger" in rule.message("en") and "stranger" in rule.message("zh-CN")


def test_a_stranger_cannot_start_a_matter_and_nothing_is_written(engine: Engine) -> None:
    with pytest.raises(RuleViolation) as exc:
        engine.start(
            "major_decision",
            "stranger",
            {
                "title": "Roads",
                "category": "major",
                "proposer": "stranger",
                "lead_member": "m1",
                "body": "sc",
                "confidentiality": "public",
            },
        )
    assert "R-ROLE" in failed(exc) and engine.instances() == []


def test_a_role_escalation_is_refused_at_every_secretary_step(
    engine: Engine, clock: ManualClock
) -> None:
    iid = to_deliberation(engine)
    consult_all(engine, iid)
    # a standing member may not schedule the meeting, open it, or close its ballot
    at = {"meeting_at": (clock.now() + dt.timedelta(days=2)).isoformat()}
    assert refused_by(engine, iid, "schedule", "m3", at) == ["R-ROLE"]
    engine.fire(iid, "schedule", "sec", at)
    clock.advance(dt.timedelta(days=2))
    attendance = {"attendance": dict.fromkeys(CHOICES, "present")}
    assert refused_by(engine, iid, "open_meeting", "m3", attendance) == ["R-ROLE"]
    engine.fire(iid, "open_meeting", "sec", attendance)
    state_views(engine, iid)
    for person in ["sec", "dep", "m1", "m2", "m3", "m4"]:
        engine.fire(iid, "vote", person, {"choice": "agree"})
    assert refused_by(engine, iid, "close_ballot", "dep") == [
        "R-ROLE"
    ]  # the deputy does not close it either


def test_roles_are_read_from_the_seats_frozen_when_the_meeting_opened(
    engine: Engine, clock: ManualClock
) -> None:
    iid = to_meeting(engine, clock)
    state_views(engine, iid)
    for person in ["sec", "dep", "m1", "m2", "m3", "m4"]:
        engine.fire(iid, "vote", person, {"choice": "agree"})
    # after the meeting opened, m1 is made secretary and sec a plain member: the sitting keeps its
    # seats
    members = [
        Member(person="m1", role="secretary"),
        Member(person="sec", role="standing_member"),
        *(m for m in standing_committee().members if m.person not in ("m1", "sec")),
    ]
    engine.define_body(Body(id="sc", kind="standing", members=tuple(members)))
    assert refused_by(engine, iid, "close_ballot", "m1") == ["R-ROLE"]
    engine.define_body(
        Body(id="sc", kind="standing", members=(*members, Member(person="new", role="secretary")))
    )
    assert "R-VOTER" in refused_by(
        engine, iid, "vote", "new", {"choice": "agree"}
    )  # no seat, no vote
    assert engine.fire(iid, "close_ballot", "sec").instance.state == "adopted"


def test_a_member_does_not_act_for_another(engine: Engine, clock: ManualClock) -> None:
    decision = adopted(engine, clock)
    tid = task(engine, decision)  # led by m2
    engine.fire(
        tid,
        "set_target",
        "m2",
        {"metric": "roads", "unit": "km", "baseline": 0, "target": 40, "target_kind": "business"},
    )
    engine.fire(tid, "start_work", "m2")
    assert refused_by(engine, tid, "report", "m3", {"metric": "roads", "value": 10}) == [
        "R-TASK-REPORTER"
    ]
    # the actor is who the caller names, never a field of the data; the engine's own actor is not
    # lent out
    before = snapshot(engine, tid)
    with pytest.raises(InvalidInput, match="does not take 'actor'"):
        engine.fire(tid, "report", "m3", {"actor": "m2", "metric": "roads", "value": 10})
    with pytest.raises(InvalidInput, match="reserved for the engine"):
        engine.fire(tid, "review", "@system")
    assert snapshot(engine, tid) == before
    assert engine.get(tid).facts["lead_member"] == TASK["lead_member"] == "m2"


@pytest.mark.parametrize("method", ["secret", "secret_electronic"])
def test_a_secret_ballot_stays_untraceable_on_every_backend(
    sql_engine: Engine, clock: ManualClock, db_url: str, method: str
) -> None:
    iid = meeting(sql_engine, clock, method)
    count(sql_engine, iid, PAPER if method == "secret" else None)
    sql_engine.fire(iid, "close_ballot", "sec")
    assert sql_engine.ballot(iid).choices == {}
    words = ("agree", "oppose", "abstain")
    db = sa.create_engine(db_url)
    try:
        with db.connect() as conn:
            for name in sa.inspect(conn).get_table_names():
                table = sa.Table(name, sa.MetaData(), autoload_with=conn)
                for row in conn.execute(sa.select(table)).mappings():
                    cells = {k: str(v) for k, v in row.items()}
                    text = " ".join(cells.values())
                    if name in ("collegium_votes", "collegium_sealed_votes"):
                        pytest.fail(f"a closed secret ballot left a row in {name}: {cells}")
                    if name == "collegium_events" and cells["trigger"] == "vote":
                        assert not any(w in text for w in words) and cells["data"] == "{}", cells
                    if name == "collegium_ballot_voters":
                        assert set(cells) == {"ballot_id", "voter"}
                    if name == "collegium_ballot_counts":
                        assert set(cells) == {"ballot_id", "choice", "count"}
            if db.dialect.name == "postgresql":
                # no total carries the transaction id of a vote: the tellers' count wrote them all,
                # once
                totals = conn.execute(
                    sa.text("SELECT DISTINCT xmin::text FROM collegium_ballot_counts")
                ).all()
                voters = {
                    r[0]
                    for r in conn.execute(sa.text("SELECT xmin::text FROM collegium_ballot_voters"))
                }
                assert len(totals) == 1 and totals[0][0] not in voters
    finally:
        db.dispose()

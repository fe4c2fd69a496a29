"""The names the engine keeps for itself are refused in every form a person could take for them
(NFKC normalisation and case folding): its actor ``@system`` (and any actor starting with '@'),
its roles ``system`` and ``teller``, and the ``timer:`` prefix of its timers' idempotency keys.
Ordinary ids stay exact (tests/test_identities.py)."""

from __future__ import annotations

import datetime as dt

import pytest
import sqlalchemy as sa

from collegium import Body, Engine, InvalidInput, ManualClock, Member
from collegium.store import schema
from tests.conftest import START, propose, standing_committee
from tests.test_assignment import adopted, task
from tests.test_authorization import refused_by


def test_a_timer_key_in_any_case_or_width_is_refused_and_the_deadline_review_opens_a_case(
    sql_engine: Engine, clock: ManualClock
) -> None:
    engine = sql_engine
    tid = task(engine, adopted(engine, clock), deadline="2026-06-30T18:00+08:00")
    engine.fire(
        tid,
        "set_target",
        "m2",
        {"metric": "roads", "unit": "km", "baseline": 0, "target": 40, "target_kind": "business"},
    )
    engine.fire(tid, "start_work", "m2")
    # the key the deadline review fires with: the timer of this entry into 'in_progress'
    timer = f"timer:in_progress:review:{len(engine.history(tid))}"
    report = {"metric": "roads", "value": 1}
    for prefix in ("TIMER:", "Timer:", "ｔｉｍｅｒ:", "ＴＩＭＥＲ：", "timer:"):
        key = prefix + timer.removeprefix("timer:")
        with pytest.raises(InvalidInput, match="reserved for the engine's timers"):
            engine.fire(tid, "report", "m2", report, idempotency_key=key)
    engine.fire(tid, "report", "m2", report, idempotency_key="timers are not reserved")
    clock.set(dt.datetime(2026, 7, 1, 9, 0, tzinfo=START.tzinfo))
    engine.run_due()
    review = [e for e in engine.history(tid) if e.trigger == "review"]
    assert [(e.actor, e.idempotency_key) for e in review] == [("@system", timer)]
    assert engine.get(tid).state == "overdue"
    assert len(engine.find("accountability", task=tid)) == 1


@pytest.mark.parametrize(
    "role",
    ["system", "System", "SYSTEM", "ｓｙｓｔｅｍ", "ſystem", "teller", "Teller", "ｔｅｌｌｅｒ"],
)
def test_the_engine_role_is_refused_at_define_body_in_any_case(
    sql_engine: Engine, role: str
) -> None:
    with pytest.raises(InvalidInput, match="reserved for the engine"):
        sql_engine.define_body(
            Body(
                id="sc",
                kind="standing",
                members=(*standing_committee().members, Member(person="clerk", role=role)),
            )
        )
    assert sql_engine.body("sc") == standing_committee()  # nothing written


@pytest.mark.parametrize("actor", ["@system", "＠system", "﹫system", "@anyone", "＠ｓｙｓｔｅｍ"])
def test_an_engine_actor_in_any_form_is_refused_as_actor_and_as_member(
    engine: Engine, actor: str
) -> None:
    iid = propose(engine)
    with pytest.raises(InvalidInput, match="reserved for the engine"):
        engine.fire(iid, "prepare", actor)
    with pytest.raises(InvalidInput, match="starts the engine's own actors"):
        Member(person=actor, role="standing_member")
    assert engine.get(iid).version == 1


def test_a_member_stored_with_the_engine_role_before_it_was_reserved_holds_no_role(
    sql_engine: Engine, clock: ManualClock, db_url: str
) -> None:
    engine = sql_engine
    tid = task(engine, adopted(engine, clock))
    db = sa.create_engine(db_url)  # as a database written before the role was reserved may hold
    try:
        with db.begin() as conn:
            conn.execute(
                sa.insert(schema.members).values(
                    body_id="sc",
                    person="clerk",
                    position=99,
                    role="system",
                    voting=False,
                    name=None,
                )
            )
    finally:
        db.dispose()
    assert engine.body("sc").member("clerk") is not None
    assert "R-ROLE" in refused_by(engine, tid, "review", "clerk")  # the deadline review, early

"""P3 — responsibility assignment: an adopted decision is decomposed into tasks, each with one lead
member, responsible departments, measurable targets and a deadline; progress derives from the
targets, and the engine reviews every task at its deadline."""

from __future__ import annotations

import datetime as dt

import pytest

from collegium import Engine, InvalidInput, ManualClock, RuleViolation
from tests.conftest import state_views, to_meeting

TASK = {
    "title": "Build 40 km of rural roads",
    "lead_member": "m2",
    "departments": ["transport bureau"],
    "deadline": "2026-12-31T18:00+08:00",
}


def adopted(engine: Engine, clock: ManualClock) -> str:
    iid = to_meeting(engine, clock)
    state_views(engine, iid)
    for person in ["sec", "dep", "m1", "m2", "m3", "m4"]:
        engine.fire(iid, "vote", person, {"choice": "agree"})
    engine.fire(iid, "close_ballot", "sec")
    engine.fire(iid, "publish", "sec", {"audience": "public"})
    engine.fire(iid, "hand_over", "sec")
    return iid


def task(engine: Engine, decision: str, **overrides: object) -> str:
    out = engine.fire(decision, "assign", "sec", {**TASK, **overrides})
    return out.started[0]


def failed(exc: pytest.ExceptionInfo[RuleViolation]) -> list[str]:
    return [r.rule_id for r in exc.value.verdict.failures]


def test_a_decision_is_carried_out_only_once_it_has_a_task_with_a_lead_member(
    engine: Engine, clock: ManualClock
) -> None:
    decision = adopted(engine, clock)
    with pytest.raises(RuleViolation) as refused:
        engine.fire(decision, "start_execution", "sec")
    assert failed(refused) == ["R-DECISION-TASKS"]
    with pytest.raises(
        RuleViolation
    ) as refused:  # the child's own rules judge it: nothing is written
        engine.fire(
            decision, "assign", "sec", {k: v for k, v in TASK.items() if k != "lead_member"}
        )
    assert "R-TASK-FIELDS" in failed(refused)
    assert (
        engine.get(decision).facts.get("children") is None
        and len(engine.instances("assignment")) == 0
    )
    with pytest.raises(RuleViolation) as refused:
        engine.fire(decision, "assign", "sec", {**TASK, "lead_member": "someone-else"})
    assert failed(refused) == ["R-TASK-LEAD"]
    with pytest.raises(RuleViolation) as refused:
        engine.fire(decision, "assign", "sec", {**TASK, "deadline": "2026-01-01T00:00+08:00"})
    assert failed(refused) == ["R-TASK-DEADLINE"]
    tid = task(engine, decision)
    child = engine.get(tid)
    assert (child.procedure, child.state, child.parent_id) == ("assignment", "drafting", decision)
    assert {k: child.facts[k] for k in ("decision", "lead_member", "departments", "body")} == {
        "decision": decision,
        "lead_member": "m2",
        "departments": ["transport bureau"],
        "body": "sc",
    }
    assert (
        "deadline" not in engine.get(decision).facts
    )  # handed to the task, not kept on the decision
    assert engine.fire(decision, "start_execution", "sec").instance.state == "executing"


def test_the_dry_run_judges_the_task_a_step_would_start_as_fire_does(
    engine: Engine, clock: ManualClock
) -> None:
    """Found by the stateful test: ``check`` passed an assignment whose task ``fire`` then refused
    (its deadline had passed), so the dry run said yes to a step that was refused. It now judges the
    children too, drawing no id."""
    decision = adopted(engine, clock)
    for bad, rule in (
        ({"deadline": "2026-01-01T00:00+08:00"}, "R-TASK-DEADLINE"),
        ({"lead_member": "someone-else"}, "R-TASK-LEAD"),
    ):
        verdict = engine.check(decision, "assign", "sec", {**TASK, **bad})
        with pytest.raises(RuleViolation) as refused:
            engine.fire(decision, "assign", "sec", {**TASK, **bad})
        assert not verdict.passed and [r.rule_id for r in verdict.failures] == failed(refused) == [
            rule
        ]
    drawn = int(engine.ids.new_id("probe").rsplit("-", 1)[1])
    events = len(engine.history(decision))
    assert engine.check(decision, "assign", "sec", TASK).passed
    assert len(engine.history(decision)) == events  # a dry run writes nothing and draws no id:
    assert task(engine, decision) == f"assignment-{drawn + 1}"


def test_targets_are_measurable_and_progress_derives_from_them(
    engine: Engine, clock: ManualClock
) -> None:
    tid = task(engine, adopted(engine, clock))
    with pytest.raises(RuleViolation) as refused:
        engine.fire(tid, "start_work", "m2")
    assert failed(refused) == ["R-TASK-TARGET"]
    engine.fire(
        tid,
        "set_target",
        "m2",
        {"metric": "roads", "unit": "km", "baseline": 0, "target": 40, "target_kind": "business"},
    )
    engine.fire(
        tid,
        "set_target",
        "m2",
        {
            "metric": "complaints",
            "unit": "per month",
            "baseline": "120",
            "target": "60.0",
            "target_kind": "public",
        },
    )
    targets = engine.get(tid).facts["targets"]
    assert targets["complaints"] == {
        "unit": "per month",
        "baseline": "120",
        "target": "60",
        "kind": "public",
    }
    engine.fire(tid, "start_work", "m2")
    with pytest.raises(RuleViolation) as refused:
        engine.fire(tid, "report", "m3", {"metric": "roads", "value": 10})
    assert failed(refused) == ["R-TASK-REPORTER"]
    with pytest.raises(InvalidInput, match="no target 'bridges'"):
        engine.fire(tid, "report", "m2", {"metric": "bridges", "value": 1})
    with pytest.raises(InvalidInput, match="value must be a decimal number"):
        engine.fire(tid, "report", "m2", {"metric": "roads", "value": "ten"})
    engine.fire(tid, "report", "m2", {"metric": "roads", "value": 10, "note": "first section open"})
    engine.fire(tid, "report", "m2", {"metric": "complaints", "value": "105"})
    # roads 10 of 40 = 25 %, complaints 120 -> 105 of the way to 60 = 25 %: progress 25 %
    assert (
        engine.check(tid, "complete", "m2").failures[0].message("en")
        == "the targets are 25% reached"
    )
    engine.fire(
        tid,
        "promote",
        "m2",
        {
            "note": "special promotion meeting on land acquisition",
            "held_at": "2026-05-06T09:00+08:00",
            "members": ["m2", "m5"],
        },
    )
    engine.fire(
        tid, "coordinate", "m2", {"note": "budget shared with agriculture", "members": ["m2", "m4"]}
    )
    log = engine.get(tid).facts["log"]
    assert [e["note"] for e in log["promotion_meetings"]] == [
        "special promotion meeting on land acquisition"
    ]
    assert log["coordination"][0]["members"] == ["m2", "m4"]
    engine.fire(tid, "report", "m2", {"metric": "roads", "value": 41})
    engine.fire(tid, "report", "m2", {"metric": "complaints", "value": 58})
    assert engine.fire(tid, "complete", "m2").instance.state == "completed"


def test_the_engine_reviews_a_task_at_its_deadline_once(engine: Engine, clock: ManualClock) -> None:
    decision = adopted(engine, clock)
    met_id = task(engine, decision, title="met", deadline="2026-06-30T18:00+08:00")
    missed_id = task(engine, decision, title="missed", deadline="2026-06-30T18:00+08:00")
    idle_id = task(engine, decision, title="never started", deadline="2026-06-30T18:00+08:00")
    for tid in (met_id, missed_id):
        engine.fire(
            tid,
            "set_target",
            "m2",
            {
                "metric": "roads",
                "unit": "km",
                "baseline": 0,
                "target": 40,
                "target_kind": "business",
            },
        )
        engine.fire(tid, "start_work", "m2")
    engine.fire(met_id, "report", "m2", {"metric": "roads", "value": 40})
    engine.fire(missed_id, "report", "m2", {"metric": "roads", "value": 39.5})
    clock.set(dt.datetime(2026, 6, 30, 17, 59, tzinfo=dt.timezone(dt.timedelta(hours=8))))
    # a minute before the deadline: only each task's reminders, a week and a day ahead, have fallen
    # due
    assert sorted(
        (r.timer.instance_id, r.timer.name, r.outcome.instance.state)
        for r in engine.run_due()
        if r.outcome
    ) == sorted(
        (tid, f"review -{lead}", "in_progress" if tid != idle_id else "drafting")
        for tid in (met_id, missed_id, idle_id)
        for lead in ("P7D", "P1D")
    )
    clock.advance(dt.timedelta(days=200))
    runs = engine.run_due()
    assert sorted((r.timer.instance_id, r.timer.trigger) for r in runs if r.outcome) == sorted(
        (tid, "review") for tid in (met_id, missed_id, idle_id)
    )
    assert [engine.get(t).state for t in (met_id, missed_id, idle_id)] == [
        "completed",
        "overdue",
        "overdue",
    ]
    assert engine.run_due() == []  # a second sweep changes nothing
    review = engine.history(missed_id)[-1]
    assert (review.actor, review.at) == ("@system", "2026-06-30T10:00:00.000000Z")
    engine.fire(
        missed_id, "report", "m2", {"metric": "roads", "value": 39.8}
    )  # late progress: still overdue
    assert engine.get(missed_id).state == "overdue"
    clock.advance(dt.timedelta(days=30))
    assert engine.run_due() == []  # and reviewed once: no second case
    assert len(engine.find("accountability", task=missed_id)) == 1
    engine.fire(missed_id, "report", "m2", {"metric": "roads", "value": 40})
    assert engine.fire(missed_id, "complete", "m2").instance.state == "completed"
    assert engine.fire(idle_id, "close_missed", "sec").instance.state == "missed"
    assert engine.verify_audit().ok


def test_a_reported_target_is_not_replaced(engine: Engine, clock: ManualClock) -> None:
    tid = task(engine, adopted(engine, clock))
    target = {
        "metric": "roads",
        "unit": "km",
        "baseline": 0,
        "target": 40,
        "target_kind": "business",
    }
    engine.fire(tid, "set_target", "m2", target)
    engine.fire(tid, "set_target", "m2", {**target, "target": 45})  # still drafting: replaced
    assert engine.get(tid).facts["targets"]["roads"]["target"] == "45"
    with pytest.raises(InvalidInput, match="target_kind 'private' is not one of: business, public"):
        engine.fire(tid, "set_target", "m2", {**target, "target_kind": "private"})
    with pytest.raises(InvalidInput, match="needs 'unit'"):
        engine.fire(tid, "set_target", "m2", {k: v for k, v in target.items() if k != "unit"})


def test_a_progress_report_keeps_the_deadline_review_on_every_backend(
    sql_engine: Engine, clock: ManualClock
) -> None:
    tid = task(sql_engine, adopted(sql_engine, clock), deadline="2026-06-30T18:00+08:00")
    sql_engine.fire(
        tid,
        "set_target",
        "m2",
        {
            "metric": "roads",
            "unit": "km",
            "baseline": "0",
            "target": "40",
            "target_kind": "business",
        },
    )
    sql_engine.fire(tid, "start_work", "m2")
    sql_engine.fire(tid, "report", "m2", {"metric": "roads", "value": "12.5"})  # stays in progress
    # the facts index answers on every backend (times compare as their canonical text)
    assert [
        i.id
        for i in sql_engine.find(
            "assignment", ("in_progress",), lead_member="m2", departments="transport bureau"
        )
    ] == [tid]
    assert sql_engine.find("assignment", lead_member="m3") == []
    assert [
        i.id
        for i in sql_engine.find("assignment", before=("deadline", "2026-06-30T10:00:00.000001Z"))
    ] == [tid]
    assert sql_engine.find("assignment", before=("deadline", "2026-06-30T10:00:00.000000Z")) == []
    clock.advance(dt.timedelta(days=200))
    assert [
        (r.timer.name, r.outcome.instance.state) for r in sql_engine.run_due() if r.outcome
    ] == [("review -P7D", "in_progress"), ("review -P1D", "in_progress"), ("review", "overdue")]
    assert sql_engine.run_due() == [] and sql_engine.verify_audit().ok


def test_the_facts_index_compares_exactly_on_every_backend(
    sql_engine: Engine, clock: ManualClock
) -> None:
    decision = adopted(sql_engine, clock)
    tid = task(sql_engine, decision, departments=["Finance", "finance", "finance "])
    assert [i.id for i in sql_engine.find("assignment", departments="finance")] == [tid]
    assert (
        sql_engine.find("assignment", lead_member="M2") == []
        and sql_engine.find("assignment", lead_member="m2 ") == []
    )
    with pytest.raises(
        InvalidInput, match="assignment indexes decision, lead_member, departments, deadline"
    ):
        sql_engine.find("assignment", title="Build 40 km of rural roads")


def test_a_task_belongs_to_a_decision_being_assigned(engine: Engine, clock: ManualClock) -> None:
    with pytest.raises(
        RuleViolation
    ) as refused:  # started directly, for a decision that does not exist
        engine.start("assignment", "sec", {**TASK, "decision": "no-such-decision", "body": "sc"})
    assert failed(refused) == ["R-TASK-DECISION"]
    decision = adopted(engine, clock)
    engine.start("assignment", "sec", {**TASK, "decision": decision, "body": "sc"})
    task(engine, decision)
    engine.fire(decision, "start_execution", "sec")
    with pytest.raises(RuleViolation) as refused:  # no more tasks once it is carried out
        engine.start("assignment", "sec", {**TASK, "decision": decision, "body": "sc"})
    assert failed(refused) == ["R-TASK-DECISION"]
    with pytest.raises(
        InvalidInput, match="does not take 'dissent'"
    ):  # dissent comes from the vote's record only
        engine.start(
            "accountability",
            "sec",
            {
                "finding_kind": "failed_decision",
                "decision": decision,
                "lead_member": "m2",
                "body": "sc",
                "dissent": ["m2"],
            },
        )

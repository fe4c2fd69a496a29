"""P4 — supervision and accountability: findings open exactly one case each, whether the engine's
sweep runs once or every day; a case goes through inquiry, finding, measures of the forms the
regulation lists, their one-month execution deadline, rectification and closure, and shows the
dissent recorded at the original vote."""

from __future__ import annotations

import datetime as dt

import pytest

from collegium import Engine, ManualClock, RuleViolation, SequentialIds
from tests.conftest import START, standing_committee, state_views, sweep_to, to_meeting

CST = dt.timezone(dt.timedelta(hours=8))


def decision_with_tasks(
    engine: Engine, clock: ManualClock, deadlines: list[str], *, start: bool = True
) -> list[str]:
    """A decision adopted 7 to 4 (m5..m8 oppose, recorded as dissent) with one started task per
    deadline."""
    iid = to_meeting(engine, clock)
    state_views(engine, iid)
    for person in ["sec", "dep", "m1", "m2", "m3", "m4", "m9", "m5", "m6", "m7", "m8"]:
        engine.fire(
            iid,
            "vote",
            person,
            {"choice": "oppose" if person in ("m5", "m6", "m7", "m8") else "agree"},
        )
    engine.fire(iid, "close_ballot", "sec")
    engine.fire(iid, "publish", "sec", {"audience": "public"})
    engine.fire(iid, "hand_over", "sec")
    tasks = []
    for i, deadline in enumerate(deadlines):
        tid = engine.fire(
            iid,
            "assign",
            "sec",
            {
                "title": f"task {i}",
                "lead_member": "m2",
                "departments": ["transport bureau"],
                "deadline": deadline,
            },
        ).started[0]
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
        tasks.append(tid)
    if start:
        engine.fire(iid, "start_execution", "sec")
    return tasks


def cases(engine: Engine) -> list[tuple[str, str | None, str]]:
    """The cases on tasks (a decision carried out also owes briefings: see test_cadences)."""
    return sorted(
        (c.facts["task"], c.facts.get("finding_kind"), c.state)
        for c in engine.instances("accountability")
        if c.facts.get("task")
    )


def test_a_missed_deadline_opens_one_case_whether_the_sweep_runs_once_or_daily() -> None:
    deadlines = ["2026-06-30T18:00+08:00", "2026-09-30T18:00+08:00", "2026-12-31T18:00+08:00"]
    outcomes = []
    for daily in (False, True):
        clock = ManualClock(START)
        engine = Engine.in_memory(clock=clock, ids=SequentialIds())
        engine.define_body(standing_committee())
        tasks = decision_with_tasks(engine, clock, deadlines)
        engine.fire(
            tasks[1], "report", "m2", {"metric": "roads", "value": 40}
        )  # reached before its deadline
        end = dt.datetime(2026, 12, 31, 23, 0, tzinfo=CST)
        sweep_to(engine, clock, end, daily=daily)
        engine.run_due()  # a second sweep opens nothing more
        assert [task for task, _kind, _state in cases(engine)] == [tasks[0], tasks[2]]
        briefed = [c.facts["finding_kind"] for c in engine.instances("accountability")]
        assert briefed.count("missed_briefing") == 1  # never briefed on: one case, in June
        outcomes.append(
            (
                cases(engine),
                [engine.get(t).state for t in tasks],
                [
                    [(e.trigger, e.at) for e in engine.history(c.id)]
                    for c in engine.instances("accountability")
                ],
            )
        )
        assert engine.verify_audit().ok
    assert outcomes[0] == outcomes[1]
    assert [(kind, state) for _task, kind, state in outcomes[0][0]] == [
        ("overdue_task", "inquiry")
    ] * 2
    assert outcomes[0][1] == ["overdue", "completed", "overdue"]


def test_a_case_runs_from_inquiry_to_closure_and_shows_the_recorded_dissent(
    engine: Engine, clock: ManualClock
) -> None:
    [tid] = decision_with_tasks(engine, clock, ["2026-06-30T18:00+08:00"])
    clock.set(dt.datetime(2026, 7, 1, 9, tzinfo=CST))
    *reminders, run = [r for r in engine.run_due() if r.timer.instance_id == tid]
    assert [r.timer.name for r in reminders] == [
        "review -P7D",
        "review -P1D",
    ]  # a week and a day ahead
    assert run.outcome is not None and run.outcome.instance.state == "overdue"
    [cid] = run.outcome.started
    case = engine.get(cid)
    assert case.facts["dissent"] == [
        "m5",
        "m6",
        "m7",
        "m8",
    ]  # R-DISSENT: it stays with the decision
    assert (case.facts["task"], case.facts["lead_member"], case.parent_id) == (tid, "m2", tid)
    engine.fire(cid, "question", "dep", {"note": "why were the targets missed?", "members": ["m2"]})
    with pytest.raises(RuleViolation, match="R-CASE-FINDING"):
        engine.fire(cid, "find", "dep")
    engine.fire(cid, "find", "dep", {"finding": "land acquisition started four months late"})
    for measures in (
        {"personal_measures": []},
        {"personal_measures": ["fine"]},
        {"org_measures": ["admonishment"]},
    ):
        with pytest.raises(RuleViolation, match="R-ACCT-FORMS"):
            engine.fire(cid, "decide_measures", "sec", measures)
    engine.fire(
        cid,
        "decide_measures",
        "sec",
        {
            "personal_measures": ["admonishment", "organisational_adjustment"],
            "org_measures": ["notice"],
        },
    )
    clock.advance(dt.timedelta(days=29))
    assert engine.run_due() == []
    clock.advance(dt.timedelta(days=2))
    [lapse] = engine.run_due()
    assert lapse.outcome is not None and lapse.outcome.instance.state == "execution_overdue"
    out = engine.fire(cid, "execute", "sec")  # carried out late: allowed, and the warning says so
    assert [w.rule_id for w in out.verdict.warnings] == ["R-ACCT-EXEC"]
    with pytest.raises(RuleViolation, match="R-CASE-RECTIFIED"):
        engine.fire(cid, "close", "sec")
    engine.fire(cid, "publish_measures", "sec", {"disclosure": "public"})  # R-ACCT-PUBLISHED
    closed = engine.fire(
        cid, "close", "sec", {"rectification": "acquisition finished; roads open by March"}
    )
    assert closed.instance.state == "closed"
    assert engine.verify_audit().ok


def test_measures_without_an_adjustment_have_no_one_month_deadline(
    engine: Engine, clock: ManualClock
) -> None:
    [tid] = decision_with_tasks(engine, clock, ["2026-06-30T18:00+08:00"])
    clock.set(dt.datetime(2026, 7, 1, 9, tzinfo=CST))
    # the last of the results: it comes after the task's two reminders
    [cid] = engine.run_due()[-1].outcome.started  # type: ignore[union-attr]
    engine.fire(cid, "find", "dep", {"finding": "late reporting"})
    engine.fire(cid, "decide_measures", "sec", {"personal_measures": ["notice"]})
    clock.advance(dt.timedelta(days=40))
    [lapse] = engine.run_due()
    assert lapse.outcome is not None and lapse.outcome.instance.state == "measures_decided"
    assert engine.fire(cid, "execute", "sec").verdict.warnings == ()
    assert engine.get(tid).state == "overdue"


def test_an_inquiry_may_find_no_responsibility(engine: Engine, clock: ManualClock) -> None:
    decision_with_tasks(engine, clock, ["2026-06-30T18:00+08:00"])
    clock.set(dt.datetime(2026, 7, 1, 9, tzinfo=CST))
    # the last of the results: it comes after the task's two reminders
    [cid] = engine.run_due()[-1].outcome.started  # type: ignore[union-attr]
    assert (
        engine.fire(cid, "dismiss", "sec", {"finding": "flood: force majeure"}).instance.state
        == "dismissed"
    )


def test_queries_select_overdue_tasks_targets_and_open_cases_through_the_index(
    engine: Engine, clock: ManualClock
) -> None:
    from collegium.engine import queries

    tasks = decision_with_tasks(
        engine, clock, ["2026-06-30T18:00+08:00", "2026-09-30T18:00+08:00"], start=False
    )
    decision = engine.get(tasks[0]).facts["decision"]
    engine.fire(tasks[1], "report", "m2", {"metric": "roads", "value": 10})
    other = engine.fire(
        decision,
        "assign",
        "sec",
        {
            "title": "schools",
            "lead_member": "m3",
            "departments": ["education bureau", "transport bureau"],
            "deadline": "2026-08-31T18:00+08:00",
        },
    ).started[0]
    assert [i.id for i in engine.find("assignment", lead_member="m2")] == tasks
    assert [i.id for i in engine.find("assignment", departments="education bureau")] == [other]
    assert engine.find("assignment", ("completed",)) == []
    clock.set(
        dt.datetime(2026, 9, 1, 9, tzinfo=CST)
    )  # past two deadlines; the sweep has not run yet
    by_member = queries.overdue_tasks(engine)
    assert {m: [i.id for i in found] for m, found in by_member.items()} == {
        "m2": [tasks[0]],
        "m3": [other],
    }
    by_department = queries.overdue_tasks(engine, by="departments")
    assert {d: [i.id for i in found] for d, found in by_department.items()} == {
        "education bureau": [other],
        "transport bureau": [tasks[0], other],
    }
    engine.run_due()
    assert {m: [i.id for i in found] for m, found in queries.overdue_tasks(engine).items()} == {
        "m2": [tasks[0]],
        "m3": [other],
    }  # the same after the sweep, now by state
    targets = queries.member_targets(engine, "m2")
    assert [(t.task, t.metric, t.measured, t.percent) for t in targets["business"]] == [
        (tasks[0], "roads", None, 0),
        (tasks[1], "roads", "10", 25),
    ]
    assert targets["public"] == []
    assert [c.facts["task"] for c in queries.open_cases(engine)] == [tasks[0], other]
    assert [c.facts["task"] for c in queries.open_cases(engine, "m3")] == [other]

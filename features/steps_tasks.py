"""Step definitions for P3 and P4 (tasks of a decision, supervision, accountability cases), one set
for both languages, imported at the end of ``conftest.py`` like the other step modules. Tasks are
named by title; the case a step acts on is the one open case (or the last one opened)."""

from __future__ import annotations

import datetime as dt
import re
from typing import TYPE_CHECKING, Any

from pytest_bdd import parsers, step, then

from collegium import Instance

if TYPE_CHECKING:
    from features.conftest import World


def q(name: str) -> str:
    """A quoted step argument: "x" in English, “x” in Chinese (the same
    helper as in ``conftest.py``)."""
    return rf'[“"](?P<{name}>[^”"]+)[”"]'


def task_id(world: World, title: str) -> str:
    for inst in world.engine.instances("assignment"):
        if inst.facts.get("title") == title:
            return inst.id
    raise AssertionError(f"no task {title!r}")


#: the findings on a task or a decision's evaluation (P3/P4); a decision carried out also owes
#: periodic briefings, whose cases (missed_briefing) the P5 briefings feature shows
WORK_FINDINGS = ("overdue_task", "failed_decision")


def cases(world: World) -> list[Instance]:
    return [
        c
        for c in world.engine.instances("accountability")
        if c.state not in ("closed", "dismissed")
    ]


def the_case(world: World) -> str:
    """The last case on a task or decision (the last still open, if any), else the last case
    still open, else the last."""
    every = world.engine.instances("accountability")
    work = [c for c in every if c.facts.get("finding_kind") in WORK_FINDINGS]
    found = (
        [c for c in work if c.state not in ("closed", "dismissed")] or work or cases(world) or every
    )
    assert found, "no accountability case"
    return found[-1].id


def act_on(
    world: World,
    instance: str,
    trigger: str,
    actor: str,
    data: dict[str, Any] | None = None,
    attempt: bool = False,
) -> None:
    world.act(attempt, lambda: world.engine.fire(instance, trigger, actor, data))


@step(parsers.re(rf"{q('actor')} tries to assign the task {q('title')} without a lead member"))
@step(parsers.re(rf"{q('actor')}试图分解任务{q('title')}，未明确牵头常委"))
def assign_without_lead(world: World, actor: str, title: str) -> None:
    world.fire(
        "assign",
        actor,
        {"title": title, "departments": ["transport bureau"], "deadline": "2026-12-31T18:00+08:00"},
        attempt=True,
    )


@step(
    parsers.re(
        rf"{q('actor')} sets the (?P<kind>business|public) target {q('metric')} of {q('title')} "
        rf"from (?P<base>[\d.]+) to (?P<goal>[\d.]+) {q('unit')}"
    )
)
@step(
    parsers.re(
        rf"{q('actor')}为任务{q('title')}设定(?P<kind>业务|公共)目标{q('metric')}："
        rf"由 (?P<base>[\d.]+) 到 (?P<goal>[\d.]+){q('unit')}"
    )
)
def set_target(
    world: World, actor: str, kind: str, metric: str, title: str, base: str, goal: str, unit: str
) -> None:
    kinds = {"business": "business", "业务": "business", "public": "public", "公共": "public"}
    act_on(
        world,
        task_id(world, title),
        "set_target",
        actor,
        {
            "metric": metric,
            "unit": unit,
            "baseline": base,
            "target": goal,
            "target_kind": kinds[kind],
        },
    )


@step(parsers.re(rf"{q('actor')} (?:(?P<attempt>tries to) start|starts) work on {q('title')}"))
@step(parsers.re(rf"{q('actor')}(?P<attempt>试图)?启动任务{q('title')}"))
def start_work(world: World, actor: str, attempt: str | None, title: str) -> None:
    act_on(world, task_id(world, title), "start_work", actor, attempt=bool(attempt))


@step(parsers.re(rf"{q('actor')} reports {q('metric')} of {q('title')} at (?P<value>[\d.]+)"))
@step(parsers.re(rf"{q('actor')}报告任务{q('title')}的{q('metric')}为 (?P<value>[\d.]+)"))
def report(world: World, actor: str, metric: str, title: str, value: str) -> None:
    act_on(world, task_id(world, title), "report", actor, {"metric": metric, "value": value})


@step(parsers.re(rf"supervision runs on {q('at')}"))
@step(parsers.re(rf"于{q('at')}开展督查"))
def supervise(world: World, at: str) -> None:
    world.clock.set(dt.datetime.fromisoformat(at))
    runs = world.engine.run_due()
    assert not [r.error for r in runs if r.error is not None], runs


@then(parsers.re(rf"the task {q('title')} is {q('state')}"))
@then(parsers.re(rf"任务{q('title')}状态为{q('state')}"))
def task_state(world: World, title: str, state: str) -> None:
    assert world.engine.get(task_id(world, title)).state == state


@then(parsers.re("no accountability case is open"))
@then(parsers.re("没有进行中的问责案件"))
def no_case(world: World) -> None:
    assert cases(world) == [], [(c.id, c.state) for c in cases(world)]


def work_cases(world: World) -> list[Instance]:
    return [c for c in cases(world) if c.facts.get("finding_kind") in WORK_FINDINGS]


@then(parsers.re("no accountability case is open on a task or decision"))
@then(parsers.re("没有就任务或决策进行中的问责案件"))
def no_work_case(world: World) -> None:
    found = work_cases(world)
    assert found == [], [(c.id, c.state) for c in found]


@step(parsers.re(rf"{q('actor')} publishes the measures on the case"))
@step(parsers.re(rf"{q('actor')}公开问责情况"))
def publish_measures(world: World, actor: str) -> None:
    act_on(world, the_case(world), "publish_measures", actor, {"disclosure": "public"})


@then(
    parsers.re(
        rf"(?P<count>\d+) accountability cases? (?:is|are) open, "
        rf"for (?:{q('title')}|(?P<decision>the decision)), "
        rf"showing the dissent of {q('first')} and {q('second')}"
    )
)
@then(
    parsers.re(
        rf"有 (?P<count>\d+) 件进行中的问责案件，涉及(?:{q('title')}|(?P<decision>原决策))，"
        rf"记录在案的不同意见为{q('first')}和{q('second')}"
    )
)
def open_cases(
    world: World, count: str, title: str | None, decision: str | None, first: str, second: str
) -> None:
    found = work_cases(world)
    assert len(found) == int(count), [(c.id, c.facts) for c in found]
    for case in found:
        if decision:
            assert (case.facts.get("finding_kind"), case.facts.get("decision")) == (
                "failed_decision",
                world.matter,
            )
        else:
            assert (case.facts.get("finding_kind"), case.facts.get("task")) == (
                "overdue_task",
                task_id(world, str(title)),
            )
        assert sorted(case.facts.get("dissent") or []) == sorted([first, second])  # R-DISSENT


@step(parsers.re(rf"{q('actor')} records the finding {q('finding')} on the case"))
@step(parsers.re(rf"{q('actor')}对问责案件作出调查认定{q('finding')}"))
def find(world: World, actor: str, finding: str) -> None:
    act_on(world, the_case(world), "find", actor, {"finding": finding})


@step(
    parsers.re(
        rf"{q('actor')} (?:(?P<attempt>tries to) decide|decides) "
        rf"the measures {q('measures')} on the case"
    )
)
@step(parsers.re(rf"{q('actor')}(?P<attempt>试图)?对问责案件作出问责决定{q('measures')}"))
def decide(world: World, actor: str, attempt: str | None, measures: str) -> None:
    act_on(
        world,
        the_case(world),
        "decide_measures",
        actor,
        {"personal_measures": re.split(r"[,、]\s*", measures)},
        attempt=bool(attempt),
    )


@step(parsers.re(rf"{q('actor')} records the measures carried out on the case"))
@step(parsers.re(rf"{q('actor')}记录问责决定已落实"))
def execute(world: World, actor: str) -> None:
    act_on(world, the_case(world), "execute", actor)


@step(parsers.re(rf"{q('actor')} tries to close the case without a rectification"))
@step(parsers.re(rf"{q('actor')}试图在未记录整改情况时结案"))
def close_without(world: World, actor: str) -> None:
    act_on(world, the_case(world), "close", actor, attempt=True)


@step(parsers.re(rf"{q('actor')} closes the case with the rectification {q('text')}"))
@step(parsers.re(rf"{q('actor')}记录整改情况{q('text')}并结案"))
def close_case(world: World, actor: str, text: str) -> None:
    act_on(world, the_case(world), "close", actor, {"rectification": text})


@then(parsers.re(rf"the case is {q('state')}"))
@then(parsers.re(rf"问责案件状态为{q('state')}"))
def case_state(world: World, state: str) -> None:
    case = world.engine.get(the_case(world))
    spec = world.engine.registry.procedure("accountability")
    assert state in (
        case.state,
        spec.states[case.state].label.en,
        spec.states[case.state].label.zh,
    ), case.state


@then(parsers.re(rf"a correction matter linked to the decision is {q('state')}"))
@then(parsers.re(rf"与原决策关联的纠错议题状态为{q('state')}"))
def correction(world: World, state: str) -> None:
    found = [
        i
        for i in world.engine.instances("major_decision")
        if i.facts.get("corrects") == world.matter
    ]
    assert len(found) == 1, found
    spec = world.engine.registry.procedure("major_decision")
    assert state in (
        found[0].state,
        spec.states[found[0].state].label.en,
        spec.states[found[0].state].label.zh,
    )


# The step fixtures pytest-bdd injected above: what ``conftest.py`` imports.
__all__ = [name for name in globals() if name.startswith("pytestbdd_")]

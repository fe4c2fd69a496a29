"""Step definitions for the plenary committee's work (source §IV.5; Party Constitution Art. 27), one
set for both languages, as in ``conftest.py``: the standing committee's half-year report heard at a
plenary sitting with the report on its agenda, and the count of a year's plenary sittings.

A meeting is convened here with an agenda item named by its text, or with the standing committee's
report on it; it becomes ``World.sitting`` (and ``World.matter``), so that the meeting steps of
``steps_meeting.py`` ("the meeting time has come", "… opens the meeting and takes the roll …",
"… adjourns the meeting") act on it. A report is named by its reporter and period, as in
``steps_reports.py``. The year's count is the one ``plenary_sittings`` instance of the scenario,
found among the instances; a command to it makes it ``World.matter``, so that the shared "the step
is refused by rule …", "the refused step changed nothing" and "rule … passed" steps read it.

``conftest.py`` imports the step fixtures this module defines (see ``__all__`` at the end).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from pytest_bdd import parsers, step, then

from collegium import RuleResult, Text
from features.steps_generic import facts, q
from features.steps_meeting import sitting
from features.steps_reports import report_of

if TYPE_CHECKING:
    from features.conftest import World

RESULTS = {"passed": True, "通过": True, "failed": False, "未通过": False}


def the_year(world: World) -> str:
    """The year's count of plenary sittings started in this scenario."""
    found = [i.id for i in world.engine.instances("plenary_sittings")]
    assert len(found) == 1, f"{len(found)} counts of plenary sittings: {found}"
    return found[0]


def year_state(world: World, state: str) -> str:
    """A state of the year's count, named by its id or its English or Chinese label."""
    return world.state_of("plenary_sittings", state)


def cases_on_the_year(world: World) -> list[tuple[str, str | None, str]]:
    return [
        (c.facts["finding_kind"], c.facts.get("lead_member"), c.state)
        for c in world.cases_on(the_year(world))
    ]


# ---------------------------------------------------------------------------------------------
# Commands
# ---------------------------------------------------------------------------------------------
@step(
    parsers.re(
        rf"{q('actor')} convenes a meeting of {q('body')} on {q('at')} (?:"
        rf"with the agenda item {q('item')}|"
        rf"to hear the report of {q('reporter')} for {q('period')})"
    )
)
@step(
    parsers.re(
        rf"{q('actor')}通知于{q('at')}召开{q('body')}会议，"
        rf"(?:审议{q('item')}|听取{q('reporter')}{q('period')}半年工作报告)"
    )
)
def convene_with_item(
    world: World,
    actor: str,
    body: str,
    at: str,
    item: str | None,
    reporter: str | None,
    period: str | None,
) -> None:
    """A meeting whose agenda is one item: a text, or the half-year report of ``reporter``."""
    agenda = [item] if item is not None else [report_of(world, str(reporter), str(period))]
    data = {"title": f"{body} {at}", "body": body, "meeting_at": at, "agenda": agenda}
    world.act(False, lambda: world.engine.start("meeting", actor, data))
    assert world.outcome is not None
    world.sitting = world.matter = world.outcome.instance.id


@step(
    parsers.re(
        rf"{q('actor')} (?:(?P<attempt>tries to) hear|hears) the report of {q('reporter')} "
        rf"to {q('body')} for {q('period')} (?P<where>outside a meeting|at the meeting)"
    )
)
@step(
    parsers.re(
        rf"{q('actor')}(?P<attempt>试图)?(?P<where>不经会议|在本次会议上)"
        rf"听取{q('reporter')}向{q('body')}的{q('period')}半年工作报告"
    )
)
def hear_report(
    world: World, actor: str, attempt: str | None, reporter: str, body: str, period: str, where: str
) -> None:
    """``hear``, naming the meeting convened last as the sitting (or no sitting at all)."""
    world.matter = report_of(world, reporter, period, body)
    data: dict[str, Any] = {"opinion": "noted"}
    if where in ("at the meeting", "在本次会议上"):
        data["sitting"] = sitting(world)
    world.fire("hear", actor, data, attempt=bool(attempt))


@step(
    parsers.re(
        rf"{q('actor')} (?:(?P<attempt>tries to) open|opens) "
        "the year's count of plenary sittings with:"
    )
)
@step(parsers.re(rf"{q('actor')}(?P<attempt>试图)?以下列事实建立年度全委会会议登记："))
def open_year(world: World, actor: str, attempt: str | None, datatable: list[list[str]]) -> None:
    """``open_year`` from a table of facts and values; its ``year`` is a whole number."""
    data = facts(datatable)
    if str(data.get("year", "")).isdigit():
        data["year"] = int(data["year"])
    world.act(bool(attempt), lambda: world.engine.start("plenary_sittings", actor, data))
    if world.outcome is not None and world.error is None:
        world.matter = world.outcome.instance.id


@step(
    parsers.re(
        rf"{q('actor')} (?:(?P<attempt>tries to) record|records) the meeting "
        r"in the year's count of plenary sittings(?: again)?"
    )
)
@step(parsers.re(rf"{q('actor')}(?P<attempt>试图)?(?:再次)?将本次会议计入年度全委会会议次数"))
def record_sitting(world: World, actor: str, attempt: str | None) -> None:
    """``record_sitting`` of the meeting convened last."""
    world.matter = the_year(world)
    world.fire("record_sitting", actor, {"sitting": sitting(world)}, attempt=bool(attempt))


# ---------------------------------------------------------------------------------------------
# Outcomes
# ---------------------------------------------------------------------------------------------
@then(
    parsers.re(
        rf"the report of {q('reporter')} for {q('period')} was heard at the meeting convened for it"
    )
)
@then(parsers.re(rf"{q('reporter')}{q('period')}的半年工作报告系在为此召开的会议上听取"))
def heard_at_the_sitting(world: World, reporter: str, period: str) -> None:
    report = world.engine.get(report_of(world, reporter, period))
    assert report.facts.get("sittings") == [sitting(world)], report.facts.get("sittings")
    assert world.engine.meeting(report.id).sitting == sitting(world)


@then(parsers.re(rf"the year's count of plenary sittings is (?:still )?{q('state')}"))
@then(parsers.re(rf"年度全委会会议登记状态(?:仍)?为{q('state')}"))
def count_state(world: World, state: str) -> None:
    found, wanted = world.engine.get(the_year(world)).state, year_state(world, state)
    assert found == wanted, f"the year's count is {found!r}, expected {wanted!r}"


@then(
    parsers.re(
        rf"at the year's end rule {q('rule')} (?P<result>passed|failed)(?: saying {q('text')})?"
    )
)
@then(parsers.re(rf"年终核查时规则{q('rule')}(?P<result>未通过|通过)(?:，说明为{q('text')})?"))
def checked_at_the_years_end(world: World, rule: str, result: str, text: str | None) -> None:
    """The rule's finding on the step the engine took by itself at the year's end."""
    last = world.engine.history(the_year(world))[-1]
    assert last.trigger == "year_end", f"the last step was {last.trigger!r}, not the year's end"
    rows = [row for row in last.verdict if row[0] == rule]
    assert rows, f"{rule} was not checked at the year's end"
    _, passed, applicable, severity, detail, params = rows[0]
    found = RuleResult(
        rule_id=rule,
        passed=bool(passed),
        severity=str(severity),
        title=Text(en=rule, zh=rule),
        citation="",
        detail=str(detail),
        params=dict(params or {}),
        applicable=bool(applicable),
    )
    assert found.applicable, f"{rule} did not apply: {found.message(world.lang)}"
    assert found.passed is RESULTS[result], f"{rule}: {found.message(world.lang)}"
    if text is not None:
        assert found.message(world.lang) == text, f"{rule} says {found.message(world.lang)!r}"


@then(
    parsers.re(
        r"exactly one accountability case is open for too few plenary sittings, "
        rf"with {q('lead')} answerable"
    )
)
@then(parsers.re(rf"因全委会召开次数不足启动问责案件一件，责任人为{q('lead')}"))
def one_case_on_the_year(world: World, lead: str) -> None:
    found = cases_on_the_year(world)
    assert found == [("few_plenary_sittings", lead, "inquiry")], found


@then(parsers.re(r"no accountability case is open for too few plenary sittings"))
@then(parsers.re(r"未因全委会召开次数不足启动问责"))
def no_case_on_the_year(world: World) -> None:
    found = cases_on_the_year(world)
    assert found == [], found


# The step fixtures pytest-bdd injected above: what ``conftest.py`` imports.
__all__ = [name for name in globals() if name.startswith("pytestbdd_")]

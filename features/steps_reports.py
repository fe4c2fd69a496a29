"""Step definitions for periodic work reports (P5, 报告工作制度), one set for both
languages, as in ``conftest.py``.

A standing committee's reporting obligations for a year are scheduled from the calendar
(:func:`collegium.engine.calendar.schedule_reports`); each is a ``report`` instance. A report is
named in the steps by its reporter and period (and, for the committee's own report, the body heard),
and found among the instances, so these steps keep no state of their own. ``World.matter`` is set to
the report a command acted on, so that the shared "the step is refused by rule …",
"the refusal says …", "the refused step changed nothing" and "rule … passed" steps read it.

``conftest.py`` imports the step fixtures this module defines (see ``__all__`` at the end).
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from pytest_bdd import parsers, step, then

from collegium.engine.calendar import schedule_reports

if TYPE_CHECKING:
    from features.conftest import World

HALF_YEAR = "half_year_work"


def q(name: str) -> str:
    """A quoted step argument: "x" in English, “x” in Chinese (the same
    helper as in ``conftest.py``)."""
    return rf'[“"](?P<{name}>[^”"]+)[”"]'


def report_of(world: World, reporter: str, period: str, body: str | None = None) -> str:
    """The id of the half-year work report of ``reporter`` for
    ``period`` (to ``body``, when given)."""
    found = [
        i.id
        for i in world.engine.instances("report")
        if (i.facts["reporter"], i.facts["period"], i.facts["kind"])
        == (reporter, period, HALF_YEAR)
        and body in (None, i.facts["body"])
    ]
    assert len(found) == 1, f"{len(found)} half-year reports of {reporter} for {period}"
    return found[0]


def cases_of(world: World, report: str) -> list[tuple[str, str | None, str]]:
    return [
        (c.facts["finding_kind"], c.facts.get("lead_member"), c.state)
        for c in world.engine.instances("accountability")
        if c.facts.get("subject") == report
    ]


def sweep(world: World, at: str) -> None:
    world.clock.set(dt.datetime.fromisoformat(at))
    world.engine.run_due()


# ---------------------------------------------------------------------------------------------
# Commands
# ---------------------------------------------------------------------------------------------
@step(
    parsers.re(
        rf"{q('actor')} schedules the reports of {q('body')} for (?P<year>\d{{4}})"
        rf"(?: with the plenary {q('plenary')})?"
    )
)
@step(
    parsers.re(
        rf"{q('actor')}安排{q('body')}(?P<year>\d{{4}}) 年度报告工作"
        rf"(?:，常委会向全委会{q('plenary')}报告)?"
    )
)
def schedule(world: World, actor: str, body: str, year: str, plenary: str | None) -> None:
    schedule_reports(world.engine, body, int(year), actor=actor, plenary=plenary)


@step(
    parsers.re(
        rf"every standing member but {q('skip')} "
        rf"submits the half-year work report for {q('period')}"
    )
)
@step(parsers.re(rf"除{q('skip')}外，每位常委按时提交{q('period')}半年工作报告"))
def everyone_submits(world: World, skip: str, period: str) -> None:
    for inst in world.engine.instances("report"):
        facts = inst.facts
        if (facts["kind"], facts["period"], facts["reporter_kind"]) == (
            HALF_YEAR,
            period,
            "member",
        ) and facts["reporter"] != skip:
            world.engine.fire(
                inst.id, "submit", facts["reporter"], {"summary": "the half year's work"}
            )


@step(
    parsers.re(
        rf"{q('actor')} (?:(?P<attempt>tries to submit)|(?P<late>submits late)|submits) "
        rf"the half-year work report(?: of {q('reporter')}(?: to {q('body')})?)? for {q('period')}"
    )
)
@step(
    parsers.re(
        rf"{q('actor')}(?P<attempt>试图)?(?:(?P<late>补报)|提交)(?:{q('reporter')}(?:向{q('body')})?的)?"
        rf"{q('period')}半年工作报告"
    )
)
def submit(
    world: World,
    actor: str,
    attempt: str | None,
    late: str | None,
    reporter: str | None,
    body: str | None,
    period: str,
) -> None:
    world.matter = report_of(world, reporter or actor, period, body)
    world.fire(
        "submit_late" if late else "submit",
        actor,
        {"summary": "the half year's work, in figures"},
        attempt=bool(attempt),
    )


@step(parsers.re(rf"{q('actor')} hears the report of {q('reporter')} for {q('period')}"))
@step(parsers.re(rf"{q('actor')}听取{q('reporter')}{q('period')}的报告"))
def hear(world: World, actor: str, reporter: str, period: str) -> None:
    world.matter = report_of(world, reporter, period)
    world.fire("hear", actor)


@step(parsers.re(rf"the supervision sweep runs on {q('at')}"))
@step(parsers.re(rf"督查于{q('at')}进行到期检查"))
def sweep_once(world: World, at: str) -> None:
    sweep(world, at)


@step(parsers.re(rf"the supervision sweep runs every day until {q('at')}"))
@step(parsers.re(rf"督查每日进行到期检查，直至{q('at')}"))
def sweep_daily(world: World, at: str) -> None:
    end = dt.datetime.fromisoformat(at)
    while world.clock.now() + dt.timedelta(days=1) < end:
        world.clock.advance(dt.timedelta(days=1))
        world.engine.run_due()
    sweep(world, at)


# ---------------------------------------------------------------------------------------------
# Outcomes
# ---------------------------------------------------------------------------------------------
@then(parsers.re(rf"the half-year work reports were scheduled under rule {q('rule')}"))
@then(parsers.re(rf"半年工作报告均依规则{q('rule')}安排"))
def scheduled_under(world: World, rule: str) -> None:
    reports = [i for i in world.engine.instances("report") if i.facts["kind"] == HALF_YEAR]
    assert reports, "no half-year work report was scheduled"
    for inst in reports:
        verdict = {row[0]: (row[1], row[2]) for row in world.engine.history(inst.id)[0].verdict}
        assert verdict.get(rule) == (True, True), (
            f"{inst.id}: {rule} {verdict.get(rule)} (passed, applied)"
        )


@then(parsers.re(rf"the report of {q('reporter')} for {q('period')} is {q('state')}"))
@then(parsers.re(rf"{q('reporter')}{q('period')}的报告状态为{q('state')}"))
def report_state(world: World, reporter: str, period: str, state: str) -> None:
    world.matter = report_of(world, reporter, period)
    inst, wanted = world.engine.get(world.matter), world.state_id(state)
    assert inst.state == wanted, f"the report is {inst.state!r}, expected {wanted!r}"


@then(
    parsers.re(
        rf"exactly one accountability case concerns "
        rf"the report of {q('reporter')} for {q('period')}, with {q('lead')} answerable"
    )
)
@then(parsers.re(rf"针对{q('reporter')}{q('period')}的报告启动问责案件一件，责任人为{q('lead')}"))
def one_case(world: World, reporter: str, period: str, lead: str) -> None:
    found = cases_of(world, report_of(world, reporter, period))
    assert found == [("missing_report", lead, "inquiry")], found


@then(
    parsers.re(rf"no accountability case concerns the report of {q('reporter')} for {q('period')}")
)
@then(parsers.re(rf"未针对{q('reporter')}{q('period')}的报告启动问责"))
def no_case(world: World, reporter: str, period: str) -> None:
    found = cases_of(world, report_of(world, reporter, period))
    assert found == [], found


# The step fixtures pytest-bdd injected above: what ``conftest.py`` imports.
__all__ = [name for name in globals() if name.startswith("pytestbdd_")]

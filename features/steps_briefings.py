"""Step definitions for periodic briefings (P5, 定期通报、定期汇报), one set for both languages,
as in ``conftest.py``; the rest of their scenarios run on the generic and shared steps.

A decision that starts being carried out opens its own cadence of briefings (a ``briefing``
instance whose fact ``subject`` is the decision). "The following steps act on the decision's
briefing cadence" makes that cadence ``World.matter``, so that the shared steps ("… fires …",
"the matter is …", "the step is refused by rule …") act on it; "… act on the decision" turns back
to the decision the cadence concerns. The deadlines of a cadence are kept by the engine's own
sweep; these steps read what the sweep recorded: its reminders and the rules of its last step.

``conftest.py`` imports the step fixtures this module defines (see ``__all__`` at the end).
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from pytest_bdd import parsers, step, then

from features.steps_generic import q

if TYPE_CHECKING:
    from features.conftest import World

RESULTS = {"passed": True, "通过": True, "failed": False, "未通过": False}


def the_matter(world: World) -> str:
    assert world.matter is not None, "no matter has been proposed in this scenario"
    return world.matter


@step(parsers.re("the following steps act on the decision's briefing cadence"))
@step(parsers.re("以下操作针对该决策的执行情况通报"))
def on_cadence(world: World) -> None:
    decision = the_matter(world)
    found = [b.id for b in world.engine.instances("briefing") if b.facts.get("subject") == decision]
    assert len(found) == 1, f"{len(found)} briefing cadences concern {decision}"
    world.matter = found[0]


@step(parsers.re("the following steps act on the decision"))
@step(parsers.re("以下操作重新针对该决策"))
def on_decision(world: World) -> None:
    cadence = world.engine.get(the_matter(world))
    assert cadence.procedure == "briefing" and cadence.facts.get("subject"), cadence.id
    world.matter = cadence.facts["subject"]


@then(parsers.re(rf"the engine (?P<did>reminded|did not remind) of the deadline on {q('at')}"))
@then(parsers.re(rf"系统(?P<did>已|未)于{q('at')}提醒按期通报"))
def reminded(world: World, did: str, at: str) -> None:
    """A reminder the sweep recorded on the matter at ``at`` (one exists, or none does)."""
    when = dt.datetime.fromisoformat(at)
    times = [
        dt.datetime.fromisoformat(e.at)
        for e in world.engine.history(the_matter(world))
        if e.trigger == "@remind"
    ]
    assert (when in times) is (did in ("reminded", "已")), f"reminders at {times}"


@then(parsers.re(rf"on the matter's last step, rule {q('rule')} (?P<result>passed|failed)"))
@then(parsers.re(rf"该事项的最近一步中，规则{q('rule')}(?P<result>未通过|通过)"))
def last_step_rule(world: World, rule: str, result: str) -> None:
    """The rule applied to the matter's last step — one the engine took by itself, on the branch
    the rule chose — and passed or failed."""
    last = world.engine.history(the_matter(world))[-1]
    verdict = {row[0]: (row[1], row[2]) for row in last.verdict}
    assert verdict.get(rule) == (RESULTS[result], True), (
        f"{last.trigger}: {rule} {verdict.get(rule)} (passed, applied)"
    )


@then(
    parsers.re(
        r"(?:(?P<none>no)|(?P<count>\d+)) accountability cases? (?:concerns?|is open on) "
        r"the briefing cadence, for a missed briefing"
    )
)
@then(
    parsers.re(
        r"(?:(?P<none>未)就该通报启动问责|就该通报启动问责 (?P<count>\d+) 起，事由为逾期未通报)"
    )
)
def cases_on_the_cadence(world: World, none: str | None, count: str | None) -> None:
    found = world.cases_on(world.matter or "")
    assert len(found) == (0 if none else int(count or 0)), [c.id for c in found]
    assert all(c.facts.get("finding_kind") == "missed_briefing" for c in found)


# The step fixtures pytest-bdd injected above: what ``conftest.py`` imports.
__all__ = [name for name in globals() if name.startswith("pytestbdd_")]

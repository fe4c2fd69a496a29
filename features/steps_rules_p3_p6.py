"""Step definitions for the scenarios that exercise the rules of the ``party-committee`` pack on
tasks, accountability cases, reports and commitments (P3 to P6) one by one, one set for both
languages, as in ``conftest.py``.

A task or a case can be made the instance the shared steps act on ("… tries to fire …", "the step
is refused by rule …", "the refused step changed nothing"); a task is started outside its decision's
``assign`` step, and a commitment selected from a table of facts, to show the rules that refuse
them.

``conftest.py`` imports the step fixtures this module defines (see ``__all__`` at the end).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from pytest_bdd import parsers, step, then

from features.steps_generic import facts, q
from features.steps_tasks import task_id, the_case

if TYPE_CHECKING:
    from features.conftest import World


@step(parsers.re(rf"the following steps act on the task {q('title')}"))
@step(parsers.re(rf"以下操作针对任务{q('title')}"))
def on_task(world: World, title: str) -> None:
    world.matter = task_id(world, title)


@step(parsers.re("the following steps act on the accountability case"))
@step(parsers.re("以下操作针对问责案件"))
def on_case(world: World) -> None:
    world.matter = the_case(world)


@step(
    parsers.re(
        rf"{q('actor')} tries to start the task {q('title')} of the decision directly, "
        rf"led by {q('lead')} with {q('department')} by {q('deadline')}"
    )
)
@step(
    parsers.re(
        rf"{q('actor')}试图绕过决策直接启动任务{q('title')}，牵头常委为{q('lead')}，"
        rf"责任部门为{q('department')}，完成时限为{q('deadline')}"
    )
)
def start_task_directly(
    world: World, actor: str, title: str, lead: str, department: str, deadline: str
) -> None:
    """A task of the decision (``World.matter``) started on its own, not by the decision's
    ``assign`` step."""
    data = {
        "decision": world.matter,
        "title": title,
        "lead_member": lead,
        "departments": [department],
        "body": world.facts()["body"],
        "deadline": deadline,
    }
    world.act(True, lambda: world.engine.start("assignment", actor, data))


@step(parsers.re(rf"{q('actor')} tries to select a commitment with:"))
@step(parsers.re(rf"{q('actor')}试图以下列事实研究确定为群众办的实事："))
def try_select(world: World, actor: str, datatable: list[list[str]]) -> None:
    """A commitment from a table of facts and values; its ``year`` is a whole number."""
    data = facts(datatable)
    if "year" in data:
        data["year"] = int(data["year"])
    world.act(True, lambda: world.engine.start("commitment", actor, data))


@then(parsers.re(rf"the case's last step was taken under rule {q('rule')}"))
@then(parsers.re(rf"问责案件的最近一步依规则{q('rule')}进行"))
def case_step_under(world: World, rule: str) -> None:
    """The rule applied to, and passed on, the last step of the accountability case (a step the
    engine took by itself, on a branch the rule chose)."""
    last = world.engine.history(the_case(world))[-1]
    verdict = {row[0]: (row[1], row[2]) for row in last.verdict}
    assert verdict.get(rule) == (True, True), (
        f"{last.trigger}: {rule} {verdict.get(rule)} (passed, applied)"
    )


# The step fixtures pytest-bdd injected above: what ``conftest.py`` imports.
__all__ = [name for name in globals() if name.startswith("pytestbdd_")]

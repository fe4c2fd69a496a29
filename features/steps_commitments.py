"""Step definitions for annual public commitments (年初承诺、年终兑现、向群众公示, P6), one set for
both languages, as in ``conftest.py``.

A commitment (the ``commitment`` procedure) is selected, promised to the public by its promise date,
delivered by its due date — or marked undelivered by the engine's own review at the due date, which
opens an accountability case — and its outcome is published. ``World.matter`` is the commitment the
last command acted on, so that the shared "the step is refused by rule …", "the refusal says …" and
"the refused step changed nothing" steps read it; ``World.matters`` keeps title -> id.

``conftest.py`` imports the step fixtures this module defines (see ``__all__`` at the end).
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from pytest_bdd import parsers, step, then

from collegium.engine.commitments import commitments

if TYPE_CHECKING:
    from features.conftest import World


def q(name: str) -> str:
    """A quoted step argument: "x" in English, “x” in Chinese (the same
    helper as in ``conftest.py``)."""
    return rf'[“"](?P<{name}>[^”"]+)[”"]'


NUMBER = r"-?\d+(?:\.\d+)?"
#: published outcomes, both languages -> the values of the fact ``outcome``
OUTCOMES = {
    "delivered": "delivered",
    "已兑现": "delivered",
    "not delivered": "undelivered",
    "未兑现": "undelivered",
}


def commitment(world: World) -> str:
    assert world.matter is not None, "no commitment has been selected in this scenario"
    return world.matter


def fire(
    world: World,
    trigger: str,
    actor: str,
    data: dict[str, Any] | None = None,
    *,
    attempt: bool = False,
) -> None:
    world.fire(trigger, actor, data, attempt=attempt)


# ---------------------------------------------------------------------------------------------
# Commands
# ---------------------------------------------------------------------------------------------
@step(
    parsers.re(
        rf"{q('actor')} selects the commitment {q('title')} of {q('body')} for (?P<year>\d{{4}}) "
        rf"with lead member {q('lead')}, "
        rf"to be promised by {q('promise_by')} and delivered by {q('due')}"
    )
)
@step(
    parsers.re(
        rf"{q('actor')}研究确定{q('body')}(?P<year>\d{{4}})年为群众办的实事{q('title')}，"
        rf"牵头常委为{q('lead')}，承诺时限为{q('promise_by')}，兑现时限为{q('due')}"
    )
)
def select(
    world: World, actor: str, title: str, body: str, year: str, lead: str, promise_by: str, due: str
) -> None:
    data = {
        "body": body,
        "year": int(year),
        "title": title,
        "lead_member": lead,
        "promise_by": promise_by,
        "due": due,
    }
    world.act(False, lambda: world.engine.start("commitment", actor, data))
    assert world.outcome is not None
    world.matter = world.matters[title] = world.outcome.instance.id


@step(
    parsers.re(
        rf"{q('actor')} sets the target {q('metric')}: from (?P<baseline>{NUMBER}) to "
        rf"(?P<target>{NUMBER}) {q('unit')}"
    )
)
@step(
    parsers.re(
        rf"{q('actor')}设定量化目标{q('metric')}："
        rf"由 (?P<baseline>{NUMBER}) 提高到 (?P<target>{NUMBER}) {q('unit')}"
    )
)
def set_target(
    world: World, actor: str, metric: str, baseline: str, target: str, unit: str
) -> None:
    fire(
        world,
        "set_target",
        actor,
        {
            "metric": metric,
            "unit": unit,
            "baseline": baseline,
            "target": target,
            "target_kind": "public",
        },
    )


@step(
    parsers.re(
        rf"{q('actor')} (?:(?P<attempt>tries to) promise|promises) the commitment to the public"
    )
)
@step(parsers.re(rf"{q('actor')}(?P<attempt>试图)?向群众公开承诺该事项"))
def promise(world: World, actor: str, attempt: str | None) -> None:
    fire(world, "promise", actor, attempt=bool(attempt))


@step(parsers.re(rf"the date is {q('at')}"))
@step(parsers.re(rf"时间到了{q('at')}"))
def date_is(world: World, at: str) -> None:
    world.clock.set(dt.datetime.fromisoformat(at))


@step(parsers.re(rf"{q('actor')} reports {q('metric')} at (?P<value>{NUMBER})"))
@step(parsers.re(rf"{q('actor')}报告{q('metric')}已完成 (?P<value>{NUMBER})"))
def report(world: World, actor: str, metric: str, value: str) -> None:
    fire(world, "report", actor, {"metric": metric, "value": value})


@step(
    parsers.re(
        rf"{q('actor')} (?:(?P<attempt>tries to) declare|declares) "
        rf"the commitment delivered: {q('result')}"
    )
)
@step(parsers.re(rf"{q('actor')}(?P<attempt>试图)?宣布该事项已兑现：{q('result')}"))
def deliver(world: World, actor: str, attempt: str | None, result: str) -> None:
    fire(world, "deliver", actor, {"result": result}, attempt=bool(attempt))


@step(parsers.re(rf"the engine reviews what falls due (?P<how>once|every day) until {q('at')}"))
@step(parsers.re(rf"系统(?P<how>一次性|每天)核查到期事项，直至{q('at')}"))
def sweep(world: World, how: str, at: str) -> None:
    end = dt.datetime.fromisoformat(at)
    if how in ("every day", "每天"):
        while world.clock.now() + dt.timedelta(days=1) < end:
            world.clock.advance(dt.timedelta(days=1))
            world.engine.run_due()
    world.clock.set(end)
    world.engine.run_due()


@step(parsers.re(r"the engine reviews what falls due again"))
@step(parsers.re(r"系统再次核查到期事项"))
def sweep_again(world: World) -> None:
    world.engine.run_due()


@step(
    parsers.re(
        rf"{q('actor')} (?:(?P<attempt>tries to) publish|publishes) the commitment as "
        rf"(?P<outcome>delivered|not delivered): {q('result')}"
    )
)
@step(
    parsers.re(
        rf"{q('actor')}(?P<attempt>试图)?将该事项作为(?P<outcome>已兑现|未兑现)事项向群众公示：{q('result')}"
    )
)
def publish(world: World, actor: str, attempt: str | None, outcome: str, result: str) -> None:
    fire(
        world,
        "publish",
        actor,
        {"outcome": OUTCOMES[outcome], "result": result},
        attempt=bool(attempt),
    )


# ---------------------------------------------------------------------------------------------
# Outcomes
# ---------------------------------------------------------------------------------------------
@then(parsers.re(rf"the commitment is (?:still )?{q('state')}"))
@then(parsers.re(rf"承诺事项状态(?:仍)?为{q('state')}"))
def commitment_state(world: World, state: str) -> None:
    inst, wanted = world.engine.get(commitment(world)), world.state_id(state)
    assert inst.state == wanted, f"the commitment is {inst.state!r}, expected {wanted!r}"


@then(parsers.re(r"(?P<count>no|\d+) accountability cases? (?:is|are) open on the commitment"))
@then(parsers.re(r"针对该事项启动问责 (?P<count>\d+) 起"))
def cases_opened(world: World, count: str) -> None:
    subject = commitment(world)
    found = [
        c for c in world.engine.instances("accountability") if c.facts.get("subject") == subject
    ]
    assert len(found) == (0 if count == "no" else int(count)), [c.id for c in found]


@then(parsers.re(rf"the case concerns an undelivered commitment and holds {q('lead')} answerable"))
@then(parsers.re(rf"问责事由为承诺事项未兑现，责任人为{q('lead')}"))
def case_concerns(world: World, lead: str) -> None:
    subject = commitment(world)
    [case] = [
        c for c in world.engine.instances("accountability") if c.facts.get("subject") == subject
    ]
    assert (case.facts["finding_kind"], case.facts["lead_member"], case.parent_id) == (
        "undelivered_commitment",
        lead,
        subject,
    ), dict(case.facts)


@then(
    parsers.re(
        rf"the list of {q('body')}'s commitments for (?P<year>\d{{4}}) shows {q('title')} as "
        rf"{q('outcome')}(?P<published>, published)?"
    )
)
@then(
    parsers.re(
        rf"{q('body')}(?P<year>\d{{4}})年度承诺事项清单显示{q('title')}的兑现结果为{q('outcome')}"
        rf"(?P<published>，已公示)?"
    )
)
def listed(
    world: World, body: str, year: str, title: str, outcome: str, published: str | None
) -> None:
    found = [c for c in commitments(world.engine, body, int(year)) if c.title == title]
    assert len(found) == 1, f"{len(found)} commitments titled {title!r}"
    assert found[0].outcome_label(world.lang) == outcome, found[0]
    assert found[0].published is bool(published), found[0]


# The step fixtures pytest-bdd injected above: what ``conftest.py`` imports.
__all__ = [name for name in globals() if name.startswith("pytestbdd_")]

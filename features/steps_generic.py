"""Step definitions for any procedure and pack, one set for both languages, as in ``conftest.py``.

A pack written as data only (the ``government`` pack, an organisation's own) needs no steps of its
own: a body is seated from a table, a procedure started and its triggers fired with their data as
tables of facts and values, and the shared steps ("the matter is …", "the step is refused by rule
…", "… states the view …", "… opens the meeting with all members present", "the engine reviews
what falls due …") do the rest. A trigger is named by its id or its transition's English or
Chinese label; a value ``true`` or ``false`` is a boolean, any other a text. ``World.matter`` is
the instance the procedure started.

``conftest.py`` imports the step fixtures this module defines (see ``__all__`` at the end).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from pytest_bdd import parsers, step, then

from collegium import Body, Member
from features.steps_meeting import listed, names
from features.steps_p2 import choice, trigger_id

if TYPE_CHECKING:
    from features.conftest import World


def q(name: str) -> str:
    """A quoted step argument: "x" in English, “x” in Chinese (as in ``conftest.py``)."""
    return rf'[“"](?P<{name}>[^”"]+)[”"]'


BOOLEANS = {"true": True, "false": False}


def value(text: str) -> Any:
    return BOOLEANS.get(text, text)


def rows(datatable: list[list[str]]) -> list[dict[str, str]]:
    """A table's rows as mappings of its header to each cell."""
    header, *body = datatable
    return [dict(zip(header, row, strict=True)) for row in body]


def facts(datatable: list[list[str]]) -> dict[str, Any]:
    """A two-column table of facts and values (its header row names the columns)."""
    return {row[0]: value(row[1]) for row in datatable[1:]}


@step(
    parsers.re(
        rf"(?P<attempt>an attempt is made to define )?a body {q('body')} of kind {q('kind')} "
        "with these members:"
    )
)
@step(parsers.re(rf"(?P<attempt>试图设立)?机构{q('body')}（类别{q('kind')}）的组成人员如下："))
def seat_body(
    world: World, attempt: str | None, body: str, kind: str, datatable: list[list[str]]
) -> None:
    """Columns person, role and voting (``true``/``false``) — or 人员, 职务, 表决."""
    seats = [list(row.values()) for row in rows(datatable)]
    members = tuple(Member(person=p, role=r, voting=value(v)) for p, r, v in seats)
    new = Body(id=body, kind=kind, members=members)
    world.act(bool(attempt), lambda: world.engine.define_body(new))


@step(
    parsers.re(
        rf"{q('actor')} (?:(?P<attempt>tries to) start|starts) an? {q('procedure')} "
        "with:"
    )
)
@step(parsers.re(rf"{q('actor')}(?P<attempt>试图)?以下列事实启动{q('procedure')}："))
def start(
    world: World, actor: str, attempt: str | None, procedure: str, datatable: list[list[str]]
) -> None:
    data = facts(datatable)
    world.act(bool(attempt), lambda: world.engine.start(procedure, actor, data))
    if world.outcome is not None and world.error is None:
        world.matter = world.outcome.instance.id


@step(parsers.re(rf"{q('actor')} (?:(?P<attempt>tries to) fire|fires) {q('trigger')} with:"))
@step(parsers.re(rf"{q('actor')}(?P<attempt>试图)?执行{q('trigger')}，数据如下："))
def fire_with(
    world: World, actor: str, attempt: str | None, trigger: str, datatable: list[list[str]]
) -> None:
    world.fire(trigger_id(world, trigger), actor, facts(datatable), attempt=bool(attempt))


@step(parsers.re(rf"{q('actor')} (?:(?P<attempt>tries to) fire|fires) {q('trigger')}$"))
@step(parsers.re(rf"{q('actor')}(?P<attempt>试图)?执行{q('trigger')}$"))
def fire(world: World, actor: str, attempt: str | None, trigger: str) -> None:
    world.fire(trigger_id(world, trigger), actor, attempt=bool(attempt))


@step(parsers.re(rf"every member present but {listed('skip')} states the view {q('word')}"))
@step(parsers.re(rf"除{listed('skip')}以外的到会成员逐一表态{q('word')}"))
def state_views_but(world: World, skip: str, word: str) -> None:
    """Each present voting member not named states the view, in the body's order."""
    for person in world.voters_present():
        if person not in names(skip):
            world.fire("state_view", person, {"view": choice(world, word)})


@then(parsers.re(rf"the matter holds {q('fact')} = {q('wanted')}"))
@then(parsers.re(rf"事项的{q('fact')}为{q('wanted')}"))
def holds(world: World, fact: str, wanted: str) -> None:
    got = world.facts().get(fact)
    assert got == value(wanted), f"{fact} is {got!r}, expected {wanted!r}"


# The step fixtures pytest-bdd injected above: what ``conftest.py`` imports.
__all__ = [name for name in globals() if name.startswith("pytestbdd_")]

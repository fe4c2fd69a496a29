"""Step definitions of the integrity feature, one set for both languages, as in ``conftest.py``: a
change made in the store behind the engine, and what the audit says of it."""

from __future__ import annotations

import sqlite3
from typing import TYPE_CHECKING

from pytest_bdd import parsers, step, then

from features.steps_p2 import choice, q

if TYPE_CHECKING:
    from features.conftest import World


@step(
    parsers.re(
        rf"someone changes the vote of {q('voter')} to {q('word')} "
        r"in the database, behind the engine"
    )
)
@step(parsers.re(rf"有人绕过系统在数据库中将{q('voter')}的选票改为{q('word')}"))
def change_vote(world: World, voter: str, word: str) -> None:
    """The row of a named vote edited where the store keeps it: the SQLite file of the async run, or
    the in-memory store's own table of the sync run. No engine call, so no event records it."""
    ballot_id = world.facts()["ballot"]["id"]
    new = choice(world, word)
    if world.db_path is None:
        world.engine.store._votes[ballot_id][voter] = new  # the sync run's in-memory table
        return
    with sqlite3.connect(world.db_path) as conn:
        changed = conn.execute(
            "UPDATE collegium_votes SET choice = ? WHERE ballot_id = ? AND voter = ?",
            (new, ballot_id, voter),
        ).rowcount
    assert changed == 1, f"no stored vote of {voter}"


@then(parsers.re(rf"the audit fails, naming the vote of {q('voter')} in table {q('table')}"))
@then(parsers.re(rf"审计未通过，指出数据表{q('table')}中{q('voter')}的投票"))
def audit_names(world: World, voter: str, table: str) -> None:
    report = world.engine.verify_audit()
    problem = report.problem
    assert problem is not None, "the audit passed"
    assert problem.table == table, problem
    assert problem.row == f"ballot_id={world.facts()['ballot']['id']!r}, voter={voter!r}", problem


@then(
    parsers.re(rf"the audit names the step that recorded the vote of {q('voter')} as {q('word')}")
)
@then(parsers.re(rf"审计指出记录{q('voter')}投票的那一步，所投为{q('word')}"))
def audit_names_the_step(world: World, voter: str, word: str) -> None:
    problem = world.engine.verify_audit().problem
    assert problem is not None, "the audit passed"
    [event] = [
        e
        for e in world.engine.history(world.matter or "")
        if e.trigger == "vote" and e.actor == voter
    ]
    assert (problem.instance_id, problem.seq) == (world.matter, event.seq), problem
    assert (
        event.data["choice"] == choice(world, word) and repr(choice(world, word)) in problem.reason
    ), problem


# The step fixtures pytest-bdd injected above: what ``conftest.py`` imports.
__all__ = [name for name in globals() if name.startswith("pytestbdd_")]

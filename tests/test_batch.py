"""Engine.batch: a SQL store commits the block's steps together at its end and rolls them back
together if it raises; a refused step inside writes nothing; the thread reads what its batch wrote;
subscribers hear of the events after the commit. In memory each step takes effect at once."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from collegium import Engine, EventRecord, ManualClock, SequentialIds
from collegium.errors import NotFound, RuleViolation, TransitionNotAllowed
from tests.conftest import consult_all, propose, standing_committee, to_deliberation


class Boom(Exception):
    pass


def test_a_batch_commits_its_steps_together_and_reads_its_own_writes(sql_engine: Engine) -> None:
    heard: list[EventRecord] = []
    sql_engine.subscribe(heard.append)
    with sql_engine.batch():
        iid = to_deliberation(sql_engine)
        assert sql_engine.get(iid).state == "deliberation"  # read inside, on the batch's connection
        assert [e.trigger for e in sql_engine.history(iid)] == [
            "propose",
            "prepare",
            "start_deliberation",
        ]
        assert heard == []  # nothing is committed yet
    assert [e.trigger for e in heard] == ["propose", "prepare", "start_deliberation"]
    assert sql_engine.get(iid).state == "deliberation"
    assert sql_engine.verify_audit().ok


def test_a_batch_that_raises_leaves_nothing(sql_engine: Engine) -> None:
    heard: list[EventRecord] = []
    sql_engine.subscribe(heard.append)
    before = len(sql_engine.instances())
    with pytest.raises(Boom), sql_engine.batch():
        iid = to_deliberation(sql_engine)
        raise Boom
    assert heard == []
    assert len(sql_engine.instances()) == before
    with pytest.raises(NotFound):
        sql_engine.get(iid)
    # the procedure's definition texts the rolled-back start stored are written again
    again = propose(sql_engine)
    assert sql_engine.get(again).state == "proposed"
    assert sql_engine.verify_audit().ok


def test_a_refused_step_in_a_batch_writes_nothing_and_the_batch_goes_on(sql_engine: Engine) -> None:
    with sql_engine.batch():
        iid = to_deliberation(sql_engine)
        with pytest.raises(RuleViolation):
            sql_engine.fire(iid, "schedule", "sec", {"meeting_at": "2026-03-20T09:00+08:00"})
        with pytest.raises(TransitionNotAllowed):
            sql_engine.fire(iid, "publish", "sec")
        consult_all(sql_engine, iid)
    history = sql_engine.history(iid)
    assert len(history) == 3 + 11
    assert [e.seq for e in history] == list(range(1, 15))
    assert sql_engine.verify_audit().ok


def test_a_batch_inside_a_batch_joins_it(sql_engine: Engine) -> None:
    with pytest.raises(Boom), sql_engine.batch():
        with sql_engine.batch():
            iid = propose(sql_engine)
        assert sql_engine.get(iid).state == "proposed"
        raise Boom
    with pytest.raises(NotFound):
        sql_engine.get(iid)


def test_a_batch_holds_the_sqlite_write_lock_until_it_ends(
    tmp_path: Path, clock: ManualClock
) -> None:
    path = tmp_path / "c.db"
    with Engine.open(str(path), clock=clock, ids=SequentialIds()) as engine:
        engine.define_body(standing_committee())
        with engine.batch():
            iid = propose(engine)
            other = sqlite3.connect(path, timeout=0.05, isolation_level=None)
            try:
                # another connection sees the state before the batch and cannot write meanwhile
                assert other.execute("SELECT count(*) FROM collegium_instances").fetchone() == (0,)
                with pytest.raises(sqlite3.OperationalError, match="locked"):
                    other.execute("BEGIN IMMEDIATE")
            finally:
                other.close()
        seen = sqlite3.connect(path)
        try:
            assert seen.execute("SELECT id FROM collegium_instances").fetchall() == [(iid,)]
        finally:
            seen.close()


def test_in_memory_a_batch_changes_nothing(engine: Engine) -> None:
    heard: list[EventRecord] = []
    engine.subscribe(heard.append)
    with pytest.raises(Boom), engine.batch():
        iid = propose(engine)
        assert [e.trigger for e in heard] == ["propose"]  # each step commits at once
        raise Boom
    assert engine.get(iid).state == "proposed"  # and stays

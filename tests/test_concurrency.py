"""Concurrent writers: no lost update, no vote counted twice, no forked chain; exhausted retries
surface."""

from __future__ import annotations

import multiprocessing
import threading
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa

from collegium import (
    ConcurrentUpdate,
    Engine,
    InvalidInput,
    ManualClock,
    MemoryStore,
    RuleViolation,
    SequentialIds,
)
from collegium.store.protocol import StaleVersion, Write
from collegium.store.sqlengine import make_engine
from collegium.store.sqlstore import SqlStore
from tests._command_worker import PRELOAD
from tests.conftest import (
    START,
    propose,
    standing_committee,
    state_views,
    to_deliberation,
    to_meeting,
)


def test_parallel_votes_are_each_counted_once(db_url: str) -> None:
    clock = ManualClock(START)
    setup = Engine.open(db_url, clock=clock, ids=SequentialIds())
    setup.define_body(standing_committee())
    iid = to_meeting(setup, clock)
    state_views(setup, iid)
    voters = [m.person for m in setup.body("sc").members]
    errors: list[BaseException] = []

    def vote(person: str) -> None:
        engine = Engine.open(
            db_url, clock=clock, ids=SequentialIds()
        )  # one engine (pool) per worker
        try:
            for attempt in range(2):  # the second attempt is a retried request: same key, no effect
                engine.fire(
                    iid, "vote", person, {"choice": "agree"}, idempotency_key=f"vote-{person}"
                )
                del attempt
            with pytest.raises(RuleViolation, match="R-ONE-VOTE"):
                engine.fire(iid, "vote", person, {"choice": "oppose"})
        except BaseException as exc:
            errors.append(exc)
        finally:
            engine.close()

    threads = [threading.Thread(target=vote, args=(p,)) for p in voters]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    inst = setup.get(iid)
    assert setup.ballot(iid).choices == dict.fromkeys(voters, "agree")
    votes = [e for e in setup.history(iid) if e.trigger == "vote"]
    assert sorted(e.actor for e in votes) == sorted(voters)
    assert [e.seq for e in setup.history(iid)] == list(range(1, inst.event_count + 1))
    assert setup.verify_audit().ok
    setup.close()


class _AlwaysStale(MemoryStore):
    """A store on which every update loses the race."""

    def commit(self, write: Write) -> None:
        if write.update is not None:
            raise StaleVersion(write.update.id)
        super().commit(write)


def test_exhausted_retries_surface_as_concurrent_update() -> None:
    engine = Engine(_AlwaysStale(), clock=ManualClock(START), ids=SequentialIds(), max_retries=3)
    engine.define_body(standing_committee())
    iid = engine.start(
        "major_decision",
        "sec",
        {"title": "t", "category": "major", "proposer": "sec", "lead_member": "m1", "body": "sc"},
    ).instance.id
    with pytest.raises(ConcurrentUpdate, match="gave up after 3 retries"):
        engine.fire(iid, "prepare", "m1")
    assert len(engine.history(iid)) == 1


#: a lock wait that ends this session's statement after a fraction of a second (MariaDB counts
#: whole seconds)
SHORT_LOCK_WAIT = {
    "sqlite": "PRAGMA busy_timeout = 200",
    "postgresql": "SET lock_timeout = 200",
    "mysql": "SET SESSION innodb_lock_wait_timeout = 1",
}


def test_a_lock_held_too_long_is_retried_then_surfaces_as_concurrent_update(db_url: str) -> None:
    """Another session holds the instance's lock past the database's lock wait (a stuck or
    partitioned client): the command is retried, then refused with ConcurrentUpdate — not a
    driver's error — and writes nothing."""
    setup = Engine.open(db_url, clock=ManualClock(START), ids=SequentialIds())
    setup.define_body(standing_committee())
    iid = to_deliberation(setup)
    db = make_engine(db_url)
    short = SHORT_LOCK_WAIT[db.dialect.name]

    @sa.event.listens_for(db, "connect")
    def _short_lock_wait(dbapi_conn: Any, _record: Any) -> None:
        cur = dbapi_conn.cursor()
        cur.execute(short)
        cur.close()
        dbapi_conn.commit()

    engine = Engine(SqlStore(db), clock=ManualClock(START), ids=SequentialIds(), max_retries=2)
    holder = sa.create_engine(db_url)
    try:
        with holder.connect() as conn:
            if db.dialect.name == "sqlite":
                conn.exec_driver_sql("BEGIN IMMEDIATE")  # the database's write lock
            else:
                conn.begin()
                conn.execute(
                    sa.text("SELECT id FROM collegium_instances WHERE id = :id FOR UPDATE"),
                    {"id": iid},
                )
            with pytest.raises(ConcurrentUpdate):
                engine.fire(iid, "consult", "sec", {"member": "m1", "view": "agree"})
            conn.rollback()
        assert len(setup.history(iid)) == 3 and "consultations" not in setup.get(iid).facts
        engine.fire(
            iid, "consult", "sec", {"member": "m1", "view": "agree"}
        )  # once the lock is free, it goes
        assert setup.verify_audit().ok
    finally:
        holder.dispose()
        engine.close()
        db.dispose()
        setup.close()


def test_workers_starting_their_first_instances_at_once_all_succeed(db_url: str) -> None:
    """On a new database every worker's first start also stores the definition texts it runs under;
    when several do so at once, all but one find the row inserted under them (a unique key clash):
    that is a lost race, retried, not a start refused."""
    workers = 6
    barrier = threading.Barrier(workers)
    errors: list[BaseException] = []

    def start(w: int) -> None:
        engine = Engine.open(db_url, clock=ManualClock(START))  # random ids: each worker's own
        try:
            barrier.wait(timeout=60)
            propose(engine, title=f"matter {w}")
        except BaseException as exc:
            errors.append(exc)
        finally:
            engine.close()

    with Engine.open(db_url, clock=ManualClock(START), ids=SequentialIds()) as setup:
        setup.define_body(standing_committee())
        threads = [threading.Thread(target=start, args=(w,)) for w in range(workers)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(120)
        assert errors == []
        assert len(setup.instances("major_decision")) == workers
        assert setup.verify_audit().ok


def test_workers_defining_the_same_body_at_once_all_succeed(db_url: str) -> None:
    """Every worker of a deployment may define its bodies when it starts (as the README's example
    does): replacing one body from several processes at once must neither fail nor mix two
    memberships."""
    workers = 6
    barrier = threading.Barrier(workers)
    errors: list[BaseException] = []

    def define(w: int) -> None:
        engine = Engine.open(db_url, clock=ManualClock(START))
        try:
            barrier.wait(timeout=60)
            for _ in range(5):
                engine.define_body(
                    standing_committee(11 + w % 2)
                )  # two memberships, replacing each other
        except BaseException as exc:
            errors.append(exc)
        finally:
            engine.close()

    with Engine.open(db_url, clock=ManualClock(START), ids=SequentialIds()) as setup:
        threads = [threading.Thread(target=define, args=(w,)) for w in range(workers)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(120)
        assert errors == []
        assert setup.body("sc").members in (
            standing_committee(11).members,
            standing_committee(12).members,
        )
        twice = standing_committee(11)
        with pytest.raises(
            InvalidInput, match="lists a person twice"
        ):  # a clash no retry would resolve
            setup.define_body(
                twice.model_copy(update={"members": (*twice.members, twice.members[-1])})
            )
        assert setup.body("sc").members in (
            standing_committee(11).members,
            standing_committee(12).members,
        )


def _open_new_database(url: str, barrier: Any, out: str) -> None:
    """A worker process opening the database when the others do (tests below)."""
    try:
        barrier.wait(timeout=60)
        Engine.open(url, clock=ManualClock(START)).close()
        result = "ok"
    except Exception as exc:
        result = f"{type(exc).__name__}: {exc}"
    Path(out).write_text(result, encoding="utf-8")


def test_worker_processes_opening_a_new_database_at_once_migrate_it_once(
    db_url: str, tmp_path: Path
) -> None:
    """Every worker of a new deployment opens the (empty) database when it starts, so all migrate it
    at once: one migrates it, the others wait and find it current — no 'table already exists', no
    'database is locked'."""
    ctx = multiprocessing.get_context("forkserver")
    ctx.set_forkserver_preload(PRELOAD)
    barrier = ctx.Barrier(6)
    outs = [tmp_path / f"open-{w}.txt" for w in range(6)]
    procs = [
        ctx.Process(target=_open_new_database, args=(db_url, barrier, str(out))) for out in outs
    ]
    for p in procs:
        p.start()
    for p in procs:
        p.join(120)
        if p.is_alive():
            p.kill()
            p.join()
    assert [out.read_text(encoding="utf-8") if out.exists() else "no answer" for out in outs] == [
        "ok"
    ] * 6
    with Engine.open(db_url, clock=ManualClock(START)) as engine:
        engine.define_body(standing_committee())
        assert engine.verify_audit().ok

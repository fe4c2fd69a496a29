"""The async API (issue 7, point 4): :class:`collegium.AsyncEngine` over SQLAlchemy's async engine
on every backend.

The scenarios themselves run through both faces elsewhere (the feature files, parametrized by
``api``) and here (every example scenario, on every backend, through both); this file adds what
only an async caller can see: tasks sharing one engine, the event loop running while a command
waits for a lock, the host's ``AsyncSession`` and ``AsyncConnection``, coroutine subscribers, and
the outbox across a restart.
"""

from __future__ import annotations

import asyncio
import inspect
from collections.abc import Awaitable, Callable
from functools import cache
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession, create_async_engine

from collegium import (
    AsyncEngine,
    AsyncOutbox,
    ConcurrentUpdate,
    Engine,
    EventRecord,
    InvalidInput,
    ManualClock,
    NotFound,
    Outbox,
    Registry,
    RuleViolation,
    SequentialIds,
    TransitionNotAllowed,
)
from collegium.engine.aio import async_url
from collegium.engine.clock import parse_time
from collegium.scenario import Scenario, run
from collegium.store.sqlengine import make_engine
from tests._async_bridge import APIS, Blocking, async_db_url
from tests.conftest import MATTER, START, _reset_tables, standing_committee
from tests.test_concurrency import SHORT_LOCK_WAIT
from tests.test_hosted import host_metadata, records

SCENARIOS = sorted((Path(__file__).parent.parent / "examples" / "scenarios").glob("*.yaml"))


def arun(main: Callable[[], Awaitable[Any]]) -> Any:
    return asyncio.run(main())  # type: ignore[arg-type]


async def opened(db_url: str, **kwargs: Any) -> AsyncEngine:
    return await AsyncEngine.open(
        async_db_url(db_url),
        clock=kwargs.pop("clock", ManualClock(START)),
        ids=SequentialIds(),
        registry=builtin(),
        **kwargs,
    )


async def proposed(engine: AsyncEngine) -> str:
    await engine.define_body(standing_committee())
    iid = (await engine.start("major_decision", "sec", MATTER)).instance.id
    await engine.fire(iid, "prepare", "m1")
    await engine.fire(iid, "start_deliberation", "m1", {"preparation": "research done"})
    return iid


# -- the same scenarios through both faces ---------------------------------------------------------
@cache
def builtin() -> Registry:
    return Registry.builtin()  # shared by every engine here, as a host shares it


@cache
def reference(path: Path) -> tuple[list[Any], list[tuple[str, int, str]]]:
    """The example as the sync engine runs it in memory: its step reports and every event's hash."""
    scn = Scenario.load(path.read_text(encoding="utf-8"), path.name)
    clock = ManualClock(parse_time(scn.spec.start, "start"))
    engine, reports = run(
        scn, Engine.in_memory(clock=clock, ids=SequentialIds(), registry=builtin())
    )
    return reports, chains(engine)


def chains(engine: Any) -> list[tuple[str, int, str]]:
    return [
        (e.instance_id, e.seq, e.hash) for i in engine.instances() for e in engine.history(i.id)
    ]


@pytest.mark.parametrize("api", APIS)
def test_every_example_takes_the_same_steps_to_the_same_hashes_through_both_apis(
    db_url: str, api: str, tmp_path: Path
) -> None:
    """Same reports, and event for event the same hash chains (the hash covers data, verdict, time
    and the previous hash), as the sync engine in memory."""
    for n, path in enumerate(SCENARIOS):
        scn = Scenario.load(path.read_text(encoding="utf-8"), path.name)
        url = db_url.replace("collegium.db", f"example{n}.db")
        if not url.startswith("sqlite"):
            _reset_tables(url)
        clock = ManualClock(parse_time(scn.spec.start, "start"))
        engine: Any = (
            Engine.open(url, clock=clock, ids=SequentialIds(), registry=builtin())
            if api == "sync"
            else Blocking.open(url, clock=clock, ids=SequentialIds(), registry=builtin())
        )
        try:
            _, reports = run(scn, engine)
            assert (reports, chains(engine)) == reference(path), path.name
            assert engine.verify_audit().ok
        finally:
            engine.close()


def test_the_faces_have_the_same_methods_with_the_same_arguments() -> None:
    # batch: the sync engine's own (a batch is the thread's that opens it; each async command runs
    # apart)
    public = {n for n, v in vars(Engine).items() if not n.startswith("_") and callable(v)} - {
        "in_memory",
        "batch",
    }
    for name in sorted(public):
        sync, face = getattr(Engine, name), getattr(AsyncEngine, name)
        sync_params = list(inspect.signature(sync).parameters.values())
        face_params = list(inspect.signature(face).parameters.values())
        assert [(p.name, p.kind, p.default) for p in face_params] == [
            (p.name, p.kind, p.default) for p in sync_params
        ], name
        assert inspect.iscoroutinefunction(face) == (name not in ("subscribe", "scan")), name
    assert inspect.isasyncgenfunction(AsyncEngine.scan)  # ``async for``: one awaited read per page
    for name in ("pending", "ack"):
        assert (
            inspect.signature(getattr(AsyncOutbox, name)).parameters.keys()
            == inspect.signature(getattr(Outbox, name)).parameters.keys()
        )
        assert inspect.iscoroutinefunction(getattr(AsyncOutbox, name))


def test_urls_go_to_their_async_drivers() -> None:
    assert async_url("decisions.db") == "sqlite+aiosqlite:///decisions.db"
    assert async_url("sqlite://") == "sqlite+aiosqlite://"
    assert async_url("postgresql://u@h/db") == "postgresql+asyncpg://u@h/db"
    assert (
        async_url("postgresql+psycopg://u@h/db") == "postgresql+psycopg://u@h/db"
    )  # psycopg 3 has both modes
    assert async_url("mysql+pymysql://root@h/db") == "mysql+aiomysql://root@h/db"
    assert async_url("postgresql+asyncpg://u@h/db") == "postgresql+asyncpg://u@h/db"


def test_bad_targets_are_refused_in_one_line() -> None:
    async def main() -> None:
        with pytest.raises(InvalidInput, match="not int"):
            await AsyncEngine.open(3, clock=ManualClock(START))  # type: ignore[arg-type]
        with pytest.raises(InvalidInput, match="cannot use database"):
            await AsyncEngine.open("nosuchdriver://x", clock=ManualClock(START))

    arun(main)


# -- what only an async caller sees ----------------------------------------------------------------
def test_tasks_sharing_one_engine_count_each_vote_once(db_url: str) -> None:
    """Eleven members consulted at once, then their views at the meeting (the secretary's last) and
    a ballot where each vote is also resent with its key, all as concurrent tasks on one engine:
    every command takes effect once, the chain stays whole."""

    async def main() -> None:
        clock = ManualClock(START)
        engine = await opened(db_url, clock=clock)
        try:
            iid = await proposed(engine)
            people = [m.person for m in (await engine.body("sc")).members]
            await asyncio.gather(
                *(
                    engine.fire(iid, "consult", "sec", {"member": p, "view": "agree"})
                    for p in people
                )
            )
            at = clock.now().replace(day=clock.now().day + 3).isoformat()
            await engine.fire(iid, "schedule", "sec", {"meeting_at": at})
            clock.set(clock.now().replace(day=clock.now().day + 3))
            await engine.fire(
                iid, "open_meeting", "sec", {"attendance": dict.fromkeys(people, "present")}
            )
            others = [p for p in people if p != "sec"]  # their views at once, the secretary's last
            await asyncio.gather(
                *(engine.fire(iid, "state_view", p, {"view": "agree"}) for p in others)
            )
            await engine.fire(iid, "state_view", "sec", {"view": "agree"})
            votes = [
                engine.fire(iid, "vote", p, {"choice": "agree"}, idempotency_key=f"v-{p}")
                for p in people
                if p != "sec"
                for _ in range(2)
            ]
            outcomes = await asyncio.gather(*votes)
            assert (
                len({o.event.seq for o in outcomes}) == len(people) - 1
            )  # each resend answered by its first
            assert (await engine.ballot(iid)).choices == {p: "agree" for p in people if p != "sec"}
            history = await engine.history(iid)
            assert [e.seq for e in history] == list(range(1, len(history) + 1))
            assert [e.actor for e in history if e.trigger == "state_view"][-1] == "sec"
            assert sum(e.trigger == "state_view" for e in history) == len(people)
            assert (await engine.verify_audit()).ok
        finally:
            await engine.close()

    arun(main)


def test_the_loop_runs_other_tasks_while_a_command_waits_for_a_lock(db_url: str) -> None:
    """Another connection holds the write lock; the fire waits for it without blocking the event
    loop."""

    async def main() -> None:
        engine = await opened(db_url)
        blocker = sa.create_engine(db_url)
        try:
            iid = await proposed(engine)
            ticks = 0
            with blocker.connect() as other:
                if blocker.dialect.name == "sqlite":
                    other.exec_driver_sql("BEGIN IMMEDIATE")
                else:
                    other.execute(
                        sa.text("SELECT id FROM collegium_instances WHERE id = :i FOR UPDATE"),
                        {"i": iid},
                    )
                fired = asyncio.ensure_future(
                    engine.fire(iid, "consult", "sec", {"member": "m1", "view": "agree"})
                )
                while ticks < 20:  # the loop keeps turning: the fire is waiting, not holding it
                    await asyncio.sleep(0.01)
                    ticks += 1
                assert not fired.done()
                other.rollback()
            outcome = await fired
            assert outcome.event.trigger == "consult" and ticks == 20
        finally:
            blocker.dispose()
            await engine.close()

    arun(main)


def test_refusals_raise_the_same_typed_errors_and_write_nothing(db_url: str) -> None:
    async def main() -> None:
        engine = await opened(db_url)
        try:
            iid = await proposed(engine)
            before = (
                await engine.get(iid),
                len(await engine.history(iid)),
                len(await engine.outbox.pending(1000)),
            )
            with pytest.raises(InvalidInput, match="unknown trigger"):
                await engine.fire(iid, "no_such_trigger", "sec")
            with pytest.raises(TransitionNotAllowed):
                await engine.fire(iid, "publish", "sec")
            with pytest.raises(RuleViolation, match="R-ROLE"):
                await engine.fire(iid, "consult", "stranger", {"member": "m1", "view": "agree"})
            with pytest.raises(NotFound):
                await engine.get("missing")
            for bad in ("nul\x00id", "lone\ud800"):  # the async drivers' errors are the store's too
                with pytest.raises((InvalidInput, NotFound)):
                    await engine.get(bad)
                with pytest.raises((InvalidInput, NotFound)):
                    await engine.fire(bad, "consult", "sec", {"member": "m1", "view": "agree"})
            with pytest.raises(InvalidInput):
                await engine.outbox.pending(0)
            verdict = await engine.check(
                iid, "consult", "stranger", {"member": "m1", "view": "agree"}
            )
            assert not verdict.passed and "R-ROLE" in [r.rule_id for r in verdict.failures]
            assert [a.trigger for a in await engine.available(iid, "sec")]
            after = (
                await engine.get(iid),
                len(await engine.history(iid)),
                len(await engine.outbox.pending(1000)),
            )
            assert after == before
        finally:
            await engine.close()

    arun(main)


def test_coroutine_subscribers_are_awaited_after_commit_and_their_errors_logged(
    db_url: str, caplog: pytest.LogCaptureFixture
) -> None:
    async def main() -> None:
        engine = await opened(db_url)
        seen: list[tuple[str, int]] = []
        plain: list[str] = []

        async def push(event: EventRecord) -> None:
            await asyncio.sleep(0)  # a real await: a websocket send, say
            seen.append((event.trigger, event.seq))

        async def broken(event: EventRecord) -> None:
            raise RuntimeError("the push service is down")

        try:
            undo = engine.subscribe(push)
            engine.subscribe(broken)
            engine.subscribe(lambda e: plain.append(e.trigger))
            iid = await proposed(engine)
            with pytest.raises(RuleViolation):
                await engine.fire(iid, "consult", "stranger", {"member": "m1", "view": "agree"})
            assert seen == [("propose", 1), ("prepare", 2), ("start_deliberation", 3)]
            assert plain == ["propose", "prepare", "start_deliberation"]
            undo()
            await engine.fire(iid, "consult", "sec", {"member": "m1", "view": "agree"})
            assert len(seen) == 3 and len(plain) == 4
            assert (await engine.get(iid)).event_count == 4  # the broken subscriber undid nothing
        finally:
            await engine.close()

    arun(main)
    assert "the push service is down" in caplog.text


def test_the_outbox_delivers_each_event_once_per_ack_across_a_restart(db_url: str) -> None:
    async def main() -> None:
        engine = await opened(db_url)
        iid = await proposed(engine)
        first = await engine.outbox.pending(2)
        assert [e.event.seq for e in first] == [1, 2]
        assert await engine.outbox.ack(first) == 2
        await engine.close()  # the worker restarts before acknowledging the third entry
        engine = await opened(db_url)
        try:
            rest = await engine.outbox.pending(100)
            assert [(e.event.instance_id, e.event.seq) for e in rest] == [(iid, 3)]
            assert (
                await engine.outbox.ack([rest[0].id]) == 1
                and await engine.outbox.ack([rest[0].id]) == 0
            )
            assert await engine.outbox.pending() == []
        finally:
            await engine.close()

    arun(main)


@pytest.mark.parametrize("kind", ["connection", "session"])
@pytest.mark.parametrize("outcome", ["commit", "rollback"])
def test_in_the_hosts_async_transaction_both_commit_or_roll_back_together(
    db_url: str, kind: str, outcome: str
) -> None:
    async def main() -> tuple[int, int]:
        migrated = await opened(db_url)
        await migrated.define_body(standing_committee())
        await migrated.close()
        host = create_async_engine(async_db_url(db_url))
        try:
            async with host.begin() as conn:
                await conn.run_sync(host_metadata.drop_all)
                await conn.run_sync(host_metadata.create_all)
            async with host.connect() as conn, AsyncSession(host) as session:
                target = conn if kind == "connection" else session
                engine = await AsyncEngine.open(
                    target, clock=ManualClock(START), ids=SequentialIds(), registry=builtin()
                )
                pushed: list[int] = []

                async def push(event: EventRecord) -> None:
                    await asyncio.sleep(0)
                    pushed.append(event.seq)

                engine.subscribe(push)
                iid = (await engine.start("major_decision", "sec", MATTER)).instance.id
                await target.execute(sa.insert(records).values(id=1, note="proposal filed"))
                await engine.fire(iid, "prepare", "m1")
                assert [e.seq for e in await engine.history(iid)] == [1, 2]
                assert pushed == []  # not committed yet: the host commits
                await (target.commit() if outcome == "commit" else target.rollback())
                # a session says when it commits; a bare connection does not (the outbox is for
                # that)
                assert pushed == ([1, 2] if (kind, outcome) == ("session", "commit") else [])
                await engine.close()
            async with host.connect() as conn:
                rows = (
                    await conn.execute(sa.select(sa.func.count()).select_from(records))
                ).scalar_one()
            reader = await opened(db_url)
            try:
                events = sum([len(await reader.history(i.id)) for i in await reader.instances()])
            finally:
                await reader.close()
            async with host.begin() as conn:
                await conn.run_sync(host_metadata.drop_all)
            return int(rows), events
        finally:
            await host.dispose()

    assert arun(main) == ((1, 2) if outcome == "commit" else (0, 0))


def test_an_in_memory_async_engine_runs_commands_one_at_a_time() -> None:
    async def main() -> None:
        for engine in (
            AsyncEngine.in_memory(
                clock=ManualClock(START), ids=SequentialIds(), registry=builtin()
            ),
            await opened("sqlite://"),
        ):
            async with engine:
                iid = await proposed(engine)
                people = [m.person for m in (await engine.body("sc")).members]
                await asyncio.gather(
                    *(
                        engine.fire(iid, "consult", "sec", {"member": p, "view": "agree"})
                        for p in people
                    )
                )
                assert (
                    len(await engine.history(iid)) == 3 + len(people)
                    and (await engine.verify_audit()).ok
                )

    arun(main)


def test_a_lock_held_too_long_is_retried_then_surfaces_as_concurrent_update(db_url: str) -> None:
    """As on the sync engine: past the database's lock wait the command is retried, then refused
    with ConcurrentUpdate, not the async driver's error (asyncpg reports a lock timeout as a generic
    DBAPI error)."""
    short = SHORT_LOCK_WAIT[sa.make_url(db_url).get_backend_name()]

    async def main() -> None:
        setup = await opened(db_url)
        iid = await proposed(setup)
        await setup.close()
        db = make_engine(async_db_url(db_url), run_async=True)

        @sa.event.listens_for(db.sync_engine, "connect")
        def _short_lock_wait(dbapi_conn: Any, _record: Any) -> None:
            cur = dbapi_conn.cursor()
            cur.execute(short)
            cur.close()
            dbapi_conn.commit()

        engine = await AsyncEngine.open(
            db, clock=ManualClock(START), ids=SequentialIds(), registry=builtin()
        )
        engine.sync.max_retries = 1
        holder = sa.create_engine(db_url)
        try:
            with holder.connect() as conn:
                if holder.dialect.name == "sqlite":
                    conn.exec_driver_sql("BEGIN IMMEDIATE")
                else:
                    conn.begin()
                    conn.execute(
                        sa.text("SELECT id FROM collegium_instances WHERE id = :id FOR UPDATE"),
                        {"id": iid},
                    )
                with pytest.raises(ConcurrentUpdate):
                    await engine.fire(iid, "consult", "sec", {"member": "m1", "view": "agree"})
                conn.rollback()
            assert len(await engine.history(iid)) == 3
            await engine.fire(
                iid, "consult", "sec", {"member": "m1", "view": "agree"}
            )  # the lock is free: it goes
        finally:
            holder.dispose()
            await engine.close()
            await db.dispose()

    arun(main)


def test_coroutine_subscribers_run_once_each_after_the_connection_is_back_and_may_call_the_engine(
    db_url: str,
) -> None:
    async def check(engine: AsyncEngine) -> None:
        states: list[str] = []
        checked_out: list[int] = []
        pool = engine.sync.store.engine.pool  # type: ignore[attr-defined]

        async def reread(event: EventRecord) -> None:
            if hasattr(
                pool, "checkedout"
            ):  # a queue pool; the one shared connection's has no count
                # a connection SQLite keeps for its thread's next command is out of the pool, and
                # free
                checked_out.append(
                    pool.checkedout() - engine.sync.store.kept.idle()  # type: ignore[attr-defined]
                )
            states.append(
                (await engine.get(event.instance_id)).state
            )  # the engine, from a subscriber

        async def counts(event: EventRecord) -> None:
            states.append(f"#{event.seq}")

        try:
            engine.subscribe(reread)
            engine.subscribe(counts)
            iid = await asyncio.wait_for(
                proposed(engine), timeout=30
            )  # no deadlock on the shared connection
            assert states == ["proposed", "#1", "preparation", "#2", "deliberation", "#3"], iid
            assert checked_out == ([0, 0, 0] if hasattr(pool, "checkedout") else [])
        finally:
            await engine.close()

    async def main() -> None:
        await check(await opened(db_url))  # pooled
        await check(await opened("sqlite://"))  # one shared connection

    arun(main)


def test_a_hosts_single_connection_async_engine_runs_commands_one_at_a_time() -> None:
    async def main() -> None:
        host = create_async_engine(
            "sqlite+aiosqlite://"
        )  # in memory: one connection, shared by every task
        try:
            engine = await AsyncEngine.open(
                host, clock=ManualClock(START), ids=SequentialIds(), registry=builtin()
            )
            iid = await proposed(engine)
            people = [m.person for m in (await engine.body("sc")).members]
            await asyncio.gather(
                *(
                    engine.fire(iid, "consult", "sec", {"member": p, "view": "agree"})
                    for p in people
                )
            )
            assert len(await engine.history(iid)) == 3 + len(people)
            await engine.close()
        finally:
            await host.dispose()

    arun(main)

"""The asyncio face of the engine: :class:`AsyncEngine`, over SQLAlchemy's async engine (aiosqlite,
asyncpg, psycopg's async mode, aiomysql).

It is the same engine, not a second one. Each method runs
:class:`~collegium.engine.engine.Engine`'s own code in SQLAlchemy's greenlet bridge, the one
SQLAlchemy's ``AsyncSession`` is built on: where the engine waits for the database, the event loop
runs other tasks, and every rule, retry, lock, savepoint and hash is the sync engine's. So the two
faces cannot drift apart: one implementation, two ways to call it (the test suite runs the same
scenarios through both). How the face reaches its database — the async drivers, the host's async
objects, the bridge — is :mod:`collegium.engine.asyncdb`; how it awaits coroutine subscribers,
:mod:`collegium.engine.asyncsubs`.

Concurrent tasks may share one ``AsyncEngine``: each command takes a connection of its own from the
pool, as threads sharing a sync engine do. On a single connection — the host's ``AsyncConnection``
or ``AsyncSession``, or an in-memory SQLite database — commands are run one at a time, since one
connection cannot interleave two transactions.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import inspect
from collections.abc import AsyncIterator, Awaitable, Callable, Iterable, Iterator, Mapping
from functools import partial
from itertools import islice
from typing import TYPE_CHECKING, Any, ParamSpec, TypeVar

from collegium.engine.asyncdb import async_url, open_store, spawn
from collegium.engine.asyncsubs import AsyncSubscribers
from collegium.engine.clock import Clock, IdFactory
from collegium.engine.engine import Availability, Engine, Instance, Outcome
from collegium.engine.governance import Directory
from collegium.store.bodies import Body
from collegium.store.outbox import OutboxEntry
from collegium.store.records import EventRecord

if TYPE_CHECKING:
    from sqlalchemy.ext.asyncio import AsyncEngine as SaAsyncEngine

    from collegium.engine.asyncdb import AsyncTarget
    from collegium.engine.audit import AuditReport
    from collegium.engine.ballots import Ballot, Meeting
    from collegium.engine.checkpoint import CheckpointReport, CheckpointSource, CheckpointTarget
    from collegium.engine.keys import PublicKey, SigningKey
    from collegium.engine.manifest import Checkpoint
    from collegium.engine.registry import Registry
    from collegium.engine.scheduler import TimerRun
    from collegium.rules.verdict import Verdict

# ``async_url`` stays importable from here, where the public API names it
__all__ = ["AsyncEngine", "AsyncOutbox", "async_url"]

P = ParamSpec("P")
T = TypeVar("T")


class AsyncOutbox:
    """The outbox of an async engine's store (``engine.outbox``); see
    :class:`~collegium.store.outbox.Outbox`."""

    def __init__(self, engine: AsyncEngine) -> None:
        self._engine = engine

    async def pending(self, limit: int = 100, *, after: int | None = None) -> list[OutboxEntry]:
        """Up to ``limit`` entries not yet acknowledged, oldest first (``after``: only those
        numbered above it)."""
        return await self._engine._run(self._engine.sync.outbox.pending, limit, after=after)

    async def ack(self, ids: Iterable[int | OutboxEntry]) -> int:
        """Acknowledge entries (by id or as returned): they are not delivered again. Returns how
        many were pending."""
        return await self._engine._run(self._engine.sync.outbox.ack, list(ids))


class AsyncEngine:
    """The asyncio face of :class:`~collegium.engine.engine.Engine`: the same methods with the same
    arguments, results, errors and semantics, awaited. Open one with :meth:`open` (or
    :meth:`in_memory`) and close it with :meth:`close`, or use it as ``async with``.

    ``sync`` is the engine underneath; its methods are the sync engine's, which may only be called
    through this face on an async database (outside SQLAlchemy's greenlet bridge its driver cannot
    wait).
    """

    def __init__(
        self, engine: Engine, *, owned: SaAsyncEngine | None = None, serial: bool = False
    ) -> None:
        self.sync = engine
        #: every committed event, until acknowledged (:class:`AsyncOutbox`)
        self.outbox = AsyncOutbox(self)
        self._owned = owned
        self._serial = asyncio.Lock() if serial else None
        self._subscribers = AsyncSubscribers(engine)

    @classmethod
    async def open(
        cls,
        target: AsyncTarget = "collegium.db",
        *,
        clock: Clock,
        ids: IdFactory | None = None,
        registry: Registry | None = None,
        directory: Directory | None = None,
        auto_migrate: bool = True,
    ) -> AsyncEngine:
        """An async engine on a database: a URL or SQLite file path (a sync driver's URL is taken to
        its async driver, see :func:`~collegium.engine.asyncdb.async_url`), or the host's
        SQLAlchemy ``AsyncEngine`` (its pool, each command in a transaction of its own),
        ``AsyncConnection`` or ``AsyncSession`` (the host's transaction: each command in a
        savepoint, and the host commits), as :meth:`Engine.open
        <collegium.engine.engine.Engine.open>` does."""
        store, owned, serial = await open_store(target, auto_migrate=auto_migrate)
        return cls(
            Engine(store, clock=clock, ids=ids, registry=registry, directory=directory),
            owned=owned,
            serial=serial,
        )

    @classmethod
    def in_memory(
        cls,
        *,
        clock: Clock,
        ids: IdFactory | None = None,
        registry: Registry | None = None,
        directory: Directory | None = None,
    ) -> AsyncEngine:
        """An async engine on a :class:`~collegium.store.memstore.MemoryStore` (tests and
        simulations)."""
        return cls(Engine.in_memory(clock=clock, ids=ids, registry=registry, directory=directory))

    async def close(self) -> None:
        """Release the store's connections, and the async engine this face opened (not a host's)."""
        await spawn(self.sync.close)
        if self._owned is not None:
            await self._owned.dispose()

    async def __aenter__(self) -> AsyncEngine:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.close()

    async def _run(self, fn: Callable[P, T], *args: P.args, **kwargs: P.kwargs) -> T:
        events: list[EventRecord] = []
        collecting = self._subscribers.collecting
        try:
            if self._serial is None:
                return await spawn(collecting, events, partial(fn, *args, **kwargs))
            async with self._serial:
                return await spawn(collecting, events, partial(fn, *args, **kwargs))
        finally:
            # committed: awaited once the command's connection and lock are let go, even if it then
            # failed
            await self._subscribers.deliver(events)

    # -- what the engine holds ----------------------------------------------------------------
    @property
    def clock(self) -> Clock:
        """The wrapped engine's clock."""
        return self.sync.clock

    @property
    def registry(self) -> Registry:
        """The wrapped engine's registry of procedures and rule packs."""
        return self.sync.registry

    @property
    def directory(self) -> Directory | None:
        """The wrapped engine's directory of people, if it was given one."""
        return self.sync.directory

    def subscribe(
        self, callback: Callable[[EventRecord], Awaitable[None] | None]
    ) -> Callable[[], None]:
        """Call ``callback(event)`` after each event's commit (errors are logged); returns the undo.

        A coroutine function is awaited after the command's transaction and connection are done
        with, before the command returns, so it may call the engine; on the host's ``AsyncSession``
        it is awaited when the host commits (within the host's ``commit()``)."""
        if not inspect.iscoroutinefunction(callback):
            return self.sync.subscribe(callback)  # type: ignore[arg-type]
        return self._subscribers.add(callback)

    # -- bodies -------------------------------------------------------------------------------
    async def define_body(self, body: Body, *, pack: str | None = None) -> Body:
        """Create or replace a body and its members (not with a host's directory: the host keeps
        them); each member's role one of ``pack``'s, or of a loaded pack's without it."""
        return await self._run(self.sync.define_body, body, pack=pack)

    async def body(self, body_id: str) -> Body:
        """The body ``body_id`` with its current members; :class:`~collegium.errors.NotFound` if
        there is none."""
        return await self._run(self.sync.body, body_id)

    # -- reading ------------------------------------------------------------------------------
    async def get(self, instance_id: str) -> Instance:
        """The instance as it stands now; :class:`~collegium.errors.NotFound` if there is none."""
        return await self._run(self.sync.get, instance_id)

    async def history(self, instance_id: str) -> list[EventRecord]:
        """Every event of an instance, oldest first."""
        return await self._run(self.sync.history, instance_id)

    async def instances(
        self, procedure: str | None = None, state: str | None = None
    ) -> list[Instance]:
        """Instances, oldest first, optionally of one procedure and/or in one state."""
        return await self._run(self.sync.instances, procedure, state)

    async def scan(
        self,
        procedure: str | None = None,
        state: str | None = None,
        *,
        batch: int = 1000,
        after: tuple[str, str, str] | None = None,
    ) -> AsyncIterator[Instance]:
        """Instances streamed, ``batch`` per short read, resumed past ``after`` when given (see
        ``Engine.scan``): ``async for i in engine.scan()``."""
        pages = self.sync.scan(procedure, state, batch=batch, after=after)  # reads nothing yet
        while page := await self._run(_take, pages, batch):
            for instance in page:
                yield instance

    async def find(
        self,
        procedure: str,
        states: tuple[str, ...] | None = None,
        *,
        before: tuple[str, str] | None = None,
        **equals: str,
    ) -> list[Instance]:
        """Instances of ``procedure`` (in ``states``) by the facts it indexes (see
        ``Engine.find``)."""
        return await self._run(self.sync.find, procedure, states, before=before, **equals)

    async def ballot(self, instance_id: str) -> Ballot:
        """The instance's ballot (the one opened with its last meeting); totals hidden while a
        secret one is open."""
        return await self._run(self.sync.ballot, instance_id)

    async def meeting(self, instance_id: str) -> Meeting:
        """The instance's last meeting: frozen membership, attendance, stated views."""
        return await self._run(self.sync.meeting, instance_id)

    async def verify_audit(self) -> AuditReport:
        """Recompute every hash chain and meeting record; the first problem found, if any."""
        return await self._run(self.sync.verify_audit)

    async def checkpoint(self, key: SigningKey | bytes, out: CheckpointTarget) -> Checkpoint:
        """Verify the audit, then write a signed checkpoint of every chain's head to ``out``."""
        return await self._run(self.sync.checkpoint, key, out)

    async def verify_checkpoint(
        self, against: CheckpointSource, public_key: PublicKey | bytes
    ) -> CheckpointReport:
        """Check every head a signed checkpoint lists against the store, then verify the audit."""
        return await self._run(self.sync.verify_checkpoint, against, public_key)

    # -- commands -----------------------------------------------------------------------------
    async def start(
        self,
        procedure: str,
        actor: str,
        data: Mapping[str, Any] | None = None,
        *,
        instance_id: str | None = None,
        version: int | None = None,
        pack_version: str | None = None,
    ) -> Outcome:
        """Start an instance of ``procedure``; a retried start (same ``instance_id``, same command)
        returns the first outcome."""
        return await self._run(
            self.sync.start,
            procedure,
            actor,
            data,
            instance_id=instance_id,
            version=version,
            pack_version=pack_version,
        )

    async def fire(
        self,
        instance_id: str,
        trigger: str,
        actor: str,
        data: Mapping[str, Any] | None = None,
        *,
        idempotency_key: str | None = None,
    ) -> Outcome:
        """Fire ``trigger`` on an instance as ``actor`` with ``data``; a refusal raises and writes
        nothing."""
        return await self._run(
            self.sync.fire, instance_id, trigger, actor, data, idempotency_key=idempotency_key
        )

    async def check(
        self, instance_id: str, trigger: str, actor: str, data: Mapping[str, Any] | None = None
    ) -> Verdict:
        """Dry run: the verdict ``fire`` would reach, without firing or writing anything."""
        return await self._run(self.sync.check, instance_id, trigger, actor, data)

    async def available(self, instance_id: str, actor: str) -> list[Availability]:
        """Each trigger that leaves the current state, and whether ``actor`` could fire it now (no
        data)."""
        return await self._run(self.sync.available, instance_id, actor)

    async def run_due(
        self, until: dt.datetime | None = None, *, batch: int = 500
    ) -> list[TimerRun]:
        """Fire every timer due by ``until`` (default: the clock's now), earliest first (see
        ``Engine.run_due``)."""
        return await self._run(self.sync.run_due, until, batch=batch)


def _take(items: Iterator[Instance], count: int) -> list[Instance]:
    """The next ``count`` items at most: one page of a scan (the store reads a page when its first
    item is asked)."""
    return list(islice(items, count))

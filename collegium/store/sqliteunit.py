"""A SQLite store unit: one command's transaction on a DBAPI connection the thread keeps.

SQLAlchemy's connection, begin and commit cost several times SQLite's own work for a short
command, and so does checking a connection out of the pool and back in (with a rollback on the
way back). A :class:`SqliteUnit` therefore begins and ends its transaction on the DBAPI connection
itself, and :class:`Kept` lends each thread the same pooled connection from one command to the
next.
"""

from __future__ import annotations

import os
import threading
from functools import partial
from typing import TYPE_CHECKING, Any

from sqlalchemy import Connection

from collegium.store.sqlunit import SqlUnit

if TYPE_CHECKING:
    from sqlalchemy import Engine

    from collegium.store.sqlstore import SqlStore


def in_transaction(dbapi_conn: Any) -> bool:
    """Whether a SQLite DBAPI connection has a transaction open: ``sqlite3``'s own, or the one under
    an async driver's adapted connection (aiosqlite's, which SQLAlchemy's adapter does not pass
    on)."""
    return bool(getattr(dbapi_conn, "driver_connection", dbapi_conn).in_transaction)


class Kept:
    """Pooled connections lent to threads: a thread's units reuse one connection, checked out of the
    pool once, while it is free (a unit opened inside another, on the same thread, checks out one
    of its own). At most ``limit`` threads keep one, so the pool keeps room for the store's reads;
    a thread that has ended leaves its connection to the pool when another thread next checks one
    out, and :meth:`close` gives every kept connection back."""

    def __init__(self, engine: Engine, limit: int = 4) -> None:
        self._engine = engine
        self._limit = limit
        self._local = threading.local()
        self._lock = threading.Lock()
        #: thread -> its kept connection
        self._kept: dict[threading.Thread, _Slot] = {}

    def lend(self) -> tuple[Any, bool]:
        """A pooled connection for one unit, and whether it is this thread's kept one."""
        slot: _Slot | None = getattr(self._local, "slot", None)
        if slot is not None and not slot.busy and slot.pid == os.getpid():
            slot.busy = True
            return slot.pooled, True
        pooled = self._engine.raw_connection()
        if slot is None:
            with self._lock:
                self._release_ended()
                if len(self._kept) < self._limit:
                    self._local.slot = self._kept[threading.current_thread()] = _Slot(pooled)
                    return pooled, True
        return pooled, False

    def back(self, pooled: Any, kept: bool, *, checked_in: bool) -> None:
        """The unit is done with ``pooled``; ``checked_in``: something gave it back to the pool
        already (a SQLAlchemy connection made on it, when closed), or it must not be used again."""
        if not kept:
            if not checked_in:
                pooled.close()
        elif checked_in:
            self._forget()
        else:
            self._local.slot.busy = False

    def drop(self, pooled: Any, kept: bool) -> None:
        """The connection failed in a way that leaves its state unknown: never reuse it."""
        if kept:
            self._forget()
        pooled.invalidate()

    def idle(self) -> int:
        """How many kept connections no unit is using now (checked out of the pool all the same)."""
        with self._lock:
            return sum(not slot.busy for slot in self._kept.values())

    def _forget(self) -> None:
        self._local.slot = None
        with self._lock:
            self._kept.pop(threading.current_thread(), None)

    def _release_ended(self) -> None:
        for thread in [t for t in self._kept if not t.is_alive()]:
            slot = self._kept.pop(thread)
            if slot.pid == os.getpid():
                slot.pooled.close()

    def close(self) -> None:
        """Give every kept connection back to the pool (the store is closing)."""
        with self._lock:
            kept, self._kept = self._kept, {}
        for slot in kept.values():
            if slot.pid == os.getpid() and slot.pooled.is_valid:
                slot.pooled.close()
        self._local = threading.local()


class _Slot:
    """A thread's kept connection, the process that checked it out, and whether a unit has it."""

    __slots__ = ("busy", "pid", "pooled")

    def __init__(self, pooled: Any) -> None:
        self.pooled = pooled
        self.pid = os.getpid()
        self.busy = True


class SqliteUnit:
    """A SQLite unit begins and ends its transaction on the DBAPI connection. A Core statement
    makes a SQLAlchemy connection on the same DBAPI connection, which joins the open transaction
    (the begin listener sees it open); SQLAlchemy's commit or rollback then ends it, and closing
    it gives the connection back to the pool."""

    __slots__ = ("_dbapi_conn", "_kept", "_pooled", "_store", "_unit", "_write")

    def __init__(self, store: SqlStore, write: bool) -> None:
        self._store = store
        self._write = write
        self._dbapi_conn: Any = None

    def __enter__(self) -> SqlUnit:
        store = self._store
        try:
            self._pooled, self._kept = pooled, kept = store.kept.lend()
            dbapi_conn: Any = pooled.dbapi_connection
            self._dbapi_conn = dbapi_conn
            self._unit = SqlUnit(
                dbapi_conn,
                partial(Connection, store.engine, pooled),
                self._write,
                store._parsed_bodies,
                store._statements,
                lock_rows=False,
            )
            try:
                # a writing unit takes the write lock up front, so writers queue (busy_timeout)
                # rather than deadlock on a lock upgrade; readers take none (WAL lets them run
                # beside a writer)
                dbapi_conn.execute("BEGIN IMMEDIATE" if self._write else "BEGIN")
            except BaseException:
                store.kept.drop(pooled, kept)
                raise
        except Exception as exc:
            store._reraise_wrapped(exc)
        return self._unit

    def __exit__(
        self, _type: type[BaseException] | None, exc: BaseException | None, _tb: object
    ) -> None:
        unit = self._unit
        try:
            committed = self._end(exc)
        except BaseException as failed:
            self._release(broken=True)
            if isinstance(failed, Exception):
                self._store._reraise_wrapped(failed)
            raise
        self._release(broken=False)
        if committed:
            self._store._subscribers.notify(unit.written)
        translated = None if exc is None else self._store._translate(exc)
        if translated is not None:  # a database error raised in the block, as the store reports it
            raise translated from None

    def _end(self, exc: BaseException | None) -> bool:
        """Roll back (the block raised) or commit; whether it committed."""
        unit, dbapi_conn = self._unit, self._dbapi_conn
        unit.close()
        joined = unit.joined
        if exc is not None:
            if joined is not None and joined.in_transaction():
                joined.rollback()
            if in_transaction(dbapi_conn):
                dbapi_conn.rollback()
            return False
        if joined is not None and joined.in_transaction():
            joined.commit()  # SQLAlchemy joined the transaction: it ends it
        else:
            dbapi_conn.commit()
        if unit.closed_secret:
            # committed: drop the write-ahead log, whose frames would show each vote's change of
            # totals (best effort: a reader still holding an old snapshot keeps it until it ends)
            dbapi_conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        return True

    def _release(self, *, broken: bool) -> None:
        """Give the connection back: to the thread for its next unit, or (``broken``: the commit
        or rollback failed, so its state is unknown) to the pool to be discarded."""
        joined, kept = self._unit.joined, self._store.kept
        if joined is not None:
            if broken:
                joined.invalidate()
            joined.close()  # it holds the pooled connection and gives it back
            kept.back(self._pooled, self._kept, checked_in=True)
        elif broken:
            kept.drop(self._pooled, self._kept)
        else:
            kept.back(self._pooled, self._kept, checked_in=False)

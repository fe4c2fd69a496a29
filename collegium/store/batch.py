"""Steps batched in one transaction: a SQL store's :meth:`~collegium.store.sqlstore.SqlStore.batch`.

Inside a batch every unit of the thread that opened it runs on the batch's connection, in its
transaction: a writing unit in a SAVEPOINT of its own (released when it succeeds, rolled back
when it fails, so a refused or failed step still writes nothing), a reading unit as it is; the
store's other reads and writes on that thread run there too, so the thread reads what its batch
wrote. The batch commits once, at its end, and only then are its events handed to the store's
subscribers; if the block raises, the whole batch rolls back. A batch saves a commit a step (on
SQLite, the write of the same pages to its log once per step); while it is open it holds the
database's write lock on SQLite, so other writers wait for it.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any, NoReturn

from sqlalchemy import Connection, Engine

from collegium.store.bodies import Body
from collegium.store.records import EventRecord
from collegium.store.sqlengine import WRITE
from collegium.store.sqlstatements import Statements
from collegium.store.sqlunit import SqlUnit

try:  # a greenlet runs each command of the async engine, all on the event loop's thread
    from greenlet import getcurrent as _holder
except ImportError:  # no async engine: the thread holds the batch
    _holder = threading.current_thread


class Batch:
    """One thread's open batch: its connection, the savepoints of its units, the events written."""

    __slots__ = ("_cursor", "bodies", "conn", "dbapi", "depth", "written")

    def __init__(self, conn: Connection) -> None:
        self.conn = conn
        self.dbapi: Any = conn.connection.dbapi_connection
        self.written: list[EventRecord] = []
        #: the bodies its units read, where no other writer can change them until the batch ends
        #: (SQLite: the batch holds the write lock); None where one can
        self.bodies: dict[str, Body | None] | None = {} if conn.dialect.name == "sqlite" else None
        #: how many of its writing units are open (one inside another: each its savepoint)
        self.depth = 0
        self._cursor: Any = None

    def run(self, sql: str) -> None:
        """Run a statement of the batch's own (a savepoint's) on its connection."""
        if self._cursor is None:
            self._cursor = self.dbapi.cursor()
        self._cursor.execute(sql)

    def unit(
        self,
        write: bool,
        parsed: dict[str, Any],
        statements: Statements,
        *,
        lock_rows: bool,
        reraise: Callable[[Exception], NoReturn],
    ) -> BatchUnit:
        """A unit in the batch's transaction; a writing one in a SAVEPOINT of its own. ``reraise``
        raises an error of the block as the store reports it."""
        conn = self.conn
        unit = SqlUnit(
            self.dbapi,
            lambda: conn,
            write,
            parsed,
            statements,
            lock_rows=lock_rows,
            conn=conn,
            bodies=self.bodies,
        )
        return BatchUnit(self, unit, write, reraise)

    def close(self) -> None:
        if self._cursor is not None:
            self._cursor.close()

    def body_changed(self) -> None:
        """A body was written in the batch: read bodies again."""
        if self.bodies is not None:
            self.bodies.clear()


class BatchUnit:
    """The context of one unit in a batch: its savepoint set, released, or rolled back to."""

    __slots__ = ("_batch", "_name", "_reraise", "_unit", "_write")

    def __init__(
        self, batch: Batch, unit: SqlUnit, write: bool, reraise: Callable[[Exception], NoReturn]
    ) -> None:
        self._batch, self._unit, self._write, self._reraise = batch, unit, write, reraise
        self._name = ""

    def __enter__(self) -> SqlUnit:
        if self._write:
            batch = self._batch
            # the same names each step, so the driver's statement cache keeps their texts
            self._name = f"collegium_step_{batch.depth + 1}"
            try:
                batch.run(f"SAVEPOINT {self._name}")
            except Exception as exc:
                self._reraise(exc)
            batch.depth += 1
        return self._unit

    def __exit__(
        self, _type: type[BaseException] | None, exc: BaseException | None, _tb: object
    ) -> None:
        self._unit.close()
        if not self._write:
            if isinstance(exc, Exception):
                self._reraise(exc)
            return
        batch = self._batch
        batch.depth -= 1
        try:
            if exc is not None:
                batch.run(f"ROLLBACK TO SAVEPOINT {self._name}")
            batch.run(f"RELEASE SAVEPOINT {self._name}")
        except Exception as failed:
            self._reraise(failed)
        if exc is None:
            batch.written.extend(self._unit.written)
        elif isinstance(exc, Exception):
            self._reraise(exc)


class Batches:
    """The batch each thread (or greenlet, where the async engine runs commands on one thread) has
    open on one store, if any."""

    def __init__(self, engine: Engine, notify: Callable[[list[EventRecord]], None]) -> None:
        self._engine = engine
        self._notify = notify
        self._open: dict[Any, Batch] = {}

    @property
    def current(self) -> Batch | None:
        """This thread's (or greenlet's) open batch."""
        return self._open.get(_holder()) if self._open else None

    @contextmanager
    def open(self) -> Iterator[None]:
        """Open a batch on this thread (inside one already open: the block joins it)."""
        if self.current is not None:
            yield
            return
        with self._engine.connect() as conn:
            conn.execution_options(**{WRITE: True})  # SQLite: the write lock taken at BEGIN
            # SQLite: the begin listener begins the transaction here, before any savepoint (else
            # the first SAVEPOINT would be the transaction, and its RELEASE a commit); a server
            # begins it at the first statement
            with conn.begin():
                holder = _holder()
                self._open[holder] = batch = Batch(conn)
                try:
                    yield
                finally:
                    del self._open[holder]
                    batch.close()
        self._notify(batch.written)

"""The persistent store: SQLAlchemy 2 Core over SQLite (default), PostgreSQL or MariaDB.

One short transaction per command: a version-guarded UPDATE of the instance row plus the INSERTs of
its events (and of any child instances). SQLite runs in WAL mode with ``synchronous=NORMAL`` and a
busy timeout, and takes its write lock at BEGIN (``BEGIN IMMEDIATE``) so concurrent writers queue
instead of failing. A new database is migrated to the current schema automatically (Alembic).

On the host's ``Connection`` or ``Session`` the store runs in the host's transaction instead
(:mod:`collegium.store.hosted`): a SAVEPOINT per command, and no commit of its own.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from contextlib import AbstractContextManager, contextmanager, nullcontext
from typing import Any, NoReturn

from sqlalchemy import (
    Connection,
    Engine,
    delete,
    select,
)
from sqlalchemy.exc import (
    DatabaseError,
    DBAPIError,
    IntegrityError,
    OperationalError,
)
from sqlalchemy.orm import Session

from collegium._catalog import Message
from collegium.errors import ConcurrentUpdate, InvalidInput
from collegium.store import schema as s
from collegium.store import sqlbodies
from collegium.store.batch import Batches
from collegium.store.bodies import Body
from collegium.store.dberrors import Translator
from collegium.store.hosted import Host, StoreTarget, check_current
from collegium.store.mariadb import MARIADB, check_columns, check_session
from collegium.store.migration import migrate, require_current
from collegium.store.outbox import OutboxEntry, Subscriber, Subscribers
from collegium.store.protocol import StaleVersion
from collegium.store.records import InstanceRecord, TimerRecord
from collegium.store.sqlaudit import AuditReads
from collegium.store.sqlengine import WRITE as _WRITE
from collegium.store.sqlengine import make_engine
from collegium.store.sqliteunit import Kept, SqliteUnit
from collegium.store.sqlqueries import InstanceQueries
from collegium.store.sqlrows import event_row
from collegium.store.sqlstatements import Statements
from collegium.store.sqlunit import SqlUnit

_BODY_RETRIES = 8


class SqlStore(InstanceQueries, AuditReads):
    """Store on a SQL database. ``target`` is a URL or a SQLite file path (the store makes its
    engine), the host's SQLAlchemy ``Engine`` (the store uses its pool, each command in a
    transaction of its own), or the host's ``Connection`` or ORM ``Session``: then every command
    runs in the host's current transaction, in a SAVEPOINT of its own, and the host commits or rolls
    back (the embedding guide says more).

    ``auto_migrate``: bring a new or older database to the current schema when opened; ``False``
    opens it only if it is at the current schema, and refuses it otherwise (:class:`InvalidInput`,
    nothing written: how the command line's reads open it). On the host's connection or session
    the store never migrates (that would commit the host's transaction on MariaDB): it checks the
    revision and refuses an older schema (see :func:`collegium.store.hosted.upgrade`); there
    ``False`` skips the check.

    On MariaDB a store refuses to open, on its own connection or on the host's, under settings that
    would let two ids compare as one or change a value silently (``collegium.store.mariadb``).
    """

    def __init__(self, target: StoreTarget = "collegium.db", *, auto_migrate: bool = True) -> None:
        self._subscribers = Subscribers()
        self._host = (
            Host(target, self._subscribers) if isinstance(target, (Connection, Session)) else None
        )
        if self._host is not None:
            self.engine = self._host.engine
        else:
            self.engine = target if isinstance(target, Engine) else make_engine(str(target))
        self._owns_engine = isinstance(target, str)
        self.hosted = self._host is not None  #: in the host's transaction: the host commits
        self._parsed_bodies: dict[str, tuple[Any, Body]] = {}
        self._statements = Statements(self.engine.dialect)
        self._sqlite = self.engine.dialect.name == "sqlite"
        #: each thread's SQLite connection, kept from one unit to the next
        self.kept = Kept(self.engine)
        self._batches = Batches(self.engine, self._subscribers.notify)
        self._dbapi: Any = self.engine.dialect.dbapi
        #: the store's error for a database error (a retry, or bad input); None to let it through
        self._translate = Translator(self._dbapi)
        try:
            self._open(auto_migrate)
        except BaseException as exc:  # a store that does not open keeps no connection open
            if self._owns_engine:
                self.kept.close()
                self.engine.dispose()
            if isinstance(exc, DatabaseError):  # a server that refuses, or no SQLite database
                reason = (str(exc.orig).strip().splitlines() or [type(exc.orig).__name__])[0]
                raise InvalidInput(
                    Message(
                        "cannot open database {url!r}: {reason}", url=self.engine.url, reason=reason
                    )
                ) from None
            raise

    def _open(self, auto_migrate: bool) -> None:
        """Check and migrate as the store opens. MariaDB's settings are checked here once, not per
        command: the session's before anything is written (the pool's connections share the
        server's and the URL's settings), the columns' once migrated."""
        mariadb = self.engine.dialect.name in MARIADB
        if mariadb:
            with self._connect() as conn:
                check_session(conn)
        if auto_migrate and self._host is not None:
            check_current(self._host.connection(write=False))
        elif auto_migrate:
            migrate(self.engine)
        elif self._host is None:
            require_current(self.engine)
        if mariadb:
            with self._connect() as conn:
                check_columns(conn)

    # -- instances ----------------------------------------------------------------------------
    def unit(self, write: bool = True) -> AbstractContextManager[SqlUnit]:
        """One transaction on one connection; rolled back if the block raises, committed otherwise
        (on the host's connection: a savepoint, released or rolled back)."""
        if self._host is not None:
            return self._hosted_unit(self._host, write)
        batch = self._batches.current
        if batch is not None:
            return batch.unit(
                write,
                self._parsed_bodies,
                self._statements,
                lock_rows=not self._sqlite,
                reraise=self._reraise,
            )
        return SqliteUnit(self, write) if self._sqlite else self._server_unit(write)

    @contextmanager
    def _hosted_unit(self, host: Host, write: bool) -> Iterator[SqlUnit]:
        try:
            with host.savepoint(write) as conn:
                unit = SqlUnit(
                    conn.connection.dbapi_connection,
                    lambda: conn,
                    write,
                    self._parsed_bodies,
                    self._statements,
                    lock_rows=not self._sqlite,
                    conn=conn,
                )
                try:
                    yield unit
                finally:
                    unit.close()
            host.written(unit.written)
        except Exception as exc:
            self._reraise(exc)

    def batch(self) -> AbstractContextManager[None]:
        """Run the block's steps, on this thread, in one transaction committed at its end (or rolled
        back if it raises): :mod:`collegium.store.batch`. On the host's connection the host's
        transaction batches them already, and this changes nothing."""
        return nullcontext() if self._host is not None else self._batches.open()

    @contextmanager
    def _server_unit(self, write: bool) -> Iterator[SqlUnit]:
        try:
            with self.engine.connect() as conn:
                if write:
                    conn.execution_options(**{_WRITE: True})
                with conn.begin():
                    unit = SqlUnit(
                        conn.connection.dbapi_connection,
                        lambda: conn,
                        write,
                        self._parsed_bodies,
                        self._statements,
                        lock_rows=True,
                        conn=conn,
                    )
                    try:
                        yield unit
                    finally:
                        unit.close()
        except Exception as exc:
            self._reraise(exc)
        self._subscribers.notify(unit.written)  # committed, and the connection is back in the pool

    def _connect(self) -> AbstractContextManager[Connection]:
        """A connection to read on: the host's (in a savepoint), or one from the pool."""
        if self._host is not None:
            return self._host.savepoint(write=False)
        batch = self._batches.current
        return nullcontext(batch.conn) if batch is not None else self.engine.connect()

    def _begin(self) -> AbstractContextManager[Connection]:
        """A connection in a transaction committed at the end of the block (the host's: a
        savepoint)."""
        if self._host is not None:
            return self._host.savepoint(write=True)
        batch = self._batches.current
        return self._nested(batch.conn) if batch is not None else self.engine.begin()

    @staticmethod
    @contextmanager
    def _nested(conn: Connection) -> Iterator[Connection]:
        with conn.begin_nested():
            yield conn

    # -- outbox and subscribers ---------------------------------------------------------------
    def subscribe(self, callback: Subscriber) -> Callable[[], None]:
        """Call ``callback(event)`` for each event after its transaction commits; returns the
        unsubscribe."""
        return self._subscribers.add(callback)

    def outbox_pending(self, limit: int, after: int | None) -> list[OutboxEntry]:
        o, e = s.outbox, s.events
        q = (
            select(o.c.id.label("outbox_id"), e)
            .join(e, (e.c.instance_id == o.c.instance_id) & (e.c.seq == o.c.seq))
            .order_by(o.c.id)
            .limit(limit)
        )
        if after is not None:
            q = q.where(o.c.id > after)
        with self._reading() as conn:
            return [
                OutboxEntry(id=int(row.outbox_id), event=event_row(row)) for row in conn.execute(q)
            ]

    def outbox_ack(self, ids: Sequence[int]) -> int:
        try:
            with self._begin() as conn:
                return int(conn.execute(delete(s.outbox).where(s.outbox.c.id.in_(ids))).rowcount)
        except Exception as exc:
            self._reraise(exc)

    def _reraise(self, exc: Exception) -> NoReturn:
        """Raise a database error as the store reports it (a retry, or bad input), any other error
        as it is."""
        translated = self._translate(exc)
        if translated is None:
            raise exc
        raise translated from None

    def _reraise_wrapped(self, exc: Exception) -> NoReturn:
        """As :meth:`_reraise`, for the connect, begin and commit a SQLite unit runs on the DBAPI
        connection: a DBAPI error there comes wrapped as SQLAlchemy, which used to run them, wraps
        it."""
        if self._dbapi is not None and isinstance(exc, self._dbapi.Error):
            wrapped = DBAPIError.instance(
                None, None, exc, self._dbapi.Error, dialect=self.engine.dialect
            )
            if isinstance(wrapped, Exception):
                translated = self._translate(wrapped)
                if translated is None:
                    raise wrapped from exc
                raise translated from None
        self._reraise(exc)

    def load(self, instance_id: str) -> InstanceRecord:
        with self.unit(write=False) as u:
            return u.load(instance_id)

    def state_of(self, instance_id: str) -> str | None:
        with self.unit(write=False) as u:
            return u.state_of(instance_id)

    @contextmanager
    def _reading(self) -> Iterator[Connection]:
        """A connection for a query, its errors reported as the store's (a NUL or lone surrogate
        looked up: bad input, not a driver's error)."""
        try:
            with self._connect() as conn:
                yield conn
        except Exception as exc:
            self._reraise(exc)

    def due_timers(self, until: str, limit: int) -> list[TimerRecord]:
        # the compiled statement on the DBAPI cursor: a day's sweep reads many
        with self.unit(write=False) as u:
            return u.due_timers(until, limit)

    def drop_timer(self, timer: TimerRecord) -> None:
        with self.unit() as u:
            u.drop_timer(timer)

    # -- bodies and definitions ---------------------------------------------------------------
    def body(self, body_id: str) -> Body | None:
        with self.unit(write=False) as u:
            return u.body(body_id)

    def put_body(self, body: Body, at: str | None) -> None:
        # else a key clash, taken for a race below
        if len({p.person for p in body.members}) != len(body.members):
            raise InvalidInput(Message("body {id!r} lists a person twice", id=body.id))
        for _ in range(_BODY_RETRIES):
            try:
                with self._begin() as conn:
                    sqlbodies.write_body(conn, body, at)
                batch = self._batches.current
                if batch is not None:
                    batch.body_changed()
                return
            # created by another process meanwhile, or a deadlock
            except (IntegrityError, OperationalError) as exc:
                if not isinstance(self._translate(exc), StaleVersion):
                    self._reraise(exc)
        raise ConcurrentUpdate(
            Message(
                "body {id!r} kept changing; gave up after {n} attempts", id=body.id, n=_BODY_RETRIES
            )
        )

    def definition(self, kind: str, key: str) -> str | None:
        d = s.definitions
        with self._connect() as conn:
            value = conn.execute(select(d.c.text).where(d.c.kind == kind, d.c.key == key)).scalar()
        return None if value is None else str(value)

    def close(self) -> None:
        if self._host is not None:
            self._host.close()
        self.kept.close()
        if self._owns_engine:
            self.engine.dispose()

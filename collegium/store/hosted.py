"""Running inside the host's transaction: a :class:`~collegium.store.sqlstore.SqlStore` on a
SQLAlchemy ``Connection`` or ORM ``Session`` that the host owns.

Every read and write of the store then runs on the host's connection, in the host's current
transaction (begun if none is, as any statement on the connection would begin it). Collegium never
commits or rolls it back: the host does, and its own rows and the decision step commit or roll back
together. Each command runs in a SAVEPOINT of its own, so a refused command, or one retried after
losing a race, undoes only its own writes and leaves the host's transaction open.

A command that loses a race keeps its retries, but they run in the host's transaction: under READ
COMMITTED (the default on PostgreSQL) a retry sees the other writer's commit; under REPEATABLE READ
(MariaDB's default, or a host that asks for it) it does not, so the retries fail alike and the
command raises :class:`~collegium.errors.ConcurrentUpdate` — the host then rolls back and runs its
whole request again.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, event, text
from sqlalchemy.orm import Session

from collegium._catalog import Message
from collegium.errors import InvalidInput
from collegium.store import schema as s
from collegium.store.outbox import Subscribers
from collegium.store.records import EventRecord
from collegium.store.sqliteunit import in_transaction

#: What a store runs on: a URL or SQLite path (its own engine), the host's ``Engine`` (its pool,
#: Collegium's own transactions), or the host's ``Connection`` or ``Session`` (the host's
#: transaction).
StoreTarget = str | Engine | Connection | Session


class Host:
    """The host's connection or session, as a store uses it."""

    def __init__(self, target: Connection | Session, subscribers: Subscribers) -> None:
        self.target = target
        self._subscribers = subscribers
        self._pending: list[EventRecord] = []
        self._listeners: list[tuple[str, Callable[..., None]]] = []
        if isinstance(
            target, Session
        ):  # a session says when it commits: subscribers are called then
            self._listen("after_commit", self._after_commit)
            self._listen("after_rollback", self._after_rollback)

    @property
    def engine(self) -> Engine:
        bind = self.target.get_bind() if isinstance(self.target, Session) else self.target
        return bind.engine if isinstance(bind, Connection) else bind

    def _listen(self, name: str, fn: Callable[..., None]) -> None:
        event.listen(self.target, name, fn)
        self._listeners.append((name, fn))

    def connection(self, write: bool) -> Connection:
        """The host's connection in its current transaction (begun if none is)."""
        conn = self.target.connection() if isinstance(self.target, Session) else self.target
        if not conn.in_transaction():
            # the host's transaction, as any statement would have begun it: the host ends it
            conn.begin()
        if conn.dialect.name == "sqlite":
            # pysqlite begins a transaction of its own only before a write: a SAVEPOINT outside one
            # would be the transaction, and its RELEASE a commit. Begin it here (a writer takes the
            # write lock at once)
            dbapi_conn: Any = conn.connection.dbapi_connection
            if dbapi_conn is not None and not in_transaction(dbapi_conn):
                dbapi_conn.execute("BEGIN IMMEDIATE" if write else "BEGIN")
        return conn

    @contextmanager
    def savepoint(self, write: bool) -> Iterator[Connection]:
        """The host's connection; a write in a SAVEPOINT, released if the block succeeds, rolled
        back if not."""
        conn = self.connection(write)
        if not write:
            yield conn
            return
        with conn.begin_nested():
            yield conn

    def written(self, events: list[EventRecord]) -> None:
        """Events written in the host's transaction: handed to subscribers when a session commits
        it."""
        if isinstance(self.target, Session):
            self._pending.extend(events)

    def _after_commit(self, session: Session) -> None:
        if session.in_nested_transaction():
            return
        events, self._pending = self._pending, []
        self._subscribers.notify(events)

    def _after_rollback(self, session: Session) -> None:
        if not session.in_nested_transaction():
            self._pending.clear()

    def close(self) -> None:
        for name, fn in self._listeners:
            event.remove(self.target, name, fn)
        self._listeners.clear()


def check_current(conn: Connection) -> None:
    """Raise :class:`InvalidInput` unless the schema is at the current revision (a host's
    transaction is never migrated behind its back: see :func:`upgrade`)."""
    try:
        with conn.begin_nested():
            current = conn.execute(text(f"SELECT version_num FROM {s.VERSION_TABLE}")).scalar()
    except Exception:
        current = None
    if current != s.HEAD_REVISION:
        raise InvalidInput(
            Message(
                "Collegium's tables are at revision {current}, not {head}: run "
                "'collegium --db URL db upgrade', or collegium.store.hosted.upgrade(connection) in "
                "the host's migration, before opening a store on the host's connection",
                current=current or Message("none"),
                head=s.HEAD_REVISION,
            )
        )


def upgrade(connection: Connection) -> None:
    """Bring Collegium's tables to the current revision on ``connection``, in its transaction (begun
    if none is): the caller commits. For a host's own migration step (``upgrade(op.get_bind())``) or
    deployment script.

    On PostgreSQL and SQLite the DDL is transactional and commits or rolls back with the caller's
    transaction; MariaDB commits each DDL statement at once (implicitly committing what came before
    it)."""
    import alembic.context
    import alembic.op
    from alembic import command
    from alembic.config import Config

    if not connection.in_transaction():
        connection.begin()
    cfg = Config()
    cfg.set_main_option("script_location", str(Path(__file__).parent / "migrations"))
    cfg.attributes["connection"] = (
        connection  # in a transaction: Alembic runs in it and does not commit
    )
    # Alembic installs its proxies (``op``, ``context``) for the run and clears them after: a host's
    # migration that calls this from its own step gets its own back
    saved = [
        proxy
        for proxy in (alembic.op.__dict__.get("_proxy"), alembic.context.__dict__.get("_proxy"))
        if proxy
    ]
    try:
        command.upgrade(cfg, "head")
    finally:
        for proxy in saved:
            proxy._install_proxy()

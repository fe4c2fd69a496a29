"""Making the SQLAlchemy engine a store runs on: a URL or a SQLite path, SQLite set up for WAL and
for write locks taken at BEGIN, servers at READ COMMITTED; sync or async."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal, cast, overload

from sqlalchemy import Connection, Engine, create_engine, event
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.pool import StaticPool

from collegium._catalog import Message
from collegium.errors import InvalidInput
from collegium.store.sqliteunit import in_transaction

if TYPE_CHECKING:
    from sqlalchemy.ext.asyncio import AsyncEngine

#: execution option of a connection that will write: SQLite takes its write lock at BEGIN (BEGIN
#: IMMEDIATE)
WRITE = "collegium_write"


def database_url(target: str) -> str:
    """Accept a SQLAlchemy URL or a plain file path (which means a SQLite file)."""
    if "://" in target:
        return target
    return f"sqlite:///{Path(target)}"


def _sqlite_setup(engine: Engine) -> None:
    @event.listens_for(engine, "connect")
    def _connect(dbapi_conn: Any, _record: Any) -> None:
        dbapi_conn.isolation_level = (
            None  # transactions begin explicitly: in a store unit, or by the listener below
        )
        cur = dbapi_conn.cursor()
        if engine.url.database not in (None, "", ":memory:"):
            cur.execute("PRAGMA journal_mode=WAL")
        cur.execute("PRAGMA synchronous=NORMAL")
        cur.execute(
            "PRAGMA secure_delete=FAST"
        )  # overwritten cells (a secret ballot's old totals) are zeroed
        cur.execute("PRAGMA busy_timeout=30000")
        cur.close()

    @event.listens_for(engine, "begin")
    def _begin(conn: Connection) -> None:
        # a writing unit takes the write lock up front, so writers queue (busy_timeout) rather than
        # deadlock on a lock upgrade; readers take none (WAL lets them run beside a writer). A store
        # unit has begun already (see SqlStore._sqlite_unit): then the statement joins its
        # transaction.
        dbapi_conn = conn.connection.dbapi_connection
        if dbapi_conn is not None and not in_transaction(dbapi_conn):
            dbapi_conn.execute(
                "BEGIN IMMEDIATE" if conn.get_execution_options().get(WRITE) else "BEGIN"
            )


@overload
def make_engine(url: str) -> Engine: ...
@overload
def make_engine(url: str, *, run_async: Literal[True]) -> AsyncEngine: ...
def make_engine(url: str, *, run_async: bool = False) -> Engine | AsyncEngine:
    """The SQLAlchemy engine a store opens for ``url``, set up for Collegium (SQLite: WAL, locks
    taken at begin; servers: READ COMMITTED); ``run_async``: SQLAlchemy's async engine (an async
    driver's URL)."""
    url = database_url(url)
    create: Callable[..., Any] = create_engine
    if run_async:
        from sqlalchemy.ext.asyncio import create_async_engine as create
    try:
        if url.startswith("sqlite"):
            memory = url.partition("://")[2] in ("", "/:memory:")
            engine = create(
                url,
                poolclass=StaticPool if memory else None,
                connect_args={"check_same_thread": False},
            )
            _sqlite_setup(engine.sync_engine if run_async else engine)
            return cast("Engine | AsyncEngine", engine)
        isolation = "READ COMMITTED"
        return cast(
            "Engine | AsyncEngine", create(url, isolation_level=isolation, pool_pre_ping=True)
        )
    except (SQLAlchemyError, ImportError, ValueError) as exc:
        raise InvalidInput(
            Message("cannot use database {url!r}: {error}", url=url, error=exc)
        ) from None

"""How the asyncio face of the engine reaches its database.

:class:`~collegium.engine.aio.AsyncEngine` runs the sync engine's own code; what it needs of its
own is here: the async driver that takes a sync driver's place in a URL (:func:`async_url`), the
sync side of what the host hands it — SQLAlchemy's ``AsyncEngine``, ``AsyncConnection`` or
``AsyncSession`` — for the store to run on (:func:`open_store`), and SQLAlchemy's greenlet bridge,
in which sync code waits for the database while the event loop runs other tasks (:func:`spawn`).
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import TYPE_CHECKING, Any, ParamSpec, TypeVar

from collegium._catalog import Message
from collegium.errors import InvalidInput

if TYPE_CHECKING:
    from sqlalchemy.ext.asyncio import AsyncConnection, AsyncSession
    from sqlalchemy.ext.asyncio import AsyncEngine as SaAsyncEngine

    from collegium.store.sqlstore import SqlStore

    #: What an async engine opens: a URL or SQLite path, or the host's async engine, connection or
    #: session.
    AsyncTarget = str | SaAsyncEngine | AsyncConnection | AsyncSession

__all__ = ["ASYNC_DRIVERS", "async_url", "open_store", "spawn"]

P = ParamSpec("P")
T = TypeVar("T")

#: A sync driver's URL prefix and the async driver that takes its place (psycopg has both modes in
#: one driver).
ASYNC_DRIVERS = {
    "sqlite": "sqlite+aiosqlite",
    "sqlite+pysqlite": "sqlite+aiosqlite",
    "postgresql": "postgresql+asyncpg",
    "postgresql+psycopg2": "postgresql+asyncpg",
    "postgresql+psycopg": "postgresql+psycopg",
    "mysql": "mysql+aiomysql",
    "mysql+pymysql": "mysql+aiomysql",
    "mariadb": "mariadb+aiomysql",
    "mariadb+pymysql": "mariadb+aiomysql",
}


def async_url(target: str) -> str:
    """The URL an async engine opens for ``target``: a SQLite file path or a sync driver's URL
    becomes its async driver's (``sqlite:///x.db`` -> ``sqlite+aiosqlite:///x.db``,
    ``postgresql://…`` -> asyncpg, ``mysql://…`` -> aiomysql); an async driver's URL is kept."""
    from collegium.store.sqlengine import database_url

    url = database_url(target)
    scheme, sep, rest = url.partition("://")
    return ASYNC_DRIVERS.get(scheme, scheme) + sep + rest


async def spawn(fn: Callable[P, T], *args: P.args, **kwargs: P.kwargs) -> T:
    """``fn(*args, **kwargs)`` run in SQLAlchemy's greenlet bridge, awaited: where it waits for the
    database, the event loop runs other tasks."""
    from sqlalchemy.util import greenlet_spawn

    call: Callable[[], T] = partial(fn, *args, **kwargs)
    result: T = await greenlet_spawn(call)
    return result


async def open_store(
    target: AsyncTarget, *, auto_migrate: bool
) -> tuple[SqlStore, SaAsyncEngine | None, bool]:
    """The store on ``target`` (see :meth:`AsyncEngine.open
    <collegium.engine.aio.AsyncEngine.open>`), the async engine opened for it when ``target`` is a
    URL or path (its owner disposes of it; None for the host's), and whether commands must run one
    at a time (one connection for all)."""
    try:
        from sqlalchemy.ext.asyncio import AsyncConnection, AsyncSession
        from sqlalchemy.ext.asyncio import AsyncEngine as SaAsyncEngine
    # SQLAlchemy always has the module; greenlet may be missing
    except ImportError as exc:  # pragma: no cover
        raise InvalidInput(
            Message("the async engine needs SQLAlchemy's asyncio extra: {reason}", reason=exc)
        ) from None
    from sqlalchemy.pool import SingletonThreadPool, StaticPool

    from collegium.store.sqlengine import make_engine
    from collegium.store.sqlstore import SqlStore

    owned: SaAsyncEngine | None = None
    sync_target: Any
    serial = False
    if isinstance(target, str):
        url = async_url(target)
        owned = make_engine(url, run_async=True)
        sync_target = owned.sync_engine
        serial = isinstance(owned.sync_engine.pool, (StaticPool, SingletonThreadPool))
    elif isinstance(target, SaAsyncEngine):
        # one connection for all (in-memory SQLite): one command at a time
        sync_target = target.sync_engine
        serial = isinstance(target.sync_engine.pool, (StaticPool, SingletonThreadPool))
    elif isinstance(target, AsyncConnection):
        if target.sync_connection is None:
            raise InvalidInput(
                Message(
                    "the host's AsyncConnection is not started: open it with `async with` first"
                )
            )
        sync_target, serial = target.sync_connection, True
    elif isinstance(target, AsyncSession):
        sync_target, serial = target.sync_session, True
    else:
        raise InvalidInput(
            Message(
                "an async engine opens a URL, a SQLite path or the host's AsyncEngine, "
                "AsyncConnection or AsyncSession; not {type}",
                type=type(target).__name__,
            )
        )
    try:
        store = await spawn(SqlStore, sync_target, auto_migrate=auto_migrate)
    except BaseException:
        if owned is not None:
            await owned.dispose()
        raise
    return store, owned, serial

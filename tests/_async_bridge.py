"""The async API under the sync test suites: :class:`Blocking` calls an
:class:`~collegium.AsyncEngine` the way the scenarios call an :class:`~collegium.Engine`.

Each coroutine method is run to completion on the bridge's own event loop, with the async driver
doing the I/O (aiosqlite, asyncpg, aiomysql), so a scenario written once runs through both faces:
parametrized, not copied.
"""

from __future__ import annotations

import asyncio
import inspect
from collections.abc import Callable
from typing import Any

from collegium import AsyncEngine, Clock, IdFactory
from collegium.engine.aio import async_url

#: the two faces a parametrized suite runs through
APIS = ("sync", "async")


def async_db_url(url: str) -> str:
    """The async driver the suites run a test database's URL on: aiosqlite, asyncpg (not
    psycopg's async mode, which the sync suites' driver already covers) and aiomysql."""
    return async_url(url.replace("postgresql+psycopg://", "postgresql://"))


class Blocking:
    """A sync-looking proxy of an async object: coroutine methods are awaited on ``loop``;
    ``outbox`` is proxied too; anything else (``clock``, ``registry``) is the object's own."""

    def __init__(self, target: Any, loop: asyncio.AbstractEventLoop) -> None:
        self._target = target
        self._loop = loop

    @classmethod
    def open(
        cls, target: str, *, clock: Clock, ids: IdFactory | None = None, **kwargs: Any
    ) -> Blocking:
        """An async engine on ``target`` (its sync URL taken to the async driver), behind a new
        event loop."""
        loop = asyncio.new_event_loop()
        try:
            engine = loop.run_until_complete(
                AsyncEngine.open(async_db_url(target), clock=clock, ids=ids, **kwargs)
            )
        except BaseException:
            loop.close()
            raise
        return cls(engine, loop)

    def __getattr__(self, name: str) -> Any:
        value = getattr(self._target, name)
        if name == "outbox":
            return Blocking(value, self._loop)
        if inspect.iscoroutinefunction(value):
            return self._blocking(value)
        return value

    def _blocking(self, method: Callable[..., Any]) -> Callable[..., Any]:
        def call(*args: Any, **kwargs: Any) -> Any:
            return self._loop.run_until_complete(method(*args, **kwargs))

        return call

    def close(self) -> None:
        try:
            self._loop.run_until_complete(self._target.close())
        finally:
            self._loop.close()

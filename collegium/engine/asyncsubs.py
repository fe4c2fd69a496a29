"""The coroutine subscribers of the asyncio face of the engine.

A coroutine function subscribed to an :class:`~collegium.engine.aio.AsyncEngine` cannot be awaited
where the sync engine calls its subscribers: inside a command, which still holds its connection
(and, on one connection, the lock of every command). So the events each command commits are
collected by the greenlet the command runs in, and awaited once the command has let its connection
and lock go, before it returns (:meth:`AsyncSubscribers.deliver`); a commit that is not one of the
face's commands — the host's ``AsyncSession`` committing — awaits them in the host's own greenlet.
A subscriber's error is logged: the step stays committed.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Any, TypeVar

from collegium.store.records import EventRecord

if TYPE_CHECKING:
    from collegium.engine.engine import Engine

__all__ = ["AsyncSubscriber", "AsyncSubscribers"]

log = logging.getLogger("collegium")

T = TypeVar("T")

#: What an async engine's subscriber is: a function of the event, or a coroutine function.
AsyncSubscriber = Callable[[EventRecord], Awaitable[None] | None]


class AsyncSubscribers:
    """The coroutine functions subscribed to an async engine, and the events each of its running
    commands committed, by the greenlet it runs in."""

    def __init__(self, engine: Engine) -> None:
        self._engine = engine
        self._committed: dict[Any, list[EventRecord]] = {}
        self._awaited: list[AsyncSubscriber] = []
        self._hooked = False

    def add(self, callback: AsyncSubscriber) -> Callable[[], None]:
        """Await ``callback(event)`` after each event's commit; returns the undo."""
        if not self._hooked:
            self._engine.subscribe(self._on_commit)
            self._hooked = True
        self._awaited.append(callback)

        def unsubscribe() -> None:
            if callback in self._awaited:
                self._awaited.remove(callback)

        return unsubscribe

    def collecting(self, events: list[EventRecord], call: Callable[[], T]) -> T:
        """``call()``, in the greenlet of a command: the events it commits are put in ``events``
        (to :meth:`deliver` once the command is done)."""
        from greenlet import getcurrent

        me = getcurrent()
        self._committed[me] = events
        try:
            return call()
        finally:
            del self._committed[me]

    async def deliver(self, events: list[EventRecord]) -> None:
        """Await every coroutine subscriber on each of ``events``, committed by a command that has
        let its connection and lock go."""
        for event in events:
            for callback in tuple(self._awaited):
                try:
                    await callback(event)  # type: ignore[misc]
                # the step is committed: report the subscriber's error, then go on
                except Exception:
                    _failed(callback, event)

    def _on_commit(self, event: EventRecord) -> None:
        from greenlet import getcurrent

        events = self._committed.get(getcurrent())
        if events is not None:  # one of this face's commands: awaited when it is done
            events.append(event)
            return
        from sqlalchemy.util import await_only

        for callback in tuple(self._awaited):  # the host's commit, in the host's own greenlet
            try:
                await_only(callback(event))  # type: ignore[arg-type]
            except Exception:
                _failed(callback, event)


def _failed(callback: AsyncSubscriber, event: EventRecord) -> None:
    log.exception(
        "subscriber %r failed on event %s/%d (%s); the step stays committed",
        callback,
        event.instance_id,
        event.seq,
        event.trigger,
    )

"""What happened, pushed to the host: a transactional outbox and in-process subscribers.

**The outbox.** Every event a store commits is also queued in the outbox, in the same transaction as
the event: an event that commits is queued, one that rolls back is not. A host's worker reads the
pending entries in order (:meth:`Outbox.pending`), does its work (sends "the ballot opens"), then
acknowledges them (:meth:`Outbox.ack`); an entry not acknowledged — the worker crashed, or
restarted — is delivered again. Delivery is at least once: a worker that sent a message and died
before acknowledging it sends it again, so a host keys its messages by the entry's event (instance
id and sequence number).

Order: entries are numbered at insert (an auto-increment key) and read in that order. On SQLite,
whose writers queue for the database's write lock, that is commit order. On PostgreSQL and MariaDB
two transactions that commit at nearly the same time may commit in the other order than they were
numbered: a worker can then see the later entry first, and the earlier one on its next read (nothing
is lost, since entries are deleted only when acknowledged, never skipped by a high-water mark). The
events of one instance are always in order (its row lock orders its writers).

**Subscribers.** ``engine.subscribe(callback)`` calls ``callback(event)`` for each event once its
transaction has committed, in the process that committed it, never inside the transaction. A
callback that raises does not undo the step (it is committed) and does not stop the other callbacks:
the error is logged on the ``collegium`` logger with its traceback. Subscribers are for in-process
reactions (a cache, a websocket push); what must not be lost goes through the outbox, which survives
a crash between the commit and the callback.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Protocol

from collegium._brief import brief
from collegium._catalog import Message
from collegium.errors import InvalidInput
from collegium.store.records import EventRecord

log = logging.getLogger("collegium")

#: A subscriber: called with each committed event.
Subscriber = Callable[[EventRecord], None]


@dataclass(frozen=True, slots=True, kw_only=True)
class OutboxEntry:
    """One pending entry of the outbox: its ``id`` (acknowledge it with :meth:`Outbox.ack`) and the
    event."""

    id: int
    event: EventRecord


class _OutboxStore(Protocol):
    def outbox_pending(self, limit: int, after: int | None) -> list[OutboxEntry]: ...

    def outbox_ack(self, ids: Sequence[int]) -> int: ...


class Outbox:
    """The outbox of an engine's store (``engine.outbox``)."""

    def __init__(self, store: _OutboxStore) -> None:
        self._store = store

    def pending(self, limit: int = 100, *, after: int | None = None) -> list[OutboxEntry]:
        """Up to ``limit`` entries not yet acknowledged, oldest first (``after``: only those
        numbered above it)."""
        if isinstance(limit, bool) or not isinstance(limit, int) or limit < 1:
            raise InvalidInput(
                Message(
                    "an outbox read takes a limit of at least 1, not {limit}", limit=brief(limit)
                )
            )
        return self._store.outbox_pending(limit, after)

    def ack(self, ids: Iterable[int | OutboxEntry]) -> int:
        """Acknowledge entries (by id or as returned): they are not delivered again. Returns how
        many were pending; acknowledging an entry twice is harmless."""
        keys = sorted({i.id if isinstance(i, OutboxEntry) else int(i) for i in ids})
        return self._store.outbox_ack(keys) if keys else 0


class Subscribers:
    """The callbacks of one store, called after commit."""

    def __init__(self) -> None:
        self._callbacks: list[Subscriber] = []
        self._lock = threading.Lock()

    def add(self, callback: Subscriber) -> Callable[[], None]:
        with self._lock:
            self._callbacks.append(callback)

        def unsubscribe() -> None:
            with self._lock:
                if callback in self._callbacks:
                    self._callbacks.remove(callback)

        return unsubscribe

    def notify(self, events: Sequence[EventRecord]) -> None:
        if not events:
            return
        with self._lock:
            callbacks = tuple(self._callbacks)
        for event in events:
            for callback in callbacks:
                try:
                    callback(event)
                except (
                    Exception
                ):  # the step is committed: report the subscriber's error, then go on
                    log.exception(
                        "subscriber %r failed on event %s/%d (%s); the step stays committed",
                        callback,
                        event.instance_id,
                        event.seq,
                        event.trigger,
                    )

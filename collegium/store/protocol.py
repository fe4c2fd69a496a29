"""The store boundary: what the engine needs from storage.

:class:`~collegium.store.sqlstore.SqlStore` (SQLite, PostgreSQL, MariaDB) is the persistent one;
:class:`~collegium.store.memstore.MemoryStore` keeps everything in memory.
Both commit an instance update and its events atomically, guarded by the instance's version; a
stale version raises :class:`StaleVersion`, which the engine turns into a retry.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from typing import Any, Protocol

from collegium.store.bodies import Body
from collegium.store.bodychain import BodyEvent, StoredBody
from collegium.store.heads import ChainHead, StoredHead
from collegium.store.outbox import OutboxEntry, Subscriber
from collegium.store.records import (
    AttendanceRow,
    DefinitionText,
    EventRecord,
    EventTexts,
    IndexRow,
    IndexRows,
    InstanceRecord,
    ReturnedBallot,
    SealedChoice,
    Seat,
    SeatCounts,
    SeatRow,
    TimerRecord,
    ViewRow,
    VoteRecord,
)

__all__ = [
    "AUDITED",
    "AttendanceRow",
    "DefinitionText",
    "EventRecord",
    "EventTexts",
    "IndexRow",
    "IndexRows",
    "InstanceRecord",
    "ReturnedBallot",
    "SealedChoice",
    "Seat",
    "SeatCounts",
    "SeatRow",
    "StaleVersion",
    "Store",
    "TimerRecord",
    "Unit",
    "Unremembered",
    "ViewRow",
    "VoteRecord",
    "Write",
    "seat_counts",
]

#: The tables the audit reads row by row (:meth:`Store.audit_rows`), and the columns of each row.
AUDITED: dict[str, tuple[str, ...]] = {
    "votes": ("ballot_id", "voter", "choice"),
    "ballot_voters": ("ballot_id", "voter"),
    "ballot_counts": ("ballot_id", "choice", "count"),
    "sealed_votes": ("ballot_id", "sealed"),
    "timers": ("instance_id", "trigger", "lead_seconds", "state", "due_at", "entered_seq"),
    "definitions": ("kind", "key", "sha256", "text"),
}


class StaleVersion(Exception):
    """Internal: the instance's version moved (or a unique key clashed) since it was loaded."""


class Unremembered(set[str]):
    """The engine's memory of definition texts already stored, for a store in the host's
    transaction: the host may yet roll it back, so nothing is remembered and each first step writes
    its texts (if absent)."""

    def update(self, *_others: Iterable[str]) -> None:
        pass


@dataclass(frozen=True, slots=True, kw_only=True)
class Write:
    """One atomic commit: update an instance (if its version is still ``expected``), create others,
    append events."""

    update: InstanceRecord | None
    expected_version: int | None
    create: tuple[InstanceRecord, ...]
    events: tuple[EventRecord, ...]
    #: instance id -> its timers from now on (replacing any it had); instances not named keep theirs
    timers: Mapping[str, tuple[TimerRecord, ...]] = field(default_factory=dict)
    #: definition texts the new instances were started under; a text already stored is kept
    definitions: tuple[DefinitionText, ...] = ()
    #: votes cast by this step on a named ballot (or on a secret one opened with running totals,
    #: before secret ballots were counted by tellers)
    votes: tuple[VoteRecord, ...] = ()
    #: secret ballots closed by this step that kept running totals: their totals are written again
    #: here
    secret_closed: tuple[str, ...] = ()
    #: seats of a meeting this step opens, in the body's order
    seats: tuple[SeatRow, ...] = ()
    #: views stated at a meeting
    views: tuple[ViewRow, ...] = ()
    #: attendance changed at a sitting in session
    attendance: tuple[AttendanceRow, ...] = ()
    #: instance id -> its facts-index rows from now on, replacing any it had
    index: Mapping[str, IndexRows] = field(default_factory=dict)
    #: each ballot returned in a secret ballot counted by its tellers
    returned: tuple[ReturnedBallot, ...] = ()
    #: each vote's sealed choice in an electronic secret ballot
    sealed: tuple[SealedChoice, ...] = ()
    #: ballot key -> option -> total, as the tellers counted it; the key's sealed choices are
    #: deleted
    counted: Mapping[str, Mapping[str, int]] = field(default_factory=dict)
    #: ballot keys whose sealed choices are deleted uncounted (their ballot lapsed)
    discarded: tuple[str, ...] = ()


def seat_counts(seats: Iterable[Seat]) -> SeatCounts:
    """The voting seats of a meeting, counted."""
    voting = [s for s in seats if s.voting]
    return SeatCounts(
        voting=len(voting),
        recused=sum(1 for s in voting if s.attendance == "recused"),
        present=sum(1 for s in voting if s.attendance == "present"),
        stated=sum(1 for s in voting if s.attendance == "present" and s.view is not None),
    )


class Unit(Protocol):
    """One command's view of the store: reads and the write share one transaction.

    A writing unit locks the instance it loads (SQLite: the database's write lock, taken at BEGIN;
    server databases: the instance row, ``SELECT … FOR UPDATE``), so concurrent commands on one
    instance queue instead of failing; the version check in :meth:`commit` stays as the guard.
    """

    def load(self, instance_id: str) -> InstanceRecord: ...

    def body(self, body_id: str) -> Body | None: ...

    def state_of(self, instance_id: str) -> str | None: ...

    def find_event(self, instance_id: str, idempotency_key: str) -> EventRecord | None: ...

    def commit(self, write: Write) -> None: ...

    def voters(self, ballot_id: str, secret: bool) -> list[str]: ...

    def counts(self, ballot_id: str, secret: bool) -> dict[str, int]: ...

    def choices(self, ballot_id: str) -> dict[str, str]: ...

    def has_voted(self, ballot_id: str, voter: str, secret: bool) -> bool: ...

    def seat(self, meeting_id: str, person: str) -> Seat | None: ...

    def seats(self, meeting_id: str) -> dict[str, Seat]: ...

    def seat_counts(self, meeting_id: str) -> SeatCounts: ...

    def voters_choosing(self, ballot_id: str, choices: tuple[str, ...]) -> list[str]: ...

    def sealed(self, ballot_id: str) -> list[str]:
        """The sealed choices of an electronic secret ballot not yet counted."""
        ...

    def effects_since(self, instance_id: str, seq: int) -> list[dict[str, Any]]:
        """The effects of the instance's events after its event ``seq``, oldest first (a count
        reads which ballot each vote went to; the rest of each event is not read)."""
        ...

    def timer_entered(self, instance_id: str, trigger: str, lead: int = 0) -> int | None: ...

    def due_timers_of(self, instance_id: str, until: str) -> list[TimerRecord]: ...


class Store(Protocol):
    """What the engine needs from storage."""

    def unit(self, write: bool = True) -> AbstractContextManager[Unit]: ...

    def batch(self) -> AbstractContextManager[None]:
        """The block's units, on this thread, in one transaction (a no-op where each unit takes
        effect at once)."""
        ...

    def load(self, instance_id: str) -> InstanceRecord: ...

    def state_of(self, instance_id: str) -> str | None: ...

    def history(self, instance_id: str) -> list[EventRecord]: ...

    def instances(
        self, procedure: str | None = None, state: str | None = None, limit: int | None = None
    ) -> list[InstanceRecord]: ...

    def find(
        self,
        procedure: str,
        states: tuple[str, ...] | None = None,
        equals: Mapping[str, str] | None = None,
        before: tuple[str, str] | None = None,
    ) -> list[InstanceRecord]:
        """Instances of ``procedure`` (in ``states``) whose indexed facts have each of ``equals``
        and, with ``before = (name, value)``, a value of ``name`` below ``value`` (times: earlier),
        oldest first."""
        ...

    def scan(
        self,
        procedure: str | None = None,
        state: str | None = None,
        batch: int = 1000,
        after: tuple[str, str, str] | None = None,
    ) -> Iterator[InstanceRecord]:
        """Instances in id order (filtered: by procedure, state and id), read ``batch`` at a time,
        each batch a short read of its own; with ``after``, a (procedure, state, id), only those
        that come after it in that order."""
        ...

    def iter_instances(self) -> Iterator[InstanceRecord]: ...

    def iter_events(self) -> Iterator[EventRecord]: ...

    def chain_heads(self) -> Iterator[ChainHead]:
        """Every hash chain's head as its row records it, in the order of
        :mod:`collegium.store.heads`."""
        ...

    def stored_heads(self, heads: Sequence[ChainHead]) -> list[StoredHead]:
        """What the store holds where each of ``heads`` was (a few hundred at a time), in their
        order."""
        ...

    def due_timers(self, until: str, limit: int) -> list[TimerRecord]: ...

    def audit_rows(self, table: str) -> Iterator[tuple[Any, ...]]:
        """The rows of one of the tables the audit checks against the chains, in key order, as
        ``AUDITED`` lays them out."""
        ...

    def drop_timer(self, timer: TimerRecord) -> None: ...

    def body(self, body_id: str) -> Body | None: ...

    def put_body(self, body: Body, at: str | None) -> None:
        """Create or replace a body, and chain its definition (at ``at``) if it differs from the
        last one."""
        ...

    def body_events(self) -> Iterator[BodyEvent]:
        """Every body's chain, by body id then sequence number."""
        ...

    def stored_bodies(self) -> Iterator[StoredBody]:
        """Each body as its rows hold it, by body id."""
        ...

    def definition(self, kind: str, key: str) -> str | None: ...

    def subscribe(self, callback: Subscriber) -> Callable[[], None]: ...

    def outbox_pending(self, limit: int, after: int | None) -> list[OutboxEntry]: ...

    def outbox_ack(self, ids: Sequence[int]) -> int: ...

    def close(self) -> None: ...

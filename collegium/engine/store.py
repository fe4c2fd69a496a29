"""The store boundary: what the engine needs from storage, and an in-memory implementation.

:class:`~collegium.engine.sqlstore.SqlStore` (SQLite, PostgreSQL, MariaDB) is the persistent one.
Both commit an instance update and its events atomically, guarded by the instance's version; a
stale version raises :class:`StaleVersion`, which the engine turns into a retry.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass, field
from typing import Protocol

from collegium.engine.governance import Body
from collegium.engine.heads import ChainHead, StoredHead
from collegium.engine.outbox import OutboxEntry, Subscriber, Subscribers
from collegium.engine.records import EventRecord, InstanceRecord, TimerRecord, VoteRecord
from collegium.errors import NotFound

#: A member's seat at a meeting: (role, voting, attendance, stated view or None).
Seat = tuple[str, bool, str, str | None]


class StaleVersion(Exception):
    """Internal: the instance's version moved (or a unique key clashed) since it was loaded."""


class Unremembered(set[str]):
    """The engine's memory of definition texts already stored, for a store in the host's transaction: the host may
    yet roll it back, so nothing is remembered and each first step writes its texts (if absent)."""

    def update(self, *_others: Iterable[str]) -> None:
        pass


@dataclass(frozen=True, slots=True)
class Write:
    """One atomic commit: update an instance (if its version is still ``expected``), create others,
    append events."""

    update: InstanceRecord | None
    expected_version: int | None
    create: tuple[InstanceRecord, ...]
    events: tuple[EventRecord, ...]
    #: instance id -> its timers from now on (replacing any it had); instances not named keep theirs
    timers: Mapping[str, tuple[TimerRecord, ...]] = field(default_factory=dict)
    #: definition texts the new instances were started under, as (kind, key, sha256, text); kept if absent
    definitions: tuple[tuple[str, str, str, str], ...] = ()
    #: votes cast by this step
    votes: tuple[VoteRecord, ...] = ()
    #: secret ballots this step opens, as (ballot key, options): their totals start at zero, as rows
    secret_opened: tuple[tuple[str, tuple[str, ...]], ...] = ()
    #: secret ballots this step closes: their totals are written again in this transaction
    secret_closed: tuple[str, ...] = ()
    #: seats of a meeting this step opens, in the body's order: (meeting, person, role, voting, attendance)
    seats: tuple[tuple[str, str, str, bool, str], ...] = ()
    #: views stated at a meeting: (meeting, person, view, at)
    views: tuple[tuple[str, str, str, str], ...] = ()
    #: attendance changed at a sitting in session: (meeting, person, attendance)
    attendance: tuple[tuple[str, str, str], ...] = ()
    #: instance id -> (procedure, its facts-index rows (name, value)) from now on, replacing any it had
    index: Mapping[str, tuple[str, tuple[tuple[str, str], ...]]] = field(default_factory=dict)


def seat_counts(seats: Iterable[Seat]) -> tuple[int, int, int]:
    """(voting seats, recused voting seats, present voting seats) of a meeting."""
    voting = [s for s in seats if s[1]]
    return len(voting), sum(1 for s in voting if s[2] == "recused"), sum(1 for s in voting if s[2] == "present")


class Unit(Protocol):
    """One command's view of the store: reads and the write share one transaction.

    A writing unit locks the instance it loads (SQLite: the database's write lock, taken at BEGIN; server
    databases: the instance row, ``SELECT … FOR UPDATE``), so concurrent commands on one instance queue
    instead of failing; the version check in :meth:`commit` stays as the guard.
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

    def seat_counts(self, meeting_id: str) -> tuple[int, int, int]: ...

    def voters_choosing(self, ballot_id: str, choices: tuple[str, ...]) -> list[str]: ...

    def timer_entered(self, instance_id: str, trigger: str, lead: int = 0) -> int | None: ...

    def due_timers_of(self, instance_id: str, until: str) -> list[TimerRecord]: ...


class Store(Protocol):
    """What the engine needs from storage."""

    def unit(self, write: bool = True) -> AbstractContextManager[Unit]: ...

    def load(self, instance_id: str) -> InstanceRecord: ...

    def state_of(self, instance_id: str) -> str | None: ...

    def history(self, instance_id: str) -> list[EventRecord]: ...

    def instances(self, procedure: str | None = None, state: str | None = None,
                  limit: int | None = None) -> list[InstanceRecord]: ...

    def find(self, procedure: str, states: tuple[str, ...] | None = None, equals: Mapping[str, str] | None = None,
             before: tuple[str, str] | None = None) -> list[InstanceRecord]:
        """Instances of ``procedure`` (in ``states``) whose indexed facts have each of ``equals`` and, with
        ``before = (name, value)``, a value of ``name`` below ``value`` (times: earlier), oldest first."""
        ...

    def scan(self, procedure: str | None = None, state: str | None = None,
             batch: int = 1000) -> Iterator[InstanceRecord]:
        """Instances in id order, read ``batch`` at a time, each batch a short read of its own."""
        ...

    def iter_instances(self) -> Iterator[InstanceRecord]: ...

    def iter_events(self) -> Iterator[EventRecord]: ...

    def chain_heads(self) -> Iterator[ChainHead]:
        """Every hash chain's head as its row records it, in the order of :mod:`collegium.engine.heads`."""
        ...

    def stored_heads(self, heads: Sequence[ChainHead]) -> list[StoredHead]:
        """What the store holds where each of ``heads`` was (a few hundred at a time), in their order."""
        ...

    def due_timers(self, until: str, limit: int) -> list[TimerRecord]: ...

    def drop_timer(self, timer: TimerRecord) -> None: ...

    def body(self, body_id: str) -> Body | None: ...

    def put_body(self, body: Body) -> None: ...

    def definition(self, kind: str, key: str) -> str | None: ...

    def subscribe(self, callback: Subscriber) -> Callable[[], None]: ...

    def outbox_pending(self, limit: int, after: int | None) -> list[OutboxEntry]: ...

    def outbox_ack(self, ids: Sequence[int]) -> int: ...

    def close(self) -> None: ...


class MemoryStore:
    """Everything in dictionaries, guarded by one lock: for tests, simulation and benchmarks."""

    def __init__(self) -> None:
        self._lock = threading.RLock()
        self._instances: dict[str, InstanceRecord] = {}
        self._events: list[EventRecord] = []
        self._by_instance: dict[str, list[EventRecord]] = {}
        self._keys: dict[tuple[str, str], EventRecord] = {}
        self._bodies: dict[str, Body] = {}
        self._definitions: dict[tuple[str, str], str] = {}
        self._timers: dict[tuple[str, str, int], TimerRecord] = {}
        self._index: dict[str, tuple[str, frozenset[tuple[str, str]]]] = {}
        self._votes: dict[str, dict[str, str]] = {}  # named: ballot -> voter -> choice
        self._voters: dict[str, set[str]] = {}  # secret: ballot -> who took part
        self._counts: dict[str, dict[str, int]] = {}  # secret: ballot -> choice -> total
        self._seats: dict[str, dict[str, Seat]] = {}  # meeting -> person -> seat
        self._outbox: dict[int, EventRecord] = {}  # pending entries by number (dicts keep insertion order)
        self._outbox_next = 1
        self._written: list[EventRecord] = []  # committed by the unit under way, for the subscribers
        self._subscribers = Subscribers()

    @contextmanager
    def unit(self, write: bool = True) -> Iterator[MemoryStore]:
        """Writing units run one at a time (the store's lock); reads need no isolation here."""
        if not write:
            yield self
            return
        written: list[EventRecord] = []
        try:
            with self._lock:
                try:
                    yield self
                finally:
                    written, self._written = self._written, []
        finally:  # what was committed (even if the block then raised) goes to the subscribers, after the lock
            self._subscribers.notify(written)

    def load(self, instance_id: str) -> InstanceRecord:
        rec = self._instances.get(instance_id)
        if rec is None:
            raise NotFound(f"no instance {instance_id!r}")
        return rec  # records are never mutated once committed: the engine builds a new one per step

    def state_of(self, instance_id: str) -> str | None:
        rec = self._instances.get(instance_id)
        return rec.state if rec else None

    def find_event(self, instance_id: str, idempotency_key: str) -> EventRecord | None:
        return self._keys.get((instance_id, idempotency_key))

    def commit(self, write: Write) -> None:
        with self._lock:
            if write.update is not None:
                current = self._instances.get(write.update.id)
                if current is None or current.version != write.expected_version:
                    raise StaleVersion(write.update.id)
            for rec in write.create:
                if rec.id in self._instances:
                    raise StaleVersion(rec.id)
            for e in write.events:
                if e.idempotency_key and (e.instance_id, e.idempotency_key) in self._keys:
                    raise StaleVersion(e.instance_id)
            for v in write.votes:
                if v.voter in (self._voters.get(v.ballot_id, set()) if v.secret else self._votes.get(v.ballot_id, {})):
                    raise StaleVersion(v.ballot_id)
            for rec in (*((write.update,) if write.update else ()), *write.create):
                self._instances[rec.id] = rec
            for e in write.events:
                self._outbox[self._outbox_next] = e
                self._outbox_next += 1
                self._written.append(e)
                self._events.append(e)
                self._by_instance.setdefault(e.instance_id, []).append(e)
                if e.idempotency_key:
                    self._keys[(e.instance_id, e.idempotency_key)] = e
            for meeting_id, person, role, voting, attendance in write.seats:
                self._seats.setdefault(meeting_id, {})[person] = (role, voting, attendance, None)
            for meeting_id, person, view, _at in write.views:
                role, voting, attendance, _ = self._seats[meeting_id][person]
                self._seats[meeting_id][person] = (role, voting, attendance, view)
            for meeting_id, person, present in write.attendance:
                role, voting, _, stated = self._seats[meeting_id][person]
                self._seats[meeting_id][person] = (role, voting, present, stated)
            for instance_id, (procedure, rows) in write.index.items():
                self._index[instance_id] = (procedure, frozenset(rows))
            for ballot_key, options in write.secret_opened:
                self._counts[ballot_key] = dict.fromkeys(options, 0)
            for v in write.votes:
                if v.secret:
                    self._voters.setdefault(v.ballot_id, set()).add(v.voter)
                    totals = self._counts.setdefault(v.ballot_id, {})
                    totals[v.choice] = totals.get(v.choice, 0) + 1
                else:
                    self._votes.setdefault(v.ballot_id, {})[v.voter] = v.choice
            for kind, key_, _sha, text in write.definitions:
                self._definitions.setdefault((kind, key_), text)
            for instance_id, timers in write.timers.items():
                for key in [k for k in self._timers if k[0] == instance_id]:
                    del self._timers[key]
                for t in timers:
                    self._timers[(t.instance_id, t.trigger, t.lead)] = t

    def voters(self, ballot_id: str, secret: bool) -> list[str]:
        return sorted(self._voters.get(ballot_id, ()) if secret else self._votes.get(ballot_id, {}))

    def counts(self, ballot_id: str, secret: bool) -> dict[str, int]:
        if secret:
            return dict(self._counts.get(ballot_id, {}))
        totals: dict[str, int] = {}
        for choice in self._votes.get(ballot_id, {}).values():
            totals[choice] = totals.get(choice, 0) + 1
        return totals

    def choices(self, ballot_id: str) -> dict[str, str]:
        return dict(self._votes.get(ballot_id, {}))

    def has_voted(self, ballot_id: str, voter: str, secret: bool) -> bool:
        return voter in (self._voters.get(ballot_id, ()) if secret else self._votes.get(ballot_id, {}))

    def seat(self, meeting_id: str, person: str) -> Seat | None:
        return self._seats.get(meeting_id, {}).get(person)

    def seats(self, meeting_id: str) -> dict[str, Seat]:
        return dict(self._seats.get(meeting_id, {}))

    def seat_counts(self, meeting_id: str) -> tuple[int, int, int]:
        return seat_counts(self._seats.get(meeting_id, {}).values())

    def voters_choosing(self, ballot_id: str, choices: tuple[str, ...]) -> list[str]:
        return sorted(v for v, c in self._votes.get(ballot_id, {}).items() if c in choices)

    def timer_entered(self, instance_id: str, trigger: str, lead: int = 0) -> int | None:
        timer = self._timers.get((instance_id, trigger, lead))
        return None if timer is None else timer.entered_seq

    def due_timers_of(self, instance_id: str, until: str) -> list[TimerRecord]:
        return sorted((t for t in self._timers.values() if t.instance_id == instance_id and t.due_at <= until),
                      key=lambda t: (t.due_at, t.trigger, t.lead))

    def due_timers(self, until: str, limit: int) -> list[TimerRecord]:
        due = sorted((t for t in self._timers.values() if t.due_at <= until),
                     key=lambda t: (t.due_at, t.instance_id, t.trigger, t.lead))
        return due[:limit]

    def drop_timer(self, timer: TimerRecord) -> None:
        with self._lock:
            key = (timer.instance_id, timer.trigger, timer.lead)
            if self._timers.get(key) == timer:
                del self._timers[key]

    def history(self, instance_id: str) -> list[EventRecord]:
        if instance_id not in self._instances:
            raise NotFound(f"no instance {instance_id!r}")
        return list(self._by_instance.get(instance_id, ()))

    def instances(self, procedure: str | None = None, state: str | None = None,
                  limit: int | None = None) -> list[InstanceRecord]:
        out = sorted((r for r in self._instances.values()
                      if (procedure is None or r.procedure == procedure) and (state is None or r.state == state)),
                     key=lambda r: (r.created_at, r.id))  # oldest first, as SqlStore orders them
        return out[:limit] if limit is not None else out

    def find(self, procedure: str, states: tuple[str, ...] | None = None, equals: Mapping[str, str] | None = None,
             before: tuple[str, str] | None = None) -> list[InstanceRecord]:
        out = []
        for rec in list(self._instances.values()):
            if rec.procedure != procedure or (states is not None and rec.state not in states):
                continue
            rows = self._index.get(rec.id, ("", frozenset()))[1]
            if equals and not all((k, v) in rows for k, v in equals.items()):
                continue
            if before is not None and not any(k == before[0] and v < before[1] for k, v in rows):
                continue
            out.append(rec)
        return sorted(out, key=lambda r: (r.created_at, r.id))

    def scan(self, procedure: str | None = None, state: str | None = None,
             batch: int = 1000) -> Iterator[InstanceRecord]:
        with self._lock:  # the records are immutable: a sorted list of references is the snapshot
            out = sorted((r for r in self._instances.values()
                          if (procedure is None or r.procedure == procedure) and (state is None or r.state == state)),
                         key=(lambda r: r.id) if procedure is None and state is None else (
                             lambda r: (r.procedure, r.state, r.id)))  # the order SqlStore pages in
        return iter(out)

    def iter_instances(self) -> Iterator[InstanceRecord]:
        return iter(list(self._instances.values()))

    def iter_events(self) -> Iterator[EventRecord]:
        return iter(list(self._events))

    def chain_heads(self) -> Iterator[ChainHead]:
        with self._lock:
            rows = sorted(self._instances.values(), key=lambda r: r.id)
        return (ChainHead(kind="instance", chain_id=r.id, seq=r.event_count, hash=r.head_hash) for r in rows)

    def stored_heads(self, heads: Sequence[ChainHead]) -> list[StoredHead]:
        out = []
        for head in heads:
            rec = self._instances.get(head.chain_id) if head.kind == "instance" else None
            chain = self._by_instance.get(head.chain_id, []) if head.kind == "instance" else []
            event = next((e for e in reversed(chain) if e.seq == head.seq), None)
            out.append(StoredHead(head=head, chain_exists=rec is not None,
                                  recorded=None if rec is None else rec.event_count,
                                  hash=None if event is None else event.hash))
        return out

    def body(self, body_id: str) -> Body | None:
        return self._bodies.get(body_id)

    def put_body(self, body: Body) -> None:
        with self._lock:
            self._bodies[body.id] = body

    def definition(self, kind: str, key: str) -> str | None:
        return self._definitions.get((kind, key))

    def subscribe(self, callback: Subscriber) -> Callable[[], None]:
        return self._subscribers.add(callback)

    def outbox_pending(self, limit: int, after: int | None) -> list[OutboxEntry]:
        with self._lock:
            return [OutboxEntry(i, e) for i, e in self._outbox.items() if after is None or i > after][:limit]

    def outbox_ack(self, ids: Sequence[int]) -> int:
        with self._lock:
            return sum(self._outbox.pop(i, None) is not None for i in ids)

    def close(self) -> None:
        pass

"""The in-memory store: everything in dictionaries, for tests, simulations and benchmarks."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import AbstractContextManager, contextmanager, nullcontext
from typing import Any

from collegium._catalog import Message
from collegium.errors import NotFound
from collegium.store.bodies import Body
from collegium.store.bodychain import BodyEvent, StoredBody, definition_text, next_event
from collegium.store.heads import ChainHead, StoredHead
from collegium.store.outbox import OutboxEntry, Subscriber, Subscribers
from collegium.store.protocol import StaleVersion, Write, seat_counts
from collegium.store.records import (
    EventRecord,
    IndexRow,
    InstanceRecord,
    Seat,
    SeatCounts,
    TimerRecord,
)


class MemoryStore:
    """Everything in dictionaries, guarded by one lock: for tests, simulation and benchmarks."""

    def __init__(self) -> None:
        self._lock = threading.RLock()
        self._instances: dict[str, InstanceRecord] = {}
        self._events: list[EventRecord] = []
        self._by_instance: dict[str, list[EventRecord]] = {}
        self._keys: dict[tuple[str, str], EventRecord] = {}
        self._bodies: dict[str, Body] = {}
        self._body_events: dict[str, list[BodyEvent]] = {}
        self._definitions: dict[tuple[str, str], tuple[str, str]] = {}  # -> (SHA-256, text)
        # instance -> (trigger, lead) -> timer: a step reads and replaces its own instance's alone
        self._timers: dict[str, dict[tuple[str, int], TimerRecord]] = {}
        self._index: dict[str, frozenset[IndexRow]] = {}  # instance -> its index rows
        self._votes: dict[str, dict[str, str]] = {}  # named: ballot -> voter -> choice
        self._voters: dict[str, set[str]] = {}  # secret: ballot -> who took part
        self._counts: dict[str, dict[str, int]] = {}  # secret: ballot -> choice -> total
        self._sealed: dict[
            str, list[str]
        ] = {}  # electronic secret: ballot -> sealed choices until counted
        self._seats: dict[str, dict[str, Seat]] = {}  # meeting -> person -> seat
        self._outbox: dict[
            int, EventRecord
        ] = {}  # pending entries by number (dicts keep insertion order)
        self._outbox_next = 1
        self._written: list[
            EventRecord
        ] = []  # committed by the unit under way, for the subscribers
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
        # what was committed (even if the block then raised) goes to the subscribers, after the lock
        finally:
            self._subscribers.notify(written)

    def batch(self) -> AbstractContextManager[None]:
        """Nothing to batch: each unit takes effect at once, and stays if a later one fails."""
        return nullcontext()

    def load(self, instance_id: str) -> InstanceRecord:
        rec = self._instances.get(instance_id)
        if rec is None:
            raise NotFound(Message("no instance {id!r}", id=instance_id))
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
                if v.voter in (
                    self._voters.get(v.ballot_id, set())
                    if v.secret
                    else self._votes.get(v.ballot_id, {})
                ):
                    raise StaleVersion(v.ballot_id)
            for returned in write.returned:
                if returned.voter in self._voters.get(returned.ballot, ()):
                    raise StaleVersion(returned.ballot)
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
            for row in write.seats:
                self._seats.setdefault(row.meeting, {})[row.person] = Seat(
                    role=row.role, voting=row.voting, attendance=row.attendance, view=None
                )
            for stated in write.views:
                seats = self._seats[stated.meeting]
                seats[stated.person] = seats[stated.person]._replace(view=stated.view)
            for changed in write.attendance:
                seats = self._seats[changed.meeting]
                seat = seats[changed.person]
                seats[changed.person] = seat._replace(attendance=changed.attendance)
            for instance_id, index in write.index.items():
                self._index[instance_id] = frozenset(index.rows)
            for returned in write.returned:
                self._voters.setdefault(returned.ballot, set()).add(returned.voter)
            for choice in write.sealed:
                self._sealed.setdefault(choice.ballot, []).append(choice.sealed)
            for ballot_key, totals in write.counted.items():
                self._counts[ballot_key] = dict(totals)
            for ballot_key in (*write.counted, *write.discarded):
                self._sealed.pop(ballot_key, None)
            for v in write.votes:
                if v.secret:
                    self._voters.setdefault(v.ballot_id, set()).add(v.voter)
                    totals = self._counts.setdefault(v.ballot_id, {})
                    totals[v.choice] = totals.get(v.choice, 0) + 1
                else:
                    self._votes.setdefault(v.ballot_id, {})[v.voter] = v.choice
            for d in write.definitions:
                self._definitions.setdefault((d.kind, d.key), (d.sha256, d.text))
            for instance_id, timers in write.timers.items():
                self._timers.pop(instance_id, None)
                for t in timers:
                    self._timers.setdefault(t.instance_id, {})[(t.trigger, t.lead)] = t

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
        return voter in (
            self._voters.get(ballot_id, ()) if secret else self._votes.get(ballot_id, {})
        )

    def seat(self, meeting_id: str, person: str) -> Seat | None:
        return self._seats.get(meeting_id, {}).get(person)

    def seats(self, meeting_id: str) -> dict[str, Seat]:
        return dict(self._seats.get(meeting_id, {}))

    def sealed(self, ballot_id: str) -> list[str]:
        return list(self._sealed.get(ballot_id, ()))

    def effects_since(self, instance_id: str, seq: int) -> list[dict[str, Any]]:
        return [e.effects for e in self._by_instance.get(instance_id, ()) if e.seq > seq]

    def seat_counts(self, meeting_id: str) -> SeatCounts:
        return seat_counts(self._seats.get(meeting_id, {}).values())

    def voters_choosing(self, ballot_id: str, choices: tuple[str, ...]) -> list[str]:
        return sorted(v for v, c in self._votes.get(ballot_id, {}).items() if c in choices)

    def timer_entered(self, instance_id: str, trigger: str, lead: int = 0) -> int | None:
        timer = self._timers.get(instance_id, {}).get((trigger, lead))
        return None if timer is None else timer.entered_seq

    def due_timers_of(self, instance_id: str, until: str) -> list[TimerRecord]:
        return sorted(
            (t for t in self._timers.get(instance_id, {}).values() if t.due_at <= until),
            key=lambda t: (t.due_at, t.trigger, t.lead),
        )

    def due_timers(self, until: str, limit: int) -> list[TimerRecord]:
        due = sorted(
            (t for timers in self._timers.values() for t in timers.values() if t.due_at <= until),
            key=lambda t: (t.due_at, t.instance_id, t.trigger, t.lead),
        )
        return due[:limit]

    def audit_rows(self, table: str) -> Iterator[tuple[Any, ...]]:
        rows: list[tuple[Any, ...]]
        if table == "votes":
            rows = [(b, v, c) for b, votes in self._votes.items() for v, c in votes.items()]
        elif table == "ballot_voters":
            rows = [(b, v) for b, voters in self._voters.items() for v in voters]
        elif table == "ballot_counts":
            rows = [(b, c, n) for b, counts in self._counts.items() for c, n in counts.items()]
        elif table == "sealed_votes":
            rows = [(b, x) for b, sealed in self._sealed.items() for x in sealed]
        elif table == "timers":
            rows = [
                (t.instance_id, t.trigger, t.lead, t.state, t.due_at, t.entered_seq)
                for timers in self._timers.values()
                for t in timers.values()
            ]
        elif table == "definitions":
            rows = [
                (kind, key, sha, text) for (kind, key), (sha, text) in self._definitions.items()
            ]
        else:
            raise ValueError(f"the audit reads no table {table!r}")
        return iter(sorted(rows))

    def drop_timer(self, timer: TimerRecord) -> None:
        with self._lock:
            timers = self._timers.get(timer.instance_id, {})
            key = (timer.trigger, timer.lead)
            if timers.get(key) == timer:
                del timers[key]
                if not timers:
                    del self._timers[timer.instance_id]

    def history(self, instance_id: str) -> list[EventRecord]:
        self.load(instance_id)  # raises NotFound for an unknown instance
        return list(self._by_instance.get(instance_id, ()))

    def instances(
        self, procedure: str | None = None, state: str | None = None, limit: int | None = None
    ) -> list[InstanceRecord]:
        out = sorted(
            (
                r
                for r in self._instances.values()
                if (procedure is None or r.procedure == procedure)
                and (state is None or r.state == state)
            ),
            key=lambda r: (r.created_at, r.id),
        )  # oldest first, as SqlStore orders them
        return out[:limit] if limit is not None else out

    def find(
        self,
        procedure: str,
        states: tuple[str, ...] | None = None,
        equals: Mapping[str, str] | None = None,
        before: tuple[str, str] | None = None,
    ) -> list[InstanceRecord]:
        out = []
        for rec in list(self._instances.values()):
            if rec.procedure != procedure or (states is not None and rec.state not in states):
                continue
            rows = self._index.get(rec.id, frozenset())
            if equals and not all((k, v) in rows for k, v in equals.items()):
                continue
            if before is not None and not any(k == before[0] and v < before[1] for k, v in rows):
                continue
            out.append(rec)
        return sorted(out, key=lambda r: (r.created_at, r.id))

    def scan(
        self,
        procedure: str | None = None,
        state: str | None = None,
        batch: int = 1000,
        after: tuple[str, str, str] | None = None,
    ) -> Iterator[InstanceRecord]:
        whole = procedure is None and state is None  # the order SqlStore pages in: by id, else by
        start = after and (after[2:] if whole else after)  # (procedure, state, id)
        with self._lock:  # the records are immutable: a sorted list of references is the snapshot
            out = sorted(
                ((r.id,) if whole else (r.procedure, r.state, r.id), r)
                for r in self._instances.values()
                if procedure in (None, r.procedure) and state in (None, r.state)
            )
        return iter([r for key, r in out if start is None or key > start])

    def iter_instances(self) -> Iterator[InstanceRecord]:
        return iter(list(self._instances.values()))

    def iter_events(self) -> Iterator[EventRecord]:
        return iter(list(self._events))

    def chain_heads(self) -> Iterator[ChainHead]:
        with self._lock:
            bodies = sorted(
                (body_id, chain[-1])
                for body_id, chain in self._body_events.items()
                if body_id in self._bodies
            )
            rows = sorted(self._instances.values(), key=lambda r: r.id)
        return iter(
            [
                *(
                    ChainHead(kind="body", chain_id=body_id, seq=e.seq, hash=e.hash)
                    for body_id, e in bodies
                ),
                *(
                    ChainHead(kind="instance", chain_id=r.id, seq=r.event_count, hash=r.head_hash)
                    for r in rows
                ),
            ]
        )

    def stored_heads(self, heads: Sequence[ChainHead]) -> list[StoredHead]:
        out = []
        for head in heads:
            hashes: dict[int, str]
            if head.kind == "instance":
                rec = self._instances.get(head.chain_id)
                recorded = None if rec is None else rec.event_count
                hashes = {e.seq: e.hash for e in self._by_instance.get(head.chain_id, [])}
            else:
                chain = (
                    self._body_events.get(head.chain_id, [])
                    if head.chain_id in self._bodies
                    else []
                )
                recorded = chain[-1].seq if chain else None
                hashes = {e.seq: e.hash for e in chain}
            out.append(
                StoredHead(
                    head=head,
                    chain_exists=recorded is not None,
                    recorded=recorded,
                    hash=hashes.get(head.seq),
                )
            )
        return out

    def body(self, body_id: str) -> Body | None:
        return self._bodies.get(body_id)

    def put_body(self, body: Body, at: str | None) -> None:
        with self._lock:
            self._bodies[body.id] = body
            chain = self._body_events.setdefault(body.id, [])
            event = next_event(chain[-1] if chain else None, body.id, definition_text(body), at)
            if event is not None:
                chain.append(event)

    def body_events(self) -> Iterator[BodyEvent]:
        return iter(
            [e for body_id in sorted(self._body_events) for e in self._body_events[body_id]]
        )

    def stored_bodies(self) -> Iterator[StoredBody]:
        return iter(
            [
                StoredBody(
                    body_id=body_id,
                    definition=definition_text(body),
                    event_count=self._body_events[body_id][-1].seq,
                    head_hash=self._body_events[body_id][-1].hash,
                )
                for body_id, body in sorted(self._bodies.items())
            ]
        )

    def definition(self, kind: str, key: str) -> str | None:
        found = self._definitions.get((kind, key))
        return None if found is None else found[1]

    def subscribe(self, callback: Subscriber) -> Callable[[], None]:
        return self._subscribers.add(callback)

    def outbox_pending(self, limit: int, after: int | None) -> list[OutboxEntry]:
        with self._lock:
            kept = [i for i in self._outbox if after is None or i > after][:limit]
            return [OutboxEntry(id=i, event=self._outbox[i]) for i in kept]

    def outbox_ack(self, ids: Sequence[int]) -> int:
        with self._lock:
            return sum(self._outbox.pop(i, None) is not None for i in ids)

    def close(self) -> None:
        pass

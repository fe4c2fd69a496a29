"""The tamper-evident log: each event carries the hash of the one before it in its instance's chain.

An instance's chain starts from :data:`GENESIS`; each event's hash is SHA-256 over a canonical JSON
encoding of its content, the instance's identity (procedure and pack with their versions, parent,
creation time) and the previous hash; the instance row keeps the hash of the last event, and each
event the SHA-256 of the facts it left. Editing, deleting, inserting or reordering any event — or
editing any column of the instance row — breaks verification, which needs only the stored rows and
can run offline.

What a hash chain alone cannot show, since its hashes carry no secret: an instance's last events
deleted with its row reset to the new last event (no hash needs recomputing), an instance removed
together with all its events, or a chain rewritten or extended by someone who recomputes the hashes.
A signed checkpoint (:mod:`collegium.engine.checkpoint`: every chain's head, signed with a key kept
off the database) shows each of these for what was written before it, naming the chain and event.
What neither shows: a change to what was written after the last checkpoint; a checkpoint replaced
together with its key, where the verifier does not pin the public key; a store rewritten by whoever
holds the signing key, or rewritten consistently before the checkpoint that signs it (a rewrite
between two checkpoints shows against the earlier one only). docs/architecture.md has the table.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

import orjson

from collegium._catalog import Message
from collegium._formats import canonical as canonical
from collegium._formats import digest as digest
from collegium.store.heads import GENESIS
from collegium.store.records import EVENT_FORMAT, EventRecord, EventTexts, InstanceRecord

#: the first element of an event's hash input from format 2 on
EVENT_TAG = "collegium.event"
#: the event formats this code verifies
FORMATS = (1, 2)


def identity(inst: InstanceRecord) -> list[Any]:
    """The columns of an instance that never change: part of every event's hash."""
    return [
        inst.procedure,
        inst.procedure_version,
        inst.pack,
        inst.pack_version,
        inst.parent_id,
        inst.created_at,
    ]


def event_hash(
    *,
    format_version: int,
    instance_id: str,
    seq: int,
    trigger: str,
    actor: str,
    source: str | None,
    dest: str,
    at: str,
    texts: EventTexts,
    facts_sha: str,
    prev_hash: str,
    idempotency_key: str | None,
    ident: list[Any],
) -> str:
    """SHA-256 over the event's fields, laid out as its ``format_version`` says; ``texts`` are the
    canonical JSON of its data, verdict and effects. Raises ValueError for a format this code does
    not know."""
    fields = [
        instance_id,
        seq,
        trigger,
        actor,
        source,
        dest,
        at,
        *texts,
        facts_sha,
        idempotency_key,
        ident,
        prev_hash,
    ]
    if (
        format_version == 2
    ):  # the format leads the input, under a tag no other hashed record of Collegium's uses
        fields = [EVENT_TAG, format_version, *fields]
    elif format_version != 1:  # format 1: events written before formats were recorded
        raise ValueError(f"unknown event format {format_version!r}")
    # the UTF-8 bytes of canonical(...), hashed without decoding them to text and encoding them
    # again
    return hashlib.sha256(orjson.dumps(fields, option=orjson.OPT_SORT_KEYS)).hexdigest()


def event_texts(data: Any, verdict: Any, effects: Any) -> EventTexts:
    """The canonical JSON of an event's data, verdict and effects."""
    # positional: once an event, and a named tuple built by keyword costs three times as much
    return EventTexts(canonical(data), canonical(verdict), canonical(effects))


def rehash(e: EventRecord, inst: InstanceRecord) -> str:
    """Recompute an event's hash from its decoded content (never from cached texts) and its instance
    row."""
    return event_hash(
        format_version=e.format_version,
        instance_id=e.instance_id,
        seq=e.seq,
        trigger=e.trigger,
        actor=e.actor,
        source=e.source,
        dest=e.dest,
        at=e.at,
        texts=event_texts(e.data, e.verdict, e.effects),
        facts_sha=e.facts_sha,
        prev_hash=e.prev_hash,
        idempotency_key=e.idempotency_key,
        ident=identity(inst),
    )


@dataclass(frozen=True, slots=True)
class AuditProblem:
    """The first thing found wrong: in which chain (an instance's, or with ``body_id`` a body's), at
    which event (by sequence number) if one, and what; when stored rows differ from what the chain
    recorded, ``table`` and ``row`` name them. ``reason`` is the English; :meth:`message` says the
    whole problem in another language (``str()``: in English)."""

    instance_id: str | None
    seq: int | None
    reason: str
    body_id: str | None = None
    table: str | None = None
    #: the differing row's key, as ``column=value`` pairs
    row: str | None = None
    #: ``reason`` as found, to say in another language (None: English only)
    said: Message | None = field(default=None, compare=False, repr=False)

    @classmethod
    def of(
        cls,
        instance_id: str | None,
        seq: int | None,
        reason: Message,
        *,
        body_id: str | None = None,
        table: str | None = None,
        row: str | None = None,
    ) -> AuditProblem:
        """The problem found, its ``reason`` a message of the catalogue."""
        return cls(instance_id, seq, str(reason), body_id, table, row, said=reason)

    def reason_in(self, lang: str = "en") -> str:
        """``reason`` in ``lang``."""
        return self.reason if self.said is None else self.said.say(lang)

    def message(self, lang: str = "en") -> str:
        """Where and what, in ``lang``: ``event 2 of md: …`` (with the table and row, if any; a row
        of no chain is named by its table and row alone)."""
        where: Message | None
        if self.body_id is None and self.instance_id is None:
            where = None  # a stored row of no chain: the table and row say where
        elif self.body_id is not None:
            chain = Message("body {id}", id=self.body_id)
            where = (
                chain
                if self.seq is None
                else Message("body event {seq} of {chain}", seq=self.seq, chain=chain)
            )
        elif self.seq is None:
            where = Message("instance {id}", id=self.instance_id)
        else:
            where = Message("event {seq} of {id}", seq=self.seq, id=self.instance_id)
        found: Message | str = self.said or self.reason
        if where is not None:
            found = Message("{where}: {reason}", where=where, reason=found)
        if self.table is not None and self.row:
            found = Message(
                "{found} (table {table}, row {row})", found=found, table=self.table, row=self.row
            )
        elif self.table is not None:
            found = Message("{found} (table {table})", found=found, table=self.table)
        return found if isinstance(found, str) else found.say(lang)

    def __str__(self) -> str:
        return self.message("en")

    def to_dict(self, lang: str = "en") -> dict[str, Any]:
        """The problem as plain JSON data, its reason in ``lang``."""
        return {
            "instance": self.instance_id,
            "body": self.body_id,
            "seq": self.seq,
            "reason": self.reason_in(lang),
            "table": self.table,
            "row": self.row,
        }


@dataclass(frozen=True, slots=True)
class AuditReport:
    """Result of :meth:`Engine.verify_audit <collegium.engine.engine.Engine.verify_audit>`: ``ok``
    and, when not, the first problem in storage order."""

    instances: int
    events: int
    problem: AuditProblem | None = None

    @property
    def ok(self) -> bool:
        """Whether every chain and every meeting record checked out."""
        return self.problem is None

    def to_dict(self, lang: str = "en") -> dict[str, Any]:
        """The report as plain JSON data, the problem's reason in ``lang``."""
        p = self.problem
        return {
            "ok": self.ok,
            "instances": self.instances,
            "events": self.events,
            "problem": None if p is None else p.to_dict(lang),
        }


def verify(instances: Iterable[InstanceRecord], events: Iterable[EventRecord]) -> AuditReport:
    """Check every chain. ``events`` must come in storage (insertion) order."""
    heads = {i.id: i for i in instances}
    expected_seq: dict[str, int] = {}
    prev: dict[str, str] = {}
    last: dict[str, EventRecord] = {}
    count = 0
    problem: AuditProblem | None = None
    for e in events:
        count += 1
        if problem is not None:
            continue
        want = expected_seq.get(e.instance_id, 1)
        if e.instance_id not in heads:
            problem = AuditProblem.of(
                e.instance_id, e.seq, Message("event belongs to no stored instance")
            )
        elif e.seq != want:
            problem = AuditProblem.of(
                e.instance_id,
                e.seq,
                Message(
                    "expected event {want} here: an event is missing, inserted or out of order",
                    want=want,
                ),
            )
        elif e.prev_hash != prev.get(e.instance_id, GENESIS):
            problem = AuditProblem.of(
                e.instance_id, e.seq, Message("does not link to the event before it")
            )
        elif e.format_version not in FORMATS:
            problem = AuditProblem.of(
                e.instance_id,
                e.seq,
                Message(
                    "written in format {format}, which this version of Collegium does not know",
                    format=e.format_version,
                ),
            )
        elif rehash(e, heads[e.instance_id]) != e.hash:
            problem = AuditProblem.of(
                e.instance_id,
                e.seq,
                Message(
                    "content does not match its hash: the event or its instance's identity was "
                    "edited"
                ),
            )
        else:
            expected_seq[e.instance_id] = want + 1
            prev[e.instance_id] = e.hash
            last[e.instance_id] = e
    if problem is None:
        for inst in heads.values():
            tail = last.get(inst.id)
            if tail is None:
                problem = AuditProblem.of(inst.id, None, Message("has no events"))
            elif inst.event_count != tail.seq or inst.head_hash != tail.hash:
                problem = AuditProblem.of(
                    inst.id,
                    tail.seq,
                    Message(
                        "instance records {count} events but the chain ends at {seq}: events "
                        "were removed or added",
                        count=inst.event_count,
                        seq=tail.seq,
                    ),
                )
            elif inst.version != tail.seq or inst.updated_at != tail.at:
                problem = AuditProblem.of(
                    inst.id,
                    None,
                    Message(
                        "version or last-update time differs from its chain: the instance row "
                        "was edited"
                    ),
                )
            elif inst.state != tail.dest:
                problem = AuditProblem.of(
                    inst.id,
                    None,
                    Message(
                        "state {state!r} differs from its last event ({last!r}): the instance "
                        "row was edited",
                        state=inst.state,
                        last=tail.dest,
                    ),
                )
            elif digest(canonical(inst.facts)) != tail.facts_sha:
                problem = AuditProblem.of(
                    inst.id,
                    None,
                    Message(
                        "facts differ from those its last event recorded: the instance row was "
                        "edited"
                    ),
                )
            if problem is not None:
                break
    return AuditReport(len(heads), count, problem)


def chain(
    rec: InstanceRecord,
    source: str | None,
    trigger: str,
    actor: str,
    at: str,
    data: dict[str, Any],
    verdict: list[list[Any]],
    effects: dict[str, Any],
    key: str | None,
) -> tuple[InstanceRecord, EventRecord]:
    """The next event of ``rec``'s chain, and ``rec`` with its head advanced to that event (with its
    facts' canonical JSON, so that the store does not encode them again)."""
    seq = rec.event_count + 1
    prev = rec.head_hash or GENESIS
    facts_json = canonical(rec.facts)
    facts_sha = digest(facts_json)
    texts = event_texts(data, verdict, effects)
    h = event_hash(
        format_version=EVENT_FORMAT,
        instance_id=rec.id,
        seq=seq,
        trigger=trigger,
        actor=actor,
        source=source,
        dest=rec.state,
        at=at,
        texts=texts,
        facts_sha=facts_sha,
        prev_hash=prev,
        idempotency_key=key,
        ident=identity(rec),
    )
    # built by keyword, not by dataclasses.replace: this runs once a step
    head = InstanceRecord(
        id=rec.id,
        procedure=rec.procedure,
        procedure_version=rec.procedure_version,
        pack=rec.pack,
        pack_version=rec.pack_version,
        state=rec.state,
        version=rec.version,
        facts=rec.facts,
        created_at=rec.created_at,
        updated_at=rec.updated_at,
        parent_id=rec.parent_id,
        head_hash=h,
        event_count=seq,
        facts_json=facts_json,
    )
    event = EventRecord(
        instance_id=rec.id,
        seq=seq,
        trigger=trigger,
        actor=actor,
        source=source,
        dest=rec.state,
        at=at,
        data=data,
        verdict=verdict,
        facts_sha=facts_sha,
        prev_hash=prev,
        hash=h,
        idempotency_key=key,
        effects=effects,
        texts=texts,
        format_version=EVENT_FORMAT,
    )
    return head, event

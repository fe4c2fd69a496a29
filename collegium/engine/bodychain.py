"""The hash chain of a body: each definition of a body (its kind, title and members in their roles)
is an event.

Who sits in a body and in which role decides who may act, so a body's definitions are hash-chained
like an instance's steps: event ``seq`` of body ``b`` carries the canonical JSON of the body as
defined then, the time, and the hash of the event before it (the first links to
:data:`~collegium.engine.audit.GENESIS`). The stored rows of the body and its members must equal the
last definition; :func:`verify_bodies` says where they differ. A definition equal to the last one
adds no event, so workers that define their bodies when they start add none.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

import orjson

from collegium.engine.audit import GENESIS, AuditProblem, canonical
from collegium.engine.governance import Body

# : the format of the body events written now (see collegium.engine.records.EVENT_FORMAT for
# instances')
BODY_FORMAT = 1
#: the first element of a body event's hash input
BODY_TAG = "collegium.body"


@dataclass(frozen=True, slots=True, kw_only=True)
class StoredBody:
    """A body as its rows hold it: the :func:`definition_text` of its row and members, and the
    length and last hash of its chain that its row records."""

    body_id: str
    definition: str
    event_count: int
    head_hash: str


@dataclass(frozen=True, slots=True, kw_only=True)
class BodyEvent:
    """One definition of a body in its chain. ``at`` is None for the definition a database held when
    its bodies were first chained (schema revision 0008), whose time nobody recorded."""

    body_id: str
    seq: int
    at: str | None
    definition: str
    prev_hash: str
    hash: str
    format_version: int = BODY_FORMAT


def definition_text(body: Body) -> str:
    """The canonical JSON of a body as defined: id, kind, title, and members (person, role, vote,
    name) in order."""
    title = body.title.model_dump(by_alias=True) if body.title is not None else None
    return rows_definition(
        body.id, body.kind, title, [(m.person, m.role, m.voting, m.name) for m in body.members]
    )


def rows_definition(
    body_id: str,
    kind: str,
    title: Mapping[str, Any] | None,
    members: Iterable[tuple[str, str, Any, str | None]],
) -> str:
    """:func:`definition_text` from stored columns (a title decoded from its JSON; members in their
    order), read as they are so that rows no :class:`Body` would accept are still compared, not
    refused."""
    return canonical(
        {
            "id": body_id,
            "kind": kind,
            "title": title,
            "members": [[p, r, bool(v), n] for p, r, v, n in members],
        }
    )


def body_hash(
    *, format_version: int, body_id: str, seq: int, at: str | None, definition: str, prev_hash: str
) -> str:
    """SHA-256 over a body event's fields; ValueError for a format this code does not know."""
    if format_version != 1:
        raise ValueError(f"unknown body event format {format_version!r}")
    fields = [BODY_TAG, format_version, body_id, seq, at, definition, prev_hash]
    return hashlib.sha256(orjson.dumps(fields)).hexdigest()


def next_event(
    last: BodyEvent | None, body_id: str, definition: str, at: str | None
) -> BodyEvent | None:
    """The event recording ``definition`` after ``last`` (None: the body has none yet); None if it
    is unchanged."""
    if last is not None and last.definition == definition:
        return None
    seq = 1 if last is None else last.seq + 1
    prev = GENESIS if last is None else last.hash
    h = body_hash(
        format_version=BODY_FORMAT,
        body_id=body_id,
        seq=seq,
        at=at,
        definition=definition,
        prev_hash=prev,
    )
    return BodyEvent(body_id=body_id, seq=seq, at=at, definition=definition, prev_hash=prev, hash=h)


def verify_bodies(events: Iterable[BodyEvent], stored: Iterable[StoredBody]) -> AuditProblem | None:
    """The first problem in the body chains (``events`` by body, then seq) or between each chain's
    last event and the body as stored: its definition, and the length and head of the chain its row
    records."""
    last: dict[str, BodyEvent] = {}
    for e in events:
        before = last.get(e.body_id)
        want = 1 if before is None else before.seq + 1
        if e.seq != want:
            return _problem(e, f"expected body event {want} here: an event is missing or inserted")
        if e.prev_hash != (GENESIS if before is None else before.hash):
            return _problem(e, "does not link to the body event before it")
        try:
            again = body_hash(
                format_version=e.format_version,
                body_id=e.body_id,
                seq=e.seq,
                at=e.at,
                definition=e.definition,
                prev_hash=e.prev_hash,
            )
        except ValueError as exc:
            return _problem(e, str(exc))
        if again != e.hash:
            return _problem(e, "content does not match its hash: the body event was edited")
        last[e.body_id] = e
    seen = set()
    for body in stored:
        body_id, tail = body.body_id, last.get(body.body_id)
        seen.add(body_id)
        if tail is None:
            return AuditProblem(
                None,
                None,
                "has no recorded definition: it was added outside Collegium",
                body_id=body_id,
                table="collegium_bodies",
                row=f"id={body_id!r}",
            )
        if (body.event_count, body.head_hash) != (tail.seq, tail.hash):
            return AuditProblem(
                None,
                tail.seq,
                f"its row records {body.event_count} definitions but the chain "
                f"ends at {tail.seq}: events were removed or added",
                body_id=body_id,
                table="collegium_bodies",
                row=f"id={body_id!r}",
            )
        if tail.definition != body.definition:
            return _difference(body_id, tail.definition, body.definition)
    for body_id in sorted(last.keys() - seen):
        return AuditProblem(
            None,
            None,
            "was defined but its row is gone",
            body_id=body_id,
            table="collegium_bodies",
            row=f"id={body_id!r}",
        )
    return None


def _problem(e: BodyEvent, reason: str) -> AuditProblem:
    return AuditProblem(
        None,
        e.seq,
        reason,
        body_id=e.body_id,
        table="collegium_body_events",
        row=f"body_id={e.body_id!r}, seq={e.seq}",
    )


def _difference(body_id: str, recorded: str, stored: str) -> AuditProblem:
    """Which stored row of a body differs from its last recorded definition."""
    was: dict[str, Any] = orjson.loads(recorded)
    now: dict[str, Any] = orjson.loads(stored)
    if {k: was[k] for k in ("kind", "title")} != {k: now[k] for k in ("kind", "title")}:
        return AuditProblem(
            None,
            None,
            "differs from its last recorded definition (kind or title)",
            body_id=body_id,
            table="collegium_bodies",
            row=f"id={body_id!r}",
        )
    seats_was = {m[0]: m for m in was["members"]}
    seats_now = {m[0]: m for m in now["members"]}
    for person in sorted(seats_was.keys() | seats_now.keys()):
        if seats_was.get(person) != seats_now.get(person):
            change = (
                "added"
                if person not in seats_was
                else "removed"
                if person not in seats_now
                else "role, vote or name edited"
            )
            return AuditProblem(
                None,
                None,
                f"a member differs from its last recorded definition ({change})",
                body_id=body_id,
                table="collegium_members",
                row=f"body_id={body_id!r}, person={person!r}",
            )
    return AuditProblem(
        None,
        None,
        "the order of its members differs from its last recorded definition",
        body_id=body_id,
        table="collegium_members",
        row=f"body_id={body_id!r}",
    )

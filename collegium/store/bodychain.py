"""The hash chain of a body: each definition of a body (its kind, title and members in their roles)
is an event.

Who sits in a body and in which role decides who may act, so a body's definitions are hash-chained
like an instance's steps: event ``seq`` of body ``b`` carries the canonical JSON of the body as
defined then, the time, and the hash of the event before it (the first links to
:data:`~collegium.store.heads.GENESIS`). A store appends the event in the transaction that
writes the body's rows, which must equal the last definition (``verify_bodies`` in
``collegium.engine.bodychain`` says where they differ). A definition equal to the last one adds no
event, so workers that define their bodies when they start add none.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

import orjson

from collegium._formats import canonical
from collegium.store.bodies import Body
from collegium.store.heads import GENESIS

# : the format of the body events written now (see collegium.store.records.EVENT_FORMAT for
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

"""Verifying the hash chains of bodies against the bodies as stored.

Each definition of a body is an event of its chain (:mod:`collegium.store.bodychain`, where the
store appends them); :func:`verify_bodies` checks the chains and says where a body's stored rows
differ from its last recorded definition.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

import orjson

from collegium._catalog import Message
from collegium.engine._moved import moved
from collegium.engine.audit import AuditProblem
from collegium.store.bodychain import body_hash
from collegium.store.heads import GENESIS

if TYPE_CHECKING:
    from collegium.store.bodychain import BodyEvent, StoredBody

#: the body chain's records and hashing moved to the store, which appends the events
__getattr__ = moved(__name__, "collegium.store.bodychain")


def verify_bodies(events: Iterable[BodyEvent], stored: Iterable[StoredBody]) -> AuditProblem | None:
    """The first problem in the body chains (``events`` by body, then seq) or between each chain's
    last event and the body as stored: its definition, and the length and head of the chain its row
    records."""
    last: dict[str, BodyEvent] = {}
    for e in events:
        before = last.get(e.body_id)
        want = 1 if before is None else before.seq + 1
        if e.seq != want:
            return _problem(
                e,
                Message(
                    "expected body event {want} here: an event is missing or inserted", want=want
                ),
            )
        if e.prev_hash != (GENESIS if before is None else before.hash):
            return _problem(e, Message("does not link to the body event before it"))
        try:
            again = body_hash(
                format_version=e.format_version,
                body_id=e.body_id,
                seq=e.seq,
                at=e.at,
                definition=e.definition,
                prev_hash=e.prev_hash,
            )
        except ValueError:  # a format this code does not know: body_hash's own words
            return _problem(
                e, Message("unknown body event format {format!r}", format=e.format_version)
            )
        if again != e.hash:
            return _problem(
                e, Message("content does not match its hash: the body event was edited")
            )
        last[e.body_id] = e
    seen = set()
    for body in stored:
        body_id, tail = body.body_id, last.get(body.body_id)
        seen.add(body_id)
        if tail is None:
            return AuditProblem.of(
                None,
                None,
                Message("has no recorded definition: it was added outside Collegium"),
                body_id=body_id,
                table="collegium_bodies",
                row=f"id={body_id!r}",
            )
        if (body.event_count, body.head_hash) != (tail.seq, tail.hash):
            return AuditProblem.of(
                None,
                tail.seq,
                Message(
                    "its row records {count} definitions but the chain ends at {seq}: events "
                    "were removed or added",
                    count=body.event_count,
                    seq=tail.seq,
                ),
                body_id=body_id,
                table="collegium_bodies",
                row=f"id={body_id!r}",
            )
        if tail.definition != body.definition:
            return _difference(body_id, tail.definition, body.definition)
    for body_id in sorted(last.keys() - seen):
        return AuditProblem.of(
            None,
            None,
            Message("was defined but its row is gone"),
            body_id=body_id,
            table="collegium_bodies",
            row=f"id={body_id!r}",
        )
    return None


def _problem(e: BodyEvent, reason: Message) -> AuditProblem:
    return AuditProblem.of(
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
        return AuditProblem.of(
            None,
            None,
            Message("differs from its last recorded definition (kind or title)"),
            body_id=body_id,
            table="collegium_bodies",
            row=f"id={body_id!r}",
        )
    seats_was = {m[0]: m for m in was["members"]}
    seats_now = {m[0]: m for m in now["members"]}
    for person in sorted(seats_was.keys() | seats_now.keys()):
        if seats_was.get(person) != seats_now.get(person):
            change = (
                Message("a member differs from its last recorded definition (added)")
                if person not in seats_was
                else Message("a member differs from its last recorded definition (removed)")
                if person not in seats_now
                else Message(
                    "a member differs from its last recorded definition (role, vote or name edited)"
                )
            )
            return AuditProblem.of(
                None,
                None,
                change,
                body_id=body_id,
                table="collegium_members",
                row=f"body_id={body_id!r}, person={person!r}",
            )
    return AuditProblem.of(
        None,
        None,
        Message("the order of its members differs from its last recorded definition"),
        body_id=body_id,
        table="collegium_members",
        row=f"body_id={body_id!r}",
    )

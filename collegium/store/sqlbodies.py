"""Bodies on SQL: a body's rows (``collegium_bodies``, ``collegium_members``) and its chain of
definitions (``collegium_body_events``, :mod:`collegium.store.bodychain`), written together and
read back for the audit."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import asdict
from typing import Any

import orjson
from sqlalchemy import Connection, insert, select, update

from collegium._formats import canonical
from collegium.store import schema as s
from collegium.store.bodies import Body
from collegium.store.bodychain import (
    BodyEvent,
    StoredBody,
    definition_text,
    next_event,
    rows_definition,
)


def write_body(conn: Connection, body: Body, at: str | None) -> None:
    """Create or replace ``body``'s rows in ``conn``'s transaction, and chain its definition if it
    changed."""
    b, m, be = s.bodies, s.members, s.body_events
    title = canonical(body.title.model_dump(by_alias=True)) if body.title else None
    # the body's row is updated in place, never deleted: its row lock queues the processes that
    # replace one body at once (each worker may define its bodies when it starts), before its chain
    # is read
    updated = conn.execute(
        update(b).where(b.c.id == body.id).values(kind=body.kind, title=title)
    ).rowcount
    last = conn.execute(
        select(be).where(be.c.body_id == body.id).order_by(be.c.seq.desc()).limit(1)
    ).first()
    before = None if last is None else body_event(last)
    event = next_event(before, body.id, definition_text(body), at)
    head = event or before
    assert head is not None  # a body without events gets its first one
    if updated == 0:
        conn.execute(
            insert(b),
            [
                {
                    "id": body.id,
                    "kind": body.kind,
                    "title": title,
                    "event_count": head.seq,
                    "head_hash": head.hash,
                }
            ],
        )
    elif event is not None:
        conn.execute(
            update(b).where(b.c.id == body.id).values(event_count=event.seq, head_hash=event.hash)
        )
    if event is not None:
        conn.execute(insert(be), [asdict(event)])
    conn.execute(m.delete().where(m.c.body_id == body.id))
    if body.members:
        conn.execute(
            insert(m),
            [
                {
                    "body_id": body.id,
                    "person": p.person,
                    "position": i,
                    "role": p.role,
                    "voting": p.voting,
                    "name": p.name,
                }
                for i, p in enumerate(body.members)
            ],
        )


def body_events(conn: Connection) -> Iterator[BodyEvent]:
    """Every body's chain, by body id then sequence number."""
    be = s.body_events
    for row in conn.execute(select(be).order_by(be.c.body_id, be.c.seq)):
        yield body_event(row)


def stored_bodies(conn: Connection) -> Iterator[StoredBody]:
    """Each body as its rows hold it, by body id (rows read as they are, not validated)."""
    b, m = s.bodies, s.members
    seats: dict[str, list[Any]] = {}
    for row in conn.execute(
        select(m.c.body_id, m.c.person, m.c.role, m.c.voting, m.c.name).order_by(
            m.c.body_id, m.c.position
        )
    ):
        seats.setdefault(row[0], []).append(tuple(row[1:]))
    for body_id, kind, title, count, head in conn.execute(
        select(b.c.id, b.c.kind, b.c.title, b.c.event_count, b.c.head_hash).order_by(b.c.id)
    ):
        definition = rows_definition(
            body_id, kind, orjson.loads(title) if title else None, seats.get(body_id, ())
        )
        yield StoredBody(body_id=body_id, definition=definition, event_count=count, head_hash=head)


def body_event(row: Any) -> BodyEvent:
    return BodyEvent(
        body_id=row.body_id,
        seq=row.seq,
        at=row.at,
        definition=row.definition,
        prev_hash=row.prev_hash,
        hash=row.hash,
        format_version=row.format_version,
    )

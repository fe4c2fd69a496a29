"""Rewriting a store's history as someone with write access to it could: chains cut back, re-hashed
or removed, the instance rows made to match, so that the plain audit still passes. On SQL by plain
statements (any backend), in memory through the store's dictionaries."""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa

from collegium import Engine, EventRecord, MemoryStore, SqlStore
from collegium.engine.audit import rehash
from collegium.store import schema as s
from collegium.store.records import InstanceRecord
from collegium.store.sqlrows import event_values, instance_values


def rewrite(
    engine: Engine,
    iid: str,
    *,
    keep: int,
    forged: Sequence[EventRecord] = (),
    facts: dict[str, Any] | None = None,
) -> list[EventRecord]:
    """Keep events 1..``keep`` of ``iid``, append ``forged`` after them (renumbered, linked and
    re-hashed with :func:`collegium.engine.audit.rehash`), and set the instance row to match the new
    last event (with ``facts`` if given, else the row's). Returns the new chain."""
    inst = engine.store.load(iid)
    chain = engine.history(iid)[:keep]
    for e in forged:
        draft = dataclasses.replace(
            e,
            seq=len(chain) + 1,
            prev_hash=chain[-1].hash,
            hash="",
            texts=None,
            idempotency_key=None,
        )
        chain.append(dataclasses.replace(draft, hash=rehash(draft, inst)))
    last = chain[-1]
    row = dataclasses.replace(
        inst,
        state=last.dest,
        version=last.seq,
        updated_at=last.at,
        head_hash=last.hash,
        event_count=last.seq,
        facts_json=None,
        facts=inst.facts if facts is None else facts,
    )
    store = engine.store
    if isinstance(store, SqlStore):
        e_, i_ = s.events, s.instances
        with store.engine.begin() as conn:
            conn.execute(sa.delete(e_).where(e_.c.instance_id == iid, e_.c.seq > keep))
            if chain[keep:]:
                conn.execute(sa.insert(e_), [event_values(e) for e in chain[keep:]])
            conn.execute(sa.update(i_).where(i_.c.id == iid).values(instance_values(row)))
    else:
        assert isinstance(store, MemoryStore)
        store._instances[iid] = row
        store._by_instance[iid] = chain
        store._events = [e for e in store._events if e.instance_id != iid] + chain
    return chain


def delete_instance(engine: Engine, iid: str) -> None:
    """Remove an instance and all of it: events, timers, facts index, outbox entries."""
    store = engine.store
    if isinstance(store, SqlStore):
        with store.engine.begin() as conn:
            for table in (s.events, s.timers, s.outbox, s.facts_index):
                conn.execute(sa.delete(table).where(table.c.instance_id == iid))
            conn.execute(sa.delete(s.instances).where(s.instances.c.id == iid))
    else:
        assert isinstance(store, MemoryStore)
        del store._instances[iid]
        store._by_instance.pop(iid, None)
        store._events = [e for e in store._events if e.instance_id != iid]
        store._index.pop(iid, None)
        for key in [k for k in store._timers if k[0] == iid]:
            del store._timers[key]


def edit_event_data(engine: Engine, iid: str, seq: int, data: dict[str, Any]) -> None:
    """Change one event's data and nothing else (no hash recomputed)."""
    edited = dataclasses.replace(engine.history(iid)[seq - 1], data=data, texts=None)
    store = engine.store
    if isinstance(store, SqlStore):
        e_ = s.events
        with store.engine.begin() as conn:
            conn.execute(
                sa.update(e_)
                .where(e_.c.instance_id == iid, e_.c.seq == seq)
                .values(data=event_values(edited)["data"])
            )
    else:
        assert isinstance(store, MemoryStore)
        chain = store._by_instance[iid]
        old, chain[seq - 1] = chain[seq - 1], edited
        store._events = [edited if e is old else e for e in store._events]


def row(engine: Engine, iid: str) -> InstanceRecord:
    """A copy of the instance row as it stands (what a backup would hold)."""
    return dataclasses.replace(engine.store.load(iid))

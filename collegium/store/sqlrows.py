"""Records to and from the rows of the SQL store's instance and event tables.

A record is built by keyword from a row unpacked in the table's column order: this runs for every
instance and event the store reads, so it unpacks once and calls the record's constructor directly.
"""

from __future__ import annotations

from typing import Any

import orjson

from collegium._formats import canonical
from collegium.store.records import EventRecord, EventTexts, InstanceRecord


def instance_row(row: Any) -> InstanceRecord:
    """An instance from a row in the table's column order (a SQLAlchemy Row or a DBAPI tuple)."""
    (
        id_,
        procedure,
        procedure_version,
        pack,
        pack_version,
        state,
        version,
        facts,
        parent_id,
        head_hash,
        event_count,
        created_at,
        updated_at,
    ) = row
    return InstanceRecord(
        id=id_,
        procedure=procedure,
        procedure_version=procedure_version,
        pack=pack,
        pack_version=pack_version,
        state=state,
        version=version,
        facts=orjson.loads(facts),
        created_at=created_at,
        updated_at=updated_at,
        parent_id=parent_id,
        head_hash=head_hash,
        event_count=event_count,
    )


def event_row(row: Any) -> EventRecord:
    """An event from a SQLAlchemy Row that names the event table's columns."""
    return EventRecord(
        instance_id=row.instance_id,
        seq=row.seq,
        trigger=row.trigger,
        actor=row.actor,
        source=row.source,
        dest=row.dest,
        at=row.at,
        data=orjson.loads(row.data),
        verdict=orjson.loads(row.verdict),
        facts_sha=row.facts_sha,
        prev_hash=row.prev_hash,
        hash=row.hash,
        idempotency_key=row.idempotency_key,
        effects=orjson.loads(row.effects),
        format_version=row.format_version,
    )


def stored_event(row: Any) -> EventRecord:
    """An event from a DBAPI tuple in the event table's column order (its surrogate id first)."""
    (
        _id,
        instance_id,
        seq,
        trigger,
        actor,
        source,
        dest,
        at,
        data,
        verdict,
        effects,
        facts_sha,
        prev_hash,
        hash_,
        key,
        format_version,
    ) = row
    return EventRecord(
        instance_id=instance_id,
        seq=seq,
        trigger=trigger,
        actor=actor,
        source=source,
        dest=dest,
        at=at,
        data=orjson.loads(data),
        verdict=orjson.loads(verdict),
        facts_sha=facts_sha,
        prev_hash=prev_hash,
        hash=hash_,
        idempotency_key=key,
        effects=orjson.loads(effects),
        format_version=format_version,
    )


def instance_values(rec: InstanceRecord) -> dict[str, Any]:
    """The instance table's values of ``rec``, facts as canonical JSON."""
    return {
        "id": rec.id,
        "procedure": rec.procedure,
        "procedure_version": rec.procedure_version,
        "pack": rec.pack,
        "pack_version": rec.pack_version,
        "state": rec.state,
        "version": rec.version,
        "facts": rec.facts_json or canonical(rec.facts),
        "parent_id": rec.parent_id,
        "head_hash": rec.head_hash,
        "event_count": rec.event_count,
        "created_at": rec.created_at,
        "updated_at": rec.updated_at,
    }


def event_values(e: EventRecord) -> dict[str, Any]:
    """The event table's values of ``e``, its data, verdict and effects as canonical JSON."""
    data, verdict, effects = e.texts or EventTexts(
        data=canonical(e.data), verdict=canonical(e.verdict), effects=canonical(e.effects)
    )
    return {
        "instance_id": e.instance_id,
        "seq": e.seq,
        "trigger": e.trigger,
        "actor": e.actor,
        "source": e.source,
        "dest": e.dest,
        "at": e.at,
        "data": data,
        "verdict": verdict,
        "effects": effects,
        "facts_sha": e.facts_sha,
        "prev_hash": e.prev_hash,
        "hash": e.hash,
        "idempotency_key": e.idempotency_key,
        "format_version": e.format_version,
    }

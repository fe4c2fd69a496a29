"""One outbox entry as a message: its id, address, headers and JSON body.

The message id is the event's own, ``<instance id>/<seq>``: the same however often the entry is sent
(after a broker's restart, or a relay killed before it acknowledged), so a broker (JetStream's
``Nats-Msg-Id``) or a consumer (AMQP's ``message_id``) can drop a message it has already seen. The
body is the event as the store keeps it (a secret ballot's choice is not in it: the store keeps none
in an event), with ``id`` and ``outbox_id`` beside its fields, as UTF-8 JSON.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import orjson

from collegium.relay.target import Target
from collegium.store.outbox import OutboxEntry
from collegium.store.records import EventRecord

__all__ = ["Delivery", "delivery", "message_id"]


@dataclass(frozen=True, slots=True, kw_only=True)
class Delivery:
    """What a publisher sends for one outbox entry."""

    #: the outbox entry's id, to acknowledge once the broker confirmed the message
    entry: int
    #: the event's id, ``<instance id>/<seq>``
    message_id: str
    #: the routing key (AMQP) or subject (JetStream)
    address: str
    trigger: str
    instance: str
    seq: int
    body: bytes

    @property
    def headers(self) -> Mapping[str, str]:
        """The message's headers beside its id: the instance, the sequence number, the trigger."""
        return {
            "Collegium-Instance": self.instance,
            "Collegium-Seq": str(self.seq),
            "Collegium-Trigger": self.trigger,
        }


def message_id(event: EventRecord) -> str:
    """The message id of ``event``: ``<instance id>/<seq>``."""
    return f"{event.instance_id}/{event.seq}"


def delivery(entry: OutboxEntry, target: Target) -> Delivery:
    """The message of ``entry`` for ``target``."""
    e = entry.event
    body = {
        "id": message_id(e),
        "outbox_id": entry.id,
        "instance_id": e.instance_id,
        "seq": e.seq,
        "trigger": e.trigger,
        "actor": e.actor,
        "source": e.source,
        "dest": e.dest,
        "at": e.at,
        "data": e.data,
        "verdict": e.verdict,
        "effects": e.effects,
        "idempotency_key": e.idempotency_key,
        "facts_sha": e.facts_sha,
        "prev_hash": e.prev_hash,
        "hash": e.hash,
        "format_version": e.format_version,
    }
    return Delivery(
        entry=entry.id,
        message_id=message_id(e),
        address=target.address(e.trigger, e.instance_id),
        trigger=e.trigger,
        instance=e.instance_id,
        seq=e.seq,
        body=orjson.dumps(body),
    )

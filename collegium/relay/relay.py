"""The relay: an engine's outbox delivered to a message broker, at least once, in order.

:meth:`Relay.deliver` reads the pending entries oldest first, publishes them one at a time, each
confirmed by the broker (AMQP publisher confirms; a JetStream publish acknowledgement) before the
next is sent, and acknowledges in the outbox the entries the broker confirmed, a batch at a time.
An entry is acknowledged only after its confirmation: when the broker goes away, or the relay's
process is killed, between the two, the entry is still pending and is sent again by the next pass
or the next relay, with the same message id (:func:`~collegium.relay.delivery.message_id`). A
consumer therefore sees each event at least once, and the events of one instance in their order,
each re-sent one repeating its message id; JetStream drops such a repeat itself within its
duplicate window.

:meth:`Relay.run` repeats passes until stopped, waiting ``interval`` seconds when the outbox is
empty; when the broker cannot be reached it waits, twice as long each time up to a limit, and tries
again. One relay per outbox: a second one does no harm (both send, the consumers see repeats) but
doubles the traffic.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Protocol

from collegium._brief import brief
from collegium._catalog import Message
from collegium.errors import BrokerUnavailable, InvalidInput
from collegium.relay.delivery import Delivery, delivery
from collegium.relay.target import Target, parse_target
from collegium.store.outbox import OutboxEntry

__all__ = ["Publisher", "Relay", "RelayPass"]

log = logging.getLogger("collegium")


class Publisher(Protocol):
    """What a relay sends with: one message at a time, confirmed before ``publish`` returns."""

    def publish(self, message: Delivery) -> None: ...

    def close(self) -> None: ...


class _Outbox(Protocol):
    def pending(self, limit: int = 100, *, after: int | None = None) -> list[OutboxEntry]: ...

    def ack(self, ids: Sequence[int]) -> int: ...


@dataclass(frozen=True, slots=True, kw_only=True)
class RelayPass:
    """What one pass of :meth:`~collegium.relay.relay.Relay.run` did: how many entries it
    delivered (confirmed and acknowledged), and, when the broker failed it, why and in how many
    seconds the next try is."""

    delivered: int
    error: BrokerUnavailable | None = None
    retry_in: float | None = None


def publisher_for(target: Target) -> Publisher:
    """The publisher of ``target``'s kind of broker; :class:`InvalidInput` when its client is not
    installed."""
    package = "pika" if target.kind == "amqp" else "nats-py"
    try:
        if target.kind == "amqp":
            from collegium.relay.amqp import AmqpPublisher

            return AmqpPublisher(target)
        import nats  # noqa: F401  # installed, or said now rather than at the first message

        from collegium.relay.jetstream import JetStreamPublisher

        return JetStreamPublisher(target)
    except ModuleNotFoundError as exc:
        if exc.name not in ("pika", "nats"):
            raise
        raise InvalidInput(
            Message(
                "relaying to {url} needs the package {package}: pip install 'collegium[relay]'",
                url=target.shown,
                package=package,
            )
        ) from None


class Relay:
    """Delivers ``outbox`` (an engine's ``engine.outbox``) to the broker ``to`` names: an
    ``amqp://`` or ``nats://`` URL (:func:`~collegium.relay.target.parse_target` reads it; the
    form is on the page "Relaying events to a broker") or a
    :class:`~collegium.relay.target.Target`. ``batch``: how many entries are read, and
    acknowledged, at a time. A relay is a context manager; closing it closes its connection.

    Needs the ``relay`` extra (``pip install 'collegium[relay]'``): pika for AMQP, nats-py for
    NATS."""

    def __init__(
        self,
        outbox: _Outbox,
        to: str | Target,
        *,
        batch: int = 100,
        publisher: Publisher | None = None,
    ) -> None:
        if isinstance(batch, bool) or not isinstance(batch, int) or batch < 1:
            raise InvalidInput(
                Message("a relay's batch is at least 1 entry, not {batch}", batch=brief(batch))
            )
        self.target = to if isinstance(to, Target) else parse_target(to)
        self._outbox = outbox
        self._batch = batch
        self._publisher = publisher if publisher is not None else publisher_for(self.target)
        #: how many entries this relay has delivered: confirmed by the broker, then acknowledged
        self.delivered = 0

    def deliver(self, *, stop: threading.Event | None = None) -> int:
        """One pass: send every pending entry, oldest first, until the outbox is empty or, once
        ``stop`` is set, after the entry in hand; returns how many were delivered. Raises
        :class:`~collegium.errors.BrokerUnavailable` at the first entry the broker does not
        confirm, after acknowledging those it confirmed: that one and those after it stay
        pending."""
        before = self.delivered
        stopped = stop.is_set if stop is not None else lambda: False
        while not stopped() and (entries := self._outbox.pending(self._batch)):
            confirmed: list[int] = []
            try:
                for entry in entries:
                    self._publisher.publish(delivery(entry, self.target))
                    confirmed.append(entry.id)
                    if stopped():
                        break
            finally:
                if confirmed:
                    self._outbox.ack(confirmed)
                    self.delivered += len(confirmed)
        return self.delivered - before

    def run(
        self,
        *,
        stop: threading.Event | None = None,
        interval: float = 1.0,
        backoff: tuple[float, float] = (0.5, 30.0),
        report: Callable[[RelayPass], None] | None = None,
    ) -> None:
        """Deliver until ``stop`` is set: a pass (:meth:`deliver`), then, when the outbox is empty,
        a wait of ``interval`` seconds before the next. When the broker fails a pass, the next try
        waits ``backoff[0]`` seconds, then twice as long each time it fails again, up to
        ``backoff[1]``. ``report`` is told of each pass that delivered something or failed;
        without it, a failed pass is logged on the ``collegium`` logger."""
        stop = stop if stop is not None else threading.Event()
        first, most = backoff
        delay = first
        while not stop.is_set():
            before = self.delivered
            try:
                self.deliver(stop=stop)
            except BrokerUnavailable as exc:
                done = RelayPass(delivered=self.delivered - before, error=exc, retry_in=delay)
                if report is not None:
                    report(done)
                else:
                    log.warning("relay: %s; trying again in %.1f s", exc, delay)
                stop.wait(delay)
                delay = min(delay * 2, most)
                continue
            delay = first
            if report is not None and self.delivered > before:
                report(RelayPass(delivered=self.delivered - before))
            stop.wait(interval)

    def close(self) -> None:
        """Close the connection to the broker."""
        self._publisher.close()

    def __enter__(self) -> Relay:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()

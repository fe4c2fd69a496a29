"""Publishing to an AMQP 0-9-1 broker (RabbitMQ) with publisher confirms, through pika.

Each message is published persistent (delivery mode 2), ``mandatory``, on a channel in confirm
mode, and :meth:`AmqpPublisher.publish` returns only once the broker has confirmed it: a message the
broker refuses (a nack) or can route to no queue (returned) is not confirmed, so its entry stays in
the outbox. The connection is opened on the first message and again after it failed. pika is
imported here only, so that ``import collegium`` does not need it.
"""

from __future__ import annotations

import contextlib
import math
from typing import Any
from urllib.parse import parse_qs, urlsplit

from collegium._catalog import Message
from collegium.errors import BrokerUnavailable, InvalidInput
from collegium.relay.delivery import Delivery
from collegium.relay.target import Target

__all__ = ["AmqpPublisher"]

#: AMQP reply codes that a retry does not mend: access refused, not found, precondition failed
_REFUSALS = frozenset({403, 404, 406})


class AmqpPublisher:
    """Publishes :class:`Delivery` messages to ``target``'s exchange, one confirmed at a time."""

    def __init__(self, target: Target) -> None:
        import pika

        self._target = target
        try:
            self._params = pika.URLParameters(target.url)
        except ValueError as exc:
            raise InvalidInput(
                Message(
                    "the AMQP URL {url!r:.80} cannot be used: {problem}",
                    url=target.shown,
                    problem=str(exc),
                )
            ) from None
        given = parse_qs(urlsplit(target.url).query)
        seconds = target.timeout
        # a broker that stops answering is noticed within about the timeout, not pika's minutes
        for name, value in (
            ("heartbeat", max(1, math.ceil(seconds))),
            ("socket_timeout", seconds),
            ("stack_timeout", seconds),
            ("blocked_connection_timeout", seconds),
        ):
            if name not in given:
                setattr(self._params, name, value)
        self._connection: Any = None
        self._channel: Any = None

    def publish(self, message: Delivery) -> None:
        """Publish ``message`` and wait for the broker's confirmation. Raises
        :class:`BrokerUnavailable` when it is not confirmed, :class:`InvalidInput` when the broker
        refuses the login, the exchange or the vhost (a retry would not mend it)."""
        import pika
        import pika.exceptions as px

        try:
            channel = self._open()
            channel.basic_publish(
                self._target.destination,
                message.address,
                message.body,
                pika.BasicProperties(
                    message_id=message.message_id,
                    content_type="application/json",
                    delivery_mode=2,
                    type=message.trigger,
                    app_id="collegium",
                    headers=dict(message.headers),
                ),
                mandatory=True,
            )
        except px.UnroutableError:
            raise BrokerUnavailable(
                Message(
                    "{url} routed the message {id} to no queue: bind a queue to the exchange "
                    "{exchange!r} for its routing key {key!r}",
                    url=self._target.shown,
                    id=message.message_id,
                    exchange=self._target.destination,
                    key=message.address,
                )
            ) from None
        except px.NackError:
            raise BrokerUnavailable(
                Message(
                    "{url} did not take the message {id}",
                    url=self._target.shown,
                    id=message.message_id,
                )
            ) from None
        except (px.AMQPError, OSError) as exc:
            self.close()
            raise self._failure(exc) from None

    def _open(self) -> Any:
        import pika
        import pika.exceptions as px

        if self._channel is not None and self._channel.is_open:
            return self._channel
        self.close()
        self._connection = pika.BlockingConnection(self._params)
        channel = self._connection.channel()
        exchange = self._target.destination
        try:
            channel.exchange_declare(exchange, passive=True)
        except px.ChannelClosedByBroker as exc:
            if exc.reply_code != 404:
                raise
            channel = self._connection.channel()
            channel.exchange_declare(exchange, exchange_type="topic", durable=True)
        channel.confirm_delivery()
        self._channel = channel
        return channel

    def _failure(self, exc: Exception) -> InvalidInput | BrokerUnavailable:
        import pika.exceptions as px

        reason = " ".join((str(exc) or repr(exc)).split())  # pika's repr says what is inside
        url = self._target.shown
        refused = isinstance(
            exc,
            px.ProbableAuthenticationError | px.AuthenticationError | px.ProbableAccessDeniedError,
        )
        if isinstance(exc, px.ChannelClosed | px.ConnectionClosed) and not isinstance(
            exc, px.ConnectionClosedByClient
        ):
            refused = refused or exc.reply_code in _REFUSALS
        if refused:
            return InvalidInput(Message("{url} refused: {reason}", url=url, reason=reason))
        return BrokerUnavailable(
            Message("{url} cannot be reached: {reason}", url=url, reason=reason)
        )

    def close(self) -> None:
        """Close the connection, if one is open."""
        connection, self._connection, self._channel = self._connection, None, None
        if connection is not None and connection.is_open:
            with contextlib.suppress(Exception):  # already broken: nothing to close cleanly
                connection.close()

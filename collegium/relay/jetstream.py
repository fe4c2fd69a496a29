"""Publishing to NATS JetStream with publish acknowledgements, through nats-py.

Each message carries the header ``Nats-Msg-Id`` (the event's id), on which the stream drops a
message it already holds within its duplicate window (two minutes unless the stream says
otherwise), and the header naming the stream it is meant for; :meth:`JetStreamPublisher.publish`
returns only once the stream has acknowledged it. nats-py is asynchronous: the publisher runs its
own event loop, one call at a time. The client's own reconnection is off: a lost connection fails
the message in hand, and the relay's backoff decides when to connect again. nats-py is imported
here only, so that ``import collegium`` does not need it.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Coroutine
from typing import TYPE_CHECKING, Any, TypeVar

from collegium._catalog import Message
from collegium.errors import BrokerUnavailable, InvalidInput
from collegium.relay.delivery import Delivery
from collegium.relay.target import Target

if TYPE_CHECKING:
    from nats.aio.client import Client
    from nats.js import JetStreamContext

__all__ = ["JetStreamPublisher"]

T = TypeVar("T")


async def _quiet(*_args: object) -> None:
    """The client's callbacks: a failure is reported by the call that meets it."""


class JetStreamPublisher:
    """Publishes :class:`Delivery` messages to ``target``'s stream, one acknowledged at a time."""

    def __init__(self, target: Target) -> None:
        self._target = target
        self._loop = asyncio.new_event_loop()
        self._client: Client | None = None
        self._js: JetStreamContext | None = None

    def publish(self, message: Delivery) -> None:
        """Publish ``message`` and wait for the stream's acknowledgement (a duplicate the stream
        dropped is acknowledged too). Raises :class:`BrokerUnavailable` when it is not
        acknowledged, :class:`InvalidInput` when the server refuses the login or no stream takes
        the subject (a retry would not mend it)."""
        self._run(self._publish(message))

    async def _publish(self, message: Delivery) -> None:
        import nats.errors as ne
        import nats.js.errors as je

        try:
            js = await self._open()
            await js.publish(
                message.address,
                message.body,
                timeout=self._target.timeout,
                stream=self._target.destination,
                headers={"Nats-Msg-Id": message.message_id, **message.headers},
            )
        except je.NoStreamResponseError:
            await self._close()
            raise InvalidInput(
                Message(
                    "{url}: no JetStream stream takes the subject {subject!r}",
                    url=self._target.shown,
                    subject=message.address,
                )
            ) from None
        except je.APIError as exc:
            await self._close()
            refused = not isinstance(exc, je.ServiceUnavailableError)
            raise self._failure(exc, refused=refused) from None
        except (TimeoutError, ne.Error, OSError) as exc:
            await self._close()
            raise self._failure(exc, refused=isinstance(exc, ne.AuthorizationError)) from None

    async def _open(self) -> JetStreamContext:
        import nats.js.errors as je
        from nats.aio.client import Client

        if self._js is not None and self._client is not None and self._client.is_connected:
            return self._js
        await self._close()
        timeout = max(1, round(self._target.timeout))
        self._client = Client()  # kept before it connects: a failed connect is closed too
        await self._client.connect(
            self._target.url,
            allow_reconnect=False,
            # nats-py retries a first connect too (by default 60 times, 2 s apart): twice, at once
            max_reconnect_attempts=1,
            reconnect_time_wait=0,
            connect_timeout=timeout,
            error_cb=_quiet,
            disconnected_cb=_quiet,
            closed_cb=_quiet,
        )
        js = self._client.jetstream(timeout=self._target.timeout)
        stream = self._target.destination
        try:
            await js.stream_info(stream)
        except je.NotFoundError:
            await js.add_stream(name=stream, subjects=[self._target.subjects])
        self._js = js
        return js

    def _failure(self, exc: Exception, *, refused: bool) -> InvalidInput | BrokerUnavailable:
        reason = " ".join(str(exc).split()) or type(exc).__name__
        url = self._target.shown
        if refused:
            return InvalidInput(Message("{url} refused: {reason}", url=url, reason=reason))
        return BrokerUnavailable(
            Message("{url} cannot be reached: {reason}", url=url, reason=reason)
        )

    async def _close(self) -> None:
        client, self._client, self._js = self._client, None, None
        if client is not None and not client.is_closed:
            with contextlib.suppress(Exception):  # already broken: nothing to close cleanly
                await client.close()

    def _run(self, work: Coroutine[Any, Any, T]) -> T:
        return self._loop.run_until_complete(work)

    def close(self) -> None:
        """Close the connection and the event loop."""
        if not self._loop.is_closed():
            self._run(self._close())
            self._loop.close()

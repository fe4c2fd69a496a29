"""The two brokers as the relay's tests see them: where a relay sends (its ``--to`` URL, directly or
through a :class:`~tests._relay_support.Proxy`) and what a consumer receives, each under names of
its own (an exchange and a queue bound to it; a stream and its subjects), deleted afterwards."""

from __future__ import annotations

import asyncio
import contextlib
import json
import uuid
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

import nats
import nats.js.errors
import pika

from tests._relay_support import AMQP_URL, NATS_URL, require


@dataclass(frozen=True)
class Received:
    """A message as a consumer sees it."""

    message_id: str
    address: str
    headers: dict[str, Any]
    body: dict[str, Any]


def _through(url: str, port: int | None) -> str:
    """``url`` with its host and port those of a proxy on 127.0.0.1 at ``port`` (None: as it is)."""
    if port is None:
        return url
    parts = urlsplit(url)
    auth = parts.netloc.rpartition("@")[0]
    netloc = f"{auth}@127.0.0.1:{port}" if auth else f"127.0.0.1:{port}"
    return parts._replace(netloc=netloc).geturl()


def upstream(url: str) -> tuple[str, int]:
    parts = urlsplit(url)
    return parts.hostname or "127.0.0.1", parts.port or 0


async def _quiet(*_args: object) -> None:
    """nats-py's error callback: the failure is reported by the call that meets it."""


class Rabbit:
    """RabbitMQ: a topic exchange of the test's own and a queue bound to it for every key."""

    name = "RabbitMQ"
    dedupes = False

    def __init__(self) -> None:
        params = pika.URLParameters(AMQP_URL)
        require(self.name, AMQP_URL, lambda: pika.BlockingConnection(params).close())
        self.upstream = upstream(AMQP_URL)
        self.exchange = f"collegium-test-{uuid.uuid4().hex[:12]}"
        self._connection = pika.BlockingConnection(params)
        self._channel = self._connection.channel()
        self._channel.exchange_declare(self.exchange, exchange_type="topic")
        self._channel.queue_declare(self.exchange)
        self._channel.queue_bind(self.exchange, self.exchange, "#")
        self.got: list[Received] = []

    def url(self, port: int | None = None) -> str:
        sep = "&" if "?" in AMQP_URL else "?"
        return f"{_through(AMQP_URL, port)}{sep}exchange={self.exchange}&timeout=3"

    def count(self) -> int:
        """How many messages arrived so far."""
        queue = self._channel.queue_declare(self.exchange, passive=True)
        return len(self.got) + int(queue.method.message_count)

    def take(self) -> list[Received]:
        """Every message received so far, in the order it arrived."""
        while True:
            method, props, body = self._channel.basic_get(self.exchange, auto_ack=True)
            if method is None:
                return list(self.got)
            self.got.append(
                Received(
                    message_id=props.message_id,
                    address=method.routing_key,
                    headers={
                        **(props.headers or {}),
                        "content_type": props.content_type,
                        "delivery_mode": props.delivery_mode,
                    },
                    body=json.loads(body),
                )
            )

    def close(self) -> None:
        self._channel.queue_delete(self.exchange)
        self._channel.exchange_delete(self.exchange)
        self._connection.close()


class Jet:
    """NATS JetStream: a stream of the test's own (the relay creates it) on subjects of its own."""

    name = "NATS JetStream"
    dedupes = True

    def __init__(self) -> None:
        self._loop = asyncio.new_event_loop()
        require(self.name, NATS_URL, lambda: self._run(self._connect()))
        self.upstream = upstream(NATS_URL)
        tag = uuid.uuid4().hex[:12]
        self.stream = f"COLLEGIUM_TEST_{tag}"
        self.prefix = f"collegiumtest{tag}"
        self.got: list[Received] = []

    async def _connect(self) -> None:
        self._nc = await nats.connect(
            NATS_URL,
            connect_timeout=2,
            allow_reconnect=False,
            max_reconnect_attempts=1,  # nats-py retries a first connect too, by default 60 times
            reconnect_time_wait=0,
            error_cb=_quiet,
        )
        self._js = self._nc.jetstream()

    def _run(self, work: Any) -> Any:
        return self._loop.run_until_complete(work)

    def url(self, port: int | None = None) -> str:
        return (
            f"{_through(NATS_URL, port)}?stream={self.stream}"
            f"&subject={self.prefix}.{{trigger}}&timeout=3"
        )

    def count(self) -> int:
        async def messages() -> int:
            try:
                info = await self._js.stream_info(self.stream)
            except nats.js.errors.NotFoundError:
                return 0
            return int(info.state.messages)

        return int(self._run(messages()))

    def take(self) -> list[Received]:
        async def read() -> None:
            try:
                last = (await self._js.stream_info(self.stream)).state.last_seq
            except nats.js.errors.NotFoundError:
                return
            for seq in range(len(self.got) + 1, last + 1):
                msg = await self._js.get_msg(self.stream, seq)
                headers = dict(msg.headers or {})
                self.got.append(
                    Received(
                        message_id=headers["Nats-Msg-Id"],
                        address=msg.subject or "",
                        headers=headers,
                        body=json.loads(msg.data or b"{}"),
                    )
                )

        self._run(read())
        return list(self.got)

    def subjects(self) -> list[str]:
        async def config() -> list[str]:
            return list((await self._js.stream_info(self.stream)).config.subjects or [])

        return list(self._run(config()))

    def close(self) -> None:
        async def end() -> None:
            with contextlib.suppress(nats.js.errors.NotFoundError):
                await self._js.delete_stream(self.stream)
            await self._nc.close()

        self._run(end())
        self._loop.close()

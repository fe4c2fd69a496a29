"""The relay across a real restart of the broker on this machine (issue 21, point 5): RabbitMQ's
application stopped and started again (``rabbitmqctl stop_app`` / ``start_app``), NATS's server
process stopped and started again on its JetStream store. A relay running through the restart
loses no event, keeps each instance's order, and acknowledges only what the broker confirmed.

A TCP proxy with a delay slows the stream so that the restart lands in the middle of it (the
proxy only forwards: the broker's going away is the real one). The restart needs the local server
and its control commands (root, as in CI); where they are missing the tests skip with the
reason, except under CI=true, where they fail. The broker is started again whatever happens."""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import shutil
import socket
import subprocess
import threading
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import nats
import nats.js.errors
import pika
import pytest

from collegium import Engine, ManualClock, Relay, RelayPass
from tests._relay_brokers import upstream
from tests._relay_support import (
    AMQP_URL,
    NATS_URL,
    Proxy,
    busy_database,
    check_in_order,
    pending_ids,
    wait_for,
)
from tests.conftest import START

NATS_START = [
    "start-stop-daemon",
    "--start",
    "--oknodo",
    "--background",
    "--exec",
    "/usr/sbin/nats-server",
    "--",
    "-a",
    "127.0.0.1",
    "-p",
    "4222",
    "-js",
    "-sd",
    "/var/lib/nats-server",
    "-l",
    "/var/log/nats-server.log",
]
NATS_STOP = [
    "start-stop-daemon",
    "--stop",
    "--oknodo",
    "--retry",
    "15",
    "--exec",
    "/usr/sbin/nats-server",
]


def _local(url: str) -> bool:
    return upstream(url)[0] in ("127.0.0.1", "localhost")


def _controllable(what: str, url: str, commands: tuple[str, ...]) -> None:
    """Skip (fail under CI=true) unless the broker is this machine's and can be restarted."""
    missing = [c for c in commands if shutil.which(c) is None]
    reason = None
    if not _local(url):
        reason = f"{what} at {url} is not on this machine: it cannot be restarted by a test"
    elif missing or os.geteuid() != 0:
        reason = f"restarting {what} needs root and {', '.join(commands)}"
    if reason is not None:
        if os.environ.get("CI") == "true":
            pytest.fail(f"{reason} (CI=true: the restart is required)")
        pytest.skip(reason)


def _reachable(address: tuple[str, int]) -> bool:
    try:
        socket.create_connection(address, timeout=1).close()
    except OSError:
        return False
    return True


def _run(command: list[str]) -> None:
    subprocess.run(command, check=True, capture_output=True, timeout=120)


def _through_restart(
    db: Path,
    url: Callable[[int], str],
    address: tuple[str, int],
    restart: Callable[[], None],
) -> list[str]:
    """Relay ``db``'s outbox through a slowing proxy to the broker, restart the broker once some
    entries are acknowledged, wait for the outbox to empty; the ids written, in order."""
    written = busy_database(db, instances=10, rounds=11)  # 10 x 14 events
    proxy = Proxy(address, delay=0.02)
    passes: list[RelayPass] = []
    stop = threading.Event()
    engine = Engine.open(str(db), clock=ManualClock(START), auto_migrate=False)
    relay = Relay(engine.outbox, url(proxy.port), batch=4)
    worker = threading.Thread(
        target=relay.run,
        kwargs={"stop": stop, "interval": 0.05, "backoff": (0.1, 1.0), "report": passes.append},
    )
    worker.start()
    try:
        wait_for(lambda: len(pending_ids(db)) <= len(written) - 15, 60, "the first messages")
        restart()
        left = pending_ids(db)
        assert left, "the restart landed after the last message"
        wait_for(lambda: any(p.error for p in passes), 30, "the relay to meet the restart")
        wait_for(lambda: not pending_ids(db), 120, "the outbox to empty after the restart")
    finally:
        stop.set()
        worker.join(30)
        relay.close()
        engine.close()
        proxy.close()
    assert not worker.is_alive()
    assert proxy.connections >= 2  # it connected again after the restart
    return written


@pytest.fixture
def rabbit() -> Iterator[tuple[pika.URLParameters, str]]:
    """A durable exchange and queue of the test's own (they outlive the restart)."""
    _controllable("RabbitMQ", AMQP_URL, ("rabbitmqctl",))
    params = pika.URLParameters(AMQP_URL)
    try:
        connection = pika.BlockingConnection(params)
    except pika.exceptions.AMQPError as exc:
        if os.environ.get("CI") == "true":
            pytest.fail(f"RabbitMQ at {AMQP_URL} is not reachable: {exc!r}")
        pytest.skip(f"RabbitMQ at {AMQP_URL} is not reachable: {exc!r}")
    name = f"collegium-restart-{uuid.uuid4().hex[:12]}"
    channel = connection.channel()
    channel.exchange_declare(name, exchange_type="topic", durable=True)
    channel.queue_declare(name, durable=True)
    channel.queue_bind(name, name, "#")
    connection.close()
    yield params, name
    _run(["rabbitmqctl", "start_app"])  # whatever happened, the broker runs again
    with contextlib.closing(pika.BlockingConnection(params)) as after:
        channel = after.channel()
        channel.queue_delete(name)
        channel.exchange_delete(name)


def test_a_relay_through_a_rabbitmq_restart_loses_nothing(
    rabbit: tuple[pika.URLParameters, str], tmp_path: Path
) -> None:
    params, name = rabbit
    address = upstream(AMQP_URL)

    def restart() -> None:
        _run(["rabbitmqctl", "stop_app"])
        _run(["rabbitmqctl", "start_app"])

    def url(port: int) -> str:
        return f"amqp://guest:guest@127.0.0.1:{port}/%2F?exchange={name}&timeout=3"

    written = _through_restart(tmp_path / "relay.db", url, address, restart)
    received: list[str] = []
    with contextlib.closing(pika.BlockingConnection(params)) as connection:
        channel = connection.channel()
        while True:
            method, props, body = channel.basic_get(name, auto_ack=True)
            if method is None:
                break
            received.append(props.message_id)
            assert json.loads(body)["id"] == props.message_id
    check_in_order(received, written)  # every event, each instance's in order, repeats allowed


async def _stream_ids(stream: str) -> list[str]:
    nc = await nats.connect(NATS_URL, connect_timeout=2, max_reconnect_attempts=1)
    try:
        js = nc.jetstream()
        last = (await js.stream_info(stream)).state.last_seq
        ids = []
        for seq in range(1, last + 1):
            msg = await js.get_msg(stream, seq)
            ids.append((msg.headers or {})["Nats-Msg-Id"])
        return ids
    finally:
        await nc.close()


async def _delete_stream(stream: str) -> None:
    nc = await nats.connect(NATS_URL, connect_timeout=2, max_reconnect_attempts=1)
    try:
        with contextlib.suppress(nats.js.errors.NotFoundError):
            await nc.jetstream().delete_stream(stream)
    finally:
        await nc.close()


def test_a_relay_through_a_nats_restart_loses_nothing(tmp_path: Path) -> None:
    _controllable("NATS", NATS_URL, ("start-stop-daemon", "nats-server"))
    address = upstream(NATS_URL)
    if not _reachable(address):
        if os.environ.get("CI") == "true":
            pytest.fail(f"NATS at {NATS_URL} is not reachable")
        pytest.skip(f"NATS at {NATS_URL} is not reachable")
    tag = uuid.uuid4().hex[:12]
    stream, prefix = f"COLLEGIUM_RESTART_{tag}", f"collegiumrestart{tag}"

    def restart() -> None:
        _run(NATS_STOP)
        try:
            assert not _reachable(address)
        finally:
            _run(NATS_START)
        wait_for(lambda: _reachable(address), 60, "NATS to listen again")

    def url(port: int) -> str:
        return f"nats://127.0.0.1:{port}?stream={stream}&subject={prefix}.{{trigger}}&timeout=3"

    try:
        written = _through_restart(tmp_path / "relay.db", url, address, restart)
        ids = asyncio.run(_stream_ids(stream))
    finally:
        _run(NATS_START)  # whatever happened, the server runs again
        wait_for(lambda: _reachable(address), 60, "NATS to listen again")
        asyncio.run(_delete_stream(stream))
    check_in_order(ids, written)
    assert ids == written  # JetStream kept each event once (the message id de-duplicates)

"""The relay against the real brokers on 127.0.0.1, RabbitMQ (AMQP) and NATS JetStream, each test on
both (issue 21, point 5): every event arrives in order per instance with its id as the message id;
an entry sent again carries the same id (and JetStream keeps it once); nothing is acknowledged
while the broker is down; a broker that goes away mid-stream and comes back, and a relay killed
with SIGKILL mid-stream and started again, lose no event and break no instance's order.

The broker "going away" is a TCP proxy between the relay and the broker that the test cuts (every
connection closed, new ones refused) and restores: the real servers keep running for the other
tests. A broker that is not reachable skips these tests with the reason, except under CI=true,
where it fails them."""

from __future__ import annotations

import signal
import threading
from collections.abc import Iterator, Sequence
from pathlib import Path

import pytest
from click.testing import CliRunner

from collegium import BrokerUnavailable, Engine, ManualClock, Relay, RelayPass
from collegium.cli import cli
from collegium.store.outbox import OutboxEntry
from tests._relay_brokers import Jet, Rabbit
from tests._relay_support import (
    Proxy,
    busy_database,
    check_in_order,
    pending_ids,
    relay_process,
    wait_for,
)
from tests.conftest import START

Broker = Rabbit | Jet


@pytest.fixture(params=["rabbitmq", "nats"])
def broker(request: pytest.FixtureRequest) -> Iterator[Broker]:
    found: Broker = Rabbit() if request.param == "rabbitmq" else Jet()
    yield found
    found.close()


@pytest.fixture
def db(tmp_path: Path) -> Path:
    return tmp_path / "relay.db"


def open_engine(path: Path) -> Engine:
    return Engine.open(str(path), clock=ManualClock(START), auto_migrate=False)


def test_every_event_arrives_once_in_order_with_its_id(broker: Broker, db: Path) -> None:
    written = busy_database(db)
    with open_engine(db) as engine, Relay(engine.outbox, broker.url(), batch=7) as relay:
        assert relay.deliver() == len(written)
        assert engine.outbox.pending(10) == []
        events = {f"{e.instance_id}/{e.seq}": e for e in engine.store.iter_events()}
    got = broker.take()
    assert [m.message_id for m in got] == written  # one relay, no failure: each once, in order
    check_in_order([m.message_id for m in got], written)
    first = got[0]
    event = events[first.message_id]
    assert first.body["id"] == first.message_id
    assert (first.body["instance_id"], first.body["seq"], first.body["trigger"]) == (
        event.instance_id,
        event.seq,
        event.trigger,
    )
    assert first.body["hash"] == event.hash and first.body["data"] == event.data
    assert first.headers["Collegium-Instance"] == event.instance_id
    assert first.headers["Collegium-Seq"] == str(event.seq)
    assert {m.address.rpartition(".")[2] for m in got} == {
        "propose",
        "prepare",
        "start_deliberation",
        "consult",
    }
    if isinstance(broker, Rabbit):
        assert first.headers["content_type"] == "application/json"
        assert first.headers["delivery_mode"] == 2  # persistent
    else:
        assert broker.subjects() == [f"{broker.prefix}.*"]  # the stream the relay created


class _DiesBeforeAck:
    """An outbox whose first acknowledgement never happens: the relay's process dies between the
    broker's confirmation and the acknowledgement."""

    def __init__(self, engine: Engine) -> None:
        self._outbox = engine.outbox

    def pending(self, limit: int = 100, *, after: int | None = None) -> list[OutboxEntry]:
        return self._outbox.pending(limit, after=after)

    def ack(self, ids: Sequence[int]) -> int:
        raise SystemExit("killed before acknowledging")


def test_an_entry_sent_again_carries_the_same_message_id(broker: Broker, db: Path) -> None:
    written = busy_database(db, instances=2, rounds=2)
    with open_engine(db) as engine:
        dying = Relay(_DiesBeforeAck(engine), broker.url(), batch=5)
        with dying, pytest.raises(SystemExit):
            dying.deliver()
        assert pending_ids(db) == written  # confirmed, but not acknowledged: still pending
        with Relay(engine.outbox, broker.url(), batch=5) as relay:
            assert relay.deliver() == len(written)
    got = broker.take()
    ids = [m.message_id for m in got]
    if broker.dedupes:  # JetStream dropped the repeats: the stream holds each event once
        assert ids == written
    else:  # the first five twice, with the same id and body: a consumer drops the repeats
        assert ids == written[:5] + written
        assert [m.body for m in got[:5]] == [m.body for m in got[5:10]]
    check_in_order(ids, written)


def test_nothing_is_acknowledged_while_the_broker_is_down(broker: Broker, db: Path) -> None:
    written = busy_database(db, instances=2, rounds=1)
    proxy = Proxy(broker.upstream)
    proxy.cut()
    try:
        with open_engine(db) as engine, Relay(engine.outbox, broker.url(proxy.port)) as relay:
            with pytest.raises(BrokerUnavailable, match="cannot be reached"):
                relay.deliver()
            assert relay.delivered == 0
        assert pending_ids(db) == written
        result = CliRunner().invoke(
            cli, ["relay", "--db", str(db), "--to", broker.url(proxy.port), "--once"]
        )
        assert result.exit_code == 2, result.output
        assert result.output.startswith("collegium: error: ") and "cannot be reached" in (
            result.output
        )
        assert "Traceback" not in result.output and len(result.output.splitlines()) == 1
        assert pending_ids(db) == written
    finally:
        proxy.close()
    assert broker.take() == []


def test_a_broker_that_goes_away_mid_stream_loses_nothing(broker: Broker, db: Path) -> None:
    written = busy_database(db, instances=6, rounds=11)  # 6 x 14 events
    proxy = Proxy(broker.upstream, delay=0.005)  # a slower broker: the cut lands mid-stream
    passes: list[RelayPass] = []
    stop = threading.Event()
    with open_engine(db) as engine, Relay(engine.outbox, broker.url(proxy.port), batch=4) as relay:
        worker = threading.Thread(
            target=relay.run,
            kwargs={
                "stop": stop,
                "interval": 0.05,
                "backoff": (0.05, 0.2),
                "report": passes.append,
            },
        )
        worker.start()
        try:
            wait_for(lambda: broker.count() >= 15, 60, "the first messages")
            proxy.cut()
            wait_for(lambda: any(p.error for p in passes), 30, "the relay to meet the cut")
            received = {m.message_id for m in broker.take()}
            left = pending_ids(db)
            assert left, "the cut landed after the last message"
            acknowledged = set(written) - set(left)
            assert acknowledged <= received  # acknowledged only what the broker confirmed
            proxy.restore()
            wait_for(lambda: not pending_ids(db), 60, "the outbox to empty after the restore")
        finally:
            stop.set()
            worker.join(30)
            proxy.close()
    assert not worker.is_alive()
    assert proxy.connections >= 2  # it connected again after the cut
    ids = [m.message_id for m in broker.take()]
    check_in_order(ids, written)
    if broker.dedupes:
        assert ids == written


def test_a_relay_killed_mid_stream_and_started_again_loses_nothing(
    broker: Broker, db: Path
) -> None:
    written = busy_database(db, instances=6, rounds=11)
    proxy = Proxy(broker.upstream, delay=0.005)
    try:
        first = relay_process(db, broker.url(proxy.port), "--batch", "4", "--interval", "0.05")
        try:
            wait_for(lambda: broker.count() >= 15, 60, "the first relay's first messages")
        finally:
            first.send_signal(signal.SIGKILL)
            first.communicate(timeout=30)  # reaped, its pipes closed
        assert first.returncode == -signal.SIGKILL
    finally:
        proxy.close()
    received = [m.message_id for m in broker.take()]
    left = pending_ids(db)
    assert left, "the kill landed after the last message"
    assert set(written) - set(left) <= set(received)  # nothing acknowledged unconfirmed
    second = relay_process(db, broker.url(), "--once", "--json")
    out, err = second.communicate(timeout=120)
    assert second.returncode == 0, err
    assert f'"relayed": {len(left)}' in out
    assert pending_ids(db) == []
    ids = [m.message_id for m in broker.take()]
    check_in_order(ids, written)
    if broker.dedupes:
        assert ids == written


def test_an_amqp_message_no_queue_takes_stays_pending_and_holds_those_after_it(db: Path) -> None:
    """docs/relay.md: a message published ``mandatory`` that no queue takes is not confirmed, so
    it stays in the outbox, and every entry after it waits."""
    rabbit = Rabbit()
    unbound = f"{rabbit.exchange}-unbound"  # the relay declares it; no queue is bound to it
    url = rabbit.url().replace(f"exchange={rabbit.exchange}", f"exchange={unbound}")
    written = busy_database(db, instances=2, rounds=1)
    try:
        with open_engine(db) as engine, Relay(engine.outbox, url) as relay:
            with pytest.raises(BrokerUnavailable, match="to no queue"):
                relay.deliver()
            assert relay.delivered == 0
        assert pending_ids(db) == written
    finally:
        rabbit._channel.exchange_delete(unbound)
        rabbit.close()

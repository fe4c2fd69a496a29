"""The relay without a broker: the target URL's forms and refusals, a pass that stops at the first
message not confirmed and acknowledges only those confirmed, the retries of ``run`` with backoff,
the broker clients missing, and the command line (a bad URL in one line, in English and Chinese;
a broker down: retry lines, then SIGTERM stops it cleanly)."""

from __future__ import annotations

import signal
import socket
import sys
import threading
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from collegium import (
    BrokerUnavailable,
    Engine,
    InvalidInput,
    ManualClock,
    Relay,
    RelayPass,
    SequentialIds,
    parse_target,
)
from collegium.cli import cli
from collegium.relay.delivery import Delivery
from tests._relay_support import busy_database, pending_ids, relay_process
from tests.conftest import START, standing_committee, to_deliberation


def test_the_two_url_forms_and_their_defaults() -> None:
    amqp = parse_target("amqp://guest:secret@127.0.0.1:5672/%2F?heartbeat=5")
    assert (amqp.kind, amqp.destination, amqp.template, amqp.timeout) == (
        "amqp",
        "collegium",
        "collegium.{trigger}",
        10.0,
    )
    assert amqp.url == "amqp://guest:secret@127.0.0.1:5672/%2F?heartbeat=5"  # pika's own kept
    assert amqp.shown == "amqp://guest:***@127.0.0.1:5672/%2F?heartbeat=5"
    assert parse_target("nats://s3cr3t-token@127.0.0.1:4222").shown == "nats://***@127.0.0.1:4222"
    nats = parse_target(
        "nats://127.0.0.1:4222?stream=EV&subject=org.{instance}.{trigger}&timeout=2"
    )
    assert (nats.kind, nats.url, nats.destination, nats.timeout) == (
        "nats",
        "nats://127.0.0.1:4222",
        "EV",
        2.0,
    )
    assert nats.address("open_meeting", "md-1.a b") == "org.md-1_a_b.open_meeting"
    assert nats.subjects == "org.*.*"


@pytest.mark.parametrize(
    ("url", "said"),
    [
        ("http://127.0.0.1", "amqp://, amqps://, nats:// or tls://"),
        ("amqp://u:secret@", "not 'amqp://u:***@'"),
        ("nats://h?foo=1", "takes stream, subject and timeout, not 'foo'"),
        ("nats://h?stream=a.b", "a stream name"),
        ("nats://h?subject=a.>", "a subject is words"),
        ("amqp://h?exchange=a%20b", "an exchange name"),
        ("amqp://h?routing_key={actor}", "placeholders {trigger} and {instance} only"),
        ("amqp://h?routing_key={", "placeholders"),
        ("amqp://h?exchange=a&exchange=b", "'exchange' more than once"),
        ("amqp://h?timeout=never", "timeout must be"),
    ],
)
def test_a_url_of_another_form_is_refused_saying_why(url: str, said: str) -> None:
    with pytest.raises(InvalidInput) as caught:
        parse_target(url)
    assert said in str(caught.value)
    assert "secret" not in str(caught.value)


class _Broker:
    """A publisher that confirms the first ``up_to`` messages, then fails each one after."""

    def __init__(self, up_to: int = 10**9) -> None:
        self.up_to = up_to
        self.sent: list[str] = []
        self.closed = False

    def publish(self, message: Delivery) -> None:
        if len(self.sent) >= self.up_to:
            raise BrokerUnavailable("down")
        self.sent.append(message.message_id)

    def close(self) -> None:
        self.closed = True


@pytest.fixture
def engine() -> Engine:
    eng = Engine.in_memory(clock=ManualClock(START), ids=SequentialIds())
    eng.define_body(standing_committee())
    to_deliberation(eng)
    to_deliberation(eng)
    return eng


def _ids(engine: Engine) -> list[str]:
    return [f"{e.event.instance_id}/{e.event.seq}" for e in engine.outbox.pending(100)]


def test_a_pass_acknowledges_only_what_the_broker_confirmed_and_stops_at_the_first_failure(
    engine: Engine,
) -> None:
    written = _ids(engine)
    broker = _Broker(up_to=4)
    with Relay(engine.outbox, "nats://127.0.0.1:1", batch=3, publisher=broker) as relay:
        with pytest.raises(BrokerUnavailable):
            relay.deliver()
        assert relay.delivered == 4
    assert broker.closed
    assert broker.sent == written[:4]  # in order, and nothing after the failed one
    assert _ids(engine) == written[4:]  # the confirmed four acknowledged, the rest pending
    broker.up_to = 10**9
    assert Relay(engine.outbox, "nats://127.0.0.1:1", publisher=broker).deliver() == 2
    assert broker.sent == written and _ids(engine) == []


class _StopsAfter(_Broker):
    """A publisher that confirms each message and sets ``stop`` after the ``n``-th."""

    def __init__(self, stop: threading.Event, n: int) -> None:
        super().__init__()
        self.stop, self.n = stop, n

    def publish(self, message: Delivery) -> None:
        super().publish(message)
        if len(self.sent) == self.n:
            self.stop.set()


def test_a_stop_ends_a_pass_after_the_entry_in_hand_with_a_backlog_pending(engine: Engine) -> None:
    written = _ids(engine)
    stop = threading.Event()
    broker = _StopsAfter(stop, 2)
    relay = Relay(engine.outbox, "nats://127.0.0.1:1", batch=5, publisher=broker)
    relay.run(stop=stop, interval=0.01)  # returns: it does not go on until the outbox is empty
    assert broker.sent == written[:2] and _ids(engine) == written[2:]


def test_run_retries_with_growing_waits_and_goes_on_when_the_broker_is_back(
    engine: Engine,
) -> None:
    broker = _Broker(up_to=1)
    passes: list[RelayPass] = []
    stop = threading.Event()

    def report(done: RelayPass) -> None:
        passes.append(done)
        if len(passes) == 3:
            broker.up_to = 10**9  # back after the third failed pass
        if done.error is None:
            stop.set()

    relay = Relay(engine.outbox, "nats://127.0.0.1:1", batch=2, publisher=broker)
    relay.run(stop=stop, interval=0.01, backoff=(0.01, 0.03), report=report)
    assert [(p.delivered, p.retry_in) for p in passes] == [
        (1, 0.01),
        (0, 0.02),
        (0, 0.03),
        (5, None),
    ]
    assert all(isinstance(p.error, BrokerUnavailable) for p in passes[:3])
    assert relay.delivered == 6 and _ids(engine) == []


def test_a_batch_below_one_is_refused(engine: Engine) -> None:
    with pytest.raises(InvalidInput, match="batch is at least 1"):
        Relay(engine.outbox, "nats://127.0.0.1:1", batch=0, publisher=_Broker())


@pytest.mark.parametrize(("url", "module"), [("amqp://h", "pika"), ("nats://h", "nats")])
def test_a_missing_broker_client_says_which_extra_to_install(
    engine: Engine, monkeypatch: pytest.MonkeyPatch, url: str, module: str
) -> None:
    monkeypatch.setitem(sys.modules, module, None)
    with pytest.raises(InvalidInput, match=r"pip install 'collegium\[relay\]'"):
        Relay(engine.outbox, url)


def test_the_command_refuses_a_bad_url_in_one_line_in_the_language_asked() -> None:
    runner = CliRunner()
    result = runner.invoke(cli, ["relay", "--to", "nats://h?stream=a.b"], prog_name="collegium")
    assert result.exit_code == 2
    assert result.output.splitlines() == [
        "collegium: error: a stream name is letters, digits, '-' and '_', not 'a.b' "
        "(see 'collegium relay --help')"
    ]
    result = runner.invoke(cli, ["--lang", "zh-CN", "relay", "--to", "ftp://h"])
    assert result.exit_code == 2
    assert "转发目标须为带主机名的" in result.output and len(result.output.splitlines()) == 1


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_the_command_retries_a_broker_that_is_down_and_sigterm_stops_it(tmp_path: Path) -> None:
    db = tmp_path / "relay.db"
    written = busy_database(db, instances=1, rounds=0)
    url = f"amqp://guest:guest@127.0.0.1:{_closed_port()}/%2F?timeout=1"
    process = relay_process(db, url, "--interval", "0.05")
    try:
        deadline = time.monotonic() + 60
        lines: list[str] = []
        assert process.stderr is not None
        while len(lines) < 3 and time.monotonic() < deadline:  # started, then two retries
            lines.append(process.stderr.readline())
        process.send_signal(signal.SIGTERM)
        out, err = process.communicate(timeout=60)
    finally:
        if process.poll() is None:
            process.kill()
            process.communicate()
    assert process.returncode == 0, err
    assert lines[0].startswith("relaying the outbox to amqp://guest:***@127.0.0.1:")
    assert "cannot be reached" in lines[1] and lines[1].rstrip().endswith("trying again in 0.5 s")
    assert lines[2].rstrip().endswith("trying again in 1 s")  # twice as long
    assert err.splitlines()[-1] == "stopped; relayed 0 events in all"
    assert out == ""
    assert pending_ids(db) == written  # nothing acknowledged

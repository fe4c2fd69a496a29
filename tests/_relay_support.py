"""What the relay's tests share: a database with many interleaved events, the brokers' URLs (a
broker that is not reachable skips its tests with the reason, except under CI=true, where it fails
them), a TCP proxy between the relay and a broker that a test cuts and restores (a broker going
away and coming back, without stopping the real server other tests use), and a relay in a
subprocess that a test kills with SIGKILL."""

from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import sys
import threading
import time
from collections import defaultdict
from collections.abc import Callable, Iterable
from pathlib import Path

import pytest

from collegium import Engine, ManualClock, SequentialIds
from tests.conftest import START, propose, standing_committee

ROOT = Path(__file__).resolve().parent.parent

AMQP_URL = os.environ.get("COLLEGIUM_TEST_AMQP_URL", "amqp://guest:guest@127.0.0.1:5672/%2F")
NATS_URL = os.environ.get("COLLEGIUM_TEST_NATS_URL", "nats://127.0.0.1:4222")


def require(what: str, url: str, probe: Callable[[], object]) -> None:
    """Run ``probe``; when it fails, skip the test with the reason (fail it under CI=true)."""
    try:
        probe()
    except Exception as exc:
        first = (str(exc).splitlines() or [""])[0]
        reason = f"{what} at {url} is not reachable: {type(exc).__name__}: {first}"
        if os.environ.get("CI") == "true":
            pytest.fail(f"{reason} (CI=true: the relay's brokers are required)")
        pytest.skip(reason)


def busy_database(path: Path, instances: int = 6, rounds: int = 11) -> list[str]:
    """A SQLite file whose outbox holds the events of ``instances`` matters stepped in turn (so
    their events interleave): proposed, prepared, opened for deliberation, then ``rounds``
    members consulted. Returns the events' message ids in the order they were written."""
    with Engine.open(str(path), clock=ManualClock(START), ids=SequentialIds()) as engine:
        engine.define_body(standing_committee())
        ids = [propose(engine, title=f"Matter {n}") for n in range(instances)]
        for iid in ids:
            engine.fire(iid, "prepare", "m1")
        for iid in ids:
            engine.fire(iid, "start_deliberation", "m1", {"preparation": "research done"})
        people = [m.person for m in engine.body("sc").members][:rounds]
        for person in people:
            for iid in ids:
                engine.fire(iid, "consult", "sec", {"member": person, "view": "agree"})
        return [f"{e.instance_id}/{e.seq}" for e in engine.store.iter_events()]


def pending_ids(path: Path) -> list[str]:
    """The message ids of the entries still pending in the outbox of ``path``, oldest first."""
    with Engine.open(str(path), clock=ManualClock(START), auto_migrate=False) as engine:
        return [f"{e.event.instance_id}/{e.event.seq}" for e in engine.outbox.pending(100_000)]


def check_in_order(received: Iterable[str], written: list[str]) -> list[str]:
    """The first time each message id was received, in order: every event written must be there,
    and each instance's events in their order (a repeat of one already received is allowed: at
    least once). Returns those first arrivals."""
    firsts: list[str] = []
    seen: set[str] = set()
    for mid in received:
        if mid not in seen:
            seen.add(mid)
            firsts.append(mid)
    assert sorted(firsts) == sorted(written), "every event arrives, and nothing else"
    per_instance: dict[str, list[int]] = defaultdict(list)
    for mid in firsts:
        instance, _, seq = mid.rpartition("/")
        per_instance[instance].append(int(seq))
    for instance, seqs in per_instance.items():
        assert seqs == list(range(1, len(seqs) + 1)), f"{instance} out of order: {seqs}"
    return firsts


class Proxy:
    """A TCP proxy from a local port to ``upstream`` (host, port). :meth:`cut` closes every
    connection and refuses new ones (each accepted and closed at once) until :meth:`restore`;
    ``delay`` slows each chunk from the broker to the client (a slower broker, so that a test can
    act while a stream is under way)."""

    def __init__(self, upstream: tuple[str, int], delay: float = 0.0) -> None:
        self.upstream = upstream
        self.delay = delay
        self._listener = socket.create_server(("127.0.0.1", 0))
        self.port: int = self._listener.getsockname()[1]
        self._down = threading.Event()
        self._closed = threading.Event()
        self._lock = threading.Lock()
        self._sockets: list[socket.socket] = []
        self.connections = 0
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        while not self._closed.is_set():
            try:
                client, _ = self._listener.accept()
            except OSError:
                return
            if self._down.is_set():
                client.close()
                continue
            try:
                server = socket.create_connection(self.upstream, timeout=5)
            except OSError:
                client.close()
                continue
            server.settimeout(None)
            with self._lock:
                self._sockets += [client, server]
                self.connections += 1
            threading.Thread(target=self._pump, args=(client, server, 0.0), daemon=True).start()
            threading.Thread(
                target=self._pump, args=(server, client, self.delay), daemon=True
            ).start()

    def _pump(self, source: socket.socket, sink: socket.socket, delay: float) -> None:
        try:
            while chunk := source.recv(65536):
                if delay:
                    time.sleep(delay)
                sink.sendall(chunk)
        except OSError:
            pass
        finally:
            for s in (source, sink):
                with contextlib.suppress(OSError):
                    s.shutdown(socket.SHUT_RDWR)
                s.close()

    def cut(self) -> None:
        """The broker goes away: every connection through the proxy is closed, new ones too."""
        self._down.set()
        with self._lock:
            sockets, self._sockets = self._sockets, []
        for s in sockets:
            with contextlib.suppress(OSError):
                s.shutdown(socket.SHUT_RDWR)
            s.close()

    def restore(self) -> None:
        """The broker is back."""
        self._down.clear()

    def close(self) -> None:
        self._closed.set()
        self.cut()
        self._listener.close()


def relay_process(db: Path, to: str, *more: str) -> subprocess.Popen[str]:
    """``collegium relay --db DB --to TO`` running in a process of its own."""
    return subprocess.Popen(
        [sys.executable, "-m", "collegium", "relay", "--db", str(db), "--to", to, *more],
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def wait_for(condition: Callable[[], bool], timeout: float, what: str) -> None:
    """Poll ``condition`` every 10 ms until it holds; fail naming ``what`` after ``timeout`` s."""
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            pytest.fail(f"timed out waiting for {what}")
        time.sleep(0.01)

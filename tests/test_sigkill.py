"""Crash safety: worker processes are killed with SIGKILL 50 times during a long run of commands and
started again, on SQLite, PostgreSQL and MariaDB. Afterwards every command was answered exactly once
and took effect at most once, every instance's state is the replay of its events, and the audit
chain verifies: no half-written step.

Four workers send their share of the commands of tests/_command_worker.py (tasks, consultations,
votes; each with an idempotency key). The kills, drawn from a seeded generator, go round the
workers; half of them come from outside at a random moment (SIGKILL from the test a few commands and
a few milliseconds into the worker's life, wherever it then is), half are taken by the worker itself
at the most dangerous points of a command: right after the UPDATE of the instance row (its event not
inserted), after every statement of the step but before the commit, and after the commit but before
the answer reaches the worker's journal. A worker started again resends, with the same key, the
command it was killed in: one killed before its commit must take effect now, one killed after it
must be answered with the first outcome (replayed), never take effect twice.
"""

from __future__ import annotations

import multiprocessing
import random
import signal
import time
from collections import Counter
from pathlib import Path
from typing import Any

from collegium import Engine, ManualClock, SequentialIds
from tests._command_checks import check_answers, check_store
from tests._command_worker import PRELOAD, Command, build_world, plan, read_journal, work
from tests.conftest import START

WORKERS = 4
#: commands per worker: more than the run sends (it stops once the 50th kill is done), so that no
#: worker runs out before its kills, however late a kill from outside lands on a loaded machine
COMMANDS = 1000
KILLS = 50
SEED = 20260309
PHASES = ("external", "external", "external", "update", "commit", "answered")
TIMEOUT = 240.0

Life = tuple[
    str, int, float
]  # how a worker's life ends: (phase, after how many commands, extra seconds)


def kill_plan(seed: int) -> dict[int, list[Life]]:
    """Each worker's lives, in order, KILLS in all."""
    rng = random.Random(seed)
    lives: dict[int, list[Life]] = {w: [] for w in range(WORKERS)}
    for n in range(KILLS):
        lives[n % WORKERS].append((rng.choice(PHASES), rng.randint(1, 20), rng.uniform(0.0, 0.01)))
    return lives


class Supervisor:
    """Runs the workers, kills them as planned and starts them again; once the last kill is done,
    lets them stop."""

    def __init__(self, url: str, shares: list[list[Command]], tmp_path: Path) -> None:
        self.ctx = multiprocessing.get_context("forkserver")
        self.ctx.set_forkserver_preload(PRELOAD)
        self.url, self.shares = url, shares
        self.journals = [tmp_path / f"worker-{w}.jsonl" for w in range(len(shares))]
        # shared memory without locks (see work()): each counter is written by its worker only, the
        # flag by the test
        self.done = [self.ctx.RawValue("i", 0) for _ in shares]
        self.stop = self.ctx.RawValue("b", 0)
        self.procs: dict[int, Any] = {}
        self.external: dict[
            int, tuple[int, float, float]
        ] = {}  # worker -> (answered count, delay, due time)
        self.kills: Counter[str] = Counter()

    def start(self, w: int, life: Life | None) -> None:
        internal = (life[1], life[0]) if life is not None and life[0] != "external" else None
        if life is not None and life[0] == "external":
            self.external[w] = (self.done[w].value + life[1], life[2], 0.0)
        p = self.ctx.Process(
            target=work,
            args=(
                self.url,
                self.shares[w],
                str(self.journals[w]),
                None,
                self.done[w],
                internal,
                self.stop,
            ),
            name=f"worker-{w}",
        )
        p.start()
        self.procs[w] = p

    def run(self, lives: dict[int, list[Life]]) -> None:
        self.pending = {w: list(ls) for w, ls in lives.items()}
        for w in range(len(self.shares)):
            self.start(w, self.pending[w][0] if self.pending[w] else None)
        deadline = time.monotonic() + TIMEOUT
        try:
            while self.procs:
                assert time.monotonic() < deadline, (
                    f"workers {sorted(self.procs)} still running after {TIMEOUT} s, having "
                    f"answered {[d.value for d in self.done]} commands; kills done "
                    f"{dict(self.kills)}, to do {self.pending}"
                )
                for w in list(self.procs):
                    self._watch(w)
                if not any(self.pending.values()):
                    self.stop.value = 1
                time.sleep(0.002)
        finally:
            for p in self.procs.values():
                p.kill()
                p.join()

    def _watch(self, w: int) -> None:
        p = self.procs[w]
        if w in self.external and p.exitcode is None:
            count, delay, due = self.external[w]
            if not due and self.done[w].value >= count:
                self.external[w] = (count, delay, time.monotonic() + delay)
            elif due and time.monotonic() >= due:
                p.kill()  # SIGKILL, wherever the worker is
                p.join()
        if p.exitcode is None:
            return
        p.join()
        exitcode = p.exitcode
        p.close()
        del self.procs[w]
        self.external.pop(w, None)
        pending = self.pending[w]
        if exitcode == -signal.SIGKILL:
            assert pending, f"worker {w} died of a SIGKILL that was not planned"
            self.kills[pending.pop(0)[0]] += 1
            self.start(w, pending[0] if pending else None)
            return
        assert exitcode == 0, f"worker {w} exited with {exitcode}"
        if pending:  # it sent all its commands first: another worker takes its kills
            assert self.procs, (
                f"every worker sent all its commands before the last {len(pending)} kills"
            )
            self.pending[w] = []
            nxt = min(self.procs)
            self.pending[nxt] += pending


def check_resends(shares: list[list[Command]], journals: list[Path]) -> Counter[str]:
    """A command the worker killed itself in was resent: once committed, it is replayed; if not, it
    takes effect now (unless another worker sent the same vote meanwhile). Counts resends by kill
    point and answer."""
    seen: Counter[str] = Counter()
    owners = Counter(
        key for share in shares for key in {c.key for c in share}
    )  # workers sending each key
    for share, journal in zip(shares, journals, strict=True):
        answers, _sent, killed = read_journal(journal)
        for i, phase in killed.items():
            a = answers[i]
            assert a["resent"], a
            if phase == "answered":
                assert a["result"] == "replayed", (phase, a)
            elif owners[share[i].key] == 1:
                assert a["result"] != "replayed", (phase, share[i], a)
            seen[f"{phase} -> {a['result']}"] += 1
        seen["resent"] += sum(a["resent"] for a in answers)
    return seen


def test_fifty_sigkills_leave_no_inconsistent_instance(
    db_url: str, tmp_path: Path, record_property: Any
) -> None:
    clock = ManualClock(START)
    with Engine.open(db_url, clock=clock, ids=SequentialIds()) as setup:
        world = build_world(setup, clock, size=11, tasks=3, consulting=2, ballots=6)
        before = {i.id: i.event_count for i in setup.instances()}
        shares = plan(world, SEED, WORKERS, COMMANDS)
        supervisor = Supervisor(db_url, shares, tmp_path)
        began = time.perf_counter()
        supervisor.run(kill_plan(SEED))
        elapsed = time.perf_counter() - began
        assert sum(supervisor.kills.values()) == KILLS, supervisor.kills
        answers = [read_journal(j)[0] for j in supervisor.journals]
        sent = [
            share[: len(got)] for share, got in zip(shares, answers, strict=True)
        ]  # the run stops at its end
        results = check_answers(sent, answers)
        resends = check_resends(sent, supervisor.journals)
        figures = check_store(setup, world, shares, answers, before)
    record_property(
        "figures",
        f"{WORKERS} processes, {sum(map(len, answers))} commands, {KILLS} SIGKILLs "
        f"({dict(sorted(supervisor.kills.items()))}), {resends['resent']} commands resent "
        f"after a kill ({dict(sorted((k, v) for k, v in resends.items() if k != 'resent'))}); "
        f"{results['ok']} took effect, {figures['events']} events verified and replayed; "
        f"{elapsed:.1f} s",
    )

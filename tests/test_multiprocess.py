"""8 worker processes x 500 commands on the same instances, on SQLite, PostgreSQL and MariaDB:
every command is answered (took effect, or was refused by the rule that names why), none is lost,
none takes effect twice, no chain forks, the audit verifies, and the store equals the replay of its
events.

The commands (tests/_command_worker.py) contend on few instances: 4 tasks in progress (progress
reports by the lead member, or refused by R-TASK-REPORTER when another member sends one; promotion
meetings; coordination), a fifth task whose deadline passed before the workers started (the first
command on it, from whichever worker, fires its review, which must happen once and open one case),
2 matters in individual deliberation (consultations, some refused by R-CONSULTER or R-CONSULTEE)
and 12 matters in an open meeting of a 21-member committee (votes, a third of them sent twice by two
workers at once: the same command, replayed, or another vote of the same member, refused by
R-ONE-VOTE). Every command has an idempotency key; about 6% are sent again by the same worker, at
once or at the end of its run.
"""

from __future__ import annotations

import multiprocessing
import time
from pathlib import Path
from typing import Any

from collegium import Engine, ManualClock, SequentialIds
from tests._command_checks import check_answers, check_store
from tests._command_worker import PRELOAD, build_world, plan, read_journal, work
from tests._processes import run_all
from tests.conftest import START

WORKERS = 8
COMMANDS = 500  # distinct commands per worker, resends not counted
SEED = 20260302
JOIN_TIMEOUT = 300.0


def run_processes(url: str, shares: list[list[object]], tmp_path: Path) -> list[Path]:
    ctx = multiprocessing.get_context("forkserver")
    ctx.set_forkserver_preload(PRELOAD)
    barrier = ctx.Barrier(len(shares))
    journals = [tmp_path / f"worker-{w}.jsonl" for w in range(len(shares))]
    procs = [
        ctx.Process(target=work, args=(url, share, str(journal), barrier), name=f"worker-{w}")
        for w, (share, journal) in enumerate(zip(shares, journals, strict=True))
    ]
    exits = run_all(procs, JOIN_TIMEOUT)
    assert exits == [0] * len(procs), exits
    return journals


def test_eight_processes_send_500_commands_each_to_shared_instances(
    db_url: str, tmp_path: Path, record_property: Any
) -> None:
    clock = ManualClock(START)
    with Engine.open(db_url, clock=clock, ids=SequentialIds()) as setup:
        world = build_world(setup, clock, size=21, tasks=4, consulting=2, ballots=12)
        before = {i.id: i.event_count for i in setup.instances()}
        shares = plan(world, SEED, WORKERS, COMMANDS)
        began = time.perf_counter()
        journals = run_processes(db_url, shares, tmp_path)
        elapsed = time.perf_counter() - began
        answers = [read_journal(j)[0] for j in journals]
        results = check_answers(shares, answers)
        figures = check_store(setup, world, shares, answers, before)
    conflicts = sum(
        a["conflicts"] for got in answers for a in got
    )  # ConcurrentUpdate answers, sent again
    record_property(
        "figures",
        f"{WORKERS} processes x {COMMANDS} commands ({sum(map(len, shares))} requests with "
        f"resends): {results['ok']} took effect, {results['replayed']} replayed, "
        f"{results['refused']} refused by a rule, {conflicts} ConcurrentUpdate; "
        f"{figures['events']} events verified and replayed; {elapsed:.1f} s",
    )

"""Figures (g): persisted fire throughput on PostgreSQL with 1, 2 and 4 worker
processes, against a raw ``psycopg`` floor doing the same ``UPDATE`` + ``INSERT`` per
transaction, measured in the same run.

Each worker is a separate process with its own connection. Collegium's workers open
``Engine.open(url)`` and fire the P1 measured sequence (:mod:`benchmarks.scenario`: 36 commits per
instance) on instances of their own; the floor's workers replay, per instance, the very rows one
Collegium instance wrote (instance ``UPDATE`` guarded by its version, event ``INSERT``), one
transaction per step, on the same tables in the same database. Set-up (instances taken to
deliberation; floor rows inserted) and process start-up are untimed: the workers are started once,
connect, and are then handed their instances at once in every repetition; the figure is the wall
time from the first worker's start to the last worker's end, per commit. Collegium and its floor
alternate repetitions; the figure is the median.

The server: ``COLLEGIUM_BENCH_POSTGRESQL_URL`` (default: the local test server). The run works
in a private database it creates and drops. Without a reachable server the figures are reported
as errors, not skipped quietly.
"""

from __future__ import annotations

import multiprocessing as mp
import os
import statistics
import time
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa

from benchmarks import scenario as sc
from benchmarks.bench_core import Figure, Settings, alternate, record_rows
from collegium.engine.audit import canonical
from collegium.engine.clock import ManualClock, SequentialIds
from collegium.engine.engine import Engine

URL = os.environ.get(
    "COLLEGIUM_BENCH_POSTGRESQL_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
)
WORKERS = (1, 2, 4)

_UPDATE = (
    "UPDATE collegium_instances SET state=%s, version=%s, facts=%s, head_hash=%s, event_count=%s, "
    "updated_at=%s WHERE id=%s AND version=%s"
)
_INSERT = (
    'INSERT INTO collegium_events (instance_id, seq, "trigger", actor, source, dest, at, data, '
    "verdict, effects, facts_sha, prev_hash, hash, idempotency_key) "
    "VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s)"
)


@dataclass(frozen=True, slots=True)
class Rows:
    """What one instance's measured steps wrote: the instance row after
    each step and each event row."""

    start: tuple[Any, ...]  # the instance row in deliberation, without its id
    start_version: int
    start_seq: int
    steps: tuple[
        tuple[tuple[Any, ...], tuple[Any, ...]], ...
    ]  # (state, facts, head, updated_at), event columns


def _serve(side: str, url: str, rows: Rows, inbox: Any, out: Any) -> None:
    """A worker process: connect once, then run each job (a list of instance ids) and
    report (start, end, commits)."""
    import psycopg

    clock = ManualClock(sc.START)
    engine = Engine.open(url, clock=clock, ids=SequentialIds()) if side == "collegium" else None
    conn = (
        psycopg.connect(
            sa.make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)
        )
        if side == "floor"
        else None
    )
    try:
        if engine is not None:
            engine.body("sc")  # connected and warm before the first job
        while (ids := inbox.get()) is not None:
            t0 = time.perf_counter()
            if engine is not None:
                n = sc.run_engine(engine, clock, ids, sc.plans(clock.now(), len(ids)))
            else:
                assert conn is not None
                n = _floor(conn, ids, rows)
            out.put((t0, time.perf_counter(), n))
    finally:
        if engine is not None:
            engine.close()
        if conn is not None:
            conn.close()


def _floor(conn: Any, ids: list[str], rows: Rows) -> int:
    n = 0
    for iid in ids:
        for i, ((state, facts, head, updated), event) in enumerate(rows.steps):
            version = rows.start_version + i
            cur = conn.execute(
                _UPDATE,
                (state, version + 1, facts, head, rows.start_seq + i + 1, updated, iid, version),
            )
            if cur.rowcount != 1:
                raise AssertionError("the floor lost its version guard")
            conn.execute(_INSERT, (iid, rows.start_seq + i + 1, *event))
            conn.commit()
            n += 1
    return n


class PgThroughput:
    """A private database with Collegium's schema, the rows to replay, and a way to
    run W workers of each side."""

    def __init__(self, per_worker: int) -> None:
        self.per_worker = per_worker
        self.name = f"collegium_bench_{os.getpid()}"
        admin = sa.create_engine(URL, isolation_level="AUTOCOMMIT")
        with admin.connect() as conn:
            conn.execute(sa.text(f"DROP DATABASE IF EXISTS {self.name}"))
            conn.execute(sa.text(f"CREATE DATABASE {self.name}"))
            self.server = str(conn.execute(sa.text("SHOW server_version")).scalar())
        admin.dispose()
        self.url = sa.make_url(URL).set(database=self.name).render_as_string(hide_password=False)
        self.clock = ManualClock(sc.START)
        self.engine = Engine.open(self.url, clock=self.clock, ids=SequentialIds())
        self.engine.define_body(sc.BODY)
        self.rows = self._record()
        self.serial = 0
        self.ctx = mp.get_context("spawn")
        self.pools: dict[str, tuple[list[Any], list[Any], Any]] = {}

    def _record(self) -> Rows:
        """One untimed instance through the measured steps: the rows the floor replays."""
        r, payloads = record_rows(self.engine, self.clock)
        start = (
            r.procedure,
            r.procedure_version,
            r.pack,
            r.pack_version,
            r.state,
            r.version,
            canonical(r.facts),
            r.parent_id,
            r.head_hash,
            r.event_count,
            r.created_at,
            r.updated_at,
        )
        return Rows(
            start,
            r.version,
            r.event_count,
            tuple(((p.state, p.facts, p.head_hash, p.updated_at), p.event) for p in payloads),
        )

    def _pool(self, side: str) -> tuple[list[Any], list[Any], Any]:
        if side not in self.pools:
            out = self.ctx.Queue()
            inboxes = [self.ctx.Queue() for _ in range(max(WORKERS))]
            procs = [
                self.ctx.Process(target=_serve, args=(side, self.url, self.rows, q, out))
                for q in inboxes
            ]
            for p in procs:
                p.start()
            self.pools[side] = (procs, inboxes, out)
        return self.pools[side]

    def _run(self, side: str, chunks: list[list[str]]) -> float:
        """Hand one chunk to each of the first len(chunks) workers at once;
        wall time per commit over all."""
        procs, inboxes, out = self._pool(side)
        for inbox, chunk in zip(inboxes, chunks, strict=False):
            inbox.put(chunk)
        results = [out.get(timeout=600) for _ in chunks]
        if any(p.exitcode not in (None, 0) for p in procs):
            raise RuntimeError("a worker process failed")
        start, end = min(r[0] for r in results), max(r[1] for r in results)
        return (end - start) / sum(r[2] for r in results)

    def collegium(self, workers: int) -> float:
        ids = sc.start_in_deliberation(self.engine, workers * self.per_worker)
        per = self._run("collegium", [ids[i::workers] for i in range(workers)])
        assert all(self.engine.get(i).state == "adopted" for i in ids)
        return per

    def floor(self, workers: int) -> float:
        ids = []
        with sa.create_engine(self.url).begin() as conn:
            for _ in range(workers * self.per_worker):
                self.serial += 1
                ids.append(f"floor-{self.serial}")
            conn.execute(
                sa.text(
                    "INSERT INTO collegium_instances (id, procedure, procedure_version, pack, "
                    "pack_version, state, version, facts, parent_id, head_hash, event_count, "
                    "created_at, updated_at) "
                    "VALUES (:id, :p0, :p1, :p2, :p3, :p4, :p5, :p6, :p7, :p8, :p9, :p10, :p11)"
                ),
                [{"id": i, **{f"p{k}": v for k, v in enumerate(self.rows.start)}} for i in ids],
            )
        return self._run("floor", [ids[i::workers] for i in range(workers)])

    def close(self) -> None:
        for procs, inboxes, _out in self.pools.values():
            for inbox in inboxes:
                inbox.put(None)
            for p in procs:
                p.join(timeout=60)
        self.engine.close()
        admin = sa.create_engine(URL, isolation_level="AUTOCOMMIT")
        with admin.connect() as conn:
            conn.execute(sa.text(f"DROP DATABASE IF EXISTS {self.name} WITH (FORCE)"))
        admin.dispose()


def figure_g(s: Settings) -> list[Figure]:
    per_worker = 4 if s.mode == "quick" else 16
    reps = 5
    try:
        bench = PgThroughput(per_worker)
    except Exception as exc:  # no server: say so in the table
        return [
            Figure(
                "g",
                "persisted fire on PostgreSQL",
                "µs/commit",
                None,
                None,
                "raw psycopg",
                3.0,
                "ratio",
                error=f"PostgreSQL at {URL} not usable: "
                f"{type(exc).__name__}: {str(exc).splitlines()[0]}",
            )
        ]
    figures = []
    try:
        rates: dict[int, float] = {}
        for workers in WORKERS:
            bench.collegium(workers)  # warm-up
            xs, ys = alternate(
                reps, lambda w=workers: bench.collegium(w), lambda w=workers: bench.floor(w)
            )
            c, f = statistics.median(xs), statistics.median(ys)
            rates[workers] = 1 / c
            scale = f"; {rates[workers] / rates[1]:.2f}× the 1-worker rate" if workers > 1 else ""
            figures.append(
                Figure(
                    f"g{workers}",
                    "persisted fire, PostgreSQL, "
                    f"{workers} worker process{'es' if workers > 1 else ''}",
                    "µs/commit",
                    c * 1e6,
                    f * 1e6,
                    "raw psycopg UPDATE+INSERT",
                    3.0,
                    "ratio",
                    [x * 1e6 for x in xs],
                    [y * 1e6 for y in ys],
                    f"{workers} × {per_worker} instances × {sc.STEPS_PER_INSTANCE} commits "
                    f"per repetition, median of {reps}; Collegium {1 / c:,.0f} commits/s, "
                    f"floor {1 / f:,.0f} commits/s{scale}; PostgreSQL {bench.server}",
                )
            )
    finally:
        bench.close()
    return figures

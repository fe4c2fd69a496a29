"""(h) Flat costs from a thousand to a million stored instances, on SQLite.

* (h1) per-``fire`` latency on a database holding 1,000,000 instances against one holding
  1,000 (target: ratio <= 1.2): the same 36 measured P1 fires on fresh instances,
  alternating between the two databases.
* (h2) the engine's peak memory while ``Engine.scan`` streams through the stored instances (the
  bulk ones, all in ``deliberation``), 1,000,000 against 1,000 (target: flat, ratio <= 1.2), and
  the time per instance streamed.
* the curve: both figures at every size on the way (1k, 10k, 100k, 1M), for the README's plot.

The stored instances are written in bulk with raw ``sqlite3``: copies of a real instance's row in
``deliberation`` (its facts as Collegium stored them) with one event each (a copy of its
``propose`` event), as a bulk import would. They are never fired; the fired instances are started
by the engine as usual (untimed set-up).
"""

from __future__ import annotations

import gc
import sqlite3
import statistics
import time
import tracemalloc
from pathlib import Path
from typing import Any

from benchmarks import scenario as sc
from benchmarks.bench_core import Figure, Settings, _timed, alternate, temp_dir
from collegium.engine.clock import ManualClock, SequentialIds
from collegium.engine.engine import Engine

_BULK = 20_000  # rows per bulk transaction


class ScaleDb:
    """A SQLite database with ``size`` stored instances, and an engine on it."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.clock = ManualClock(sc.START)
        self.engine = Engine.open(str(path), clock=self.clock, ids=SequentialIds())
        self.engine.define_body(sc.BODY)
        (iid,) = sc.start_in_deliberation(self.engine, 1)
        conn = sqlite3.connect(path)
        try:
            self.row = conn.execute(
                "SELECT * FROM collegium_instances WHERE id = ?", (iid,)
            ).fetchone()
            self.event = conn.execute(
                "SELECT * FROM collegium_events WHERE instance_id = ? AND seq = 1", (iid,)
            ).fetchone()
            self.event_columns = [d[1] for d in conn.execute("PRAGMA table_info(collegium_events)")]
        finally:
            conn.close()
        self.size = 1
        self.bulk_seconds = 0.0

    def grow_to(self, size: int) -> None:
        """Add bulk instances (ids ``bulk-0000001`` …) until the database holds ``size``."""
        t = time.perf_counter()
        conn = sqlite3.connect(self.path, isolation_level=None)
        try:
            conn.execute("PRAGMA journal_mode=WAL")
            conn.execute("PRAGMA synchronous=NORMAL")
            cols = [
                c for c in self.event_columns if c != "id"
            ]  # the autoincrement key is the database's
            at = {c: i for i, c in enumerate(self.event_columns)}
            insert_event = (
                f"INSERT INTO collegium_events ({', '.join(cols)}) "
                f"VALUES ({', '.join('?' for _ in cols)})"
            )
            while self.size < size:
                n = min(_BULK, size - self.size)
                ids = [f"bulk-{i:07d}" for i in range(self.size, self.size + n)]
                conn.execute("BEGIN")
                conn.executemany(
                    f"INSERT INTO collegium_instances VALUES ({', '.join('?' for _ in self.row)})",
                    [(i, *self.row[1:]) for i in ids],
                )
                conn.executemany(
                    insert_event,
                    [
                        tuple(i if c == "instance_id" else self.event[at[c]] for c in cols)
                        for i in ids
                    ],
                )
                conn.execute("COMMIT")
                self.size += n
        finally:
            conn.close()
        self.bulk_seconds += time.perf_counter() - t

    def fire_cost(self, count: int) -> float:
        """Seconds per fire of ``count`` fresh instances driven through the 36 measured steps."""
        ids = sc.start_in_deliberation(self.engine, count)
        steps = sc.plans(self.clock.now(), count)
        per = _timed(lambda: sc.run_engine(self.engine, self.clock, ids, steps))
        assert self.engine.get(ids[-1]).state == "adopted"
        self.size += count
        return per

    def stream(self) -> tuple[float, float, int]:
        """(peak bytes traced while scanning every stored instance in deliberation, seconds per
        instance, instances seen). The instances fired by :meth:`fire_cost` (adopted, larger facts)
        are not in the scan: every page holds the same rows at every size."""
        gc.collect()
        t = time.perf_counter()
        seen = sum(1 for _ in self.engine.scan(sc.PROCEDURE, "deliberation"))
        per = (time.perf_counter() - t) / seen
        gc.collect()
        tracemalloc.start()
        try:
            again = sum(1 for _ in self.engine.scan(sc.PROCEDURE, "deliberation"))
            peak = tracemalloc.get_traced_memory()[1]
        finally:
            tracemalloc.stop()
        assert again == seen
        return float(peak), per, seen

    def close(self) -> None:
        self.engine.close()


def figure_h(s: Settings) -> list[Figure]:
    sizes = s.scale_sizes
    count = 8 if s.mode == "full" else 4  # fresh instances fired per repetition (36 fires each)
    reps = s.reps
    curve: list[dict[str, Any]] = []
    with temp_dir() as root:
        small = ScaleDb(root / "small.db")
        large = ScaleDb(root / "large.db")
        try:
            small.grow_to(sizes[0])
            small.fire_cost(count)  # warm-up: compile the procedure, fill caches
            for size in sizes:
                large.grow_to(size)
                large.fire_cost(
                    count
                )  # warm the new pages as a long-running process would have them
                xs, ys = alternate(
                    reps, lambda: large.fire_cost(count), lambda: small.fire_cost(count)
                )
                peak, per_streamed, _seen = large.stream()
                curve.append(
                    {
                        "instances": large.size,
                        "fire_us": statistics.median(xs) * 1e6,
                        "fire_us_small": statistics.median(ys) * 1e6,
                        "stream_peak_kb": peak / 1024,
                        "stream_us_per_instance": per_streamed * 1e6,
                        "fire_samples": [x * 1e6 for x in xs],
                    }
                )
            small_peak, small_per, _seen = small.stream()
            small_seen = small.size
            bulk = large.bulk_seconds
        finally:
            small.close()
            large.close()
    top = curve[-1]
    steps = " → ".join(f"{c['instances']:,}: {c['fire_us']:.0f} µs" for c in curve)
    h1 = Figure(
        "h1",
        f"fire with {top['instances']:,} vs {small_seen:,} stored instances",
        "µs/fire",
        top["fire_us"],
        top["fire_us_small"],
        f"same fires, {small_seen:,} stored",
        1.2,
        "ratio",
        top["fire_samples"],
        [],
        curve=curve,
        notes=f"SQLite file; {count} fresh instances × {sc.STEPS_PER_INSTANCE} fires per "
        f"repetition, median of {reps}, alternating; curve {steps}; "
        f"bulk load {bulk:.0f} s (untimed)",
    )
    h2 = Figure(
        "h2",
        f"peak memory streaming {top['instances']:,} vs {small_seen:,} instances",
        "KB",
        top["stream_peak_kb"],
        small_peak / 1024,
        f"streaming {small_seen:,}",
        1.2,
        "ratio",
        [],
        [],
        f"Engine.scan(procedure, state) in pages of 1,000, tracemalloc peak; "
        f"{top['stream_us_per_instance']:.1f} µs per instance streamed at {top['instances']:,} "
        f"({small_per * 1e6:.1f} µs at {small_seen:,})",
    )
    return [h1, h2]

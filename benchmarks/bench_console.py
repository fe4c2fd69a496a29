"""(n) The web console's list of instances (``collegium serve``) on a SQLite database holding
100,000 instances: the time to answer a page of 50 — the first page, a page past a keyset in the
middle of the table, and the same filtered by procedure and state — through the Flask application
as a request would reach it (its test client: no socket), the page rendered. Target: under 100 ms a
page, whatever the table's size (the page is one keyset read of 51 rows).

The instances are the bulk ones of figure (h) (:class:`benchmarks.bench_scale.ScaleDb`): copies of
a real instance in ``deliberation``, written with raw ``sqlite3`` as a bulk import would.
"""

from __future__ import annotations

import statistics
import time
from typing import Any

from benchmarks.bench_core import Figure, Settings, temp_dir
from benchmarks.bench_scale import ScaleDb

#: stored instances in the full run (the quick run stores a tenth)
SIZE = 100_000
TARGET_MS = 100.0


def _median_ms(client: Any, path: str, reps: int) -> float:
    client.get(path)  # warm: the page's template compiled, the database's pages read once
    samples = []
    for _ in range(reps):
        t = time.perf_counter()
        answer = client.get(path)
        samples.append((time.perf_counter() - t) * 1000)
        assert answer.status_code == 200, (path, answer.status_code)
    return statistics.median(samples)


def figure_n(s: Settings) -> list[Figure]:
    try:
        from collegium.commands.render import Times
        from collegium.console import create_app
    except ImportError as exc:  # Flask is the console's extra
        return [
            Figure("n", "console list", "ms", None, None, "-", TARGET_MS, "value", error=str(exc))
        ]
    from collegium import Engine, FixedClock

    size = {"full": SIZE, "quick": SIZE // 10}.get(s.mode, 1_000)
    reps = max(s.reps * 4, 20)
    with temp_dir() as root:
        db = ScaleDb(root / "console.db")
        try:
            db.grow_to(size)
            at = db.clock.now()
        finally:
            db.close()
        engine = Engine.open(str(db.path), clock=FixedClock(at), auto_migrate=False)
        try:
            client = create_app(engine, times=lambda: Times(None)).test_client()
            middle = f"bulk-{size // 2:07d}"
            group = "procedure=major_decision&state=deliberation"
            keyset = f"after={middle}&after_procedure=major_decision&after_state=deliberation"
            pages = {
                "first page": "/",
                "a page in the middle": f"/?{keyset}",
                "filtered, in the middle": f"/?{group}&{keyset}",
            }
            found = {name: _median_ms(client, path, reps) for name, path in pages.items()}
        finally:
            engine.close()
    worst = max(found.values())
    notes = "; ".join(f"{name}: {ms:.1f} ms" for name, ms in found.items())
    return [
        Figure(
            "n",
            f"console: a page of 50 of {size:,} instances (slowest of three)",
            "ms/page",
            worst,
            None,
            "-",
            TARGET_MS,
            "value",
            notes=f"median of {reps} requests each; {notes}",
        )
    ]

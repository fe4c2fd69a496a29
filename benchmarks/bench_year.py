"""(m) A generated year persisted: ``simulate --generate`` (3 bodies, 2 matters a month each, 12
months; 3,632 steps) run on a SQLite file against the same run in memory.

Both sides run the same generated scenario (made and parsed once, untimed) with
:func:`collegium.scenario.run` on a fresh engine, then verify the audit, as ``collegium simulate``
does; alternating, median. The file side is ``Engine.open`` on a new SQLite file each repetition;
the scenario runner batches its steps (``Engine.batch``, 500 steps a transaction). Target: within
1.5× of memory.
"""

from __future__ import annotations

import statistics
import time
from itertools import count

from benchmarks.bench_core import Figure, Settings, alternate, temp_dir
from collegium import Engine, ManualClock, SequentialIds, parse_time
from collegium.generate import scenario_text
from collegium.scenario import Scenario, run

BODIES, MATTERS, MONTHS = 3, 2, 12
TARGET = 1.5


def figure_m(s: Settings) -> Figure:
    scn = Scenario.load(
        scenario_text(1, bodies=BODIES, matters=MATTERS, months=MONTHS), "<generated year>"
    )
    serial = count()

    with temp_dir() as root:

        def timed(engine: Engine) -> float:
            started = time.perf_counter()
            engine, _reports = run(scn, engine)
            if not engine.verify_audit().ok:
                raise AssertionError("the generated year's audit failed")
            took = time.perf_counter() - started
            engine.close()
            return took

        def clock() -> ManualClock:
            return ManualClock(parse_time(scn.spec.start, "start"))

        def on_file() -> float:
            path = root / f"year-{next(serial)}.db"
            return timed(Engine.open(str(path), clock=clock(), ids=SequentialIds()))

        def in_memory() -> float:
            return timed(Engine.in_memory(clock=clock(), ids=SequentialIds()))

        on_file()  # warm-up: imports, the registry's compiled procedures
        reps = max(3, s.reps // 2)
        xs, ys = alternate(reps, on_file, in_memory)
    steps = len(scn.spec.steps)
    return Figure(
        "m",
        f"generated year on a SQLite file ({steps:,} steps)",
        "ms/run",
        statistics.median(xs) * 1e3,
        statistics.median(ys) * 1e3,
        "the same run in memory",
        TARGET,
        "ratio",
        [x * 1e3 for x in xs],
        [y * 1e3 for y in ys],
        f"simulate --generate: {BODIES} bodies, {MATTERS} matters a month, {MONTHS} months; "
        f"run + audit, median of {reps}",
    )

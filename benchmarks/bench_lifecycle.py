"""(i) The full P1 lifecycle, and (k) an instance snapshot, against
SpiffWorkflow; (j) the lifecycle persisted.

The lifecycle is 41 steps: propose, prepare, start deliberation, consult each of the 11
members, schedule, open the meeting, 11 views (the secretary's last), 11 votes, close the ballot
(adopted), publish, hand over for assignment (``assigned``).

* (i) in memory: Collegium (MemoryStore) against SpiffWorkflow running the
  equivalent BPMN (``benchmarks/p1_lifecycle.bpmn``, the ``bench`` extra),
  alternating, median; target: at least 5× faster.
* (j) persisted on a SQLite file, one committed transaction per step; target: at
  least 300 lifecycles a second. Its per-step floor is figure (b): the same commits
  replayed with raw ``sqlite3``.
* (k) a snapshot of an instance in its meeting with every view stated and every vote cast:
  Collegium saves and loads its state and facts (the instance row's values, canonical JSON, and
  back) against SpiffWorkflow's ``BpmnWorkflowSerializer`` round trip of the same point of the
  workflow; targets: at least 10× faster and 5× smaller. Collegium keeps the meeting's seats
  (with the views stated) and votes in rows of their own: their bytes are counted into its size.
"""

from __future__ import annotations

import sqlite3
import statistics
from dataclasses import replace
from pathlib import Path
from typing import Any

from benchmarks import scenario as sc
from benchmarks.bench_core import Figure, Settings, _timed, alternate, temp_dir
from collegium.engine.clock import ManualClock, SequentialIds
from collegium.engine.engine import Engine
from collegium.store.sqlrows import instance_row, instance_values

#: (j)'s target: persisted lifecycles a second
LIFECYCLES_PER_S = 300
#: the steps after the meeting's ballot
CLOSE = (("publish", "sec", {"audience": "public"}), ("hand_over", "sec", None))
#: start, prepare, start_deliberation, the 36 measured steps, publish, hand_over
STEPS = 2 + 1 + sc.STEPS_PER_INSTANCE + len(CLOSE)


def lifecycles(engine: Engine, clock: ManualClock, count: int) -> int:
    """Take ``count`` new matters from proposal to ``assigned``; the number of steps taken."""
    n = 0
    for _ in range(count):
        (iid,) = sc.start_in_deliberation(engine, 1)
        seq = sc.measured_steps(clock.now())
        sc.run_engine(engine, clock, [iid], [seq])
        for trigger, actor, data in CLOSE:
            engine.fire(iid, trigger, actor, data)
        n += STEPS
    if engine.get(iid).state != "assigned":
        raise AssertionError("the lifecycle did not end in 'assigned'")
    return n


def _per_lifecycle(engine: Engine, clock: ManualClock, count: int) -> float:
    return _timed(lambda: lifecycles(engine, clock, count)) * STEPS


def _spiff() -> Any:
    try:
        from benchmarks.anchor_spiff import SpiffP1
    except ImportError as exc:
        raise RuntimeError(
            f"SpiffWorkflow is not installed ({exc}): pip install -e '.[bench]'"
        ) from None
    return SpiffP1()


def figure_i(s: Settings) -> Figure:
    spiff = _spiff()
    count = max(4, s.memory_instances // 4)
    engine, clock = sc.memory_engine()

    def ours() -> float:
        return _per_lifecycle(engine, clock, count)

    def theirs() -> float:
        return _timed(lambda: spiff.run(count)) * STEPS

    ours()  # warm-up
    theirs()
    xs, ys = alternate(s.reps, ours, theirs)
    c, a = statistics.median(xs) * 1e3, statistics.median(ys) * 1e3
    return Figure(
        "i",
        f"P1 lifecycle in memory ({STEPS} steps)",
        "ms/lifecycle",
        c,
        a,
        "SpiffWorkflow, same lifecycle",
        0.2,
        "ratio",
        [x * 1e3 for x in xs],
        [y * 1e3 for y in ys],
        f"{count} lifecycles per repetition, median of {s.reps}, alternating; "
        f"{1e3 / c:,.0f} lifecycles/s against {1e3 / a:,.0f}/s: {a / c:.1f}× faster (target ≥ 5×)",
    )


def figure_j(s: Settings) -> Figure:
    count = max(2, s.sql_instances // 4)
    with temp_dir() as root:
        clock = ManualClock(sc.START)
        engine = Engine.open(str(root / "lifecycle.db"), clock=clock, ids=SequentialIds())
        try:
            engine.define_body(sc.BODY)
            lifecycles(engine, clock, 1)  # warm-up
            xs = [_per_lifecycle(engine, clock, count) for _ in range(s.reps)]
        finally:
            engine.close()
    c = statistics.median(xs) * 1e3
    return Figure(
        "j",
        f"P1 lifecycle persisted, SQLite file ({STEPS} commits)",
        "ms/lifecycle",
        c,
        None,
        "(floor per commit: figure b)",
        1e3 / LIFECYCLES_PER_S,
        "value",
        [x * 1e3 for x in xs],
        [],
        f"{1e3 / c:,.0f} lifecycles/s (target ≥ {LIFECYCLES_PER_S}/s, i.e. ≤ "
        f"{1e3 / LIFECYCLES_PER_S:.2f} ms); {count} per repetition, "
        f"median of {s.reps}; {c * 1e3 / STEPS:,.0f} µs per committed step",
    )


def _meeting_rows_bytes(path: Path, iid: str) -> int:
    """Bytes of the text of the seats and votes rows an instance's open
    meeting keeps beside its row."""
    conn = sqlite3.connect(path)
    try:
        rows = conn.execute(
            "SELECT * FROM collegium_seats WHERE meeting_id LIKE ?", (f"{iid}/%",)
        ).fetchall()
        rows += conn.execute(
            "SELECT * FROM collegium_votes WHERE ballot_id LIKE ?", (f"{iid}/%",)
        ).fetchall()
    finally:
        conn.close()
    return sum(len(str(v).encode()) for row in rows for v in row if v is not None)


def figure_k(s: Settings) -> list[Figure]:
    spiff = _spiff()
    workflow = spiff.mid_meeting()
    with temp_dir() as root:
        clock = ManualClock(sc.START)
        engine = Engine.open(str(root / "snapshot.db"), clock=clock, ids=SequentialIds())
        try:
            engine.define_body(sc.BODY)
            (iid,) = sc.start_in_deliberation(engine, 1)
            sc.run_engine(
                engine, clock, [iid], [sc.measured_steps(clock.now())[:-1]]
            )  # every view stated, every vote cast
            record = replace(
                engine.store.load(iid), facts_json=None
            )  # as held: the facts, not their text
            side_rows = _meeting_rows_bytes(root / "snapshot.db", iid)
        finally:
            engine.close()
    columns = list(instance_values(record))
    rounds = 200 if s.mode == "quick" else 1000
    sizes: list[int] = []

    def ours() -> float:
        def work() -> int:
            for _ in range(rounds):
                values = instance_values(record)  # save: the row's values, facts as canonical JSON
                back = instance_row(
                    tuple(values[c] for c in columns)
                )  # load: the row back into a record
            sizes.append(
                sum(len(str(v).encode()) for v in values.values() if v is not None) + side_rows
            )
            assert back == record
            return rounds

        return _timed(work)

    spiff_sizes: list[int] = []

    def theirs() -> float:
        def work() -> int:
            for _ in range(max(1, rounds // 20)):
                spiff_sizes.append(spiff.roundtrip(workflow))
            return max(1, rounds // 20)

        return _timed(work)

    spiff.roundtrip(workflow, check=True)
    ours()
    theirs()
    xs, ys = alternate(s.reps, ours, theirs)
    c, a = statistics.median(xs) * 1e6, statistics.median(ys) * 1e6
    mine, their = float(statistics.median(sizes)), float(statistics.median(spiff_sizes))
    return [
        Figure(
            "k1",
            "snapshot save + load, in a meeting, every view and vote in",
            "µs",
            c,
            a,
            "SpiffWorkflow serializer round trip",
            0.1,
            "ratio",
            [x * 1e6 for x in xs],
            [y * 1e6 for y in ys],
            f"{a / c:.0f}× faster (target ≥ 10×); median of {s.reps}, alternating",
        ),
        Figure(
            "k2",
            "snapshot size, same point",
            "B",
            mine,
            their,
            "SpiffWorkflow serialized JSON",
            0.2,
            "ratio",
            notes=f"{their / mine:.1f}× smaller (target ≥ 5×); Collegium's includes the meeting's "
            f"seat and vote rows ({side_rows} B) beside the instance row",
        ),
    ]

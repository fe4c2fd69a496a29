"""The four figures: (a) in-memory fire, (b) persisted fire, (c) memory
per instance, (d) CLI start-up.

Every timing figure measures Collegium and its floor in the same process, alternating
(A B, B A, …), and reports the median of the repetitions. Each repetition works on fresh instances
whose set-up is untimed.
"""

from __future__ import annotations

import datetime as dt
import gc
import json
import os
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
import tracemalloc
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from functools import partial
from pathlib import Path
from typing import Any

from benchmarks import pragmas
from benchmarks import scenario as sc
from benchmarks.bare import BareP1
from collegium.engine.audit import canonical
from collegium.engine.clock import ManualClock, SequentialIds
from collegium.engine.engine import Engine
from collegium.store.memstore import MemoryStore
from collegium.store.protocol import Write
from collegium.store.records import InstanceRecord
from collegium.store.sqlstore import SqlStore


@dataclass(frozen=True, slots=True)
class Settings:
    """How much work each figure does. ``reps`` is the number of alternating repetitions (>= 5)."""

    mode: str
    reps: int
    memory_instances: int  # (a): instances per repetition, 36 fires each
    sql_instances: int  # (b): instances per repetition, 36 commits each
    loaded_instances: int  # (c): instances held in memory
    memory_reps: int
    cli_reps: int
    scale_sizes: tuple[
        int, ...
    ]  # (h): stored instances at each point of the curve; the first is the baseline


QUICK = Settings(
    "quick",
    reps=5,
    memory_instances=16,
    sql_instances=8,
    loaded_instances=3_000,
    memory_reps=3,
    cli_reps=5,
    scale_sizes=(1_000, 5_000, 20_000),
)
FULL = Settings(
    "full",
    reps=11,
    memory_instances=200,
    sql_instances=80,
    loaded_instances=10_000,
    memory_reps=5,
    cli_reps=7,
    scale_sizes=(1_000, 10_000, 100_000, 1_000_000),
)


@dataclass(slots=True)
class Figure:
    """One row of the table. ``target_on`` says whether the target bounds the
    ratio or Collegium's value."""

    key: str
    name: str
    unit: str
    collegium: float | None
    anchor: float | None
    anchor_name: str
    target: float
    target_on: str  # "ratio", "value" or "info" (no target)
    samples: list[float] = field(default_factory=list)
    anchor_samples: list[float] = field(default_factory=list)
    notes: str = ""
    error: str | None = None
    curve: list[dict[str, Any]] = field(
        default_factory=list
    )  # points of a scaling curve, for the plot

    @property
    def ratio(self) -> float | None:
        if self.collegium is None or not self.anchor:
            return None
        return self.collegium / self.anchor

    @property
    def met(self) -> bool | None:
        if self.target_on == "info":  # informational: no target
            return None
        value = self.ratio if self.target_on == "ratio" else self.collegium
        return None if value is None else value <= self.target

    def to_dict(self) -> dict[str, Any]:
        return {
            "key": self.key,
            "name": self.name,
            "unit": self.unit,
            "collegium": self.collegium,
            "anchor": self.anchor,
            "anchor_name": self.anchor_name,
            "ratio": self.ratio,
            "target": self.target,
            "target_on": self.target_on,
            "met": self.met,
            "samples": self.samples,
            "anchor_samples": self.anchor_samples,
            "notes": self.notes,
            "error": self.error,
            "curve": self.curve,
        }


@contextmanager
def temp_dir() -> Iterator[Path]:
    path = Path(tempfile.mkdtemp(prefix="collegium-bench-"))
    try:
        yield path
    finally:
        shutil.rmtree(path, ignore_errors=True)


def alternate(
    reps: int, a: Callable[[], float], b: Callable[[], float]
) -> tuple[list[float], list[float]]:
    """Run ``a`` and ``b`` ``reps`` times each, alternating which goes
    first; each returns one sample."""
    xs: list[float] = []
    ys: list[float] = []
    for i in range(reps):
        if i % 2 == 0:
            xs.append(a())
            ys.append(b())
        else:
            ys.append(b())
            xs.append(a())
    return xs, ys


def _timed(fn: Callable[[], int]) -> float:
    """Seconds per unit of work: ``fn`` returns how many units it did. The collector is off while
    timing; before, it collects the young generations only (a full collection of a large set-up's
    heap took up to 0.2 s, on each side of each sample, and the collector being off, the old
    generation cannot run during the timed part)."""
    gc.collect(1)
    gc.disable()
    try:
        t = time.perf_counter()
        n = fn()
        elapsed = time.perf_counter() - t
    finally:
        gc.enable()
    return elapsed / n


def _lifecycle(engine: Engine, clock: ManualClock, count: int) -> float:
    """Per-fire time of ``count`` instances driven from deliberation to adoption
    (Collegium's side of a and b)."""
    ids = sc.start_in_deliberation(engine, count)
    steps = sc.plans(clock.now(), count)
    per = _timed(lambda: sc.run_engine(engine, clock, ids, steps))
    assert all(engine.get(i).state == "adopted" for i in ids)
    return per


# -- (a) in-memory fire vs bare transitions ------------------------------------------------------
class InMemoryFire:
    """Collegium on a MemoryStore, and the bare-``transitions`` floor,
    on the same measured steps."""

    def __init__(self, count: int) -> None:
        self.count = count
        self.engine, self.clock = sc.memory_engine()
        self.bare_clock = ManualClock(sc.START)
        self.bare = BareP1(self.bare_clock)

    def collegium(self) -> float:
        return _lifecycle(self.engine, self.clock, self.count)

    def floor(self) -> float:
        models = self.bare.add(self.count)
        steps = sc.plans(self.bare_clock.now(), self.count)
        per = _timed(lambda: self.bare.run(models, steps))
        assert all(m.state == "adopted" for m in models)
        self.bare.remove(models)
        return per


def figure_a(s: Settings) -> Figure:
    bench = InMemoryFire(s.memory_instances)
    bench.collegium()  # warm-up: compile the procedure, fill caches
    bench.floor()
    xs, ys = alternate(s.reps, bench.collegium, bench.floor)
    return Figure(
        "a",
        "in-memory fire, P1 rules",
        "µs/fire",
        statistics.median(xs) * 1e6,
        statistics.median(ys) * 1e6,
        "bare transitions + plain guards",
        3.0,
        "ratio",
        [x * 1e6 for x in xs],
        [y * 1e6 for y in ys],
        f"{s.memory_instances} instances × {sc.STEPS_PER_INSTANCE} fires per repetition, "
        f"median of {s.reps}",
    )


class PsmFire:
    """Collegium on a MemoryStore, and python-statemachine (the ``bench`` extra)
    with the bare floor's guards."""

    def __init__(self, count: int) -> None:
        from benchmarks.anchor_psm import PsmP1

        self.count = count
        self.engine, self.clock = sc.memory_engine()
        self.psm_clock = ManualClock(sc.START)
        self.psm = PsmP1(self.psm_clock)

    def collegium(self) -> float:
        return _lifecycle(self.engine, self.clock, self.count)

    def anchor(self) -> float:
        machines = self.psm.add(self.count)
        steps = sc.plans(self.psm_clock.now(), self.count)
        per = _timed(
            lambda: self.psm.run(machines, steps)
        )  # asserts every machine ends in 'adopted'
        self.psm.remove(machines)
        return per


def figure_a2(s: Settings) -> Figure:
    try:
        bench = PsmFire(s.memory_instances)
    except ImportError as exc:
        raise RuntimeError(
            f"python-statemachine is not installed ({exc}): pip install -e '.[bench]'"
        ) from None
    bench.collegium()
    bench.anchor()
    xs, ys = alternate(s.reps, bench.collegium, bench.anchor)
    return Figure(
        "a2",
        "in-memory fire, P1 rules, vs python-statemachine",
        "µs/fire",
        statistics.median(xs) * 1e6,
        statistics.median(ys) * 1e6,
        "python-statemachine, same guards",
        1.0,
        "ratio",
        [x * 1e6 for x in xs],
        [y * 1e6 for y in ys],
        f"one StateMachine per instance, guards as in (a)'s floor; "
        f"{s.memory_instances} instances × {sc.STEPS_PER_INSTANCE} fires per repetition, "
        f"median of {s.reps}",
    )


# -- (b) persisted fire vs raw sqlite3 -------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class RowPayload:
    """The instance row update and event row of one real fire, replayed by the raw floor."""

    state: str
    facts: str
    head_hash: str
    updated_at: str
    event: tuple[
        Any, ...
    ]  # trigger, actor, source, dest, at, data, verdict, effects, facts_sha, prev, hash, key


_UPDATE = (
    "UPDATE collegium_instances SET state=?, version=?, facts=?, head_hash=?, event_count=?, "
    "updated_at=? WHERE id=? AND version=?"
)
_INSERT = (
    'INSERT INTO collegium_events (instance_id, seq, "trigger", actor, source, dest, at, data, '
    "verdict, effects, facts_sha, prev_hash, hash, idempotency_key) "
    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
)


def record_rows(engine: Engine, clock: ManualClock) -> tuple[InstanceRecord, list[RowPayload]]:
    """One instance taken (untimed) through the measured steps: its row in deliberation, and the
    rows each step wrote, for a raw floor to replay."""
    (iid,) = sc.start_in_deliberation(engine, 1)
    start = engine.store.load(iid)
    payloads = []
    for step in sc.measured_steps(clock.now()):
        if step.advance is not None:
            clock.advance(step.advance)
        o = engine.fire(iid, step.trigger, step.actor, step.data)
        e = o.event
        payloads.append(
            RowPayload(
                o.instance.state,
                canonical(dict(o.instance.facts)),
                e.hash,
                e.at,
                (
                    e.trigger,
                    e.actor,
                    e.source,
                    e.dest,
                    e.at,
                    canonical(e.data),
                    canonical(e.verdict),
                    canonical(e.effects),
                    e.facts_sha,
                    e.prev_hash,
                    e.hash,
                    e.idempotency_key,
                ),
            )
        )
    return start, payloads


class RawFloor:
    """Plain ``sqlite3``: same tables and indexes as Collegium's, same pragmas, one
    UPDATE + one INSERT per transaction (``BEGIN IMMEDIATE`` … ``COMMIT``), row contents
    copied from a real Collegium run."""

    def __init__(
        self, path: Path, schema: list[str], start: InstanceRecord, payloads: list[RowPayload]
    ) -> None:
        self.conn = pragmas.connect(path)
        for ddl in schema:
            self.conn.execute(ddl)
        self.start = start
        self.payloads = payloads
        self.serial = 0

    def add(self, count: int) -> list[tuple[str, int]]:
        r = self.start
        rows = []
        for _ in range(count):
            self.serial += 1
            rows.append(
                (
                    f"floor-{self.serial}",
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
            )
        self.conn.execute("BEGIN IMMEDIATE")
        self.conn.executemany(
            "INSERT INTO collegium_instances (id, procedure, procedure_version, pack, pack_version,"
            " state, version, facts, parent_id, head_hash, event_count, created_at, updated_at) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            rows,
        )
        self.conn.execute("COMMIT")
        return [(row[0], r.version) for row in rows]

    def run(self, instances: list[tuple[str, int]]) -> int:
        execute = self.conn.execute
        n = 0
        first_seq = self.start.event_count
        for iid, version in instances:
            for i, p in enumerate(self.payloads):
                execute("BEGIN IMMEDIATE")
                cur = execute(
                    _UPDATE,
                    (
                        p.state,
                        version + i + 1,
                        p.facts,
                        p.head_hash,
                        first_seq + i + 1,
                        p.updated_at,
                        iid,
                        version + i,
                    ),
                )
                if cur.rowcount != 1:
                    raise AssertionError("raw floor lost its version guard")
                execute(_INSERT, (iid, first_seq + i + 1, *p.event))
                execute("COMMIT")
                n += 1
        return n

    def close(self) -> None:
        self.conn.close()


class PersistedFire:
    """Collegium on a SQLite file (``Engine.open``), and the raw floor on
    another file in the same dir."""

    def __init__(self, root: Path, count: int) -> None:
        self.count = count
        self.clock = ManualClock(sc.START)
        self.engine = Engine.open(str(root / "collegium.db"), clock=self.clock, ids=SequentialIds())
        self.engine.define_body(sc.BODY)
        # one untimed run records the rows the floor replays, and the schema it copies
        start, payloads = record_rows(self.engine, self.clock)
        with sqlite3.connect(root / "collegium.db") as conn:
            schema = [
                row[0]
                for row in conn.execute(
                    "SELECT sql FROM sqlite_master "
                    "WHERE tbl_name IN ('collegium_instances', 'collegium_events') "
                    "AND sql IS NOT NULL ORDER BY type DESC"
                )
            ]
        conn.close()
        self.raw = RawFloor(root / "floor.db", schema, start, payloads)
        pragmas.check_same(self.engine, self.raw.conn)
        self.row_bytes = statistics.mean(
            len(p.facts) + sum(len(str(v)) for v in p.event) for p in payloads
        )

    def collegium(self) -> float:
        return _lifecycle(self.engine, self.clock, self.count)

    def floor(self) -> float:
        instances = self.raw.add(self.count)
        return _timed(lambda: self.raw.run(instances))

    def close(self) -> None:
        self.raw.close()
        self.engine.close()


def figure_b(s: Settings) -> Figure:
    with temp_dir() as root:
        bench = PersistedFire(root, s.sql_instances)
        try:
            bench.collegium()  # warm-up
            bench.floor()
            xs, ys = alternate(s.reps, bench.collegium, bench.floor)
            row_bytes = bench.row_bytes
        finally:
            bench.close()
    return Figure(
        "b",
        "persisted fire, SQLite WAL",
        "µs/commit",
        statistics.median(xs) * 1e6,
        statistics.median(ys) * 1e6,
        "raw sqlite3 UPDATE+INSERT",
        3.0,
        "ratio",
        [x * 1e6 for x in xs],
        [y * 1e6 for y in ys],
        f"{s.sql_instances} instances × {sc.STEPS_PER_INSTANCE} commits per repetition, median of "
        f"{s.reps}; floor replays the same rows (≈{row_bytes:.0f} B of text per commit)",
    )


# -- (c) memory per loaded instance ----------------------------------------------------------------
def template_facts() -> dict[str, dict[str, Any]]:
    """Facts of a real instance at two points: just proposed, and in a
    meeting with all 11 views stated and all 11 votes cast."""
    engine, clock = sc.memory_engine()
    (iid,) = sc.start_in_deliberation(engine, 1)
    proposed = dict(engine.start(sc.PROCEDURE, "sec", sc.PROPOSAL).instance.facts)
    steps = sc.measured_steps(clock.now())[:-1]  # stop before close_ballot
    sc.run_engine(engine, clock, [iid], [steps])
    return {"proposed": proposed, "in_meeting": dict(engine.get(iid).facts)}


def _records(facts: dict[str, Any], count: int) -> Iterator[InstanceRecord]:
    text = canonical(facts)
    for i in range(count):
        yield InstanceRecord(
            id=f"major_decision-{i + 1}",
            procedure="major_decision",
            procedure_version=1,
            pack="party-committee",
            pack_version="2026.1",
            state="in_meeting" if "meeting" in facts else "proposed",
            version=26,
            facts=json.loads(text),
            created_at="2026-03-02T01:00:00.000000Z",
            updated_at="2026-03-03T01:00:00.000000Z",
            head_hash=f"{i:064x}",
            event_count=26,
        )


def _serialized_bytes(rec: InstanceRecord) -> int:
    """Bytes of the instance row as stored: canonical facts JSON plus the other columns' text."""
    columns = (
        rec.id,
        rec.procedure,
        rec.procedure_version,
        rec.pack,
        rec.pack_version,
        rec.state,
        rec.version,
        rec.parent_id or "",
        rec.head_hash,
        rec.event_count,
        rec.created_at,
        rec.updated_at,
    )
    return len(canonical(rec.facts).encode()) + sum(len(str(c).encode()) for c in columns)


def _traced(fn: Callable[[], object]) -> tuple[int, object]:
    """Bytes still allocated after ``fn`` (whose result is kept alive),
    as tracemalloc counts them."""
    gc.collect()
    tracemalloc.start()
    try:
        before = tracemalloc.get_traced_memory()[0]
        kept = fn()
        gc.collect()
        after = tracemalloc.get_traced_memory()[0]
    finally:
        tracemalloc.stop()
    return after - before, kept


def loaded_from_sqlite(facts: dict[str, Any], count: int, reps: int, root: Path) -> list[float]:
    """Bytes per ``Instance`` for ``count`` instances loaded in one
    ``engine.instances()`` from SQLite."""
    store = SqlStore(str(root / f"memory-{len(facts)}.db"))
    records = list(_records(facts, count))
    for i in range(0, count, 1000):
        with store.unit() as unit:
            unit.commit(
                Write(
                    update=None,
                    expected_version=None,
                    create=tuple(records[i : i + 1000]),
                    events=(),
                )
            )
    del records
    engine = Engine(store, clock=ManualClock(sc.START), ids=SequentialIds())
    engine.instances(state="nowhere")  # compile and cache the query outside the measurement
    samples = []
    try:
        for _ in range(reps):
            used, kept = _traced(lambda: engine.instances(procedure="major_decision"))
            assert isinstance(kept, list) and len(kept) == count
            samples.append(used / count)
            del kept
    finally:
        engine.close()
    return samples


def loaded_from_memory(facts: dict[str, Any], count: int, reps: int) -> list[float]:
    """Bytes per ``engine.get(id)`` result held, for ``count`` instances of a MemoryStore
    (the store's own records excluded: a result shares the nested facts with the store and
    copies only the top level)."""
    store = MemoryStore()
    for rec in _records(facts, count):
        store.commit(Write(update=None, expected_version=None, create=(rec,), events=()))
    engine = Engine(store, clock=ManualClock(sc.START), ids=SequentialIds())
    ids = [f"major_decision-{i + 1}" for i in range(count)]
    samples = []
    for _ in range(reps):
        used, kept = _traced(lambda: [engine.get(i) for i in ids])
        samples.append(used / count)
        del kept
    return samples


def figure_c(s: Settings) -> list[Figure]:
    facts = template_facts()
    figures = []
    with temp_dir() as root:
        for key, profile in (("c1", "proposed"), ("c2", "in_meeting")):
            sample = next(_records(facts[profile], 1))
            serialized = float(_serialized_bytes(sample))
            xs = loaded_from_sqlite(facts[profile], s.loaded_instances, s.memory_reps, root)
            figures.append(
                Figure(
                    key,
                    f"memory/instance, {profile}, loaded",
                    "B/instance",
                    statistics.median(xs),
                    serialized,
                    "stored row size",
                    4096.0,
                    "value",
                    xs,
                    [serialized],
                    f"{s.loaded_instances:,} Instances from engine.instances() on SQLite "
                    f"(tracemalloc, median of {s.memory_reps})",
                )
            )
    sample = next(_records(facts["in_meeting"], 1))
    xs = loaded_from_memory(facts["in_meeting"], s.loaded_instances, s.memory_reps)
    figures.append(
        Figure(
            "c3",
            "memory/instance, in_meeting, get()",
            "B/instance",
            statistics.median(xs),
            float(_serialized_bytes(sample)),
            "stored row size",
            4096.0,
            "value",
            xs,
            [],
            f"{s.loaded_instances:,} engine.get() results on a MemoryStore: the view only "
            "(nested facts are shared with the store)",
        )
    )
    return figures


# -- (d) CLI start-up ------------------------------------------------------------------------------
def cli_command() -> list[str]:
    script = Path(sys.executable).parent / "collegium"
    if script.exists():
        return [str(script), "--help"]
    found = shutil.which("collegium")
    return [found, "--help"] if found else [sys.executable, "-m", "collegium.cli", "--help"]


def _wall(cmd: list[str], warm_up: bool = False) -> float:
    """Seconds ``cmd`` took. ``warm_up``: the run before the measured ones, which also lets Python
    write its bytecode caches (``__pycache__``) as it does on any first run, even where the
    environment sets ``PYTHONDONTWRITEBYTECODE``: the measured runs are then a user's second run,
    with the caches an installed package has (``pip install`` compiles them)."""
    env = (
        {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"} if warm_up else None
    )
    t = time.perf_counter()
    proc = subprocess.run(cmd, capture_output=True, check=False, timeout=60, env=env)
    elapsed = time.perf_counter() - t
    if proc.returncode != 0:
        last = (proc.stderr.decode(errors="replace").strip().splitlines() or ["?"])[-1]
        raise RuntimeError(f"exit {proc.returncode}: {last}")
    return elapsed


def smallest_example() -> Path:
    """The smallest scenario in examples/scenarios (by bytes): the one figure (d3) simulates."""
    root = Path(__file__).resolve().parent.parent / "examples" / "scenarios"
    return min(root.glob("*.yaml"), key=lambda p: (p.stat().st_size, p.name))


def figure_d(s: Settings) -> list[Figure]:
    baseline = [sys.executable, "-c", "pass"]
    out = []
    example = smallest_example()
    commands = [
        ("d", "`collegium --help` wall time", cli_command(), 200.0),
        (
            "d3",
            f"`collegium simulate {example.name}` wall",
            [*cli_command()[:-1], "simulate", str(example)],
            400.0,
        ),  # issue 17's target
        (
            "d2",
            "`import collegium.engine.engine` wall",
            [sys.executable, "-c", "import collegium.engine.engine"],
            200.0,
        ),
    ]
    for key, name, cmd, target in (
        commands if s.mode != "quick" else commands[:2]
    ):  # d2 informs; quick skips it
        try:
            _wall(cmd, warm_up=True)  # warm the file cache, write the bytecode caches
            _wall(baseline)
            xs, ys = alternate(s.cli_reps, partial(_wall, cmd), partial(_wall, baseline))
        except (RuntimeError, OSError, subprocess.TimeoutExpired) as exc:
            out.append(
                Figure(
                    key,
                    name,
                    "ms",
                    None,
                    None,
                    "python -c pass",
                    target,
                    "value",
                    notes=" ".join(cmd),
                    error=str(exc),
                )
            )
            continue
        c, b = statistics.median(xs) * 1e3, statistics.median(ys) * 1e3
        info = "; informational (what any CLI command imports at least)" if key == "d2" else ""
        out.append(
            Figure(
                key,
                name,
                "ms",
                c,
                b,
                "python -c pass",
                target,
                "info" if key == "d2" else "value",
                [x * 1e3 for x in xs],
                [y * 1e3 for y in ys],
                f"median of {s.cli_reps} runs after a warm-up run (file and bytecode caches); "
                f"{c - b:.0f} ms over the interpreter{info}",
            )
        )
    return out


FIGURES: dict[str, Callable[[Settings], Figure | list[Figure]]] = {
    "a": lambda s: [figure_a(s), figure_a2(s)],
    "b": figure_b,
    "c": figure_c,
    "d": figure_d,
}


def run(
    s: Settings, only: str = "abcd", progress: Callable[[str], None] | None = None
) -> list[Figure]:
    figures: list[Figure] = []
    for key in only:
        t = time.perf_counter()
        # each figure starts from a collected heap (the samples collect the young generations only)
        gc.collect()
        try:
            result = FIGURES[key](s)
        except Exception as exc:  # report the other figures anyway
            result = Figure(
                key,
                f"figure ({key}) failed",
                "",
                None,
                None,
                "-",
                0.0,
                "value",
                error=f"{type(exc).__name__}: {exc}",
            )
        figures.extend(result if isinstance(result, list) else [result])
        if progress is not None:
            progress(f"figure ({key}) done in {time.perf_counter() - t:.1f} s")
    return figures


def meta(s: Settings) -> dict[str, Any]:
    import platform

    import sqlalchemy
    import transitions

    return {
        "mode": s.mode,
        "settings": asdict(s),
        "python": sys.version.split()[0],
        "platform": platform.platform(),
        "sqlite": sqlite3.sqlite_version,
        "sqlalchemy": sqlalchemy.__version__,
        "transitions": transitions.__version__,
        "when": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
    }

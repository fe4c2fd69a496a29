"""Figures (f): supervision at scale. A standing committee's SQLite database holding 100,000
open tasks and 10,000 open accountability cases (quick mode: 2,000 and 200); (f1) one
supervision sweep over a day in which K tasks fall due, (f2) the "overdue by member" query, each
against raw ``sqlite3`` in the same run.

Same method as the other figures: Collegium and its floor alternate in one process, set-up is
untimed, the collector is off while timing, and the figure is the median of the repetitions.

The set-up writes exactly the rows the engine writes, because the engine writes them: every
decision, task and case is made by ``Engine.fire`` on an in-memory engine, one decision (and
its tasks) at a time, and each such chunk's rows are then copied into the SQLite file with
bulk ``INSERT``s (the in-memory store keeps the very records the SQL store would write).
:func:`check_copy` proves the copy on a small population built both ways — through the copy
and straight through ``Engine.open`` — table by table, and every run checks the whole database
with ``Engine.verify_audit()``.
"""

from __future__ import annotations

import datetime as dt
import random
import shutil
import sqlite3
import statistics
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from benchmarks import pragmas
from benchmarks import scenario as sc
from benchmarks.bench_core import Figure, Settings, _timed, alternate, temp_dir
from collegium.engine import indexing, queries
from collegium.engine.clock import ManualClock, SequentialIds, format_time, parse_time
from collegium.engine.engine import Engine
from collegium.engine.scheduler import REMIND
from collegium.store.memstore import MemoryStore
from collegium.store.records import EVENT_FORMAT, EventRecord
from collegium.store.sqlrows import event_values, instance_values

DAY = dt.timedelta(days=1)
#: the "now" of the populated database: four months after the decisions were
#: taken (sc.START + a few days)
T0 = sc.START + dt.timedelta(days=120)
LEADS = tuple(f"m{i}" for i in range(1, 10))  # the nine standing members lead the tasks in turn
DEPARTMENTS = tuple(
    f"{name} bureau"
    for name in (
        "transport",
        "education",
        "health",
        "finance",
        "housing",
        "water",
        "energy",
        "agriculture",
        "culture",
        "justice",
        "labour",
        "commerce",
        "environment",
        "planning",
        "tourism",
        "sports",
        "science",
        "veterans",
        "civil",
        "audit",
    )
)
TARGET: dict[str, Any] = {
    "metric": "roads",
    "unit": "km",
    "baseline": 0,
    "target": 40,
    "target_kind": "business",
}


@dataclass(frozen=True, slots=True)
class SupervisionSettings:
    """How much (f) does in a mode. ``tasks`` open tasks (``in_progress``, deadlines over the year
    after :data:`T0`) and ``cases`` open cases (each opened by a task missed before T0, since
    closed as missed), in chunks of ``per_decision`` tasks per adopted decision; a database a tenth
    that size for the size scaling."""

    tasks: int
    cases: int
    small_tasks: int
    small_cases: int
    per_decision: int
    k: int  # tasks falling due on a measured day of (f1)
    k_low: int  # the two K of the K scaling
    k_high: int
    reps: int  # (f1) and (f2) repetitions
    scale_reps: int  # repetitions of each side of the two scalings
    past: float  # share of the open tasks past their deadline when (f2) asks
    query_loops: int  # (f2) calls per sample


QUICK = SupervisionSettings(
    tasks=2_000,
    cases=200,
    small_tasks=200,
    small_cases=20,
    per_decision=1_000,
    k=30,
    k_low=15,
    k_high=60,
    reps=5,
    scale_reps=3,
    past=0.02,
    query_loops=3,
)
FULL = SupervisionSettings(
    tasks=100_000,
    cases=10_000,
    small_tasks=10_000,
    small_cases=1_000,
    per_decision=1_000,
    k=100,
    k_low=50,
    k_high=200,
    reps=11,
    scale_reps=5,
    past=0.02,
    query_loops=1,
)
#: the suite's check that (f) runs (tests/test_benchmarks.py): every step
#: of the figure, at a toy size
TINY = SupervisionSettings(
    tasks=300,
    cases=30,
    small_tasks=100,
    small_cases=10,
    per_decision=100,
    k=10,
    k_low=5,
    k_high=20,
    reps=1,
    scale_reps=1,
    past=0.05,
    query_loops=1,
)


def settings_for(s: Settings) -> SupervisionSettings:
    return {"quick": QUICK, "full": FULL}.get(s.mode, TINY)


# -- the population --------------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class TaskPlan:
    title: str
    lead: str
    departments: tuple[str, ...]
    deadline: str
    missed: bool  # deadline before T0: reviewed (overdue, a case opened), then closed as missed


def review_day(i: int) -> int:
    """The calendar day after T0 (0 is the day from T0 to T0 + 1 day) of the ``i``-th day of
    reviews. Reviews fall on odd days only and nothing else is due then; each even day before
    one holds only reminders (those of the reviews one day and seven days later), so each
    sweep times one kind of step."""
    return 2 * i + 1


def reminders_by_day(
    plans: list[TaskPlan], leads: tuple[dt.timedelta, ...], days: int
) -> list[int]:
    """Reminders due on the day before each day of reviews: the open tasks' reminders (``leads``
    before the deadline) after T0 (those before are sent by the sweep at T0 that reviews the
    missed tasks). Deadlines lie strictly inside a day and the leads are whole days, so no
    reminder falls on a day's boundary; with leads of an odd number of days (P1D, P7D) no
    reminder falls on a day of reviews."""
    out = [0] * days
    for p in plans:
        if p.missed:
            continue
        deadline = parse_time(p.deadline)
        for lead in leads:
            day = (deadline - lead - T0) // DAY
            if not 0 <= day < review_day(days):
                continue
            if day % 2:
                raise AssertionError(
                    f"a reminder {lead} ahead falls on day {day}, a day of reviews: (f1) needs "
                    f"reminder leads of an odd number of days"
                )
            out[day // 2] += 1
    return out


def sweep_days(ss: SupervisionSettings, big: bool) -> list[int]:
    """Tasks due on each of the first days after T0, in the order the runs sweep them. The big
    database: the warm-up day, (f1)'s repetitions, the K-scaling pairs (in the order
    :func:`alternate` runs them), the size-scaling warm-up and repetitions; the small one: a warm-up
    day and the size-scaling repetitions."""
    if not big:
        return [ss.k] * (1 + ss.scale_reps)
    pairs = [ss.k_low, ss.k_high] + [
        k
        for i in range(ss.scale_reps)
        for k in ((ss.k_low, ss.k_high) if i % 2 == 0 else (ss.k_high, ss.k_low))
    ]
    return [ss.k] * (1 + ss.reps) + pairs + [ss.k] * (1 + ss.scale_reps)


def population(tasks: int, cases: int, days: list[int], seed: int = 7) -> list[TaskPlan]:
    """Every task, in the order they are assigned. Deadlines: ``days[i]`` tasks due within calendar
    day :func:`review_day` ``(i)`` after T0 (none exactly at a day's end), the other open tasks
    spread over the rest of the year from a week after the last of those days (so none of their
    reminders falls among them); missed tasks spread between ten days after the decisions and a day
    before T0. Shuffled, so due tasks lie all over the tables."""
    rng = random.Random(seed)
    if sum(days) > tasks:
        raise ValueError(
            f"{sum(days)} tasks would fall due on the measured days, only {tasks} are open"
        )
    second = dt.timedelta(seconds=1)

    def within(start: dt.datetime, end: dt.datetime) -> str:  # strictly inside (start, end)
        span = int((end - start) / second) - 2
        return format_time(start + (1 + rng.randrange(span)) * second)

    deadlines = [
        within(T0 + review_day(i) * DAY, T0 + (review_day(i) + 1) * DAY)
        for i, k in enumerate(days)
        for _ in range(k)
    ]
    rest = T0 + (review_day(len(days)) + 7) * DAY
    deadlines += [within(rest, T0 + 365 * DAY) for _ in range(tasks - len(deadlines))]
    missed = [within(sc.START + 10 * DAY, T0 - DAY) for _ in range(cases)]
    kinds = [(d, False) for d in deadlines] + [(d, True) for d in missed]
    rng.shuffle(kinds)
    out = []
    for i, (deadline, is_missed) in enumerate(kinds):
        first = rng.randrange(len(DEPARTMENTS))
        depts = (
            (DEPARTMENTS[first],)
            if i % 3
            else (DEPARTMENTS[first], DEPARTMENTS[(first + 7) % len(DEPARTMENTS)])
        )
        out.append(TaskPlan(f"task {i + 1}", LEADS[i % len(LEADS)], depts, deadline, is_missed))
    return out


def run_chunk(engine: Engine, clock: ManualClock, plans: list[TaskPlan]) -> None:
    """One decision and its tasks, as the committee's office would make them: the decision is taken
    (P1, from proposal to adoption in a meeting), published and handed over; each task is assigned,
    gets its measurable target and is started by its lead member; the decision goes into execution.
    At T0 the sweep reviews the tasks whose deadline passed (each goes ``overdue`` and opens its
    accountability case) and the secretary closes them as missed; the cases stay open
    (``inquiry``). The same sweep sends the reminders due by T0: those of the missed tasks, and
    those of the tasks due within a week."""
    clock.set(sc.START)
    (iid,) = sc.start_in_deliberation(engine, 1)
    sc.run_engine(engine, clock, [iid], [sc.measured_steps(clock.now())])
    engine.fire(iid, "publish", "sec", {"audience": "public"})
    engine.fire(iid, "hand_over", "sec")
    fire = engine.fire
    for p in plans:
        tid = fire(
            iid,
            "assign",
            "sec",
            {
                "title": p.title,
                "lead_member": p.lead,
                "departments": list(p.departments),
                "deadline": p.deadline,
            },
        ).started[0]
        fire(tid, "set_target", p.lead, TARGET)
        fire(tid, "start_work", p.lead)
    fire(iid, "start_execution", "sec")
    clock.set(T0)
    # the decision's briefings, never given, are missed too: one more case, on the briefing
    runs = [run for run in engine.run_due() if run.timer.trigger == "review"]
    reviews = [run for run in runs if run.timer.lead == 0]
    if len(reviews) != sum(p.missed for p in plans):
        raise AssertionError(
            f"{len(reviews)} tasks reviewed at T0, {sum(p.missed for p in plans)} planned as missed"
        )
    for run in runs:
        assert run.outcome is not None and (
            run.timer.lead or run.outcome.instance.state == "overdue"
        ), run
    for run in reviews:
        assert run.outcome is not None and len(run.outcome.started) == 1
        fire(run.timer.instance_id, "close_missed", "sec")


_COLUMNS = {
    "collegium_instances": (
        "id",
        "procedure",
        "procedure_version",
        "pack",
        "pack_version",
        "state",
        "version",
        "facts",
        "parent_id",
        "head_hash",
        "event_count",
        "created_at",
        "updated_at",
    ),
    "collegium_events": (
        "instance_id",
        "seq",
        "trigger",
        "actor",
        "source",
        "dest",
        "at",
        "data",
        "verdict",
        "effects",
        "facts_sha",
        "prev_hash",
        "hash",
        "idempotency_key",
        "format_version",
    ),
}


def _insert(table: str, columns: tuple[str, ...], named: bool = False, verb: str = "INSERT") -> str:
    names = ", ".join(f'"{c}"' for c in columns)
    marks = ", ".join(f":{c}" if named else "?" for c in columns)
    return f"{verb} INTO {table} ({names}) VALUES ({marks})"


def _views_stated_at(
    meetings: Iterable[str], events: Iterable[EventRecord]
) -> dict[tuple[str, str], str]:
    """(meeting, person) -> when the person stated a view there: the ``at`` of a ``state_view``
    event, at the instance's meeting last opened before it (a meeting's id is
    ``instance/seq of the step that opened it``)."""
    opened: dict[str, list[int]] = {}
    for meeting in meetings:
        iid, seq = meeting.rsplit("/", 1)
        opened.setdefault(iid, []).append(int(seq))
    stated: dict[tuple[str, str], str] = {}
    for e in events:
        if e.trigger == "state_view":
            seq = max(s for s in opened[e.instance_id] if s < e.seq)
            stated[(f"{e.instance_id}/{seq}", e.actor)] = e.at
    return stated


def copy_rows(store: MemoryStore, engine: Engine, conn: sqlite3.Connection) -> int:
    """Write the in-memory store's rows into the SQLite file, in the
    engine's storage order; rows written.

    What the SQL store would have written, table by table: instances and events (the store's
    records, encoded by the SQL store's own ``instance_values``/``event_values``), timers, the facts
    index (``indexing``, as a commit writes it), the decisions' meeting seats and named votes, and
    the outbox's pending entries (read from the memory store's dictionaries). The memory store
    keeps a seat's view but not when it was stated: ``view_at`` is the time of the member's
    ``state_view`` event at that meeting, as the SQL store writes it."""
    records = list(store.iter_instances())
    timers = store.due_timers("9999", 1 << 62)
    index = [
        (iid, row.name, row.value, entry.procedure)
        for iid, entry in indexing.changed(engine.registry, None, records).items()
        for row in entry.rows
    ]
    stored_events = list(store.iter_events())
    view_at = _views_stated_at(store._seats, stored_events)
    seats = [
        (meeting, person, n, role, voting, attendance, view, view_at.get((meeting, person)))
        for meeting, by_person in store._seats.items()
        for n, (person, (role, voting, attendance, view)) in enumerate(by_person.items())
    ]
    votes = [
        (ballot, voter, choice)
        for ballot, by_voter in store._votes.items()
        for voter, choice in by_voter.items()
    ]
    conn.execute("BEGIN IMMEDIATE")
    conn.executemany(
        _insert("collegium_instances", _COLUMNS["collegium_instances"], True),
        [instance_values(r) for r in records],
    )
    events = [event_values(e) for e in stored_events]
    conn.executemany(_insert("collegium_events", _COLUMNS["collegium_events"], True), events)
    conn.executemany(
        'INSERT INTO collegium_timers (instance_id, "trigger", lead_seconds, state, due_at, '
        "entered_seq) VALUES (?, ?, ?, ?, ?, ?)",
        [(t.instance_id, t.trigger, t.lead, t.state, t.due_at, t.entered_seq) for t in timers],
    )
    conn.executemany(
        "INSERT INTO collegium_facts_index (instance_id, name, value, procedure) "
        "VALUES (?, ?, ?, ?)",
        index,
    )
    conn.executemany(
        "INSERT INTO collegium_seats (meeting_id, person, seat_no, role, voting, attendance, view, "
        "view_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        seats,
    )
    conn.executemany(
        "INSERT INTO collegium_votes (ballot_id, voter, choice) VALUES (?, ?, ?)", votes
    )
    # the outbox's pending entries, in commit order (the table numbers them
    # as the engine's commits would)
    outbox = [(e.instance_id, e.seq) for e in store._outbox.values()]
    conn.executemany("INSERT INTO collegium_outbox (instance_id, seq) VALUES (?, ?)", outbox)
    conn.execute("COMMIT")
    return (
        len(records)
        + len(events)
        + len(timers)
        + len(index)
        + len(seats)
        + len(votes)
        + len(outbox)
    )


def definitions(engine: Engine) -> list[tuple[str, str, str, str]]:
    """The definition texts the engine stores with the first instance
    of each procedure used here."""
    out = {}
    for name in ("major_decision", "assignment", "briefing", "accountability"):
        for d in engine.registry.texts_of(engine.registry.compiled(name)):
            out[(d.kind, d.key)] = (d.kind, d.key, d.sha256, d.text)
    return list(out.values())


@dataclass(slots=True)
class Populated:
    path: Path
    ids: SequentialIds
    plans: list[TaskPlan]
    days: list[int]  # reviews due on each day of reviews
    reminders: list[int]  # reminders due on the day before each day of reviews
    seconds: float


def build(path: Path, tasks: int, cases: int, days: list[int], per_decision: int) -> Populated:
    """A SQLite file with the body, ``ceil((tasks + cases) / per_decision)``
    decisions and their tasks and cases."""
    t = time.perf_counter()
    plans = population(tasks, cases, days)
    ids = SequentialIds()
    with Engine.open(
        str(path), clock=ManualClock(sc.START), ids=ids
    ) as sql:  # as check_copy defines it
        sql.define_body(sc.BODY)
        texts = definitions(sql)
        registry = sql.registry  # compiled once, shared by the chunks' engines
        leads = tuple(
            lead
            for timer in registry.procedure("assignment").states["in_progress"].timers
            if timer.trigger == "review"
            for lead in timer.remind
        )
    conn = pragmas.connect(path)
    try:
        conn.execute("BEGIN IMMEDIATE")
        conn.executemany(
            "INSERT INTO collegium_definitions (kind, key, sha256, text) VALUES (?, ?, ?, ?)", texts
        )
        conn.execute("COMMIT")
        for start in range(0, len(plans), per_decision):
            clock = ManualClock(sc.START)
            engine = Engine.in_memory(clock=clock, ids=ids, registry=registry)
            engine.define_body(sc.BODY)
            run_chunk(engine, clock, plans[start : start + per_decision])
            assert isinstance(engine.store, MemoryStore)
            copy_rows(engine.store, engine, conn)
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        conn.close()
    return Populated(
        path, ids, plans, days, reminders_by_day(plans, leads, len(days)), time.perf_counter() - t
    )


def table_rows(path: Path) -> dict[str, list[tuple[Any, ...]]]:
    conn = sqlite3.connect(path)
    try:
        names = [
            r[0]
            for r in conn.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' "
                "AND name LIKE 'collegium_%' ORDER BY name"
            )
        ]
        return {n: sorted(conn.execute(f"SELECT * FROM {n}").fetchall(), key=repr) for n in names}
    finally:
        conn.close()


def check_copy(root: Path) -> None:
    """Build a small population twice — through the in-memory engine and the bulk copy, and
    straight through ``Engine.open`` on SQLite with the same ids and clock — and require every
    table to hold the same rows."""
    plans = population(12, 3, [2, 1])
    copied = build(root / "check-copy.db", 12, 3, [2, 1], per_decision=15)
    assert copied.plans == plans
    clock = ManualClock(sc.START)
    with Engine.open(str(root / "check-direct.db"), clock=clock, ids=SequentialIds()) as direct:
        direct.define_body(sc.BODY)
        run_chunk(direct, clock, plans)
    a, b = table_rows(root / "check-copy.db"), table_rows(root / "check-direct.db")
    for name in sorted(set(a) | set(b)):
        if a.get(name) != b.get(name):
            raise AssertionError(f"the bulk copy differs from the engine's own rows in {name}")


# -- (f1) the sweep --------------------------------------------------------------------------------
class Sweeper:
    """Collegium's side of (f1): ``engine.run_due(until)`` over the next two days of the populated
    database (the clock set to each day's end): a day of reminders only (an event each, the task
    stays ``in_progress``), then a day of K reviews only (each task ``overdue``, one case opened
    each). Each day is timed on its own."""

    def __init__(self, db: Populated) -> None:
        self.clock = ManualClock(T0)
        self.engine = Engine.open(str(db.path), clock=self.clock, ids=db.ids)
        self.days, self.reminders = db.days, db.reminders
        self.day = 0
        self.last: list[tuple[str, str]] = []  # (task, case) of the latest day of reviews
        self.reminded: list[str] = []  # the tasks reminded on the latest day of reminders
        self.reminder_times: list[float] = []  # seconds per reminder of each day of reminders swept

    def _run_day(self, day: int, expected: int, reminders: bool) -> tuple[float | None, list[Any]]:
        until = T0 + (day + 1) * DAY
        self.clock.set(until)
        runs: list[Any] = []
        if expected:
            per: float | None = _timed(lambda: len(runs.extend(self.engine.run_due(until)) or runs))
        else:
            per, runs = None, self.engine.run_due(until)
        if len(runs) != expected or any(bool(run.timer.lead) != reminders for run in runs):
            kinds = (
                sum(1 for run in runs if run.timer.lead),
                sum(1 for run in runs if not run.timer.lead),
            )
            raise AssertionError(
                f"the sweep of day {day} fired {kinds[0]} reminders and {kinds[1]} reviews; "
                f"{expected} {'reminders' if reminders else 'reviews'} and nothing else were due"
            )
        return per, runs

    def sweep(self, k: int | None = None) -> float:
        """Seconds per review of the next day of reviews (which must have ``k`` due,
        when given), after the day of reminders before it (its time per reminder goes
        to :attr:`reminder_times`)."""
        i, self.day = self.day, self.day + 1
        if k is not None and self.days[i] != k:
            raise AssertionError(f"day of reviews {i} has {self.days[i]} tasks due, not {k}")
        per_reminder, runs = self._run_day(review_day(i) - 1, self.reminders[i], reminders=True)
        self.reminded = []
        for run in runs:
            out = run.outcome
            assert (
                out is not None
                and out.instance.state == "in_progress"
                and out.event.trigger == REMIND
            ), run
            self.reminded.append(out.instance.id)
        if per_reminder is not None:
            self.reminder_times.append(per_reminder)
        per, runs = self._run_day(review_day(i), self.days[i], reminders=False)
        self.last = []
        for run in runs:
            out = run.outcome
            assert out is not None and out.instance.state == "overdue" and len(out.started) == 1, (
                run
            )
            self.last.append((out.instance.id, out.started[0]))
        assert per is not None
        return per

    def close(self) -> None:
        self.engine.close()


_DUE = (
    'SELECT instance_id, "trigger", state, due_at, entered_seq, lead_seconds FROM collegium_timers '
    'WHERE due_at <= ? ORDER BY due_at, instance_id, "trigger", lead_seconds LIMIT ?'
)
_LOAD = "SELECT * FROM collegium_instances WHERE id = ?"
_ENTERED = (
    'SELECT entered_seq FROM collegium_timers WHERE instance_id = ? AND "trigger" = ? '
    "AND lead_seconds = ?"
)
_KEYED = "SELECT * FROM collegium_events WHERE instance_id = ? AND idempotency_key = ?"
_BODY = (
    "SELECT b.id, b.kind, b.title, m.person, m.role, m.voting, m.name FROM collegium_bodies b "
    "LEFT OUTER JOIN collegium_members m ON m.body_id = b.id WHERE b.id = ? ORDER BY m.position"
)
_UPDATE = (
    "UPDATE collegium_instances SET state = ?, version = ?, facts = ?, head_hash = ?, "
    "event_count = ?, updated_at = ? WHERE id = ? AND version = ?"
)
_EVENT = _insert("collegium_events", _COLUMNS["collegium_events"])
_INSTANCE = _insert("collegium_instances", _COLUMNS["collegium_instances"])
_INDEX = (
    "INSERT INTO collegium_facts_index (instance_id, name, value, procedure) VALUES (?, ?, ?, ?)"
)
_DROP = "DELETE FROM collegium_timers WHERE instance_id = ?"
_DROP_ONE = (
    'DELETE FROM collegium_timers WHERE instance_id = ? AND "trigger" = ? AND lead_seconds = ? '
    "AND entered_seq = ?"
)
_OUTBOX = "INSERT INTO collegium_outbox (instance_id, seq) VALUES (?, ?)"
_EVENT_COLUMNS = (
    '"trigger", actor, source, dest, at, data, verdict, effects, facts_sha, prev_hash, hash'
)


@dataclass(frozen=True, slots=True)
class ReviewRows:
    """The rows one review step wrote in Collegium, as text: the task's new row and event, the
    case's row, event and index rows."""

    task: tuple[Any, ...]  # state, facts, head_hash, updated_at
    task_event: tuple[Any, ...]  # trigger … hash (no instance, seq or key)
    case: tuple[Any, ...]  # procedure … updated_at (no id, no parent)
    case_event: tuple[Any, ...]  # trigger … idempotency_key
    case_index: tuple[tuple[str, str, str], ...]  # name, value, procedure


@dataclass(frozen=True, slots=True)
class ReminderRows:
    """The rows one reminder wrote in Collegium, as text: the task's new row and its event."""

    task: tuple[Any, ...]  # state, facts, head_hash, updated_at
    task_event: tuple[Any, ...]  # trigger … hash (no instance, seq or key)


def _latest(conn: sqlite3.Connection, task: str) -> tuple[tuple[Any, ...], tuple[Any, ...]]:
    return (
        conn.execute(
            "SELECT state, facts, head_hash, updated_at FROM collegium_instances WHERE id = ?",
            (task,),
        ).fetchone(),
        conn.execute(
            f"SELECT {_EVENT_COLUMNS} FROM collegium_events "
            f"WHERE instance_id = ? ORDER BY seq DESC LIMIT 1",
            (task,),
        ).fetchone(),
    )


def reminder_rows(path: Path, tasks: list[str]) -> list[ReminderRows]:
    """What Collegium wrote for the reminders of ``tasks`` (each task's latest step),
    read back from its database."""
    conn = sqlite3.connect(path)
    try:
        return [ReminderRows(*_latest(conn, task)) for task in tasks]
    finally:
        conn.close()


def review_rows(path: Path, done: list[tuple[str, str]]) -> list[ReviewRows]:
    """What Collegium wrote for the reviews of ``done`` (task, case),
    read back from its database."""
    conn = sqlite3.connect(path)
    out = []
    try:
        ev = _EVENT_COLUMNS
        for task, case in done:
            out.append(
                ReviewRows(
                    *_latest(conn, task),
                    conn.execute(
                        "SELECT procedure, procedure_version, pack, pack_version, state, version, "
                        "facts, head_hash, event_count, created_at, updated_at "
                        "FROM collegium_instances WHERE id = ?",
                        (case,),
                    ).fetchone(),
                    conn.execute(
                        f"SELECT {ev}, idempotency_key FROM collegium_events WHERE instance_id = ?",
                        (case,),
                    ).fetchone(),
                    tuple(
                        conn.execute(
                            "SELECT name, value, procedure FROM collegium_facts_index "
                            "WHERE instance_id = ? ORDER BY name, value",
                            (case,),
                        ).fetchall()
                    ),
                )
            )
    finally:
        conn.close()
    return out


class ReviewStatements:
    """(f1)'s floor: a copy of the populated database, plain ``sqlite3`` with the engine's pragmas,
    sweeping the same days: per day the ``SELECT`` of the due timers (500 at a time, as the engine
    pages them), then per due timer the statements its step needs, with Collegium's row texts (from
    its warm-up sweep, cycled). A review: ``BEGIN IMMEDIATE``; load the task; its timer's entry; was
    the timer's key used; the body; the version-guarded ``UPDATE`` of the task; ``INSERT`` the case,
    the task's event and its outbox entry, the case's event and its outbox entry, the case's three
    index rows; ``DELETE`` the task's timers; ``COMMIT``. A reminder: ``BEGIN IMMEDIATE``; load the
    task; its timer's entry; was the key used; the ``UPDATE``, the event and its outbox entry;
    ``COMMIT``; then ``DELETE`` the reminder's timer row."""

    def __init__(self, path: Path, db: Populated, engine: Engine) -> None:
        self.conn = pragmas.connect(path)
        pragmas.check_same(engine, self.conn)
        self.days, self.reminders = db.days, db.reminders
        self.day = 0
        self.rows: list[ReviewRows] = []
        self.reminder_rows: list[ReminderRows] = []
        self.reminder_times: list[float] = []
        self.serial = 0
        self.reminded = 0

    def _begin(
        self, tid: str, trigger: str, entered_seq: int, key: str, lead: int
    ) -> tuple[int, int]:
        execute = self.conn.execute
        execute("BEGIN IMMEDIATE")
        task = execute(_LOAD, (tid,)).fetchone()
        if execute(_ENTERED, (tid, trigger, lead)).fetchone()[0] != entered_seq:
            raise AssertionError("the floor's timer moved")
        if execute(_KEYED, (tid, key)).fetchone() is not None:
            raise AssertionError("the floor's timer fired twice")
        return task[6], task[10]  # version, event_count

    def _review(self, tid: str, trigger: str, entered_seq: int, key: str) -> None:
        execute, r = self.conn.execute, self.rows[self.serial % len(self.rows)]
        case = f"floor-case-{self.serial}"
        self.serial += 1
        version, seq = self._begin(tid, trigger, entered_seq, key, 0)
        execute(_BODY, ("sc",)).fetchall()
        new_state, facts, head, at = r.task
        if (
            execute(
                _UPDATE, (new_state, version + 1, facts, head, seq + 1, at, tid, version)
            ).rowcount
            != 1
        ):
            raise AssertionError("the floor lost its version guard")
        execute(_INSTANCE, (case, *r.case[:7], tid, *r.case[7:]))
        execute(_EVENT, (tid, seq + 1, *r.task_event, key, EVENT_FORMAT))
        execute(_OUTBOX, (tid, seq + 1))
        execute(_EVENT, (case, 1, *r.case_event, EVENT_FORMAT))
        execute(_OUTBOX, (case, 1))
        self.conn.executemany(
            _INDEX, [(case, name, value, proc) for name, value, proc in r.case_index]
        )
        execute(_DROP, (tid,))
        execute("COMMIT")

    def _remind(
        self, tid: str, trigger: str, state: str, entered_seq: int, lead: int, key: str
    ) -> None:
        execute, m = self.conn.execute, self.reminder_rows[self.reminded % len(self.reminder_rows)]
        self.reminded += 1
        version, seq = self._begin(tid, trigger, entered_seq, key, lead)
        _, facts, head, at = m.task
        if (
            execute(_UPDATE, (state, version + 1, facts, head, seq + 1, at, tid, version)).rowcount
            != 1
        ):
            raise AssertionError("the floor lost its version guard")
        execute(_EVENT, (tid, seq + 1, *m.task_event, key, EVENT_FORMAT))
        execute(_OUTBOX, (tid, seq + 1))
        execute("COMMIT")
        execute(_DROP_ONE, (tid, trigger, lead, entered_seq))

    def _run_day(self, day: int, expected: int, reminders: bool) -> float | None:
        until = format_time(T0 + (day + 1) * DAY)
        execute = self.conn.execute

        def run() -> int:
            done = 0
            while True:
                due = execute(_DUE, (until, 500)).fetchall()
                for tid, trigger, state, _due_at, entered_seq, lead in due:
                    if bool(lead) != reminders:
                        raise AssertionError(
                            f"the floor found a {'review' if not lead else 'reminder'} due on day "
                            f"{day}"
                        )
                    key = f"timer:{state}:{trigger}:{entered_seq}" + (
                        f":{lead}" if lead else ""
                    )  # as timer_key
                    if lead:
                        self._remind(tid, trigger, state, entered_seq, lead, key)
                    else:
                        self._review(tid, trigger, entered_seq, key)
                    done += 1
                if len(due) < 500:
                    break
            if done != expected:
                raise AssertionError(
                    f"the floor found {done} timers due on day {day}, {expected} planned"
                )
            return done

        if not expected:
            run()
            return None
        return _timed(run)

    def sweep(self, k: int | None = None) -> float:
        i, self.day = self.day, self.day + 1
        if k is not None and self.days[i] != k:
            raise AssertionError(f"day of reviews {i} has {self.days[i]} tasks due, not {k}")
        per_reminder = self._run_day(review_day(i) - 1, self.reminders[i], reminders=True)
        if per_reminder is not None:
            self.reminder_times.append(per_reminder)
        per = self._run_day(review_day(i), self.days[i], reminders=False)
        assert per is not None
        return per

    def close(self) -> None:
        self.conn.close()


# -- (f2) overdue by member ------------------------------------------------------------------------
# the lead member's index row, by its key
_LEAD = "JOIN collegium_facts_index lm ON lm.instance_id = t.id AND lm.name = 'lead_member'"
_OVERDUE = (
    "SELECT lm.value, t.* FROM collegium_facts_index d "
    "JOIN collegium_instances t ON t.id = d.instance_id "
    f"{_LEAD} "
    "WHERE d.procedure = 'assignment' AND d.name = 'deadline' AND d.value < ? "
    "AND t.state IN ('drafting', 'in_progress') "
    # CROSS: t drives (SQLite)
    f"UNION ALL SELECT lm.value, t.* FROM collegium_instances t CROSS {_LEAD} "
    "WHERE t.procedure = 'assignment' AND t.state = 'overdue'"
)


def overdue_floor(conn: sqlite3.Connection, at: str) -> dict[str, list[tuple[Any, ...]]]:
    """The bare SQL of "overdue by member": the task rows (open and past ``at``, or found overdue)
    with their lead member, grouped by it."""
    groups: dict[str, list[tuple[Any, ...]]] = {}
    for row in conn.execute(_OVERDUE, (at,)):
        groups.setdefault(row[0], []).append(row)
    return groups


def figure_f2(ss: SupervisionSettings, engine: Engine, db: Populated) -> Figure:
    open_deadlines = sorted(p.deadline for p in db.plans if not p.missed)
    past = round(ss.past * len(open_deadlines))
    at_text = open_deadlines[past]
    at = parse_time(at_text)
    conn = pragmas.connect(db.path)
    try:
        ours = queries.overdue_tasks(
            engine, at=at
        )  # warm-up, and the check that both select the same tasks
        theirs = overdue_floor(conn, at_text)
        pairs = {(m, i.id) for m, found in ours.items() for i in found}
        if (
            pairs != {(m, row[1]) for m, rows in theirs.items() for row in rows}
            or len(pairs) != past
        ):
            raise AssertionError(
                f"overdue by member: Collegium found {len(pairs)} (member, task) pairs, the bare "
                f"SQL {sum(map(len, theirs.values()))}, {past} tasks are past their deadline"
            )
        loops = ss.query_loops

        def collegium() -> int:
            for _ in range(loops):
                queries.overdue_tasks(engine, at=at)
            return loops

        def floor() -> int:
            for _ in range(loops):
                overdue_floor(conn, at_text)
            return loops

        xs, ys = alternate(ss.reps, lambda: _timed(collegium), lambda: _timed(floor))
    finally:
        conn.close()
    return Figure(
        "f2",
        f"overdue by member, {past:,} of {len(open_deadlines):,} past",
        "ms/query",
        statistics.median(xs) * 1e3,
        statistics.median(ys) * 1e3,
        "bare SQL join, grouped",
        3.0,
        "ratio",
        [x * 1e3 for x in xs],
        [y * 1e3 for y in ys],
        f"queries.overdue_tasks(engine, at) when {ss.past:.0%} of the open tasks are past their "
        f"deadline (not yet swept), {len(ours)} members; floor: one SELECT joining the deadline "
        f"and lead-member index rows to the task rows (UNION ALL the tasks found overdue), "
        f"grouped by member in Python; both return the same (member, task) pairs; "
        f"median of {ss.reps} samples of {loops} calls",
    )


# -- the figures -----------------------------------------------------------------------------------
def _span(values: list[int]) -> str:
    low, high = min(values), max(values)
    return f"{low:,}" if low == high else f"{low:,}–{high:,}"


def _us(xs: list[float]) -> list[float]:
    return [x * 1e6 for x in xs]


def figure_f(s: Settings) -> list[Figure]:
    ss = settings_for(s)
    figures: list[Figure] = []
    with temp_dir() as root:
        t = time.perf_counter()
        check_copy(root)
        big = build(root / "big.db", ss.tasks, ss.cases, sweep_days(ss, True), ss.per_decision)
        small = build(
            root / "small.db",
            ss.small_tasks,
            ss.small_cases,
            sweep_days(ss, False),
            ss.per_decision,
        )
        audited = []
        for db in (big, small):
            with Engine.open(str(db.path), clock=ManualClock(T0)) as engine:
                report = engine.verify_audit()
            if not report.ok:
                raise AssertionError(f"the populated database fails the audit: {report.problem}")
            audited.append(f"{report.instances:,} instances, {report.events:,} events")
        shutil.copyfile(big.path, root / "floor.db")  # (f1)'s floors start from the same rows
        shutil.copyfile(small.path, root / "floor-small.db")
        setup = (
            f"set-up {time.perf_counter() - t:.0f} s (untimed): every row made by Engine.fire "
            f"in memory and copied (check_copy: identical to Engine.open's own rows), "
            f"verify_audit ok on {audited[0]} and {audited[1]}"
        )
        sweeper = Sweeper(big)
        floor = ReviewStatements(root / "floor.db", big, sweeper.engine)
        little = Sweeper(small)
        floor_small = ReviewStatements(root / "floor-small.db", small, little.engine)
        try:
            figures.append(figure_f2(ss, sweeper.engine, big))

            # (f1): warm-up days on both sides; the floor replays the rows of Collegium's
            # warm-up sweep
            sweeper.sweep(ss.k)
            floor.rows = review_rows(big.path, sweeper.last)
            floor.reminder_rows = reminder_rows(big.path, sweeper.reminded)
            if not floor.reminder_rows:
                raise AssertionError(
                    "the warm-up day sent no reminders: the floor has no reminder rows to replay"
                )
            floor.sweep(ss.k)
            figures.append(_selection(ss, sweeper, floor))
            first = sweeper.day
            sweeper.reminder_times.clear()
            floor.reminder_times.clear()
            xs, ys = alternate(ss.reps, lambda: sweeper.sweep(ss.k), lambda: floor.sweep(ss.k))
            rx, ry = list(sweeper.reminder_times), list(floor.reminder_times)
            sent = big.reminders[first : sweeper.day]
            figures.append(
                Figure(
                    "f1",
                    f"sweep a day, {ss.k} due of {ss.tasks:,} open",
                    "µs/due task",
                    statistics.median(xs) * 1e6,
                    statistics.median(ys) * 1e6,
                    "raw sqlite3, the review's SQL",
                    3.0,
                    "ratio",
                    _us(xs),
                    _us(ys),
                    f"engine.run_due(until) over one day in which {ss.k} of {ss.tasks:,} "
                    f"in_progress tasks fall due and nothing else ({ss.cases:,} open cases); "
                    f"each review goes overdue and opens a case; median of {ss.reps} days; "
                    f"floor: a copy of the database, per day the SELECT of the due timers, "
                    f"per task the statements of a review step with Collegium's row texts "
                    f"(see README). {setup}",
                )
            )
            figures.append(
                Figure(
                    "f1r",
                    f"  sweep a day of {_span(sent)} reminders",
                    "µs/reminder",
                    statistics.median(rx) * 1e6,
                    statistics.median(ry) * 1e6,
                    "raw sqlite3, the reminder's SQL",
                    3.0,
                    "ratio",
                    _us(rx),
                    _us(ry),
                    "the day before each day of (f1) holds only reminders "
                    "(P1D before that day's deadlines, P7D before those three days of reviews "
                    "later), each an event of its own; swept and timed the same way; "
                    f"median of {len(rx)} days",
                )
            )

            # (f1k): K scaling on the big database; each sweep followed by the floor's sweep of the
            # same day, so the notes can say how the floor scales
            floors: dict[tuple[str, int], list[float]] = {}

            def paired(
                engine_side: Sweeper, floor_side: ReviewStatements, k: int, name: str
            ) -> Callable[[], float]:
                def run() -> float:
                    per = engine_side.sweep(k)
                    floors.setdefault((name, k), []).append(floor_side.sweep(k))
                    return per

                return run

            paired(sweeper, floor, ss.k_low, "big")()
            paired(sweeper, floor, ss.k_high, "big")()
            floors.clear()
            ls, hs = alternate(
                ss.scale_reps,
                paired(sweeper, floor, ss.k_low, "big"),
                paired(sweeper, floor, ss.k_high, "big"),
            )
            floor_k = statistics.median(floors[("big", ss.k_high)]) / statistics.median(
                floors[("big", ss.k_low)]
            )
            figures.append(
                Figure(
                    "f1k",
                    f"  sweep, K={ss.k_high} vs K={ss.k_low} due",
                    "µs/due task",
                    statistics.median(hs) * 1e6,
                    statistics.median(ls) * 1e6,
                    f"K={ss.k_low}",
                    1.5,
                    "ratio",
                    _us(hs),
                    _us(ls),
                    f"per due task on days of K={ss.k_high} over days of K={ss.k_low} reviews "
                    f"({ss.tasks:,} open): ≈1 when the sweep's time grows linearly with the due "
                    f"tasks; the floor's own ratio {floor_k:.2f}; median of {ss.scale_reps}",
                )
            )

            # (f1n): the same K on a database a tenth the size
            floor_small.rows, floor_small.reminder_rows = floor.rows, floor.reminder_rows
            paired(little, floor_small, ss.k, "small")()
            paired(sweeper, floor, ss.k, "big")()
            floors.clear()
            ss_, bs_ = alternate(
                ss.scale_reps,
                paired(little, floor_small, ss.k, "small"),
                paired(sweeper, floor, ss.k, "big"),
            )
            fb, fs = (
                statistics.median(floors[("big", ss.k)]),
                statistics.median(floors[("small", ss.k)]),
            )
            figures.append(
                Figure(
                    "f1n",
                    f"  sweep, {ss.tasks:,} vs {ss.small_tasks:,} open",
                    "µs/due task",
                    statistics.median(bs_) * 1e6,
                    statistics.median(ss_) * 1e6,
                    f"{ss.small_tasks:,} open tasks",
                    1.5,
                    "ratio",
                    _us(bs_),
                    _us(ss_),
                    f"per due task, K={ss.k}, on the {ss.tasks:,}-task database "
                    f"over the {ss.small_tasks:,}-task one ({ss.small_cases:,} cases): "
                    f"≈1 when the sweep does not grow with the open tasks; "
                    f"the floor's own ratio {fb / fs:.2f} ({fb * 1e6:,.0f} vs {fs * 1e6:,.0f} µs: "
                    f"SQLite's B-trees and page cache on a database ten times the size); "
                    f"median of {ss.scale_reps}, alternating",
                )
            )
        finally:
            little.close()
            floor_small.close()
            floor.close()
            sweeper.close()
    order = ("f1", "f1r", "f1t", "f1k", "f1n", "f2")
    return sorted(figures, key=lambda f: order.index(f.key))


def _selection(ss: SupervisionSettings, sweeper: Sweeper, floor: ReviewStatements) -> Figure:
    """(f1t): the query that finds the next day's due timers, Collegium's against
    the bare SELECT (same rows)."""
    until = format_time(
        T0 + (review_day(sweeper.day) + 1) * DAY
    )  # the next day of reminders and of reviews
    store = sweeper.engine.store
    loops = 20
    ours = [
        (r.instance_id, r.trigger, r.state, r.due_at, r.entered_seq, r.lead)
        for r in store.due_timers(until, 500)
    ]
    database = store.engine.url.database  # type: ignore[attr-defined]
    conn = pragmas.connect(Path(str(database)))
    try:
        due = sweeper.days[sweeper.day] + sweeper.reminders[sweeper.day]
        if ours != [tuple(r) for r in conn.execute(_DUE, (until, 500))] or len(ours) != min(
            500, due
        ):
            raise AssertionError("the due timers Collegium selects differ from the bare SELECT's")

        def collegium() -> int:
            for _ in range(loops):
                store.due_timers(until, 500)
            return loops

        def bare() -> int:
            for _ in range(loops):
                conn.execute(_DUE, (until, 500)).fetchall()
            return loops

        xs, ys = alternate(ss.reps, lambda: _timed(collegium), lambda: _timed(bare))
    finally:
        conn.close()
    return Figure(
        "f1t",
        f"  find the day's {len(ours)} due timers",
        "µs/query",
        statistics.median(xs) * 1e6,
        statistics.median(ys) * 1e6,
        "bare SELECT … ORDER BY due_at",
        3.0,
        "ratio",
        _us(xs),
        _us(ys),
        f"the store's due_timers(until, 500), as run_due calls it, against the bare SELECT of the "
        f"same rows (ix_collegium_timers_due) on the same file; "
        f"median of {ss.reps} samples of {loops} queries",
    )

"""Reminders before deadlines (issue 7, point 3): lead times declared on a timer
(``remind: [P7D, P1D]``) give events of their own — in the history, the outbox and to
subscribers — that change nothing and are never judged, exactly once, whenever and however often
the sweep runs."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import pytest

from collegium import DefinitionError, Engine, EventRecord, ManualClock, Registry, SequentialIds
from collegium.engine.clock import iso_duration
from collegium.engine.rejudge import rejudge
from tests.conftest import START, standing_committee
from tests.test_assignment import TASK, adopted
from tests.test_timers import PACK as NOTICE_PACK
from tests.test_timers import T0
from tests.test_timers import make as make_engine

PACK = NOTICE_PACK.replace("procedure: notice", "procedure: filing")

PROC = """
id: filing
version: 1
title: {en: Filing, zh-CN: 报送}
rule_pack: timers-test
facts:
  body: {type: string}
  deadline: {type: datetime}
states:
  open:
    label: {en: Open, zh-CN: 办理中}
    timers: [{trigger: lapse, at: deadline, remind: [P7D, P1D]},
             {trigger: chase, after: P30D, remind: [P3D]}]
  lapsed: {label: {en: Lapsed, zh-CN: 已逾期}}
  chased: {label: {en: Chased, zh-CN: 已催办}}
  done: {label: {en: Done, zh-CN: 已办结}, terminal: true}
initial: open
start: {roles: [chair], data: [body, deadline]}
transitions:
  - {trigger: lapse, source: open, dest: lapsed, roles: [system]}
  - {trigger: chase, source: open, dest: chased, roles: [system]}
  - {trigger: note, source: open, dest: open, roles: [chair]}
  - {trigger: finish, source: [open, lapsed, chased], dest: done, roles: [chair]}
"""


def make(url: str | None, proc: str = PROC) -> Engine:
    return make_engine(url, PACK, proc)


@pytest.fixture
def engines(db_url: str) -> Iterator[tuple[Engine, Engine]]:
    """A daily sweeper on each backend, and a one-sweep engine in memory."""
    daily, once = make(db_url), make(None)
    yield daily, once
    daily.close()
    once.close()


def clock_of(engine: Engine) -> ManualClock:
    assert isinstance(engine.clock, ManualClock)
    return engine.clock


def steps(engine: Engine, iid: str) -> list[tuple[str, str, str, str, dict[str, object]]]:
    return [(e.trigger, e.actor, e.dest, e.at, e.data) for e in engine.history(iid)]


def test_reminders_are_events_of_their_own_once_whenever_the_sweep_runs(
    engines: tuple[Engine, Engine],
) -> None:
    daily, once = engines
    for engine in engines:
        engine.start(
            "filing", "chair", {"body": "b", "deadline": "2026-01-20T09:00Z"}, instance_id="f-1"
        )
        # five days to go: the seven-day reminder is already past when the state is entered, and is
        # not sent
        engine.start(
            "filing", "chair", {"body": "b", "deadline": "2026-01-06T09:00Z"}, instance_id="f-2"
        )
    for day in range(1, 41):
        clock_of(daily).set(T0 + dt.timedelta(days=day))
        daily.run_due()
        daily.run_due()  # a second sweep at the same time writes nothing
    clock_of(once).set(T0 + dt.timedelta(days=40))
    runs = once.run_due()
    assert [(r.timer.instance_id, r.timer.name) for r in runs if r.outcome] == [
        ("f-2", "lapse -P1D"),
        ("f-2", "lapse"),
        ("f-1", "lapse -P7D"),
        ("f-1", "lapse -P1D"),
        ("f-1", "lapse"),
    ]
    assert steps(once, "f-1") == [
        (
            "start",
            "chair",
            "open",
            "2026-01-01T09:00:00.000000Z",
            {"body": "b", "deadline": "2026-01-20T09:00:00.000000Z"},
        ),
        (
            "@remind",
            "@system",
            "open",
            "2026-01-13T09:00:00.000000Z",
            {"timer": "lapse", "due_at": "2026-01-20T09:00:00.000000Z", "lead": "P7D"},
        ),
        (
            "@remind",
            "@system",
            "open",
            "2026-01-19T09:00:00.000000Z",
            {"timer": "lapse", "due_at": "2026-01-20T09:00:00.000000Z", "lead": "P1D"},
        ),
        ("lapse", "@system", "lapsed", "2026-01-20T09:00:00.000000Z", {}),
    ]  # the chase (day 30) and its reminder (day 27) went with the state the lapse left
    for iid in ("f-1", "f-2"):
        assert steps(daily, iid) == steps(once, iid)
        assert [e.hash for e in daily.history(iid)] == [e.hash for e in once.history(iid)]
    assert [e.data["lead"] for e in once.history("f-2") if e.trigger == "@remind"] == ["P1D"]
    assert daily.verify_audit().ok and once.verify_audit().ok
    assert once.get("f-1").version == 4 and once.get("f-1").facts == daily.get("f-1").facts


def test_a_command_after_a_reminder_fell_due_finds_it_recorded_first(db_url: str) -> None:
    """No sweep ran since the reminder fell due: the command records it first, so the history does
    not depend on when the sweep runs (and a reminder is never written after the step that ended
    its state)."""
    engine = make(db_url)
    try:
        engine.start(
            "filing", "chair", {"body": "b", "deadline": "2026-01-20T09:00Z"}, instance_id="f-1"
        )
        clock_of(engine).set(dt.datetime(2026, 1, 19, 12, tzinfo=dt.UTC))
        engine.fire("f-1", "finish", "chair")
        assert [(e.trigger, e.data.get("lead"), e.at[:10]) for e in engine.history("f-1")] == [
            ("start", None, "2026-01-01"),
            ("@remind", "P7D", "2026-01-13"),
            ("@remind", "P1D", "2026-01-19"),
            ("finish", None, "2026-01-19"),
        ]
        clock_of(engine).set(T0 + dt.timedelta(days=60))
        assert engine.run_due() == []  # the state is left: no reminder, no timer is due any more
    finally:
        engine.close()


def test_a_step_that_stays_keeps_the_reminders_and_leaving_drops_them(db_url: str) -> None:
    engine = make(db_url)
    try:
        engine.start(
            "filing", "chair", {"body": "b", "deadline": "2026-01-20T09:00Z"}, instance_id="f-1"
        )
        engine.fire("f-1", "note", "chair")  # stays in its state: its timers and reminders stand
        clock_of(engine).set(dt.datetime(2026, 1, 14, tzinfo=dt.UTC))
        assert [r.timer.name for r in engine.run_due()] == ["lapse -P7D"]
        engine.fire("f-1", "finish", "chair")
        clock_of(engine).set(T0 + dt.timedelta(days=60))
        assert engine.run_due() == []
        assert [e.trigger for e in engine.history("f-1")] == ["start", "note", "@remind", "finish"]
    finally:
        engine.close()


def test_reminders_reach_the_outbox_and_subscribers_and_replay_to_the_same_hashes(
    db_url: str,
) -> None:
    engine = make(db_url)
    seen: list[EventRecord] = []
    try:
        engine.subscribe(seen.append)
        engine.start(
            "filing", "chair", {"body": "b", "deadline": "2026-01-20T09:00Z"}, instance_id="f-1"
        )
        clock_of(engine).set(dt.datetime(2026, 1, 19, 10, tzinfo=dt.UTC))
        engine.run_due()
        pending = engine.outbox.pending()
        assert [(p.event.trigger, p.event.data.get("lead")) for p in pending] == [
            ("start", None),
            ("@remind", "P7D"),
            ("@remind", "P1D"),
        ]
        assert [e.trigger for e in seen] == ["start", "@remind", "@remind"]
        assert [p.event for p in pending] == seen
        report = rejudge(engine.store, PACK, registry=engine.registry)
        assert (
            report.diverged == {} and report.changed == () and report.steps == 1
        )  # a reminder is not judged
    finally:
        engine.close()


def test_a_reminder_written_but_not_yet_dropped_is_not_written_again() -> None:
    """A crash between the reminder's commit and the removal of its timer: the next sweep answers it
    again from its stored event (its idempotency key names the reminder), and writes nothing."""
    engine = make(None)
    engine.start(
        "filing", "chair", {"body": "b", "deadline": "2026-01-20T09:00Z"}, instance_id="f-1"
    )
    clock_of(engine).set(dt.datetime(2026, 1, 14, tzinfo=dt.UTC))
    [reminder] = engine.store.due_timers("2026-01-14T00:00:00.000000Z", 10)
    from collegium.engine.scheduler import remind

    first = remind(engine, reminder)
    again = remind(engine, reminder)
    assert (
        again.replayed
        and again.event == first.event
        and first.event.idempotency_key == "timer:open:lapse:1:604800"
    )
    assert [r.outcome.replayed for r in engine.run_due() if r.outcome] == [True]
    assert [e.trigger for e in engine.history("f-1")] == ["start", "@remind"]


def test_the_built_in_task_reminds_its_lead_a_week_and_a_day_before_the_deadline() -> None:
    clock = ManualClock(START)
    engine = Engine.in_memory(clock=clock, ids=SequentialIds())
    engine.define_body(standing_committee())
    task = engine.fire(adopted(engine, clock), "assign", "sec", TASK).started[0]
    clock.set(dt.datetime(2027, 1, 1, tzinfo=dt.UTC))
    engine.run_due()
    reminders = [(e.at, e.data) for e in engine.history(task) if e.trigger == "@remind"]
    assert reminders == [
        (
            "2026-12-24T10:00:00.000000Z",
            {"timer": "review", "due_at": "2026-12-31T10:00:00.000000Z", "lead": "P7D"},
        ),
        (
            "2026-12-30T10:00:00.000000Z",
            {"timer": "review", "due_at": "2026-12-31T10:00:00.000000Z", "lead": "P1D"},
        ),
    ]
    assert engine.get(task).facts["lead_member"] == "m2"  # whom the host tells: the facts say


@pytest.mark.parametrize(
    ("timers", "message"),
    [
        ("[{trigger: lapse, at: deadline, remind: [PT30S]}]", "a minute or more"),
        ("[{trigger: lapse, at: deadline, remind: [P1D, PT24H]}]", "distinct"),
        ("[{trigger: chase, after: P3D, remind: [P3D]}]", "lead < after"),
        (
            "[{trigger: lapse, at: deadline, "
            "remind: [P1D, P2D, P3D, P4D, P5D, P6D, P7D, P8D, P9D]}]",
            "at most 8",
        ),
    ],
)
def test_lead_times_are_checked_when_the_procedure_loads(timers: str, message: str) -> None:
    text = PROC.replace(
        "timers: [{trigger: lapse, at: deadline, remind: [P7D, P1D]},\n"
        "             {trigger: chase, after: P30D, remind: [P3D]}]",
        f"timers: {timers}",
    )
    assert text != PROC
    with pytest.raises(DefinitionError, match=message):
        make(None, text)


def test_iso_durations() -> None:
    assert [
        iso_duration(dt.timedelta(seconds=s)) for s in (604800, 86400 + 43200, 1800, 61, 0)
    ] == ["P7D", "P1DT12H", "PT30M", "PT1M1S", "PT0S"]


def test_tasks_started_before_the_reminders_keep_the_version_they_started_under() -> None:
    """Version 2 of the built-in task added the reminders; a task started under version 1 is still
    judged and timed by version 1's text: its deadline review comes with no reminder, while a new
    task is reminded."""
    from importlib import resources

    from collegium import MemoryStore

    before = Registry()  # the built-in definitions as they were: assignment version 1 only
    root = resources.files("collegium")
    for entry in sorted(root.joinpath("rules", "packs").iterdir(), key=lambda p: p.name):
        before.add_pack_text(entry.read_text(encoding="utf-8"))
    for entry in sorted(root.joinpath("workflows").iterdir(), key=lambda p: p.name):
        if entry.name.endswith(".yaml") and entry.name != "assignment.yaml":
            before.add_workflow_text(entry.read_text(encoding="utf-8"))
    store, clock = MemoryStore(), ManualClock(START)
    old = Engine(store, clock=clock, ids=SequentialIds(), registry=before)
    old.define_body(standing_committee())
    decision = adopted(old, clock)
    old_task = old.fire(decision, "assign", "sec", TASK).started[0]
    new = Engine(
        store, clock=clock, ids=SequentialIds(), registry=Registry.builtin()
    )  # after the upgrade
    new_task = new.fire(decision, "assign", "sec", {**TASK, "title": "Another road"}).started[0]
    assert (new.get(old_task).procedure_version, new.get(new_task).procedure_version) == (1, 2)
    clock.set(dt.datetime(2027, 1, 1, tzinfo=dt.UTC))
    new.run_due()
    assert [e.trigger for e in new.history(old_task)][-1:] == ["review"]
    assert "@remind" not in [e.trigger for e in new.history(old_task)]
    assert [e.data["lead"] for e in new.history(new_task) if e.trigger == "@remind"] == [
        "P7D",
        "P1D",
    ]
    assert new.verify_audit().ok


def test_a_timer_whose_key_would_not_fit_is_refused_when_the_procedure_loads() -> None:
    long_state = "s" + "x" * 63
    text = (
        PROC.replace("  open:\n", f"  {long_state}:\n")
        .replace("initial: open", f"initial: {long_state}")
        .replace("source: open", f"source: {long_state}")
        .replace("dest: open", f"dest: {long_state}")
        .replace("[open, lapsed, chased]", f"[{long_state}, lapsed, chased]")
        .replace("lapse,", "l" + "y" * 62 + ",")
    )
    text = text.replace("trigger: lapse", "trigger: l" + "y" * 62)
    with pytest.raises(DefinitionError, match="too long together for a timer's key"):
        make(None, text)

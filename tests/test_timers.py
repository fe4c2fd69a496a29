"""Timers: set when a state is entered, fired by ``run_due`` at the time they fell due, exactly
once."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import pytest

from collegium import (
    Body,
    DefinitionError,
    Engine,
    InvalidInput,
    ManualClock,
    Member,
    Registry,
    SequentialIds,
)

PACK = """
id: timers-test
version: "1"
title: {en: Timers, zh-CN: 定时}
rules:
  - id: R-ROLE
    title: {en: Role, zh-CN: 职务}
    citation: test
    guards: [{procedure: notice, triggers: ["*"]}]
    check: {kind: role}
"""

PROC = """
id: notice
version: 1
title: {en: Notice, zh-CN: 通知}
rule_pack: timers-test
facts:
  body: {type: string}
  deadline: {type: datetime}
states:
  open:
    label: {en: Open, zh-CN: 办理中}
    timers: [{trigger: remind, after: P7D}, {trigger: lapse, at: deadline}]
  reminded:
    label: {en: Reminded, zh-CN: 已提醒}
    timers: [{trigger: lapse, at: deadline}]
  paused: {label: {en: Paused, zh-CN: 暂停}}
  lapsed: {label: {en: Lapsed, zh-CN: 已逾期}}
  closed: {label: {en: Closed, zh-CN: 已关闭}, terminal: true}
  done: {label: {en: Done, zh-CN: 已办结}, terminal: true}
initial: open
start: {roles: [chair], data: [body, deadline]}
transitions:
  - {trigger: remind, source: open, dest: reminded, roles: [system]}
  - {trigger: lapse, source: [open, reminded], dest: lapsed, roles: [system]}
  - {trigger: finish, source: [open, reminded], dest: done, roles: [chair]}
  - {trigger: pause, source: [open, reminded], dest: paused, roles: [chair]}
  - {trigger: reopen, source: [paused, lapsed], dest: open, roles: [chair]}
  - {trigger: shut, source: [paused, lapsed], dest: closed, roles: [chair]}
"""

T0 = dt.datetime(2026, 1, 1, 9, tzinfo=dt.UTC)


def make(url: str | None, pack: str = PACK, proc: str = PROC) -> Engine:
    """An engine (in memory, or on ``url``) with the pack and procedure given and a one-member board
    ``b``."""
    registry = Registry()
    registry.add_pack_text(pack)
    registry.add_procedure_text(proc)
    clock = ManualClock(T0)
    if url is None:
        engine = Engine.in_memory(clock=clock, ids=SequentialIds(), registry=registry)
    else:
        engine = Engine.open(url, clock=clock, ids=SequentialIds(), registry=registry)
    engine.define_body(Body(id="b", kind="board", members=(Member(person="chair", role="chair"),)))
    return engine


@pytest.fixture
def timer_engine(db_url: str) -> Iterator[Engine]:
    engine = make(db_url)
    yield engine
    engine.close()


@pytest.fixture
def engines(timer_engine: Engine) -> Iterator[tuple[Engine, Engine]]:
    """The daily sweeper on each database backend, the one-sweep engine in memory: histories must
    agree."""
    once = make(None)
    yield timer_engine, once
    once.close()


def clock_of(engine: Engine) -> ManualClock:
    assert isinstance(engine.clock, ManualClock)
    return engine.clock


def history(engine: Engine, iid: str) -> list[tuple[str, str, str, str]]:
    return [(e.trigger, e.actor, e.dest, e.at) for e in engine.history(iid)]


def test_daily_sweeps_and_one_sweep_give_the_same_history(engines: tuple[Engine, Engine]) -> None:
    daily, once = engines
    for engine in engines:
        engine.start(
            "notice", "chair", {"body": "b", "deadline": "2026-01-20T09:00Z"}, instance_id="n-1"
        )
        engine.start(
            "notice", "chair", {"body": "b", "deadline": "2026-01-05T09:00Z"}, instance_id="n-2"
        )
    day = T0
    for _ in range(40):
        day += dt.timedelta(days=1)
        clock_of(daily).set(day)
        daily.run_due()
        daily.run_due(day)  # a second sweep at the same time changes nothing
    clock_of(once).set(T0 + dt.timedelta(days=40))
    runs = once.run_due()
    assert [(r.timer.instance_id, r.timer.trigger) for r in runs if r.outcome] == [
        ("n-2", "lapse"),
        ("n-1", "remind"),
        ("n-1", "lapse"),
    ]
    for iid in ("n-1", "n-2"):
        assert history(daily, iid) == history(once, iid)
    assert history(once, "n-1") == [
        ("start", "chair", "open", "2026-01-01T09:00:00.000000Z"),
        ("remind", "@system", "reminded", "2026-01-08T09:00:00.000000Z"),
        ("lapse", "@system", "lapsed", "2026-01-20T09:00:00.000000Z"),
    ]
    assert [e.trigger for e in once.history("n-2")] == [
        "start",
        "lapse",
    ]  # the reminder was no longer due
    clock_of(once).set(T0 + dt.timedelta(days=400))
    assert once.run_due() == []
    assert daily.verify_audit().ok and once.verify_audit().ok


def test_leaving_the_state_cancels_its_timers(timer_engine: Engine) -> None:
    engine = timer_engine
    engine.start(
        "notice", "chair", {"body": "b", "deadline": "2026-01-20T09:00Z"}, instance_id="n-1"
    )
    engine.fire("n-1", "finish", "chair")
    clock_of(engine).set(T0 + dt.timedelta(days=60))
    assert engine.run_due() == []
    assert [e.trigger for e in engine.history("n-1")] == ["start", "finish"]


def test_people_cannot_act_as_the_engine() -> None:
    engine = make(None)
    engine.start(
        "notice", "chair", {"body": "b", "deadline": "2026-01-20T09:00Z"}, instance_id="n-1"
    )
    with pytest.raises(InvalidInput, match="reserved"):
        engine.fire("n-1", "lapse", "@system")
    with pytest.raises(InvalidInput, match="starts the engine's own actors"):
        Member(person="@system", role="chair")


def test_a_timer_trigger_must_be_open_to_the_system_role() -> None:
    registry = Registry()
    registry.add_pack_text(PACK)
    with pytest.raises(DefinitionError, match="must list role 'system'"):
        registry.add_procedure_text(
            PROC.replace("dest: reminded, roles: [system]", "dest: reminded, roles: [chair]")
        )


def test_sweeping_ahead_of_the_clock_is_refused() -> None:
    engine = make(None)
    with pytest.raises(InvalidInput, match="the clock says"):
        engine.run_due(T0 + dt.timedelta(days=1))


def test_a_state_entered_again_gets_its_timers_again(timer_engine: Engine) -> None:
    engine = timer_engine
    engine.start(
        "notice", "chair", {"body": "b", "deadline": "2026-01-20T09:00Z"}, instance_id="n-1"
    )
    clock_of(engine).set(T0 + dt.timedelta(days=30))
    engine.run_due()
    assert engine.get("n-1").state == "lapsed"
    engine.fire("n-1", "reopen", "chair")
    assert engine.get("n-1").state == "open"
    clock_of(engine).set(T0 + dt.timedelta(days=60))
    runs = engine.run_due()
    # the deadline had passed when it was reopened: it fires first, at the reopening, and leaving
    # the state cancels the reminder
    assert [(r.timer.trigger, r.outcome is not None and not r.outcome.replayed) for r in runs] == [
        ("lapse", True)
    ]
    history = engine.history("n-1")
    assert [e.trigger for e in history] == ["start", "remind", "lapse", "reopen", "lapse"]
    assert history[-1].at == history[-2].at == "2026-01-31T09:00:00.000000Z"


def test_a_timer_of_a_state_left_and_reentered_is_void(timer_engine: Engine) -> None:
    engine = timer_engine
    engine.start(
        "notice", "chair", {"body": "b", "deadline": "2026-03-01T09:00Z"}, instance_id="n-1"
    )
    first = engine.store.due_timers("9999", 10)
    clock_of(engine).set(T0 + dt.timedelta(days=1))
    engine.fire("n-1", "pause", "chair")
    engine.fire("n-1", "reopen", "chair")
    from collegium.engine.scheduler import fire_timer

    stale = fire_timer(
        engine, next(t for t in first if t.trigger == "remind")
    )  # the sweep read it before
    assert stale.stale and stale.outcome is None
    assert [e.trigger for e in engine.history("n-1")] == ["start", "pause", "reopen"]

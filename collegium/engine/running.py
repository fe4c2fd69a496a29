"""Commands run through the step's stages (:mod:`collegium.engine.step`): a step fired and
written, retried on a conflict; a dry run; what an actor could fire now."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from collegium._catalog import Message
from collegium.engine import judging
from collegium.engine import step as st
from collegium.engine.outcomes import Availability, Outcome
from collegium.errors import ConcurrentUpdate
from collegium.rules.verdict import Verdict
from collegium.store.protocol import StaleVersion, Unit
from collegium.store.records import DefinitionText, InstanceRecord, TimerRecord

if TYPE_CHECKING:
    from collegium.engine.engine import Engine


def run(engine: Engine, cmd: st.Command, *, fire_due: Callable[[TimerRecord], object]) -> Outcome:
    """Run ``cmd`` through every stage in one transaction; on a version conflict (another writer
    got there first) load and run it again, up to the engine's ``max_retries``; when timers of the
    instance fell due, ``fire_due`` fires each first (a step of its own), then the command runs
    again."""
    for _ in range(engine.max_retries + 1):
        try:
            with engine.store.unit() as unit:
                result = _attempt(engine, unit, cmd)
        except StaleVersion:
            continue
        if isinstance(result, _DueFirst):
            for due in result.timers:
                fire_due(due)
            continue
        if isinstance(result, _Written):  # committed: its texts are stored now
            engine.texts.stored(result.texts)
            return result.outcome
        return result
    raise ConcurrentUpdate(
        Message(
            "instance {id!r} kept changing; gave up after {retries} retries",
            id=cmd.instance_id,
            retries=engine.max_retries,
        )
    )


@dataclass(frozen=True, slots=True)
class _DueFirst:
    """The timers that must fire before the command can run."""

    timers: list[TimerRecord]


@dataclass(frozen=True, slots=True)
class _Written:
    """A step written, with the definition texts it stored."""

    outcome: Outcome
    texts: tuple[DefinitionText, ...]


def _attempt(engine: Engine, unit: Unit, cmd: st.Command) -> Outcome | _DueFirst | _Written:
    """One try of ``cmd`` in ``unit``: the first outcome again, the timers to fire first, or the
    step written."""
    rec, now = st.load(engine, unit, cmd)
    again = st.replayed(engine, unit, cmd, rec)
    if again is not None:
        return again
    due = st.due_first(engine, unit, cmd, rec, now)
    if due:
        return _DueFirst(due)
    step = prepare(engine, unit, rec, cmd.trigger, cmd.actor, cmd.data, now, key=cmd.key)
    judging.gate(step.verdict)
    st.move(step)
    st.apply(engine, unit, step)
    st.judge_children(engine, unit, step, engine.ids.new_id)
    judging.gate(step.verdict)
    st.chain(engine, step)
    return _Written(st.write(unit, step), step.texts)


def prepare(
    engine: Engine,
    unit: Unit,
    rec: InstanceRecord,
    trigger: str,
    actor: str,
    data: Mapping[str, Any],
    now: dt.datetime,
    *,
    key: str | None = None,
    complete: bool = True,
) -> st.Step:
    """The stages up to the step's own verdict: plan, normalise, stage (with ``complete``), judge.
    ``complete=False`` asks what could be fired without data: nothing is staged, and rules that
    read what the data would give wait for it."""
    step = st.plan(engine, rec, trigger, actor, now, key)
    st.normalise(step, data, complete=complete)
    if complete:
        st.stage(engine, unit, step)
    st.judge(engine, unit, step, complete=complete)
    return step


def check(
    engine: Engine, instance_id: str, trigger: str, actor: str, data: Mapping[str, Any]
) -> Verdict:
    """The verdict ``fire`` would reach, children included, writing nothing and drawing no id: the
    effects apply to a copy of the facts, in a unit that only reads."""
    with engine.store.unit(write=False) as unit:
        rec = unit.load(instance_id)
        step = prepare(engine, unit, rec, trigger, actor, data, engine.clock.now())
        if step.verdict.passed:
            st.move(step)
            step.facts = dict(step.facts)
            st.apply(engine, unit, step)
            st.judge_children(engine, unit, step, lambda prefix: f"{prefix}-(dry run)")
        return step.verdict


def available(engine: Engine, instance_id: str, actor: str) -> list[Availability]:
    """Each trigger that leaves the instance's state, and whether ``actor`` could fire it now
    without data."""
    with engine.store.unit(write=False) as unit:
        rec = unit.load(instance_id)
        now = engine.clock.now()
        out = []
        for trigger in st.procedure_of(engine, rec).triggers_from(rec.state):
            step = prepare(engine, unit, rec, trigger, actor, {}, now, complete=False)
            waits = (r.params["keys"] for r in step.verdict.results if r.detail == "needs_data")
            needs = tuple(sorted({key for keys in waits for key in keys}))
            out.append(Availability(trigger, step.verdict.passed, step.verdict, needs))
        return out

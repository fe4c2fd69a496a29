"""The children a step starts (a task of a decision, a case opened by a finding): each is judged by its own start
rules as if the step's actor proposed it, and the step is refused if one is — by ``fire``, and so by ``check``."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from collegium.engine import ballots, counting, replay, starting
from collegium.engine import effects as fx
from collegium.engine.audit import chain
from collegium.engine.registry import CompiledProcedure
from collegium.engine.scheduler import timers_for
from collegium.engine.sealing import Sealer
from collegium.errors import RuleViolation
from collegium.rules.verdict import Verdict
from collegium.store.protocol import Unit
from collegium.store.records import EventRecord, InstanceRecord, TimerRecord, VoteRecord
from collegium.workflows.spec import SpawnEffect

if TYPE_CHECKING:
    from collegium.engine.engine import Engine, _Prepared

Applied = tuple[dict[str, Any], list[SpawnEffect], list[VoteRecord], list[tuple[str, str, str, str]]]


def apply(prep: _Prepared, dest: str, facts: dict[str, Any], actor: str, unit: Unit, sealer: Sealer) -> Applied:
    """The step's effects on ``facts`` (in place): its record, the children to start, votes and views stated."""
    return fx.apply(prep.plan.effects_to(dest), facts, prep.data, actor=actor, now=prep.ctx.now,
                    result=lambda: ballots.result(prep.ctx, prep.proc, prep.verdict, bool(prep.branch_passed), unit),
                    counted=lambda: counting.count(facts.get("ballot") or {}, prep.ctx.instance_id, prep.data, unit,
                                                   sealer))


def judge(engine: Engine, spawn: SpawnEffect, parent_id: str, facts: Mapping[str, Any], prep: _Prepared, actor: str,
          new_id: Callable[[str], str], unit: Unit) -> tuple[CompiledProcedure, str, dict[str, Any], Verdict]:
    """A child of the step: its procedure, id, facts, and the verdict of its start rules with ``actor`` proposing."""
    proc = engine.registry.compiled(spawn.procedure)
    child_id = new_id(proc.spec.id)
    child_facts = fx.child_facts(spawn, parent_id, facts, prep.data)
    ctx = engine._context(proc, child_id, "", proc.start_plan.trigger, actor, child_facts, prep.ctx.now, unit)
    return proc, child_id, child_facts, engine._evaluate(proc.start_plan, ctx)


@dataclass(frozen=True, slots=True, kw_only=True)
class Started:
    """The children a step starts: their rows, first events, timers, and the definition texts first used."""

    instances: tuple[InstanceRecord, ...]
    events: tuple[EventRecord, ...]
    timers: Mapping[str, tuple[TimerRecord, ...]]
    definitions: tuple[tuple[str, str, str, str], ...]


#: what a step that starts no child starts
NONE = Started(instances=(), events=(), timers={}, definitions=())


def start(engine: Engine, parent_id: str, spawns: list[SpawnEffect], prep: _Prepared, actor: str, at: str,
          unit: Unit) -> Started:
    """Each child of ``spawns``, judged by its start rules as if ``actor`` proposed it (refused: RuleViolation,
    and the whole step with it), its first event chained with the texts it is judged under and its timers."""
    now = prep.ctx.now
    instances: list[InstanceRecord] = []
    events: list[EventRecord] = []
    all_timers: dict[str, tuple[TimerRecord, ...]] = {}
    definitions: tuple[tuple[str, str, str, str], ...] = ()
    for spawn in spawns:
        proc, child_id, facts, verdict = judge(engine, spawn, parent_id, prep.facts, prep, actor, engine.ids.new_id,
                                               unit)
        if not verdict.passed:  # the child is judged as if proposed by the actor: nothing is written
            raise RuleViolation(verdict)
        child = InstanceRecord(child_id, proc.spec.id, proc.spec.version, proc.pack.id, proc.pack.version,
                               proc.spec.initial, 1, facts, at, at, parent_id=parent_id)
        timers = timers_for(proc, child, now, 1)
        if timers:
            all_timers[child.id] = timers
        events.append(chain(child, None, proc.start_plan.trigger, actor, at, facts, replay.stored_verdict(verdict),
                            starting.start_record(engine, proc, timers, spawned_by=parent_id), None))
        instances.append(child)
        definitions += engine._definitions_of(proc)
    return Started(instances=tuple(instances), events=tuple(events), timers=all_timers,
                   definitions=definitions)


def dry_run(engine: Engine, rec: InstanceRecord, prep: _Prepared, actor: str, unit: Unit) -> Verdict | None:
    """The verdict of the first child the step would start that its rules refuse (None if none is), computed on a
    copy of the facts and with no id drawn, so the dry run writes and consumes nothing."""
    dest = prep.proc.machine.move(rec.state, prep.plan.trigger, prep.branch_passed)
    facts = dict(prep.facts)
    for spawn in apply(prep, dest, facts, actor, unit, engine.sealer)[1]:
        verdict = judge(engine, spawn, rec.id, facts, prep, actor, lambda prefix: f"{prefix}-(dry run)", unit)[3]
        if not verdict.passed:
            return verdict
    return None

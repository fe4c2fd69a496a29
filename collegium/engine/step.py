"""One step of an instance, as one pipeline of named stages.

``fire``, the timer sweep and a replay run a :class:`Command` through :func:`run`; ``check`` and
``available`` run the same stages up to the judging and write nothing. In order:

1. :func:`load` — the instance, under its lock in a writing unit;
2. :func:`replayed` — a repeated idempotency key answers with the first outcome;
3. :func:`due_first` — timers of the instance that fell due fire first, then the command runs again;
4. :func:`plan` — the procedure, the plan of (state, trigger), or why the trigger is not allowed;
5. :func:`normalise` — the data checked and typed, laid over the facts;
6. :func:`stage` — a meeting being opened (or an attendance changed) staged over the facts;
7. :func:`judge` — every rule of the plan and every branch rule, into one verdict; then
   :func:`~collegium.engine.judging.gate` refuses if a blocking rule failed;
8. :func:`move` — the destination the branches chose;
9. :func:`apply` — the effects on the facts: the record, votes, views, the children to start;
10. :func:`judge_children` — each child's start rules, as if the actor proposed it; the gate again;
11. :func:`~collegium.engine.writing.chain` — the new instance row, the timers, the hash-chained
    events;
12. :func:`~collegium.engine.writing.write` — one version-guarded commit of all of it.

Nothing is written before the last stage, so a refusal at any stage writes no state and no event.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from collegium._catalog import Message
from collegium.engine import ballots, counting, inputs, judging, replay, staging
from collegium.engine import effects as fx
from collegium.engine.clock import format_time
from collegium.engine.compiled import CompiledProcedure, Plan
from collegium.engine.context import Context
from collegium.engine.outcomes import Outcome
from collegium.engine.timers import when_due

# the last two stages, what the step writes, are run from here too (``st.chain``, ``st.write``)
from collegium.engine.writing import chain as chain
from collegium.engine.writing import write as write
from collegium.errors import InvalidInput, TransitionNotAllowed
from collegium.rules.verdict import RuleResult, Verdict
from collegium.store.protocol import Seat, Unit, Write
from collegium.store.records import DefinitionText, EventRecord, InstanceRecord, TimerRecord

if TYPE_CHECKING:
    from collegium.engine.engine import Engine

#: Facts derived from a meeting's attendance: not known before the command that opens the meeting.
MEETING_FACTS = frozenset(
    {"n", "present", "recused", "eligible_voters", "sitting_state", "on_agenda", "sittings_count"}
)


@dataclass(frozen=True, slots=True, kw_only=True)
class Command:
    """What a caller asks of an instance: fire ``trigger`` as ``actor`` with ``data``."""

    instance_id: str
    trigger: str
    actor: str
    data: Mapping[str, Any]
    #: the idempotency key: a command sent again with it takes effect once
    key: str | None = None
    #: when the step happened (a replay's recorded time); default: the engine clock's now
    at: dt.datetime | None = None
    #: the timer this step fires: it must still be set when the instance is locked
    timer: TimerRecord | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class Child:
    """An instance a step starts, as judged before anything is written."""

    proc: CompiledProcedure
    id: str
    facts: dict[str, Any]
    verdict: Verdict


@dataclass(slots=True, kw_only=True)
class Step:
    """A command on its way through the stages. The stage named beside a field sets it; a field
    is read only by the stages after it."""

    rec: InstanceRecord  # load: the instance as stored
    trigger: str
    actor: str
    key: str | None = None  # the command's idempotency key, kept in its event
    now: dt.datetime  # load: when the step happens
    proc: CompiledProcedure  # plan
    plan: Plan  # plan
    data: dict[str, Any] = field(default_factory=dict)  # normalise: the data, checked and typed
    facts: dict[str, Any] = field(default_factory=dict)  # normalise, stage, apply: facts after
    seats: dict[str, Seat] | None = None  # stage: seats of a meeting the step opens
    ctx: Context = field(init=False)  # judge: what the rules read
    verdict: Verdict = field(init=False)  # judge, judge_children
    branches: frozenset[str] = frozenset()  # judge: the branch rules that passed
    dest: str = ""  # move
    applied: fx.Applied = field(init=False)  # apply
    children: tuple[Child, ...] = ()  # judge_children
    new: InstanceRecord = field(init=False)  # chain: the instance as the step leaves it
    event: EventRecord = field(init=False)  # chain
    texts: tuple[DefinitionText, ...] = ()  # chain: definition texts stored by this step
    write: Write = field(init=False)  # chain

    @property
    def seq(self) -> int:
        """The sequence number of the step's event in its instance's history."""
        return self.rec.event_count + 1


def procedure_of(engine: Engine, rec: InstanceRecord) -> CompiledProcedure:
    """The compiled procedure an instance is judged under: the versions it was started under,
    as the texts the store keeps of them say (:meth:`~collegium.engine.texts.Texts.verify`)."""
    proc = engine.registry.compiled(rec.procedure, rec.procedure_version, rec.pack_version)
    engine.texts.verify(engine.store.definition, engine.registry, proc)
    return proc


# -- load -------------------------------------------------------------------------------------
def load(engine: Engine, unit: Unit, cmd: Command) -> tuple[InstanceRecord, dt.datetime]:
    """The instance, and when the step happens: the command's time, or the clock's; for a timer,
    when it fell due (:func:`~collegium.engine.timers.when_due` raises if it no longer
    applies)."""
    rec = unit.load(cmd.instance_id)
    if cmd.timer is not None:  # under the lock: the instance must still be in the entry that set it
        return rec, when_due(cmd.timer, rec, unit.timer_entered(rec.id, cmd.timer.trigger))
    return rec, cmd.at or engine.clock.now()


def replayed(engine: Engine, unit: Unit, cmd: Command, rec: InstanceRecord) -> Outcome | None:
    """The first outcome of a command sent again with its idempotency key (the same command, or
    :class:`InvalidInput`); None for a new command."""
    if cmd.key is None:
        return None
    done = unit.find_event(rec.id, cmd.key)
    if done is None:
        return None
    replay.same_command(procedure_of(engine, rec), rec, done, cmd.trigger, cmd.actor, cmd.data)
    return replay.outcome(engine.registry.pack(rec.pack, rec.pack_version), rec, done)


def due_first(
    engine: Engine, unit: Unit, cmd: Command, rec: InstanceRecord, now: dt.datetime
) -> list[TimerRecord]:
    """Timers of the instance that fell due by ``now``: they fire before the command, so that a
    command sees the same instance whenever the sweep last ran. None for a timer's own step."""
    if cmd.timer is not None or not procedure_of(engine, rec).spec.states[rec.state].timers:
        return []
    return unit.due_timers_of(rec.id, format_time(now))


# -- plan, normalise, stage -------------------------------------------------------------------
def plan(
    engine: Engine,
    rec: InstanceRecord,
    trigger: str,
    actor: str,
    now: dt.datetime,
    key: str | None = None,
) -> Step:
    """The step of ``trigger`` from the instance's state: :class:`InvalidInput` for a trigger the
    procedure does not know, :class:`TransitionNotAllowed` for one that does not leave this
    state."""
    proc = procedure_of(engine, rec)
    found = proc.plan(rec.state, trigger)
    if found is None:
        if trigger not in proc.spec.triggers():
            raise InvalidInput(
                Message(
                    "unknown trigger {trigger!r} for procedure {procedure}",
                    trigger=trigger,
                    procedure=proc.spec.id,
                )
            )
        allowed = tuple(proc.triggers_from(rec.state))
        said = (
            Message(
                "{trigger!r} is not allowed in state {state!r}; allowed: {allowed}",
                trigger=trigger,
                state=rec.state,
                allowed=", ".join(allowed),
            )
            if allowed
            else Message(
                "{trigger!r} is not allowed in state {state!r}; allowed: none",
                trigger=trigger,
                state=rec.state,
            )
        )
        raise TransitionNotAllowed(said, state=rec.state, trigger=trigger, allowed=allowed)
    return Step(rec=rec, trigger=trigger, actor=actor, key=key, now=now, proc=proc, plan=found)


def normalise(step: Step, data: Mapping[str, Any], *, complete: bool) -> None:
    """The data checked against the plan and typed; the facts the plan takes from it laid over the
    instance's. ``complete=False`` (availability) leaves out what is missing."""
    step.data = inputs.normalize(step.proc, step.plan, data, complete=complete)
    step.facts = dict(step.rec.facts)
    step.facts.update((k, v) for k, v in step.data.items() if k in step.plan.data)


def stage(engine: Engine, unit: Unit, step: Step) -> None:
    """A meeting the step opens, or an attendance it changes, laid over the facts with its seats
    (judged by this step's rules, written by it); a vote's choice checked against the ballot. A
    body the command names that does not exist is :class:`NotFound`, before any rule is judged."""
    plan_, facts = step.plan, step.facts
    lookup = judging.bodies(engine.directory, unit, step.now)
    judging.require_body(step.proc, step.data, lookup)
    step.seats = staging.stage(
        plan_,
        facts,
        step.data,
        facts.get(step.proc.spec.body_fact),
        lookup,
        step.now,
        f"{step.rec.id}/{step.seq}",
        unit,
        step.rec.id,
        step.proc.vote_options,
        countable=plan_.branches[-1].dest in step.proc.counting_states,
    )
    inputs.check_choice(plan_, facts, step.data)


# -- judge, move ------------------------------------------------------------------------------
def judge(engine: Engine, unit: Unit, step: Step, *, complete: bool = True) -> None:
    """Every rule of the plan, then every branch rule (a list voted item by item judged item by
    item), into the step's verdict; ``branches`` the branch rules that passed and apply.
    ``complete=False`` (availability): a rule that reads what the data would give waits for it."""
    rec, plan_ = step.rec, step.plan
    view = {**step.facts, **{k: v for k, v in step.data.items() if k not in plan_.data}}

    def ctx_of(facts: Mapping[str, Any]) -> Context:
        return judging.context(
            step.proc,
            instance_id=rec.id,
            state=rec.state,
            trigger=step.trigger,
            actor=step.actor,
            facts=facts,
            now=step.now,
            unit=unit,
            directory=engine.directory,
            staged=step.seats,
            stating=plan_.states_view,
            supplied=step.data,
        )

    step.ctx = ctx = ctx_of(view)
    if complete:
        results = judging.results(plan_, ctx)
    else:
        missing = (
            plan_.accepted | {"supplied"} | (MEETING_FACTS if plan_.stages_meeting else frozenset())
        )
        results = [
            rule.pending(rule.reads & missing)
            if rule.reads & missing
            else rule.evaluate(ctx, plan_.roles)
            for rule in plan_.rules
        ]
    passed: set[str] = set()
    items = (step.facts.get("ballot") or {}).get("items") if plan_.tallies else None
    for branch in plan_.branches:
        rule = branch.rule
        if rule is None:
            continue
        scopes = (
            [(item, ctx_of({**view, "item": item})) for item in items] if items else [(None, ctx)]
        )
        for item, scope in scopes:
            res = rule.evaluate(scope, plan_.roles)
            seen = {**res.facts, "item": item} if item is not None else res.facts
            results.append(
                RuleResult(
                    res.rule_id,
                    res.passed,
                    "branch",
                    res.title,
                    res.citation,
                    res.detail,
                    res.params,
                    seen,
                    res.applicable,
                )
            )
            if res.passed and res.applicable:  # a branch rule that does not apply selects nothing
                passed.add(res.rule_id)
    step.verdict = Verdict(step.trigger, tuple(results))
    step.branches = frozenset(passed)


def move(step: Step) -> None:
    """The state the step goes to: the first branch whose rule passed, else the fallback."""
    try:
        step.dest = step.proc.machine.move(step.rec.state, step.trigger, step.branches)
    except LookupError:  # no branch taken: load-time checks require a fallback, so defensive
        raise TransitionNotAllowed(
            Message(
                "{trigger!r} found no branch to take from {state!r}",
                trigger=step.trigger,
                state=step.rec.state,
            ),
            state=step.rec.state,
            trigger=step.trigger,
        ) from None


# -- apply, judge the children ----------------------------------------------------------------
def apply(engine: Engine, unit: Unit, step: Step) -> None:
    """The effects of the branch taken, on the step's facts: the record its event keeps (a
    ballot's result or count), the votes cast, the views stated, the children to start. A view
    may be stated only by a member seated at the meeting."""
    facts, ctx = step.facts, step.ctx
    applied = fx.apply(
        step.plan.effects_to(step.dest),
        facts,
        step.data,
        actor=step.actor,
        now=step.now,
        result=lambda: ballots.result(ctx, step.proc, step.verdict, bool(step.branches), unit),
        counted=lambda: counting.count(
            facts.get("ballot") or {}, ctx.instance_id, step.data, unit, engine.sealer
        ),
    )
    fresh = 0  # first views of present voting members, which the meeting's record counts
    for stated in applied.views:
        seat = ctx.seat(stated.person)
        if seat is None:
            raise InvalidInput(
                Message(
                    "{person!r} has no seat at this meeting: only its members state views",
                    person=stated.person,
                )
            )
        fresh += seat.voting and seat.attendance == "present" and seat.view is None
    meeting = facts.get("meeting")
    if fresh and meeting and "seated" in meeting:
        facts["meeting"] = {**meeting, "stated": meeting.get("stated", 0) + fresh}
    step.applied = applied


def judge_children(engine: Engine, unit: Unit, step: Step, new_id: Callable[[str], str]) -> None:
    """Each child the step starts, judged by its own start rules as if the step's actor proposed
    it; the first child refused becomes the step's verdict. ``new_id`` draws each child's id."""
    children = []
    for spawn in step.applied.spawns:
        proc = engine.registry.compiled(spawn.procedure)
        child_id = new_id(proc.spec.id)
        facts = fx.child_facts(spawn, step.rec.id, step.facts, step.data)
        ctx = judging.context(
            proc,
            instance_id=child_id,
            state="",
            trigger=proc.start_plan.trigger,
            actor=step.actor,
            facts=facts,
            now=step.now,
            unit=unit,
            directory=engine.directory,
            supplied=facts,
        )
        verdict = judging.evaluate(proc.start_plan, ctx)
        if not verdict.passed:
            step.verdict = verdict
            return
        children.append(Child(proc=proc, id=child_id, facts=facts, verdict=verdict))
    step.children = tuple(children)

"""Scenarios: a decision's lifecycle written as data and run on a virtual clock (``collegium
simulate``).

A scenario file (read and validated by :mod:`collegium.scenariofile`, whose :class:`Scenario` and
:class:`ScenarioSpec` are also found here) names its bodies, a start time and steps. This module
runs it on an engine: each step's action is carried out (``start``, ``fire``, ``vote``), the clock
advanced (the timers that fall due on the way fire, in time order) or an expectation checked; each
step yields a :class:`StepReport`, and the first expectation that does not hold ends the run
(:class:`ExpectationFailed`). Runs are reproducible: the clock is virtual and ids are sequential, so
the same file gives the same report byte for byte.
"""

from __future__ import annotations

import datetime as dt
import functools
from contextlib import nullcontext
from dataclasses import dataclass, field
from typing import Any

from collegium._brief import brief
from collegium._catalog import Message
from collegium._words import word
from collegium.engine.clock import ManualClock, SequentialIds, format_time, parse_time
from collegium.engine.engine import Engine
from collegium.engine.registry import Registry
from collegium.errors import CollegiumError, DefinitionError, InvalidInput, RuleViolation
from collegium.scenariofile import Expectation, Scenario, ScenarioSpec, Step

__all__ = [
    "BATCH",
    "ExpectationFailed",
    "Scenario",
    "ScenarioSpec",
    "StepReport",
    "run",
]

#: steps run in one batch (:meth:`Engine.batch`): on a database, a commit for this many steps
BATCH = 500


@dataclass
class StepReport:
    """What one step did: ok, refused (with the failed rules), or an expectation checked."""

    #: the step's number in the file, counted from 1 as the messages count it
    n: int
    line: int | None
    at: str
    action: str
    actor: str | None = None
    instance: str | None = None
    trigger: str | None = None
    state: str | None = None
    outcome: str = "ok"
    rules: list[dict[str, Any]] = field(default_factory=list)
    started: list[str] = field(default_factory=list)


class ExpectationFailed(CollegiumError):
    """A scenario's expectation did not hold (``collegium simulate`` exits 1)."""

    exit_code = 1


def _where(scn: Scenario, n: int) -> str:
    line = scn.lines[n]
    return f"{scn.source}:{line}" if line else scn.source


def _pack_of(scn: Scenario, registry: Registry) -> str | None:
    """The one rule pack of the procedures ``scn`` starts, whose roles its bodies then hold; None
    when they run under several (a body's roles are then checked against every loaded pack)."""
    packs = set()
    for step in scn.spec.steps:
        if step.start is not None:
            try:
                packs.add(registry.procedure(step.start).rule_pack)
            except CollegiumError:
                return None  # the step itself reports the unknown procedure, with its line
    return packs.pop() if len(packs) == 1 else None


def run(
    scn: Scenario,
    engine: Engine | None = None,
    on_step: Any = None,
    lang: str = "en",
    registry: Registry | None = None,
) -> tuple[Engine, list[StepReport]]:
    """Run ``scn`` (on a fresh in-memory engine unless one is given).

    Raise :class:`ExpectationFailed` at the first expectation that does not hold (an unexpected
    refusal is one), :class:`InvalidInput` for a step that cannot be carried out as written. The
    steps run in batches of ``BATCH`` (:meth:`Engine.batch`): on a database the steps before a
    failing one are committed before it is reported."""
    clock = ManualClock(parse_time(scn.spec.start, "start"))
    if engine is None:
        engine = Engine.in_memory(
            clock=clock, ids=SequentialIds(), registry=registry or scn.registry()
        )
    elif isinstance(engine.clock, ManualClock):
        clock = engine.clock
    else:
        raise InvalidInput(Message("a scenario runs on a virtual clock (ManualClock)"))
    pack = _pack_of(scn, engine.registry)
    for body in scn.spec.bodies:
        engine.define_body(body, pack=pack)
    aliases: dict[str, str] = {}
    reports: list[StepReport] = []
    steps = list(enumerate(scn.spec.steps))
    for first in range(0, len(steps), BATCH):
        failure: Exception | None = None
        # a database commits the steps run so far, then reports the failure; a face of the engine
        # without batches (the async engine, driven from sync code) commits each step
        batch = getattr(engine, "batch", nullcontext)
        with batch():
            for n, step in steps[first : first + BATCH]:
                failure = _run_step(engine, clock, scn, n, step, aliases, reports, lang)
                if failure is not None:
                    break
                if on_step is not None:
                    on_step(n)
        if failure is not None:
            raise failure
    return engine, reports


def _run_step(
    engine: Engine,
    clock: ManualClock,
    scn: Scenario,
    n: int,
    step: Step,
    aliases: dict[str, str],
    reports: list[StepReport],
    lang: str,
) -> Exception | None:
    """Run step ``n``, its reports added to ``reports``; the error that ends the scenario, if
    any."""
    where = _where(scn, n)
    try:
        reports.extend(_step(engine, clock, step, n, scn.lines[n], aliases, where, lang))
    except (ExpectationFailed, DefinitionError, RuleViolation) as exc:
        return exc
    except CollegiumError as exc:
        return InvalidInput(f"{where}: {word('scenario.step', lang, n=n + 1)}: {exc.message(lang)}")
    return None


def _actors(step: Step) -> list[str]:
    return [step.actor] if isinstance(step.actor, str) else list(step.actor or [])


def _step(
    engine: Engine,
    clock: ManualClock,
    step: Step,
    n: int,
    line: int | None,
    aliases: dict[str, str],
    where: str,
    lang: str,
) -> list[StepReport]:
    at = format_time(clock.now())
    if step.advance is not None:
        report = _advance(engine, clock, step.advance, n, line)
        if step.id and report.started:
            aliases[step.id] = report.started[0]
        return [report]
    if step.expect is not None:
        _check(engine, step.expect, aliases, where, n)
        return [
            StepReport(
                n + 1,
                line,
                at,
                "expect",
                instance=aliases.get(step.expect.instance, step.expect.instance),
            )
        ]
    actors = _actors(step)
    if not actors:
        raise InvalidInput(word("scenario.needs_as", lang))  # the file, line and step added above
    out = []
    for actor in actors:
        report = StepReport(
            n + 1, line, format_time(clock.now()), "start" if step.start else "fire", actor=actor
        )
        try:
            if step.start is not None:
                o = engine.start(step.start, actor, step.data, instance_id=step.id)
                if step.id:
                    aliases[step.id] = o.instance.id
            else:
                iid = aliases.get(step.instance or "", step.instance or "")
                if not iid:
                    raise InvalidInput(word("scenario.needs_instance", lang))
                data = {
                    **step.data,
                    **({"choice": step.vote} if step.vote else {}),
                    **({"item": step.item} if step.item else {}),
                }
                o = engine.fire(iid, step.fire or "vote", actor, data)
        except RuleViolation as exc:
            report.outcome = "refused"
            report.trigger = exc.verdict.trigger
            report.instance = aliases.get(step.instance or "", step.instance)
            report.rules = [r.to_dict(lang) for r in exc.verdict.failures]
            ids = [r.rule_id for r in exc.verdict.failures]
            if step.refused is None or step.refused not in ids:
                raise ExpectationFailed(
                    _refused_by(where, n + 1, report.trigger, actor, ids, step.refused)
                ) from None
        else:
            if step.refused is not None:
                raise ExpectationFailed(
                    Message(
                        "{where}: step {n} ({trigger} as {actor}) went through to {state}; "
                        "it should be refused by {rule}",
                        where=where,
                        n=n + 1,
                        trigger=o.event.trigger,
                        actor=actor,
                        state=o.instance.state,
                        rule=step.refused,
                    )
                )
            report.instance, report.trigger, report.state = (
                o.instance.id,
                o.event.trigger,
                o.instance.state,
            )
            report.started = list(o.started)
            if step.id and step.start is None and o.started:
                aliases[step.id] = o.started[0]
            report.rules = [r.to_dict(lang) for r in o.verdict.warnings]
        out.append(report)
    return out


def _advance(engine: Engine, clock: ManualClock, text: str, n: int, line: int | None) -> StepReport:
    now = clock.now()
    try:
        target = now + _duration(text)
    except ValueError:
        target = parse_time(text, "advance")
    except OverflowError:  # a duration of thousands of years: past the last date there is
        raise InvalidInput(Message("advance {text!r} goes past the year 9998", text=text)) from None
    if target < now:
        raise InvalidInput(
            Message(
                "advance to {text!r} goes back in time (the clock says {now})",
                text=text,
                now=format_time(now),
            )
        )
    clock.set(target)
    runs = engine.run_due(target)
    report = StepReport(n + 1, line, format_time(target), "advance")
    report.started = [c for r in runs if r.outcome for c in r.outcome.started]
    report.rules = [
        {
            "timer": r.timer.name,
            "instance": r.timer.instance_id,
            "state": r.outcome.instance.state if r.outcome else None,
        }
        for r in runs
    ]
    return report


def _duration(text: str) -> dt.timedelta:
    from pydantic import TypeAdapter, ValidationError

    if not text.startswith("P"):
        raise ValueError(text)
    try:
        return TypeAdapter(dt.timedelta).validate_python(text)
    except ValidationError:
        raise ValueError(text) from None


def _check(engine: Engine, exp: Expectation, aliases: dict[str, str], where: str, n: int) -> None:
    iid = aliases.get(exp.instance, exp.instance)
    inst = engine.get(iid)
    problems = []
    if exp.state is not None and inst.state != exp.state:
        problems.append(
            Message("state is {state}, expected {want}", state=inst.state, want=exp.state)
        )
    for key, want in exp.facts.items():
        if inst.facts.get(key) != want:
            problems.append(
                Message(
                    "fact {key} is {value}, expected {want}",
                    key=key,
                    value=brief(inst.facts.get(key)),
                    want=brief(want),
                )
            )
    result = (inst.facts.get("ballot") or {}).get("result") or {}
    for key, want in exp.ballot.items():
        if result.get(key) != want:
            problems.append(
                Message(
                    "ballot {key} is {value}, expected {want}",
                    key=key,
                    value=brief(result.get(key)),
                    want=brief(want),
                )
            )
    if problems:
        raise ExpectationFailed(
            Message(
                "{where}: step {n}: {instance}: {problems}",
                where=where,
                n=n + 1,
                instance=exp.instance,
                problems=functools.reduce(_then, problems),
            )
        )


def _then(first: Message, rest: Message) -> Message:
    """Two messages said one after the other (``first; rest``)."""
    return Message("{first}; {rest}", first=first, rest=rest)


def _refused_by(
    where: str, n: int, trigger: str | None, actor: str, ids: list[str], rule: str | None
) -> Message:
    """What a step refused by other rules than its expectation names says."""
    said = {"where": where, "n": n, "trigger": trigger, "actor": actor, "rules": ", ".join(ids)}
    if not rule:
        return Message("{where}: step {n} ({trigger} as {actor}) was refused by {rules}", **said)
    return Message(
        "{where}: step {n} ({trigger} as {actor}) was refused by {rules}, not by {rule}",
        rule=rule,
        **said,
    )

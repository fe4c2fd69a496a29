"""Scenario files: a decision's lifecycle written as data and run on a virtual clock (``collegium simulate``).

A scenario names its bodies, a start time and steps: ``start`` a procedure, ``fire`` a trigger, cast ``vote``\\ s,
``advance`` the clock (a duration or a date; timers that fall due on the way fire, in time order) and ``expect``
what should hold (an instance's state, facts, its ballot result). A step that ought to be refused says so with
``refused: R-ID``. Runs are reproducible: the clock is virtual and ids are sequential, so the same file gives the
same report byte for byte.
"""

from __future__ import annotations

import datetime as dt
from contextlib import nullcontext
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, model_validator

from collegium._brief import brief
from collegium._loader import line_of, parse_yaml, validate_model
from collegium.engine.clock import ManualClock, SequentialIds, format_time, parse_time
from collegium.engine.engine import Engine
from collegium.engine.registry import Registry
from collegium.errors import CollegiumError, DefinitionError, InvalidInput, RuleViolation
from collegium.store.bodies import Body

ACTIONS = ("start", "fire", "vote", "advance", "expect")
#: steps run in one batch (:meth:`Engine.batch`): on a database, a commit for this many steps
BATCH = 500
#: a date-time with a time zone, as :func:`~collegium.engine.clock.parse_time` reads it: a date
#: (2026-03-02, 20260302, 2026-W10-1), one separating character, a time, and a zone (Z, +08:00)
_ZONED = (r"\s*(\d{4}-\d{2}-\d{2}|\d{8}|\d{4}-?W\d{2}(-?\d)?).\d{2}\S*"
          r"(Z|z|[+-]\d{2}(:?\d{2}(:?\d{2}(\.\d+)?)?)?)\s*")
ZONED_TIME = f"^{_ZONED}$"
#: what ``advance`` takes: an ISO 8601 duration (P2D) or a date-time with a time zone
ADVANCE = f"^(P|{_ZONED}$)"


def _given(key: str) -> dict[str, Any]:
    """The JSON Schema of a step that has ``key`` (present and not null)."""
    return {"required": [key], "properties": {key: {"not": {"type": "null"}}}}


def _needs(*keys: str) -> dict[str, Any]:
    """The JSON Schema of a step that says who acts (``as``, one or more) and ``keys``."""
    acts: dict[str, Any] = {"as": {"not": {"type": "null"}, "minItems": 1}}
    return {"required": ["as", *keys],
            "properties": {**acts, **{key: {"type": "string", "minLength": 1} for key in keys}}}


#: A step in JSON Schema beyond its keys: exactly one action, and who acts on which instance where
#: the action needs them (as :func:`run` asks for them).
_STEP_SCHEMA: dict[str, Any] = {
    "oneOf": [_given(action) for action in ACTIONS],
    "allOf": [{"if": _given("start"), "then": _needs()},
              *({"if": _given(action), "then": _needs("instance")} for action in ("fire", "vote"))],
}


class Expectation(BaseModel):
    """What should hold of an instance: its state, some of its facts, some figures of its ballot result."""

    model_config = ConfigDict(extra="forbid", defer_build=True)

    instance: str = Field(description="the instance: the id given when it was started, or the engine's id")
    state: str | None = None
    facts: dict[str, Any] = Field(default_factory=dict, description="facts that must have these values")
    ballot: dict[str, Any] = Field(default_factory=dict, description="figures of the closed ballot's result")


class Step(BaseModel):
    """One step: exactly one of ``start``, ``fire``, ``vote``, ``advance`` or ``expect``."""

    model_config = ConfigDict(extra="forbid", populate_by_name=True, defer_build=True,
                              json_schema_extra=_STEP_SCHEMA)

    start: str | None = Field(default=None, description="a procedure to start")
    fire: str | None = Field(default=None, description="a trigger to fire")
    vote: str | None = Field(default=None, description="a choice every actor in 'as' casts")
    advance: str | None = Field(
        default=None, description="an ISO 8601 duration (P2D, PT3H) or a date-time",
        json_schema_extra={"pattern": ADVANCE})
    expect: Expectation | None = None
    instance: str | None = Field(default=None, description="the instance a fire or vote acts on (YAML reads a key "
                                                           "'on' as true, so it is not called that)")
    actor: str | list[str] | None = Field(default=None, alias="as", description="who acts (votes: several)")
    id: str | None = Field(default=None, description="a name for the instance this step starts: the procedure "
                                                      "started, else the first child a fire or advance starts")
    data: dict[str, Any] = Field(
        default_factory=dict, json_schema_extra={"propertyNames": {"pattern": "^[a-z][a-z0-9_]*$"}},
        description="the data the step's trigger takes, by name: text, a whole number, a "
                    "decimal, true or false, a date-time with a time zone, a list of texts or a "
                    "mapping of text to text (attendance: person to present, absent, recused or "
                    "attendee). Which names and types each trigger takes: `collegium procedures "
                    "show ID` and the handbook")
    item: str | None = Field(default=None, description="the item of a list voted item by item")
    refused: str | None = Field(default=None, description="this step must be refused by this rule id")

    @model_validator(mode="after")
    def _one_action(self) -> Step:
        given = [a for a in ACTIONS if getattr(self, a) is not None]
        if len(given) != 1:
            raise ValueError(f"a step has exactly one of {', '.join(ACTIONS)}; this one has {given or 'none'}")
        return self


class ScenarioSpec(BaseModel):
    """A scenario file."""

    model_config = ConfigDict(extra="forbid", defer_build=True)

    scenario: str = Field(min_length=1, description="its title")
    start: str = Field(description="when the virtual clock starts, ISO 8601 with a time zone",
                       json_schema_extra={"pattern": ZONED_TIME})
    definitions: list[str] = Field(
        default_factory=list,
        description="procedure, fragment and rule-pack files or folders the scenario runs on "
        "beside the built-in ones, relative to the scenario file",
    )
    bodies: list[Body] = Field(default_factory=list)
    steps: list[Step] = Field(min_length=1)


@dataclass
class StepReport:
    """What one step did: ok, refused (with the failed rules), or an expectation checked."""

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


@dataclass
class Scenario:
    spec: ScenarioSpec
    source: str
    lines: list[int | None]

    def definition_paths(self) -> list[Path]:
        """The files and folders of definitions the scenario names, relative to its own file (to
        the working folder when it was not read from a file)."""
        here = Path(self.source).parent if Path(self.source).is_file() else Path.cwd()
        return [here / p for p in self.spec.definitions]

    def registry(self) -> Registry:
        """The built-in definitions and those the scenario names."""
        reg = Registry.builtin()
        reg.load(*self.definition_paths())
        return reg

    @classmethod
    def load(cls, text: str, source: str) -> Scenario:
        data, node = parse_yaml(text, source)
        spec = validate_model(ScenarioSpec, data, node, source)
        parse_time(spec.start, f"{source}: start")
        return cls(spec, source, [line_of(node, ["steps", i]) for i in range(len(spec.steps))])


def _where(scn: Scenario, n: int) -> str:
    line = scn.lines[n]
    return f"{scn.source}:{line}" if line else scn.source


def run(scn: Scenario, engine: Engine | None = None, on_step: Any = None,
        lang: str = "en", registry: Registry | None = None) -> tuple[Engine, list[StepReport]]:
    """Run ``scn`` (on a fresh in-memory engine unless one is given); raise :class:`ExpectationFailed` at the first
    expectation that does not hold (an unexpected refusal is one), :class:`InvalidInput` for a step that cannot be
    carried out as written. The steps run in batches of ``BATCH`` (:meth:`Engine.batch`): on a database the steps
    before a failing one are committed before it is reported."""
    clock = ManualClock(parse_time(scn.spec.start, "start"))
    if engine is None:
        engine = Engine.in_memory(clock=clock, ids=SequentialIds(),
                                  registry=registry or scn.registry())
    elif isinstance(engine.clock, ManualClock):
        clock = engine.clock
    else:
        raise InvalidInput("a scenario runs on a virtual clock (ManualClock)")
    for body in scn.spec.bodies:
        engine.define_body(body)
    aliases: dict[str, str] = {}
    reports: list[StepReport] = []
    steps = list(enumerate(scn.spec.steps))
    for first in range(0, len(steps), BATCH):
        failure: Exception | None = None
        # a database commits the steps run so far, then reports the failure; a face of the engine
        # without batches (the async engine, driven from sync code) commits each step
        batch = getattr(engine, "batch", nullcontext)
        with batch():
            for n, step in steps[first:first + BATCH]:
                failure = _run_step(engine, clock, scn, n, step, aliases, reports, lang)
                if failure is not None:
                    break
                if on_step is not None:
                    on_step(n)
        if failure is not None:
            raise failure
    return engine, reports


def _run_step(engine: Engine, clock: ManualClock, scn: Scenario, n: int, step: Step,
              aliases: dict[str, str], reports: list[StepReport], lang: str) -> Exception | None:
    """Run step ``n``, its reports added to ``reports``; the error that ends the scenario, if any."""
    where = _where(scn, n)
    try:
        reports.extend(_step(engine, clock, step, n, scn.lines[n], aliases, where, lang))
    except (ExpectationFailed, DefinitionError, RuleViolation) as exc:
        return exc
    except CollegiumError as exc:
        return InvalidInput(f"{where}: step {n + 1}: {exc}")
    return None


def _actors(step: Step) -> list[str]:
    return [step.actor] if isinstance(step.actor, str) else list(step.actor or [])


def _step(engine: Engine, clock: ManualClock, step: Step, n: int, line: int | None, aliases: dict[str, str],
          where: str, lang: str) -> list[StepReport]:
    at = format_time(clock.now())
    if step.advance is not None:
        report = _advance(engine, clock, step.advance, n, line)
        if step.id and report.started:
            aliases[step.id] = report.started[0]
        return [report]
    if step.expect is not None:
        _check(engine, step.expect, aliases, where, n)
        return [StepReport(n, line, at, "expect", instance=aliases.get(step.expect.instance, step.expect.instance))]
    actors = _actors(step)
    if not actors:
        raise InvalidInput(f"{where}: step {n + 1} needs 'as' (who acts)")
    out = []
    for actor in actors:
        report = StepReport(n, line, format_time(clock.now()), "start" if step.start else "fire", actor=actor)
        try:
            if step.start is not None:
                o = engine.start(step.start, actor, step.data, instance_id=step.id)
                if step.id:
                    aliases[step.id] = o.instance.id
            else:
                iid = aliases.get(step.instance or "", step.instance or "")
                if not iid:
                    raise InvalidInput(f"{where}: step {n + 1} needs 'instance' (which one)")
                data = {**step.data, **({"choice": step.vote} if step.vote else {}),
                        **({"item": step.item} if step.item else {})}
                o = engine.fire(iid, step.fire or "vote", actor, data)
        except RuleViolation as exc:
            report.outcome = "refused"
            report.trigger = exc.verdict.trigger
            report.instance = aliases.get(step.instance or "", step.instance)
            report.rules = [r.to_dict(lang) for r in exc.verdict.failures]
            ids = [r.rule_id for r in exc.verdict.failures]
            if step.refused is None or step.refused not in ids:
                raise ExpectationFailed(f"{where}: step {n + 1} ({report.trigger} as {actor}) was refused by "
                                        f"{', '.join(ids)}" + (f", not by {step.refused}" if step.refused else "")
                                        ) from None
        else:
            if step.refused is not None:
                raise ExpectationFailed(f"{where}: step {n + 1} ({o.event.trigger} as {actor}) went through to "
                                        f"{o.instance.state}; it should be refused by {step.refused}")
            report.instance, report.trigger, report.state = o.instance.id, o.event.trigger, o.instance.state
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
        raise InvalidInput(f"advance {text!r} goes past the year 9998") from None
    if target < now:
        raise InvalidInput(f"advance to {text!r} goes back in time (the clock says {format_time(now)})")
    clock.set(target)
    runs = engine.run_due(target)
    report = StepReport(n, line, format_time(target), "advance")
    report.started = [c for r in runs if r.outcome for c in r.outcome.started]
    report.rules = [{"timer": r.timer.name, "instance": r.timer.instance_id,
                     "state": r.outcome.instance.state if r.outcome else None} for r in runs]
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
        problems.append(f"state is {inst.state}, expected {exp.state}")
    for key, want in exp.facts.items():
        if inst.facts.get(key) != want:
            problems.append(f"fact {key} is {brief(inst.facts.get(key))}, expected {brief(want)}")
    result = (inst.facts.get("ballot") or {}).get("result") or {}
    for key, want in exp.ballot.items():
        if result.get(key) != want:
            problems.append(f"ballot {key} is {brief(result.get(key))}, expected {brief(want)}")
    if problems:
        raise ExpectationFailed(f"{where}: step {n + 1}: {exp.instance}: " + "; ".join(problems))

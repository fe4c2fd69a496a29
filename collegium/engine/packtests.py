"""A rule pack's tests: cases written in YAML beside the pack, each a command on an instance in a
state with given facts, and the verdict its rules should reach.

A test file names the pack it tests and holds its cases::

    tests: company-board            # the pack (its latest loaded version)
    procedure: board_resolution     # the cases' procedure, unless a case names another
    now: 2026-05-04T10:00+08:00     # the cases' time, unless a case gives its own
    bodies: [...]                   # the bodies the cases' facts name, as in a scenario
    cases:
      - name: four days' notice is too short
        state: drafted              # omitted: the procedure's start
        trigger: convene
        actor: chair
        facts: {title: Shares, kind: special, board: board}
        data: {meeting_at: "2026-05-08T10:00+08:00"}
        expect:
          passed: false             # no blocking rule failed
          rules: {R-BOARD-NOTICE: fail, R-BOARD-ROLE: pass}   # pass, fail or n/a (did not apply)
          to: convened              # the state the branch rules choose

``facts`` may also give the facts the engine derives (``n``, ``present``, ``agree``, ``consulted``,
``actor_roles`` …): a test states them instead of building a meeting; ``states`` gives the state of
another instance a ``state`` check reads (``{md-7: executing}``). The data is checked and typed as
a command's would be. Nothing is written: the rules are judged on a store in memory.

:func:`run_tests` runs files; its report says which cases failed and why, which of the pack's
rules no case made apply (coverage), and with ``mutate`` which rules could be dropped without a
case noticing (each rule in turn passing whatever it reads, a branch rule never choosing).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from collegium._catalog import Message
from collegium._loader import parse_yaml, read_text, validate_model
from collegium.engine import inputs, judging
from collegium.engine.clock import parse_time
from collegium.engine.compiled import CompiledProcedure, Plan
from collegium.engine.registry import Registry
from collegium.errors import CollegiumError, InvalidInput
from collegium.rules.verdict import RuleResult
from collegium.store.bodies import Body
from collegium.store.memstore import MemoryStore

Outcome = Literal["pass", "fail", "n/a"]


class Expect(BaseModel):
    """What a case expects: the verdict, rules' outcomes, the state chosen."""

    model_config = ConfigDict(extra="forbid", defer_build=True)

    passed: bool | None = None
    rules: dict[str, Outcome] = Field(default_factory=dict)
    to: str | None = None


class Case(BaseModel):
    """One command judged on an instance in ``state`` with ``facts``."""

    model_config = ConfigDict(extra="forbid", defer_build=True)

    name: str = Field(min_length=1)
    procedure: str | None = None
    state: str | None = None
    trigger: str | None = None
    actor: str
    facts: dict[str, Any] = Field(default_factory=dict)
    data: dict[str, Any] = Field(default_factory=dict)
    now: str | None = None
    states: dict[str, str] = Field(
        default_factory=dict,
        description="the states of other instances the rules read (a `state` check), by id",
    )
    expect: Expect


class TestFile(BaseModel):
    """A file of a pack's tests."""

    model_config = ConfigDict(extra="forbid", defer_build=True)

    tests: str = Field(min_length=1, description="the id of the rule pack the cases test")
    procedure: str | None = None
    now: str | None = None
    bodies: list[Body] = Field(default_factory=list)
    cases: list[Case] = Field(min_length=1)


@dataclass(frozen=True, slots=True, kw_only=True)
class CaseResult:
    """A case run: ``problems`` lists each expectation that did not hold (none: it passed), in
    English; :meth:`problems_in` says them in another language."""

    source: str
    name: str
    problems: tuple[str, ...]
    #: ``problems`` as found, to say in another language (empty: English only)
    said: tuple[Message, ...] = field(default=(), compare=False, repr=False)

    @property
    def ok(self) -> bool:
        return not self.problems

    def problems_in(self, lang: str = "en") -> tuple[str, ...]:
        """``problems`` in ``lang``."""
        return tuple(m.say(lang) for m in self.said) if self.said else self.problems


@dataclass(frozen=True, slots=True, kw_only=True)
class PackReport:
    """Every case of one pack, the rules no case made apply, and (with ``mutate``) the rules whose
    removal no case noticed."""

    pack: str
    cases: tuple[CaseResult, ...]
    rules: tuple[str, ...]
    uncovered: tuple[str, ...]
    survivors: tuple[str, ...] | None = None

    @property
    def ok(self) -> bool:
        return all(c.ok for c in self.cases)


@dataclass(slots=True)
class _Loaded:
    source: str
    spec: TestFile
    store: MemoryStore = field(default_factory=MemoryStore)


def builtin_pack_tests() -> list[Path]:
    """The test files of the packs shipped with Collegium (``collegium/rules/packtests/``)."""
    folder = Path(str(resources.files("collegium").joinpath("rules", "packtests")))
    return sorted(folder.glob("*.yaml"))


def load_tests(path: str | Path) -> TestFile:
    """A test file, validated (:class:`~collegium.errors.DefinitionError` naming the line)."""
    data, node = parse_yaml(read_text(path), str(path))
    return validate_model(TestFile, data, node, str(path))


def run_tests(
    registry: Registry, paths: Iterable[str | Path], *, mutate: bool = False
) -> list[PackReport]:
    """Run the test files ``paths`` against ``registry``'s packs; a report per pack tested, in
    the order first named."""
    files: dict[str, list[_Loaded]] = {}
    for path in paths:
        spec = load_tests(path)
        loaded = _Loaded(str(path), spec)
        for body in spec.bodies:
            loaded.store.put_body(body, None)
        files.setdefault(spec.tests, []).append(loaded)
    return [_pack_report(registry, pack_id, loaded, mutate) for pack_id, loaded in files.items()]


def _pack_report(
    registry: Registry, pack_id: str, files: list[_Loaded], mutate: bool
) -> PackReport:
    pack = registry.pack(pack_id)
    rule_ids = tuple(r.id for r in pack.rules)
    applied: set[str] = set()
    results = [_run_case(registry, f, case, applied) for f in files for case in f.spec.cases]
    survivors: tuple[str, ...] | None = None
    if mutate:
        survivors = tuple(
            rid
            for rid in rule_ids
            if all(
                _run_case(registry, f, case, set(), dropped=rid).ok
                for f in files
                for case in f.spec.cases
            )
        )
    return PackReport(
        pack=pack.key,
        cases=tuple(results),
        rules=rule_ids,
        uncovered=tuple(r for r in rule_ids if r not in applied),
        survivors=survivors,
    )


def _run_case(
    registry: Registry, file: _Loaded, case: Case, applied: set[str], *, dropped: str | None = None
) -> CaseResult:
    def result(*problems: Message) -> CaseResult:
        english = tuple(str(m) for m in problems)
        return CaseResult(source=file.source, name=case.name, problems=english, said=problems)

    procedure = case.procedure or file.spec.procedure
    if procedure is None:
        return result(Message("names no procedure (give `procedure` in the case or the file)"))
    try:
        proc = registry.compiled(procedure)
        plan = _plan(proc, case)
        when = case.now or file.spec.now
        if when is None:
            raise InvalidInput(Message("gives no time (`now` in the case or the file)"))
        now = parse_time(when, "now")
        data = inputs.normalize(proc, plan, case.data)
        found = _judge(proc, plan, case, data, now, file.store, dropped)
    except CollegiumError as exc:
        return result(Message("cannot be judged: {problem}", problem=exc))
    results, chosen = found
    applied.update(r.rule_id for r in results if r.applicable)
    return result(*_compare(case.expect, results, chosen))


def _plan(proc: CompiledProcedure, case: Case) -> Plan:
    if case.state is None:
        plan = proc.start_plan
        if case.trigger not in (None, plan.trigger):
            raise InvalidInput(
                Message(
                    "{trigger!r} is not the start of {procedure} ({start!r}); "
                    "give the state it leaves",
                    trigger=case.trigger,
                    procedure=proc.spec.id,
                    start=plan.trigger,
                )
            )
        return plan
    if case.trigger is None:
        raise InvalidInput(Message("gives a state but no trigger"))
    found = proc.plan(case.state, case.trigger)
    if found is None:
        raise InvalidInput(
            Message(
                "{trigger!r} does not leave state {state!r} of {procedure}",
                trigger=case.trigger,
                state=case.state,
                procedure=proc.spec.id,
            )
        )
    return found


def _judge(
    proc: CompiledProcedure,
    plan: Plan,
    case: Case,
    data: Mapping[str, Any],
    now: dt.datetime,
    store: MemoryStore,
    dropped: str | None,
) -> tuple[list[RuleResult], str | None]:
    """Every rule of the plan and its branch rules on the case's facts; the state chosen."""
    given = {k: v for k, v in case.facts.items() if k not in proc.spec.facts}
    facts = {k: v for k, v in case.facts.items() if k in proc.spec.facts}
    facts.update((k, v) for k, v in data.items() if k in plan.data)
    view = {**facts, **{k: v for k, v in data.items() if k not in plan.data}}
    with store.unit(write=False) as stored:

        def state_of(instance_id: str) -> str | None:
            if instance_id in case.states:
                return case.states[instance_id]
            return stored.state_of(instance_id)

        ctx = judging.context(
            proc,
            instance_id="test",
            state=case.state or "",
            trigger=plan.trigger,
            actor=case.actor,
            facts=view,
            now=now,
            unit=stored,
            directory=None,
            stating=plan.states_view,
            supplied=case.data,
            state_of=state_of,
        )
        ctx.given(given)
        results = [
            _dropped(r) if r.rule_id == dropped else r for r in judging.evaluate(plan, ctx).results
        ]
        chosen: str | None = None
        for rule, dest in plan.branches:
            if rule is None:
                chosen = chosen or dest
                continue
            res = rule.evaluate(ctx, plan.roles)
            results.append(
                RuleResult(
                    res.rule_id,
                    res.passed,
                    "branch",
                    res.title,
                    res.citation,
                    res.detail,
                    res.params,
                    res.facts,
                    res.applicable,
                )
            )
            if chosen is None and res.passed and res.applicable and rule.id != dropped:
                chosen = dest
    return results, chosen if plan.branches else None


def _dropped(found: RuleResult) -> RuleResult:
    """A rule as if dropped from the pack: it passes whatever it reads."""
    return RuleResult(
        found.rule_id,
        True,
        found.severity,
        found.title,
        found.citation,
        found.detail,
        found.params,
        found.facts,
        found.applicable,
    )


def _outcome(r: RuleResult) -> Outcome:
    return "n/a" if not r.applicable else ("pass" if r.passed else "fail")


def _compare(expect: Expect, results: list[RuleResult], chosen: str | None) -> list[Message]:
    problems = []
    blocking = any(r.blocking for r in results)
    if expect.passed is not None and expect.passed == blocking:
        problems.append(
            Message("expected the command to be allowed, it was refused")
            if expect.passed
            else Message("expected the command to be refused, it was allowed")
        )
    seen = {r.rule_id: _outcome(r) for r in results}
    for rule_id, want in expect.rules.items():
        got = seen.get(rule_id)
        if got is None:
            problems.append(
                Message(
                    "{rule}: expected {want}, but it does not bind this command",
                    rule=rule_id,
                    want=want,
                )
            )
        elif got != want:
            problems.append(
                Message("{rule}: expected {want}, got {got}", rule=rule_id, want=want, got=got)
            )
    if expect.to is not None and expect.to != chosen:
        problems.append(
            Message(
                "expected to go to {to!r}, the branches chose {chosen!r}",
                to=expect.to,
                chosen=chosen,
            )
        )
    return problems

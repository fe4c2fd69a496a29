"""How a command is judged: the facts its rules read (a :class:`Context`) and the verdict of a
plan's rules over them. Every stage of a step that judges anything — the step's own rules, its
branches, the children it starts, a start, a dry run, a replay under another pack — judges here.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Mapping
from typing import Any

from collegium._catalog import Message
from collegium.engine.compiled import CompiledProcedure, Plan
from collegium.engine.context import Context
from collegium.engine.governance import BodyLookup, Directory
from collegium.errors import NotFound, RuleViolation
from collegium.rules.verdict import RuleResult, Verdict
from collegium.store.protocol import Seat, Unit


def bodies(directory: Directory | None, unit: Unit, now: dt.datetime) -> BodyLookup:
    """How a command looks bodies up: in the store, or in the host's ``directory`` as of ``now``."""
    if directory is None:
        return unit.body
    return lambda body_id: directory.body(body_id, now)


def require_body(proc: CompiledProcedure, data: Mapping[str, Any], lookup: BodyLookup) -> None:
    """Raise :class:`NotFound` when ``data`` names, as the procedure's body, a body ``lookup`` does
    not know: the cause to name before any rule is judged on members it does not have."""
    named = data.get(proc.spec.body_fact) if proc.spec.body_fact else None
    if isinstance(named, str) and lookup(named) is None:
        raise NotFound(Message("no body {id!r}", id=named))


def context(
    proc: CompiledProcedure,
    *,
    instance_id: str,
    state: str,
    trigger: str,
    actor: str,
    facts: Mapping[str, Any],
    now: dt.datetime,
    unit: Unit,
    directory: Directory | None,
    staged: Mapping[str, Seat] | None = None,
    stating: bool = False,
    supplied: Iterable[str] = (),
    state_of: Callable[[str], str | None] | None = None,
) -> Context:
    """The facts a command on ``instance_id`` in ``state`` is judged on: ``facts`` as the step
    would leave them, the derived ones read lazily through ``unit``, the pack's parameters, and the
    seats of a meeting the step opens (``staged``, not stored yet). ``stating``: the command
    states the actor's view at the meeting; ``supplied``: the keys of the command's own data;
    ``state_of``: where other instances' states come from, ``unit`` unless given."""
    return Context(
        instance_id=instance_id,
        state=state,
        trigger=trigger,
        actor=actor,
        now=now,
        facts=facts,
        types=proc.types,
        body_id=facts.get(proc.spec.body_fact),
        directory=bodies(directory, unit, now),
        state_of=state_of or unit.state_of,
        params=proc.params,
        ballots=unit,
        staged_seats=staged,
        stating=stating,
        acting=proc.acting,
        supplied=supplied,
    )


def results(plan: Plan, ctx: Context) -> list[RuleResult]:
    """What every rule of ``plan`` finds on ``ctx``, in the plan's order (no branch rules)."""
    roles = plan.roles
    return [rule.evaluate(ctx, roles) for rule in plan.rules]


def evaluate(plan: Plan, ctx: Context) -> Verdict:
    """The verdict of every rule of ``plan`` on ``ctx``, in the plan's order (no branch rules)."""
    return Verdict(plan.trigger, tuple(results(plan, ctx)))


def gate(verdict: Verdict) -> None:
    """Refuse the command (:class:`RuleViolation`, nothing written) if a blocking rule failed."""
    if not verdict.passed:
        raise RuleViolation(verdict)

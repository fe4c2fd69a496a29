"""Idempotency: a command repeated with the key it was first sent with takes effect once and answers
again. And a verdict as an event keeps it (:func:`stored_verdict`), read back for a person
(:func:`stored_results`)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any

from collegium._catalog import Message
from collegium._i18n import Text
from collegium.engine import inputs
from collegium.engine.outcomes import Instance, Outcome
from collegium.engine.registry import CompiledProcedure, Registry
from collegium.errors import InvalidInput, NotFound
from collegium.rules.model import RulePackSpec
from collegium.rules.verdict import RuleResult, Verdict
from collegium.store.records import EventRecord, InstanceRecord
from collegium.workflows.spec import TRANSIENT_INPUTS

if TYPE_CHECKING:
    from collegium.engine.engine import Engine


def stored_verdict(verdict: Verdict) -> list[list[Any]]:
    """The verdict as kept in an event: ``[rule, passed, applicable, severity, detail, params]`` per
    rule."""
    return [
        [r.rule_id, r.passed, r.applicable, r.severity, r.detail, r.params] for r in verdict.results
    ]


def stored_results(registry: Registry, inst: Instance, stored: Iterable[Any]) -> list[RuleResult]:
    """An event's stored verdict (:func:`stored_verdict`) as rule results, each titled and cited
    from the rule pack the instance runs under: by the rule's id, uncited, where that pack is not
    known (no file loads it and the store keeps no text of it) or has no such rule."""
    try:
        pack: RulePackSpec | None = registry.pack(inst.pack, inst.pack_version)
    except NotFound:
        pack = None
    out = []
    for rule_id, passed, applicable, severity, detail, params in stored:
        spec = pack.rule(rule_id) if pack is not None else None
        out.append(
            RuleResult(
                rule_id,
                bool(passed),
                str(severity),
                spec.title if spec is not None else Text(en=rule_id, zh=rule_id),
                spec.citation if spec is not None else "",
                str(detail),
                dict(params or {}),
                {},
                bool(applicable),
            )
        )
    return out


def same_command(
    proc: CompiledProcedure,
    rec: InstanceRecord,
    event: EventRecord,
    trigger: str,
    actor: str,
    data: Mapping[str, Any],
) -> None:
    """A reused idempotency key must come with the command it was first used for, or it is bad
    input.

    A secret vote's choice and the tellers' secret were never stored, so they are not compared."""
    same = event.trigger == trigger and event.actor == actor
    plan = proc.plan(event.source or "", trigger) if same else None
    if plan is not None:
        try:
            asked: dict[str, Any] | None = inputs.normalize(proc, plan, data, complete=False)
        except InvalidInput:
            asked = None
        if asked is not None:
            unkept = {*TRANSIENT_INPUTS, *(("choice",) if event.effects.get("secret_vote") else ())}
            asked = {k: v for k, v in asked.items() if k not in unkept}
        same = asked == event.data
    if not same:
        raise InvalidInput(
            Message(
                "idempotency key {key!r} was already used on {id!r} for another command "
                "({trigger} by {actor})",
                key=event.idempotency_key,
                id=rec.id,
                trigger=event.trigger,
                actor=event.actor,
            )
        )


def outcome(pack: RulePackSpec, rec: InstanceRecord, event: EventRecord) -> Outcome:
    """The first call's outcome, rebuilt from its stored event (``instance`` is as it stands
    now)."""
    results = []
    for rule_id, passed, applicable, severity, detail, params in event.verdict:
        spec = pack.rule(rule_id)
        if spec is not None:
            results.append(
                RuleResult(
                    rule_id,
                    passed,
                    severity,
                    spec.title,
                    spec.citation,
                    detail,
                    params,
                    {},
                    applicable,
                )
            )
    started = tuple(event.effects.get("started", ()))
    return Outcome(
        Instance.of(rec), event, Verdict(event.trigger, tuple(results)), started, replayed=True
    )


def started_again(
    engine: Engine,
    proc: CompiledProcedure,
    instance_id: str,
    named: bool,
    actor: str,
    payload: Mapping[str, Any],
) -> Outcome:
    """A start whose instance id is taken: the first outcome if the caller named the id and it was
    this very command (procedure and version, trigger, actor, data) — a retried request, answered
    and not judged again — else bad input. A generated id is never a retry."""
    rec = engine.store.load(instance_id)
    first = engine.store.history(instance_id)[0]
    same = (
        named
        and (rec.procedure, rec.procedure_version) == (proc.spec.id, proc.spec.version)
        and (first.trigger, first.actor, first.data, first.effects.get("spawned_by"))
        == (proc.start_plan.trigger, actor, payload, None)
    )
    if not same:
        raise InvalidInput(Message("an instance {id!r} already exists", id=instance_id))
    return outcome(engine.registry.pack(rec.pack, rec.pack_version), rec, first)

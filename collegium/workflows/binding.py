"""Load-time checks of a procedure against its rule pack and the procedures it starts.

:mod:`collegium.workflows.check` checks a procedure's own graph. The checks here need more: the pack
that judges the procedure (which rules guard which trigger, whether every trigger is guarded by a
role rule, what the rules read) and the procedures its ``spawn`` effects start (which facts a child
declares). The engine compiles a procedure through these (``collegium.engine.compiled``), so a
definition fails when it is loaded, never mid-decision.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from typing import NamedTuple, Protocol

from collegium._catalog import Message
from collegium.definitions import FactType
from collegium.errors import DefinitionError
from collegium.rules import organisation
from collegium.rules.evaluate import CompiledRule
from collegium.rules.facts import ENGINE_FACTS, RECORD_FACTS
from collegium.rules.model import RulePackSpec
from collegium.rules.organisation import Reporting, Supervision
from collegium.workflows.spec import (
    EFFECT_INPUTS,
    SECRET_COUNTING,
    TRANSIENT_INPUTS,
    OpenMeetingEffect,
    ProcedureSpec,
)


class Branch(NamedTuple):
    """One way a trigger may go: to ``dest`` if ``rule`` passes (None: the fallback, taken when no
    branch rule before it passed)."""

    rule: CompiledRule | None
    dest: str


#: per ``spawn`` effect, by identity: the payload keys it hands to its child, typed by the child
Handed = dict[int, dict[str, FactType]]


class Move(Protocol):
    """What the checks read of one trigger from one state, once its rules are compiled."""

    @property
    def trigger(self) -> str: ...

    @property
    def rules(self) -> tuple[CompiledRule, ...]: ...

    @property
    def branches(self) -> tuple[Branch, ...]: ...

    @property
    def casts(self) -> bool: ...


def handed_to_children(
    spec: ProcedureSpec,
    child_facts: Mapping[str, Mapping[str, FactType]],
    source: str | Message,
) -> Handed:
    """Per spawn effect (by identity): the payload keys it hands to its child, typed by the child's
    facts. Every fact a spawn sets, copies or hands must be one the child declares."""
    out: Handed = {}
    for tr in spec.transitions:
        for effect in tr.effects:
            if effect.kind != "spawn" or not child_facts:
                continue
            declared = child_facts.get(effect.procedure, {})
            where = Message("transition {trigger}", trigger=tr.trigger)
            for key in (*effect.set_facts, *effect.copy_from, effect.link):
                if key not in declared:
                    raise DefinitionError(
                        Message(
                            "sets {key!r} on {procedure}, which declares no such fact",
                            key=key,
                            procedure=effect.procedure,
                        ),
                        source=source,
                        where=where,
                    )
            for key in effect.data:
                if key not in declared:
                    raise DefinitionError(
                        Message(
                            "hands {key!r} to {procedure}, which declares no such fact",
                            key=key,
                            procedure=effect.procedure,
                        ),
                        source=source,
                        where=where,
                    )
            out[id(effect)] = {key: declared[key] for key in effect.data}
    return out


def fact_types(spec: ProcedureSpec, handed: Handed) -> dict[str, FactType]:
    """The type of every fact a rule of ``spec`` may read: the engine's, the records effects keep,
    the effects' inputs, the keys handed to children and the procedure's own facts (which win)."""
    types: dict[str, FactType] = {k: v[0] for k, v in ENGINE_FACTS.items()}
    types.update(RECORD_FACTS)
    for kind_inputs in EFFECT_INPUTS.values():
        types.update(kind_inputs)
    types.update({k: t for by_effect in handed.values() for k, t in by_effect.items()})
    types.update({k: f.type for k, f in spec.facts.items()})
    return types


def guarded_rules(spec: ProcedureSpec, pack: RulePackSpec) -> dict[str, list[str]]:
    """Trigger -> the ids of the pack's rules whose guards name it (``"*"``: every trigger), in pack
    order; a guard naming a trigger ``spec`` does not have is refused."""
    guarded: dict[str, list[str]] = defaultdict(list)
    triggers = set(spec.triggers())
    for rule in pack.rules:
        for guard in rule.guards:
            if guard.procedure != spec.id:
                continue
            for trig in guard.triggers:
                if trig != "*" and trig not in triggers:
                    raise DefinitionError(
                        Message(
                            "guards unknown trigger {trigger!r} of {procedure}",
                            trigger=trig,
                            procedure=spec.id,
                        ),
                        source=Message("rule pack {key}", key=pack.key),
                        where=rule.id,
                    )
                for name in triggers if trig == "*" else (trig,):
                    if rule.id not in guarded[name]:
                        guarded[name].append(rule.id)
    return guarded


def check_moves(
    spec: ProcedureSpec,
    pack: RulePackSpec,
    start: Move,
    moves: Iterable[Move],
    source: str | Message,
) -> None:
    """The compiled ``start`` and other ``moves`` of ``spec``: no rule of a move reads a secret, and
    a rule of kind ``role`` guards every trigger."""
    rest = tuple(moves)
    _check_secrets(spec, pack, rest)
    for move in (start, *rest):
        if not any(rule.spec.check.kind == "role" for rule in move.rules):
            example = f"guards: [{{procedure: {spec.id}, triggers: ['*']}}]"
            raise DefinitionError(
                Message(
                    "trigger {trigger!r} is guarded by no rule of kind 'role', so anyone could "
                    "fire it; add one to pack {pack} (e.g. {example})",
                    trigger=move.trigger,
                    pack=pack.key,
                    example=example,
                ),
                source=source,
            )


def _check_secrets(spec: ProcedureSpec, pack: RulePackSpec, moves: Iterable[Move]) -> None:
    """No rule may read the tellers' secret, nor — where a ballot may be secret — a vote's choice:
    what a rule reads goes into its verdict, which the step's event and the outbox keep."""
    secret = any(
        method in SECRET_COUNTING
        for t in spec.transitions
        for e in t.effects
        if isinstance(e, OpenMeetingEffect)
        for method in e.methods
    )
    for move in moves:
        forbidden = set(TRANSIENT_INPUTS) | ({"choice"} if secret and move.casts else set())
        for rule in (*move.rules, *(b.rule for b in move.branches if b.rule is not None)):
            read = sorted(rule.reads & forbidden)
            if read:
                what = (
                    Message("the tellers' secret")
                    if read[0] in TRANSIENT_INPUTS
                    else Message("a vote's choice, which a secret ballot keeps from everyone")
                )
                raise DefinitionError(
                    Message(
                        "rule {rule} reads {fact!r} on {trigger!r}: no rule may read "
                        "{what} (its verdict is stored with the step)",
                        rule=rule.id,
                        fact=read[0],
                        trigger=move.trigger,
                        what=what,
                    ),
                    source=Message("rule pack {key}", key=pack.key),
                    where=rule.id,
                )


def check_declarations(
    supervision: Supervision | None, reporting: Reporting | None, spec: ProcedureSpec, pack_key: str
) -> None:
    """Refuse a state the pack's declarations name for ``spec`` that ``spec`` does not have."""
    for where, state in organisation.declared_states(supervision, reporting, spec.id):
        if state not in spec.states:
            raise DefinitionError(
                Message(
                    "procedure {procedure} has no state {state!r}; its states are {states}",
                    procedure=spec.key,
                    state=state,
                    states=", ".join(spec.states),
                ),
                source=Message("rule pack {key}", key=pack_key),
                where=where,
            )

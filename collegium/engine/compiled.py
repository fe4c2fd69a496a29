"""A procedure compiled against one version of its rule pack: one shared state machine, every rule compiled once,
and a :class:`Plan` per (state, trigger) listing the roles, rules, data and effects of that move."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from collegium._i18n import Text
from collegium.errors import DefinitionError
from collegium.rules.evaluate import CompiledRule, compile_rules
from collegium.rules.facts import ENGINE_FACTS, RECORD_FACTS
from collegium.rules.model import RulePackSpec
from collegium.workflows.check import check_procedure
from collegium.workflows.spec import (
    EFFECT_INPUTS,
    SECRET_COUNTING,
    TRANSIENT_INPUTS,
    CastVoteEffect,
    Effect,
    FactType,
    OpenMeetingEffect,
    ProcedureSpec,
    TransitionSpec,
)

#: Pack parameters the engine itself reads, with their types (every other parameter is for rules: $name).
ENGINE_PARAMETERS: dict[str, type] = {
    "recusal_reduces_n": bool,  # recused members leave n, the members who should attend (default true)
}


@dataclass(frozen=True, slots=True)
class Plan:
    """Everything the engine needs to run one trigger from one state."""

    trigger: str
    roles: tuple[str, ...]
    rules: tuple[CompiledRule, ...]
    branches: tuple[tuple[CompiledRule | None, str], ...]
    data: frozenset[str]
    inputs: dict[str, FactType]
    effects: tuple[Effect, ...]
    #: a branch's own effects where they differ from ``effects`` (a branch may start children of its own)
    branch_effects: Mapping[str, tuple[Effect, ...]] = field(default_factory=dict)
    #: the kinds of ``effects``, which the engine asks about on every step
    kinds: frozenset[str] = field(init=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "kinds", frozenset(effect.kind for effect in self.effects))

    def effects_to(self, dest: str) -> tuple[Effect, ...]:
        """The effects applied when the step goes to ``dest``."""
        return self.branch_effects.get(dest, self.effects)

    @property
    def accepted(self) -> frozenset[str]:
        return self.data | frozenset(self.inputs)

    @property
    def tallies(self) -> bool:
        return "tally" in self.kinds

    @property
    def attends(self) -> bool:
        return "attend" in self.kinds

    @property
    def counts(self) -> bool:
        return "count_ballots" in self.kinds

    @property
    def casts(self) -> bool:
        return "cast_vote" in self.kinds

    @property
    def stages_meeting(self) -> bool:
        return not self.kinds.isdisjoint(("open_meeting", "convene"))


@dataclass(frozen=True, slots=True)
class Definition:
    """A parsed definition with the text it came from (stored with instances, never compiled objects)."""

    kind: str
    key: str
    text: str
    sha256: str


class CompiledProcedure:
    """A procedure version compiled against a rule-pack version."""

    def __init__(self, spec: ProcedureSpec, pack: RulePackSpec, source: str,
                 child_facts: Mapping[str, Mapping[str, FactType]] | None = None, deferred: bool = False) -> None:
        """``deferred``: all of it shipped with Collegium; its expressions compile when first evaluated."""
        from collegium.engine.machine import CompiledMachine

        check_procedure(spec, source)
        self.spec = spec
        self.pack = pack
        self.params: dict[str, Any] = {k: p.value for k, p in pack.parameters.items()}
        for name, kind in ENGINE_PARAMETERS.items():
            if name in self.params and not isinstance(self.params[name], kind):
                raise DefinitionError(f"parameter {name!r} must be {kind.__name__}, not {self.params[name]!r}",
                                      source=f"rule pack {pack.key}", where=f"parameters.{name}")
        types: dict[str, FactType] = {k: v[0] for k, v in ENGINE_FACTS.items()}
        types.update(RECORD_FACTS)
        for kind_inputs in EFFECT_INPUTS.values():
            types.update(kind_inputs)
        handed = _handed_to_children(spec, child_facts or {}, source)
        types.update({k: t for by_effect in handed.values() for k, t in by_effect.items()})
        types.update({k: f.type for k, f in spec.facts.items()})
        self.types = types
        labels: dict[str, Text | None] = {k: f.label for k, f in spec.facts.items()}

        # which rules bind to which trigger: the transition's own list plus the pack's guards
        guarded: dict[str, list[str]] = defaultdict(list)
        triggers = set(spec.triggers())
        for rule in pack.rules:
            for guard in rule.guards:
                if guard.procedure != spec.id:
                    continue
                for trig in guard.triggers:
                    if trig != "*" and trig not in triggers:
                        raise DefinitionError(f"guards unknown trigger {trig!r} of {spec.id}",
                                              source=f"rule pack {pack.key}", where=rule.id)
                    for name in (triggers if trig == "*" else (trig,)):
                        if rule.id not in guarded[name]:
                            guarded[name].append(rule.id)
        own_ids = [r for tr in spec.transitions for r in (*tr.rules, *([tr.when] if tr.when else []))]
        wanted = list(dict.fromkeys([r for ids in guarded.values() for r in ids] + own_ids + list(spec.start.rules)))
        compiled = compile_rules(pack, wanted, types, labels, source, deferred)

        def rules_for(trigger: str, own: tuple[str, ...]) -> tuple[CompiledRule, ...]:
            ids = list(dict.fromkeys([*own, *guarded.get(trigger, [])]))
            return tuple(compiled[i] for i in ids)

        self.start_plan = Plan(spec.start.trigger, spec.start.roles, rules_for(spec.start.trigger, spec.start.rules),
                               ((None, spec.initial),), frozenset(spec.start.data), {}, ())
        groups: dict[tuple[str, str], list[TransitionSpec]] = defaultdict(list)
        for tr in spec.transitions:
            for src in tr.source:
                groups[(src, tr.trigger)].append(tr)
        self.plans: dict[tuple[str, str], Plan] = {}
        for (state, trigger), group in groups.items():
            first = group[0]
            inputs: dict[str, FactType] = {}
            for effect in (e for t in group for e in t.effects):
                inputs.update(EFFECT_INPUTS[effect.kind])
                inputs.update(handed.get(id(effect), {}))
            own_effects = {t.dest: t.effects for t in group if t.effects != first.effects}
            branch_ids = {t.when for t in group if t.when}
            own = tuple(r for r in first.rules if r not in branch_ids)
            self.plans[(state, trigger)] = Plan(
                trigger, first.roles,
                tuple(r for r in rules_for(trigger, own) if r.id not in branch_ids),
                tuple((compiled[t.when] if t.when else None, t.dest) for t in group),
                frozenset(first.data), inputs, first.effects, own_effects)
        _check_secrets(spec, pack, self.plans.values(), source)
        #: the states in which a ballot can be counted by its tellers (a secret ballot needs that)
        self.counting_states = frozenset(state for (state, _), plan in self.plans.items() if plan.counts)
        for plan in (self.start_plan, *self.plans.values()):
            if not any(rule.spec.check.kind == "role" for rule in plan.rules):
                raise DefinitionError(
                    f"trigger {plan.trigger!r} is guarded by no rule of kind 'role', so anyone could fire it; "
                    f"add one to pack {pack.key} (e.g. guards: [{{procedure: {spec.id}, triggers: ['*']}}])",
                    source=source)
        self.machine = CompiledMachine(spec)

    @property
    def key(self) -> str:
        return self.spec.key

    @property
    def vote_options(self) -> tuple[str, ...]:
        """The default choices of the procedure's vote (its first ``cast_vote`` effect)."""
        effect = self._vote_effect()
        return effect.choices if effect is not None else ()

    @property
    def dissent_options(self) -> tuple[str, ...]:
        """The choices that record dissent on a named ballot (R-DISSENT)."""
        effect = self._vote_effect()
        return effect.dissent if effect is not None else ()

    def _vote_effect(self) -> CastVoteEffect | None:
        for t in self.spec.transitions:
            for effect in t.effects:
                if isinstance(effect, CastVoteEffect):
                    return effect
        return None

    def plan(self, state: str, trigger: str) -> Plan | None:
        return self.plans.get((state, trigger))

    def triggers_from(self, state: str) -> list[str]:
        return [t for (s, t) in self.plans if s == state]


def _handed_to_children(spec: ProcedureSpec, child_facts: Mapping[str, Mapping[str, FactType]],
                        source: str) -> dict[int, dict[str, FactType]]:
    """Per spawn effect (by identity): the payload keys it hands to its child, typed by the child's facts."""
    out: dict[int, dict[str, FactType]] = {}
    for tr in spec.transitions:
        for effect in tr.effects:
            if effect.kind != "spawn" or not child_facts:
                continue
            declared = child_facts.get(effect.procedure, {})
            for key in (*effect.set_facts, *effect.copy_from, effect.link):
                if key not in declared:
                    raise DefinitionError(f"sets {key!r} on {effect.procedure}, which declares no such fact",
                                          source=source, where=f"transition {tr.trigger}")
            for key in effect.data:
                if key not in declared:
                    raise DefinitionError(f"hands {key!r} to {effect.procedure}, which declares no such fact",
                                          source=source, where=f"transition {tr.trigger}")
            out[id(effect)] = {key: declared[key] for key in effect.data}
    return out


def _check_secrets(spec: ProcedureSpec, pack: RulePackSpec, plans: Iterable[Plan], source: str) -> None:
    """No rule may read the tellers' secret, nor — where a ballot may be secret — a vote's choice: what a rule
    reads goes into its verdict, which the step's event and the outbox keep."""
    secret = any(method in SECRET_COUNTING for t in spec.transitions for e in t.effects
                 if isinstance(e, OpenMeetingEffect) for method in e.methods)
    for plan in plans:
        forbidden = set(TRANSIENT_INPUTS) | ({"choice"} if secret and plan.casts else set())
        for rule in (*plan.rules, *(r for r, _ in plan.branches if r is not None)):
            read = sorted(rule.reads & forbidden)
            if read:
                what = "the tellers' secret" if read[0] in TRANSIENT_INPUTS else "a vote's choice, which a secret " \
                    "ballot keeps from everyone"
                raise DefinitionError(f"rule {rule.id} reads {read[0]!r} on {plan.trigger!r}: no rule may read "
                                      f"{what} (its verdict is stored with the step)",
                                      source=f"rule pack {pack.key}", where=rule.id)

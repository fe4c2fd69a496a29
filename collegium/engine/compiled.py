"""A procedure compiled against one version of its rule pack: one shared state machine, every rule
compiled once, and a :class:`Plan` per (state, trigger) listing the roles, rules, data and effects
of that move."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from collegium._catalog import Message
from collegium._i18n import Text
from collegium.definitions import FactType
from collegium.engine._moved import moved
from collegium.rules.check import check_parameters
from collegium.rules.evaluate import CompiledRule, compile_rules
from collegium.rules.model import RulePackSpec
from collegium.workflows.binding import (
    Branch,
    check_moves,
    fact_types,
    guarded_rules,
    handed_to_children,
)
from collegium.workflows.check import check_procedure
from collegium.workflows.spec import (
    EFFECT_INPUTS,
    CastVoteEffect,
    Effect,
    ProcedureSpec,
    TransitionSpec,
)

__getattr__ = moved(__name__, "collegium.rules.check", ("ENGINE_PARAMETERS",))


@dataclass(frozen=True, slots=True)
class Plan:
    """Everything the engine needs to run one trigger from one state."""

    trigger: str
    roles: tuple[str, ...]
    rules: tuple[CompiledRule, ...]
    branches: tuple[Branch, ...]
    data: frozenset[str]
    inputs: dict[str, FactType]
    effects: tuple[Effect, ...]
    #: a branch's own effects where they differ from ``effects`` (a branch may start children of its
    #: own)
    branch_effects: Mapping[str, tuple[Effect, ...]] = field(default_factory=dict)
    #: a step that stays in its state enters it again, its timers set anew (``reenter``)
    reenter: bool = False
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
    def states_view(self) -> bool:
        return "state_view" in self.kinds

    @property
    def counts(self) -> bool:
        return "count_ballots" in self.kinds

    @property
    def casts(self) -> bool:
        return "cast_vote" in self.kinds

    @property
    def stages_meeting(self) -> bool:
        return not self.kinds.isdisjoint(("open_meeting", "convene", "take_up"))


@dataclass(frozen=True, slots=True)
class Definition:
    """A parsed definition with the text it came from (stored with instances, never compiled
    objects)."""

    kind: str
    key: str
    text: str
    sha256: str
    #: the file (or ``<stored …>``, ``<string>``) it was read from, or a place named in words
    source: str | Message = "<string>"


class CompiledProcedure:
    """A procedure version compiled against a rule-pack version."""

    def __init__(
        self,
        spec: ProcedureSpec,
        pack: RulePackSpec,
        source: str | Message,
        child_facts: Mapping[str, Mapping[str, FactType]] | None = None,
        deferred: bool = False,
    ) -> None:
        """``deferred``: all of it shipped with Collegium; its expressions compile when first
        evaluated."""
        from collegium.engine.machine import CompiledMachine

        check_procedure(spec, source)
        self.spec = spec
        self.pack = pack
        check_parameters(pack)
        self.params: dict[str, Any] = {k: p.value for k, p in pack.parameters.items()}
        #: each role that acts in others (the pack's ``acts_as``) -> it and those roles
        self.acting: dict[str, tuple[str, ...]] = {
            name: pack.acting_roles(name) for name, role in pack.roles.items() if role.acts_as
        }
        handed = handed_to_children(spec, child_facts or {}, source)
        self.types = types = fact_types(spec, handed)
        labels: dict[str, Text | None] = {k: f.label for k, f in spec.facts.items()}

        # which rules bind to which trigger: the transition's own list plus the pack's guards
        guarded = guarded_rules(spec, pack)
        own_ids = [
            r for tr in spec.transitions for r in (*tr.rules, *([tr.when] if tr.when else []))
        ]
        wanted = list(
            dict.fromkeys(
                [r for ids in guarded.values() for r in ids] + own_ids + list(spec.start.rules)
            )
        )
        compiled = compile_rules(pack, wanted, types, labels, source, deferred)

        def rules_for(trigger: str, own: tuple[str, ...]) -> tuple[CompiledRule, ...]:
            ids = list(dict.fromkeys([*own, *guarded.get(trigger, [])]))
            return tuple(compiled[i] for i in ids)

        self.start_plan = Plan(
            spec.start.trigger,
            spec.start.roles,
            rules_for(spec.start.trigger, spec.start.rules),
            (Branch(rule=None, dest=spec.initial),),
            frozenset(spec.start.data),
            {},
            (),
        )
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
                trigger,
                first.roles,
                tuple(r for r in rules_for(trigger, own) if r.id not in branch_ids),
                tuple(
                    Branch(rule=compiled[t.when] if t.when else None, dest=t.dest) for t in group
                ),
                frozenset(first.data),
                inputs,
                first.effects,
                own_effects,
                reenter=first.reenter,
            )
        check_moves(spec, pack, self.start_plan, self.plans.values(), source)
        #: the states in which a ballot can be counted by its tellers (a secret ballot needs that)
        self.counting_states = frozenset(
            state for (state, _), plan in self.plans.items() if plan.counts
        )
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

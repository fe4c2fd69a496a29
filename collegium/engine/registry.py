"""Definitions in force: rule packs and procedures, parsed, checked and compiled once.

A procedure is compiled against one version of its rule pack into a :class:`CompiledProcedure`: one
shared state machine, every rule compiled once, and a plan per (state, trigger) listing the roles,
rules, data and effects of that move. Every version stays registered, so an instance is judged by the
pack and procedure versions it started under.
"""

from __future__ import annotations

import hashlib
import re
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

from collegium._i18n import Text
from collegium._loader import line_of, load_model, parse_yaml, read_text, validate_model
from collegium.errors import DefinitionError, NotFound
from collegium.rules.evaluate import CompiledRule, compile_rules
from collegium.rules.facts import ENGINE_FACTS, RECORD_FACTS
from collegium.rules.model import RulePackSpec
from collegium.workflows.check import check_procedure
from collegium.workflows.fragment import FragmentSpec, check_fragment, expand
from collegium.workflows.spec import (
    EFFECT_INPUTS,
    CastVoteEffect,
    Effect,
    FactType,
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

    def effects_to(self, dest: str) -> tuple[Effect, ...]:
        """The effects applied when the step goes to ``dest``."""
        return self.branch_effects.get(dest, self.effects)

    @property
    def accepted(self) -> frozenset[str]:
        return self.data | frozenset(self.inputs)

    @property
    def tallies(self) -> bool:
        return any(effect.kind == "tally" for effect in self.effects)

    @property
    def attends(self) -> bool:
        return any(effect.kind == "attend" for effect in self.effects)

    @property
    def stages_meeting(self) -> bool:
        return any(effect.kind in ("open_meeting", "convene") for effect in self.effects)


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
                 child_facts: Mapping[str, Mapping[str, FactType]] | None = None) -> None:
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
        compiled = compile_rules(pack, wanted, types, labels, source)

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


def version_order(version: str) -> tuple[tuple[int, int | str], ...]:
    """Sort key of a pack version: numeric parts compare as numbers ("2026.10" after "2026.9")."""
    return tuple((0, int(part)) if part.isdigit() else (1, part) for part in re.findall(r"\d+|[^\d.\-_]+", version))


def _sha(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


class Registry:
    """The packs and procedures an engine knows, every version kept."""

    def __init__(self) -> None:
        self._packs: dict[str, dict[str, RulePackSpec]] = {}
        self._procedures: dict[str, dict[int, ProcedureSpec]] = {}
        self._fragments: dict[str, dict[int, FragmentSpec]] = {}
        self._compiled: dict[tuple[str, str], CompiledProcedure] = {}
        self._sources: dict[str, str] = {}
        self.definitions: dict[str, Definition] = {}

    # -- loading ------------------------------------------------------------------------------
    def add_pack_text(self, text: str, source: str = "<string>") -> RulePackSpec:
        """Load a rule pack from its YAML text; :class:`DefinitionError` naming ``source`` and the line if invalid."""
        spec = load_model(RulePackSpec, text, source)
        seen: set[str] = set()
        for rule in spec.rules:
            if rule.id in seen:
                raise DefinitionError(f"duplicate rule id {rule.id!r}", source=source, where=rule.id)
            seen.add(rule.id)
        versions = self._packs.setdefault(spec.id, {})
        old = versions.get(spec.version)
        if old is not None and old != spec:
            raise DefinitionError(f"pack {spec.key} is already loaded with different content", source=source)
        versions[spec.version] = spec
        self.definitions[f"pack:{spec.key}"] = Definition("pack", spec.key, text, _sha(text))
        return spec

    def add_procedure_text(self, text: str, source: str = "<string>") -> ProcedureSpec:
        """Load a procedure; the fragments it includes must be loaded, or be built in (loaded on first use)."""
        data, node = parse_yaml(text, source)
        if isinstance(data, dict) and data.get("kind") == "fragment":
            raise DefinitionError("a procedure fragment, not a procedure: load it with load_fragment",
                                  source=source, line=line_of(node, ["kind"]), where="kind")
        spec, written = expand(validate_model(ProcedureSpec, data, node, source), self._find_fragment, source, node)
        check_procedure(spec, source, written)
        versions = self._procedures.setdefault(spec.id, {})
        old = versions.get(spec.version)
        if old is not None and old != spec:
            raise DefinitionError(f"procedure {spec.key} is already loaded with different content", source=source)
        versions[spec.version] = spec
        self._sources[spec.key] = source
        self.definitions[f"procedure:{spec.key}"] = Definition("procedure", spec.key, text, _sha(text))
        if spec.rule_pack in self._packs:
            self.compiled(spec.id, spec.version)  # compile now: fail at load time, not mid-decision
        return spec

    def add_fragment_text(self, text: str, source: str = "<string>") -> FragmentSpec:
        """Load a procedure fragment (``kind: fragment``), for procedures loaded after it to include."""
        data, node = parse_yaml(text, source)
        spec = validate_model(FragmentSpec, data, node, source)
        check_fragment(spec, source, node)
        versions = self._fragments.setdefault(spec.id, {})
        old = versions.get(spec.version)
        if old is not None and old != spec:
            raise DefinitionError(f"fragment {spec.key} is already loaded with different content", source=source)
        versions[spec.version] = spec
        self.definitions[f"fragment:{spec.key}"] = Definition("fragment", spec.key, text, _sha(text))
        return spec

    def add_workflow_text(self, text: str, source: str = "<string>") -> ProcedureSpec | FragmentSpec:
        """Load a procedure or, if it says ``kind: fragment``, a fragment."""
        data, _node = parse_yaml(text, source)
        if isinstance(data, dict) and data.get("kind") == "fragment":
            return self.add_fragment_text(text, source)
        return self.add_procedure_text(text, source)

    def load_pack(self, path: str | Path) -> RulePackSpec:
        """Load a rule pack file (see :meth:`add_pack_text`)."""
        return self.add_pack_text(read_text(path), str(path))

    def load_procedure(self, path: str | Path) -> ProcedureSpec:
        """Load a procedure file (see :meth:`add_procedure_text`)."""
        return self.add_procedure_text(read_text(path), str(path))

    def load_fragment(self, path: str | Path) -> FragmentSpec:
        """Load a procedure fragment file (see :meth:`add_fragment_text`)."""
        return self.add_fragment_text(read_text(path), str(path))

    def _find_fragment(self, fragment_id: str, version: int) -> FragmentSpec | None:
        """A loaded fragment, else the built-in one of that id (file ``workflows/ID.yaml``), loaded now."""
        hit = self._fragments.get(fragment_id, {}).get(version)
        entry = resources.files("collegium").joinpath("workflows").joinpath(f"{fragment_id}.yaml")
        if hit is None and entry.is_file():
            text, source = entry.read_text(encoding="utf-8"), f"collegium/workflows/{fragment_id}.yaml"
            data, _node = parse_yaml(text, source)
            if isinstance(data, dict) and data.get("kind") == "fragment" and data.get("version") == version:
                hit = self.add_fragment_text(text, source)
        return hit

    @classmethod
    def builtin(cls) -> Registry:
        """A registry holding the packs, fragments and procedures shipped with Collegium."""
        reg = cls()
        root = resources.files("collegium")
        for entry in sorted(root.joinpath("rules").joinpath("packs").iterdir(), key=lambda p: p.name):
            if entry.name.endswith(".yaml"):
                reg.add_pack_text(entry.read_text(encoding="utf-8"), f"collegium/rules/packs/{entry.name}")
        for entry in sorted(root.joinpath("workflows").iterdir(), key=lambda p: p.name):
            if entry.name.endswith(".yaml"):
                reg.add_workflow_text(entry.read_text(encoding="utf-8"), f"collegium/workflows/{entry.name}")
        return reg

    # -- lookup -------------------------------------------------------------------------------
    def packs(self) -> list[RulePackSpec]:
        """Every loaded rule pack, every version."""
        return [spec for versions in self._packs.values() for spec in versions.values()]

    def procedures(self) -> list[ProcedureSpec]:
        """Every loaded procedure, every version."""
        return [spec for versions in self._procedures.values() for spec in versions.values()]

    def fragments(self) -> list[FragmentSpec]:
        """Every loaded procedure fragment, every version."""
        return [spec for versions in self._fragments.values() for spec in versions.values()]

    def texts_of(self, proc: CompiledProcedure) -> tuple[Definition, ...]:
        """The texts an instance of ``proc`` runs under: the procedure's, its pack's and its fragments'."""
        keys = [f"procedure:{proc.spec.key}", f"pack:{proc.pack.key}",
                *(f"fragment:{inc.fragment}@{inc.version}" for inc in proc.spec.include)]
        return tuple(self.definitions[k] for k in keys if k in self.definitions)

    def pack(self, pack_id: str, version: str | None = None) -> RulePackSpec:
        """The rule pack ``pack_id`` (its latest version unless one is named); :class:`NotFound` if it is not loaded."""
        versions = self._packs.get(pack_id)
        if not versions:
            raise NotFound(f"no rule pack {pack_id!r}")
        if version is None:
            return versions[max(versions, key=version_order)]
        try:
            return versions[version]
        except KeyError:
            raise NotFound(f"rule pack {pack_id!r} has no version {version!r} loaded") from None

    def procedure(self, procedure_id: str, version: int | None = None) -> ProcedureSpec:
        """The procedure ``procedure_id`` (its latest version unless one is named); :class:`NotFound` if not loaded."""
        versions = self._procedures.get(procedure_id)
        if not versions:
            raise NotFound(f"no procedure {procedure_id!r}")
        if version is None:
            return versions[max(versions)]
        try:
            return versions[version]
        except KeyError:
            raise NotFound(f"procedure {procedure_id!r} has no version {version} loaded") from None

    def compiled(self, procedure_id: str, version: int | None = None,
                 pack_version: str | None = None) -> CompiledProcedure:
        """The procedure compiled against a version of its pack (latest unless named), once, then kept."""
        spec = self.procedure(procedure_id, version)
        pack = self.pack(spec.rule_pack, pack_version)
        key = (spec.key, pack.key)
        hit = self._compiled.get(key)
        if hit is None:
            children: dict[str, Mapping[str, FactType]] = {}
            for effect in (e for t in spec.transitions for e in t.effects):
                if effect.kind == "spawn":
                    if effect.procedure not in self._procedures:
                        raise DefinitionError(f"spawns unknown procedure {effect.procedure!r}",
                                              source=self._sources.get(spec.key, "<string>"))
                    child = self.procedure(effect.procedure)
                    children[child.id] = {k: f.type for k, f in child.facts.items()}
            hit = CompiledProcedure(spec, pack, self._sources.get(spec.key, "<string>"), children)
            self._compiled[key] = hit
        return hit

    def rule(self, rule_id: str) -> tuple[RulePackSpec, Any]:
        """The pack and rule of the id ``rule_id``, from the latest pack that has it; :class:`NotFound` if none."""
        for pack in reversed(self.packs()):
            rule = pack.rule(rule_id)
            if rule is not None:
                return pack, rule
        raise NotFound(f"no rule {rule_id!r} in any loaded pack")

"""Definitions in force: rule packs and procedures, parsed, checked and compiled once.

A procedure is compiled against one version of its rule pack into a :class:`CompiledProcedure`: one
shared state machine, every rule compiled once, and a plan per (state, trigger) listing the roles,
rules, data and effects of that move. Every version stays registered, so an instance is judged by the
pack and procedure versions it started under.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Mapping
from importlib import resources
from pathlib import Path
from typing import Any

from collegium._loader import line_of, parse_yaml, read_text, validate_model
from collegium.definitions import FactType
from collegium.engine._moved import moved
from collegium.engine.compiled import CompiledProcedure, Definition, Plan
from collegium.errors import DefinitionError, NotFound
from collegium.rules.check import check_pack
from collegium.rules.model import RulePackSpec
from collegium.workflows.binding import check_declarations
from collegium.workflows.check import check_procedure
from collegium.workflows.fragment import FragmentSpec, check_fragment, expand
from collegium.workflows.spec import ProcedureSpec

__all__ = ["CompiledProcedure", "Definition", "Plan", "Registry", "version_order"]
__getattr__ = moved(__name__, "collegium.rules.check", ("ENGINE_PARAMETERS",))


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
        self._trusted = False  # loading the files shipped with Collegium (see builtin)
        self._shipped: dict[int, Any] = {}  # id -> spec of each pack and procedure loaded from those files

    def _parse(self, text: str, source: str) -> tuple[Any, Any]:
        return parse_yaml(text, source, trusted=self._trusted)

    # -- loading ------------------------------------------------------------------------------
    def add_pack_text(self, text: str, source: str = "<string>") -> RulePackSpec:
        """Load a rule pack from its YAML text; :class:`DefinitionError` naming ``source`` and the line if invalid."""
        spec = validate_model(RulePackSpec, *self._parse(text, source), source)
        check_pack(spec, source)
        versions = self._packs.setdefault(spec.id, {})
        old = versions.get(spec.version)
        if old is not None and old != spec:
            raise DefinitionError(f"pack {spec.key} is already loaded with different content", source=source)
        versions[spec.version] = spec
        if self._trusted:
            self._shipped[id(spec)] = spec
        self.definitions[f"pack:{spec.key}"] = Definition("pack", spec.key, text, _sha(text))
        return spec

    def add_procedure_text(self, text: str, source: str = "<string>") -> ProcedureSpec:
        """Load a procedure; the fragments it includes must be loaded, or be built in (loaded on first use)."""
        return self._add_procedure(text, source, *self._parse(text, source))

    def _add_procedure(self, text: str, source: str, data: Any, node: Any) -> ProcedureSpec:
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
        if self._trusted:
            self._shipped[id(spec)] = spec
        self._sources[spec.key] = source
        self.definitions[f"procedure:{spec.key}"] = Definition("procedure", spec.key, text, _sha(text))
        try:
            if spec.rule_pack in self._packs:
                self.compiled(spec.id, spec.version)  # compile now: fail at load time, not mid-decision
        except DefinitionError:
            if old is None:  # a procedure that does not compile is not left registered
                del versions[spec.version], self._sources[spec.key], self.definitions[f"procedure:{spec.key}"]
            raise
        return spec

    def add_fragment_text(self, text: str, source: str = "<string>") -> FragmentSpec:
        """Load a procedure fragment (``kind: fragment``), for procedures loaded after it to include."""
        return self._add_fragment(text, source, *self._parse(text, source))

    def _add_fragment(self, text: str, source: str, data: Any, node: Any) -> FragmentSpec:
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
        data, node = self._parse(text, source)  # parsed once, for either
        if isinstance(data, dict) and data.get("kind") == "fragment":
            return self._add_fragment(text, source, data, node)
        return self._add_procedure(text, source, data, node)

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
        """A loaded fragment, else the built-in one of that id and version, loaded now: file ``workflows/ID.yaml``
        (its latest version) or ``workflows/ID.vVERSION.yaml`` (an earlier one, kept)."""
        hit = self._fragments.get(fragment_id, {}).get(version)
        folder = resources.files("collegium").joinpath("workflows")
        for name in (f"{fragment_id}.yaml", f"{fragment_id}.v{version}.yaml"):
            entry = folder.joinpath(name)
            if hit is not None or not entry.is_file():
                continue
            text, source = entry.read_text(encoding="utf-8"), f"collegium/workflows/{name}"
            data, node = parse_yaml(text, source, trusted=True)  # a file shipped with Collegium
            if isinstance(data, dict) and data.get("kind") == "fragment" and data.get("version") == version:
                hit = self._add_fragment(text, source, data, node)
        return hit

    @classmethod
    def builtin(cls) -> Registry:
        """A registry holding the packs, fragments and procedures shipped with Collegium."""
        reg = cls()
        root = resources.files("collegium")
        reg._trusted = True  # the files shipped with Collegium: libyaml's parser, not the bounded one user text gets
        try:
            for entry in sorted(root.joinpath("rules").joinpath("packs").iterdir(), key=lambda p: p.name):
                if entry.name.endswith(".yaml"):
                    reg.add_pack_text(entry.read_text(encoding="utf-8"), f"collegium/rules/packs/{entry.name}")
            for entry in sorted(root.joinpath("workflows").iterdir(), key=lambda p: p.name):
                if entry.name.endswith(".yaml"):
                    reg.add_workflow_text(entry.read_text(encoding="utf-8"), f"collegium/workflows/{entry.name}")
        finally:
            reg._trusted = False
        return reg

    def copy(self) -> Registry:
        """A registry holding the same definitions, to which more can be added without changing this one."""
        out = Registry()
        out._procedures = {k: dict(v) for k, v in self._procedures.items()}
        out._fragments = {k: dict(v) for k, v in self._fragments.items()}
        out._packs = {k: dict(v) for k, v in self._packs.items()}
        out._sources, out.definitions, out._shipped = dict(self._sources), dict(self.definitions), dict(self._shipped)
        return out

    def with_pack(self, text: str, source: str = "<string>") -> tuple[Registry, RulePackSpec]:
        """A copy where the pack ``text`` is the only version of its id (to judge a history under another pack), and
        that pack. Only that pack is parsed; procedures compile on first use."""
        out, spec = self.copy(), Registry().add_pack_text(text, source)
        out._packs[spec.id] = {spec.version: spec}
        out.definitions = {k: d for k, d in out.definitions.items() if not k.startswith(f"pack:{spec.id}@")}
        out.definitions[f"pack:{spec.key}"] = Definition("pack", spec.key, text, _sha(text))
        return out, spec

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
            check_declarations(pack.supervision, pack.reporting, spec, pack.key)
            children: dict[str, Mapping[str, FactType]] = {}
            used: list[Any] = [spec, pack]  # all shipped with Collegium: expressions compile on first evaluation
            for effect in (e for t in spec.transitions for e in t.effects):
                if effect.kind == "spawn":
                    if effect.procedure not in self._procedures:
                        raise DefinitionError(f"spawns unknown procedure {effect.procedure!r}",
                                              source=self._sources.get(spec.key, "<string>"))
                    child = self.procedure(effect.procedure)
                    used.append(child)
                    children[child.id] = {k: f.type for k, f in child.facts.items()}
            hit = CompiledProcedure(spec, pack, self._sources.get(spec.key, "<string>"), children,
                                    deferred=all(self._shipped.get(id(s)) is s for s in used))
            self._compiled[key] = hit
        return hit

    def rule(self, rule_id: str) -> tuple[RulePackSpec, Any]:
        """The pack and rule of the id ``rule_id``, from the latest pack that has it; :class:`NotFound` if none."""
        for pack in reversed(self.packs()):
            rule = pack.rule(rule_id)
            if rule is not None:
                return pack, rule
        raise NotFound(f"no rule {rule_id!r} in any loaded pack")

"""Definitions in force: rule packs and procedures, parsed, checked and compiled once.

A procedure is compiled against one version of its rule pack into a :class:`CompiledProcedure`: one
shared state machine, every rule compiled once, and a plan per (state, trigger) listing the roles,
rules, data and effects of that move. Every version stays registered, so an instance is judged by
the pack and procedure versions it started under. How definitions are taken in — from text, files,
the files shipped with Collegium and the texts a store keeps — is the registry's base,
:class:`~collegium.engine.loading.Loader`.

:meth:`Registry.builtin` reads the files shipped with Collegium as they are needed: a file is
parsed, checked and compiled, with every load-time check, when a version it may hold is first asked
for (the latest: ``NAME.yaml``; an earlier one: ``NAME.vVERSION.yaml``), every file of an id when
text of one's own for that id is added, and all of them when definitions are listed, listed as if
all had been read at once. A run of one procedure reads its file, what it spawns and its pack's.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from collegium._catalog import Message
from collegium.definitions import FactType
from collegium.engine import files
from collegium.engine._moved import moved
from collegium.engine.compiled import CompiledProcedure, Definition, Plan
from collegium.engine.files import DefinitionFile
from collegium.engine.loading import Loader
from collegium.engine.shipped import LATEST, Unread
from collegium.errors import DefinitionError, NotFound, UnknownDefinition
from collegium.rules.model import RulePackSpec
from collegium.workflows.binding import check_declarations
from collegium.workflows.fragment import FragmentSpec
from collegium.workflows.spec import ProcedureSpec

__all__ = ["CompiledProcedure", "Definition", "Plan", "Registry", "version_order"]
__getattr__ = moved(__name__, "collegium.rules.check", ("ENGINE_PARAMETERS",))


def version_order(version: str) -> tuple[tuple[int, int | str], ...]:
    """Sort key of a pack version: numeric parts compare as numbers ("2026.10" after "2026.9")."""
    return tuple(
        (0, int(part)) if part.isdigit() else (1, part)
        for part in re.findall(r"\d+|[^\d.\-_]+", version)
    )


class Registry(Loader):
    """The packs and procedures an engine knows, every version kept."""

    def __init__(self) -> None:
        super().__init__()
        self._compiled: dict[tuple[str, str], CompiledProcedure] = {}
        #: compiled() by the exact versions asked for (an instance's); a version's text is fixed
        self._exact: dict[tuple[str, int, str], CompiledProcedure] = {}

    def load(self, *paths: str | Path) -> list[DefinitionFile]:
        """Load every procedure, fragment and rule pack in ``paths`` (files, or folders read whole):
        ``collegium.engine.files`` says how. Returns what was loaded, packs first."""
        return files.load(self, paths)

    @classmethod
    def builtin(cls) -> Registry:
        """A registry holding the packs, fragments and procedures shipped with Collegium, each file
        read (parsed, checked, compiled) when a definition of its id is first asked for."""
        reg = cls()
        reg._unread = Unread.listing()
        return reg

    def copy(self) -> Registry:
        """A registry holding the same definitions, to which more can be added without changing
        this one."""
        out = Registry()
        out._procedures = {k: dict(v) for k, v in self._procedures.items()}
        out._fragments = {k: dict(v) for k, v in self._fragments.items()}
        out._packs = {k: dict(v) for k, v in self._packs.items()}
        out._sources, out._shipped = dict(self._sources), dict(self._shipped)
        out._definitions, out._read_from = dict(self._definitions), dict(self._read_from)
        out._unread, out._disordered = self._unread.copy(), self._disordered
        out._lookups = list(self._lookups)
        return out

    def with_pack(
        self, text: str, source: str | Message = "<string>"
    ) -> tuple[Registry, RulePackSpec]:
        """A copy where the pack ``text`` is the only version of its id (to judge a history under
        another pack), and that pack. Only that pack is parsed; procedures compile on first use."""
        out, spec = self.copy(), Registry().add_pack_text(text, source)
        out._unread.drop("pack", spec.id)  # the shipped versions of its id are not read into it
        out._packs[spec.id] = {spec.version: spec}
        out._definitions = {
            k: d for k, d in out._definitions.items() if not k.startswith(f"pack:{spec.id}@")
        }
        out._keep("pack", spec.key, text, source)
        return out, spec

    # -- lookup -------------------------------------------------------------------------------
    def packs(self) -> list[RulePackSpec]:
        """Every loaded rule pack, every version."""
        self._read_all(("pack",))
        return [spec for versions in self._packs.values() for spec in versions.values()]

    def latest_packs(self) -> list[RulePackSpec]:
        """The newest version of each loaded rule pack (what :meth:`pack` returns without a
        version)."""
        self._read_all(("pack",))
        return [versions[max(versions, key=version_order)] for versions in self._packs.values()]

    def procedures(self) -> list[ProcedureSpec]:
        """Every loaded procedure, every version."""
        self._read_all(("workflow",))
        return [spec for versions in self._procedures.values() for spec in versions.values()]

    def fragments(self) -> list[FragmentSpec]:
        """Every loaded procedure fragment, every version."""
        self._read_all(("workflow",))
        return [spec for versions in self._fragments.values() for spec in versions.values()]

    def texts_of(self, proc: CompiledProcedure) -> tuple[Definition, ...]:
        """The texts an instance of ``proc`` runs under: the procedure's, its pack's and its
        fragments'."""
        keys = [
            f"procedure:{proc.spec.key}",
            f"pack:{proc.pack.key}",
            *(f"fragment:{inc.fragment}@{inc.version}" for inc in proc.spec.include),
        ]
        return tuple(self._definitions[k] for k in keys if k in self._definitions)

    def pack(self, pack_id: str, version: str | None = None) -> RulePackSpec:
        """The rule pack ``pack_id`` (its latest version unless one is named); :class:`NotFound` if
        it is not loaded."""
        if version is not None and (known := self._packs.get(pack_id, {}).get(version)) is not None:
            return known  # a version's text never changes once loaded
        self._read("pack", pack_id, LATEST if version is None else version)
        if version is not None and version not in self._packs.get(pack_id, {}):
            self._read("pack", pack_id)
            if version not in self._packs.get(pack_id, {}):
                self._recall("pack", f"{pack_id}@{version}")
        versions = self._packs.get(pack_id)
        if not versions:
            raise UnknownDefinition(
                Message("no rule pack {id!r}", id=pack_id), kind="pack", definition_id=pack_id
            )
        if version is None:
            return versions[max(versions, key=version_order)]
        try:
            return versions[version]
        except KeyError:
            raise NotFound(
                Message(
                    "rule pack {id!r} has no version {version!r} loaded",
                    id=pack_id,
                    version=version,
                )
            ) from None

    def procedure(self, procedure_id: str, version: int | None = None) -> ProcedureSpec:
        """The procedure ``procedure_id`` (its latest version unless one is named);
        :class:`NotFound` if not loaded."""
        if version is not None and (known := self._procedures.get(procedure_id, {}).get(version)):
            return known  # a version's text never changes once loaded
        self._read("workflow", procedure_id, LATEST if version is None else str(version))
        if version is not None and version not in self._procedures.get(procedure_id, {}):
            self._read("workflow", procedure_id)
            if version not in self._procedures.get(procedure_id, {}):
                self._recall("procedure", f"{procedure_id}@{version}")
        versions = self._procedures.get(procedure_id)
        if not versions:
            raise UnknownDefinition(
                Message("no procedure {id!r}", id=procedure_id),
                kind="procedure",
                definition_id=procedure_id,
            )
        if version is None:
            return versions[max(versions)]
        try:
            return versions[version]
        except KeyError:
            raise NotFound(
                Message(
                    "procedure {id!r} has no version {version} loaded",
                    id=procedure_id,
                    version=version,
                )
            ) from None

    def compiled(
        self, procedure_id: str, version: int | None = None, pack_version: str | None = None
    ) -> CompiledProcedure:
        """The procedure compiled against a version of its pack (latest unless named), once, then
        kept."""
        if version is not None and pack_version is not None:
            exact = self._exact.get((procedure_id, version, pack_version))
            if exact is not None:
                return exact
        spec = self.procedure(procedure_id, version)
        pack = self.pack(spec.rule_pack, pack_version)
        key = (spec.key, pack.key)
        hit = self._compiled.get(key)
        if hit is None:
            check_declarations(pack.supervision, pack.reporting, spec, pack.key)
            children: dict[str, Mapping[str, FactType]] = {}
            # all shipped with Collegium: expressions compile on first evaluation
            used: list[Any] = [spec, pack]
            for effect in (e for t in spec.transitions for e in t.effects):
                if effect.kind == "spawn":
                    self._read("workflow", effect.procedure, LATEST)
                    if effect.procedure not in self._procedures:
                        raise DefinitionError(
                            Message("spawns unknown procedure {id!r}", id=effect.procedure),
                            source=self._sources.get(spec.key, "<string>"),
                        )
                    child = self.procedure(effect.procedure)
                    used.append(child)
                    children[child.id] = {k: f.type for k, f in child.facts.items()}
            hit = CompiledProcedure(
                spec,
                pack,
                self._sources.get(spec.key, "<string>"),
                children,
                deferred=all(self._shipped.get(id(s)) is s for s in used),
            )
            self._compiled[key] = hit
        if version is not None and pack_version is not None:
            self._exact[(procedure_id, version, pack_version)] = hit
        return hit

    def rule(self, rule_id: str) -> tuple[RulePackSpec, Any]:
        """The pack and rule of the id ``rule_id``, from the latest pack that has it;
        :class:`NotFound` if none."""
        for pack in reversed(self.packs()):
            rule = pack.rule(rule_id)
            if rule is not None:
                return pack, rule
        raise NotFound(Message("no rule {id!r} in any loaded pack", id=rule_id))

"""Definitions in force: rule packs and procedures, parsed, checked and compiled once.

A procedure is compiled against one version of its rule pack into a :class:`CompiledProcedure`: one
shared state machine, every rule compiled once, and a plan per (state, trigger) listing the roles,
rules, data and effects of that move. Every version stays registered, so an instance is judged by the
pack and procedure versions it started under.

:meth:`Registry.builtin` reads the files shipped with Collegium as they are needed: a file is
parsed, checked and compiled, with every load-time check, when a version it may hold is first asked
for (the latest: ``NAME.yaml``; an earlier one: ``NAME.vVERSION.yaml``), every file of an id when
text of one's own for that id is added, and all of them when definitions are listed, listed as if
all had been read at once. A run of one procedure reads its file, what it spawns and its pack's.
"""

from __future__ import annotations

import hashlib
import re
import sys
import threading
from collections.abc import Callable, Mapping
from importlib import resources
from pathlib import Path
from typing import Any

from collegium._loader import line_of, parse_yaml, read_text, validate_model
from collegium.definitions import FactType
from collegium.engine import files
from collegium.engine._moved import moved
from collegium.engine.compiled import CompiledProcedure, Definition, Plan
from collegium.engine.files import DefinitionFile
from collegium.engine.shipped import ALL, LATEST, Unread, ordered, shipped_order
from collegium.errors import DefinitionError, NotFound, UnknownDefinition
from collegium.rules.check import check_pack
from collegium.rules.model import RulePackSpec
from collegium.workflows.binding import check_declarations
from collegium.workflows.check import check_procedure
from collegium.workflows.fragment import FragmentSpec, check_fragment, expand
from collegium.workflows.spec import ProcedureSpec

__all__ = ["CompiledProcedure", "Definition", "Plan", "Registry", "version_order"]
__getattr__ = moved(__name__, "collegium.rules.check", ("ENGINE_PARAMETERS",))

#: a definition's stored text by (kind, ``id@version``), or None: a store's :meth:`definition`
Lookup = Callable[[str, str], str | None]


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
        #: compiled() by the exact versions asked for (an instance's); a version's text is fixed
        self._exact: dict[tuple[str, int, str], CompiledProcedure] = {}
        self._sources: dict[str, str] = {}
        self._definitions: dict[str, Definition] = {}
        self._trusted = False  # loading the files shipped with Collegium (see builtin)
        self._shipped: dict[int, Any] = {}  # id -> spec of each pack and procedure loaded from those files
        self._unread = Unread()  # the files shipped with Collegium not read yet (see builtin)
        self._read_from: dict[str, int] = {}  # definitions key -> rank of the shipped file it is in
        self._reading: set[tuple[str, str]] = set()
        self._disordered = False  # a shipped file read since the definitions were last ordered
        self._lock = threading.RLock()
        #: where a version no file loaded is looked up (the stores of the engines using this registry)
        self._lookups: list[Lookup] = []

    @property
    def definitions(self) -> dict[str, Definition]:
        """The text of every loaded definition by ``kind:id@version`` (every built-in one read)."""
        self._read_all(("pack", "workflow"))
        return self._definitions

    def _read(self, folder: str, name: str, version: str = ALL) -> None:
        """Read the shipped files of the pack (``folder`` "pack") or the procedure or fragment
        ("workflow") ``name`` that may hold ``version`` (see :meth:`Unread.files`), not read yet."""
        if (folder, name) not in self._unread:  # read already, or never shipped
            return
        with self._lock:  # another thread asking for the same id waits until it is read
            key = (folder, name)
            if key in self._reading:  # the file being read adds its own definition
                return
            self._reading.add(key)
            trusted, self._trusted = self._trusted, True  # libyaml's parser, not the bounded one
            try:
                for file in self._unread.files(folder, name, version):
                    before = set(self._definitions)
                    add = self.add_pack_text if folder == "pack" else self.add_workflow_text
                    if add(file.text(), file.source).id != name:
                        raise DefinitionError("a shipped file is named by the id it holds",
                                              source=file.source)
                    self._unread.done(file)
                    self._disordered = True
                    for k in self._definitions.keys() - before:  # its fragments: ranked already
                        self._read_from.setdefault(k, file.rank)
            finally:
                self._trusted = trusted
                self._reading.discard(key)

    def _read_all(self, folders: tuple[str, ...]) -> None:
        """Read every shipped file of ``folders`` not read yet, then order what is loaded as if all
        had been read at once, in the order of their names, and the rest added after."""
        if not self._unread and not self._disordered:
            return
        with self._lock:  # another thread may be reading a file: the list of the unread changes
            unread = self._unread.ids(folders)
            if not unread and not self._disordered:
                return
            for folder, name in unread:
                self._read(folder, name)
            self._disordered = False
            rank = self._read_from
            self._packs = shipped_order("pack", self._packs, rank)
            self._procedures = shipped_order("procedure", self._procedures, rank)
            self._fragments = shipped_order("fragment", self._fragments, rank)
            self._definitions = ordered(self._definitions, lambda k: rank.get(k, sys.maxsize))

    def _parse(self, text: str, source: str) -> tuple[Any, Any]:
        return parse_yaml(text, source, trusted=self._trusted)

    # -- loading ------------------------------------------------------------------------------
    def add_pack_text(self, text: str, source: str = "<string>") -> RulePackSpec:
        """Load a rule pack from its YAML text; :class:`DefinitionError` naming ``source`` and the line if invalid."""
        spec = validate_model(RulePackSpec, *self._parse(text, source), source)
        check_pack(spec, source)
        self._read("pack", spec.id)  # every shipped version of the id first, as if read already
        versions = self._packs.setdefault(spec.id, {})
        old = versions.get(spec.version)
        if old is not None and old != spec:
            raise DefinitionError(f"pack {spec.key} is already loaded with different content", source=source)
        versions[spec.version] = spec
        if self._trusted:
            self._shipped[id(spec)] = spec
        self._definitions[f"pack:{spec.key}"] = Definition("pack", spec.key, text, _sha(text), source)
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
        self._read("workflow", spec.id)
        self._read("pack", spec.rule_pack, LATEST)
        versions = self._procedures.setdefault(spec.id, {})
        old = versions.get(spec.version)
        if old is not None and old != spec:
            raise DefinitionError(f"procedure {spec.key} is already loaded with different content", source=source)
        versions[spec.version] = spec
        if self._trusted:
            self._shipped[id(spec)] = spec
        self._sources[spec.key] = source
        self._definitions[f"procedure:{spec.key}"] = Definition("procedure", spec.key, text,
                                                                _sha(text), source)
        try:
            if spec.rule_pack in self._packs:
                self.compiled(spec.id, spec.version)  # compile now: fail at load time, not mid-decision
        except DefinitionError:
            if old is None:  # a procedure that does not compile is not left registered
                del versions[spec.version], self._sources[spec.key]
                del self._definitions[f"procedure:{spec.key}"]
            raise
        return spec

    def add_fragment_text(self, text: str, source: str = "<string>") -> FragmentSpec:
        """Load a procedure fragment (``kind: fragment``), for procedures loaded after it to include."""
        return self._add_fragment(text, source, *self._parse(text, source))

    def _add_fragment(self, text: str, source: str, data: Any, node: Any) -> FragmentSpec:
        spec = validate_model(FragmentSpec, data, node, source)
        check_fragment(spec, source, node)
        self._read("workflow", spec.id)
        versions = self._fragments.setdefault(spec.id, {})
        old = versions.get(spec.version)
        if old is not None and old != spec:
            raise DefinitionError(f"fragment {spec.key} is already loaded with different content", source=source)
        versions[spec.version] = spec
        self._definitions[f"fragment:{spec.key}"] = Definition("fragment", spec.key, text,
                                                               _sha(text), source)
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

    def load(self, *paths: str | Path) -> list[DefinitionFile]:
        """Load every procedure, fragment and rule pack in ``paths`` (files, or folders read whole):
        ``collegium.engine.files`` says how. Returns what was loaded, packs first."""
        return files.load(self, paths)

    def consult(self, lookup: Lookup) -> Callable[[], None]:
        """Look a version up in ``lookup(kind, key)`` (a store's kept texts) when no file loaded it:
        an instance is judged by the texts it was recorded under, whatever the files say now.
        Returns the function that stops it."""
        self._lookups.append(lookup)

        def stop() -> None:
            if lookup in self._lookups:
                self._lookups.remove(lookup)

        return stop

    def _recall(self, kind: str, key: str) -> None:
        """Load the text of ``kind`` ``key`` from the first lookup that keeps it, if one does."""
        add = {"pack": self.add_pack_text, "procedure": self.add_procedure_text,
               "fragment": self.add_fragment_text}[kind]
        for lookup in tuple(self._lookups):
            text = lookup(kind, key)
            if text is not None:
                add(text, f"<stored {kind} {key}>")
                return

    def _find_fragment(self, fragment_id: str, version: int) -> FragmentSpec | None:
        """A loaded fragment, else the built-in one of that id and version, loaded now: file ``workflows/ID.yaml``
        (its latest version) or ``workflows/ID.vVERSION.yaml`` (an earlier one, kept)."""
        self._read("workflow", fragment_id, str(version))
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
        if hit is None and self._lookups:
            self._recall("fragment", f"{fragment_id}@{version}")
            hit = self._fragments.get(fragment_id, {}).get(version)
        return hit

    @classmethod
    def builtin(cls) -> Registry:
        """A registry holding the packs, fragments and procedures shipped with Collegium, each file
        read (parsed, checked, compiled) when a definition of its id is first asked for."""
        reg = cls()
        reg._unread = Unread.listing()
        return reg

    def copy(self) -> Registry:
        """A registry holding the same definitions, to which more can be added without changing this one."""
        out = Registry()
        out._procedures = {k: dict(v) for k, v in self._procedures.items()}
        out._fragments = {k: dict(v) for k, v in self._fragments.items()}
        out._packs = {k: dict(v) for k, v in self._packs.items()}
        out._sources, out._shipped = dict(self._sources), dict(self._shipped)
        out._definitions, out._read_from = dict(self._definitions), dict(self._read_from)
        out._unread, out._disordered = self._unread.copy(), self._disordered
        out._lookups = list(self._lookups)
        return out

    def with_pack(self, text: str, source: str = "<string>") -> tuple[Registry, RulePackSpec]:
        """A copy where the pack ``text`` is the only version of its id (to judge a history under another pack), and
        that pack. Only that pack is parsed; procedures compile on first use."""
        out, spec = self.copy(), Registry().add_pack_text(text, source)
        out._unread.drop("pack", spec.id)  # the shipped versions of its id are not read into it
        out._packs[spec.id] = {spec.version: spec}
        out._definitions = {k: d for k, d in out._definitions.items()
                            if not k.startswith(f"pack:{spec.id}@")}
        out._definitions[f"pack:{spec.key}"] = Definition("pack", spec.key, text, _sha(text), source)
        return out, spec

    # -- lookup -------------------------------------------------------------------------------
    def packs(self) -> list[RulePackSpec]:
        """Every loaded rule pack, every version."""
        self._read_all(("pack",))
        return [spec for versions in self._packs.values() for spec in versions.values()]

    def procedures(self) -> list[ProcedureSpec]:
        """Every loaded procedure, every version."""
        self._read_all(("workflow",))
        return [spec for versions in self._procedures.values() for spec in versions.values()]

    def fragments(self) -> list[FragmentSpec]:
        """Every loaded procedure fragment, every version."""
        self._read_all(("workflow",))
        return [spec for versions in self._fragments.values() for spec in versions.values()]

    def texts_of(self, proc: CompiledProcedure) -> tuple[Definition, ...]:
        """The texts an instance of ``proc`` runs under: the procedure's, its pack's and its fragments'."""
        keys = [f"procedure:{proc.spec.key}", f"pack:{proc.pack.key}",
                *(f"fragment:{inc.fragment}@{inc.version}" for inc in proc.spec.include)]
        return tuple(self._definitions[k] for k in keys if k in self._definitions)

    def pack(self, pack_id: str, version: str | None = None) -> RulePackSpec:
        """The rule pack ``pack_id`` (its latest version unless one is named); :class:`NotFound` if it is not loaded."""
        if version is not None and (known := self._packs.get(pack_id, {}).get(version)) is not None:
            return known  # a version's text never changes once loaded
        self._read("pack", pack_id, LATEST if version is None else version)
        if version is not None and version not in self._packs.get(pack_id, {}):
            self._read("pack", pack_id)
            if version not in self._packs.get(pack_id, {}):
                self._recall("pack", f"{pack_id}@{version}")
        versions = self._packs.get(pack_id)
        if not versions:
            raise UnknownDefinition(f"no rule pack {pack_id!r}", kind="pack", definition_id=pack_id)
        if version is None:
            return versions[max(versions, key=version_order)]
        try:
            return versions[version]
        except KeyError:
            raise NotFound(f"rule pack {pack_id!r} has no version {version!r} loaded") from None

    def procedure(self, procedure_id: str, version: int | None = None) -> ProcedureSpec:
        """The procedure ``procedure_id`` (its latest version unless one is named); :class:`NotFound` if not loaded."""
        if version is not None and (known := self._procedures.get(procedure_id, {}).get(version)):
            return known  # a version's text never changes once loaded
        self._read("workflow", procedure_id, LATEST if version is None else str(version))
        if version is not None and version not in self._procedures.get(procedure_id, {}):
            self._read("workflow", procedure_id)
            if version not in self._procedures.get(procedure_id, {}):
                self._recall("procedure", f"{procedure_id}@{version}")
        versions = self._procedures.get(procedure_id)
        if not versions:
            raise UnknownDefinition(f"no procedure {procedure_id!r}", kind="procedure",
                                    definition_id=procedure_id)
        if version is None:
            return versions[max(versions)]
        try:
            return versions[version]
        except KeyError:
            raise NotFound(f"procedure {procedure_id!r} has no version {version} loaded") from None

    def compiled(self, procedure_id: str, version: int | None = None,
                 pack_version: str | None = None) -> CompiledProcedure:
        """The procedure compiled against a version of its pack (latest unless named), once, then kept."""
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
            used: list[Any] = [spec, pack]  # all shipped with Collegium: expressions compile on first evaluation
            for effect in (e for t in spec.transitions for e in t.effects):
                if effect.kind == "spawn":
                    self._read("workflow", effect.procedure, LATEST)
                    if effect.procedure not in self._procedures:
                        raise DefinitionError(f"spawns unknown procedure {effect.procedure!r}",
                                              source=self._sources.get(spec.key, "<string>"))
                    child = self.procedure(effect.procedure)
                    used.append(child)
                    children[child.id] = {k: f.type for k, f in child.facts.items()}
            hit = CompiledProcedure(spec, pack, self._sources.get(spec.key, "<string>"), children,
                                    deferred=all(self._shipped.get(id(s)) is s for s in used))
            self._compiled[key] = hit
        if version is not None and pack_version is not None:
            self._exact[(procedure_id, version, pack_version)] = hit
        return hit

    def rule(self, rule_id: str) -> tuple[RulePackSpec, Any]:
        """The pack and rule of the id ``rule_id``, from the latest pack that has it; :class:`NotFound` if none."""
        for pack in reversed(self.packs()):
            rule = pack.rule(rule_id)
            if rule is not None:
                return pack, rule
        raise NotFound(f"no rule {rule_id!r} in any loaded pack")

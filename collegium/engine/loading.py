"""Loading definitions into a registry: rule packs, procedures and fragments, each parsed from its
YAML text, checked, and kept with that text under every version loaded.

:class:`Loader` is the half of :class:`~collegium.engine.registry.Registry` that takes definitions
in: from text, from files, from the files shipped with Collegium (a file read, with
every load-time check, when a definition of its id is first asked for), and from the texts a store
keeps of a version no file loaded (:meth:`Loader.consult`). A version is loaded once: a second text
under an id and version held is refused. A procedure is compiled as it loads, so that one that
does not compile fails at load time, not mid-decision; compiling, and looking definitions up, is
the registry's own half.
"""

from __future__ import annotations

import hashlib
import sys
import threading
from abc import ABC, abstractmethod
from collections.abc import Callable
from importlib import resources
from pathlib import Path
from typing import Any

from collegium._catalog import Message
from collegium._loader import line_of, parse_yaml, read_text, validate_model
from collegium.engine.compiled import CompiledProcedure, Definition
from collegium.engine.shipped import ALL, LATEST, Unread, ordered, shipped_order
from collegium.errors import DefinitionError
from collegium.rules.check import check_pack
from collegium.rules.model import RulePackSpec
from collegium.workflows.check import check_procedure
from collegium.workflows.fragment import FragmentSpec, check_fragment, expand
from collegium.workflows.spec import ProcedureSpec

__all__ = ["Loader", "Lookup"]

#: a definition's stored text by (kind, ``id@version``), or None: a store's :meth:`definition`
Lookup = Callable[[str, str], str | None]
#: the place a text a store keeps is named by in messages, by kind (``<stored pack {key}>``)
_STORED = {
    "pack": Message("<stored pack {key}>"),
    "procedure": Message("<stored procedure {key}>"),
    "fragment": Message("<stored fragment {key}>"),
}


class Loader(ABC):
    """Every version of every pack, procedure and fragment loaded, with the text each came from;
    :class:`~collegium.engine.registry.Registry` adds the lookups and the compiling."""

    def __init__(self) -> None:
        self._packs: dict[str, dict[str, RulePackSpec]] = {}
        self._procedures: dict[str, dict[int, ProcedureSpec]] = {}
        self._fragments: dict[str, dict[int, FragmentSpec]] = {}
        self._sources: dict[str, str | Message] = {}
        self._definitions: dict[str, Definition] = {}
        self._trusted = False  # loading the files shipped with Collegium (see builtin)
        # id -> spec of each pack and procedure loaded from those files
        self._shipped: dict[int, Any] = {}
        self._unread = Unread()  # the files shipped with Collegium not read yet (see builtin)
        self._read_from: dict[str, int] = {}  # definitions key -> rank of the shipped file it is in
        self._reading: set[tuple[str, str]] = set()
        self._disordered = False  # a shipped file read since the definitions were last ordered
        self._lock = threading.RLock()
        #: where a version no file loaded is looked up (the stores of the engines using this
        #: registry)
        self._lookups: list[Lookup] = []

    @abstractmethod
    def compiled(
        self, procedure_id: str, version: int | None = None, pack_version: str | None = None
    ) -> CompiledProcedure:
        """The procedure compiled against a version of its pack (latest unless named)."""

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
                        raise DefinitionError(
                            Message("a shipped file is named by the id it holds"),
                            source=file.source,
                        )
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

    def _parse(self, text: str, source: str | Message) -> tuple[Any, Any]:
        return parse_yaml(text, source, trusted=self._trusted)

    def _keep(self, kind: str, key: str, text: str, source: str | Message) -> None:
        """Keep the text a definition was loaded from, under ``kind:key``."""
        sha = hashlib.sha256(text.encode("utf-8")).hexdigest()
        self._definitions[f"{kind}:{key}"] = Definition(kind, key, text, sha, source)

    # -- loading ------------------------------------------------------------------------------
    def add_pack_text(self, text: str, source: str | Message = "<string>") -> RulePackSpec:
        """Load a rule pack from its YAML text; :class:`DefinitionError` naming ``source`` and the
        line if invalid."""
        spec = validate_model(RulePackSpec, *self._parse(text, source), source)
        check_pack(spec, source)
        self._read("pack", spec.id)  # every shipped version of the id first, as if read already
        versions = self._packs.setdefault(spec.id, {})
        old = versions.get(spec.version)
        if old is not None and old != spec:
            raise DefinitionError(
                Message("pack {key} is already loaded with different content", key=spec.key),
                source=source,
            )
        versions[spec.version] = spec
        if self._trusted:
            self._shipped[id(spec)] = spec
        self._keep("pack", spec.key, text, source)
        return spec

    def add_procedure_text(self, text: str, source: str | Message = "<string>") -> ProcedureSpec:
        """Load a procedure; the fragments it includes must be loaded, or be built in (loaded on
        first use)."""
        return self._add_procedure(text, source, *self._parse(text, source))

    def _add_procedure(
        self, text: str, source: str | Message, data: Any, node: Any
    ) -> ProcedureSpec:
        if isinstance(data, dict) and data.get("kind") == "fragment":
            raise DefinitionError(
                Message("a procedure fragment, not a procedure: load it with load_fragment"),
                source=source,
                line=line_of(node, ["kind"]),
                where="kind",
            )
        spec, written = expand(
            validate_model(ProcedureSpec, data, node, source), self._find_fragment, source, node
        )
        check_procedure(spec, source, written)
        self._read("workflow", spec.id)
        self._read("pack", spec.rule_pack, LATEST)
        versions = self._procedures.setdefault(spec.id, {})
        old = versions.get(spec.version)
        if old is not None and old != spec:
            raise DefinitionError(
                Message("procedure {key} is already loaded with different content", key=spec.key),
                source=source,
            )
        versions[spec.version] = spec
        if self._trusted:
            self._shipped[id(spec)] = spec
        self._sources[spec.key] = source
        self._keep("procedure", spec.key, text, source)
        try:
            if spec.rule_pack in self._packs:
                # compile now: fail at load time, not mid-decision
                self.compiled(spec.id, spec.version)
        except DefinitionError:
            if old is None:  # a procedure that does not compile is not left registered
                del versions[spec.version], self._sources[spec.key]
                del self._definitions[f"procedure:{spec.key}"]
            raise
        return spec

    def add_fragment_text(self, text: str, source: str | Message = "<string>") -> FragmentSpec:
        """Load a procedure fragment (``kind: fragment``), for procedures loaded after it to
        include."""
        return self._add_fragment(text, source, *self._parse(text, source))

    def _add_fragment(self, text: str, source: str | Message, data: Any, node: Any) -> FragmentSpec:
        spec = validate_model(FragmentSpec, data, node, source)
        check_fragment(spec, source, node)
        self._read("workflow", spec.id)
        versions = self._fragments.setdefault(spec.id, {})
        old = versions.get(spec.version)
        if old is not None and old != spec:
            raise DefinitionError(
                Message("fragment {key} is already loaded with different content", key=spec.key),
                source=source,
            )
        versions[spec.version] = spec
        self._keep("fragment", spec.key, text, source)
        return spec

    def add_workflow_text(
        self, text: str, source: str | Message = "<string>"
    ) -> ProcedureSpec | FragmentSpec:
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
        add = {
            "pack": self.add_pack_text,
            "procedure": self.add_procedure_text,
            "fragment": self.add_fragment_text,
        }[kind]
        for lookup in tuple(self._lookups):
            text = lookup(kind, key)
            if text is not None:
                add(text, _STORED[kind].filled(key=key))
                return

    def _find_fragment(self, fragment_id: str, version: int) -> FragmentSpec | None:
        """A loaded fragment, else the built-in one of that id and version, loaded now: file
        ``workflows/ID.yaml`` (its latest version) or ``workflows/ID.vVERSION.yaml`` (an earlier
        one, kept)."""
        self._read("workflow", fragment_id, str(version))
        hit = self._fragments.get(fragment_id, {}).get(version)
        folder = resources.files("collegium").joinpath("workflows")
        for name in (f"{fragment_id}.yaml", f"{fragment_id}.v{version}.yaml"):
            entry = folder.joinpath(name)
            if hit is not None or not entry.is_file():
                continue
            text, source = entry.read_text(encoding="utf-8"), f"collegium/workflows/{name}"
            data, node = parse_yaml(text, source, trusted=True)  # a file shipped with Collegium
            if (
                isinstance(data, dict)
                and data.get("kind") == "fragment"
                and data.get("version") == version
            ):
                hit = self._add_fragment(text, source, data, node)
        if hit is None and self._lookups:
            self._recall("fragment", f"{fragment_id}@{version}")
            hit = self._fragments.get(fragment_id, {}).get(version)
        return hit

"""Definitions from files: procedures, fragments and rule packs an organisation writes, read from
files and folders into a :class:`~collegium.engine.registry.Registry` (:meth:`Registry.load`).

A folder is read whole (its subfolders too, in name order): each ``.yaml`` or ``.yml`` file that is
a rule pack (a top-level ``rules`` key), a fragment (``kind: fragment``) or a procedure (``states``
and ``transitions``) is loaded, and any other YAML there (a scenario, a body, a pack's tests) is
passed over. A file named on its own must be one of the three. Packs load first, then fragments,
then procedures, so a file may use what another file defines, whatever their names.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from collegium._catalog import Message
from collegium._loader import parse_yaml, read_text
from collegium.errors import DefinitionError, InvalidInput

if TYPE_CHECKING:
    from collegium.engine.registry import Registry

#: the order definitions load in: what a procedure uses first
KINDS = ("pack", "fragment", "procedure")


@dataclass(frozen=True, slots=True, kw_only=True)
class DefinitionFile:
    """A definition file read, and what it holds: ``kind`` (``pack``, ``fragment`` or
    ``procedure``) and ``key`` (``id@version``)."""

    path: str
    kind: str
    key: str


def kind_of(data: Any) -> str | None:
    """What a parsed YAML document defines (one of ``KINDS``), or None if none of them."""
    if not isinstance(data, dict):
        return None
    if "rules" in data:
        return "pack"
    if data.get("kind") == "fragment":
        return "fragment"
    if "states" in data and "transitions" in data:
        return "procedure"
    return None


def _files(paths: Iterable[str | Path]) -> list[tuple[Path, bool]]:
    """Each file to read, and whether it was named on its own (else found in a folder)."""
    out: list[tuple[Path, bool]] = []
    for given in paths:
        path = Path(given)
        if path.is_dir():
            found = sorted(
                p for p in path.rglob("*") if p.suffix in (".yaml", ".yml") and p.is_file()
            )
            out.extend((p, False) for p in found)
        elif path.is_file():
            out.append((path, True))
        else:
            raise InvalidInput(Message("no definition file or folder at {path!r}", path=str(path)))
    return out


def load(registry: Registry, paths: Iterable[str | Path]) -> list[DefinitionFile]:
    """Load the definitions in ``paths`` (files and folders) into ``registry``; what was loaded, in
    load order. :class:`DefinitionError` (naming the file and line) for a file that does not load,
    :class:`InvalidInput` for a path that does not exist."""
    read: dict[str, list[tuple[Path, str, Any, Any]]] = {kind: [] for kind in KINDS}
    for path, named in _files(paths):
        text = read_text(path)
        data, node = parse_yaml(text, str(path))
        kind = kind_of(data)
        if kind is None:
            if named:
                raise DefinitionError(
                    Message(
                        "not a procedure, a procedure fragment or a rule pack (a pack has "
                        "`rules`, a fragment `kind: fragment`, a procedure `states` and "
                        "`transitions`)"
                    ),
                    source=str(path),
                )
            continue
        read[kind].append((path, text, data, node))
    loaded: list[DefinitionFile] = []
    for path, text, _data, _node in read["pack"]:
        spec = registry.add_pack_text(text, str(path))
        loaded.append(DefinitionFile(path=str(path), kind="pack", key=spec.key))
    for path, text, _data, _node in read["fragment"]:
        frag = registry.add_fragment_text(text, str(path))
        loaded.append(DefinitionFile(path=str(path), kind="fragment", key=frag.key))
    loaded.extend(_procedures(registry, [(p, t) for p, t, _d, _n in read["procedure"]]))
    return loaded


def _procedures(registry: Registry, pending: list[tuple[Path, str]]) -> list[DefinitionFile]:
    """Load procedures, each after those it starts: a procedure that fails is tried again once
    another has loaded, and the first failure stands when none can."""
    loaded: list[DefinitionFile] = []
    while pending:
        failed: list[tuple[Path, str]] = []
        first: DefinitionError | None = None
        for path, text in pending:
            try:
                spec = registry.add_procedure_text(text, str(path))
            except DefinitionError as exc:
                failed.append((path, text))
                first = first or exc
                continue
            loaded.append(DefinitionFile(path=str(path), kind="procedure", key=spec.key))
        if first is not None and len(failed) == len(pending):
            raise first
        pending = failed
    return loaded

"""The definition files shipped with Collegium that a registry has not read yet.

:meth:`~collegium.engine.registry.Registry.builtin` lists the files and reads each when a definition
of its id is first asked for. A file is named by the id it holds: ``NAME.yaml`` holds the latest
version, ``NAME.vVERSION.yaml`` an earlier one, kept for the instances started under it. Every file
has a rank, its place in the order of their names (the packs' folder first), so that what is read
in any order can be listed in the order of reading them all at once.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from importlib import resources
from importlib.resources.abc import Traversable
from typing import Any, TypeVar

__all__ = ["ALL", "LATEST", "ShippedFile", "Unread", "ordered", "shipped_order"]

K = TypeVar("K")
V = TypeVar("V")

#: Ask :meth:`Unread.files` for every version of an id, or for its latest (the file ``NAME.yaml``).
ALL, LATEST = "*", ""
_FOLDERS = (("pack", ("rules", "packs")), ("workflow", ("workflows",)))


@dataclass(frozen=True)
class ShippedFile:
    """One file: its folder ("pack" or "workflow"), the id and version its name gives, its rank."""

    folder: str
    name: str
    version: str | None  # None: NAME.yaml, the latest version
    rank: int
    entry: Traversable
    source: str

    def text(self) -> str:
        return self.entry.read_text(encoding="utf-8")


class Unread:
    """The shipped files not read yet, by (folder, id)."""

    def __init__(self, files: dict[tuple[str, str], list[ShippedFile]] | None = None) -> None:
        self._files = files or {}
        self._latest = {k for k, fs in self._files.items() if any(f.version is None for f in fs)}

    @classmethod
    def listing(cls) -> Unread:
        """Every file shipped with Collegium, none read (the folders are listed, no file opened)."""
        root, rank = resources.files("collegium"), 0
        files: dict[tuple[str, str], list[ShippedFile]] = {}
        for folder, path in _FOLDERS:
            for entry in sorted(root.joinpath(*path).iterdir(), key=lambda p: p.name):
                if not entry.name.endswith(".yaml"):
                    continue
                name, _, rest = entry.name.removesuffix(".yaml").partition(".v")
                source = f"collegium/{'/'.join(path)}/{entry.name}"
                files.setdefault((folder, name), []).append(
                    ShippedFile(folder, name, rest or None, rank, entry, source)
                )
                rank += 1
        return cls(files)

    def __bool__(self) -> bool:
        return bool(self._files)

    def __contains__(self, key: object) -> bool:
        """Whether a file of ``(folder, id)`` is still unread."""
        return key in self._files

    def copy(self) -> Unread:
        out = Unread({k: list(v) for k, v in self._files.items()})
        out._latest = set(self._latest)
        return out

    def files(self, folder: str, name: str, version: str) -> list[ShippedFile]:
        """The unread files of the id that may hold ``version`` (:data:`LATEST`: the latest;
        :data:`ALL`: every file): those named for it, else ``NAME.yaml`` (none once it is read),
        else, when the id has no ``NAME.yaml``, all of them."""
        unread = self._files.get((folder, name), [])
        if version == ALL:
            return list(unread)
        named = [f for f in unread if f.version == (version or None)]
        if named or (folder, name) in self._latest:
            return named or [f for f in unread if f.version is None]
        return list(unread)  # no file NAME.yaml: any may hold the latest

    def done(self, file: ShippedFile) -> None:
        """``file`` has been read."""
        key = (file.folder, file.name)
        self._files[key].remove(file)
        if not self._files[key]:
            del self._files[key]

    def drop(self, folder: str, name: str) -> None:
        """Never read the files of this id."""
        self._files.pop((folder, name), None)

    def ids(self, folders: tuple[str, ...]) -> list[tuple[str, str]]:
        """(folder, id) of every unread file in ``folders``, in the order of their ranks."""
        keys = [k for k in self._files if k[0] in folders]
        return sorted(keys, key=lambda k: self._files[k][0].rank)


def ordered(table: dict[K, V], rank: Callable[[K], int]) -> dict[K, V]:
    """``table`` sorted by the rank of its keys, keys of the same rank kept in their order."""
    return dict(sorted(table.items(), key=lambda kv: rank(kv[0])))  # sorted() is stable


def shipped_order(
    kind: str, table: dict[str, dict[Any, Any]], rank: dict[str, int]
) -> dict[str, dict[Any, Any]]:
    """A registry's ``table`` of ``kind`` (id -> version -> spec) in the order of the shipped files
    the versions were read from (``rank`` by ``kind:id@version``), ids by their first version;
    what was not shipped comes last, in the order it was added."""
    last = sys.maxsize

    def at(key: str, version: Any) -> int:
        return rank.get(f"{kind}:{key}@{version}", last)

    inner = {k: ordered(v, partial(at, k)) for k, v in table.items()}
    return ordered(inner, lambda k: min((at(k, v) for v in inner[k]), default=last))

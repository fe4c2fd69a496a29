"""The definition texts a step stores: those of the procedures, packs and fragments its instances
are judged under, each once, with the first instance started under it."""

from __future__ import annotations

from collections.abc import Iterable

from collegium.engine.compiled import CompiledProcedure
from collegium.engine.registry import Registry
from collegium.store.records import DefinitionText


class Texts:
    """The engine's memory of the texts it knows are stored. In the host's transaction
    (``remember=False``) the host may yet roll a step back, so nothing is remembered and each
    first step writes its texts (the store keeps a text once)."""

    __slots__ = ("_remember", "_saved")

    def __init__(self, *, remember: bool = True) -> None:
        self._remember = remember
        self._saved: set[str] = set()

    def unsaved(self, registry: Registry, proc: CompiledProcedure) -> tuple[DefinitionText, ...]:
        """The texts ``proc`` runs under that are not known to be stored."""
        return tuple(DefinitionText(kind=d.kind, key=d.key, sha256=d.sha256, text=d.text)
                     for d in registry.texts_of(proc) if f"{d.kind}:{d.key}" not in self._saved)

    def stored(self, texts: Iterable[DefinitionText]) -> None:
        """Remember ``texts`` as stored: call once their transaction has committed."""
        if self._remember:
            self._saved.update(f"{t.kind}:{t.key}" for t in texts)

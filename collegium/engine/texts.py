"""The definition texts a step stores: those of the procedures, packs and fragments its instances
are judged under, each once, with the first instance started under it."""

from __future__ import annotations

from collections.abc import Iterable

from collegium.engine.compiled import CompiledProcedure
from collegium.engine.registry import Registry

#: A definition text as a step stores it: (kind, key, sha256, text).
Text = tuple[str, str, str, str]


class Texts:
    """The engine's memory of the texts it knows are stored. In the host's transaction
    (``remember=False``) the host may yet roll a step back, so nothing is remembered and each
    first step writes its texts (the store keeps a text once)."""

    __slots__ = ("_remember", "_saved")

    def __init__(self, *, remember: bool = True) -> None:
        self._remember = remember
        self._saved: set[str] = set()

    def unsaved(self, registry: Registry, proc: CompiledProcedure) -> tuple[Text, ...]:
        """The texts ``proc`` runs under that are not known to be stored."""
        return tuple((d.kind, d.key, d.sha256, d.text) for d in registry.texts_of(proc)
                     if f"{d.kind}:{d.key}" not in self._saved)

    def stored(self, texts: Iterable[Text]) -> None:
        """Remember ``texts`` as stored: call once their transaction has committed."""
        if self._remember:
            self._saved.update(f"{kind}:{key}" for kind, key, _, _ in texts)

    def remembered(self) -> frozenset[str]:
        """The texts known to be stored now (to forget what a batch rolled back)."""
        return frozenset(self._saved)

    def forget_since(self, remembered: frozenset[str]) -> None:
        """Forget every text remembered since ``remembered`` was taken."""
        self._saved &= remembered

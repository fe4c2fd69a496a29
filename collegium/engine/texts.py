"""The definition texts a step stores: those of the procedures, packs and fragments its instances
are judged under, each once, with the first instance started under it."""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable

from collegium._catalog import Message
from collegium.engine.compiled import CompiledProcedure
from collegium.engine.registry import Registry
from collegium.errors import DefinitionError
from collegium.store.records import DefinitionText


class Texts:
    """The engine's memory of the texts it knows are stored. In the host's transaction
    (``remember=False``) the host may yet roll a step back, so nothing is remembered and each
    first step writes its texts (the store keeps a text once)."""

    __slots__ = ("_remember", "_saved", "_verified")

    def __init__(self, *, remember: bool = True) -> None:
        self._remember = remember
        self._saved: set[str] = set()
        self._verified: set[CompiledProcedure] = set()

    def verify(
        self, lookup: Callable[[str, str], str | None], registry: Registry, proc: CompiledProcedure
    ) -> None:
        """Refuse (:class:`DefinitionError`) to judge under ``proc`` if the store keeps another
        text for a version of it than the registry holds (``lookup(kind, key)``: the store's kept
        text): the text is the version, and instances are judged by the one they were recorded
        under. Each compiled procedure is looked at once."""
        if proc in self._verified:
            return
        for d in registry.texts_of(proc):
            kept = lookup(d.kind, d.key)
            if kept is not None and hashlib.sha256(kept.encode("utf-8")).hexdigest() != d.sha256:
                raise DefinitionError(
                    Message(
                        "{kind} {key} is not the text the database keeps for that version, which "
                        "its instances were recorded under: give the changed text a new version",
                        kind=d.kind,
                        key=d.key,
                    ),
                    source=d.source,
                )
        self._verified.add(proc)

    def unsaved(self, registry: Registry, proc: CompiledProcedure) -> tuple[DefinitionText, ...]:
        """The texts ``proc`` runs under that are not known to be stored."""
        return tuple(
            DefinitionText(kind=d.kind, key=d.key, sha256=d.sha256, text=d.text)
            for d in registry.texts_of(proc)
            if f"{d.kind}:{d.key}" not in self._saved
        )

    def stored(self, texts: Iterable[DefinitionText]) -> None:
        """Remember ``texts`` as stored: call once their transaction has committed."""
        if self._remember:
            self._saved.update(f"{t.kind}:{t.key}" for t in texts)

    def remembered(self) -> frozenset[str]:
        """The texts known to be stored now (to forget what a batch rolled back)."""
        return frozenset(self._saved)

    def forget_since(self, remembered: frozenset[str]) -> None:
        """Forget every text remembered since ``remembered`` was taken."""
        self._saved &= remembered

"""What the engine hands back: read-only views of an instance, the outcome of a command,
availability."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

import orjson

from collegium.engine.audit import canonical
from collegium.rules.verdict import Verdict
from collegium.store.records import EventRecord, InstanceRecord

__all__ = ["Availability", "Instance", "Outcome"]


class _Facts(Mapping[str, Any]):
    """Read-only facts decoded from their canonical JSON on first use (an outcome's caller may never
    look)."""

    __slots__ = ("_data", "_text")

    def __init__(self, text: str) -> None:
        self._text = text
        self._data: dict[str, Any] | None = None

    def _load(self) -> dict[str, Any]:
        if self._data is None:
            self._data = orjson.loads(self._text)
        return self._data

    def __getitem__(self, key: str) -> Any:
        return self._load()[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self._load())

    def __len__(self) -> int:
        return len(self._load())

    def __repr__(self) -> str:
        return repr(self._load())


@dataclass(frozen=True, slots=True)
class Instance:
    """A read-only view of an instance: where it stands and the facts it holds."""

    id: str
    procedure: str
    procedure_version: int
    pack: str
    pack_version: str
    state: str
    version: int
    facts: Mapping[str, Any]
    parent_id: str | None
    created_at: str
    updated_at: str
    event_count: int

    @classmethod
    def of(cls, r: InstanceRecord) -> Instance:
        """A view with its own copy of the facts (decoded when first read), so no caller can change
        a store."""
        facts = _Facts(r.facts_json if r.facts_json is not None else canonical(r.facts))
        return cls(
            r.id,
            r.procedure,
            r.procedure_version,
            r.pack,
            r.pack_version,
            r.state,
            r.version,
            facts,
            r.parent_id,
            r.created_at,
            r.updated_at,
            r.event_count,
        )


@dataclass(frozen=True, slots=True)
class Outcome:
    """What a command did: the instance after it, the event written, the verdict, children started.

    ``replayed`` is true when an idempotency key repeated an earlier command: the event, verdict and
    children are the first call's, and ``instance`` is the instance as it stands now. A repeated
    *secret* vote is checked for its trigger and actor only: its choice was never stored, so it
    cannot be compared, and the first counts.
    """

    instance: Instance
    event: EventRecord
    verdict: Verdict
    started: tuple[str, ...] = ()
    replayed: bool = False


@dataclass(frozen=True, slots=True)
class Availability:
    """Whether ``trigger`` could be fired now by an actor: ``allowed`` when no rule that can be
    judged without the command's data refuses it; the verdict marks the rules that wait for the data
    (``needs_data``), and ``needs`` names the data keys they wait for: the command is judged
    on them when it gives them (and refused if it leaves out one a rule requires)."""

    trigger: str
    allowed: bool
    verdict: Verdict = field(repr=False)
    needs: tuple[str, ...] = ()

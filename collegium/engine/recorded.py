"""What the hash-chained events say about the other tables, noted while the chains are verified
(:mod:`collegium.engine.crosscheck` compares the tables with it)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from collegium._catalog import Message
from collegium.engine.audit import AuditProblem
from collegium.store.records import EventRecord


@dataclass(slots=True)
class _Entry:
    """The event by which an instance entered its current state, the timers it set (None: not
    recorded, format 1), and the timer keys used by events since."""

    seq: int
    state: str
    timers: list[list[Any]] | None
    fired: set[str] = field(default_factory=set)


class Recorded:
    """Passes a stream of events through while noting what they recorded about the other tables."""

    def __init__(self, events: Iterable[EventRecord]) -> None:
        self._events = events
        #: instance -> (seq, actor, view) of each view stated at a meeting
        self.views: dict[str, list[tuple[int, str, str]]] = {}
        #: named ballot key -> voter -> (choice, instance, seq)
        self.named: dict[str, dict[str, tuple[str, str, int]]] = {}
        #: secret ballot key -> voter -> (instance, seq)
        self.secret: dict[str, dict[str, tuple[str, int]]] = {}
        self.entries: dict[str, _Entry] = {}
        #: secret ballot key -> (totals its count recorded, instance, seq)
        self.counted: dict[str, tuple[dict[str, int], str, int]] = {}
        #: electronic ballot key -> digest -> how many of its votes recorded that digest
        self.sealed: dict[str, Counter[str]] = {}
        #: electronic ballot keys whose sealed choices were deleted uncounted
        self.discarded: set[str] = set()
        #: (kind, key) of a definition text -> (SHA-256, the first instance that recorded it)
        self.definitions: dict[tuple[str, str], tuple[str, str]] = {}
        self.conflict: AuditProblem | None = None
        #: (instance, seq) of the events of format 1 that may have opened a meeting and its ballot
        self.legacy_openings: set[tuple[str, int]] = set()

    def __iter__(self) -> Iterator[EventRecord]:
        for e in self._events:
            self._note(e)
            yield e

    def _note(self, e: EventRecord) -> None:
        if e.trigger == "state_view":
            self.views.setdefault(e.instance_id, []).append(
                (e.seq, e.actor, str(e.data.get("view")))
            )
        if e.format_version < 2:
            if e.source is None or e.source != e.dest:
                self.entries[e.instance_id] = _Entry(e.seq, e.dest, None)
            if "attendance" in e.data or "sitting" in e.data:
                self.legacy_openings.add((e.instance_id, e.seq))
            return
        effects = e.effects
        ballot = effects.get("ballot")
        if ballot is not None:
            self._vote(e, str(ballot), bool(effects.get("secret_vote")))
            if "sealed" in effects:
                self.sealed.setdefault(str(ballot), Counter())[str(effects["sealed"])] += 1
        for key, totals in (effects.get("counted") or {}).items():
            self.counted[key] = (dict(totals), e.instance_id, e.seq)
        self.discarded.update(effects.get("discarded") or ())
        if e.source is None or e.source != e.dest or "timers" in effects:  # entered, or re-entered
            self.entries[e.instance_id] = _Entry(e.seq, e.dest, list(effects.get("timers") or ()))
        elif e.idempotency_key is not None and e.idempotency_key.startswith("timer:"):
            entry = self.entries.get(e.instance_id)
            if entry is not None:
                entry.fired.add(e.idempotency_key)
        for kind, key, sha in effects.get("definitions") or ():
            first = self.definitions.setdefault((kind, key), (sha, e.instance_id))
            if first[0] != sha and self.conflict is None:
                self.conflict = AuditProblem.of(
                    e.instance_id,
                    e.seq,
                    Message(
                        "records the text of {kind} {key} with another SHA-256 than instance "
                        "{first} did",
                        kind=kind,
                        key=key,
                        first=first[1],
                    ),
                )

    def _vote(self, e: EventRecord, ballot: str, secret: bool) -> None:
        """Note a vote; a second vote by one member in one ballot is a problem: the row of the first
        was gone."""
        cast: dict[str, Any] = (self.secret if secret else self.named).setdefault(ballot, {})
        if e.actor in cast and self.conflict is None:
            first = cast[e.actor][-1]
            self.conflict = AuditProblem.of(
                e.instance_id,
                e.seq,
                Message(
                    "a second vote by {voter!r} in this ballot (the first: event {first}): the "
                    "row of the first was deleted before it",
                    voter=e.actor,
                    first=first,
                ),
                table="collegium_ballot_voters" if secret else "collegium_votes",
                row=f"ballot_id={ballot!r}, voter={e.actor!r}",
            )
        cast[e.actor] = (
            (e.instance_id, e.seq) if secret else (str(e.data.get("choice")), e.instance_id, e.seq)
        )

    def legacy(self, ballot: str) -> bool:
        """Whether ``ballot`` (a meeting id ``instance/seq``, ``#item`` after it for an item) was
        opened by an event of format 1, whose votes recorded no ballot key: its rows are not
        compared."""
        for at, char in enumerate(ballot):
            if char == "/":
                seq = ballot[at + 1 :].partition("#")[0]
                if seq.isdigit() and (ballot[:at], int(seq)) in self.legacy_openings:
                    return True
        return False

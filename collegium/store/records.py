"""Plain records the store reads and writes: an instance row, an event row, a timer, a vote, and
the rows a step writes beside them (definition texts, seats, views, attendance, the facts index, a
secret ballot's returned ballots and sealed choices). None changes once built: a changed instance
is a new record. The dataclasses take keywords only; the few named tuples (:class:`Seat`,
:class:`SeatCounts`, :class:`IndexRow`, :class:`EventTexts`) are values that must still unpack,
sort or hash as tuples."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any, NamedTuple

from collegium._formats import iso_duration


@dataclass(frozen=True, slots=True, kw_only=True)
class InstanceRecord:
    """The current state of one instance, as stored. ``version`` guards concurrent updates."""

    id: str
    procedure: str
    procedure_version: int
    pack: str
    pack_version: str
    state: str
    version: int
    facts: dict[str, Any]
    created_at: str
    updated_at: str
    parent_id: str | None = None
    head_hash: str = ""
    event_count: int = 0
    #: the canonical JSON of ``facts`` when the engine already computed it (saves encoding it twice)
    facts_json: str | None = field(default=None, compare=False, repr=False)


class EventTexts(NamedTuple):
    """The canonical JSON of an event's data, verdict and effects: what its hash covers of them and
    what the store keeps. A named tuple: the hash input lays the three out in this order."""

    data: str
    verdict: str
    effects: str


#: The format of the events written now: how an event's hash input is laid out and how its verdict
#: and effects record are encoded. Every event stores its format, so a change to either is a new
#: format and the events written under an older one still verify
#: (:func:`collegium.engine.audit.event_hash` knows each).
EVENT_FORMAT = 2


@dataclass(frozen=True, slots=True, kw_only=True)
class EventRecord:
    """One step in an instance's history.

    ``hash`` covers every other field and the previous hash.
    """

    instance_id: str
    seq: int
    trigger: str
    actor: str
    source: str | None
    dest: str
    at: str
    data: dict[str, Any]
    verdict: list[list[Any]]
    facts_sha: str
    prev_hash: str
    hash: str
    idempotency_key: str | None = None
    effects: dict[str, Any] = field(default_factory=dict)
    #: the canonical JSON of data, verdict and effects when the engine already computed it
    texts: EventTexts | None = field(default=None, compare=False, repr=False)
    #: the format the event was written in (``EVENT_FORMAT`` of this module when written now)
    format_version: int = EVENT_FORMAT


@dataclass(frozen=True, slots=True, kw_only=True)
class TimerRecord:
    """A trigger the engine fires by itself at ``due_at`` if the instance is still in ``state``,
    entered by its event ``entered_seq`` (leaving and re-entering the state sets new timers and
    voids these)."""

    instance_id: str
    trigger: str
    state: str
    due_at: str
    entered_seq: int
    #: 0 for the timer itself; else this is a reminder of the timer ``trigger``, due this many
    #: seconds before it
    lead: int = 0

    @property
    def name(self) -> str:
        """``review`` for a timer, ``review -P7D`` for its reminder seven days ahead."""
        if not self.lead:
            return self.trigger
        return f"{self.trigger} -{iso_duration(dt.timedelta(seconds=self.lead))}"


@dataclass(frozen=True, slots=True, kw_only=True)
class VoteRecord:
    """One vote to store. For a secret ballot the store keeps ``voter`` and ``choice`` apart."""

    ballot_id: str
    voter: str
    choice: str
    secret: bool


@dataclass(frozen=True, slots=True, kw_only=True)
class DefinitionText:
    """A definition text an instance was started under, stored once by its kind and key."""

    kind: str
    key: str
    sha256: str
    text: str


class Seat(NamedTuple):
    """A member's seat at a meeting: role, whether the seat votes, attendance, the view stated (if
    any).

    A named tuple: the store builds one per seat row it reads, and a seat still equals the plain
    tuple of its four values."""

    role: str
    voting: bool
    attendance: str
    view: str | None


class SeatCounts(NamedTuple):
    """A meeting's voting seats: how many, how many of them recused, how many present, and how
    many of those present have stated a view."""

    voting: int
    recused: int
    present: int
    stated: int = 0


@dataclass(frozen=True, slots=True, kw_only=True)
class SeatRow:
    """A seat of a meeting a step opens, as written: the meeting, the member, and the seat."""

    meeting: str
    person: str
    role: str
    voting: bool
    attendance: str


@dataclass(frozen=True, slots=True, kw_only=True)
class ViewRow:
    """A view a member stated at a meeting, and when."""

    meeting: str
    person: str
    view: str
    at: str


@dataclass(frozen=True, slots=True, kw_only=True)
class AttendanceRow:
    """A member's attendance changed at a sitting in session."""

    meeting: str
    person: str
    attendance: str


class IndexRow(NamedTuple):
    """One row of the facts index: an indexed fact's name and one of its values as text.

    A named tuple: rows are sorted, kept in sets and compared as (name, value) pairs."""

    name: str
    value: str


@dataclass(frozen=True, slots=True, kw_only=True)
class IndexRows:
    """An instance's facts-index rows from now on, replacing any it had, under its procedure."""

    procedure: str
    rows: tuple[IndexRow, ...]


@dataclass(frozen=True, slots=True, kw_only=True)
class ReturnedBallot:
    """That ``voter`` returned a ballot in the secret ballot stored under ``ballot``."""

    ballot: str
    voter: str


@dataclass(frozen=True, slots=True, kw_only=True)
class SealedChoice:
    """One vote's sealed choice in the electronic secret ballot stored under ``ballot``."""

    ballot: str
    sealed: str

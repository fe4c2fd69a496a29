"""The record of a sitting, as ``gather.minutes`` drafts it from what the
engine holds: typed, in one language, and rendered by separate functions
(``render``).

Times are aware datetimes in UTC, as the engine keeps them; a renderer shows them in a zone. Labels
(roles, states, methods, options) are in the record's language; the codes stay beside them. A
secret ballot's record holds its totals and its tellers, never a voter's choice.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

__all__ = [
    "Absence",
    "Attendance",
    "AttendanceChange",
    "Count",
    "Dissent",
    "Figure",
    "ItemResult",
    "Matter",
    "Minutes",
    "Person",
    "Tally",
    "Task",
    "View",
    "moment",
]


def moment(value: object) -> dt.datetime | None:
    """A time as the engine keeps it (ISO 8601 text with a zone, or a datetime) as the record's
    datetime; None for anything else."""
    if isinstance(value, dt.datetime):
        return value
    if isinstance(value, str) and value:
        try:
            return dt.datetime.fromisoformat(value)
        except ValueError:
            return None
    return None


@dataclass(frozen=True, slots=True, kw_only=True)
class Person:
    """A person the minutes name: their id, the name their body gives them (if any), the label of
    their role at the meeting (None for someone who holds no seat), and whether their seat
    votes."""

    id: str
    name: str | None = None
    role: str | None = None
    voting: bool = True


@dataclass(frozen=True, slots=True, kw_only=True)
class Absence:
    """A member absent from the meeting, with the reason given for it (缺席理由), if any."""

    person: Person
    reason: str | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class Attendance:
    """Who sat when the meeting opened: members present (a seat that does not vote says so),
    absent with their reasons, recused (回避), and non-members attending without a vote (列席)."""

    present: tuple[Person, ...] = ()
    absent: tuple[Absence, ...] = ()
    recused: tuple[Person, ...] = ()
    attendees: tuple[Person, ...] = ()


@dataclass(frozen=True, slots=True, kw_only=True)
class AttendanceChange:
    """An arrival, a departure or a non-voting attendee joining while the sitting was in session:
    ``status`` is ``present``, ``absent`` or ``attendee``."""

    at: dt.datetime
    person: Person
    status: str
    reason: str | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class View:
    """A view stated at the meeting (表态), in the order stated: who, the view's code and label,
    when."""

    person: Person
    view: str
    label: str
    at: dt.datetime


@dataclass(frozen=True, slots=True, kw_only=True)
class Figure:
    """A quorum or pass figure as its rule judged it at the close: ``count`` (present, or the votes
    for) of ``base`` (those who should attend), ``needed`` by ``op`` ``ratio``, and whether it
    held."""

    rule: str
    count: int | None = None
    base: int | None = None
    needed: int | None = None
    op: str | None = None
    ratio: str | None = None
    passed: bool | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class Count:
    """The votes for one option: its code, its label and how many."""

    option: str
    label: str
    votes: int


@dataclass(frozen=True, slots=True, kw_only=True)
class Dissent:
    """On a named ballot, the members who chose ``option`` (against, abstaining, deferring): who
    did not vote for the motion. ``option`` is empty where the engine keeps only who dissented."""

    option: str
    label: str
    people: tuple[Person, ...]


@dataclass(frozen=True, slots=True, kw_only=True)
class ItemResult:
    """One item of a list voted item by item (逐个表决): its counts, its pass figure, whether it
    passed, and on a named ballot who dissented."""

    item: str
    counts: tuple[Count, ...]
    threshold: Figure | None
    passed: bool
    dissent: tuple[Person, ...] = ()


@dataclass(frozen=True, slots=True, kw_only=True)
class Tally:
    """A matter's ballot at the meeting: its method, the totals, n (who should attend) and those
    present, the quorum and pass figures, the result; who dissented on a named ballot; the tellers
    and the ballots returned of a secret one. ``lapsed``: the matter left the meeting without a
    tally (then there are no totals)."""

    method: str
    method_label: str
    secret: bool
    counts: tuple[Count, ...] = ()
    n: int | None = None
    present: int | None = None
    quorum: tuple[Figure, ...] = ()
    threshold: Figure | None = None
    passed: bool | None = None
    items: tuple[ItemResult, ...] = ()
    dissent: tuple[Dissent, ...] = ()
    tellers: tuple[Person, ...] = ()
    returned: int | None = None
    closed_at: dt.datetime | None = None
    lapsed: bool = False


@dataclass(frozen=True, slots=True, kw_only=True)
class Task:
    """A task the decision was assigned as (责任分解): the pack's task procedure's child of the
    matter, with its lead member, deadline and state."""

    id: str
    title: str | None
    lead: Person | None
    deadline: dt.datetime | None
    state: str


@dataclass(frozen=True, slots=True, kw_only=True)
class Matter:
    """A matter taken up at the meeting: when, its recusals, the views in the order stated, its
    ballot, the decision (the state its ballot or deferral led to) and its lead member, and the
    tasks it was assigned as. A matter on a sitting's agenda that was not taken up has
    ``opened_at`` None and only its current ``state``."""

    id: str
    title: str | None
    procedure: str
    state: str
    opened_at: dt.datetime | None = None
    recused: tuple[Person, ...] = ()
    views: tuple[View, ...] = ()
    tally: Tally | None = None
    decision: str | None = None
    lead: Person | None = None
    tasks: tuple[Task, ...] = ()


@dataclass(frozen=True, slots=True, kw_only=True)
class Minutes:
    """The minutes of a meeting (会议记录): of a sitting convened with an agenda (``sitting``
    True; ``matters`` its agenda), or of one matter's meeting (``matters`` that matter;
    ``taken_up_at`` the sitting it was taken up at, if any). ``lang`` is the language of its
    labels."""

    lang: str
    id: str
    sitting: bool
    title: str | None
    body: str
    body_title: str | None
    scheduled_at: dt.datetime | None
    opened_at: dt.datetime
    closed_at: dt.datetime | None
    chair: Person | None
    attendance: Attendance
    changes: tuple[AttendanceChange, ...] = ()
    matters: tuple[Matter, ...] = ()
    taken_up_at: str | None = None

"""Generic governance primitives: bodies and membership, meetings and attendance, ballots and tallies.

Nothing here belongs to one organisation: a Party standing committee, a company board and a university
senate are all a :class:`Body` with members in roles. The records these primitives keep on an instance
(consultations, the meeting with its frozen membership and attendance, the ballot) are plain JSON so
they persist and hash as they are.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from typing import Any, Literal, Protocol

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from collegium._brief import brief, validation_line
from collegium._i18n import Text
from collegium.engine.reserved import ENGINE_MARK, is_engine_actor, is_reserved_role
from collegium.errors import InvalidInput

AttendanceStatus = Literal["present", "absent", "recused", "attendee"]
ATTENDANCE: tuple[str, ...] = ("present", "absent", "recused", "attendee")


def _printable(value: str | None) -> str | None:
    """Ids and names are printable text: no control characters (PostgreSQL cannot even store a NUL)."""
    if value is not None and not value.isprintable():
        raise ValueError("must be printable text, without control characters")
    return value


class _Record(BaseModel):
    """A record built in Python (``Body(...)``, ``Member(...)``): a bad field is
    :class:`InvalidInput`, in one line. ``model_validate`` keeps pydantic's ``ValidationError``,
    which the file loaders turn into errors that name the file and line."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    def __init__(self, /, **data: Any) -> None:
        try:
            super().__init__(**data)
        except ValidationError as exc:
            raise InvalidInput(f"{type(self).__name__} {validation_line(exc)}") from None

    # pydantic calls a model's own __init__ also to validate it nested or by model_validate, unless
    # the __init__ says it is the base one (as RootModel's does): this one serves Python calls only
    __init__.__pydantic_base_init__ = True  # type: ignore[attr-defined]


class Member(_Record):
    """A person's seat in a body: a role (pack vocabulary) and whether the seat votes.

    ``person`` is compared exactly (``m3``, ``M3``, ``m3 `` and ``ｍ3`` are four people) and may
    not start with ``@`` in any form (the engine's actors do); ``role`` may not be one the engine
    keeps for itself (``system``, in any case or width: ``collegium.engine.reserved``)."""

    person: str = Field(min_length=1, max_length=128, description="'@' starts engine actors")
    role: str = Field(min_length=1, max_length=64)
    voting: bool = True
    name: str | None = Field(default=None, max_length=256)

    _printable = field_validator("person", "role", "name")(_printable)

    @field_validator("person")
    @classmethod
    def _not_engine(cls, person: str) -> str:
        if is_engine_actor(person):
            raise ValueError(f"{ENGINE_MARK!r} (in any form) starts the engine's own actors, "
                             "not a person's id")
        return person

    @field_validator("role")
    @classmethod
    def _not_reserved(cls, role: str) -> str:
        if is_reserved_role(role):
            raise ValueError(f"the role {role!r} is reserved for the engine (its timers act in it)")
        return role


class Body(_Record):
    """A deciding or advising body (全委会, 常委会, a board …) and its current members."""

    id: str = Field(min_length=1, max_length=128)
    kind: str = Field(min_length=1, max_length=64, description="e.g. plenary, standing, secretary_office")
    title: Text | None = None
    members: tuple[Member, ...] = ()

    _printable = field_validator("id", "kind")(_printable)

    def member(self, person: str) -> Member | None:
        """The seat of ``person`` in this body, or ``None`` if they have none."""
        for m in self.members:
            if m.person == person:
                return m
        return None


#: Looks a body up by id, for one command (the store's bodies, or the host's directory as of the command's time).
BodyLookup = Callable[[str], "Body | None"]


class Directory(Protocol):
    """The host's directory of people, when bodies and members live in the host rather than in Collegium's tables.

    ``body`` answers who is in ``body_id`` and with which role **as of** ``at`` — the time of the command being
    judged — or ``None`` when there is no such body then. The engine asks it whenever a rule reads the body; a
    meeting still freezes the membership it opened with (its seats are stored), so a later change in the host
    does not change a sitting that has begun. It is called inside the command's transaction, while the instance's
    row is locked: a slow lookup holds that lock longer, so answer from memory or a fast local read."""

    def body(self, body_id: str, at: dt.datetime) -> Body | None: ...  # pragma: no cover - a protocol


def build_attendance(body: Body, given: Mapping[str, Any]) -> dict[str, str]:
    """Attendance for every member (absent unless stated) plus non-voting attendees (列席)."""
    seats = {m.person for m in body.members}
    attendance = {m.person: "absent" for m in body.members}
    for person, status in given.items():
        if status not in ATTENDANCE:
            raise InvalidInput(f"attendance of {brief(person)} is {brief(status)}; "
                               f"use one of: {', '.join(ATTENDANCE)}")
        member = person in seats
        if not member and status != "attendee":
            raise InvalidInput(f"{brief(person)} is not a member of {body.id!r}; "
                               "only 'attendee' (列席) is allowed")
        if member and status == "attendee":
            raise InvalidInput(f"{brief(person)} is a member of {body.id!r}; "
                               "mark them present, absent or recused")
        attendance[str(person)] = str(status)
    return attendance


def ballot_key(ballot: Mapping[str, Any], item: str | None) -> str:
    """Where a ballot's votes are stored: per item when a list is voted item by item (逐个表决)."""
    return f"{ballot['id']}#{item}" if item and ballot.get("items") else str(ballot["id"])

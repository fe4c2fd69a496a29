"""Generic governance primitives: the host's directory of bodies, meetings and attendance, ballots.

Nothing here belongs to one organisation: a Party standing committee, a company board and a
university senate are all a :class:`~collegium.store.bodies.Body` with members in roles (kept by the
store). The records these primitives keep on an instance (consultations, the meeting with its frozen
membership and attendance, the ballot) are plain JSON so they persist and hash as they are.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING, Any, Literal, Protocol

from collegium._brief import brief
from collegium._catalog import Message
from collegium._reserved import is_reserved_role
from collegium.engine._moved import moved
from collegium.errors import InvalidInput

if TYPE_CHECKING:
    from collegium.rules.model import RulePackSpec
    from collegium.store.bodies import Body

#: Body and Member moved to :mod:`collegium.store.bodies` (the store reads and writes them)
__getattr__ = moved(__name__, "collegium.store.bodies", ("Body", "Member"))

AttendanceStatus = Literal["present", "absent", "recused", "attendee"]
ATTENDANCE: tuple[str, ...] = ("present", "absent", "recused", "attendee")


#: Looks a body up by id, for one command (the store's bodies, or the host's directory as of the
#: command's time).
BodyLookup = Callable[[str], "Body | None"]


class Directory(Protocol):
    """The host's directory of people, when bodies and members live in the host rather than in
    Collegium's tables.

    ``body`` answers who is in ``body_id`` and with which role **as of** ``at`` — the time of the
    command being judged — or ``None`` when there is no such body then. The engine asks it whenever
    a rule reads the body; a meeting still freezes the membership it opened with (its seats are
    stored), so a later change in the host does not change a sitting that has begun. It is called
    inside the command's transaction, while the instance's row is locked: a slow lookup holds that
    lock longer, so answer from memory or a fast local read."""

    def body(self, body_id: str, at: dt.datetime) -> Body | None:  # pragma: no cover - a protocol
        """Body ``body_id`` with its members and their roles as of ``at``; ``None`` when there
        is no such body then."""
        ...


def check_roles(body: Body, packs: Sequence[RulePackSpec]) -> None:
    """Raise :class:`InvalidInput` unless each member of ``body`` holds a role one of ``packs``
    names (packs that declare no roles name none; with none declared anywhere, any role goes)."""
    known = [p for p in packs if p.roles]
    if not known:
        return
    for member in body.members:
        if not any(member.role in p.roles for p in known):
            listed = "; ".join(
                f"{p.id}: {', '.join(r for r in p.roles if not is_reserved_role(r))}" for p in known
            )
            who, of, role = brief(member.person), brief(body.id), brief(member.role)
            if len(known) > 1:
                raise InvalidInput(
                    Message(
                        "{person} of body {body} holds role {role}, which no rule pack knows "
                        "({listed})",
                        person=who,
                        body=of,
                        role=role,
                        listed=listed,
                    )
                )
            raise InvalidInput(
                Message(
                    "{person} of body {body} holds role {role}, which rule pack {pack} lacks "
                    "({listed})",
                    person=who,
                    body=of,
                    role=role,
                    pack=known[0].id,
                    listed=listed,
                )
            )


def build_attendance(body: Body, given: Mapping[str, Any]) -> dict[str, str]:
    """Attendance for every member (absent unless stated) plus non-voting attendees (列席)."""
    seats = {m.person for m in body.members}
    attendance = {m.person: "absent" for m in body.members}
    for person, status in given.items():
        if status not in ATTENDANCE:
            raise InvalidInput(
                Message(
                    "attendance of {person} is {status}; use one of: {allowed}",
                    person=brief(person),
                    status=brief(status),
                    allowed=", ".join(ATTENDANCE),
                )
            )
        member = person in seats
        if not member and status != "attendee":
            raise InvalidInput(
                Message(
                    "{person} is not a member of {body!r}; only 'attendee' (列席) is allowed",
                    person=brief(person),
                    body=body.id,
                )
            )
        if member and status == "attendee":
            raise InvalidInput(
                Message(
                    "{person} is a member of {body!r}; mark them present, absent or recused",
                    person=brief(person),
                    body=body.id,
                )
            )
        attendance[str(person)] = str(status)
    return attendance


def ballot_key(ballot: Mapping[str, Any], item: str | None) -> str:
    """Where a ballot's votes are stored: per item when a list is voted item by item (逐个表决)."""
    return f"{ballot['id']}#{item}" if item and ballot.get("items") else str(ballot["id"])

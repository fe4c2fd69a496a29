"""Meetings are *staged*: the meeting a step opens (``open_meeting``, ``convene``: frozen
membership, attendance) or the attendance it changes (``attend``) is laid over the facts before the
rules run, so the quorum is judged on the attendance being recorded; the step then writes its seats.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any, Protocol

from collegium._brief import brief
from collegium._catalog import Message
from collegium.engine import counting
from collegium.engine import governance as gov
from collegium.engine.audit import canonical, digest
from collegium.engine.clock import format_time
from collegium.engine.registry import Plan
from collegium.engine.seating import counted_seats
from collegium.errors import InvalidInput, NotFound
from collegium.store.bodies import Body
from collegium.store.records import AttendanceRow, InstanceRecord, Seat, SeatRow
from collegium.workflows.spec import (
    SECRET_COUNTING,
    AttendEffect,
    ConveneEffect,
    OpenMeetingEffect,
    TakeUpEffect,
)


def seats_digest(seats: Mapping[str, Seat]) -> str:
    """SHA-256 of a meeting's frozen seats (person, role, vote, attendance), kept in the hashed
    facts so the audit notices an edited seat; stated views are checked against their events."""
    return digest(
        canonical([[p, s.role, s.voting, s.attendance] for p, s in sorted(seats.items())])
    )


class SittingReader(Protocol):
    """What staging reads from the unit of work: the sitting a matter is taken up at, and its
    seats."""

    def load(self, instance_id: str) -> InstanceRecord: ...

    def seats(self, meeting_id: str) -> dict[str, Seat]: ...


def _reasons(given: Mapping[str, str], attendance: Mapping[str, str]) -> dict[str, str]:
    """Reasons for absence (缺席理由), only for members recorded absent."""
    for person in given:
        if attendance.get(person) != "absent":
            raise InvalidInput(
                Message(
                    "a reason is given for {person}, who is not recorded absent",
                    person=brief(person),
                )
            )
    return dict(sorted(given.items()))


def _freeze(
    body: Body,
    data: Mapping[str, Any],
    meeting_id: str,
    state: str,
    now: dt.datetime,
) -> tuple[dict[str, Any], dict[str, Seat]]:
    """A meeting of ``body`` opening now: its record and seats (the membership frozen, with
    attendance)."""
    attendance = gov.build_attendance(body, data["attendance"])
    members = {m.person: m for m in body.members}
    seats: dict[str, Seat] = {
        person: Seat(
            role=members[person].role, voting=members[person].voting, attendance=status, view=None
        )
        for person, status in attendance.items()
        if person in members
    }
    record: dict[str, Any] = {
        "id": meeting_id,
        "body": body.id,
        "kind": body.kind,
        "opened_at": format_time(now),
        "state": state,
        "attendees": sorted(p for p, status in attendance.items() if status == "attendee"),
        "seats_sha": seats_digest(seats),
        # its voting seats counted, so that each vote's quorum is judged without counting them
        "seated": counted_seats(seats),
    }
    if data.get("reasons"):
        record["reasons"] = _reasons(data["reasons"], attendance)
    return record, seats


def _take_up(
    reader: SittingReader,
    sitting_id: str,
    matter_id: str,
    body_id: str | None,
    recused: list[str],
    meeting_id: str,
    state: str,
    now: dt.datetime,
) -> tuple[dict[str, Any], dict[str, Seat]]:
    """A matter taken up at a sitting in session: the sitting's seats, with this matter's
    recusals."""
    try:
        rec = reader.load(sitting_id)
    except NotFound:
        raise InvalidInput(Message("no meeting {id}", id=brief(sitting_id))) from None
    sitting = rec.facts.get("meeting") or {}
    if not sitting.get("sitting") and "agenda" not in rec.facts:
        raise InvalidInput(
            Message("{id} is not a meeting convened with an agenda", id=brief(sitting_id))
        )
    if not sitting.get("sitting") or sitting.get("state") != rec.state:
        raise InvalidInput(
            Message(
                "meeting {id} is not in session (it is {state})",
                id=brief(sitting_id),
                state=rec.state,
            )
        )
    if sitting["body"] != body_id:
        raise InvalidInput(
            Message(
                "meeting {id} is a meeting of {body!r}; this matter is for {ours}",
                id=brief(sitting_id),
                body=sitting["body"],
                ours=brief(body_id),
            )
        )
    seats: dict[str, Seat] = {
        p: seat._replace(view=None) for p, seat in reader.seats(str(sitting["id"])).items()
    }
    for person in recused:
        if person not in seats:
            raise InvalidInput(
                Message(
                    "{person} has no seat at meeting {id}: only its members recuse",
                    person=brief(person),
                    id=brief(sitting_id),
                )
            )
        seats[person] = seats[person]._replace(attendance="recused")
    record: dict[str, Any] = {
        "id": meeting_id,
        "sitting_id": sitting_id,
        "body": sitting["body"],
        "kind": sitting["kind"],
        "opened_at": format_time(now),
        "state": state,
        "attendees": list(sitting.get("attendees") or ()),
        "seats_sha": seats_digest(seats),
        "on_agenda": matter_id in (rec.facts.get("agenda") or ()),
    }
    if sitting.get("reasons"):
        record["reasons"] = {
            p: r
            for p, r in sitting["reasons"].items()
            if p in seats and seats[p].attendance == "absent"
        }
    return record, seats


def _attend(
    reader: SittingReader, meeting: dict[str, Any], data: Mapping[str, Any]
) -> dict[str, Seat]:
    """One arrival, departure or non-voting attendee at the sitting in session, laid over its
    record."""
    person, status = str(data["member"]), str(data["status"])
    seats = reader.seats(str(meeting["id"]))
    attendees = set(meeting.get("attendees") or ())
    reasons = dict(meeting.get("reasons") or {})
    if person in seats:
        if status == "attendee":
            raise InvalidInput(
                Message("{person} is a member; mark them present or absent", person=brief(person))
            )
        seats[person] = seats[person]._replace(attendance=status)
    elif status != "attendee":
        raise InvalidInput(
            Message(
                "{person} has no seat at this meeting; only 'attendee' (列席) is allowed",
                person=brief(person),
            )
        )
    else:
        attendees.add(person)
    reasons.pop(person, None)
    if data.get("reason"):
        if status != "absent":
            raise InvalidInput(Message("a reason is given only for a member who leaves (absent)"))
        reasons[person] = str(data["reason"])
    meeting.update(attendees=sorted(attendees), seats_sha=seats_digest(seats))
    if "seated" in meeting:
        meeting["seated"] = counted_seats(seats)
    if reasons:
        meeting["reasons"] = dict(sorted(reasons.items()))
    else:
        meeting.pop("reasons", None)
    return seats


def stage(
    plan: Plan,
    facts: dict[str, Any],
    data: Mapping[str, Any],
    body_id: str | None,
    directory: gov.BodyLookup,
    now: dt.datetime,
    meeting_id: str,
    reader: SittingReader,
    instance_id: str,
    options: tuple[str, ...] = (),
    countable: bool = False,
) -> dict[str, Seat] | None:
    """Lay a meeting being opened (or a sitting's changed attendance) over the prospective facts, in
    place, and return its seats (frozen membership with attendance), which the rules of this command
    judge and the step stores; None when nothing is staged. ``countable``: the procedure has a step
    that counts a secret ballot."""
    seats: dict[str, Seat] | None = None
    state = plan.branches[-1].dest
    for effect in plan.effects:
        if isinstance(effect, AttendEffect):
            meeting = dict(facts.get("meeting") or {})
            seats = _attend(reader, meeting, data)
            facts["meeting"] = meeting
        elif isinstance(effect, TakeUpEffect):
            if "sitting" not in data:
                if effect.required:
                    raise InvalidInput(Message("{trigger!r} needs 'sitting'", trigger=plan.trigger))
                continue
            sitting_id = str(data["sitting"])
            taken = list(facts.get("sittings") or ())
            if sitting_id in taken:
                raise InvalidInput(
                    Message(
                        "{id} was already taken up at meeting {sitting}",
                        id=brief(instance_id),
                        sitting=brief(sitting_id),
                    )
                )
            record, seats = _take_up(
                reader, sitting_id, instance_id, body_id, [], meeting_id, state, now
            )
            facts["meeting"] = record
            facts["sittings"] = [*taken, sitting_id]
        elif isinstance(effect, OpenMeetingEffect | ConveneEffect):
            if "sitting" in data:
                if "attendance" in data or "reasons" in data or isinstance(effect, ConveneEffect):
                    raise InvalidInput(
                        Message(
                            "a matter taken up at a sitting has that sitting's attendance; "
                            "give either 'sitting' or 'attendance'"
                        )
                    )
                record, seats = _take_up(
                    reader,
                    str(data["sitting"]),
                    instance_id,
                    body_id,
                    list(data.get("recused") or ()),
                    meeting_id,
                    state,
                    now,
                )
            else:
                if "recused" in data:
                    raise InvalidInput(
                        Message(
                            "'recused' goes with 'sitting'; at a meeting of its own, "
                            "mark recusals in 'attendance'"
                        )
                    )
                if "attendance" not in data:
                    raise InvalidInput(
                        Message("{trigger!r} needs 'attendance' or 'sitting'", trigger=plan.trigger)
                    )
                body = directory(body_id) if body_id else None
                if body is None:
                    raise InvalidInput(
                        Message("no body {id} to hold the meeting", id=brief(body_id))
                    )
                record, seats = _freeze(body, data, meeting_id, state, now)
            # the frozen membership governs the state the meeting is held in, and nothing after it
            facts["meeting"] = record
            if isinstance(effect, ConveneEffect):
                record["sitting"] = True
                continue
            method = data.get("method") or effect.default_method
            if effect.options is not None:
                options = effect.options.values.get(str(facts.get(effect.options.fact)), options)
            ballot: dict[str, Any] = {
                "id": meeting_id,
                "method": method,
                "secret": method in SECRET_COUNTING,
                "options": list(options),
            }
            if method in SECRET_COUNTING:
                ballot["counting"] = SECRET_COUNTING[method]
                counting.open_secret(ballot, method, data, seats, record["attendees"], countable)
            elif "tellers" in data or "ballot_key" in data:
                raise InvalidInput(
                    Message(
                        "tellers count secret ballots only: 'tellers' and 'ballot_key' go with "
                        "method {methods}",
                        methods=" or ".join(SECRET_COUNTING),
                    )
                )
            facts["ballot"] = ballot
            items = facts.get(effect.items) if effect.items else None
            if items:
                ballot["items"] = list(items)
    return seats


def seat_rows(
    plan: Plan, facts: Mapping[str, Any], staged: Mapping[str, Seat] | None
) -> tuple[SeatRow, ...]:
    """The seats a step writes for a meeting it opens (none for a step that changes an
    attendance)."""
    if plan.attends or not staged:
        return ()
    meeting_id = str((facts.get("meeting") or {}).get("id", ""))
    return tuple(
        SeatRow(
            meeting=meeting_id,
            person=person,
            role=seat.role,
            voting=seat.voting,
            attendance=seat.attendance,
        )
        for person, seat in staged.items()
    )


def attendance_rows(
    plan: Plan, data: Mapping[str, Any], facts: Mapping[str, Any], staged: Mapping[str, Seat] | None
) -> tuple[AttendanceRow, ...]:
    """The one attendance an ``attend`` step changes at a sitting in session, if the member has a
    seat."""
    if not plan.attends or not staged:
        return ()
    member = str(data["member"])
    if member not in staged:
        return ()
    meeting_id = str((facts.get("meeting") or {}).get("id", ""))
    return (AttendanceRow(meeting=meeting_id, person=member, attendance=staged[member].attendance),)

"""Meeting minutes (会议记录): the record of a sitting drafted from what the engine holds.

:func:`minutes` reads a sitting convened with an agenda (a ``meeting`` instance) or a matter opened
at a meeting of its own, and returns a ``records.Minutes``: the body, when
the meeting was convened for, opened and closed, its chair, the attendance when it opened and each
change while it sat, and for each matter taken up the views in the order stated, the ballot (method,
totals, n, quorum and pass figures, result, who dissented on a named ballot), the decision, its lead
member and the tasks it was assigned as. ``render`` renders it as Markdown or
HTML.

Everything is read from the instances' histories and facts, so the minutes of a matter's earlier
meeting (before a reconsideration) are drafted as they were. A secret ballot gives its totals
only: nothing here reads a voter's choice of one. What each step did is read from the procedure
(the kinds of its effects), not from trigger names, so a pack's own procedures are minuted alike.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

from collegium._catalog import Message
from collegium._words import word_or
from collegium.errors import NotFound
from collegium.meetingrecord.records import (
    Absence,
    Attendance,
    AttendanceChange,
    Matter,
    Minutes,
    Person,
    Task,
    View,
    moment,
)
from collegium.meetingrecord.tally import tally_of

if TYPE_CHECKING:
    from collegium.engine.ballots import Seat
    from collegium.engine.engine import Engine, Instance
    from collegium.engine.registry import CompiledProcedure
    from collegium.store.bodies import Body
    from collegium.store.records import EventRecord

__all__ = ["minutes"]


def minutes(engine: Engine, meeting: str, lang: str = "en") -> Minutes:
    """The minutes of ``meeting``: a sitting's id (a meeting convened with an agenda: every matter
    on its agenda), or a matter's id (its last meeting: of its own, or the sitting it was taken up
    at, with that sitting's attendance). Labels in ``lang`` (``en`` or ``zh-CN``).

    :class:`~collegium.errors.NotFound` if there is no such instance, or it has no meeting yet."""
    inst = engine.get(meeting)
    record = inst.facts.get("meeting") or {}
    if "id" not in record:
        raise NotFound(Message("instance {id!r} has no meeting", id=meeting))
    reader = _Reader(engine, inst, lang)
    if record.get("sitting"):
        return _sitting(reader, inst)
    return _matter_alone(reader, inst, record)


class _Reader:
    """What drafting reads more than once: the body's members, the pack's role labels, each
    instance's compiled procedure."""

    def __init__(self, engine: Engine, inst: Instance, lang: str) -> None:
        self.engine = engine
        self.lang = lang
        self._procs: dict[tuple[str, int, str], CompiledProcedure] = {}
        self.proc = self.compiled(inst)
        body_id = str((inst.facts.get("meeting") or {}).get("body") or inst.facts.get("body"))
        self.body_id = body_id
        try:
            self.body: Body | None = engine.body(body_id)
        except NotFound:
            self.body = None

    def compiled(self, inst: Instance) -> CompiledProcedure:
        key = (inst.procedure, inst.procedure_version, inst.pack_version)
        if key not in self._procs:
            self._procs[key] = self.engine.registry.compiled(*key)
        return self._procs[key]

    def person(self, person: str, role: str | None = None, voting: bool = True) -> Person:
        """``person`` with the name the body gives them and the label of ``role`` (their role in
        the body when not given)."""
        member = self.body.member(person) if self.body is not None else None
        role = role or (member.role if member is not None else None)
        spec = self.proc.pack.roles.get(role) if role else None
        return Person(
            id=person,
            name=member.name if member is not None else None,
            role=spec.get(self.lang) if spec is not None else role,
            voting=voting,
        )

    def state(self, inst: Instance, state: str) -> str:
        """The label of ``state`` of ``inst``'s procedure."""
        found = self.compiled(inst).spec.states.get(state)
        return found.label.get(self.lang) if found is not None else state

    def kinds(self, inst: Instance, event: EventRecord) -> frozenset[str]:
        """The kinds of the effects of the step ``event`` took (none for a start)."""
        if event.source is None:
            return frozenset()
        plan = self.compiled(inst).plan(event.source, event.trigger)
        return plan.kinds if plan is not None else frozenset()


def _at(stamp: str) -> dt.datetime:
    """An event's time (ISO 8601 text in UTC, as the engine writes it)."""
    return dt.datetime.fromisoformat(stamp)


def _opening(record: Mapping[str, Any]) -> int:
    """The event number that opened the meeting ``record`` (its id is ``instance/seq``)."""
    return int(str(record["id"]).rsplit("/", 1)[1])


def _meeting_opened(kinds: frozenset[str]) -> bool:
    return not kinds.isdisjoint(("open_meeting", "convene", "take_up"))


def _segment(
    reader: _Reader, inst: Instance, events: Sequence[EventRecord], seq: int
) -> list[EventRecord]:
    """The events of the meeting opened by event ``seq``: it and those after it, up to the next
    meeting opened."""
    out = []
    for event in events:
        if event.seq < seq:
            continue
        if event.seq > seq and _meeting_opened(reader.kinds(inst, event)):
            break
        out.append(event)
    return out


def _chair(reader: _Reader, seats: Mapping[str, Seat], present: Iterable[str], opener: str) -> str:
    """The present member in the role the pack says chairs a body (its reporting calendar's
    ``chair``), else who opened the meeting."""
    reporting = reader.proc.pack.reporting
    if reporting is not None:
        for person in present:
            seat = seats.get(person)
            if seat is not None and seat.role == reporting.chair:
                return person
    return opener


def _attendance(
    reader: _Reader,
    seats: Mapping[str, Seat],
    given: Mapping[str, str],
    reasons: Mapping[str, str],
    attendees: Iterable[str] = (),
) -> Attendance:
    """The attendance as recorded when the meeting opened: ``given`` (person -> status) over the
    frozen ``seats`` (a member not named is absent)."""
    status = {p: given.get(p, "absent") for p in seats}
    status.update((p, s) for p, s in given.items() if p not in status)
    status.update((p, "attendee") for p in attendees if p not in status)

    def who(person: str) -> Person:
        seat = seats.get(person)
        if seat is None:
            return reader.person(person, voting=False)
        return reader.person(person, seat.role, seat.voting)

    def having(kind: str) -> tuple[Person, ...]:
        return tuple(who(p) for p, s in status.items() if s == kind)

    return Attendance(
        present=having("present"),
        absent=tuple(
            Absence(person=who(p), reason=reasons.get(p))
            for p, s in status.items()
            if s == "absent"
        ),
        recused=having("recused"),
        attendees=tuple(Person(id=p, voting=False) for p, s in status.items() if s == "attendee"),
    )


def _sitting_head(
    reader: _Reader, inst: Instance
) -> tuple[EventRecord, EventRecord | None, Attendance, tuple[AttendanceChange, ...], Person]:
    """A sitting's opening and closing events, its attendance when it opened, the changes while it
    sat, and its chair."""
    engine = reader.engine
    record = inst.facts["meeting"]
    segment = _segment(reader, inst, engine.history(inst.id), _opening(record))
    opened = segment[0]
    seats = engine.meeting(inst.id).seats
    attendance = _attendance(
        reader,
        seats,
        opened.data.get("attendance") or {},
        opened.data.get("reasons") or {},
        record.get("attendees") or (),
    )
    changes = tuple(
        AttendanceChange(
            at=_at(e.at),
            person=reader.person(str(e.data.get("member"))),
            status=str(e.data.get("status")),
            reason=e.data.get("reason"),
        )
        for e in segment[1:]
        if "attend" in reader.kinds(inst, e)
    )
    closed = next((e for e in segment[1:] if e.source != e.dest), None)
    chair = reader.person(_chair(reader, seats, _ids(attendance.present), opened.actor))
    return opened, closed, attendance, changes, chair


def _sitting(reader: _Reader, inst: Instance) -> Minutes:
    engine, facts = reader.engine, inst.facts
    opened, closed, attendance, changes, chair = _sitting_head(reader, inst)
    matters = tuple(
        _on_agenda(reader, engine.get(mid), inst.id)
        if engine.store.state_of(mid) is not None
        else Matter(id=mid, title=None, procedure="", state="?")
        for mid in facts.get("agenda") or ()
    )
    return Minutes(
        lang=reader.lang,
        id=inst.id,
        sitting=True,
        title=facts.get("title"),
        body=reader.body_id,
        body_title=_body_title(reader),
        scheduled_at=moment(facts.get("meeting_at")),
        opened_at=_at(opened.at),
        closed_at=moment(closed.at) if closed is not None else None,
        chair=chair,
        attendance=attendance,
        changes=changes,
        matters=matters,
    )


def _ids(people: Iterable[Person]) -> list[str]:
    return [p.id for p in people]


def _body_title(reader: _Reader) -> str | None:
    title = reader.body.title if reader.body is not None else None
    return title.get(reader.lang) if title is not None else None


def _on_agenda(reader: _Reader, matter: Instance, sitting: str) -> Matter:
    """A matter on the sitting's agenda: its meeting there (the last, if taken up more than once),
    or only its state when it was not taken up."""
    events = reader.engine.history(matter.id)
    opened = [
        e
        for e in events
        if e.data.get("sitting") == sitting and _meeting_opened(reader.kinds(matter, e))
    ]
    if not opened:
        return _matter_head(reader, matter)
    return _matter(reader, matter, events, opened[-1].seq)


def _matter_head(reader: _Reader, matter: Instance) -> Matter:
    spec = reader.compiled(matter).spec
    return Matter(
        id=matter.id,
        title=matter.facts.get("title"),
        procedure=spec.title.get(reader.lang),
        state=reader.state(matter, matter.state),
    )


def _matter(reader: _Reader, matter: Instance, events: Sequence[EventRecord], seq: int) -> Matter:
    """The matter at the meeting its event ``seq`` opened."""
    segment = _segment(reader, matter, events, seq)
    opened = segment[0]
    given = opened.data
    recused = list(given.get("recused") or ())
    recused += [p for p, s in (given.get("attendance") or {}).items() if s == "recused"]
    views = tuple(
        View(
            person=reader.person(e.actor),
            view=view,
            label=word_or(f"minutes.view.{view}", reader.lang, view),
            at=_at(e.at),
        )
        for e in segment
        if "state_view" in reader.kinds(matter, e)
        for view in [str(e.data.get("view"))]
    )
    left = next((e for e in segment[1:] if e.source == opened.dest != e.dest), None)
    tasks = _tasks(reader, segment)
    lead = matter.facts.get("lead_member")
    return Matter(
        id=matter.id,
        title=matter.facts.get("title"),
        procedure=reader.compiled(matter).spec.title.get(reader.lang),
        state=reader.state(matter, matter.state),
        opened_at=moment(opened.at),
        recused=tuple(reader.person(p) for p in recused),
        views=views,
        tally=tally_of(reader, matter, segment, f"{matter.id}/{seq}", left is not None),
        decision=reader.state(matter, left.dest) if left is not None else None,
        lead=reader.person(str(lead)) if lead else None,
        tasks=tasks,
    )


def _tasks(reader: _Reader, segment: Iterable[EventRecord]) -> tuple[Task, ...]:
    """The children the meeting's matter started after it that are tasks of the pack's task
    procedure (its ``supervision.tasks``)."""
    supervision = reader.proc.pack.supervision
    queue = supervision.tasks if supervision is not None else None
    if queue is None:
        return ()
    out = []
    for event in segment:
        for child_id in event.effects.get("started") or ():
            child = reader.engine.get(str(child_id))
            if child.procedure != queue.procedure:
                continue
            lead = child.facts.get("lead_member")
            out.append(
                Task(
                    id=child.id,
                    title=child.facts.get("title"),
                    lead=reader.person(str(lead)) if lead else None,
                    deadline=moment(child.facts.get("deadline")),
                    state=reader.state(child, child.state),
                )
            )
    return tuple(out)


def _matter_alone(reader: _Reader, inst: Instance, record: Mapping[str, Any]) -> Minutes:
    """The minutes of one matter's last meeting: of its own, or at a sitting (whose attendance
    when it opened, and changes since, it shows)."""
    engine = reader.engine
    seq = _opening(record)
    events = engine.history(inst.id)
    opened = next(e for e in events if e.seq == seq)
    matter = _matter(reader, inst, events, seq)
    sitting_id = record.get("sitting_id")
    if sitting_id:
        _, _, attendance, changes, chair = _sitting_head(reader, engine.get(str(sitting_id)))
    else:
        meeting = engine.meeting(inst.id)
        seats = meeting.seats
        attendance = _attendance(
            reader,
            seats,
            {p: s.attendance for p, s in seats.items()},
            meeting.reasons,
            meeting.attendees,
        )
        changes = ()
        chair = reader.person(_chair(reader, seats, _ids(attendance.present), opened.actor))
    closed = matter.tally.closed_at if matter.tally is not None else None
    return Minutes(
        lang=reader.lang,
        id=inst.id,
        sitting=False,
        title=inst.facts.get("title"),
        body=reader.body_id,
        body_title=_body_title(reader),
        scheduled_at=moment(inst.facts.get("meeting_at")),
        opened_at=_at(opened.at),
        closed_at=closed,
        chair=chair,
        attendance=attendance,
        changes=changes,
        matters=(matter,),
        taken_up_at=str(sitting_id) if sitting_id else None,
    )

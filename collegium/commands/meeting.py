"""Meetings on the command line: ``meeting convene|open|attend|close|show``.

Two shapes of meeting, as the engine has them: a matter opened at a meeting of its own (``meeting
open MATTER --present …``), or a sitting convened with an agenda (``meeting convene``) at which each
matter on the agenda is taken up (``meeting open MATTER --sitting SITTING``). Every command fires a
trigger of the instance's procedure, found by what its step does (opens a meeting, changes
attendance, tallies), so a pack's own procedure with other trigger names works the same; each is
judged by the same rules as ``collegium fire``.

Heavy modules are imported inside the functions.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

import click

from collegium import Message
from collegium.commands.ballots import actor_option, close_ballot, key_option, trigger_with
from collegium.commands.common import emit_json, open_engine, settings, show_outcome
from collegium.errors import InvalidInput

if TYPE_CHECKING:
    from collegium import Engine

__all__ = ["meeting"]

_ATTENDANCE = ("present", "absent", "recused", "attendee")


def _people(given: tuple[str, ...]) -> list[str]:
    """Person ids from repeatable, comma-separated options."""
    return [p for value in given for p in (x.strip() for x in value.split(",")) if p]


def _attendance(lists: Mapping[str, tuple[str, ...]]) -> dict[str, str]:
    """``{person: status}`` from the repeatable (and comma-separated) ``--present``/``--absent``/…
    options."""
    attendance: dict[str, str] = {}
    for status in _ATTENDANCE:
        for person in _people(lists[status]):
            if attendance.get(person, status) != status:
                raise InvalidInput(
                    Message(
                        "{person!r} is given as both {first} and {then}",
                        person=person,
                        first=attendance[person],
                        then=status,
                    )
                )
            attendance[person] = status
    return attendance


def _reasons(given: tuple[str, ...]) -> dict[str, str]:
    """``{person: reason}`` from ``--reason PERSON=TEXT`` options."""
    out: dict[str, str] = {}
    for value in given:
        person, sep, reason = value.partition("=")
        if not sep or not person.strip() or not reason.strip():
            raise InvalidInput(Message("--reason takes PERSON=TEXT, not {value!r}", value=value))
        out[person.strip()] = reason.strip()
    return out


def _is_sitting(engine: Engine, instance: str) -> bool:
    return bool((engine.get(instance).facts.get("meeting") or {}).get("sitting"))


@click.group()
def meeting() -> None:
    """Convene a meeting with its agenda, open it (or a matter's own meeting), record attendance,
    close it."""


@meeting.command("convene")
@actor_option
@click.option("--body", required=True, metavar="BODY", help="The deciding body that meets.")
@click.option(
    "--at",
    "meeting_at",
    required=True,
    metavar="TIME",
    help="When it meets (ISO 8601 with a zone).",
)
@click.option(
    "--agenda",
    multiple=True,
    required=True,
    metavar="MATTER",
    help="A matter on the agenda (repeat, or comma-separate), in the order they are taken up.",
)
@click.option("--title", default=None, help="The meeting's title.")
@click.option(
    "--procedure", default="meeting", show_default=True, help="The meeting procedure to start."
)
@click.option("--id", "instance_id", default=None, help="The meeting's id (default: a new one).")
def meeting_convene(
    actor: str,
    body: str,
    meeting_at: str,
    agenda: tuple[str, ...],
    title: str | None,
    procedure: str,
    instance_id: str | None,
) -> None:
    """Convene a meeting of BODY with its agenda (trigger convene); it opens with `meeting open`."""
    data: dict[str, Any] = {"body": body, "meeting_at": meeting_at, "agenda": _people(agenda)}
    if title:
        data["title"] = title
    with open_engine(writes=True) as engine:
        show_outcome(engine.registry, engine.start(procedure, actor, data, instance_id=instance_id))


@meeting.command("open")
@click.argument("instance")
@actor_option
@click.option(
    "--sitting",
    default=None,
    metavar="MEETING",
    help="Take the matter up at this meeting in session (its attendance applies; "
    "give only --recused).",
)
@click.option(
    "--present",
    multiple=True,
    metavar="PERSON",
    help="A member present (repeat, or comma-separate).",
)
@click.option(
    "--absent",
    multiple=True,
    metavar="PERSON",
    help="A member absent (members not named are absent).",
)
@click.option(
    "--recused", multiple=True, metavar="PERSON", help="A member who recuses themself (回避)."
)
@click.option(
    "--attendee",
    multiple=True,
    metavar="PERSON",
    help="A non-member attending without a vote (列席).",
)
@click.option(
    "--reason", multiple=True, metavar="PERSON=TEXT", help="Why an absent member is absent."
)
@click.option(
    "--method",
    default=None,
    metavar="METHOD",
    help="How the ballot is taken: oral, show_of_hands, named, secret (paper ballots counted by "
    "tellers), secret_electronic or roll_call, as the procedure allows (default: the procedure's, "
    "usually named).",
)
@click.option(
    "--teller",
    multiple=True,
    metavar="PERSON",
    help="A teller (监票人、计票人) of a secret ballot, present at the meeting "
    "(repeat, or comma-separate).",
)
@click.option(
    "--ballot-key",
    default=None,
    metavar="KEY",
    help="The tellers' public key of an electronic secret ballot (made by `vote key`).",
)
@key_option
def meeting_open(
    instance: str,
    actor: str,
    sitting: str | None,
    present: tuple[str, ...],
    absent: tuple[str, ...],
    recused: tuple[str, ...],
    attendee: tuple[str, ...],
    reason: tuple[str, ...],
    method: str | None,
    teller: tuple[str, ...],
    ballot_key: str | None,
    idempotency_key: str | None,
) -> None:
    """Open INSTANCE's meeting: a convened meeting with its attendance, or a matter — at a meeting
    of its own with its attendance and ballot method, or taken up at a meeting in session with
    --sitting."""
    data: dict[str, Any] = {}
    if sitting is not None:
        if present or absent or attendee or reason:
            raise InvalidInput(
                Message(
                    "a matter taken up with --sitting has that meeting's attendance; "
                    "record changes with `meeting attend`"
                )
            )
        data["sitting"] = sitting
        if recused:
            data["recused"] = _people(recused)
    else:
        data["attendance"] = _attendance(
            {"present": present, "absent": absent, "recused": recused, "attendee": attendee}
        )
        if reason:
            data["reasons"] = _reasons(reason)
    if method is not None:
        data["method"] = method
    if teller:
        data["tellers"] = _people(teller)
    if ballot_key is not None:
        data["ballot_key"] = ballot_key
    with open_engine(writes=True) as engine:
        trigger = trigger_with(engine, instance, ("open_meeting", "convene"))
        show_outcome(
            engine.registry,
            engine.fire(instance, trigger, actor, data, idempotency_key=idempotency_key),
        )


@meeting.command("attend")
@click.argument("instance")
@actor_option
@click.option("--present", "arrives", default=None, metavar="PERSON", help="A member who arrives.")
@click.option("--absent", "leaves", default=None, metavar="PERSON", help="A member who leaves.")
@click.option(
    "--attendee", "joins", default=None, metavar="PERSON", help="A non-member who joins (列席)."
)
@click.option("--reason", default=None, help="Why the member leaves.")
@key_option
def meeting_attend(
    instance: str,
    actor: str,
    arrives: str | None,
    leaves: str | None,
    joins: str | None,
    reason: str | None,
    idempotency_key: str | None,
) -> None:
    """Record one change of attendance at the meeting INSTANCE in session (trigger attend); matters
    taken up after it see the change."""
    given = [
        (p, status)
        for p, status in ((arrives, "present"), (leaves, "absent"), (joins, "attendee"))
        if p
    ]
    if len(given) != 1:
        raise InvalidInput(Message("give exactly one of --present, --absent or --attendee"))
    data: dict[str, Any] = {"member": given[0][0], "status": given[0][1]}
    if reason:
        data["reason"] = reason
    with open_engine(writes=True) as engine:
        trigger = trigger_with(engine, instance, ("attend",))
        show_outcome(
            engine.registry,
            engine.fire(instance, trigger, actor, data, idempotency_key=idempotency_key),
        )


@meeting.command("close")
@click.argument("instance")
@actor_option
@key_option
def meeting_close(instance: str, actor: str, idempotency_key: str | None) -> None:
    """Close INSTANCE: a matter's ballot is closed and tallied (close_ballot); a convened meeting
    adjourns."""
    with open_engine(writes=True) as engine:
        sitting = _is_sitting(engine, instance)
        if sitting:
            inst = engine.get(instance)
            proc = engine.registry.compiled(
                inst.procedure, inst.procedure_version, inst.pack_version
            )
            ends = [
                t
                for t in proc.triggers_from(inst.state)
                if (plan := proc.plan(inst.state, t)) is not None
                and not plan.effects
                and proc.spec.states[plan.branches[-1].dest].terminal
            ]
            if not ends:
                raise InvalidInput(
                    Message(
                        "meeting {instance} ({state}) has no step that adjourns it now",
                        instance=instance,
                        state=inst.state,
                    )
                )
            show_outcome(
                engine.registry,
                engine.fire(instance, ends[0], actor, idempotency_key=idempotency_key),
            )
    if not sitting:
        close_ballot(instance, actor, idempotency_key)


@meeting.command("show")
@click.argument("instance")
def meeting_show(instance: str) -> None:
    """Show INSTANCE's meeting: who sat, their attendance and stated views, non-voting attendees,
    the agenda."""
    from collegium._words import word, word_or
    from collegium.commands.render import console, panel, table, times

    w = settings().lang
    with open_engine(writes=False) as engine:
        m = engine.meeting(instance)
        agenda = [
            (mid, engine.get(mid).state if engine.store.state_of(mid) else "?")
            for mid in engine.get(instance).facts.get("agenda") or ()
        ]
    doc = {
        "instance": instance,
        "meeting": m.id,
        "body": m.body,
        "kind": m.kind,
        "opened_at": m.opened_at,
        "sitting": m.sitting,
        "attendees": list(m.attendees),
        "reasons": dict(m.reasons),
        "seats": {
            p: {"role": s.role, "voting": s.voting, "attendance": s.attendance, "view": s.view}
            for p, s in m.seats.items()
        },
        "agenda": [{"matter": mid, "state": state} for mid, state in agenda],
    }
    if settings().as_json:
        emit_json(doc)
        return
    con = console()
    lines = [word("meeting", w, id=m.id, body=m.body, at=times().line(m.opened_at))]
    if m.sitting:
        lines.append(word("taken_up_at", w, sitting=m.sitting))
    if m.attendees:
        lines.append(f"{word('attendees', w)}: {', '.join(m.attendees)}")
    con.print(panel("\n".join(lines), title=instance))
    con.print(
        table(
            None,
            [
                word("person", w),
                word("role", w),
                word("attendance", w),
                word("view", w),
                word("reason", w),
            ],
            (
                [
                    p,
                    s.role,
                    word_or(f"attendance.{s.attendance}", w, s.attendance),
                    s.view or "",
                    m.reasons.get(p, ""),
                ]
                for p, s in m.seats.items()
            ),
            whole=(0,),
        )
    )
    if agenda:
        con.print(
            table(
                word("agenda", w),
                ["#", "", ""],
                ([i, mid, state] for i, (mid, state) in enumerate(agenda, 1)),
                whole=(1, 2),
            )
        )

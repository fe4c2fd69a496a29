"""Step definitions for meetings with an agenda (会议及其议程), one set for both languages, as in
``conftest.py``.

A meeting (the ``meeting`` procedure) is convened with its agenda, opens once with the roll taken,
and takes up the matters on its agenda one by one (``open_meeting`` of ``major_decision`` with
``sitting``), each with its own recusals, views, quorum checks and ballot; arrivals and departures
during the meeting count from then on, for every matter still being voted on.

Matters are named by their titles; ``World.matters`` keeps title -> id (filled as the titles are
first named) and ``World.sitting`` the meeting. ``World.matter`` is the instance the last command
acted on, so that the shared "the step is refused by rule …" and "the refused step changed nothing"
steps read it: the meeting after a command to the meeting, the matter once it is taken up (and the
shared vote, close and status steps then apply to it); an arrival or a departure leaves the matter
under way as it was, since it counts for that matter too.

``conftest.py`` imports the step fixtures this module defines (see ``__all__`` at the end).
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from pytest_bdd import parsers, step, then

if TYPE_CHECKING:
    from features.conftest import World


def q(name: str) -> str:
    """A quoted step argument: "x" in English, “x” in Chinese (the same helper as in
    ``conftest.py``)."""
    return rf'[“"](?P<{name}>[^”"]+)[”"]'


QUOTED = r'[“"][^”"]+[”"]'


def listed(name: str) -> str:
    """One or more quoted names in a group: "A" and "B" / “甲”和“乙”."""
    return rf"(?P<{name}>{QUOTED}(?:(?:, | and |、|和){QUOTED})*)"


def names(text: str | None) -> list[str]:
    return re.findall(r'[“"]([^”"]+)[”"]', text or "")


#: how the meeting records a person, both languages -> the attendance the engine keeps
STATUSES = {
    "present": "present",
    "到会": "present",
    "absent": "absent",
    "缺席": "absent",
    "离会": "absent",
    "attending without a vote": "attendee",
    "列席": "attendee",
}
ALL = {"all", "全体"}


def matter_id(world: World, title: str) -> str:
    """The matter titled ``title``, remembered in ``world.matters``."""
    if title not in world.matters:
        found = [
            m.id for m in world.engine.instances("major_decision") if m.facts.get("title") == title
        ]
        assert len(found) == 1, f"{len(found)} matters are titled {title!r}"
        world.matters[title] = found[0]
    return world.matters[title]


def sitting(world: World) -> str:
    assert world.sitting is not None, "no meeting has been convened in this scenario"
    return world.sitting


def to_meeting(
    world: World, trigger: str, actor: str, data: dict[str, Any], *, attempt: bool = False
) -> None:
    """Fire ``trigger`` on the meeting, which becomes the instance the shared steps read."""
    world.matter = sitting(world)
    world.fire(trigger, actor, data, attempt=attempt)


def attend(world: World, data: dict[str, Any]) -> None:
    """Record an arrival or a departure (by the secretary, on the meeting). The matter under way, if
    any, stays the instance the shared steps read: its views and votes go on after the change."""
    under_way = world.matter if world.matter != world.sitting else None
    to_meeting(world, "attend", secretary(world), data)
    if under_way is not None:
        world.matter = under_way


def secretary(world: World) -> str:
    """Arrivals and departures are recorded by the secretary, who chairs the meeting."""
    body = world.engine.body(world.engine.get(sitting(world)).facts["body"])
    return next(m.person for m in body.members if m.role == "secretary")


def meeting_state(world: World, state: str) -> str:
    """A state of the meeting procedure, named by its id or its English or Chinese label."""
    return world.state_of("meeting", state)


# ---------------------------------------------------------------------------------------------
# Commands to the meeting
# ---------------------------------------------------------------------------------------------
@step(
    parsers.re(
        rf"{q('actor')} (?:(?P<attempt>tries to) convene|convenes) "
        rf"a meeting of {q('body')} on {q('at')}"
        rf"(?: with the agenda {listed('agenda')}| without an agenda)"
    )
)
@step(
    parsers.re(
        rf"{q('actor')}(?P<attempt>试图)?通知于{q('at')}召开{q('body')}会议"
        rf"(?:，会议议程为{listed('agenda')}|，未确定会议议程)"
    )
)
def convene(
    world: World, actor: str, attempt: str | None, body: str, at: str, agenda: str | None
) -> None:
    data: dict[str, Any] = {"title": f"{body} {at}", "body": body, "meeting_at": at}
    if agenda is not None:
        data["agenda"] = [matter_id(world, title) for title in names(agenda)]
    world.act(bool(attempt), lambda: world.engine.start("meeting", actor, data))
    if world.outcome is not None and world.error is None:
        world.sitting = world.matter = world.outcome.instance.id


@step(
    parsers.re(
        rf"{q('actor')} (?:(?P<attempt>tries to) open|opens) the meeting and takes the roll: "
        r"(?P<present>all|\d+) members present"
    )
)
@step(
    parsers.re(
        rf"{q('actor')}(?P<attempt>试图)?宣布开会并清点到会人数：(?P<present>全体|\d+ 名)成员到会"
    )
)
def open_sitting(world: World, actor: str, attempt: str | None, present: str) -> None:
    """The first ``present`` voting members of the body attend, the others are absent; invited
    guests attend without a vote. Every matter the meeting takes up reads this roll, as arrivals and
    departures change it."""
    body = world.engine.body(world.engine.get(sitting(world)).facts["body"])
    voters = [m.person for m in body.members if m.voting]
    count = len(voters) if present in ALL else int(re.sub(r"\D", "", present))
    attendance = {p: ("present" if i < count else "absent") for i, p in enumerate(voters)}
    attendance |= dict.fromkeys(world.invited, "attendee")
    to_meeting(world, "open", actor, {"attendance": attendance}, attempt=bool(attempt))


@step(parsers.re(rf"{q('person')} leaves the meeting(?: because {q('reason')})?"))
@step(parsers.re(rf"{q('person')}(?:因{q('reason')})?离会"))
def leave(world: World, person: str, reason: str | None) -> None:
    attend(world, {"member": person, "status": "absent"} | ({"reason": reason} if reason else {}))


@step(parsers.re(rf"{q('person')} arrives at the meeting"))
@step(parsers.re(rf"{q('person')}到会"))
def arrive(world: World, person: str) -> None:
    attend(world, {"member": person, "status": "present"})


@step(parsers.re(rf"{q('person')} joins the meeting as a non-voting attendee"))
@step(parsers.re(rf"{q('person')}列席会议，不参加表决"))
def join_as_attendee(world: World, person: str) -> None:
    attend(world, {"member": person, "status": "attendee"})


@step(parsers.re(rf"{q('actor')} adjourns the meeting"))
@step(parsers.re(rf"{q('actor')}宣布散会"))
def adjourn(world: World, actor: str) -> None:
    to_meeting(world, "adjourn", actor, {})


# ---------------------------------------------------------------------------------------------
# Taking a matter up at the meeting
# ---------------------------------------------------------------------------------------------
@step(
    parsers.re(
        rf"{q('actor')} (?:(?P<attempt>tries to) take|takes) up {q('title')}"
        rf"(?: with {listed('recused')} recused)?"
    )
)
@step(
    parsers.re(
        rf"{q('actor')}(?P<attempt>试图)?主持审议议题{q('title')}(?:，{listed('recused')}回避)?"
    )
)
def take_up(world: World, actor: str, attempt: str | None, title: str, recused: str | None) -> None:
    """The matter is taken up with its own recusals and becomes ``world.matter``; it reads the
    meeting's roll whenever a rule counts those present."""
    world.matter = matter_id(world, title)
    data: dict[str, Any] = {"sitting": sitting(world)}
    if recused:
        data["recused"] = names(recused)
    world.fire("open_meeting", actor, data, attempt=bool(attempt))


# ---------------------------------------------------------------------------------------------
# Outcomes
# ---------------------------------------------------------------------------------------------
@then(parsers.re(rf"the meeting is (?:still )?{q('state')}"))
@then(parsers.re(rf"会议状态(?:仍)?为{q('state')}"))
def sitting_state(world: World, state: str) -> None:
    found, wanted = world.engine.get(sitting(world)).state, meeting_state(world, state)
    assert found == wanted, f"the meeting is {found!r}, expected {wanted!r}"


@then(
    parsers.re(
        rf"the meeting records {listed('people')} as "
        r"(?P<status>present|absent|attending without a vote)"
        rf"(?: because {q('reason')})?"
    )
)
@then(
    parsers.re(
        rf"会议记录{listed('people')}(?P<status>到会|缺席|离会|列席)(?:，原因为{q('reason')})?"
    )
)
def sitting_records(world: World, people: str, status: str, reason: str | None) -> None:
    facts = world.engine.get(sitting(world)).facts["meeting"]
    seats = world.engine.meeting(sitting(world)).seats
    for person in names(people):
        if STATUSES[status] == "attendee":
            assert person in facts.get("attendees", []) and person not in seats, (
                f"{person}: {facts}"
            )
        else:
            assert seats[person].attendance == STATUSES[status], (
                f"{person} is {seats[person].attendance!r}"
            )
        if reason is not None:
            assert facts.get("reasons", {}).get(person) == reason, (
                f"reasons recorded: {facts.get('reasons')}"
            )


@then(
    parsers.re(r"the meeting's history holds (?P<count>\d+) events and the audit chain is intact")
)
@then(parsers.re(r"会议历史记录共 (?P<count>\d+) 条，审计链完整"))
def sitting_audit(world: World, count: str) -> None:
    events = world.engine.history(sitting(world))
    assert len(events) == int(count), [e.trigger for e in events]
    report = world.engine.verify_audit()
    assert report.problem is None, report


# The step fixtures pytest-bdd injected above: what ``conftest.py`` imports.
__all__ = [name for name in globals() if name.startswith("pytestbdd_")]

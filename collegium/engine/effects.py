"""Data checking and the generic effects a transition applies to an instance's facts.

Meetings are *staged*: the meeting a step opens (``open_meeting``, ``convene``: frozen membership, attendance)
or the attendance it changes (``attend``) is laid over the facts before the rules run, so the quorum is judged
on the attendance being recorded. Every other effect is
applied after the rules passed, so e.g. "one vote each" is judged on the votes cast before this one.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from typing import Any, Protocol

from collegium._brief import brief
from collegium.engine import counting
from collegium.engine import governance as gov
from collegium.engine.arguments import check_arguments as check_arguments
from collegium.engine.arguments import check_idempotency_key as check_idempotency_key
from collegium.engine.arguments import check_text
from collegium.engine.arguments import lookup_values as lookup_values
from collegium.engine.audit import canonical, digest
from collegium.engine.clock import aware, format_time, parse_time
from collegium.engine.registry import CompiledProcedure, Plan
from collegium.engine.targets import canonical_number
from collegium.errors import InvalidInput, NotFound
from collegium.store.bodies import Body
from collegium.store.protocol import Seat
from collegium.store.records import InstanceRecord, VoteRecord
from collegium.workflows.spec import (
    ATTEND_STATUSES,
    SECRET_COUNTING,
    TARGET_KINDS,
    AttendEffect,
    CastVoteEffect,
    ConsultEffect,
    ConveneEffect,
    CountEffect,
    Effect,
    FactType,
    LogEffect,
    OpenMeetingEffect,
    ReportProgressEffect,
    SetTargetEffect,
    SpawnEffect,
    StateViewEffect,
    TallyEffect,
)

#: inputs an effect cannot do without
REQUIRED_INPUTS: dict[str, tuple[str, ...]] = {
    "consult": ("member", "view"),
    "convene": ("attendance",),
    "attend": ("member", "status"),
    "set_target": ("metric", "unit", "baseline", "target", "target_kind"),
    "report_progress": ("metric", "value"),
    "cast_vote": (),  # a choice, but not on a paper secret ballot: collegium.engine.counting.check_step
    "state_view": ("view",),
}


#: Integers beyond this lose precision in JSON consumers (JavaScript) and are refused.
MAX_INTEGER = 2**53 - 1


def _coerce(name: str, kind: FactType, value: Any, values: tuple[str, ...] | None) -> Any:
    if kind == "string":
        if not isinstance(value, str) or not value:
            raise InvalidInput(f"{name} must be non-empty text, not {brief(value)}")
        check_text(name, value)
        if values is not None and value not in values:
            raise InvalidInput(f"{name} {brief(value)} is not one of: {', '.join(values)}")
        return value
    if kind == "integer":
        if isinstance(value, bool) or not isinstance(value, int):
            raise InvalidInput(f"{name} must be a whole number, not {brief(value)}")
        if abs(value) > MAX_INTEGER:
            raise InvalidInput(f"{name} {brief(value)} is out of range "
                               f"(at most {MAX_INTEGER} in size)")
        return value
    if kind == "number":
        return canonical_number(name, value)
    if kind == "boolean":
        if not isinstance(value, bool):
            raise InvalidInput(f"{name} must be true or false, not {brief(value)}")
        return value
    if kind == "datetime":
        if isinstance(value, dt.datetime):
            return format_time(aware(value, name))
        if isinstance(value, str):
            return format_time(parse_time(value, name))
        raise InvalidInput(f"{name} must be an ISO 8601 date-time with a time zone, "
                           f"not {brief(value)}")
    if kind == "list":
        if not isinstance(value, list | tuple) or not all(isinstance(v, str) and 0 < len(v) <= 64 for v in value):
            raise InvalidInput(f"{name} must be a list of texts of 1 to 64 characters")
        if len(set(value)) != len(value):
            raise InvalidInput(f"{name} names an entry twice")
        check_text(name, *value)
        return list(value)
    if not isinstance(value, Mapping) or not all(isinstance(k, str) and isinstance(v, str) for k, v in value.items()):
        raise InvalidInput(f"{name} must be a mapping of text to text")
    check_text(name, *value, *value.values())
    return dict(value)


def normalize(proc: CompiledProcedure, plan: Plan, data: Mapping[str, Any], *, complete: bool = True) -> dict[str, Any]:
    """Check a command's payload against what the trigger accepts; return it with canonical values."""
    accepted = plan.accepted
    choices = _input_values(plan.effects)
    out: dict[str, Any] = {}
    for key, value in data.items():
        if key not in accepted:
            allowed = ", ".join(sorted(accepted)) or "none"
            raise InvalidInput(f"{plan.trigger!r} does not take {brief(key)}; it takes: {allowed}")
        if value is None:
            continue
        spec = proc.spec.facts.get(key)
        if spec is None and key == "counts" and plan.counts:  # numbers per option, per item: a shape of its own
            out[key] = counting.coerce_counts(value)
            continue
        kind: FactType = spec.type if spec is not None else plan.inputs[key]
        out[key] = _coerce(key, kind, value, spec.values if spec is not None else choices.get(key))
    if complete:
        for effect in plan.effects:
            for key in REQUIRED_INPUTS.get(effect.kind, ()):
                if key not in out:
                    raise InvalidInput(f"{plan.trigger!r} needs {key!r}")
    return out


def _input_values(effects: tuple[Effect, ...]) -> dict[str, tuple[str, ...]]:
    """The values an effect's text inputs may take (a consultation's view, a vote's choice)."""
    out: dict[str, tuple[str, ...]] = {}
    for effect in effects:
        if isinstance(effect, ConsultEffect | StateViewEffect):
            out["view"] = effect.views
        elif isinstance(effect, OpenMeetingEffect):
            out["method"] = effect.methods
        elif isinstance(effect, AttendEffect):
            out["status"] = ATTEND_STATUSES
        elif isinstance(effect, SetTargetEffect):
            out["target_kind"] = TARGET_KINDS
    return out


Directory = gov.BodyLookup


def check_choice(plan: Plan, facts: Mapping[str, Any], data: Mapping[str, Any]) -> None:
    """A vote's choice must be one of the open ballot's options (a personnel ballot has its own); progress is
    reported on a target the instance has, and a target is not replaced once progress was reported on it."""
    targets = facts.get("targets") or {}
    for effect in plan.effects:
        if isinstance(effect, ReportProgressEffect) and data.get("metric") not in targets:
            raise InvalidInput(f"no target {brief(data.get('metric'))} to report on; targets: "
                               f"{', '.join(sorted(targets)) or 'none'}")
        if isinstance(effect, SetTargetEffect) and "measured" in (targets.get(data.get("metric")) or {}):
            raise InvalidInput(f"target {brief(data.get('metric'))} already has progress "
                               "reported; it is not replaced")
        if isinstance(effect, SetTargetEffect) and "target" in data and data.get("target") == data.get("baseline"):
            raise InvalidInput("a target value equal to its baseline measures no progress; give the value to reach")
    ballot = facts.get("ballot") or {}
    if plan.counts or plan.tallies:
        counting.check_step(ballot, plan.trigger, casts=False, counts=plan.counts, tallies=plan.tallies,
                            data=data)
    if not plan.casts:
        return
    if "id" not in ballot:
        raise InvalidInput("no ballot is open: a vote needs a meeting opened first")
    counting.check_step(ballot, plan.trigger, casts=True, counts=False, tallies=False, data=data)
    options = ballot.get("options") or ()
    if "choice" in data and options and data["choice"] not in options:
        raise InvalidInput(f"choice {brief(data['choice'])} is not one of this ballot's options: "
                           f"{', '.join(options)}")
    if "item" in data and not ballot.get("items"):
        raise InvalidInput("this ballot is not voted item by item: a vote names no item")


def seats_digest(seats: Mapping[str, Seat]) -> str:
    """SHA-256 of a meeting's frozen seats (person, role, vote, attendance), kept in the hashed facts so the audit
    notices an edited seat; stated views are checked against their events."""
    return digest(canonical([[p, s[0], s[1], s[2]] for p, s in sorted(seats.items())]))


class SittingReader(Protocol):
    """What staging reads from the unit of work: the sitting a matter is taken up at, and its seats."""

    def load(self, instance_id: str) -> InstanceRecord: ...

    def seats(self, meeting_id: str) -> dict[str, Seat]: ...


def _reasons(given: Mapping[str, str], attendance: Mapping[str, str]) -> dict[str, str]:
    """Reasons for absence (缺席理由), only for members recorded absent."""
    for person in given:
        if attendance.get(person) != "absent":
            raise InvalidInput(f"a reason is given for {brief(person)}, who is not recorded absent")
    return dict(sorted(given.items()))


def _freeze(body: Body, data: Mapping[str, Any], meeting_id: str, state: str, now: dt.datetime,
            ) -> tuple[dict[str, Any], dict[str, Seat]]:
    """A meeting of ``body`` opening now: its record and seats (the membership frozen, with attendance)."""
    attendance = gov.build_attendance(body, data["attendance"])
    roles = {m.person: (m.role, m.voting) for m in body.members}
    seats: dict[str, Seat] = {person: (roles[person][0], roles[person][1], status, None)
                              for person, status in attendance.items() if person in roles}
    record: dict[str, Any] = {
        "id": meeting_id, "body": body.id, "kind": body.kind, "opened_at": format_time(now), "state": state,
        "attendees": sorted(p for p, status in attendance.items() if status == "attendee"),
        "seats_sha": seats_digest(seats)}
    if data.get("reasons"):
        record["reasons"] = _reasons(data["reasons"], attendance)
    return record, seats


def _take_up(reader: SittingReader, sitting_id: str, matter_id: str, body_id: str | None,
             recused: list[str], meeting_id: str, state: str, now: dt.datetime,
             ) -> tuple[dict[str, Any], dict[str, Seat]]:
    """A matter taken up at a sitting in session: the sitting's seats, with this matter's recusals."""
    try:
        rec = reader.load(sitting_id)
    except NotFound:
        raise InvalidInput(f"no meeting {brief(sitting_id)}") from None
    sitting = rec.facts.get("meeting") or {}
    if not sitting.get("sitting") and "agenda" not in rec.facts:
        raise InvalidInput(f"{brief(sitting_id)} is not a meeting convened with an agenda")
    if not sitting.get("sitting") or sitting.get("state") != rec.state:
        raise InvalidInput(f"meeting {brief(sitting_id)} is not in session (it is {rec.state})")
    if sitting["body"] != body_id:
        raise InvalidInput(f"meeting {brief(sitting_id)} is a meeting of {sitting['body']!r}; "
                           f"this matter is for {brief(body_id)}")
    seats: dict[str, Seat] = {p: (role, voting, attendance, None) for p, (role, voting, attendance, _view)
                              in reader.seats(str(sitting["id"])).items()}
    for person in recused:
        if person not in seats:
            raise InvalidInput(f"{brief(person)} has no seat at meeting {brief(sitting_id)}: "
                               "only its members recuse")
        seats[person] = (seats[person][0], seats[person][1], "recused", None)
    record: dict[str, Any] = {
        "id": meeting_id, "sitting_id": sitting_id, "body": sitting["body"], "kind": sitting["kind"],
        "opened_at": format_time(now), "state": state, "attendees": list(sitting.get("attendees") or ()),
        "seats_sha": seats_digest(seats), "on_agenda": matter_id in (rec.facts.get("agenda") or ())}
    if sitting.get("reasons"):
        record["reasons"] = {p: r for p, r in sitting["reasons"].items() if p in seats and seats[p][2] == "absent"}
    return record, seats


def _attend(reader: SittingReader, meeting: dict[str, Any], data: Mapping[str, Any]) -> dict[str, Seat]:
    """One arrival, departure or non-voting attendee at the sitting in session, laid over its record."""
    person, status = str(data["member"]), str(data["status"])
    seats = reader.seats(str(meeting["id"]))
    attendees = set(meeting.get("attendees") or ())
    reasons = dict(meeting.get("reasons") or {})
    if person in seats:
        if status == "attendee":
            raise InvalidInput(f"{brief(person)} is a member; mark them present or absent")
        seats[person] = (seats[person][0], seats[person][1], status, seats[person][3])
    elif status != "attendee":
        raise InvalidInput(f"{brief(person)} has no seat at this meeting; "
                           "only 'attendee' (列席) is allowed")
    else:
        attendees.add(person)
    reasons.pop(person, None)
    if data.get("reason"):
        if status != "absent":
            raise InvalidInput("a reason is given only for a member who leaves (absent)")
        reasons[person] = str(data["reason"])
    meeting.update(attendees=sorted(attendees), seats_sha=seats_digest(seats))
    if reasons:
        meeting["reasons"] = dict(sorted(reasons.items()))
    else:
        meeting.pop("reasons", None)
    return seats


def stage(plan: Plan, facts: dict[str, Any], data: Mapping[str, Any], body_id: str | None,
          directory: Directory, now: dt.datetime, meeting_id: str, reader: SittingReader, instance_id: str,
          options: tuple[str, ...] = (), countable: bool = False) -> dict[str, Seat] | None:
    """Lay a meeting being opened (or a sitting's changed attendance) over the prospective facts, in place, and
    return its seats (frozen membership with attendance), which the rules of this command judge and the step
    stores; None when nothing is staged. ``countable``: the procedure has a step that counts a secret ballot."""
    seats: dict[str, Seat] | None = None
    state = plan.branches[-1][1]
    for effect in plan.effects:
        if isinstance(effect, AttendEffect):
            meeting = dict(facts.get("meeting") or {})
            seats = _attend(reader, meeting, data)
            facts["meeting"] = meeting
        elif isinstance(effect, OpenMeetingEffect | ConveneEffect):
            if "sitting" in data:
                if "attendance" in data or "reasons" in data or isinstance(effect, ConveneEffect):
                    raise InvalidInput("a matter taken up at a sitting has that sitting's attendance; "
                                       "give either 'sitting' or 'attendance'")
                record, seats = _take_up(reader, str(data["sitting"]), instance_id, body_id,
                                         list(data.get("recused") or ()), meeting_id, state, now)
            else:
                if "recused" in data:
                    raise InvalidInput("'recused' goes with 'sitting'; at a meeting of its own, mark recusals in "
                                       "'attendance'")
                if "attendance" not in data:
                    raise InvalidInput(f"{plan.trigger!r} needs 'attendance' or 'sitting'")
                body = directory(body_id) if body_id else None
                if body is None:
                    raise InvalidInput(f"no body {brief(body_id)} to hold the meeting")
                record, seats = _freeze(body, data, meeting_id, state, now)
            # the frozen membership governs the state the meeting is held in, and nothing after it
            facts["meeting"] = record
            if isinstance(effect, ConveneEffect):
                record["sitting"] = True
                continue
            method = data.get("method") or effect.default_method
            if effect.options is not None:
                options = effect.options.values.get(str(facts.get(effect.options.fact)), options)
            ballot: dict[str, Any] = {"id": meeting_id, "method": method, "secret": method in SECRET_COUNTING,
                                      "options": list(options)}
            if method in SECRET_COUNTING:
                ballot["counting"] = SECRET_COUNTING[method]
                counting.open_secret(ballot, method, data, seats, record["attendees"], countable)
            elif "tellers" in data or "ballot_key" in data:
                raise InvalidInput("tellers count secret ballots only: 'tellers' and 'ballot_key' go with "
                                   f"method {' or '.join(SECRET_COUNTING)}")
            facts["ballot"] = ballot
            items = facts.get(effect.items) if effect.items else None
            if items:
                ballot["items"] = list(items)
    return seats


def child_facts(spawn: SpawnEffect, parent_id: str, facts: Mapping[str, Any],
                data: Mapping[str, Any]) -> dict[str, Any]:
    """The facts a spawned child starts with: copied facts and paths, payload keys handed over, constants, the link."""
    out = {k: facts[k] for k in spawn.copy_facts if k in facts}
    for name, path in spawn.copy_from.items():
        value: Any = facts
        for part in path.split("."):
            value = value.get(part) if isinstance(value, Mapping) else None
        if value is not None:
            out[name] = value
    out.update((k, data[k]) for k in spawn.data if k in data)
    out.update(spawn.set_facts)
    out[spawn.link] = parent_id
    return out


def seat_writes(plan: Plan, data: Mapping[str, Any], facts: Mapping[str, Any], staged: Mapping[str, Seat] | None,
                ) -> tuple[tuple[tuple[str, str, str, bool, str], ...], tuple[tuple[str, str, str], ...]]:
    """What a step writes to the seats table: the rows of a meeting it opens, or the one attendance it changed."""
    meeting_id = str((facts.get("meeting") or {}).get("id", ""))
    if plan.attends:
        member = str(data["member"])
        return (), (((meeting_id, member, staged[member][2]),) if staged and member in staged else ())
    return tuple((meeting_id, person, role, voting, attendance)
                 for person, (role, voting, attendance, _view) in (staged or {}).items()), ()


def apply(effects: tuple[Effect, ...], facts: dict[str, Any], data: Mapping[str, Any], *, actor: str,
          now: dt.datetime, result: Callable[[], dict[str, Any]],
          counted: Callable[[], dict[str, dict[str, int]]] = dict,
          ) -> tuple[dict[str, Any], list[SpawnEffect], list[VoteRecord], list[tuple[str, str, str, str]]]:
    """Apply the after-rules effects to ``facts`` in place; return a record of them, spawn requests, votes and
    views stated at the meeting (meeting, person, view, time).

    ``result`` computes a closing ballot's result (counts, n, present, threshold, dissent) when one is tallied,
    ``counted`` the totals of a secret ballot its tellers count (ballot key -> option -> number).
    """
    record: dict[str, Any] = {}
    spawns: list[SpawnEffect] = []
    votes: list[VoteRecord] = []
    views: list[tuple[str, str, str, str]] = []
    for effect in effects:
        if isinstance(effect, ConsultEffect):
            entry = {"view": data["view"], "by": actor, "at": format_time(now)}
            if data.get("note"):
                entry["note"] = data["note"]
            facts["consultations"] = {**(facts.get("consultations") or {}), data["member"]: entry}
        elif isinstance(effect, StateViewEffect):
            views.append((str((facts.get("meeting") or {})["id"]), actor, data["view"], format_time(now)))
        elif isinstance(effect, CastVoteEffect):
            ballot = facts.get("ballot") or {}
            votes.append(VoteRecord(gov.ballot_key(ballot, data.get("item")), actor, str(data.get("choice", "")),
                                    bool(ballot.get("secret"))))
        elif isinstance(effect, CountEffect):
            record["counted"] = counted()
            facts["ballot"] = {**(facts.get("ballot") or {}), "counted_at": format_time(now)}
        elif isinstance(effect, TallyEffect):
            tallied = {**result(), "closed_at": format_time(now)}
            facts["ballot"] = {**(facts.get("ballot") or {}), "result": tallied}
            record["tally"] = tallied
        elif isinstance(effect, SpawnEffect):
            spawns.append(effect)
        elif isinstance(effect, SetTargetEffect):
            target = {"unit": data["unit"], "baseline": data["baseline"], "target": data["target"],
                      "kind": data["target_kind"]}
            facts["targets"] = {**(facts.get("targets") or {}), data["metric"]: target}
        elif isinstance(effect, ReportProgressEffect):
            targets = dict(facts.get("targets") or {})
            targets[data["metric"]] = {**targets[data["metric"]], "measured": data["value"],
                                       "reported_at": format_time(now), "reported_by": actor}
            facts["targets"] = targets
        elif isinstance(effect, LogEffect):
            entry = {"by": actor, "at": format_time(now), **{k: data[k] for k in ("note", "members", "held_at")
                                                           if k in data}}
            log = dict(facts.get("log") or {})
            log[effect.log] = [*(log.get(effect.log) or []), entry]
            facts["log"] = log
    return record, spawns, votes, views

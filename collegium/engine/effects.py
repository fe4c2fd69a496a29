"""Data checking and the generic effects a transition applies to an instance's facts.

``open_meeting`` is *staged*: the meeting it opens (frozen membership, attendance) is laid over the facts
before the rules run, so the quorum is judged on the attendance being recorded. Every other effect is
applied after the rules passed, so e.g. "one vote each" is judged on the votes cast before this one.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from typing import Any

from collegium.engine import governance as gov
from collegium.engine.audit import canonical, digest
from collegium.engine.clock import aware, format_time, parse_time
from collegium.engine.context import SYSTEM_ACTOR
from collegium.engine.records import VoteRecord
from collegium.engine.registry import CompiledProcedure, Plan
from collegium.engine.store import Seat
from collegium.errors import InvalidInput
from collegium.workflows.spec import (
    CastVoteEffect,
    ConsultEffect,
    Effect,
    FactType,
    OpenMeetingEffect,
    SpawnEffect,
    StateViewEffect,
    TallyEffect,
)

#: inputs an effect cannot do without
REQUIRED_INPUTS: dict[str, tuple[str, ...]] = {
    "consult": ("member", "view"),
    "open_meeting": ("attendance",),
    "cast_vote": ("choice",),
    "state_view": ("view",),
}


#: Integers beyond this lose precision in JSON consumers (JavaScript) and are refused.
MAX_INTEGER = 2**53 - 1


def _coerce(name: str, kind: FactType, value: Any, values: tuple[str, ...] | None) -> Any:
    if kind == "string":
        if not isinstance(value, str) or not value:
            raise InvalidInput(f"{name} must be non-empty text, not {value!r}")
        if values is not None and value not in values:
            raise InvalidInput(f"{name} {value!r} is not one of: {', '.join(values)}")
        return value
    if kind == "integer":
        if isinstance(value, bool) or not isinstance(value, int):
            raise InvalidInput(f"{name} must be a whole number, not {value!r}")
        if abs(value) > MAX_INTEGER:
            raise InvalidInput(f"{name} {value} is out of range (at most {MAX_INTEGER} in size)")
        return value
    if kind == "boolean":
        if not isinstance(value, bool):
            raise InvalidInput(f"{name} must be true or false, not {value!r}")
        return value
    if kind == "datetime":
        if isinstance(value, dt.datetime):
            return format_time(aware(value, name))
        if isinstance(value, str):
            return format_time(parse_time(value, name))
        raise InvalidInput(f"{name} must be an ISO 8601 date-time with a time zone, not {value!r}")
    if kind == "list":
        if not isinstance(value, list | tuple) or not all(isinstance(v, str) and 0 < len(v) <= 64 for v in value):
            raise InvalidInput(f"{name} must be a list of texts of 1 to 64 characters")
        if len(set(value)) != len(value):
            raise InvalidInput(f"{name} names an entry twice")
        return list(value)
    if not isinstance(value, Mapping) or not all(isinstance(k, str) and isinstance(v, str) for k, v in value.items()):
        raise InvalidInput(f"{name} must be a mapping of text to text")
    return dict(value)


def check_arguments(actor: object, data: object, **names: object) -> Mapping[str, Any]:
    """Refuse arguments of the wrong type at the API boundary with :class:`InvalidInput`, not a TypeError."""
    if not isinstance(actor, str) or not actor.strip():
        raise InvalidInput("an actor (a person's id) is required")
    if actor == SYSTEM_ACTOR:
        raise InvalidInput(f"{SYSTEM_ACTOR} is reserved for the engine's own timers")
    for what, value in names.items():
        if not isinstance(value, str) or not value:
            raise InvalidInput(f"{what} must be non-empty text, not {value!r}")
    if data is None:
        return {}
    if not isinstance(data, Mapping) or not all(isinstance(k, str) for k in data):
        raise InvalidInput(f"data must be a mapping of names to values, not {type(data).__name__}")
    return data


def normalize(proc: CompiledProcedure, plan: Plan, data: Mapping[str, Any], *, complete: bool = True) -> dict[str, Any]:
    """Check a command's payload against what the trigger accepts; return it with canonical values."""
    accepted = plan.accepted
    choices = _input_values(plan.effects)
    out: dict[str, Any] = {}
    for key, value in data.items():
        if key not in accepted:
            allowed = ", ".join(sorted(accepted)) or "none"
            raise InvalidInput(f"{plan.trigger!r} does not take {key!r}; it takes: {allowed}")
        if value is None:
            continue
        spec = proc.spec.facts.get(key)
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
    return out


Directory = gov.Directory


def check_choice(plan: Plan, facts: Mapping[str, Any], data: Mapping[str, Any]) -> None:
    """A vote's choice must be one of the open ballot's options (a personnel ballot has its own)."""
    if not any(isinstance(effect, CastVoteEffect) for effect in plan.effects):
        return
    ballot = facts.get("ballot") or {}
    if "id" not in ballot:
        raise InvalidInput("no ballot is open: a vote needs a meeting opened first")
    options = ballot.get("options") or ()
    if "choice" in data and options and data["choice"] not in options:
        raise InvalidInput(f"choice {data['choice']!r} is not one of this ballot's options: {', '.join(options)}")
    if "item" in data and not ballot.get("items"):
        raise InvalidInput("this ballot is not voted item by item: a vote names no item")


def seats_digest(seats: Mapping[str, Seat]) -> str:
    """SHA-256 of a meeting's frozen seats (person, role, vote, attendance), kept in the hashed facts so the audit
    notices an edited seat; stated views are checked against their events."""
    return digest(canonical([[p, s[0], s[1], s[2]] for p, s in sorted(seats.items())]))


def stage(plan: Plan, facts: dict[str, Any], data: Mapping[str, Any], body_id: str | None,
          directory: Directory, now: dt.datetime, meeting_id: str,
          options: tuple[str, ...] = ()) -> dict[str, Seat] | None:
    """Lay a meeting being opened over the prospective facts, in place, and return its seats (frozen membership
    with attendance), which the rules of this command judge and the step stores; None when nothing is staged."""
    seats: dict[str, Seat] | None = None
    for effect in plan.effects:
        if isinstance(effect, OpenMeetingEffect):
            body = directory(body_id) if body_id else None
            if body is None:
                raise InvalidInput(f"no body {body_id!r} to hold the meeting")
            attendance = gov.build_attendance(body, data["attendance"])
            roles = {m.person: (m.role, m.voting) for m in body.members}
            seats = {person: (roles[person][0], roles[person][1], status, None)
                     for person, status in attendance.items() if person in roles}
            # the frozen membership governs the state the meeting is held in, and nothing after it
            facts["meeting"] = {"id": meeting_id, "body": body.id, "kind": body.kind, "opened_at": format_time(now),
                                "state": plan.branches[-1][1],
                                "attendees": sorted(p for p, status in attendance.items() if status == "attendee"),
                                "seats_sha": seats_digest(seats)}
            method = data.get("method") or effect.default_method
            if effect.options is not None:
                options = effect.options.values.get(str(facts.get(effect.options.fact)), options)
            facts["ballot"] = {"id": meeting_id, "method": method, "secret": method == "secret",
                               "options": list(options)}
            items = facts.get(effect.items) if effect.items else None
            if items:
                facts["ballot"]["items"] = list(items)
    return seats


def apply(effects: tuple[Effect, ...], facts: dict[str, Any], data: Mapping[str, Any], *, actor: str,
          now: dt.datetime, result: Callable[[], dict[str, Any]],
          ) -> tuple[dict[str, Any], list[SpawnEffect], list[VoteRecord], list[tuple[str, str, str, str]]]:
    """Apply the after-rules effects to ``facts`` in place; return a record of them, spawn requests, votes and
    views stated at the meeting (meeting, person, view, time).

    ``result`` computes a closing ballot's result (counts, n, present, threshold, dissent) when one is tallied.
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
            votes.append(VoteRecord(gov.ballot_key(ballot, data.get("item")), actor, data["choice"],
                                    bool(ballot.get("secret"))))
        elif isinstance(effect, TallyEffect):
            tallied = {**result(), "closed_at": format_time(now)}
            facts["ballot"] = {**(facts.get("ballot") or {}), "result": tallied}
            record["tally"] = tallied
        elif isinstance(effect, SpawnEffect):
            spawns.append(effect)
    return record, spawns, votes, views

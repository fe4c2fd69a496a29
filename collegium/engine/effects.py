"""The generic effects a transition applies to an instance's facts once its rules passed, so
that e.g. "one vote each" is judged on the votes cast before this one (what is laid over the facts
before the rules run is staged: :mod:`collegium.engine.staging`)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from collegium.engine import governance as gov
from collegium.engine.clock import format_time
from collegium.store.records import ViewRow, VoteRecord
from collegium.workflows.spec import (
    CastVoteEffect,
    ConsultEffect,
    CountEffect,
    Effect,
    LogEffect,
    ReportProgressEffect,
    SetTargetEffect,
    SpawnEffect,
    StateViewEffect,
    TallyEffect,
)


def child_facts(
    spawn: SpawnEffect, parent_id: str, facts: Mapping[str, Any], data: Mapping[str, Any]
) -> dict[str, Any]:
    """The facts a spawned child starts with: copied facts and paths, payload keys handed over,
    constants, the link."""
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


@dataclass(frozen=True, slots=True, kw_only=True)
class Applied:
    """What a step's effects make of it: the effects record its event keeps, the children it
    starts, the votes cast and the views stated."""

    record: dict[str, Any]
    spawns: tuple[SpawnEffect, ...]
    votes: tuple[VoteRecord, ...]
    views: tuple[ViewRow, ...]


def apply(
    effects: tuple[Effect, ...],
    facts: dict[str, Any],
    data: Mapping[str, Any],
    *,
    actor: str,
    now: dt.datetime,
    result: Callable[[], dict[str, Any]],
    counted: Callable[[], dict[str, dict[str, int]]] = dict,
) -> Applied:
    """Apply the after-rules effects to ``facts`` in place; return a record of them, the children to
    start, the votes cast and the views stated at the meeting.

    ``result`` computes a closing ballot's result (counts, n, present, threshold, dissent) when one
    is tallied, ``counted`` the totals of a secret ballot its tellers count (ballot key -> option ->
    number).
    """
    record: dict[str, Any] = {}
    spawns: list[SpawnEffect] = []
    votes: list[VoteRecord] = []
    views: list[ViewRow] = []
    for effect in effects:
        if isinstance(effect, ConsultEffect):
            entry = {"view": data["view"], "by": actor, "at": format_time(now)}
            if data.get("note"):
                entry["note"] = data["note"]
            facts["consultations"] = {**(facts.get("consultations") or {}), data["member"]: entry}
        elif isinstance(effect, StateViewEffect):
            views.append(
                ViewRow(
                    meeting=str((facts.get("meeting") or {})["id"]),
                    person=actor,
                    view=data["view"],
                    at=format_time(now),
                )
            )
        elif isinstance(effect, CastVoteEffect):
            ballot = facts.get("ballot") or {}
            votes.append(
                VoteRecord(
                    ballot_id=gov.ballot_key(ballot, data.get("item")),
                    voter=actor,
                    choice=str(data.get("choice", "")),
                    secret=bool(ballot.get("secret")),
                )
            )
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
            target = {
                "unit": data["unit"],
                "baseline": data["baseline"],
                "target": data["target"],
                "kind": data["target_kind"],
            }
            facts["targets"] = {**(facts.get("targets") or {}), data["metric"]: target}
        elif isinstance(effect, ReportProgressEffect):
            targets = dict(facts.get("targets") or {})
            targets[data["metric"]] = {
                **targets[data["metric"]],
                "measured": data["value"],
                "reported_at": format_time(now),
                "reported_by": actor,
            }
            facts["targets"] = targets
        elif isinstance(effect, LogEffect):
            entry = {
                "by": actor,
                "at": format_time(now),
                **{k: data[k] for k in ("note", "members", "held_at") if k in data},
            }
            log = dict(facts.get("log") or {})
            log[effect.log] = [*(log.get(effect.log) or []), entry]
            facts["log"] = log
    return Applied(record=record, spawns=tuple(spawns), votes=tuple(votes), views=tuple(views))

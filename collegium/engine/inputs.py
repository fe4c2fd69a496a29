"""Data checking: what a step's data must hold and how each value is typed, before any rule
reads it."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from collegium._brief import brief
from collegium._catalog import Message
from collegium.engine import counting
from collegium.engine.arguments import check_text
from collegium.engine.clock import aware, format_time, parse_time
from collegium.engine.registry import CompiledProcedure, Plan
from collegium.engine.targets import canonical_number
from collegium.errors import InvalidInput
from collegium.workflows.spec import (
    ATTEND_STATUSES,
    TARGET_KINDS,
    AttendEffect,
    ConsultEffect,
    Effect,
    FactType,
    OpenMeetingEffect,
    ReportProgressEffect,
    SetTargetEffect,
    StateViewEffect,
)

#: inputs an effect cannot do without
REQUIRED_INPUTS: dict[str, tuple[str, ...]] = {
    "consult": ("member", "view"),
    "convene": ("attendance",),
    "attend": ("member", "status"),
    "set_target": ("metric", "unit", "baseline", "target", "target_kind"),
    "report_progress": ("metric", "value"),
    # a choice, but not on a paper secret ballot: collegium.engine.counting.check_step
    "cast_vote": (),
    "state_view": ("view",),
}


#: Integers beyond this lose precision in JSON consumers (JavaScript) and are refused.
MAX_INTEGER = 2**53 - 1


def _coerce(name: str, kind: FactType, value: Any, values: tuple[str, ...] | None) -> Any:
    if kind == "string":
        if not isinstance(value, str) or not value:
            raise InvalidInput(
                Message("{name} must be non-empty text, not {value}", name=name, value=brief(value))
            )
        check_text(name, value)
        if values is not None and value not in values:
            raise InvalidInput(
                Message(
                    "{name} {value} is not one of: {values}",
                    name=name,
                    value=brief(value),
                    values=", ".join(values),
                )
            )
        return value
    if kind == "integer":
        if isinstance(value, bool) or not isinstance(value, int):
            raise InvalidInput(
                Message("{name} must be a whole number, not {value}", name=name, value=brief(value))
            )
        if abs(value) > MAX_INTEGER:
            raise InvalidInput(
                Message(
                    "{name} {value} is out of range (at most {most} in size)",
                    name=name,
                    value=brief(value),
                    most=MAX_INTEGER,
                )
            )
        return value
    if kind == "number":
        return canonical_number(name, value)
    if kind == "boolean":
        if not isinstance(value, bool):
            raise InvalidInput(
                Message("{name} must be true or false, not {value}", name=name, value=brief(value))
            )
        return value
    if kind == "datetime":
        if isinstance(value, dt.datetime):
            return format_time(aware(value, name))
        if isinstance(value, str):
            return format_time(parse_time(value, name))
        raise InvalidInput(
            Message(
                "{name} must be an ISO 8601 date-time with a time zone, not {value}",
                name=name,
                value=brief(value),
            )
        )
    if kind == "list":
        if not isinstance(value, list | tuple) or not all(
            isinstance(v, str) and 0 < len(v) <= 64 for v in value
        ):
            raise InvalidInput(
                Message("{name} must be a list of texts of 1 to 64 characters", name=name)
            )
        if len(set(value)) != len(value):
            raise InvalidInput(Message("{name} names an entry twice", name=name))
        check_text(name, *value)
        return list(value)
    if not isinstance(value, Mapping) or not all(
        isinstance(k, str) and isinstance(v, str) for k, v in value.items()
    ):
        raise InvalidInput(Message("{name} must be a mapping of text to text", name=name))
    check_text(name, *value, *value.values())
    return dict(value)


def normalize(
    proc: CompiledProcedure, plan: Plan, data: Mapping[str, Any], *, complete: bool = True
) -> dict[str, Any]:
    """Check a command's payload against what the trigger accepts; return it with canonical
    values."""
    accepted = plan.accepted
    choices = input_values(plan.effects)
    out: dict[str, Any] = {}
    for key, value in data.items():
        if key not in accepted:
            allowed: str | Message = ", ".join(sorted(accepted)) or Message("none")
            raise InvalidInput(
                Message(
                    "{trigger!r} does not take {key}; it takes: {allowed}",
                    trigger=plan.trigger,
                    key=brief(key),
                    allowed=allowed,
                )
            )
        if value is None:
            continue
        spec = proc.spec.facts.get(key)
        if (
            spec is None and key == "counts" and plan.counts
        ):  # numbers per option, per item: a shape of its own
            out[key] = counting.coerce_counts(value)
            continue
        kind: FactType = spec.type if spec is not None else plan.inputs[key]
        out[key] = _coerce(key, kind, value, spec.values if spec is not None else choices.get(key))
    if complete:
        for effect in plan.effects:
            for key in REQUIRED_INPUTS.get(effect.kind, ()):
                if key not in out:
                    raise InvalidInput(
                        Message("{trigger!r} needs {key!r}", trigger=plan.trigger, key=key)
                    )
    return out


def input_values(effects: tuple[Effect, ...]) -> dict[str, tuple[str, ...]]:
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


def check_choice(plan: Plan, facts: Mapping[str, Any], data: Mapping[str, Any]) -> None:
    """A vote's choice must be one of the open ballot's options (a personnel ballot has its own);
    progress is reported on a target the instance has, and a target is not replaced once progress
    was reported on it."""
    targets = facts.get("targets") or {}
    for effect in plan.effects:
        if isinstance(effect, ReportProgressEffect) and data.get("metric") not in targets:
            metric = brief(data.get("metric"))
            if not targets:
                raise InvalidInput(
                    Message("no target {metric} to report on; targets: none", metric=metric)
                )
            raise InvalidInput(
                Message(
                    "no target {metric} to report on; targets: {targets}",
                    metric=metric,
                    targets=", ".join(sorted(targets)),
                )
            )
        if isinstance(effect, SetTargetEffect) and "measured" in (
            targets.get(data.get("metric")) or {}
        ):
            raise InvalidInput(
                Message(
                    "target {metric} already has progress reported; it is not replaced",
                    metric=brief(data.get("metric")),
                )
            )
        if (
            isinstance(effect, SetTargetEffect)
            and "target" in data
            and data.get("target") == data.get("baseline")
        ):
            raise InvalidInput(
                Message(
                    "a target value equal to its baseline measures no progress; "
                    "give the value to reach"
                )
            )
    ballot = facts.get("ballot") or {}
    if plan.counts or plan.tallies:
        counting.check_step(
            ballot, plan.trigger, casts=False, counts=plan.counts, tallies=plan.tallies, data=data
        )
    if not plan.casts:
        return
    if "id" not in ballot:
        raise InvalidInput(Message("no ballot is open: a vote needs a meeting opened first"))
    counting.check_step(ballot, plan.trigger, casts=True, counts=False, tallies=False, data=data)
    options = ballot.get("options") or ()
    if "choice" in data and options and data["choice"] not in options:
        raise InvalidInput(
            Message(
                "choice {choice} is not one of this ballot's options: {options}",
                choice=brief(data["choice"]),
                options=", ".join(options),
            )
        )
    if "item" in data and not ballot.get("items"):
        raise InvalidInput(Message("this ballot is not voted item by item: a vote names no item"))

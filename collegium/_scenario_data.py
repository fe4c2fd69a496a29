"""The data a scenario's steps take, in JSON Schema, for the built-in procedures: what ``start`` of
each procedure and ``fire`` of each trigger (``vote`` too) takes, read from the same table as
``collegium procedures show`` and the handbook (:func:`collegium.engine.shapes.plan_data`), so the
schema says what the engine accepts.

A ``start`` step names its procedure: its data is the start's own. A ``fire`` step names an
instance, not a procedure, so its data is described per trigger as the union over every built-in
procedure (every version, every state it is fired from) with a trigger of that name: a key any of
them takes, with any type one of them gives it, required only where every one of them needs it.
These checks hold in a scenario that names no ``definitions`` of its own (its procedures could
give a trigger other data); definitions given to the command line with ``--definitions`` are not
seen by a schema.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from collegium._words import shape
from collegium.engine.governance import ATTENDANCE
from collegium.engine.inputs import MAX_INTEGER
from collegium.engine.registry import Registry
from collegium.engine.shapes import DataKey, DataType, plan_data
from collegium.scenariofile import ZONED_TIME

__all__ = ["data_defs"]

#: a decimal as text, as :func:`collegium.engine.targets.canonical_number` reads one
_DECIMAL = r"^\s*[+-]?(\d[\d_]*(\.[\d_]*)?|\.\d[\d_]*)([eE][+-]?\d+)?\s*$"
_COUNT: dict[str, Any] = {"type": "integer", "minimum": 0}


def _value(key: DataKey) -> dict[str, Any]:
    """The JSON Schema of one value of ``key``'s type."""
    kind = key.type
    if kind == "string":
        return {
            "type": "string",
            "minLength": 1,
            **({"enum": list(key.values)} if key.values else {}),
        }
    if kind == "integer":
        return {"type": "integer", "minimum": -MAX_INTEGER, "maximum": MAX_INTEGER}
    if kind == "number":
        return {"anyOf": [{"type": "number"}, {"type": "string", "pattern": _DECIMAL}]}
    if kind == "boolean":
        return {"type": "boolean"}
    if kind == "datetime":
        return {"type": "string", "pattern": ZONED_TIME}
    if kind == "list":
        item = {"type": "string", "minLength": 1, "maxLength": 64}
        return {"type": "array", "items": item, "uniqueItems": True}
    if kind == "counts":
        per_item = {"type": "object", "additionalProperties": _COUNT}
        return {"type": "object", "additionalProperties": {"anyOf": [_COUNT, per_item]}}
    values = key.values or (ATTENDANCE if key.name == "attendance" else ())
    text: dict[str, Any] = {"type": "string", **({"enum": list(values)} if values else {})}
    return {"type": "object", "additionalProperties": text}


def _merged(keys: list[DataKey]) -> dict[str, Any]:
    """The schema of a key as the plans in ``keys`` take it: one type, or any of several; a text
    that is one of fixed values in each plan may be one of all of them."""
    by_shape: dict[tuple[DataType, str | None], list[DataKey]] = defaultdict(list)
    for key in keys:
        by_shape[(key.type, key.keys)].append(key)
    choices: list[dict[str, Any]] = []
    words: list[str] = []
    for (kind, named), same in by_shape.items():
        fixed = all(k.values for k in same)
        values = tuple(dict.fromkeys(v for k in same for v in k.values)) if fixed else ()
        one = DataKey(name=same[0].name, type=kind, values=values, keys=named)
        choices.append(_value(one))
        words.append(shape(kind, "en", values=values, keys=named))
    node = choices[0] if len(choices) == 1 else {"anyOf": choices}
    return {**node, "description": " or ".join(words)}


def _object(plans: list[tuple[DataKey, ...]], what: str) -> dict[str, Any]:
    """The schema of the data of a step run by any of ``plans`` (the keys each takes)."""
    found: dict[str, list[DataKey]] = defaultdict(list)
    for keys in plans:
        for key in keys:
            found[key.name].append(key)
    required = [
        name for name in found if all(any(k.name == name and k.required for k in p) for p in plans)
    ]
    out: dict[str, Any] = {
        "type": "object",
        "description": what + ("" if found else " It takes no data."),
        "properties": {name: _merged(keys) for name, keys in found.items()},
        "additionalProperties": False,
    }
    return {**out, "required": required} if required else out


def _when(action: str, value: str, name: str, data: dict[str, Any]) -> dict[str, Any]:
    """A step whose ``action`` is ``value`` has the data of ``$defs/name`` (given at all, when a key
    is required)."""
    then: dict[str, Any] = {"properties": {"data": {"$ref": f"#/$defs/{name}"}}}
    if data.get("required"):
        then["required"] = ["data"]
    return {"if": {"required": [action], "properties": {action: {"const": value}}}, "then": then}


def data_defs() -> tuple[dict[str, Any], dict[str, Any]]:
    """The objects to add to the scenario schema's ``$defs`` (``data.start.PROCEDURE``,
    ``data.fire.TRIGGER``), and the schema every step of a scenario without definitions of its own
    meets besides its own."""
    reg = Registry.builtin()
    defs: dict[str, dict[str, Any]] = {}
    conditions: list[dict[str, Any]] = []
    for pid in sorted({p.id for p in reg.procedures()}):
        proc = reg.compiled(pid)
        name = f"data.start.{pid}"
        defs[name] = _object(
            [plan_data(proc, proc.start_plan)],
            f"The data a `start: {pid}` step takes (procedure {pid}@{proc.spec.version}).",
        )
        conditions.append(_when("start", pid, name, defs[name]))
    fired: dict[str, list[tuple[DataKey, ...]]] = defaultdict(list)
    where: dict[str, set[str]] = defaultdict(set)
    for spec in reg.procedures():
        proc = reg.compiled(spec.id, spec.version)
        for (_state, trigger), plan in proc.plans.items():
            fired[trigger].append(plan_data(proc, plan))
            where[trigger].add(spec.id)
    for trigger in sorted(fired):
        name = f"data.fire.{trigger}"
        procs = sorted(where[trigger])
        what = f"The data a `fire: {trigger}` step takes (procedure {procs[0]})."
        if len(procs) > 1:
            what = (
                f"The data a `fire: {trigger}` step takes in any built-in procedure with that "
                f"trigger ({', '.join(procs)}): the keys any of them takes, each required where "
                "every one of them needs it."
            )
        defs[name] = _object(fired[trigger], what)
        conditions.append(_when("fire", trigger, name, defs[name]))
    vote = defs.get("data.fire.vote")
    if vote is not None:  # a vote step fires `vote`, its choice and item given beside its data
        taken = {k: v for k, v in vote.items() if k != "required"}
        data = taken if "required" in vote else {"$ref": "#/$defs/data.fire.vote"}
        given = {"vote": {"not": {"type": "null"}}}
        conditions.append(
            {
                "if": {"required": ["vote"], "properties": given},
                "then": {"properties": {"data": data}},
            }
        )
    return defs, {"allOf": conditions}

"""The data each trigger takes (:func:`collegium.trigger_data`): the names are exactly those the
engine accepts, each type is the one it checks, and ``procedures show`` and the handbook say them.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from collegium import InvalidInput, Registry, trigger_data
from collegium.engine.inputs import normalize
from collegium.engine.registry import CompiledProcedure, Plan
from collegium.engine.shapes import DataKey, plan_data
from tests._bad_input import run

ROOT = Path(__file__).parent.parent
REGISTRY = Registry.builtin()
PROCEDURES = sorted({p.id for p in REGISTRY.procedures()})

#: a value of each type the engine takes, and one it refuses
GOOD: dict[str, Any] = {
    "string": "x",
    "integer": 3,
    "number": "6.5",
    "boolean": True,
    "datetime": "2026-03-02T09:00+08:00",
    "list": ["a", "b"],
    "mapping": {"a": "b"},
    "counts": {"agree": 3, "oppose": 1},
}
BAD: dict[str, Any] = {
    "string": ["x"],
    "integer": "3",
    "number": "six",
    "boolean": "yes",
    "datetime": "2026-03-02T09:00",
    "list": "a",
    "mapping": ["a"],
    "counts": "3",
}


def _plans(proc: CompiledProcedure) -> list[Plan]:
    return [proc.start_plan, *proc.plans.values()]


@pytest.mark.parametrize("procedure_id", PROCEDURES)
def test_each_plan_lists_exactly_the_keys_the_engine_accepts(procedure_id: str) -> None:
    proc = REGISTRY.compiled(procedure_id)
    for plan in _plans(proc):
        keys = plan_data(proc, plan)
        assert sorted(k.name for k in keys) == sorted(plan.accepted), plan.trigger
    assert list(trigger_data(proc)) == list(
        dict.fromkeys([proc.spec.start.trigger, *(t for (_, t) in proc.plans)])
    )


def _value(key: DataKey) -> Any:
    if key.type == "string" and key.values and key.name != "choice":
        return key.values[0]
    return GOOD[key.type]


@pytest.mark.parametrize("procedure_id", PROCEDURES)
def test_each_type_is_the_one_the_engine_checks(procedure_id: str) -> None:
    proc = REGISTRY.compiled(procedure_id)
    for plan in _plans(proc):
        for key in plan_data(proc, plan):
            normalize(proc, plan, {key.name: _value(key)}, complete=False)
            with pytest.raises(InvalidInput):
                normalize(proc, plan, {key.name: BAD[key.type]}, complete=False)
            if key.type == "string" and key.values and key.name != "choice":
                with pytest.raises(InvalidInput):
                    normalize(proc, plan, {key.name: "not_one_of_them"}, complete=False)


@pytest.mark.parametrize("procedure_id", PROCEDURES)
def test_a_required_key_is_one_the_step_cannot_do_without(procedure_id: str) -> None:
    proc = REGISTRY.compiled(procedure_id)
    for plan in _plans(proc):
        for key in plan_data(proc, plan):
            if key.required:
                data = {k.name: _value(k) for k in plan_data(proc, plan) if k.name != key.name}
                with pytest.raises(InvalidInput, match=f"needs '{key.name}'"):
                    normalize(proc, plan, data)


ATTENDANCE = {
    "name": "attendance",
    "type": "mapping",
    "keys": "person",
    "values": ["present", "absent", "recused", "attendee"],
    "required": True,
    "use": "convene",
}


def test_procedures_show_gives_each_trigger_its_data() -> None:
    r = run("--json", "procedures", "show", "meeting")
    assert r.exit_code == 0, r.output
    shown = json.loads(r.stdout)
    names = ["title", "body", "meeting_at", "agenda"]
    assert [k["name"] for k in shown["start"]["inputs"]] == names
    (opening,) = [t for t in shown["transitions"] if t["trigger"] == "open"]
    assert ATTENDANCE in opening["inputs"]
    text = run("procedures", "show", "meeting").output
    assert "data each step takes" in text
    assert "mapping person → present | absent | recused | attendee" in text
    assert (
        "映射：人员 → present | absent | recused | attendee"
        in run("--lang", "zh-CN", "procedures", "show", "meeting").output
    )


def test_the_handbook_gives_each_step_its_data() -> None:
    page = (ROOT / "docs" / "handbook" / "meeting.md").read_text(encoding="utf-8")
    assert "## Data each step takes" in page
    shape = "mapping person → present \\| absent \\| recused \\| attendee"
    assert f"| `open` | `attendance` | {shape} | yes |" in page
    page = (ROOT / "docs" / "handbook" / "major_decision.zh-CN.md").read_text(encoding="utf-8")
    assert "| `consult` | `member` | 文本 | 是 |" in page

"""The scenario schema says what data each step takes in the built-in procedures: a value of the
wrong type, a text not among a key's fixed values, a key the step does not take or a required key
left out is refused by the schema as by the runner; the right data passes both. A scenario that
names definitions of its own is not held to the built-in procedures' data."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import yaml
from jsonschema import Draft202012Validator

from collegium import json_schema
from tests.test_cli_ballot import ok, run

SCHEMA = json_schema("scenario")
VALIDATOR = Draft202012Validator(SCHEMA)
BODY = {
    "id": "sc",
    "kind": "standing",
    "members": [
        {"person": "sec", "role": "secretary"},
        {"person": "m1", "role": "standing_member"},
        {"person": "m2", "role": "standing_member"},
    ],
}
DATA = {"title": "T", "category": "major", "proposer": "sec", "lead_member": "m1", "body": "sc"}
START = {"start": "major_decision", "id": "x", "as": "sec", "data": DATA}


def scenario(*steps: dict[str, Any], **more: Any) -> dict[str, Any]:
    return {
        "scenario": "s",
        "start": "2026-03-02T09:00+08:00",
        "bodies": [BODY],
        "steps": list(steps),
        **more,
    }


def errors(value: dict[str, Any]) -> list[str]:
    return [e.message for e in VALIDATOR.iter_errors(value)]


def deep_errors(value: dict[str, Any]) -> list[str]:
    """Every error, those under an if/then among them."""
    out = []
    for error in VALIDATOR.iter_errors(value):
        out += [e.message for e in error.context or []] or [error.message]
    return out


def publish(data: dict[str, Any]) -> dict[str, Any]:
    return {"fire": "publish", "instance": "x", "as": "sec", "data": data}


WRONG = {
    "a text where a list goes": {**START, "data": {**START["data"], "candidates": "a"}},
    "a number where text goes": {**START, "data": {**START["data"], "title": 7}},
    "text where true or false goes": {**START, "data": {**START["data"], "emergency": "yes"}},
    "a category that is none": {**START, "data": {**START["data"], "category": "huge"}},
    "a key the start does not take": {**START, "data": {**START["data"], "colour": "red"}},
    "an audience that is none": publish({"audience": "everyone"}),
    "a key no publish takes": publish({"audince": "public"}),
    "a target without its unit": {
        "fire": "set_target",
        "instance": "x",
        "as": "sec",
        "data": {"metric": "m", "baseline": 1, "target": 2, "target_kind": "public"},
    },
    "a vote's data it does not take": {
        "vote": "agree",
        "instance": "x",
        "as": "m1",
        "data": {"z": 1},
    },
}


@pytest.mark.parametrize("step", WRONG.values(), ids=list(WRONG))
def test_wrong_data_for_a_known_step_fails_the_schema(step: dict[str, Any]) -> None:
    assert errors(scenario(step))
    # a scenario with definitions of its own may give a trigger other data: not judged here
    assert errors(scenario(step, definitions=["mine"])) == []


RIGHT = [
    START,
    {**START, "data": {**START["data"], "category": "major", "candidates": ["a", "b"]}},
    publish({"audience": "public"}),
    publish({"outcome": "delivered", "result": "done"}),  # another procedure's publish
    {"fire": "schedule", "instance": "x", "as": "sec", "data": {"meeting_at": "2026-03-10T09:00Z"}},
    {"vote": "agree", "instance": "x", "as": ["m1", "m2"]},
    {"fire": "unknown_trigger", "instance": "x", "as": "sec", "data": {"any": 1}},
    {"start": "not_built_in", "as": "sec", "data": {"any": 1}},
]


@pytest.mark.parametrize("step", RIGHT, ids=[json.dumps(s)[:60] for s in RIGHT])
def test_the_right_data_passes_the_schema(step: dict[str, Any]) -> None:
    assert errors(scenario(step)) == []


def test_the_messages_name_the_key_and_its_values() -> None:
    found = deep_errors(scenario(publish({"audience": "everyone"})))
    assert "'everyone' is not one of ['public', 'party', 'committee']" in found
    found = deep_errors(scenario({**START, "data": {**START["data"], "title": 7}}))
    assert "7 is not of type 'string'" in found


def test_each_built_in_start_and_trigger_has_its_data_described() -> None:
    shown = json.loads(ok("--json", "procedures", "show", "major_decision").stdout)
    defs = SCHEMA["$defs"]
    start = defs["data.start.major_decision"]
    assert list(start["properties"]) == [k["name"] for k in shown["start"]["inputs"]]
    assert start["properties"]["category"]["enum"] == next(
        k["values"] for k in shown["start"]["inputs"] if k["name"] == "category"
    )
    assert start["additionalProperties"] is False
    for transition in shown["transitions"]:
        fired = defs[f"data.fire.{transition['trigger']}"]["properties"]
        assert {k["name"] for k in transition["inputs"]} <= set(fired), transition["trigger"]
    assert defs["data.fire.set_target"]["required"] == [
        "metric",
        "unit",
        "baseline",
        "target",
        "target_kind",
    ]


@pytest.mark.parametrize(
    "name", ["a number where text goes", "a category that is none", "a key the start does not take"]
)
def test_what_the_schema_refuses_the_runner_refuses_too(name: str, tmp_path: Path) -> None:
    path = tmp_path / "s.yaml"
    path.write_text(yaml.safe_dump(scenario(WRONG[name])), encoding="utf-8")
    assert run("simulate", path).exit_code == 2
    right = scenario(START, {"expect": {"instance": "x", "state": "proposed"}})
    path.write_text(yaml.safe_dump(right), encoding="utf-8")
    assert errors(right) == []
    ok("simulate", path)

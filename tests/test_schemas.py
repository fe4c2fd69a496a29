"""The JSON Schemas ``collegium schema KIND`` prints, checked with ``jsonschema``, the reference
validator: each is valid JSON Schema 2020-12 with its ``$schema`` and ``$id``; every procedure,
fragment, rule pack, scenario, body and pack test file shipped or in the examples is valid under its
schema as it is written; and files the loader refuses for their shape are refused by the schema too.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
import yaml
from jsonschema import Draft202012Validator
from jsonschema.validators import validator_for
from pydantic import BaseModel

from collegium import FragmentSpec, InvalidInput, ProcedureSpec, Registry, RulePackSpec, json_schema
from collegium._loader import parse_yaml
from collegium._schemas import DIALECT, SCHEMA_KINDS
from collegium.engine import packtests
from collegium.engine.clock import parse_time
from collegium.scenario import ScenarioSpec
from collegium.store.bodies import Body
from tests._bad_input import BAD, run

ROOT = Path(__file__).parent.parent
#: every YAML file shipped in the package or kept as an example or a valid base of the bad-input
#: corpus, a pack's test files (``collegium/rules/packtests/``, ``*.tests.yaml``) among them
SHIPPED = sorted(
    {
        *ROOT.glob("collegium/**/*.yaml"),
        *ROOT.glob("examples/**/*.yaml"),
        *ROOT.glob("docs/examples/*.yaml"),
        *(BAD / "base").glob("*.yaml"),
        *ROOT.glob("tests/data/*.yaml"),
    }
)
MODELS: dict[str, type[BaseModel]] = {
    "procedure": ProcedureSpec,
    "fragment": FragmentSpec,
    "rules": RulePackSpec,
    "scenario": ScenarioSpec,
    "body": Body,
    "tests": packtests.TestFile,  # not imported by name: pytest would take it for a test class
}


def schema(kind: str) -> dict[str, Any]:
    """The schema as the command prints it."""
    r = run("schema", kind)
    assert r.exit_code == 0, r.output
    value: dict[str, Any] = json.loads(r.stdout)
    return value


SCHEMAS = {kind: schema(kind) for kind in SCHEMA_KINDS}


def load(path: Path) -> Any:
    data, _node = parse_yaml(path.read_text(encoding="utf-8"), str(path))
    return data


def kind_of(path: Path, data: dict[str, Any]) -> str:
    rel = path.relative_to(ROOT).as_posix()
    if rel.startswith("collegium/rules/packtests/") or rel.endswith(".tests.yaml"):
        return "tests"
    if rel.startswith("collegium/rules/packs/") or rel.endswith((".rules.yaml", "base/pack.yaml")):
        return "rules"
    if "scenario" in data:
        return "scenario"
    if "members" in data:  # a body, as `collegium body define FILE` takes it
        return "body"
    return "fragment" if data.get("kind") == "fragment" else "procedure"


def errors(kind: str, data: Any) -> list[str]:
    found = Draft202012Validator(SCHEMAS[kind]).iter_errors(data)
    return [f"{e.json_path}: {e.message}" for e in found]


def _rel(path: Path) -> str:
    return path.relative_to(ROOT).as_posix()


# -- the schemas themselves ------------------------------------------------------------------------
@pytest.mark.parametrize("kind", SCHEMA_KINDS)
def test_each_schema_is_json_schema_2020_12_with_its_id(kind: str) -> None:
    value = SCHEMAS[kind]
    assert value["$schema"] == DIALECT and value["$id"] == f"urn:collegium:schema:{kind}"
    assert validator_for(value) is Draft202012Validator
    Draft202012Validator.check_schema(value)  # against the 2020-12 metaschema
    assert value == json_schema(kind) == schema(kind)  # the same every time it is printed


def test_mapping_keys_are_checked_by_name() -> None:
    """A mapping whose keys are identifiers says so in propertyNames (patternProperties would let
    any other key through unchecked)."""
    text = json.dumps(SCHEMAS)
    assert "patternProperties" not in text
    facts = SCHEMAS["procedure"]["properties"]["facts"]
    assert facts["propertyNames"] == {"pattern": "^[a-z][a-z0-9_]*$", "maxLength": 64}
    assert facts["additionalProperties"] == {"$ref": "#/$defs/FactSpec"}


# -- every shipped and example file ----------------------------------------------------------------
def test_the_shipped_files_are_all_here() -> None:
    names = {_rel(p) for p in SHIPPED}
    assert {
        "collegium/workflows/major_decision.yaml",
        "collegium/workflows/ballot.yaml",
        "collegium/rules/packs/party-committee.yaml",
        "collegium/rules/packtests/government.yaml",
        "examples/board/board_resolution.yaml",
        "examples/board/company-board.rules.yaml",
        "examples/board/company-board.tests.yaml",
        "examples/scenarios/p2_ballot.zh-CN.yaml",
        "docs/examples/first_scenario.yaml",
        "examples/embedding/bodies.yaml",
    } <= names
    for folder in ("collegium", "examples"):  # every YAML file of the package and the examples
        assert {_rel(p) for p in (ROOT / folder).rglob("*.yaml")} <= names, folder
    kinds = {kind_of(p, load(p)) for p in SHIPPED}
    assert kinds == set(SCHEMA_KINDS)  # a file of every kind, the body of the Flask example too


@pytest.mark.parametrize("path", SHIPPED, ids=_rel)
def test_every_shipped_and_example_file_is_valid_under_its_schema(path: Path) -> None:
    data = load(path)
    kind = kind_of(path, data)
    MODELS[kind].model_validate(data)  # the model takes it: it is of this kind
    assert errors(kind, data) == []
    for body in data.get("bodies", []) if kind in ("scenario", "tests") else []:
        assert errors("body", body) == []


def test_the_written_forms_the_models_loosen_are_in_the_schema() -> None:
    """One name for a list (source, roles) and one value for a rule's condition, as the files write
    them; and the lists they stand for."""
    transition = {"trigger": "go", "source": "a", "dest": "b", "roles": "secretary"}
    procedure = {
        "id": "p",
        "version": 1,
        "title": {"en": "P", "zh-CN": "P"},
        "rule_pack": "x",
        "states": {"a": {"label": {"en": "A", "zh-CN": "甲"}}},
        "initial": "a",
        "start": {"roles": "secretary"},
        "transitions": [transition],
    }
    assert errors("procedure", procedure) == []
    ProcedureSpec.model_validate(procedure)
    procedure["transitions"] = [
        {**transition, "source": ["a", "b"], "roles": ["secretary", "deputy"]}
    ]
    assert errors("procedure", procedure) == []
    for empty in ({**transition, "source": []}, {**transition, "roles": []}):
        procedure["transitions"] = [empty]
        assert errors("procedure", procedure) and _refused(ProcedureSpec, procedure)


# -- refused by the loader and by the schema -------------------------------------------------------
#: files of the bad-input corpus whose fault is one of shape: the schema can say it
SHAPE_FAULTS = {
    "procedure": [
        "unknown_key",
        "unknown_key_in_transition",
        "wrong_type_states_list",
        "missing_title_language",
        "wrong_type_version",
        "version_too_large",
        "bad_identifier",
        "unknown_effect_kind",
        "unknown_fact_type",
        "wrong_type_terminal",
    ],
    "pack": [
        "bad_rule_id",
        "unknown_check_kind",
        "unknown_severity",
        "version_too_long",
        "rules_not_a_list",
        "expression_too_long",
    ],
    "fragment": ["unknown_key", "unknown_parameter_kind", "no_parameters"],
    "body": ["missing_kind", "name_too_long", "unknown_member_key", "members_not_a_list"],
    "scenario": [
        "two_actions_in_one_step",
        "unknown_key_in_step",
        "no_steps",
        "start_without_time_zone",
        "start_as_yaml_date",
        "step_without_actor",
        "advance_not_a_time",
        "advance_without_time_zone",
        "body_member_without_role",
    ],
}
COMMANDS = {
    "procedure": ("procedures", "check"),
    "pack": ("procedures", "check"),
    "fragment": ("procedures", "check"),
    "body": ("body", "define"),
    "scenario": ("simulate",),
}
SCHEMA_OF = {
    "procedure": "procedure",
    "pack": "rules",
    "fragment": "fragment",
    "body": "body",
    "scenario": "scenario",
}
CASES = [(folder, name) for folder, names in SHAPE_FAULTS.items() for name in names]


@pytest.mark.parametrize(("folder", "name"), CASES, ids=[f"{f}/{n}" for f, n in CASES])
def test_a_file_of_the_wrong_shape_is_refused_by_the_loader_and_by_the_schema(
    folder: str, name: str, tmp_path: Path
) -> None:
    path = BAD / folder / f"{name}.yaml"
    db = tmp_path / "c.db"
    done = (
        run("--db", db, *COMMANDS[folder], path)
        if folder in ("body", "scenario")
        else run(*COMMANDS[folder], path)
    )
    assert done.exit_code == 2, done.output
    assert errors(SCHEMA_OF[folder], load(path)), (
        f"the {SCHEMA_OF[folder]} schema takes {folder}/{name}"
    )


def _refused(model: type[BaseModel], data: dict[str, Any]) -> bool:
    try:
        model.model_validate(data)
    except ValueError:
        return True
    return False


def test_a_mapping_key_that_is_not_a_name_is_refused_by_both() -> None:
    reg = Registry()
    text = (BAD / "base" / "procedure.yaml").read_text(encoding="utf-8")
    data, _node = parse_yaml(text, "base")
    data["facts"] = {**data.get("facts", {}), "Bad-Name": {"type": "string"}}
    assert errors("procedure", data) and _refused(ProcedureSpec, data)
    reg.add_pack_text((BAD / "base" / "pack.yaml").read_text(encoding="utf-8"))
    assert reg.add_procedure_text(text).id == "tiny"  # the base itself is fine


#: a pack's test file of one case, valid: each fault below spoils it in one place
PACK_TESTS: dict[str, Any] = {
    "tests": "company-board",
    "procedure": "board_resolution",
    "now": "2026-05-04T10:00+08:00",
    "bodies": [{"id": "board", "kind": "board", "members": [{"person": "d1", "role": "director"}]}],
    "cases": [
        {
            "name": "a director cannot table one",
            "trigger": "table",
            "actor": "d1",
            "facts": {"board": "board"},
            "data": {"title": "Issue shares"},
            "expect": {"passed": False, "rules": {"R-BOARD-ROLE": "fail"}},
        }
    ],
}
CASE = PACK_TESTS["cases"][0]
PACK_TEST_FAULTS = {
    "unknown_outcome": {**CASE, "expect": {"rules": {"R-BOARD-ROLE": "maybe"}}},
    "case_without_actor": {k: v for k, v in CASE.items() if k != "actor"},
    "passed_not_a_boolean": {**CASE, "expect": {"passed": "maybe"}},
    "unknown_key_in_case": {**CASE, "expected": {"passed": False}},
    "unknown_key_in_expect": {**CASE, "expect": {"passed": False, "state": "drafted"}},
    "case_without_expect": {k: v for k, v in CASE.items() if k != "expect"},
    "empty_name": {**CASE, "name": ""},
    "facts_not_a_mapping": {**CASE, "facts": ["board"]},
}
FILE_FAULTS = {
    "no_cases": {**PACK_TESTS, "cases": []},
    "no_pack_named": {k: v for k, v in PACK_TESTS.items() if k != "tests"},
    "unknown_key_in_file": {**PACK_TESTS, "pack": "company-board"},
    "body_member_without_role": {
        **PACK_TESTS,
        "bodies": [{"id": "board", "kind": "board", "members": [{"person": "d1"}]}],
    },
    **{name: {**PACK_TESTS, "cases": [case]} for name, case in PACK_TEST_FAULTS.items()},
}


def test_the_base_pack_test_file_is_valid_for_the_loader_and_the_schema(tmp_path: Path) -> None:
    path = tmp_path / "base.tests.yaml"
    path.write_text(yaml.safe_dump(PACK_TESTS, sort_keys=False), encoding="utf-8")
    assert errors("tests", load(path)) == []
    done = run("--definitions", ROOT / "examples" / "board", "test", path)
    assert done.exit_code == 0 and "1 of 1 case passes" in done.output, done.output


@pytest.mark.parametrize("name", FILE_FAULTS)
def test_a_pack_test_file_of_the_wrong_shape_is_refused_by_the_loader_and_by_the_schema(
    name: str, tmp_path: Path
) -> None:
    path = tmp_path / f"{name}.tests.yaml"
    path.write_text(yaml.safe_dump(FILE_FAULTS[name], sort_keys=False), encoding="utf-8")
    done = run("test", path)
    assert done.exit_code == 2, done.output
    assert f"{path}:" in done.output, done.output  # the loader names the file and the line
    assert errors("tests", load(path)), f"the tests schema takes {name}"


@pytest.mark.parametrize(
    "step",
    [
        {"start": "p", "fire": "go", "as": "sec"},
        {"as": "sec"},
        {"start": "p", "vote": "agree", "instance": "i", "as": "m1"},
        {"fire": "go", "as": "sec"},
        {"vote": "agree", "instance": "i", "as": []},
        {"fire": "go", "instance": "i", "as": None},
    ],
)
def test_a_step_is_one_action_with_who_acts_on_which_instance(step: dict[str, Any]) -> None:
    scenario = {"scenario": "s", "start": "2026-03-02T09:00+08:00", "steps": [step]}
    assert errors("scenario", scenario)


@pytest.mark.parametrize(
    "step",
    [
        {"start": "p", "as": "sec", "fire": None},
        {"fire": "go", "instance": "i", "as": ["a", "b"]},
        {"advance": "P2D"},
        {"advance": "2026-03-05T09:00Z"},
        {"expect": {"instance": "i", "state": "open"}},
    ],
)
def test_a_step_the_runner_takes_is_valid(step: dict[str, Any]) -> None:
    scenario = {"scenario": "s", "start": "2026-03-02T09:00+08:00", "steps": [step]}
    assert errors("scenario", scenario) == []
    ScenarioSpec.model_validate(scenario)


TIMES = [
    "2026-03-02T09:00+08:00",
    "2026-03-02T09:00:00Z",
    "2026-03-02 09:00+0800",
    "20260302T0900Z",
    "2026-03-02T09:00:00.123456+08:00",
    "2026-03-02T09+08",
    "2026-W10-1T09:00Z",
    " 2026-03-02T09:00Z ",
    "2026-03-02T09:00",
    "2026-03-02",
    "2026-03-02T09:00:00",
    "soon",
    "09:00+08:00",
    "2026-03-02+08:00",
]


def _parses(text: str) -> bool:
    try:
        parse_time(text)
    except InvalidInput:
        return False
    return True


@pytest.mark.parametrize("text", TIMES)
def test_the_scenario_start_pattern_takes_what_the_clock_reads(text: str) -> None:
    pattern = SCHEMAS["scenario"]["properties"]["start"]["pattern"]
    assert bool(re.search(pattern, text)) == _parses(text)
    scenario = {"scenario": "s", "start": text, "steps": [{"advance": "P1D"}]}
    assert (errors("scenario", scenario) == []) == _parses(text)


# -- the editor page's promises --------------------------------------------------------------------
EDITORS = ROOT / "docs" / "format" / "editors.md"


def test_the_vs_code_settings_name_files_valid_under_each_schema() -> None:
    block = re.search(r"```json\n(.*?)```", EDITORS.read_text(encoding="utf-8"), re.DOTALL)
    assert block is not None
    settings = json.loads(block.group(1))["yaml.schemas"]
    for target, globs in settings.items():
        kind = re.fullmatch(r"\.schemas/(\w+)\.schema\.json", target)
        assert kind is not None and kind.group(1) in SCHEMA_KINDS, target
        for glob in globs:
            files = sorted(ROOT.glob(glob))
            assert files, glob
            for path in files:
                assert errors(kind.group(1), load(path)) == [], path


def test_a_schema_comment_leaves_the_file_as_it_was() -> None:
    path = ROOT / "examples" / "board" / "board_resolution.yaml"
    text = path.read_text(encoding="utf-8")
    marked = "# yaml-language-server: $schema=../../.schemas/procedure.schema.json\n" + text
    assert "yaml-language-server: $schema=" in EDITORS.read_text(encoding="utf-8")
    assert parse_yaml(marked, "marked")[0] == parse_yaml(text, "plain")[0]

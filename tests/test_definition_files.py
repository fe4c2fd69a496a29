"""Definitions from files: Registry.load reads files and folders; the command line's
--definitions (and COLLEGIUM_DEFINITIONS) reaches every command; a scenario names its own; an
instance whose definitions no file loads any more is judged by the texts its store kept."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from collegium import DefinitionError, InvalidInput, Registry, UnknownDefinition
from collegium.cli import cli

BOARD = Path(__file__).parent.parent / "examples" / "board"
SCENARIO = BOARD / "board_resolution.scenario.yaml"

PACK = """id: tiny
version: "1"
title: {en: Tiny, zh-CN: 小}
roles:
  clerk: {en: clerk, zh-CN: 文员}
rules:
  - id: R-TINY-ROLE
    title: {en: Only the clerk acts, zh-CN: 由文员办理}
    citation: tiny rules Art. 1
    guards: [{procedure: a_parent, triggers: ["*"]}, {procedure: b_child, triggers: ["*"]}]
    check: {kind: role}
"""
PROCEDURE = """id: {id}
version: 1
title: {{en: {id}, zh-CN: {id}}}
rule_pack: tiny
facts:
  title: {{type: string, label: {{en: title, zh-CN: 标题}}}}
  parent: {{type: string, label: {{en: started by, zh-CN: 来源}}}}
  body: {{type: string, label: {{en: body, zh-CN: 机构}}}}
body_fact: body
states:
  open: {{label: {{en: Open, zh-CN: 进行中}}}}
  done: {{label: {{en: Done, zh-CN: 完成}}, terminal: true}}
initial: open
start: {{trigger: begin, roles: [clerk], data: [title]}}
transitions:
  - {{trigger: finish, source: open, dest: done, roles: [clerk]{effects}}}
"""


def _tiny(folder: Path) -> Path:
    """A pack and two procedures, the one that starts the other named first."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "z-pack.yaml").write_text(PACK, encoding="utf-8")
    spawn = ", effects: [{kind: spawn, procedure: b_child, link: parent, copy: [title]}]"
    (folder / "a_parent.yaml").write_text(
        PROCEDURE.format(id="a_parent", effects=spawn), encoding="utf-8"
    )
    (folder / "b_child.yaml").write_text(
        PROCEDURE.format(id="b_child", effects=""), encoding="utf-8"
    )
    (folder / "notes.yaml").write_text("scenario: not a definition\n", encoding="utf-8")
    return folder


def test_a_folder_loads_packs_first_and_procedures_after_those_they_start(tmp_path: Path) -> None:
    reg = Registry.builtin()
    loaded = reg.load(_tiny(tmp_path / "defs"))
    assert [(f.kind, f.key) for f in loaded] == [
        ("pack", "tiny@1"),
        ("procedure", "b_child@1"),
        ("procedure", "a_parent@1"),
    ]
    assert reg.compiled("a_parent").pack.id == "tiny"
    assert reg.compiled("major_decision").pack.id == "party-committee"  # the built-in ones stay


def test_a_file_named_on_its_own_must_be_a_definition(tmp_path: Path) -> None:
    folder = _tiny(tmp_path / "defs")
    with pytest.raises(
        DefinitionError, match="not a procedure, a procedure fragment or a rule pack"
    ):
        Registry().load(folder / "notes.yaml")
    with pytest.raises(InvalidInput, match="no definition file or folder"):
        Registry().load(tmp_path / "missing")


def test_a_procedure_whose_pack_is_not_loaded_is_an_unknown_definition() -> None:
    reg = Registry.builtin()
    reg.load(BOARD / "board_resolution.yaml")
    with pytest.raises(UnknownDefinition) as caught:
        reg.compiled("board_resolution")
    assert (caught.value.kind, caught.value.definition_id) == ("pack", "company-board")


def invoke(*args: str, env: dict[str, str] | None = None) -> Result:
    return CliRunner().invoke(cli, list(args), env=env)


def test_the_command_line_says_how_to_load_a_pack_it_does_not_know() -> None:
    result = invoke("procedures", "check", str(BOARD / "board_resolution.yaml"))
    assert result.exit_code == 2
    assert "no rule pack 'company-board'" in result.output
    assert "--definitions PATH" in result.output
    assert len(result.output.strip().splitlines()) == 1


def test_definitions_reach_every_command_from_the_option_or_the_environment() -> None:
    checked = invoke(
        "--definitions", str(BOARD), "procedures", "check", str(BOARD / "board_resolution.yaml")
    )
    assert checked.exit_code == 0, checked.output
    assert checked.output.startswith("ok: procedure board_resolution@1")
    after = invoke("procedures", "show", "board_resolution", "--definitions", str(BOARD))
    assert after.exit_code == 0, after.output  # given after the command, as the other globals
    assert "company-board" in after.output
    listed = invoke("rules", "list", env={"COLLEGIUM_DEFINITIONS": str(BOARD)})
    assert "R-BOARD-SPECIAL" in listed.output
    drawn = invoke("--definitions", str(BOARD), "diagram", "board_resolution")
    assert drawn.exit_code == 0 and "stateDiagram" in drawn.output
    missing = invoke("--definitions", "no/such/folder", "procedures", "list")
    assert missing.exit_code == 2
    assert "no definition file or folder at 'no/such/folder'" in missing.output


def test_the_board_scenario_runs_on_the_definitions_beside_it(tmp_path: Path) -> None:
    moved = tmp_path / "board"
    shutil.copytree(BOARD, moved)
    result = invoke("simulate", str(moved / SCENARIO.name))
    assert result.exit_code == 0, result.output
    assert "✓" in result.output and "audit ok" in result.output
    assert "R-BOARD-NOTICE" in result.output


def test_instances_recorded_under_definitions_no_file_loads_are_judged_by_their_stored_texts(
    tmp_path: Path,
) -> None:
    db = str(tmp_path / "board.db")
    assert invoke("--db", db, "simulate", str(SCENARIO)).exit_code == 0
    listed = invoke("--db", db, "--json", "instances")  # no --definitions now
    assert listed.exit_code == 0, listed.output
    assert '"state_label": "Passed"' in listed.output
    refused = invoke("--db", db, "fire", "shares", "convene", "--as", "chair")
    assert refused.exit_code == 1
    assert "'convene' is not allowed in state 'passed'" in refused.output
    assert invoke("--db", db, "audit", "verify").exit_code == 0


def test_replay_under_a_pack_that_governs_nothing_given_is_refused() -> None:
    p1 = Path(__file__).parent.parent / "examples" / "scenarios" / "p1_major_decision.yaml"
    refused = invoke("replay", "--rules", str(BOARD / "company-board.rules.yaml"), str(p1))
    assert refused.exit_code == 2
    assert refused.output.strip() == (
        "collegium: error: rule pack company-board@1 governs none of the instances given "
        "(their procedures: major_decision); nothing to judge"
    )
    judged = invoke("replay", "--rules", str(BOARD / "company-board.rules.yaml"), str(SCENARIO))
    assert judged.exit_code == 0, judged.output
    assert "instances 1, steps 10" in judged.output


def test_the_text_is_the_version(tmp_path: Path) -> None:
    folder = tmp_path / "board"
    shutil.copytree(BOARD, folder)
    db = str(tmp_path / "board.db")
    assert invoke("--db", db, "simulate", str(folder / SCENARIO.name)).exit_code == 0
    procedure = folder / "board_resolution.yaml"
    text = procedure.read_text(encoding="utf-8")
    # the same version, another text: refused wherever it would judge, nothing written
    procedure.write_text(text.replace("Not passed", "Rejected"), encoding="utf-8")
    for args in (
        ("fire", "shares", "convene", "--as", "chair"),
        (
            "start",
            "board_resolution",
            "--as",
            "cosec",
            "-d",
            "title=x",
            "-d",
            "kind=ordinary",
            "-d",
            "board=board",
        ),
    ):
        refused = invoke("--db", db, "--definitions", str(folder), *args)
        assert refused.exit_code == 2, refused.output
        assert "procedure board_resolution@1 is not the text the database keeps" in refused.output
        assert "give the changed text a new version" in refused.output
    assert invoke("--db", db, "--json", "instances").output.count('"id"') == 1
    # a new version: the old instance is judged by its stored text, a new one starts under it
    procedure.write_text(
        text.replace("version: 1", "version: 2").replace("Not passed", "Rejected"), encoding="utf-8"
    )
    old = invoke(
        "--db", db, "--definitions", str(folder), "fire", "shares", "convene", "--as", "chair"
    )
    assert old.exit_code == 1 and "not allowed in state 'passed'" in old.output
    new = invoke(
        "--db",
        db,
        "--definitions",
        str(folder),
        "--json",
        "start",
        "board_resolution",
        "--as",
        "cosec",
        "-d",
        "title=x",
        "-d",
        "kind=ordinary",
        "-d",
        "board=board",
    )
    assert new.exit_code == 0, new.output
    assert invoke("--db", db, "audit", "verify").exit_code == 0

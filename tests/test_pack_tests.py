"""collegium test: a pack's YAML cases judged as commands, the rules no case applies, and with
--mutate the rules whose removal no case notices."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner, Result

from collegium import Registry, run_pack_tests
from collegium.cli import cli

BOARD = Path(__file__).parent.parent / "examples" / "board"
TESTS = BOARD / "company-board.tests.yaml"


def invoke(*args: str) -> Result:
    return CliRunner().invoke(cli, ["--definitions", str(BOARD), *args])


def test_the_board_pack_tests_pass_and_cover_and_kill_every_rule() -> None:
    result = invoke("test", str(TESTS), "--mutate")
    assert result.exit_code == 0, result.output
    assert result.output.splitlines() == [
        "company-board@1: 10 of 10 cases pass",
        "  rules applied by a case: 7 of 7",
        "  dropped without a case noticing: -",
    ]


def _without(case_name: str, tmp_path: Path) -> Path:
    lines = TESTS.read_text(encoding="utf-8").split("\n  - name: ")
    kept = [chunk for chunk in lines if not chunk.startswith(case_name)]
    out = tmp_path / "cut.tests.yaml"
    out.write_text("\n  - name: ".join(kept), encoding="utf-8")
    return out


def test_a_rule_no_case_refuses_by_survives_its_removal(tmp_path: Path) -> None:
    cut = _without("the company secretary does not vote", tmp_path)
    result = invoke("test", str(cut), "--mutate")
    assert result.exit_code == 1
    assert "  dropped without a case noticing: R-BOARD-VOTER" in result.output
    reg = Registry.builtin()
    reg.load(BOARD)
    (report,) = run_pack_tests(reg, [cut])
    assert report.ok and report.survivors is None and report.uncovered == ()


def test_a_failing_case_says_what_it_expected(tmp_path: Path) -> None:
    wrong = tmp_path / "wrong.tests.yaml"
    wrong.write_text(
        TESTS.read_text(encoding="utf-8").replace(
            "expect: {passed: false, rules: {R-BOARD-QUORUM: fail}}",
            "expect: {passed: true, rules: {R-BOARD-QUORUM: pass}, to: voting}",
        ),
        encoding="utf-8",
    )
    result = invoke("--json", "test", str(wrong))
    assert result.exit_code == 1
    (doc,) = json.loads(result.output)
    (failed,) = [c for c in doc["cases"] if not c["ok"]]
    assert failed["name"] == "half the directors are no quorum"
    assert failed["problems"] == [
        "expected the command to be allowed, it was refused",
        "R-BOARD-QUORUM: expected pass, got fail",
    ]


def test_a_case_that_cannot_be_judged_and_a_file_that_is_invalid(tmp_path: Path) -> None:
    odd = tmp_path / "odd.tests.yaml"
    odd.write_text(
        "tests: company-board\nprocedure: board_resolution\nnow: 2026-05-04T10:00Z\n"
        "cases:\n  - {name: no such step, state: passed, trigger: open, actor: chair,"
        " expect: {passed: true}}\n",
        encoding="utf-8",
    )
    result = invoke("test", str(odd))
    assert result.exit_code == 1
    assert (
        "cannot be judged: 'open' does not leave state 'passed' of board_resolution"
        in result.output
    )
    bad = tmp_path / "bad.tests.yaml"
    bad.write_text(
        "tests: company-board\ncases:\n  - {name: x, actor: chair, expect: {passed: maybe}}\n",
        encoding="utf-8",
    )
    invalid = invoke("test", str(bad))
    assert invalid.exit_code == 2
    assert invalid.output.startswith(f"collegium: error: {bad}:3")


def test_the_built_in_packs_ship_with_tests_that_pass_and_notice_every_rule() -> None:
    result = CliRunner().invoke(cli, ["test", "--mutate"])
    assert result.exit_code == 0, result.output
    assert result.output.count("dropped without a case noticing: -\n") == 2
    assert result.output.startswith(
        "government@2019.3: 72 of 72 cases pass\n  rules applied by a case: 39 of 39\n"
    )
    assert (
        "party-committee@2026.10: 191 of 191 cases pass\n"
        "  rules applied by a case: 92 of 92\n" in result.output
    )

"""A scenario that cannot be read or run is refused in one line on stderr, exit 2, naming the file,
the line and the step counted from 1 (as the timeline counts them), in the words of its own check
(never pydantic's "Value error, "), in English and in Chinese where the words are Collegium's."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import Result

from collegium.generate import MAX_MATTERS, scenario
from tests.test_cli_ballot import one_error_line, run
from tests.test_simulate import SMALL

ACTIONS = "start, fire, vote, advance, expect"


def refused(tmp_path: Path, text: str, lang: str = "en") -> tuple[Path, str]:
    """The file written, and the one line ``collegium simulate`` refuses it with (exit 2)."""
    path = tmp_path / "s.yaml"
    path.write_text(text, encoding="utf-8")
    r: Result = run("--lang", lang, "simulate", path)
    assert r.exit_code == 2, r.output
    line = one_error_line(r)
    assert len(r.stderr.strip().splitlines()) == 1, r.stderr
    assert "Value error" not in line and "steps." not in line and "steps[" not in line, line
    return path, line


def test_a_step_with_two_actions_is_named_by_its_number_from_1(tmp_path: Path) -> None:
    text = SMALL.replace("  - {fire: prepare", "  - {advance: P1D, fire: prepare")
    path, line = refused(tmp_path, text)
    assert line.endswith(
        f"{path}:12: step 2: a step has exactly one of {ACTIONS}; this one has fire, advance"
    ), line
    path, line = refused(tmp_path, text, "zh-CN")
    assert line.endswith(
        f"{path}:12: 第 2 步: 每一步须有且只有 {ACTIONS} 之一；此步有 fire, advance"
    ), line


@pytest.mark.parametrize("lang", ["en", "zh-CN"])
def test_a_step_of_the_wrong_shape_is_named_by_its_number_from_1(tmp_path: Path, lang: str) -> None:
    step = "第 {n} 步" if lang == "zh-CN" else "step {n}"
    path, line = refused(tmp_path, SMALL.replace("as: m1}", "as: m1, when: now}"), lang)
    unknown = "未知的键" if lang == "zh-CN" else "unknown key"
    assert line.endswith(f"{path}:12: {step.format(n=2)}: {unknown} 'when'"), line
    path, line = refused(tmp_path, SMALL.replace("{instance: x, state", "{state"), lang)
    missing = "缺少键" if lang == "zh-CN" else "missing key"
    assert line.endswith(f"{path}:13: {step.format(n=3)}: expect: {missing} 'instance'"), line


def test_a_step_that_cannot_be_run_is_named_once_by_its_number_from_1(tmp_path: Path) -> None:
    text = SMALL.replace(", as: m1}", "}").replace("STATE", "preparation")
    path, line = refused(tmp_path, text)
    assert line == f"collegium: error: {path}:12: step 2: needs 'as' (who acts)", line
    path, line = refused(tmp_path, text, "zh-CN")
    assert line == f"collegium: error: {path}:12: 第 2 步: 缺少 'as'（由谁办理）", line
    text = SMALL.replace("instance: x, as: m1}", "as: m1}").replace("STATE", "preparation")
    path, line = refused(tmp_path, text)
    assert line == f"collegium: error: {path}:12: step 2: needs 'instance' (which one)", line
    path, line = refused(tmp_path, text, "zh-CN")
    assert line == f"collegium: error: {path}:12: 第 2 步: 缺少 'instance'（对哪个实例办理）"


@pytest.mark.parametrize("lang", ["en", "zh-CN"])
def test_a_start_time_without_a_zone_names_its_line(tmp_path: Path, lang: str) -> None:
    text = SMALL.replace("start: 2026-03-02T09:00+08:00", 'start: "2026-03-02T09:00"')
    path, line = refused(tmp_path, text, lang)
    assert f"collegium: error: {path}:2: start 2026-03-02T09:00:00 " in line, line
    if lang == "en":
        assert line.endswith("has no time zone; add one, e.g. +08:00 or Z"), line


@pytest.mark.parametrize("lang", ["en", "zh-CN"])
def test_a_generated_workload_too_large_is_refused_before_anything_is_made(
    tmp_path: Path, lang: str
) -> None:
    out, db = tmp_path / "g.yaml", tmp_path / "g.db"
    args = ("--bodies", "6", "--matters", "5", "--months", "6", "--out", out)
    r = run("--lang", lang, "--db", db, "simulate", "--generate", *args)
    assert r.exit_code == 2, r.output
    assert len(r.stderr.strip().splitlines()) == 1, r.stderr
    words = "6 × 5 × 6 = 180" if lang == "zh-CN" else "6 × 5 × 6 is 180"
    one_error_line(r, str(MAX_MATTERS), words)
    assert not out.exists() and not db.exists()
    assert len(scenario(1, bodies=5, matters=5, months=6)["steps"]) > MAX_MATTERS  # 150: taken


def test_the_generator_options_say_the_limit_on_their_product() -> None:
    text = " ".join(run("simulate", "--help").output.split())
    for option in ("--bodies", "--matters", "--months"):
        after = text.split(f" {option} ", 1)[1].split(" --", 1)[0]
        assert f"bodies × matters × months is at most {MAX_MATTERS}" in after, after

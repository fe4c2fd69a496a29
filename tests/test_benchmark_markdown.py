"""The README's Performance table is printed from a saved run (``python -m benchmarks.markdown``):
one row per figure with the run's own values, and what each target's outcome was."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from benchmarks import bench_core
from benchmarks.markdown import main, render

TINY = bench_core.Settings(
    "tiny",
    reps=1,
    memory_instances=2,
    sql_instances=2,
    loaded_instances=20,
    memory_reps=1,
    cli_reps=1,
    scale_sizes=(50, 300),
)


def _doc(*figures: bench_core.Figure) -> dict[str, object]:
    meta = {**bench_core.meta(TINY), "elapsed_s": 12.0}
    return {"meta": meta, "figures": [f.to_dict() for f in figures]}


def _figure(
    key: str, value: float, anchor: float | None, target: float, on: str
) -> bench_core.Figure:
    return bench_core.Figure(
        key, f"figure {key}", "µs/fire", value, anchor, "the floor", target, on
    )


def test_each_figure_is_a_row_with_its_values_and_whether_its_target_was_met() -> None:
    text = render(
        _doc(
            _figure("a", 90.0, 15.0, 3, "ratio"),
            _figure("d", 64.6, None, 200, "value"),
            _figure("x", 1234.0, 1000.0, 0, "info"),
        )
    )
    lines = text.splitlines()
    assert lines[0].startswith("Tiny run of ") and "(12 s)" in lines[0] and "SQLite" in lines[0]
    rows = [line for line in lines if line.startswith("| (")]
    assert rows == [
        "| (a) figure a | 90 µs/fire | 15 µs: the floor | 6× | ratio ≤ 3 — **not met** |",
        "| (d) figure d | 64.6 µs/fire |  |  | ≤ 200 µs — met |",
        "| (x) figure x | 1,234 µs/fire | 1,000 µs: the floor | 1.23× | (informational) |",
    ]


def test_a_real_figure_renders_from_what_the_harness_saves(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    figure = bench_core.figure_a(TINY)
    figures = figure if isinstance(figure, list) else [figure]
    saved = tmp_path / "results.json"
    saved.write_text(json.dumps(_doc(*figures)), encoding="utf-8")
    assert main([str(saved)]) == 0
    out = capsys.readouterr().out
    assert out.count("\n| (a") == len(figures) and "(a) in-memory fire" in out


def test_an_unreadable_file_is_a_one_line_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main([str(tmp_path / "missing.json")]) == 2
    err = capsys.readouterr().err
    assert err.startswith("cannot read ") and err.count("\n") == 1

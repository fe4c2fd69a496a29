"""The benchmark harness works (issue 8): every in-process figure runs at a tiny size and reports a
value, and each anchor takes its instances where Collegium takes them. Nothing here is timed: speed
is measured by ``python -m benchmarks``, never asserted in tests."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from benchmarks import (
    bench_console,
    bench_core,
    bench_integrity,
    bench_lifecycle,
    bench_scale,
    bench_supervision,
)
from benchmarks import scenario as sc
from benchmarks.__main__ import main, table
from benchmarks.anchor_psm import PsmP1
from benchmarks.anchor_spiff import STEPS_PER_LIFECYCLE, SpiffP1
from collegium.engine.clock import ManualClock

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


@pytest.mark.parametrize(
    "figure",
    [
        bench_core.figure_a,
        bench_core.figure_b,
        bench_core.figure_c,
        bench_scale.figure_h,
        bench_lifecycle.figure_i,
        bench_lifecycle.figure_j,
        bench_lifecycle.figure_k,
        bench_supervision.figure_f,
        bench_integrity.figure_l,
        bench_console.figure_n,
    ],
)
def test_each_figure_runs_and_reports(figure: object) -> None:
    result = figure(TINY)  # type: ignore[operator]
    figures = result if isinstance(result, list) else [result]
    for f in figures:
        assert f.error is None and f.collegium is not None and f.collegium > 0, f
        assert f.met in (True, False)
    assert table(figures).count("\n") == len(figures) + 1


def test_the_scale_figure_draws_its_curve_at_every_size() -> None:
    h1, h2 = bench_scale.figure_h(TINY)
    assert [p["instances"] for p in h1.curve][-1] >= 300 and len(h1.curve) == 2
    assert f"{h1.curve[-1]['instances']:,}" in h1.name
    assert h2.unit == "KB" and h2.anchor is not None


def test_the_anchors_end_where_collegium_does() -> None:
    spiff = SpiffP1()
    assert (
        spiff.run(2) == 2 * STEPS_PER_LIFECYCLE
    )  # raises unless each ended on the adopted path, in 'assigned'
    meeting = spiff.mid_meeting()
    assert spiff.roundtrip(meeting, check=True) > 1000
    clock = ManualClock(sc.START)
    psm = PsmP1(clock)
    machines = psm.add(2)
    assert (
        psm.run(machines, sc.plans(clock.now(), 2)) == 2 * sc.STEPS_PER_INSTANCE
    )  # asserts 'adopted'
    engine, clock = sc.memory_engine()
    assert (
        bench_lifecycle.lifecycles(engine, clock, 1)
        == bench_lifecycle.STEPS
        == STEPS_PER_LIFECYCLE + 1
    )


def test_the_command_saves_json_and_the_plot(tmp_path: Path) -> None:
    pytest.importorskip("matplotlib", reason="the plot needs the bench extra (matplotlib)")
    out, png = tmp_path / "results.json", tmp_path / "scaling.png"
    assert main(["--quick", "--only", "k", "--out", str(out), "--plot", str(png)]) == 0
    doc = json.loads(out.read_text(encoding="utf-8"))
    assert [f["key"] for f in doc["figures"]] == ["k1", "k2"] and doc["meta"]["mode"] == "quick"
    assert not png.exists()  # no curve in this run: nothing drawn
    from benchmarks.plot import draw

    h1, h2 = bench_scale.figure_h(TINY)
    drawn = draw({"meta": {}, "figures": [h1.to_dict(), h2.to_dict()]}, png)
    assert drawn == png and png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_the_stage_breakdown_names_every_stage_and_leaves_the_step_unwrapped(
    capsys: pytest.CaptureFixture[str],
) -> None:
    from benchmarks import stages
    from collegium.engine import step as st

    before = st.judge
    stages.main(["--instances", "1", "--reps", "1"])
    out = capsys.readouterr().out
    for _, name in stages.STAGES:
        assert f"  {name} " in out
    calls = int(out.rsplit("Python calls of one vote: ", 1)[1])
    assert 100 < calls < 5_000
    assert st.judge is before  # the timers are gone once it has measured

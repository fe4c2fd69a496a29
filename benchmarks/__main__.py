"""``python -m benchmarks [--quick] [--out PATH] [--only abcdef] [--profile a|b|e1|e3]``:
run, print, save."""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

from benchmarks import (
    bench_ballot,
    bench_console,
    bench_integrity,
    bench_lifecycle,
    bench_pg,
    bench_scale,
    bench_supervision,
    bench_year,
)
from benchmarks.bench_core import FIGURES, FULL, QUICK, Figure, Settings, meta, run

FIGURES["e"] = bench_ballot.figure_e  # ballots of a 3,000-member body and a 100,000-vote tally
FIGURES["f"] = bench_supervision.figure_f  # supervision: 100,000 open tasks, 10,000 open cases
FIGURES["g"] = bench_pg.figure_g  # persisted fire on PostgreSQL with 1, 2 and 4 worker processes
FIGURES["h"] = (
    bench_scale.figure_h
)  # flat fire latency and streaming memory from 1,000 to 1,000,000 instances
FIGURES["i"] = bench_lifecycle.figure_i  # the whole P1 lifecycle in memory against SpiffWorkflow
FIGURES["j"] = bench_lifecycle.figure_j  # the whole P1 lifecycle persisted on SQLite
FIGURES["k"] = bench_lifecycle.figure_k  # an instance snapshot against SpiffWorkflow's serializer
FIGURES["l"] = bench_integrity.figure_l  # secret votes, the tellers' count, the audit's cross-check
FIGURES["m"] = bench_year.figure_m  # a generated year on a SQLite file against the same in memory
FIGURES["n"] = bench_console.figure_n  # the console's list of instances at 100,000 instances

HEADERS = ("figure", "Collegium", "anchor/floor", "ratio", "target", "met?")


def _num(value: float | None, unit: str) -> str:
    if value is None:
        return "-"
    return f"{value:,.0f} {unit}" if value >= 100 else f"{value:,.1f} {unit}"


def rows(figures: list[Figure]) -> list[tuple[str, ...]]:
    out: list[tuple[str, ...]] = []
    for f in figures:
        unit = f.unit.split("/")[0]
        target = {"ratio": f"ratio ≤ {f.target:g}", "info": "(informational)"}.get(
            f.target_on,
            f"≤ {f.target:,.0f} {unit}" if f.target >= 10 else f"≤ {f.target:.2f} {unit}",
        )
        met = "n/a" if f.met is None else ("yes" if f.met else "NO")
        anchor = _num(f.anchor, unit) if f.anchor is not None else "-"
        ratio = "-" if f.ratio is None else f"{f.ratio:.3g}×"
        collegium = f"error: {f.error}" if f.error else _num(f.collegium, f.unit)
        out.append(
            (f"({f.key}) {f.name}", collegium, f"{anchor} ({f.anchor_name})", ratio, target, met)
        )
    return out


def table(figures: list[Figure]) -> str:
    body = rows(figures)
    widths = [max(len(r[i]) for r in (HEADERS, *body)) for i in range(len(HEADERS))]
    line = "  ".join("-" * w for w in widths)
    fmt = "  ".join(f"{{:<{w}}}" for w in widths)
    return "\n".join([fmt.format(*HEADERS), line, *(fmt.format(*r) for r in body)])


def profile(key: str, settings: Settings, top: int) -> None:
    """cProfile the Collegium side of figure (a) or (b) (the repetitions' fires, set-up excluded),
    or of (e1) (casting votes) or (e3) (engine.ballot on 100,000 votes)."""
    import cProfile
    import pstats
    import tempfile

    from benchmarks import bench_core as bc

    prof = cProfile.Profile()
    if key == "a":
        bench = bc.InMemoryFire(settings.memory_instances)
        bench.collegium()
        prof.runcall(lambda: [bench.collegium() for _ in range(settings.reps)])
    elif key == "b":
        with tempfile.TemporaryDirectory(prefix="collegium-bench-") as tmp:
            sql = bc.PersistedFire(Path(tmp), settings.sql_instances)
            try:
                sql.collegium()
                prof.runcall(lambda: [sql.collegium() for _ in range(settings.reps)])
            finally:
                sql.close()
    elif key in ("e", "e1", "e3"):
        key = "e1" if key == "e" else key
        with tempfile.TemporaryDirectory(prefix="collegium-bench-") as tmp:
            call, close = bench_ballot.profiled(key, bench_ballot.settings_for(settings), Path(tmp))
            try:
                prof.runcall(call)
            finally:
                close()
    else:
        raise SystemExit(f"--profile takes a, b, e1 or e3, not {key!r}")
    stats = pstats.Stats(prof, stream=sys.stdout).strip_dirs()
    setup = "" if key in ("e1", "e3") else " (includes untimed set-up fires)"
    print(f"\n== cProfile of figure ({key}), Collegium side{setup} ==")
    stats.sort_stats("tottime").print_stats(top)
    stats.sort_stats("cumulative").print_stats(top)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks", description=__doc__)
    parser.add_argument(
        "--quick", action="store_true", help="fewer iterations (well under a minute)"
    )
    parser.add_argument(
        "--out", type=Path, default=Path("benchmarks/results.json"), help="where to save JSON"
    )
    parser.add_argument(
        "--only", default="".join(FIGURES), help="which figures to run, e.g. 'ab' (default: all)"
    )
    parser.add_argument(
        "--profile", metavar="FIGURE", help="cProfile figure a, b, e1 or e3 instead of benchmarking"
    )
    parser.add_argument(
        "--top", type=int, default=25, help="rows of profile output (with --profile)"
    )
    parser.add_argument(
        "--plot", type=Path, default=Path("benchmarks/scaling.png"), help="where to draw the curves"
    )
    parser.add_argument("--no-plot", action="store_true", help="do not draw the scaling curves")
    args = parser.parse_args(argv)
    settings = QUICK if args.quick else FULL
    if args.profile:
        profile(args.profile, settings, args.top)
        return 0
    if set(args.only) - set(FIGURES):
        parser.error(f"--only takes letters from {''.join(FIGURES)!r}")
    started = time.perf_counter()
    print(f"Collegium benchmarks ({settings.mode} mode) …", file=sys.stderr)
    figures = run(settings, args.only, progress=lambda msg: print(f"  {msg}", file=sys.stderr))
    print(table(figures))
    for f in figures:
        if f.notes:
            print(f"  ({f.key}) {f.notes}")
    elapsed = time.perf_counter() - started
    doc = {
        "meta": {**meta(settings), "elapsed_s": round(elapsed, 1)},
        "figures": [f.to_dict() for f in figures],
    }
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(doc, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"saved {args.out} ({elapsed:.1f} s)")
    if not args.no_plot and "h" in args.only:
        try:
            from benchmarks.plot import draw

            png = draw(doc, args.plot)
            print(f"saved {png}" if png else "no scaling curve to plot")
        except ImportError:
            print("no plot: matplotlib is not installed (pip install -e '.[bench]')")
    return 1 if any(f.error for f in figures) else 0  # unmet targets are reported, not failures


if __name__ == "__main__":
    raise SystemExit(main())

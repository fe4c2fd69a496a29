"""The scaling curves of a benchmark run as a PNG (matplotlib, the ``bench`` extra):
``python -m benchmarks.plot [results.json] [out.png]``; ``python -m benchmarks`` draws it
after a run."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

DEFAULT_PNG = Path("benchmarks/scaling.png")


def _curve(doc: dict[str, Any], key: str) -> list[dict[str, Any]]:
    return next((f.get("curve") or [] for f in doc["figures"] if f["key"] == key), [])


def draw(doc: dict[str, Any], out: Path) -> Path | None:
    """Draw the (h) curves of ``doc`` (a results.json) into ``out``;
    ``None`` when the run has no curve."""
    points = _curve(doc, "h1")
    if not points:
        return None
    import matplotlib

    matplotlib.use("Agg")  # files only: no display
    import matplotlib.pyplot as plt

    sizes = [p["instances"] for p in points]
    fig, (left, right) = plt.subplots(1, 2, figsize=(11, 4), dpi=110)
    left.plot(sizes, [p["fire_us"] for p in points], "o-", label="fire, N instances stored")
    left.plot(
        sizes, [p["fire_us_small"] for p in points], "s--", label="fire, 1,000 stored (same run)"
    )
    left.set(
        xscale="log",
        xlabel="instances stored (SQLite file)",
        ylabel="µs per committed fire",
        title="Per-fire latency stays flat",
        ylim=(0, 1.25 * max(p["fire_us"] for p in points)),
    )
    left.legend(loc="lower right")
    right.plot(
        sizes,
        [p["stream_peak_kb"] / 1024 for p in points],
        "o-",
        color="tab:green",
        label="peak memory while streaming all (MB)",
    )
    right.set(
        xscale="log",
        xlabel="instances streamed by Engine.scan",
        ylabel="MB (tracemalloc peak)",
        title="Streaming memory stays flat",
        ylim=(0, 1.5 * max(p["stream_peak_kb"] for p in points) / 1024),
    )
    twin = right.twinx()
    twin.plot(
        sizes,
        [p["stream_us_per_instance"] for p in points],
        "^:",
        color="tab:purple",
        label="µs per instance streamed",
    )
    twin.set(
        ylabel="µs per instance", ylim=(0, 1.5 * max(p["stream_us_per_instance"] for p in points))
    )
    lines = right.get_legend_handles_labels()
    more = twin.get_legend_handles_labels()
    right.legend(lines[0] + more[0], lines[1] + more[1], loc="lower right")
    meta = doc.get("meta", {})
    fig.suptitle(
        f"Collegium {meta.get('mode', '')} benchmark run — Python {meta.get('python', '?')}, "
        f"SQLite {meta.get('sqlite', '?')}",
        fontsize=10,
    )
    fig.tight_layout()
    out.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(out)
    plt.close(fig)
    return out


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    src = Path(args[0]) if args else Path("benchmarks/results.json")
    out = Path(args[1]) if len(args) > 1 else DEFAULT_PNG
    try:
        doc = json.loads(src.read_text(encoding="utf-8"))
        drawn = draw(doc, out)
    except ImportError:
        print("matplotlib is not installed: pip install -e '.[bench]'", file=sys.stderr)
        return 1
    except (OSError, ValueError, KeyError) as exc:
        print(f"cannot plot {src}: {exc}", file=sys.stderr)
        return 1
    print(f"saved {drawn}" if drawn else f"{src} has no scaling curve (run figure h)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

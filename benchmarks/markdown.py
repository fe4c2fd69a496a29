"""``python -m benchmarks.markdown [RESULTS.json]``:
the README's Performance table from a saved run.

Reads what ``python -m benchmarks`` saved (``benchmarks/results.json`` unless named) and prints a
Markdown line saying when, how and on what the run was made, then one table row per figure: its
value, its anchor or floor, the ratio, the target and whether the run met it. Nothing is measured
here, so the README shows exactly the figures of one run.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

HEADER = "| figure | Collegium | anchor / floor | ratio | target |\n|---|---|---|---|---|"


def number(value: float | None, unit: str) -> str:
    """``value`` in ``unit`` to three significant figures, thousands separated."""
    if value is None:
        return "–"
    if value >= 1000:
        return f"{value:,.0f} {unit}"
    return f"{value:.3g} {unit}"


def target(fig: dict[str, Any]) -> str:
    """The figure's target and whether the run met it."""
    kind, bound, unit = fig["target_on"], fig["target"], fig["unit"].split("/")[0]
    if kind == "info":
        return "(informational)"
    limit = f"ratio ≤ {bound:g}" if kind == "ratio" else f"≤ {number(bound, unit)}"
    if fig.get("error"):
        return f"{limit} — **error**"
    return f"{limit} — met" if fig["met"] else f"{limit} — **not met**"


def row(fig: dict[str, Any]) -> str:
    """One table row of a saved figure."""
    unit = fig["unit"]
    mine = f"error: {fig['error']}" if fig.get("error") else number(fig["collegium"], unit)
    anchor = ""
    if fig["anchor"] is not None:
        anchor = f"{number(fig['anchor'], unit.split('/')[0])}: {fig['anchor_name']}"
    ratio = "" if fig["ratio"] is None else f"{fig['ratio']:.3g}×"
    cells = (f"({fig['key']}) {fig['name'].strip()}", mine, anchor, ratio, target(fig))
    return "| " + " | ".join(c.replace("|", "\\|") for c in cells) + " |"


def conditions(meta: dict[str, Any]) -> str:
    """How and where the run was made, as a sentence."""
    return (
        f"{meta['mode'].capitalize()} run of {meta['when'][:10]} ({meta['elapsed_s']:.0f} s): "
        f"Python {meta['python']}, SQLite {meta['sqlite']}, SQLAlchemy {meta['sqlalchemy']}, "
        f"transitions {meta['transitions']}, on {meta['platform']}."
    )


def render(doc: dict[str, Any]) -> str:
    """The conditions line and the table of a saved run."""
    lines = [conditions(doc["meta"]), "", HEADER, *(row(f) for f in doc["figures"])]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    path = Path(args[0] if args else "benchmarks/results.json")
    try:
        doc = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        print(f"cannot read {path}: {exc}", file=sys.stderr)
        return 2
    print(render(doc))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

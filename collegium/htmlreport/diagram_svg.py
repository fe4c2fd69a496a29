"""A procedure's diagram drawn as inline SVG by Collegium itself (no renderer, no script).

The states are laid out in layers, top to bottom, by their distance from the initial state (states
no transition reaches come last); within a layer they keep the procedure's order, then move toward
the middle of the states that lead to them. A transition to a later layer is a curve from the
bottom of its state to the top of the next; one back (or within a layer) bends out on the left;
one that stays in its state is a loop on the right. Each edge carries its trigger's label (cut
to fit; the whole label and its rules in a tooltip).

Classes a stylesheet (or a test) reads: ``node`` (``terminal``, ``visited``: the history passed it,
``current``: the instance is in it) and ``edge`` (``taken``: the history went along it), on the
state's group and rectangle and on the edge's group, path and label.
"""

from __future__ import annotations

from collections.abc import Callable, Collection
from dataclasses import dataclass

from collegium.htmlreport.records import Edge, Graph
from collegium.htmlreport.svgtext import cut, esc, fmt, wrap

__all__ = ["diagram_svg", "layers"]

W, H = 180, 44  # a state's box
COL, ROW = 360, 104  # the distance between states side by side, and between layers
LEFT, RIGHT, TOP = 190, 190, 50  # room for back edges on the left, loops' labels on the right


@dataclass(frozen=True, slots=True)
class _At:
    x: float  # the box's centre
    y: float


def layers(graph: Graph) -> list[list[str]]:
    """The states by layer: the initial state first, then by the fewest transitions that reach
    them; states no transition reaches in a last layer."""
    depth = {graph.initial: 0}
    frontier = [graph.initial]
    while frontier:
        nxt = []
        for state in frontier:
            for e in graph.edges:
                if e.source == state and e.dest not in depth:
                    depth[e.dest] = depth[state] + 1
                    nxt.append(e.dest)
        frontier = nxt
    last = max(depth.values()) + 1
    out: list[list[str]] = [[] for _ in range(last + 1)]
    for node in graph.nodes:
        out[depth.get(node.id, last)].append(node.id)
    rows = [row for row in out if row]
    for i in range(1, len(rows)):  # toward the middle of the states that lead to them
        rows[i] = sorted(rows[i], key=_pull(graph, rows[i - 1], rows[i]))
    return rows


def _pull(graph: Graph, before: list[str], row: list[str]) -> Callable[[str], tuple[float, int]]:
    """The sort key of a state of ``row``: the mean place of the states in the layer ``before`` that
    lead to it (the middle when none does), then its place in the procedure."""
    where = {s: n for n, s in enumerate(before)}
    width = max(len(before) - 1, 1)

    def key(state: str) -> tuple[float, int]:
        found = [where[e.source] for e in graph.edges if e.dest == state and e.source in where]
        return (round(sum(found) / len(found) / width, 3) if found else 0.5, row.index(state))

    return key


def _positions(rows: list[list[str]]) -> tuple[dict[str, _At], float, float]:
    widest = max(len(r) for r in rows)
    middle = LEFT + (widest * COL) / 2
    at = {
        state: _At(middle + (k - (len(row) - 1) / 2) * COL, TOP + i * ROW + H / 2)
        for i, row in enumerate(rows)
        for k, state in enumerate(row)
    }
    return at, LEFT + widest * COL + RIGHT, TOP + len(rows) * ROW


def diagram_svg(
    graph: Graph,
    *,
    current: str | None = None,
    taken: Collection[tuple[str, str, str]] = (),
    visited: Collection[str] = (),
    key: str = "d",
) -> str:
    """The diagram of ``graph`` as an ``<svg>`` element: ``current`` state, ``visited`` states and
    ``taken`` edges (source, trigger, destination) marked by class; ``key`` makes the ids of its
    arrowheads unique in a page that holds several diagrams."""
    rows = layers(graph)
    at, width, height = _positions(rows)
    depth = {s: i for i, row in enumerate(rows) for s in row}
    out = [
        f'<svg class="diagram" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {fmt(width)} '
        f'{fmt(height)}" width="{fmt(width)}" height="{fmt(height)}" role="img" '
        f'aria-label="{esc(graph.title)}">',
        "<defs>",
        *(
            f'<marker id="{key}-{kind}" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" '
            f'markerHeight="7" orient="auto-start-reverse"><path class="arrow {kind}" '
            f'd="M0,0 L10,5 L0,10 z"/></marker>'
            for kind in ("plain", "taken")
        ),
        "</defs>",
    ]
    start = at[graph.initial]
    out.append(
        f'<g class="start"><circle cx="{fmt(start.x)}" cy="{fmt(start.y - H / 2 - 30)}" r="6"/>'
        f'<path class="edge taken" d="M{fmt(start.x)},{fmt(start.y - H / 2 - 24)} '
        f'L{fmt(start.x)},{fmt(start.y - H / 2 - 2)}" marker-end="url(#{key}-taken)"/></g>'
    )
    loops: dict[str, int] = {}
    pairs: dict[tuple[str, str], int] = {}
    backs = 0
    for e in graph.edges:
        if e.source not in at or e.dest not in at:
            continue
        is_taken = (e.source, e.trigger, e.dest) in taken
        if e.source == e.dest:
            k = loops[e.source] = loops.get(e.source, -1) + 1
            path, lx, ly, anchor = _loop(at[e.source], k)
        elif depth[e.dest] > depth[e.source]:
            pair = (e.source, e.dest)
            k = pairs[pair] = pairs.get(pair, -1) + 1
            path, lx, ly, anchor = _forward(at[e.source], at[e.dest], k)
        elif depth[e.dest] == depth[e.source]:
            path, lx, ly, anchor = _across(at[e.source], at[e.dest])
        else:
            backs += 1
            path, lx, ly, anchor = _back(at[e.source], at[e.dest], backs)
        out.append(_edge(e, path, lx, ly, anchor, is_taken, key))
    for node in graph.nodes:
        p = at[node.id]
        classes = " ".join(
            ["node"]
            + (["terminal"] if node.terminal else [])
            + (["visited"] if node.id in visited else [])
            + (["current"] if node.id == current else [])
        )
        lines = wrap(node.label, 26)
        first = p.y + 4 - (len(lines) - 1) * 7
        text = "".join(
            f'<tspan x="{fmt(p.x)}" y="{fmt(first + n * 14)}">{esc(line)}</tspan>'
            for n, line in enumerate(lines)
        )
        out.append(
            f'<g class="{classes}" data-state="{esc(node.id)}"><title>{esc(node.label)} '
            f"({esc(node.id)})</title>"
            f'<rect class="{classes}" x="{fmt(p.x - W / 2)}" y="{fmt(p.y - H / 2)}" '
            f'width="{W}" height="{H}" rx="9"/>'
            + (
                f'<rect class="ring" x="{fmt(p.x - W / 2 + 3)}" y="{fmt(p.y - H / 2 + 3)}" '
                f'width="{W - 6}" height="{H - 6}" rx="7"/>'
                if node.terminal
                else ""
            )
            + f'<text class="label" text-anchor="middle">{text}</text></g>'
        )
    out.append("</svg>")
    return "".join(out)


def _loop(p: _At, k: int) -> tuple[str, float, float, str]:
    x0 = p.x + W / 2
    reach = 26 + k * 12
    path = (
        f"M{fmt(x0)},{fmt(p.y - 8)} C{fmt(x0 + reach)},{fmt(p.y - 22 - k * 5)} "
        f"{fmt(x0 + reach)},{fmt(p.y + 22 + k * 5)} {fmt(x0 + 1)},{fmt(p.y + 8)}"
    )
    return path, x0 + 64, p.y - 12 + k * 13, "start"


def _forward(a: _At, b: _At, k: int) -> tuple[str, float, float, str]:
    x0, y0, x1, y1 = a.x + k * 14, a.y + H / 2, b.x + k * 14, b.y - H / 2 - 1
    bend = k * 46
    cx, cy = (x0 + x1) / 2 + bend, (y0 + y1) / 2
    path = f"M{fmt(x0)},{fmt(y0)} Q{fmt(cx)},{fmt(cy)} {fmt(x1)},{fmt(y1)}"
    lx, ly = 0.25 * x0 + 0.5 * cx + 0.25 * x1, 0.25 * y0 + 0.5 * cy + 0.25 * y1
    return path, lx + 6, ly, "start"


def _across(a: _At, b: _At) -> tuple[str, float, float, str]:
    """An edge between two states of one layer: from the side of one that faces the other, bowed
    up a little, its label above it."""
    side = 1 if b.x > a.x else -1
    x0, x1 = a.x + side * W / 2, b.x - side * (W / 2 + 1)
    cx, cy = (x0 + x1) / 2, a.y - 30
    path = f"M{fmt(x0)},{fmt(a.y)} Q{fmt(cx)},{fmt(cy)} {fmt(x1)},{fmt(b.y)}"
    return path, cx, a.y - 19, "middle"


def _back(a: _At, b: _At, k: int) -> tuple[str, float, float, str]:
    x0, y0, x1, y1 = a.x - W / 2, a.y + 6, b.x - W / 2 - 1, b.y - 6
    out = 60 + (k % 5) * 16
    c1x, c2x = x0 - out, x1 - out
    path = f"M{fmt(x0)},{fmt(y0)} C{fmt(c1x)},{fmt(y0)} {fmt(c2x)},{fmt(y1)} {fmt(x1)},{fmt(y1)}"
    lx = 0.125 * x0 + 0.375 * c1x + 0.375 * c2x + 0.125 * x1
    ly = 0.5 * (y0 + y1)
    return path, lx - 4, ly, "end"


def _edge(e: Edge, path: str, lx: float, ly: float, anchor: str, taken: bool, key: str) -> str:
    classes = "edge taken" if taken else "edge"
    tip = e.label + (f" [{', '.join(e.rules)}]" if e.rules else "")
    marker = "taken" if taken else "plain"
    return (
        f'<g class="{classes}" data-trigger="{esc(e.trigger)}" data-source="{esc(e.source)}" '
        f'data-dest="{esc(e.dest)}"><title>{esc(tip)}</title>'
        f'<path class="{classes}" d="{path}" marker-end="url(#{key}-{marker})"/>'
        f'<text class="{classes.replace("edge", "edge-label")}" x="{fmt(lx)}" y="{fmt(ly)}" '
        f'text-anchor="{anchor}">{esc(cut(e.label, 26))}</text></g>'
    )

"""The report's charts as inline SVG: a ballot's totals as bars with its quorum and threshold drawn
as lines, and an instance's tasks on a time axis with their deadlines.

Classes a stylesheet (or a test) reads: ``ballot-chart`` with ``bar`` (and the option's name),
``present``, ``quorum`` and ``threshold`` lines; ``tasks-chart`` with ``task`` bars (``done``,
``open``, ``overdue``), ``deadline`` marks and the ``now`` line.
"""

from __future__ import annotations

import datetime as dt

from collegium._words import word, word_or
from collegium.htmlreport.records import BallotChart, Task
from collegium.htmlreport.svgtext import cut, esc, fmt

__all__ = ["ballot_svg", "moment", "tasks_svg"]


def moment(text: str, zone: dt.tzinfo | None) -> dt.datetime:
    """A stored time (ISO 8601) in ``zone`` (None: the machine's local zone)."""
    return dt.datetime.fromisoformat(text).astimezone(zone)


def ballot_svg(chart: BallotChart, lang: str) -> str:
    """``chart`` as bars: who was present, then each option's total; the quorum (presence needed)
    and the threshold (agree votes needed) as horizontal lines across them."""
    bars = [("present", word("present", lang), chart.present)] if chart.present is not None else []
    bars += [(o, word_or(f"option.{o}", lang, o), n) for o, n in chart.counts]
    top = max(
        [1, chart.n or 0, chart.quorum or 0, chart.threshold or 0, *(b[2] or 0 for b in bars)]
    )
    width, height, left, base, room = 120 + 74 * len(bars), 214, 36, 186, 150
    scale = room / top
    out = [
        f'<svg class="ballot-chart" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} '
        f'{height}" width="{width}" height="{height}" role="img" aria-label="{esc(chart.title)}">',
        f'<line class="axis" x1="{left}" y1="{base}" x2="{width - 10}" y2="{base}"/>',
    ]
    if chart.n is not None:
        y = base - chart.n * scale
        out.append(
            f'<line class="scale" x1="{left}" y1="{fmt(y)}" x2="{width - 96}" y2="{fmt(y)}"/>'
            f'<text class="tick" x="{left - 4}" y="{fmt(y + 4)}" text-anchor="end">{chart.n}'
            "</text>"
        )
    for k, (name, label, count) in enumerate(bars):
        x = left + 14 + k * 74
        h = (count or 0) * scale
        out.append(
            f'<g class="bar {esc(name)}" data-option="{esc(name)}" data-count="{count}">'
            f"<title>{esc(label)}: {count}</title>"
            f'<rect class="bar {esc(name)}" x="{x}" y="{fmt(base - h)}" width="50" '
            f'height="{fmt(h)}"/><text class="count" x="{x + 25}" y="{fmt(base - h - 5)}" '
            f'text-anchor="middle">{count}</text><text class="option" x="{x + 25}" '
            f'y="{base + 18}" text-anchor="middle">{esc(cut(label, 12))}</text></g>'
        )
    said_at = -100.0  # where the last line's words stand: the next one's go below if close
    for kind, value, said, tip in (
        (
            "quorum",
            chart.quorum,
            word("report.quorum_line", lang, needed=chart.quorum),
            chart.quorum_rule or "",
        ),
        (
            "threshold",
            chart.threshold,
            word("report.threshold_line", lang, needed=chart.threshold),
            "",
        ),
    ):
        if value is None:
            continue
        y = base - value * scale
        said_at = max(y + 4, said_at + 13)
        out.append(
            f'<g class="{kind}" data-value="{value}"><title>{esc(said)} {esc(tip)}</title>'
            f'<line class="{kind}" x1="{left}" y1="{fmt(y)}" x2="{width - 92}" y2="{fmt(y)}"/>'
            f'<text class="{kind}" x="{width - 88}" y="{fmt(said_at)}">{esc(said)}</text></g>'
        )
    out.append("</svg>")
    return "".join(out)


def tasks_svg(tasks: tuple[Task, ...], now: str, zone: dt.tzinfo | None, lang: str) -> str:
    """``tasks`` as bars on a time axis, from when each started to its last step (or to ``now``
    while it is open), its deadline marked; the report's time as a line."""
    at_now = moment(now, zone)
    times = [at_now]
    for t in tasks:
        times += [moment(x, zone) for x in (t.started, t.ended, t.deadline) if x]
    first, last = min(times), max(times)
    span = max((last - first).total_seconds(), 86400.0)
    left, right, row, top = 262, 30, 30, 34
    width = 960
    height = top + row * len(tasks) + 16
    room = width - left - right

    def x(at: dt.datetime) -> float:
        return left + (at - first).total_seconds() / span * room

    out = [
        f'<svg class="tasks-chart" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} '
        f'{height}" width="{width}" height="{height}" role="img" '
        f'aria-label="{esc(word("report.tasks", lang))}">',
        f'<line class="axis" x1="{left}" y1="{top - 8}" x2="{width - right}" y2="{top - 8}"/>',
    ]
    for k in range(6):
        tick = first + dt.timedelta(seconds=span * k / 5)
        out.append(
            f'<line class="grid" x1="{fmt(x(tick))}" y1="{top - 12}" x2="{fmt(x(tick))}" '
            f'y2="{height - 8}"/><text class="tick" x="{fmt(x(tick))}" y="{top - 16}" '
            f'text-anchor="middle">{tick:%Y-%m-%d}</text>'
        )
    for n, t in enumerate(tasks):
        y = top + n * row
        start = moment(t.started, zone)
        end = moment(t.ended, zone) if t.ended else at_now
        due = moment(t.deadline, zone) if t.deadline else None
        late = due is not None and due < end and not t.terminal
        kind = "done" if t.terminal else "overdue" if late else "open"
        name = f"{t.id} · {t.title}"
        tip = f"{name} — {t.procedure}: {t.state_label}"
        out.append(
            f'<g class="task {kind}" data-task="{esc(t.id)}"><title>{esc(tip)}</title>'
            f'<text class="task-name" x="{left - 8}" y="{y + 15}" text-anchor="end">'
            f"{esc(cut(name, 36))}</text>"
            f'<rect class="task {kind}" x="{fmt(x(start))}" y="{y + 4}" '
            f'width="{fmt(max(x(end) - x(start), 3))}" height="16" rx="3"/>'
            f'<text class="task-state" x="{fmt(x(start) + 4)}" y="{y + 16}">'
            f"{esc(cut(t.state_label, 24))}</text>"
        )
        if due is not None:
            said = f"{word('supervise.deadline', lang)} {due:%Y-%m-%d %H:%M}"
            dx = x(due)
            out.append(
                f'<path class="deadline" d="M{fmt(dx)},{y + 1} l6,11 l-6,11 l-6,-11 z">'
                f"<title>{esc(said)}</title></path>"
            )
        out.append("</g>")
    nx = x(at_now)
    out.append(
        f'<g class="now"><line class="now" x1="{fmt(nx)}" y1="{top - 8}" x2="{fmt(nx)}" '
        f'y2="{height - 8}"/><title>{esc(word("report.now", lang))} '
        f"{at_now:%Y-%m-%d %H:%M}</title></g></svg>"
    )
    return "".join(out)

"""A report's record drawn as one self-contained HTML page: its stylesheet inlined, its drawings
inline SVG, no script, no font, image or link to fetch, every text escaped. Times are shown to the
minute in the zone asked for, the offset said once."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

from collegium import __version__
from collegium._words import word
from collegium.htmlreport.charts import ballot_svg, moment, tasks_svg
from collegium.htmlreport.diagram_svg import diagram_svg
from collegium.htmlreport.records import InstanceReport, Refusal, ReportData
from collegium.htmlreport.style import CSS
from collegium.htmlreport.svgtext import esc

__all__ = ["render_report"]


def _offset(at: dt.datetime) -> str:
    span = at.utcoffset() or dt.timedelta()
    if not span:
        return "UTC"
    minutes = int(abs(span).total_seconds()) // 60
    return f"UTC{'-' if span < dt.timedelta() else '+'}{minutes // 60:02d}:{minutes % 60:02d}"


class _Clock:
    """Times as a person reads them: to the minute in ``zone``; a time whose offset differs from the
    page's (across a change of daylight saving time) carries its own."""

    def __init__(self, zone: dt.tzinfo | None, now: str) -> None:
        self.zone = zone
        self.offset = _offset(moment(now, zone))

    def __call__(self, text: str | None) -> str:
        if not text:
            return ""
        at = moment(text, self.zone)
        shown = at.strftime("%Y-%m-%d %H:%M")
        return shown if _offset(at) == self.offset else f"{shown} ({_offset(at)})"


def render_report(data: ReportData, tz: dt.tzinfo | None = dt.UTC) -> str:
    """The page of ``data``, its times in ``tz`` (None: the machine's local zone)."""
    lang = data.lang
    when = _Clock(tz, data.now)
    out = [
        "<!DOCTYPE html>",
        f'<html lang="{esc(lang)}"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        '<meta name="generator" content="Collegium">',
        f"<title>{esc(data.title)}</title><style>{CSS}</style></head><body>",
        f"<header><h1>{esc(data.title)}</h1>",
        f'<p class="meta">{esc(word("report.as_of", lang, at=when(data.now)))}; '
        f"{esc(word('times.in', lang, offset=when.offset))}</p>",
        _audit(data, lang),
    ]
    if len(data.instances) > 1:
        out.append(f"<nav><strong>{esc(word('report.contents', lang))}</strong><ol>")
        out += [
            f'<li><a href="#{esc(_anchor(i.id))}">{esc(i.title)}</a> '
            f'<span class="id">{esc(i.id)}</span> — {esc(i.state_label)}</li>'
            for i in data.instances
        ]
        out.append("</ol></nav>")
    out.append("</header>")
    for n, inst in enumerate(data.instances):
        out += _instance(inst, data, n, when, tz)
    out.append(
        f'<footer class="note"><p>{esc(word("report.footer", lang, version=__version__))}</p>'
        "</footer></body></html>"
    )
    return "\n".join(out) + "\n"


def _anchor(instance_id: str) -> str:
    return "i-" + "".join(c if c.isalnum() or c in "-_" else "_" for c in instance_id)


def _audit(data: ReportData, lang: str) -> str:
    a = data.audit
    said = (
        word("audit_ok", lang, instances=a.instances, events=a.events)
        if a.ok
        else word("audit_bad", lang, problem=a.problem or "")
    )
    return (
        f'<section class="audit {"ok" if a.ok else "bad"}" id="audit">'
        f"<strong>{esc(word('report.audit', lang))}:</strong> {esc(said)}</section>"
    )


def _instance(
    inst: InstanceReport, data: ReportData, n: int, when: _Clock, tz: dt.tzinfo | None
) -> Iterator[str]:
    lang = data.lang
    yield (
        f'<section class="instance" id="{esc(_anchor(inst.id))}" data-instance="{esc(inst.id)}">'
        f'<h2>{esc(inst.title)} <span class="id">{esc(inst.id)}</span></h2>'
        f'<p class="state">{esc(word("report.state_now", lang))}: '
        f'<span class="current-state" data-state="{esc(inst.state)}">{esc(inst.state_label)}'
        f"</span></p>"
    )
    yield f"<h3>{esc(word('report.diagram', lang))}</h3><figure>"
    visited = {s.dest for s in inst.steps} | {s.source for s in inst.steps if s.source}
    yield diagram_svg(
        inst.graph, current=inst.state, taken=inst.taken, visited=visited, key=f"d{n}"
    )
    yield f"<figcaption>{esc(word('report.legend', lang))}</figcaption></figure>"
    yield from _timeline(inst, lang, when)
    yield from _refusals(inst, data, when)
    yield f"<h3>{esc(word('report.ballots', lang))}</h3>"
    if not inst.ballots:
        yield f'<p class="note">{esc(word("report.no_ballot", lang))}</p>'
    else:
        yield '<div class="ballots">'
        for chart in inst.ballots:
            outcome = "ballot_passed" if chart.passed else "ballot_failed"
            yield (
                f'<div class="ballot" data-secret="{str(chart.secret).lower()}">'
                f"<h4>{esc(chart.title)} — <span "
                f'class="{"passed" if chart.passed else "failed"}">{esc(word(outcome, lang))}'
                f"</span></h4>{ballot_svg(chart, lang)}"
                f'<p class="note">{esc(_ballot_note(chart.n, chart.present, lang))}'
                + (f"; {esc(word('report.secret_totals', lang))}" if chart.secret else "")
                + (f"; {esc(word('closed_at', lang))} {esc(when(chart.closed_at))}")
                + "</p></div>"
            )
        yield "</div>"
    yield f"<h3>{esc(word('report.tasks', lang))}</h3>"
    if not inst.tasks:
        yield f'<p class="note">{esc(word("report.no_tasks", lang))}</p>'
    else:
        yield f"<figure>{tasks_svg(inst.tasks, data.now, tz, lang)}</figure>"
        yield from _table_head(
            "tasks", ("supervise.task", "procedure", "state", "start", "supervise.deadline"), lang
        )
        for t in inst.tasks:
            yield (
                f'<tr data-task="{esc(t.id)}"><td><span class="id">{esc(t.id)}</span> '
                f"{esc(t.title)}</td><td>{esc(t.procedure)}</td><td>{esc(t.state_label)}</td>"
                f"<td>{esc(when(t.started))}</td><td>{esc(when(t.deadline))}</td></tr>"
            )
        yield "</tbody></table>"
    yield "</section>"


def _ballot_note(n: int | None, present: int | None, lang: str) -> str:
    return f"{word('n', lang)}: {n if n is not None else '-'}; " + (
        f"{word('present', lang)}: {present if present is not None else '-'}"
    )


def _table_head(css: str, heads: tuple[str, ...], lang: str) -> Iterator[str]:
    """A table's opening, of class ``css``: its head, each column by its word, and its body's."""
    yield f'<table class="{css}"><thead><tr>'
    yield "".join(f"<th>{esc(word(h, lang))}</th>" for h in heads) + "</tr></thead><tbody>"


def _timeline(inst: InstanceReport, lang: str, when: _Clock) -> Iterator[str]:
    yield f"<h3>{esc(word('report.timeline', lang))}</h3>"
    yield from _table_head("timeline", ("seq", "at", "trigger", "actor", "from", "to"), lang)
    for s in inst.steps:
        yield (
            f'<tr class="step" data-seq="{s.seq}" data-trigger="{esc(s.trigger)}" '
            f'data-source="{esc(s.source or "")}" data-dest="{esc(s.dest)}">'
            f'<td class="seq">{s.seq}</td><td class="at">{esc(when(s.at))}</td>'
            f'<td>{esc(s.trigger_label)} <span class="trigger-id">{esc(s.trigger)}</span></td>'
            f"<td>{esc(s.actor)}</td><td>{esc(s.source_label or '')}</td>"
            f"<td>{esc(s.dest_label)}</td></tr>"
        )
    yield "</tbody></table>"


def _refusals(inst: InstanceReport, data: ReportData, when: _Clock) -> Iterator[str]:
    lang = data.lang
    yield f"<h3>{esc(word('report.refusals', lang))}</h3>"
    if not data.refusals_known:
        said = word("report.refusals_not_stored", lang)
        yield f'<p class="note refusals-unknown">{esc(said)}</p>'
        return
    if not inst.refusals:
        yield f'<p class="note">{esc(word("report.no_refusals", lang))}</p>'
        return
    for r in inst.refusals:
        yield _refusal(r, lang, when)


def _refusal(r: Refusal, lang: str, when: _Clock) -> str:
    rules = "".join(
        f'<li data-rule="{esc(x.rule)}"><span class="rule">{esc(x.rule)}</span> '
        f'{esc(x.title)} — <span class="message">{esc(x.message)}</span> '
        f'<span class="citation">[{esc(x.citation)}]</span></li>'
        for x in r.rules
    )
    said = word("refused_by", lang, count=len(r.rules))
    return (
        f'<div class="refusal" data-trigger="{esc(r.trigger or "")}">'
        f'<p><span class="at">{esc(when(r.at))}</span> · {esc(r.actor)} · '
        f"<strong>{esc(r.trigger or '')}</strong>: {esc(said)}</p><ul>{rules}</ul></div>"
    )

"""Meeting minutes as a person reads them: Markdown (:func:`minutes_markdown`) or one
self-contained, printable HTML page (:func:`minutes_html`), in the minutes' language.

Both are rendered from one layout of the record (headings, labelled fields, lists, notes), so
the two say the same. Times are shown to the minute in ``zone`` (None: the machine's local zone),
the offset said once under the heading; a time whose offset differs (across a change of daylight
saving time) carries its own. The HTML page loads nothing: its style is inline, it has no script,
and every text in it is escaped.
"""

from __future__ import annotations

import datetime as dt
import html
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from collegium._words import word
from collegium.meetingrecord.records import Figure, Matter, Minutes, Person, Tally

__all__ = ["minutes_html", "minutes_markdown"]


# -- the layout ------------------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class _Heading:
    level: int
    text: str


@dataclass(frozen=True, slots=True)
class _Fields:
    """Labelled values, one a line."""

    rows: tuple[tuple[str, str], ...]


@dataclass(frozen=True, slots=True)
class _List:
    lines: tuple[str, ...]
    ordered: bool = False


@dataclass(frozen=True, slots=True)
class _Note:
    text: str


_Block = _Heading | _Fields | _List | _Note


class _Times:
    """Times in ``zone`` to the minute; the offset of the meeting's opening said once."""

    def __init__(self, zone: dt.tzinfo | None, first: dt.datetime) -> None:
        self.zone = zone
        self.offset = self._offset(first.astimezone(zone))

    @staticmethod
    def _offset(at: dt.datetime) -> str:
        span = at.utcoffset() or dt.timedelta()
        if not span:
            return "UTC"
        minutes = int(abs(span).total_seconds()) // 60
        sign = "-" if span < dt.timedelta() else "+"
        return f"UTC{sign}{minutes // 60:02d}:{minutes % 60:02d}"

    def __call__(self, value: dt.datetime | None) -> str:
        if value is None:
            return ""
        at = value.astimezone(self.zone)
        text = at.strftime("%Y-%m-%d %H:%M")
        offset = self._offset(at)
        return text if offset == self.offset else f"{text} ({offset})"


def _layout(m: Minutes, zone: dt.tzinfo | None) -> Iterator[_Block]:
    lang = m.lang
    when = _Times(zone, m.opened_at)

    def w(key: str, **params: object) -> str:
        return word(key, lang, **params)

    yield _Heading(1, w("minutes.of", title=m.title or m.id))
    head = [
        (w("minutes.body"), _with(m.body_title, m.body, lang) if m.body_title else m.body),
        (w("minutes.meeting"), m.id),
    ]
    if m.taken_up_at:
        head.append((w("minutes.taken_up_at"), m.taken_up_at))
    if m.scheduled_at is not None:
        head.append((w("minutes.scheduled"), when(m.scheduled_at)))
    head.append((w("minutes.opened"), when(m.opened_at)))
    head.append((w("minutes.closed"), when(m.closed_at) or w("minutes.not_closed")))
    if m.chair is not None:
        head.append((w("minutes.chair"), _person(m.chair, lang)))
    yield _Fields(tuple(head))
    yield _Note(w("minutes.times", offset=when.offset))
    yield _Heading(2, w("minutes.attendance"))
    seen = m.attendance
    rows = [(w("minutes.present", count=len(seen.present)), _people(seen.present, lang))]
    rows.append(
        (
            w("minutes.absent", count=len(seen.absent)),
            _sep(lang).join(
                w("minutes.reason", who=_person(a.person, lang), reason=a.reason)
                if a.reason
                else _person(a.person, lang)
                for a in seen.absent
            )
            or w("minutes.none"),
        )
    )
    if seen.recused:
        rows.append((w("minutes.recused", count=len(seen.recused)), _people(seen.recused, lang)))
    rows.append((w("minutes.attendees", count=len(seen.attendees)), _people(seen.attendees, lang)))
    yield _Fields(tuple(rows))
    if m.changes:
        yield _Heading(3, w("minutes.changes"))
        yield _List(
            tuple(
                f"{when(c.at)} "
                + (w("minutes.reason", who=change, reason=c.reason) if c.reason else change)
                for c in m.changes
                for change in [w(f"minutes.change.{c.status}", person=_person(c.person, lang))]
            )
        )
    if m.sitting:
        yield _Heading(2, w("minutes.agenda"))
        yield _List(
            tuple(
                w(
                    "minutes.agenda_item",
                    matter=_with(matter.title or matter.id, matter.id, lang),
                    outcome=matter.decision or w("minutes.undecided")
                    if matter.opened_at is not None
                    else w("minutes.not_taken_up", state=matter.state),
                )
                for matter in m.matters
            ),
            ordered=True,
        )
    for number, matter in enumerate(m.matters, 1):
        if matter.opened_at is not None:
            yield from _matter(matter, number, lang, when)
    yield _Note(w("minutes.drafted", id=m.id))


def _person(p: Person, lang: str) -> str:
    """``m1 (standing member)``, ``Zhang Wei (m1, standing member)``; a seat that does not vote
    says so; someone who holds no seat is their id (or name and id) alone."""
    zh = lang == "zh-CN"
    about = [p.role] if p.role else []
    if p.role and not p.voting:
        about.append(word("minutes.no_vote", lang))
    if p.name:
        about.insert(0, p.id)
    if not about:
        return p.id
    return _with(p.name or p.id, ("，" if zh else ", ").join(about), lang)


def _with(text: str, aside: str, lang: str) -> str:
    """``text (aside)``, in Chinese with full-width brackets."""
    return f"{text}（{aside}）" if lang == "zh-CN" else f"{text} ({aside})"


def _people(people: Iterable[Person], lang: str) -> str:
    return _sep(lang).join(_person(p, lang) for p in people) or word("minutes.none", lang)


def _sep(lang: str) -> str:
    """Between the items of a list in a line."""
    return "；" if lang == "zh-CN" else "; "


def _colon(lang: str) -> str:
    return "：" if lang == "zh-CN" else ": "


def _matter(matter: Matter, number: int, lang: str, when: _Times) -> Iterator[_Block]:
    def w(key: str, **params: object) -> str:
        return word(key, lang, **params)

    yield _Heading(2, w("minutes.matter", number=number, title=matter.title or matter.id))
    rows = [(w("minutes.procedure"), _with(matter.procedure, matter.id, lang))]
    rows.append((w("minutes.taken_up"), when(matter.opened_at)))
    if matter.recused:
        recused = _people(matter.recused, lang)
        rows.append((w("minutes.recused", count=len(matter.recused)), recused))
    yield _Fields(tuple(rows))
    yield _Heading(3, w("minutes.views"))
    if matter.views:
        yield _List(
            tuple(f"{_person(v.person, lang)}{_colon(lang)}{v.label}" for v in matter.views), True
        )
    else:
        yield _Note(w("minutes.no_views"))
    yield _Heading(3, w("minutes.vote"))
    if matter.tally is None:
        yield _Note(w("minutes.no_ballot"))
    else:
        yield from _tally(matter.tally, lang)
    yield _Heading(3, w("minutes.decision"))
    rows = [(w("minutes.decision"), matter.decision or w("minutes.undecided"))]
    if matter.lead is not None:
        rows.append((w("minutes.lead"), _person(matter.lead, lang)))
    yield _Fields(tuple(rows))
    if matter.tasks:
        yield _Heading(4, w("minutes.tasks"))
        yield _List(
            tuple(
                w(
                    "minutes.task",
                    title=t.title or t.id,
                    id=t.id,
                    lead=_person(t.lead, lang) if t.lead else w("minutes.none"),
                    deadline=when(t.deadline) or w("minutes.none"),
                    state=t.state,
                )
                for t in matter.tasks
            )
        )


def _figure(f: Figure | None, lang: str) -> str:
    if f is None:
        return ""
    verdict = word("minutes.met" if f.passed else "minutes.not_met", lang)
    return word(
        "minutes.figure",
        lang,
        count=f.count,
        base=f.base,
        op=f.op,
        ratio=f.ratio,
        needed=f.needed,
        rule=f.rule,
        verdict=verdict,
    )


def _tally(t: Tally, lang: str) -> Iterator[_Block]:
    def w(key: str, **params: object) -> str:
        return word(key, lang, **params)

    def outcome(passed: bool | None) -> str:
        return w("ballot_passed" if passed else "ballot_failed")

    rows = [(w("minutes.method"), t.method_label)]
    if t.secret and t.tellers:
        rows.append((w("minutes.tellers"), _people(t.tellers, lang)))
    if t.passed is None:
        rows.append((w("minutes.result"), w("minutes.lapsed" if t.lapsed else "minutes.open")))
        yield _Fields(tuple(rows))
        return
    sep = "，" if lang == "zh-CN" else ", "  # between the counts
    if t.counts:
        counts = sep.join(w("minutes.count", label=c.label, votes=c.votes) for c in t.counts)
        rows.append((w("minutes.counts"), counts))
    rows.append((w("minutes.at_vote"), w("minutes.n_present", n=t.n, present=t.present)))
    if t.returned is not None:
        rows.append((w("minutes.returned"), str(t.returned)))
    rows += [(w("minutes.quorum"), _figure(f, lang)) for f in t.quorum]
    if t.threshold is not None:
        rows.append((w("minutes.threshold"), _figure(t.threshold, lang)))
    rows.append((w("minutes.result"), outcome(t.passed)))
    if t.dissent:
        rows.append(
            (
                w("minutes.dissenting"),
                _sep(lang).join(
                    f"{d.label}{_colon(lang)}{_people(d.people, lang)}" for d in t.dissent
                ),
            )
        )
    yield _Fields(tuple(rows))
    for item in t.items:
        yield _Heading(4, w("minutes.item", item=item.item))
        counts = sep.join(w("minutes.count", label=c.label, votes=c.votes) for c in item.counts)
        rows = [(w("minutes.counts"), counts)]
        if item.threshold is not None:
            rows.append((w("minutes.threshold"), _figure(item.threshold, lang)))
        rows.append((w("minutes.result"), outcome(item.passed)))
        if item.dissent:
            rows.append((w("minutes.dissenting"), _people(item.dissent, lang)))
        yield _Fields(tuple(rows))
    if t.secret:
        yield _Note(w("minutes.secret"))


# -- Markdown --------------------------------------------------------------------------------------
_MARKDOWN_SPECIAL = re.compile(r"([\\`*_\[\]<|])")


def _md(text: str) -> str:
    """``text`` with the characters Markdown would read as markup escaped, on one line."""
    return _MARKDOWN_SPECIAL.sub(r"\\\1", " ".join(text.split()))


def minutes_markdown(m: Minutes, zone: dt.tzinfo | None = None) -> str:
    """The minutes as Markdown, in their language, times in ``zone`` (None: the machine's local
    zone)."""
    colon = _colon(m.lang)
    out: list[str] = []
    for block in _layout(m, zone):
        if isinstance(block, _Heading):
            out.append(f"{'#' * block.level} {_md(block.text)}")
        elif isinstance(block, _Fields):
            out.append("\n".join(f"- **{_md(k)}**{colon}{_md(v)}" for k, v in block.rows))
        elif isinstance(block, _List):
            out.append(
                "\n".join(
                    f"{f'{i}.' if block.ordered else '-'} {_md(line)}"
                    for i, line in enumerate(block.lines, 1)
                )
            )
        else:
            out.append(f"*{_md(block.text)}*")
    return "\n\n".join(out) + "\n"


# -- HTML ------------------------------------------------------------------------------------------
#: the page's style: the system's fonts (Chinese ones named), nothing loaded; A4 when printed
STYLE = """
body { font-family: "Noto Serif CJK SC", "Source Han Serif SC", "Songti SC", SimSun,
  "Noto Sans CJK SC", "PingFang SC", "Microsoft YaHei", Georgia, serif;
  color: #111; background: #fff; margin: 0; line-height: 1.5; }
main { max-width: 52rem; margin: 2rem auto; padding: 0 1.5rem; }
h1 { font-size: 1.6rem; text-align: center; border-bottom: 2px solid #111; padding-bottom: .4rem; }
h2 { font-size: 1.25rem; border-bottom: 1px solid #999; margin-top: 2rem; }
h3 { font-size: 1.05rem; margin-bottom: .3rem; }
h4 { font-size: 1rem; font-style: italic; margin-bottom: .2rem; }
table.fields { border-collapse: collapse; width: 100%; }
table.fields th { text-align: left; vertical-align: top; white-space: nowrap; width: 12rem;
  padding: .15rem .8rem .15rem 0; font-weight: 600; }
table.fields td { padding: .15rem 0; }
p.note { color: #444; font-style: italic; }
@page { size: A4; margin: 2cm; }
@media print {
  body { font-size: 11pt; }
  main { margin: 0; max-width: none; padding: 0; }
  h2, h3, h4 { break-after: avoid; }
  table.fields, li { break-inside: avoid; }
}
"""


def _h(text: str) -> str:
    return html.escape(text, quote=True)


def minutes_html(m: Minutes, zone: dt.tzinfo | None = None) -> str:
    """The minutes as one self-contained HTML page (inline style, no script, nothing loaded from
    elsewhere; printable), in their language, times in ``zone`` (None: the machine's local
    zone)."""
    blocks = list(_layout(m, zone))
    title = next((b.text for b in blocks if isinstance(b, _Heading)), m.id)
    parts: list[str] = []
    for block in blocks:
        if isinstance(block, _Heading):
            parts.append(f"<h{block.level}>{_h(block.text)}</h{block.level}>")
        elif isinstance(block, _Fields):
            rows = "".join(f"<tr><th>{_h(k)}</th><td>{_h(v)}</td></tr>" for k, v in block.rows)
            parts.append(f'<table class="fields">{rows}</table>')
        elif isinstance(block, _List):
            tag = "ol" if block.ordered else "ul"
            items = "".join(f"<li>{_h(line)}</li>" for line in block.lines)
            parts.append(f"<{tag}>{items}</{tag}>")
        else:
            parts.append(f'<p class="note">{_h(block.text)}</p>')
    body = "\n".join(parts)
    return (
        "<!DOCTYPE html>\n"
        f'<html lang="{_h(m.lang)}">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{_h(title)}</title>\n<style>{STYLE}</style>\n</head>\n"
        f"<body>\n<main>\n{body}\n</main>\n</body>\n</html>\n"
    )

"""Human output of the command line: rich tables and panels, every label in the language asked for,
and the one way a time is shown to a person (:class:`Times`).

Imported only inside the commands of :mod:`collegium.commands`, so that ``collegium --help``
never loads rich. The words themselves are in :mod:`collegium._words`; a fact's nested values are
drawn by :mod:`collegium.commands.values`.
"""

from __future__ import annotations

import datetime as dt
import functools
import json
import re
import sys
from collections.abc import Collection, Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

from collegium._words import word

if TYPE_CHECKING:  # rich is imported where it is used: `collegium simulate` needs only the words
    from rich.console import Console
    from rich.panel import Panel
    from rich.table import Table
    from rich.text import Text as RichText

    from collegium import RuleResult, Verdict


def console(*, stderr: bool = False) -> Console:
    """A console on the current stdout/stderr; wide when not a terminal, so nothing is cut off."""
    kind = _console_class()
    file = sys.stderr if stderr else sys.stdout
    con = kind(file=file, highlight=False, soft_wrap=False)
    if not con.is_terminal:
        con = kind(file=file, highlight=False, width=120, color_system=None)
    return con


@functools.cache
def _console_class() -> type[Console]:
    from rich.console import Console

    class _Console(Console):
        """rich's console, leaving a closed pipe to the command line's handling (exit 141, no
        message) rather than exiting 1 itself, and never cropping a line: a table too wide for the
        terminal, to keep its ids and times whole, is printed whole (the terminal wraps it)."""

        def on_broken_pipe(self) -> None:
            raise BrokenPipeError

        def print(self, *objects: Any, **options: Any) -> None:
            options.setdefault("crop", False)
            super().print(*objects, **options)

    return _Console


def dump_json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, indent=2, sort_keys=False, default=_default)


def _default(value: Any) -> Any:
    if hasattr(value, "isoformat"):
        return value.isoformat()
    if isinstance(value, set | frozenset | tuple):
        return list(value)
    if hasattr(value, "model_dump"):
        return value.model_dump(mode="json", by_alias=True)
    return str(value)


def plain(value: Any) -> str:
    """A fact value as one short line of text."""
    if isinstance(value, str):
        return value
    return json.dumps(value, ensure_ascii=False, sort_keys=True, default=_default)


def named(label: str | None, ident: str) -> str:
    """A thing by its label and its id, ``Adopted (adopted)``; once when they are the same text
    (``agree``), or when it has no label."""
    return f"{label} ({ident})" if label and label != ident else ident


# -- times -----------------------------------------------------------------------------------------
#: a time as the engine stores and takes it: ISO 8601 with a zone (``2026-03-10T01:00:00.000000Z``)
_STAMP = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d(?::\d\d(?:\.\d{1,6})?)?(?:Z|[+-]\d\d:\d\d)")


class Times:
    """The one way a time reaches a person: to the minute, ``2026-03-10 09:00``, in ``zone`` (None:
    the machine's local zone), the offset said once by whoever shows the times, in a column's
    header or a caption (:attr:`offset` is the first time's); a time whose offset differs from it
    (across a change of daylight saving time) carries its own, ``2026-10-25 09:00 (UTC+01:00)``."""

    def __init__(self, zone: dt.tzinfo | None) -> None:
        self.zone = zone
        #: the offset the times shown so far share (the first one's): ``UTC+08:00``, ``UTC``
        self.offset: str | None = None

    def again(self) -> Times:
        """The same zone, no offset said yet (for another column)."""
        return Times(self.zone)

    def moment(self, value: Any) -> dt.datetime | None:
        """``value`` in the zone, when it is a time (a datetime with a zone, or its ISO 8601 text);
        else None."""
        if isinstance(value, str) and _STAMP.fullmatch(value.strip()):
            value = dt.datetime.fromisoformat(value.strip())
        if not isinstance(value, dt.datetime) or value.tzinfo is None:
            return None
        return value.astimezone(self.zone)  # no zone: the machine's own, from the time itself

    def cell(self, value: Any) -> str | None:
        """``value`` as a time in a table or list that says the offset once; None when it is not
        a time."""
        at = self.moment(value)
        if at is None:
            return None
        offset = _offset(at)
        if self.offset is None:
            self.offset = offset
        text = at.strftime("%Y-%m-%d %H:%M")
        return text if offset == self.offset else f"{text} ({offset})"

    def line(self, value: Any) -> str:
        """``value`` alone in a line or a panel, its offset with it: ``2026-03-10 09:00
        (UTC+08:00)``; anything but a time as it is."""
        at = self.moment(value)
        if at is None:
            return "" if value is None else str(value)
        return f"{at.strftime('%Y-%m-%d %H:%M')} ({_offset(at)})"

    def caption(self, lang: str) -> str | None:
        """``times in UTC+08:00``, once a time was shown."""
        return word("times.in", lang, offset=self.offset) if self.offset else None


def times(default: dt.tzinfo | None = None) -> Times:
    """The times of this command: in ``--tz``'s zone when given, else in ``default`` (a scenario's
    own), else in the machine's local zone."""
    from collegium.commands.common import display_zone

    return Times(display_zone(default))


def _offset(at: dt.datetime) -> str:
    span = at.utcoffset() or dt.timedelta()
    if not span:
        return "UTC"
    minutes = int(abs(span).total_seconds()) // 60
    return f"UTC{'-' if span < dt.timedelta() else '+'}{minutes // 60:02d}:{minutes % 60:02d}"


# -- tables ----------------------------------------------------------------------------------------
def table(
    title: str | None,
    headers: Sequence[str],
    rows: Iterable[Sequence[Any]],
    *,
    whole: Collection[int] = (),
    times_in: Collection[int] = (),
    caption: str | None = None,
) -> Table:
    """A table of ``rows``. The columns ``whole`` (ids) and ``times_in`` (times, shown as
    :class:`Times` shows them, the offset in the header) are never folded nor cut; a cell may be
    text, a number or a rich renderable (a table in a cell)."""
    from rich.text import Text as RichText

    faces = {i: times() for i in times_in}
    body = [
        [
            c
            if hasattr(c, "__rich_console__")
            else RichText(_text(c, faces[i]) if i in faces else plain(c) if c is not None else "")
            for i, c in enumerate(row)
        ]
        for row in rows
    ]
    t = _table_class()(
        title=title,
        title_justify="left",
        caption=caption,
        caption_justify="left",
        show_lines=False,
        show_header=any(headers),
    )
    for i, h in enumerate(headers):
        offset = faces[i].offset if i in faces else None
        keep = i in whole or i in faces
        t.add_column(
            f"{h} ({offset})" if offset else h,
            no_wrap=keep,
            overflow="fold",
            min_width=_widest_time(row[i] for row in body if i < len(row)),
        )
    for cells in body:
        t.add_row(*cells)
    return t


def grid(rows: Iterable[Sequence[Any]]) -> Table:
    """Rows without borders or header: ``key: value`` lines, a key's nested value beside it; the
    first column (the keys) kept whole."""
    rows = [list(row) for row in rows]
    found = _table_class().grid(padding=(0, 1))
    for i in range(max((len(row) for row in rows), default=1)):
        found.add_column(
            no_wrap=i == 0 and len(rows[0]) > 1,
            overflow="fold",
            min_width=_widest_time(row[i] for row in rows if i < len(row)),
        )
    for row in rows:
        found.add_row(*row)
    return found


#: a time as :class:`Times` shows it, which a cell keeps on one line
_SHOWN = re.compile(r"\d{4}-\d\d-\d\d \d\d:\d\d(?: \(UTC(?:[+-]\d\d:\d\d)?\))?")


def _widest_time(cells: Iterable[Any]) -> int | None:
    """The width of the widest cell that is a time (None: no cell is), so that its column is never
    narrower and the time never broken."""
    widths = [
        len(text)
        for cell in cells
        for text in [cell if isinstance(cell, str) else getattr(cell, "plain", None)]
        if isinstance(text, str) and _SHOWN.fullmatch(text)
    ]
    return max(widths, default=None)


def _text(value: Any, face: Times) -> str:
    shown = face.cell(value)
    return shown if shown is not None else "" if value is None else plain(value)


def listing(con: Console, found: Table, empty: str) -> None:
    """Print a listing's table, or, when it found nothing, the sentence ``empty`` (``no
    instances``)."""
    if found.row_count:
        con.print(found)
    else:
        con.print(empty, markup=False, highlight=False)


@functools.cache
def _table_class() -> type[Table]:
    from rich.measure import Measurement
    from rich.table import Table

    class _Table(Table):
        """rich's table, whose columns kept whole (``no_wrap``: ids, times) are never folded nor
        cut: when the console is narrower than they and the least the other columns need, the
        table is drawn as wide as it needs, and the terminal wraps its lines."""

        def _needs(self, con: Console, options: Any) -> list[int]:
            """What each column needs at least: all of a whole one, the longest word (or nested
            table) of another."""
            wide = options.update_width(10_000)
            return [
                found.maximum if column.no_wrap else found.minimum
                for column in self.columns
                for found in [self._measure_column(con, wide, column)]
            ]

        def _least(self, con: Console, options: Any) -> int:
            return self._extra_width + sum(self._needs(con, options))

        def _calculate_column_widths(self, con: Console, options: Any) -> list[int]:
            """rich's widths, then any column left narrower than it needs given width from those
            with room to spare (rich narrows the widest columns first, whatever they hold)."""
            widths = super()._calculate_column_widths(con, options)
            needs = self._needs(con, options)
            for i, need in enumerate(needs):
                while widths[i] < need:
                    spare = max(range(len(widths)), key=lambda j: widths[j] - needs[j])
                    if widths[spare] <= needs[spare]:
                        break
                    give = min(need - widths[i], widths[spare] - needs[spare])
                    widths[spare] -= give
                    widths[i] += give
            return widths

        def __rich_console__(self, con: Console, options: Any) -> Any:
            least = self._least(con, options)
            if least > options.max_width:
                options = options.update_width(least)
            yield from super().__rich_console__(con, options)

        def __rich_measure__(self, con: Console, options: Any) -> Measurement:
            found = super().__rich_measure__(con, options)
            least = self._least(con, options)
            return Measurement(max(found.minimum, least), max(found.maximum, least))

    return _Table


def panel(body: str, title: str | None = None) -> Panel:
    """``body`` in a box, ``title`` (an id, a time) on its top edge, never cut: the box is as wide
    as the title needs, and wider than a narrow terminal if it must."""
    from rich.cells import cell_len
    from rich.measure import Measurement
    from rich.panel import Panel
    from rich.text import Text as RichText

    least = cell_len(title) + 6 if title else 0  # the corners, the rules and the spaces beside it

    class _Panel(Panel):
        def __rich_console__(self, con: Console, options: Any) -> Any:
            if least > options.max_width:
                options = options.update_width(least)
            if Measurement.get(con, options, self.renderable).maximum + 4 < least:
                self.width = least
            yield from super().__rich_console__(con, options)

    return _Panel(RichText(body), title=title, title_align="left", expand=False)


def _status(passed: bool, severity: str, applicable: bool, lang: str) -> RichText:
    from rich.text import Text as RichText

    if not applicable:
        return RichText(word("n/a", lang), style="dim")
    if severity == "branch":
        return RichText(word("branch", lang) + (" ✓" if passed else " ✗"), style="cyan")
    if passed:
        return RichText(word("passed", lang), style="green")
    if severity == "warn":
        return RichText(word("warning", lang), style="yellow")
    return RichText(word("failed", lang), style="bold red")


def rule_table(title: str | None, results: Iterable[Mapping[str, Any]], lang: str) -> Table:
    """A verdict table from rule results in their document form (``RuleResult.to_dict``)."""
    return table(
        title,
        [
            word("rule", lang),
            word("result", lang),
            word("title", lang),
            word("message", lang),
            word("citation", lang),
        ],
        (
            [
                r["rule"],
                _status(r["passed"], r["severity"], r["applicable"], lang),
                r["title"],
                r["message"],
                r["citation"],
            ]
            for r in results
        ),
        whole=(0,),
    )


def verdict_table(verdict: Verdict, lang: str, title: str | None = None) -> Table:
    """The verdict table of ``verdict``, as :func:`rule_table` draws it."""
    return rule_table(title, (r.to_dict(lang) for r in verdict.results), lang)


def failure_lines(failures: Iterable[RuleResult], lang: str) -> list[str]:
    """One line per failed rule: id, message in ``lang`` and citation."""
    return [
        f"  {r.rule_id}: {r.message(lang)} ({word('citation', lang)}: {r.cited(lang)})"
        for r in failures
    ]

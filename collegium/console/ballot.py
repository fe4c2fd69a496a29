"""An instance's ballot as the console shows it (``Engine.ballot``): its method and state, each
voter's choice on a named ballot only, the totals as a bar chart with the votes needed
to pass and the quorum drawn as lines. A secret ballot shows totals only, and only once it is
closed: the engine hides them before, and never keeps who chose what.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from collegium._words import word, word_or
from collegium.errors import NotFound

if TYPE_CHECKING:
    from collegium import Ballot, Engine
    from collegium.console.values import TimeFace

__all__ = ["BallotView", "Chart", "ballot_view"]

#: the chart's drawing width for its bars, in SVG units
WIDTH = 320


@dataclass(frozen=True, slots=True, kw_only=True)
class Bar:
    """One row of the chart: a label, a number, and the bar's length in SVG units."""

    label: str
    count: int
    length: float
    css: str


@dataclass(frozen=True, slots=True, kw_only=True)
class Mark:
    """A line across the chart at ``x``: the votes needed to pass, or the quorum."""

    x: float
    label: str
    css: str


@dataclass(frozen=True, slots=True, kw_only=True)
class Chart:
    """A bar chart of one tally: ``item`` (a list voted item by item) or None, its bars, its lines
    and the outcome's words."""

    item: str | None
    bars: tuple[Bar, ...]
    marks: tuple[Mark, ...]
    outcome: str
    passed: bool | None

    @property
    def height(self) -> int:
        """The SVG's height: a row per bar and room for the lines' labels."""
        return 28 * len(self.bars) + 34


@dataclass(frozen=True, slots=True, kw_only=True)
class BallotView:
    """The ballot of an instance, ready to draw."""

    id: str
    method: str
    secret: bool
    status: str
    #: (voter, choice) of a named ballot; empty for a secret one
    choices: tuple[tuple[str, str], ...]
    charts: tuple[Chart, ...]
    figures: tuple[tuple[str, str], ...]
    notes: tuple[str, ...]


def _int(value: Any) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def _chart(
    item: str | None,
    counts: Mapping[str, int],
    tally: Mapping[str, Any],
    result: Mapping[str, Any],
    lang: str,
) -> Chart:
    present, n = _int(result.get("present")), _int(result.get("n"))
    needed = _int(tally.get("needed", result.get("needed") if item is None else None))
    quorum = [q for q in _quorum(result) if _int(q.get("needed")) is not None]
    scale = max([1, *(c for c in counts.values()), n or 0, present or 0])

    def at(count: int) -> float:
        return round(WIDTH * count / scale, 1)

    bars = [
        Bar(
            label=word_or(f"option.{o}", lang, o),
            count=c,
            length=at(c),
            css=f"option option-{o}" if o.isidentifier() else "option",
        )
        for o, c in counts.items()
    ]
    marks = []
    if needed is not None:
        marks.append(Mark(x=at(needed), label=f"{word('needed', lang)} {needed}", css="needed"))
    if present is not None and quorum:
        bars.append(
            Bar(label=word("present", lang), count=present, length=at(present), css="present")
        )
        q = _int(quorum[0].get("needed")) or 0
        marks.append(Mark(x=at(q), label=f"{word('quorum', lang)} {q}", css="quorum"))
    passed = tally.get("passed", result.get("passed") if item is None else None)
    outcome = "" if passed is None else word("ballot_passed" if passed else "ballot_failed", lang)
    return Chart(
        item=item,
        bars=tuple(bars),
        marks=tuple(marks),
        outcome=outcome,
        passed=None if passed is None else bool(passed),
    )


def _quorum(result: Mapping[str, Any]) -> list[Mapping[str, Any]]:
    stated = result.get("quorum")
    found = [stated] if isinstance(stated, Mapping) else stated or []
    return [q for q in found if isinstance(q, Mapping)]


def _counts(tally: Mapping[str, Any], options: Mapping[str, int]) -> dict[str, int]:
    """Votes per option, in the ballot's order of options (the tally's when it has them)."""
    found = {o: c for o, c in options.items()}
    found.update((o, tally[o]) for o in options if _int(tally.get(o)) is not None)
    return found


def ballot_view(engine: Engine, instance_id: str, lang: str, face: TimeFace) -> BallotView | None:
    """The instance's ballot, or None when it has none."""
    try:
        ballot = engine.ballot(instance_id)
    except NotFound:
        return None
    return _view(ballot, lang, face)


def _view(ballot: Ballot, lang: str, face: TimeFace) -> BallotView:
    result = ballot.result or {}
    if ballot.lapsed:
        status = word("ballot_lapsed", lang)
    elif ballot.closed:
        status = word("ballot_closed", lang, at=face.line(result.get("closed_at")))
    else:
        status = word("ballot_open", lang)
    hidden = ballot.secret and not ballot.closed
    charts: list[Chart] = []
    if not hidden and ballot.items:
        found = result.get("items")
        tallies: Mapping[str, Any] = found if isinstance(found, Mapping) else {}
        for item, counts in ballot.items.items():
            tally = tallies.get(item) or {}
            charts.append(_chart(str(item), _counts(tally, counts), tally, result, lang))
    elif not hidden:
        charts.append(_chart(None, _counts(result, ballot.counts), result, result, lang))
    figures = (
        [
            (word("n", lang), str(result.get("n", ""))),
            (word("present", lang), str(result.get("present", ""))),
        ]
        if ballot.closed
        else []
    )
    notes = []
    if hidden:
        notes.append(word("totals_at_close", lang))
    if ballot.secret:
        notes.append(word("choices_hidden", lang))
    choices = (
        ()
        if ballot.secret
        else tuple(
            (voter, word_or(f"option.{choice}", lang, choice))
            for voter, choice in sorted(ballot.choices.items())
        )
    )
    return BallotView(
        id=ballot.id,
        method=word_or(f"method.{ballot.method}", lang, ballot.method),
        secret=ballot.secret,
        status=status,
        choices=choices,
        charts=tuple(charts),
        figures=tuple(figures),
        notes=tuple(notes),
    )

"""A matter's ballot in the minutes (:class:`~collegium.meetingrecord.records.Tally`), read from the
event that tallied it: the totals and figures it recorded, and the rules judged at the close.

A named ballot's dissent comes from the choices the engine keeps for it (``Engine.ballot``), by
option; a secret ballot's record gives its totals, the ballots returned and its tellers, and this
module never asks for its voters or choices.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

from collegium._words import word, word_or
from collegium.meetingrecord.records import (
    Count,
    Dissent,
    Figure,
    ItemResult,
    Person,
    Tally,
    moment,
)

if TYPE_CHECKING:
    from collegium.engine.engine import Instance
    from collegium.meetingrecord.gather import _Reader
    from collegium.store.records import EventRecord

__all__ = ["tally_of"]

#: keys of a ballot's result that are not a count of votes for an option
_NOT_COUNTS = frozenset(
    {"n", "present", "needed", "method", "passed", "closed_at", "dissent", "quorum", "items"}
    | {"returned"}
)


def tally_of(
    reader: _Reader,
    matter: Instance,
    segment: Sequence[EventRecord],
    meeting_id: str,
    left: bool,
) -> Tally | None:
    """The ballot of the meeting ``meeting_id`` of ``matter`` (whose events are ``segment``): its
    tally, or, without one, the method of a ballot still open or ``lapsed`` (the matter ``left``
    the meeting untallied); None when the meeting held no ballot."""
    facts = matter.facts.get("ballot") or {}
    current = facts if facts.get("id") == meeting_id else {}
    closing = next((e for e in segment if isinstance(e.effects.get("tally"), Mapping)), None)
    lang = reader.lang
    if closing is None:
        if not current:
            return None
        method = str(current.get("method"))
        return Tally(
            method=method,
            method_label=word_or(f"method.{method}", lang, method),
            secret=bool(current.get("secret")),
            tellers=tuple(reader.person(p) for p in current.get("tellers") or ()),
            lapsed=left,
        )
    result: Mapping[str, Any] = closing.effects["tally"]
    method = str(result.get("method") or current.get("method"))
    secret = bool(current.get("secret")) if current else method.startswith("secret")
    options = [str(o) for o in current.get("options") or ()]
    thresholds = [r for r in closing.verdict if r[4] == "threshold" and r[2]]
    passing = [_figure(r, lang) for r in thresholds if r[3] == "branch"]
    items = _items(reader, result, current, passing, options, secret)
    returned = result.get("returned")
    if returned is None and items:
        returned = (result.get("items") or {}).get(items[0].item, {}).get("returned")
    return Tally(
        method=method,
        method_label=word_or(f"method.{method}", lang, method),
        secret=secret,
        counts=_counts(result, options, lang),
        n=result.get("n"),
        present=result.get("present"),
        quorum=_quorum(result, thresholds, lang),
        threshold=passing[0] if passing and not items else None,
        passed=bool(result.get("passed")),
        items=items,
        dissent=() if secret or items else _dissent(reader, matter, result, current, options),
        tellers=tuple(reader.person(p) for p in current.get("tellers") or ()),
        returned=returned if secret else None,
        closed_at=moment(result.get("closed_at") or closing.at),
    )


def _counts(result: Mapping[str, Any], options: Iterable[str], lang: str) -> tuple[Count, ...]:
    """Votes per option, in the ballot's order of options, then any other option the result
    counts."""
    names = [o for o in options if o in result]
    names += [
        k for k, v in result.items() if k not in _NOT_COUNTS and k not in names and type(v) is int
    ]
    return tuple(
        Count(option=k, label=word_or(f"option.{k}", lang, k), votes=int(result[k])) for k in names
    )


def _figure(judged: Sequence[Any], lang: str) -> Figure:
    """A figure from a rule's stored result: ``[rule, passed, applicable, severity, detail,
    params]``."""
    params: Mapping[str, Any] = judged[5] or {}
    op = params.get("op_zh") if lang == "zh-CN" and params.get("op_zh") else params.get("op")
    return Figure(
        rule=str(judged[0]),
        count=params.get("count"),
        base=params.get("base"),
        needed=params.get("needed"),
        op=op,
        ratio=params.get("ratio"),
        passed=bool(judged[1]),
    )


def _quorum(
    result: Mapping[str, Any], thresholds: Sequence[Sequence[Any]], lang: str
) -> tuple[Figure, ...]:
    """The quorum figures the result names, as their rules judged them at the close; for a result
    that names none, the rule that counted those present of n."""
    quorum = [r for r in thresholds if r[3] != "branch"]
    stated = result.get("quorum")
    if isinstance(stated, Mapping):
        stated = [stated]
    if isinstance(stated, list):
        named = {str(q.get("rule")) for q in stated if isinstance(q, Mapping)}
        return tuple(_figure(r, lang) for r in quorum if r[0] in named)
    return tuple(
        _figure(r, lang)
        for r in quorum
        if (r[5] or {}).get("count") == result.get("present")
        and (r[5] or {}).get("base") == result.get("n")
    )[:1]


def _items(
    reader: _Reader,
    result: Mapping[str, Any],
    current: Mapping[str, Any],
    passing: Sequence[Figure],
    options: Sequence[str],
    secret: bool,
) -> tuple[ItemResult, ...]:
    """Each item of a list voted item by item, in the ballot's order (its pass rule is judged in
    that order)."""
    items = result.get("items")
    if not isinstance(items, Mapping):
        return ()
    order = [str(i) for i in current.get("items") or ()]
    if sorted(order) != sorted(map(str, items)):
        order = [str(i) for i in items]
    out = []
    for at, item in enumerate(order):
        tally = items.get(item) or {}
        figure = passing[at] if len(passing) == len(order) else None
        out.append(
            ItemResult(
                item=item,
                counts=_counts(tally, options, reader.lang),
                threshold=figure,
                passed=bool(tally.get("passed")),
                dissent=()
                if secret
                else tuple(reader.person(str(p)) for p in tally.get("dissent") or ()),
            )
        )
    return tuple(out)


def _dissent(
    reader: _Reader,
    matter: Instance,
    result: Mapping[str, Any],
    current: Mapping[str, Any],
    options: Sequence[str],
) -> tuple[Dissent, ...]:
    """Who did not vote for the motion on a named ballot, by the option they chose (every option
    after the first, the assenting one); where the engine no longer keeps the choices (a ballot
    held before the matter's last meeting), the dissent its result recorded."""
    lang = reader.lang
    if current and options:
        choices = reader.engine.ballot(matter.id).choices
        out = []
        for option in [*options[1:], *sorted(set(choices.values()) - set(options))]:
            people = tuple(reader.person(p) for p, c in choices.items() if c == option)
            if people:
                label = word_or(f"option.{option}", lang, option)
                out.append(Dissent(option=option, label=label, people=people))
        return tuple(out)
    recorded: tuple[Person, ...] = tuple(reader.person(str(p)) for p in result.get("dissent") or ())
    if not recorded:
        return ()
    return (Dissent(option="", label=word("minutes.dissent", lang), people=recorded),)

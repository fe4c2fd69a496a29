"""Values as a person reads them: an instance's facts (a ballot, the consultations, a list of
mappings drawn as small tables and ``key: value`` blocks rather than JSON), a step's data, a timer's
name in words, and the lines of a ballot's result.

Times among them are shown as :class:`collegium.commands.render.Times` shows them; rich is imported
inside the functions.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from collegium._words import word, word_or

if TYPE_CHECKING:
    from rich.console import RenderableType
    from rich.table import Table

    from collegium._facts_shown import Node
    from collegium.commands.render import Times

__all__ = [
    "counts_line",
    "facts_table",
    "figure_line",
    "inline",
    "item_line",
    "nested",
    "seps",
    "timer_words",
]

#: a reminder's timer, as the engine names it: its trigger and the lead time (``review -P7D``)
_REMINDER = re.compile(
    r"(?P<timer>\S+) -P(?:(?P<days>\d+)D)?(?:T(?:(?P<hours>\d+)H)?(?:(?P<minutes>\d+)M)?"
    r"(?:(?P<seconds>\d+)S)?)?"
)


def timer_words(name: str, lang: str) -> str:
    """A timer as a person reads it: ``review`` stays, its reminder ``review -P7D`` is ``reminder
    7 days before review`` (``review 前 7 天的提醒``)."""
    found = _REMINDER.fullmatch(name)
    if found is None:
        return name
    lead = [
        word(f"duration.{unit}", lang, n=int(found[unit]))
        for unit in ("days", "hours", "minutes", "seconds")
        if found[unit] and int(found[unit])
    ]
    if not lead:
        return name
    return word("timer.remind", lang, lead=" ".join(lead), timer=found["timer"])


def nested(value: Any, lang: str, face: Times, key: str | None = None) -> RenderableType:
    """A fact's value as a person reads it (:func:`collegium._facts_shown.node`, as the web console
    reads it too): mappings of flat values (the consultations) and lists of them as small tables;
    any other mapping (a ballot) as ``key: value`` lines, its own nested values drawn the same way
    beside their key; the rest in a line."""
    from collegium._facts_shown import node

    return _drawn(node(value, lang, face, key))


def _drawn(shown: Node) -> RenderableType:
    """A value's tree drawn with rich: a table, ``key: value`` lines, a list, or a line of text."""
    from rich.text import Text as RichText

    from collegium.commands.render import grid, table

    if shown.kind == "table":
        return table(
            None,
            list(shown.head),
            ([cell.text for cell in row] for row in shown.rows),
            whole=(0,) if shown.keyed else (),
        )
    if shown.kind == "pairs":
        return grid([f"{name}:", _drawn(value)] for name, value in shown.pairs)
    if shown.kind == "list":
        return grid([_drawn(item)] for item in shown.items)
    return RichText(shown.text)


def facts_table(
    facts: Mapping[str, Any],
    lang: str,
    labels: Mapping[str, str] | None = None,
    types: Mapping[str, str] | None = None,
) -> Table:
    """An instance's facts, each by its name and label: a ``datetime`` fact (by the procedure's
    ``types``) and the engine's times within nested values shown as :class:`Times` shows them, the
    offset in the caption; nested values drawn by :func:`nested`."""
    from rich.text import Text as RichText

    from collegium.commands.render import table, times

    labels, types, face = labels or {}, types or {}, times()
    rows = [
        [
            f"{k} ({labels[k]})" if labels.get(k, k) != k else k,
            RichText(face.cell(v) or str(v))
            if types.get(k) == "datetime" and isinstance(v, str)
            else nested(v, lang, face, k),
        ]
        for k, v in facts.items()
    ]
    found = table(word("facts", lang), [word("fact", lang), word("value", lang)], rows)
    found.caption, found.caption_justify = face.caption(lang), "left"
    return found


def inline(data: Mapping[str, Any], lang: str, face: Times) -> str:
    """A step's data in one line, ``member=m1, view=agree``; times as ``face`` shows them, nested
    values as compact JSON."""
    from collegium.commands.render import plain

    return ", ".join(
        f"{k}={face.cell(v) or plain(v)}" if isinstance(v, str) else f"{k}={plain(v)}"
        for k, v in data.items()
    )


# -- ballot results --------------------------------------------------------------------------------
def seps(lang: str) -> tuple[str, str]:
    """The comma and colon of ``lang``."""
    return ("，", "：") if lang == "zh-CN" else (", ", ": ")


def counts_line(counts: Mapping[str, int], lang: str) -> str:
    """``agree 3, oppose 1, abstain 0`` (``同意 3，不同意 1，弃权 0``)."""
    comma, _ = seps(lang)
    return comma.join(f"{word_or(f'option.{k}', lang, k)} {v}" for k, v in counts.items())


def figure_line(key: str, figure: Mapping[str, Any] | None, value: Any, lang: str) -> str:
    """``quorum: present needed: 3 (R-QUORUM-SC, >= 2/3)``: a figure with the rule that set it."""
    _, colon = seps(lang)
    how = ""
    if figure and figure.get("op"):
        how = (
            f"（{figure['rule']}，{figure['op']} {figure['ratio']}）"
            if lang == "zh-CN"
            else f" ({figure['rule']}, {figure['op']} {figure['ratio']})"
        )
    elif figure and figure.get("rule"):
        how = f"（{figure['rule']}）" if lang == "zh-CN" else f" ({figure['rule']})"
    return f"{word(key, lang)}{colon}{value}{how}"


def item_line(item: str, one: Mapping[str, Any], lang: str) -> str:
    """One item of a list voted item by item, in two lines: its outcome and counts, then its
    threshold (and dissent): ``item Zhang: passed (agree 3, disagree 1, defer 0)``."""
    _, colon = seps(lang)
    counts = counts_line(one["counts"], lang) or word("none", lang)
    head = f"{word('item', lang, item=item)}{colon}{one['outcome_label']}" + (
        f"（{counts}）" if lang == "zh-CN" else f" ({counts})"
    )
    parts = []
    if one.get("needed") is not None:
        parts.append(figure_line("needed", one.get("threshold"), one["needed"], lang))
    if one.get("dissent") is not None:
        parts.append(
            f"{word('dissent', lang)}{colon}{', '.join(one['dissent']) or word('none', lang)}"
        )
    return head + ("\n  " + ("；" if lang == "zh-CN" else "; ").join(parts) if parts else "")

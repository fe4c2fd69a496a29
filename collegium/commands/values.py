"""Values as a person reads them: an instance's facts (a ballot, the consultations, a list of
mappings drawn as small tables and ``key: value`` blocks rather than JSON), a step's data, a timer's
name in words, and the lines of a ballot's result.

Times among them are shown as :class:`collegium.commands.render.Times` shows them; rich is imported
inside the functions.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

from collegium._words import label, word, word_or

if TYPE_CHECKING:
    from rich.console import RenderableType
    from rich.table import Table

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

#: keys whose values are a ballot's options or methods, shown by their words
_OPTION_KEYS = frozenset({"view", "choice"})

#: keys of nested values shown by the project's word for them (``at`` → 时间); any other key is
#: shown as it is, since a word may mean one thing in one value and another in the next
_LABELLED = frozenset(
    {
        "actor",
        "at",
        "attendees",
        "body",
        "by",
        "choice",
        "closed_at",
        "data",
        "dissent",
        "id",
        "kind",
        "member",
        "method",
        "n",
        "name",
        "opened_at",
        "options",
        "passed",
        "present",
        "procedure",
        "reason",
        "result",
        "role",
        "rule",
        "state",
        "title",
        "trigger",
        "version",
        "view",
    }
)


def _key(key: str, lang: str) -> str:
    """A nested value's key as a label: its word (:data:`_LABELLED`), an option's word (the counts
    of a ballot's result: ``agree`` → 同意), or the key."""
    if key in _LABELLED:
        return label(key, lang)
    return word_or(f"option.{key}", lang, key)


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


def _scalar(value: Any, lang: str, face: Times, key: str | None = None) -> str:
    """One value that is not a mapping, in a line: a time as ``face`` shows it, yes or no, a list
    comma-separated, an option or method by its word."""
    if value is None:
        return "-"
    if isinstance(value, bool):
        return word("yes" if value else "no", lang)
    if isinstance(value, str):
        shown = face.cell(value)
        if shown is not None:
            return shown
        if key in _OPTION_KEYS:
            return word_or(f"option.{value}", lang, value)
        return word_or(f"method.{value}", lang, value) if key == "method" else value
    if isinstance(value, list | tuple):
        return ", ".join(_scalar(v, lang, face, key) for v in value) or "-"
    if isinstance(value, Mapping):
        from collegium.commands.render import plain

        return plain(value)
    return str(value)


def _is_flat(value: Any) -> bool:
    """Whether ``value`` fits one table cell: not a mapping, nor a list holding one."""
    if isinstance(value, list | tuple):
        return not any(isinstance(v, Mapping | list | tuple) for v in value)
    return not isinstance(value, Mapping)


def _records(
    rows: Sequence[Mapping[str, Any]],
    keys: Sequence[str] | None,
    lang: str,
    face: Times,
    head: str = "",
) -> Table:
    """Mappings of flat values as a small table, one row each (first, when ``keys`` are given,
    the key each is found by: a member's consultation under the member)."""
    from collegium.commands.render import table

    columns = list(dict.fromkeys(k for row in rows for k in row))
    return table(
        None,
        ([head] if keys is not None else []) + [_key(k, lang) for k in columns],
        (
            ([keys[i]] if keys is not None else [])
            + [_scalar(row.get(k), lang, face, k) if k in row else "" for k in columns]
            for i, row in enumerate(rows)
        ),
        whole=(0,) if keys is not None else (),
    )


def nested(value: Any, lang: str, face: Times, key: str | None = None) -> RenderableType:
    """A fact's value as a person reads it: mappings of flat values (the consultations) and lists
    of them as small tables; any other mapping (a ballot) as ``key: value`` lines, its own nested
    values drawn the same way beside their key; the rest in a line (:func:`_scalar`)."""
    from rich.text import Text as RichText

    from collegium.commands.render import grid

    if isinstance(value, Mapping) and value:
        inner = list(value.values())
        if all(isinstance(v, Mapping) and v and all(map(_is_flat, v.values())) for v in inner):
            return _records(inner, [str(k) for k in value], lang, face)
        return grid(
            [f"{_key(str(k), lang)}:", nested(v, lang, face, str(k))] for k, v in value.items()
        )
    if isinstance(value, list | tuple) and value and not _is_flat(value):
        if all(isinstance(v, Mapping) and all(map(_is_flat, v.values())) for v in value):
            return _records(list(value), None, lang, face)
        return grid([nested(v, lang, face, key)] for v in value)
    return RichText(_scalar(value, lang, face, key))


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

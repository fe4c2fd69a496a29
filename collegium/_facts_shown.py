"""A fact's value, or a step's data, as a person reads it: a small tree of :class:`Node` (text,
``key: value`` pairs, a sub-table, a list), nested values as sub-tables, times as a :class:`Face`
shows them, keys and options by their words. The one reading of a value that the command line
(:mod:`collegium.commands.values` draws the tree with rich) and the web console (its templates draw
it, Jinja escaping every text) share.

No markup here, and no rich: whoever draws the tree escapes its texts.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Literal, Protocol

from collegium._words import label, word, word_or

__all__ = ["Face", "Node", "key_label", "node", "text"]

#: keys whose values are a ballot's options, shown by their words
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


class Face(Protocol):
    """How a time among the values reaches a person (the command line's
    :class:`~collegium.commands.render.Times`, the console's ``TimeFace``)."""

    def cell(self, value: Any) -> str | None:
        """``value`` as a time in a table or list; None when it is not a time."""
        ...


@dataclass(frozen=True, slots=True, kw_only=True)
class Node:
    """A value to draw: ``text``; ``pairs`` of a label and a value; a ``table`` of ``head`` and
    ``rows`` (``keyed``: its first column is the key each row is found by, a member's consultation
    under the member); a ``list`` of ``items``."""

    kind: Literal["text", "pairs", "table", "list"]
    text: str = ""
    pairs: tuple[tuple[str, Node], ...] = ()
    head: tuple[str, ...] = ()
    rows: tuple[tuple[Node, ...], ...] = ()
    keyed: bool = False
    items: tuple[Node, ...] = ()


def key_label(key: str, lang: str) -> str:
    """A nested value's key as a label: its word (:data:`_LABELLED`), an option's word (the counts
    of a ballot's result: ``agree`` → 同意), or the key itself."""
    return label(key, lang) if key in _LABELLED else word_or(f"option.{key}", lang, key)


def text(value: Any, lang: str, face: Face, key: str | None = None) -> str:
    """A value that is not a mapping, in a line: a time as ``face`` shows it, yes or no, a list
    comma-separated, an option or a method by its word."""
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
        return ", ".join(text(v, lang, face, key) for v in value) or "-"
    return str(value)


def _flat(value: Any) -> bool:
    """Whether ``value`` fits one table cell: not a mapping, nor a list holding one."""
    if isinstance(value, list | tuple):
        return not any(isinstance(v, Mapping | list | tuple) for v in value)
    return not isinstance(value, Mapping)


def _table(
    rows: Sequence[Mapping[Any, Any]], keys: Sequence[str] | None, lang: str, face: Face
) -> Node:
    """Mappings of flat values as a small table, one row each (first, when ``keys`` are given, the
    key each is found by)."""
    columns = list(dict.fromkeys(k for row in rows for k in row))
    return Node(
        kind="table",
        head=(*([""] if keys is not None else []), *(key_label(str(k), lang) for k in columns)),
        rows=tuple(
            (
                *([Node(kind="text", text=keys[i])] if keys is not None else []),
                *(
                    Node(kind="text", text=text(row[k], lang, face, str(k)) if k in row else "")
                    for k in columns
                ),
            )
            for i, row in enumerate(rows)
        ),
        keyed=keys is not None,
    )


def node(value: Any, lang: str, face: Face, key: str | None = None) -> Node:
    """``value`` as a tree to draw: a mapping of flat mappings (the consultations, by member) and a
    list of flat mappings as a sub-table; any other mapping (a ballot) as pairs, each value drawn
    the same way; a list of nested values as a list; the rest as :func:`text`."""
    if isinstance(value, Mapping) and value:
        inner = list(value.values())
        if all(isinstance(v, Mapping) and v and all(map(_flat, v.values())) for v in inner):
            return _table(inner, [str(k) for k in value], lang, face)
        return Node(
            kind="pairs",
            pairs=tuple(
                (key_label(str(k), lang), node(v, lang, face, str(k))) for k, v in value.items()
            ),
        )
    if isinstance(value, list | tuple) and value and not _flat(value):
        if all(isinstance(v, Mapping) and all(map(_flat, v.values())) for v in value):
            return _table(list(value), None, lang, face)
        return Node(kind="list", items=tuple(node(v, lang, face, key) for v in value))
    return Node(kind="text", text=text(value, lang, face, key))

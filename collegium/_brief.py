"""Values shown in messages, bounded: whatever a caller passes, its part of a message is short.

``repr`` is not safe for that: a value nested 100,000 deep exceeds the recursion limit, an
integer of more than 4,300 digits cannot be turned into text at all (Python's limit on int-to-str
conversion), and a long text or list makes a message as long as itself. :func:`brief` looks at a
few levels, items and characters only. :func:`validation_line` tells a pydantic validation error
in one line, and :func:`shown_path` the place in a document that it, or any check, names.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from itertools import islice
from typing import TYPE_CHECKING, Any

from collegium._catalog import Message

if TYPE_CHECKING:
    from pydantic import ValidationError

#: Characters of a value in a message.
WIDTH = 80
_ITEMS = 4  # shown of a list or mapping
_DEPTH = 3  # levels shown of nested lists and mappings
_LOG10_2 = 0.30103


def brief(value: object, width: int = WIDTH) -> str:
    """``repr(value)`` in at most ``width`` characters (cut with '…'), in bounded time."""
    text = _shown(value, _DEPTH, width)
    return text if len(text) <= width else f"{text[: width - 1]}…"


def _shown(value: object, depth: int, width: int) -> str:
    if isinstance(value, bool | float) or value is None:
        return repr(value)
    if isinstance(value, int):
        bits = value.bit_length()
        if bits > 4 * width:
            return f"<an integer of about {int(bits * _LOG10_2) + 1} digits>"
        return repr(value)
    if isinstance(value, str | bytes):
        return repr(value[: width + 1])  # cut first: the whole one's repr is as long as itself
    if isinstance(value, Mapping):
        if depth == 0:
            return "{…}"
        shown = [
            f"{_shown(k, depth - 1, width)}: {_shown(v, depth - 1, width)}"
            for k, v in islice(value.items(), _ITEMS)
        ]
        return "{" + ", ".join(shown + (["…"] if len(value) > _ITEMS else [])) + "}"
    if isinstance(value, list | tuple | set | frozenset):
        left, right = (
            "[]" if isinstance(value, list) else "()" if isinstance(value, tuple) else "{}"
        )
        if depth == 0:
            return f"{left}…{right}"
        shown = [_shown(v, depth - 1, width) for v in islice(value, _ITEMS)]
        return left + ", ".join(shown + (["…"] if len(value) > _ITEMS else [])) + right
    return _own_repr(value, width)


def _own_repr(value: Any, width: int) -> str:
    """Any other object by its own ``repr``, or by its type's name if that fails."""
    try:
        text = repr(value)
    except Exception:  # a repr that recurses or refuses says nothing useful: name the type
        return f"<{type(value).__name__}>"
    return text[: width + 1]


def shown_path(path: Iterable[object]) -> str:
    """A place in a document as a person reads it: its keys joined by dots, an item of a list by
    its position in brackets, counted from 1 (``members[1].role``: the role of the first member).

    Pydantic and the code count a list's items from 0 (``("members", 0, "role")``); a person
    counts them from 1, as a scenario's steps (``step 1``) and a file's lines are counted in every
    other message. The brackets keep a position apart from a key that is a number. Every place
    in a definition, scenario or body that a message names is shown this way."""
    shown = ""
    for part in path:
        if isinstance(part, int) and not isinstance(part, bool):
            shown += f"[{part + 1}]"
        else:
            shown += f".{part}" if shown else str(part)
    return shown


def validation_line(exc: ValidationError) -> Message:
    """The first error pydantic found, in one line: where (:func:`shown_path`) and what (and how
    many more); ``str()`` of it is the English."""
    errors = exc.errors(include_url=False)
    first = errors[0]
    where = shown_path(first["loc"]) or Message("(top level)")
    said = Message("{where}: {reason}", where=where, reason=validator_words(first))
    if len(errors) > 1:
        return Message("{problem} (and {more} more)", problem=said, more=len(errors) - 1)
    return said


def validator_words(error: Any) -> str | Message:
    """What one pydantic error says; a validator's own message as it wrote it, without the
    "Value error, " (or "Assertion failed, ") pydantic puts before it: the catalogue message
    itself when the validator raised one, so that it can be said in another language."""
    if error["type"] in ("value_error", "assertion_error") and "error" in error.get("ctx", {}):
        raised = error["ctx"]["error"]
        said = raised.args[0] if isinstance(raised, Exception) and raised.args else None
        return said if isinstance(said, Message) else str(raised)
    return str(error["msg"])

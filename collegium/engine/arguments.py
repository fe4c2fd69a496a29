"""A command's arguments checked at the API boundary, before anything is read or written.

Wrong types, ids no store could hold (longer than the id columns, control characters, which
PostgreSQL refuses, or text that is not valid Unicode: a lone surrogate, as a command line gives for
bytes that are not UTF-8) are refused with :class:`~collegium.errors.InvalidInput` rather than as a
driver's or encoder's error; so are the engine's reserved actors and idempotency keys
(:mod:`collegium._reserved`). A message shows a value by :func:`~collegium._brief.brief`, bounded
whatever was passed.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from collegium._brief import brief
from collegium._catalog import Message
from collegium._reserved import ENGINE_MARK, SYSTEM_ACTOR, is_engine_actor, is_timer_key
from collegium.errors import InvalidInput

#: Longest id (an instance, an actor, an idempotency key): the store's id columns hold 128
#: characters.
MAX_ID = 128


def is_id(value: object) -> bool:
    """``value`` is printable text of 1 to :data:`MAX_ID` characters (no control character, no lone
    surrogate)."""
    return isinstance(value, str) and 0 < len(value) <= MAX_ID and value.isprintable()


def check_arguments(actor: object, data: object, **names: object) -> Mapping[str, Any]:
    """Refuse arguments of the wrong type at the API boundary with :class:`InvalidInput`, not a
    TypeError."""
    if not isinstance(actor, str) or not actor.strip():
        raise InvalidInput(Message("an actor (a person's id) is required"))
    if is_engine_actor(actor):  # also '＠system', '﹫x': what a person takes for the engine's
        raise InvalidInput(
            Message(
                "actors starting with {mark!r} (in any form) are reserved for the engine, e.g. "
                "{system} for its timers",
                mark=ENGINE_MARK,
                system=SYSTEM_ACTOR,
            )
        )
    for what, value in {"actor": actor, **names}.items():
        if not isinstance(value, str) or not value:
            raise InvalidInput(
                Message("{name} must be non-empty text, not {value}", name=what, value=brief(value))
            )
        if not is_id(value):
            raise InvalidInput(
                Message(
                    "{name} must be printable text of at most {most} characters, not {value}",
                    name=what,
                    most=MAX_ID,
                    value=brief(value),
                )
            )
    if data is None:
        return {}
    if not isinstance(data, Mapping) or not all(isinstance(k, str) for k in data):
        raise InvalidInput(
            Message(
                "data must be a mapping of names to values, not {type}", type=type(data).__name__
            )
        )
    return data


def check_idempotency_key(key: object) -> None:
    """``key`` is an id, and not a key of the engine's timers (``timer:``, in any case or width)."""
    if not is_id(key):
        raise InvalidInput(
            Message("an idempotency key is printable text of 1 to {most} characters", most=MAX_ID)
        )
    if is_timer_key(str(key)):
        raise InvalidInput(
            Message(
                "idempotency keys starting with 'timer:' (in any case or width) are "
                "reserved for the engine's timers"
            )
        )


def check_text(name: str, *texts: str) -> None:
    """Each of ``texts`` is valid Unicode (can be encoded as UTF-8, as it is stored)."""
    for text in texts:
        try:
            text.encode("utf-8")
        except UnicodeEncodeError:
            raise InvalidInput(
                Message(
                    "{name} is not valid Unicode text (a lone surrogate at {text})",
                    name=name,
                    text=brief(text, 60),
                )
            ) from None


def lookup_values(equals: Mapping[str, object]) -> Mapping[str, str]:
    """The values a query selects by (``Engine.find``): text, as the facts index holds."""
    for name, value in equals.items():
        if not isinstance(value, str):
            raise InvalidInput(
                Message(
                    "{name} must be text to select by, not {value}", name=name, value=brief(value)
                )
            )
        check_text(name, value)
    return equals  # type: ignore[return-value]

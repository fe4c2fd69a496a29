"""Time and identity, injected: engine code never reads the wall clock nor draws random ids itself.

Every engine takes a :class:`Clock` and an :class:`IdFactory`. Tests and simulations use
:class:`ManualClock` and :class:`SequentialIds`, which make a run reproducible to the byte.
"""

from __future__ import annotations

import datetime as dt
import itertools
import os
import threading
from functools import lru_cache
from typing import Protocol, runtime_checkable

from collegium._brief import brief
from collegium._catalog import Message
from collegium._formats import iso_duration as iso_duration
from collegium.errors import InvalidInput

UTC = dt.UTC


@runtime_checkable
class Clock(Protocol):
    """Source of the current time; must return an aware datetime."""

    def now(self) -> dt.datetime:
        """The current time, with its time zone."""


@runtime_checkable
class IdFactory(Protocol):
    """Source of new instance ids; must return a unique string per call."""

    def new_id(self, prefix: str) -> str:
        """A new id, starting with ``prefix`` (the procedure's id), never returned before."""


#: what a time is called in a message when the caller names it nothing more precise
_TIME = Message("time")


def aware(value: dt.datetime, what: str | Message = _TIME) -> dt.datetime:
    """Return ``value`` in UTC, refusing naive datetimes (a date without a time zone is
    ambiguous)."""
    if value.tzinfo is None or value.utcoffset() is None:
        raise InvalidInput(
            Message(
                "{what} {value} has no time zone; add one, e.g. +08:00 or Z",
                what=what,
                value=value.isoformat(),
            )
        )
    if not 1000 <= value.year <= 9998:  # four-digit years keep the text form sorting as time does
        raise InvalidInput(
            Message(
                "{what} {value} is out of range (years 1000 to 9998)",
                what=what,
                value=value.isoformat(),
            )
        )
    return value.astimezone(UTC)


def parse_time(text: str, what: str | Message = _TIME) -> dt.datetime:
    """Parse an ISO 8601 date-time with a time zone into UTC."""
    try:
        value = dt.datetime.fromisoformat(text.strip())
    except ValueError:
        raise InvalidInput(
            Message(
                "{what} {value} is not an ISO 8601 date-time (e.g. 2026-03-01T09:00+08:00)",
                what=what,
                value=brief(text),
            )
        ) from None
    return aware(value, what)


def format_time(value: dt.datetime) -> str:
    """The canonical text form of a time: UTC, microseconds, ``Z`` suffix. Sorts as it compares."""
    return _utc_text(aware(value))


@lru_cache(maxsize=256)
def _utc_text(value: dt.datetime) -> str:
    # a step formats its time several times over; equal instants in UTC have one text
    return value.strftime("%Y-%m-%dT%H:%M:%S.%fZ")


class FixedClock:
    """A clock that always says the same time."""

    def __init__(self, at: dt.datetime) -> None:
        self._at = aware(at)

    def now(self) -> dt.datetime:
        """The fixed time."""
        return self._at


class ManualClock:
    """A virtual clock for tests and simulation: moves only when told to."""

    def __init__(self, start: dt.datetime) -> None:
        self._now = aware(start)
        self._lock = threading.Lock()

    def now(self) -> dt.datetime:
        """The time the clock was last set or advanced to."""
        return self._now

    def advance(self, delta: dt.timedelta) -> dt.datetime:
        """Move the clock forward by ``delta`` and return the new time; :class:`InvalidInput` if
        negative."""
        if delta < dt.timedelta(0):
            raise InvalidInput(Message("the clock cannot move backwards"))
        with self._lock:
            self._now += delta
            return self._now

    def set(self, at: dt.datetime) -> dt.datetime:
        """Move the clock to ``at`` (aware) and return it; :class:`InvalidInput` if that is in its
        past."""
        at = aware(at)
        with self._lock:
            if at < self._now:
                raise InvalidInput(
                    Message(
                        "the clock cannot move back from {now} to {at}",
                        now=format_time(self._now),
                        at=format_time(at),
                    )
                )
            self._now = at
            return at


class SystemClock:
    """The wall clock. Only the CLI and host applications construct it; the engine just calls
    ``now``."""

    def now(self) -> dt.datetime:
        """The wall-clock time, in UTC."""
        return dt.datetime.now(UTC)


class SequentialIds:
    """Deterministic ids ``<prefix>-1``, ``<prefix>-2``, …; for tests and simulations."""

    def __init__(self, start: int = 1) -> None:
        self._counter = itertools.count(start)
        self._lock = threading.Lock()

    def new_id(self, prefix: str) -> str:
        """``prefix``, a dash and the next number."""
        with self._lock:
            return f"{prefix}-{next(self._counter)}"


class RandomIds:
    """Collision-resistant ids (``<prefix>-`` and 20 hex digits from the OS random source)."""

    def new_id(self, prefix: str) -> str:
        """``prefix``, a dash and 20 random hex digits."""
        return f"{prefix}-{os.urandom(10).hex()}"

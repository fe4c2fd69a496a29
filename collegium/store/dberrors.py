"""Database errors as the store reports them: a lost race (retried), bad input, or the driver's
error as it is.

Drivers differ in what they raise for the same event: psycopg and PyMySQL raise
``OperationalError`` for a deadlock or a lock timeout, asyncpg (through SQLAlchemy's adapter) its
generic ``Error`` with a SQLSTATE, aiosqlite has no
``DataError``. A store asks its :class:`Translator`, made for its driver.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy.exc import DataError, DBAPIError, IntegrityError, OperationalError

from collegium._brief import brief
from collegium._catalog import Message
from collegium.errors import InvalidInput
from collegium.store.protocol import StaleVersion


class Never(Exception):
    """Stands for a DBAPI error class a driver does not have: no error is one."""


def is_lock_conflict(exc: OperationalError) -> bool:
    """A driver's OperationalError that says a lock was not had: a lost race."""
    return is_lock_text(str(exc.orig))


#: a lost race, retried: a deadlock (PostgreSQL 40P01, MariaDB 1213), SQLite's busy timeout, a
#: serialization failure (PostgreSQL 40001), and a lock waited for past the session's limit
#: (PostgreSQL lock_timeout, 55P03; MariaDB innodb_lock_wait_timeout, 1205), e.g. behind a client
#: that died holding it: not a driver error but a conflict
_LOCK_TEXTS = (
    "deadlock",
    "database is locked",
    "could not serialize",
    "lock timeout",
    "lock wait timeout",
)


def by_state(error: BaseException) -> Exception | None:
    """A driver's generic error as the store reports it, by its SQLSTATE (PostgreSQL's codes: 22
    data exception, 23 integrity violation, 40001/40P01 lost races, 55P03 lock not available) or
    its text."""
    state = str(getattr(error, "sqlstate", None) or getattr(error, "pgcode", None) or "")
    message = str(error)
    if state.startswith("23"):
        return StaleVersion("unique key clash")
    if state in ("40001", "40P01", "55P03") or is_lock_text(message):
        return StaleVersion("lock conflict")
    cause: BaseException | None = error
    for _ in range(
        4
    ):  # a value the driver could not even send (a lone surrogate): asyncpg chains the cause
        if cause is None:
            break
        if isinstance(cause, UnicodeEncodeError):
            return _not_unicode(cause.object)
        cause = cause.__cause__ or cause.__context__
    if state.startswith("22") or "invalid input for query argument" in message:
        return _does_not_fit(message.splitlines()[0])
    return None


def _not_unicode(text: object) -> InvalidInput:
    """A value the driver could not send: a lone surrogate."""
    return InvalidInput(
        Message("text that is not valid Unicode cannot be looked up: {text}", text=brief(text))
    )


def _does_not_fit(problem: str) -> InvalidInput:
    """A value the database refused (too long, out of range), with the database's first line."""
    return InvalidInput(Message("a value does not fit the database: {problem}", problem=problem))


def is_lock_text(message: str) -> bool:
    text_ = message.lower()
    return any(t in text_ for t in _LOCK_TEXTS)


class Translator:
    """Database errors as one driver raises them, turned into the store's."""

    def __init__(self, dbapi: Any) -> None:
        self._dbapi = dbapi
        # an async driver's adapted DBAPI may lack a class (aiosqlite has no DataError): then
        # nothing is one
        self._errors: tuple[type[BaseException], ...] = (
            tuple(
                getattr(dbapi, name, Never)
                for name in ("IntegrityError", "DataError", "OperationalError")
            )
            if dbapi
            else ()
        )

    def __call__(self, exc: BaseException) -> Exception | None:
        """The store's error for a database error (a retry, or bad input); None to let it through
        as it is."""
        if isinstance(
            exc, UnicodeEncodeError
        ):  # a lone surrogate in an id looked up: the driver cannot send it
            return _not_unicode(exc.object)
        if isinstance(exc, IntegrityError):
            return StaleVersion("unique key clash")
        if isinstance(exc, DataError):
            return _does_not_fit(str(exc.orig).splitlines()[0])
        if isinstance(exc, OperationalError):
            return StaleVersion("lock conflict") if is_lock_conflict(exc) else None
        if isinstance(
            exc, DBAPIError
        ):  # asyncpg's errors come as the generic Error: judged by SQLSTATE and text
            found = by_state(exc.orig) if exc.orig is not None else None
            if found is not None:
                return found
        if isinstance(
            exc, self._errors
        ):  # the hot statements run on the DBAPI cursor: errors come unwrapped
            integrity, data, operational = self._errors
            if isinstance(exc, integrity):
                return StaleVersion("unique key clash")
            if isinstance(exc, data):
                return _does_not_fit(str(exc).splitlines()[0])
            if isinstance(exc, operational) and is_lock_text(str(exc)):
                return StaleVersion("lock conflict")
        if self._dbapi is not None and isinstance(exc, self._dbapi.Error):
            return by_state(exc)  # asyncpg's, unwrapped
        return None

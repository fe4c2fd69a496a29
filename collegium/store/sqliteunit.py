"""A SQLite store unit: one command's transaction, run on the pooled DBAPI connection (see :class:`SqliteUnit`)."""

from __future__ import annotations

from functools import partial
from typing import TYPE_CHECKING, Any

from sqlalchemy import Connection

from collegium.store.sqlunit import SqlUnit

if TYPE_CHECKING:
    from collegium.store.sqlstore import SqlStore


def in_transaction(dbapi_conn: Any) -> bool:
    """Whether a SQLite DBAPI connection has a transaction open: ``sqlite3``'s own, or the one under an async
    driver's adapted connection (aiosqlite's, which SQLAlchemy's adapter does not pass on)."""
    return bool(getattr(dbapi_conn, "driver_connection", dbapi_conn).in_transaction)


class SqliteUnit:
    """A SQLite unit runs on the pooled DBAPI connection and begins and ends its transaction there: SQLAlchemy's
    connection, begin and commit cost several times SQLite's own work for a short command. A Core statement
    makes a SQLAlchemy connection on the same DBAPI connection, which joins the open transaction (the begin
    listener sees it open); SQLAlchemy's commit or rollback then ends it."""

    __slots__ = ("_dbapi_conn", "_pooled", "_store", "_unit", "_write")

    def __init__(self, store: SqlStore, write: bool) -> None:
        self._store = store
        self._write = write
        self._dbapi_conn: Any = None

    def __enter__(self) -> SqlUnit:
        store = self._store
        try:
            self._pooled = pooled = store.engine.raw_connection()
            dbapi_conn: Any = pooled.dbapi_connection
            self._dbapi_conn = dbapi_conn
            self._unit = SqlUnit(dbapi_conn, partial(Connection, store.engine, pooled), self._write,
                                 store._parsed_bodies, store._statements, lock_rows=False)
            try:
                # a writing unit takes the write lock up front, so writers queue (busy_timeout) rather than
                # deadlock on a lock upgrade; readers take none (WAL lets them run beside a writer)
                dbapi_conn.execute("BEGIN IMMEDIATE" if self._write else "BEGIN")
            except BaseException:
                pooled.close()
                raise
        except Exception as exc:
            store._reraise_wrapped(exc)
        return self._unit

    def __exit__(self, _type: type[BaseException] | None, exc: BaseException | None, _tb: object) -> None:
        unit, dbapi_conn = self._unit, self._dbapi_conn
        committed = False
        try:
            try:
                unit.close()
                joined = unit.joined
                if exc is not None:
                    if joined is not None and joined.in_transaction():
                        joined.rollback()
                    if in_transaction(dbapi_conn):
                        dbapi_conn.rollback()
                else:
                    if joined is not None and joined.in_transaction():
                        joined.commit()  # SQLAlchemy joined the transaction for a Core statement: it ends it
                    else:
                        dbapi_conn.commit()
                    committed = True
                    if unit.closed_secret:
                        # committed: drop the write-ahead log, whose frames would show each vote's change of
                        # totals (best effort: a reader still holding an old snapshot keeps it until it finishes)
                        dbapi_conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            finally:
                joined = unit.joined
                if joined is not None:
                    joined.close()  # it holds the pooled connection and gives it back
                else:
                    self._pooled.close()
        except Exception as failed:
            self._store._reraise_wrapped(failed)
        if committed:
            self._store._subscribers.notify(unit.written)
        translated = None if exc is None else self._store._translate(exc)
        if translated is not None:  # a database error raised in the block, as the store reports it
            raise translated from None

"""Schema migrations (Alembic) of a store's database, one process at a time.

Every worker of a deployment opens the database when it starts, so on a new database they all find
it unmigrated at once. Each takes a lock first and runs the migrations in one transaction, committed
before the lock is let go; the others then find the schema current and do nothing. Without the lock
their CREATE TABLEs clashed ("already exists" on MariaDB, whose DDL commits at once; a unique
violation in PostgreSQL's catalogue; "database is locked" on SQLite, where each began reading and
could not then write).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import Connection, Engine, inspect, text

from collegium._catalog import Message
from collegium.errors import ConcurrentUpdate, InvalidInput
from collegium.store import schema as s

#: PostgreSQL advisory lock key of Collegium's migrations (any constant: advisory locks are per
#: database)
ADVISORY_KEY = 0x636F6C6C
LOCK_WAIT = 300  # seconds; MariaDB's GET_LOCK needs a limit


def revision(engine: Engine) -> str | None:
    """The schema revision the database is at; None where it holds no Collegium tables. Reads
    only."""
    with engine.connect() as conn:  # a database that cannot be read raises here
        if not inspect(conn).has_table(s.VERSION_TABLE):
            return None
        found = conn.execute(text(f"SELECT version_num FROM {s.VERSION_TABLE}")).scalar()
    return None if found is None else str(found)


def require_current(engine: Engine) -> None:
    """Raise :class:`InvalidInput` unless the schema is at the current revision; nothing is
    written either way."""
    found = revision(engine)
    if found == s.HEAD_REVISION:
        return
    where = engine.url.render_as_string(hide_password=True)
    if found is None:
        raise InvalidInput(
            Message(
                "{where} holds no Collegium tables; create them with 'collegium db upgrade'",
                where=where,
            )
        )
    raise InvalidInput(
        Message(
            "Collegium's tables in {where} are at revision {found}, not {head}; "
            "bring them up to date with 'collegium db upgrade'",
            where=where,
            found=found,
            head=s.HEAD_REVISION,
        )
    )


def migrate(engine: Engine) -> None:
    """Bring the schema to the current revision (a no-op when it already is)."""
    if revision(engine) == s.HEAD_REVISION:
        return
    from alembic import command
    from alembic.config import Config

    from collegium.store.sqlengine import WRITE as _WRITE

    cfg = Config()
    cfg.set_main_option("script_location", str(Path(__file__).parent / "migrations"))
    with engine.connect() as conn, _one_at_a_time(conn):
        conn.execution_options(
            **{_WRITE: True}
        )  # SQLite: its write lock, taken at BEGIN, is the lock
        with conn.begin():
            cfg.attributes["connection"] = conn
            command.upgrade(
                cfg, "head"
            )  # reads the revision under the lock: a no-op if another just migrated


@contextmanager
def _one_at_a_time(conn: Connection) -> Iterator[None]:
    """A lock of the connection's session, held until the block ends (after the migration's
    commit)."""
    name = conn.dialect.name
    params: dict[str, object]
    if name == "postgresql":
        lock, unlock, params = (
            "SELECT pg_advisory_lock(:key)",
            "SELECT pg_advisory_unlock(:key)",
            {"key": ADVISORY_KEY},
        )
    elif name in (
        "mysql",
        "mariadb",
    ):  # named locks are server-wide: the database's name is part of the lock's
        database = conn.execute(text("SELECT DATABASE()")).scalar()
        conn.commit()
        lock, unlock = f"SELECT GET_LOCK(:name, {LOCK_WAIT})", "SELECT RELEASE_LOCK(:name)"
        params = {"name": f"collegium-migrate:{database}"[:64]}
    else:
        yield
        return
    got = conn.execute(text(lock), params).scalar()
    conn.commit()  # the lock belongs to the session; the migration begins a transaction of its own
    if name != "postgresql" and got != 1:
        raise ConcurrentUpdate(
            Message(
                "another process held the migration lock {name!r} for {wait} s",
                name=params["name"],
                wait=LOCK_WAIT,
            )
        )
    try:
        yield
    finally:
        conn.execute(text(unlock), params)
        conn.commit()

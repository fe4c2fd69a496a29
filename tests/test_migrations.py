"""Schema migrations: the migrated schema is the one the code declares, on every backend, and an
upgrade keeps what was pending (revision 0005 rebuilds the timers table, whose key gained the
reminder's lead time; revision 0007 converts MariaDB's tables to exact text)."""

from __future__ import annotations

from pathlib import Path

import sqlalchemy as sa
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.config import Config
from alembic.migration import MigrationContext

from collegium import Body, Engine, ManualClock, Member, SequentialIds
from collegium.store import schema
from collegium.store.migration import migrate
from collegium.store.sqlengine import make_engine
from tests.conftest import START

SCRIPTS = Path(schema.__file__).parent / "migrations"


def _alembic(conn: sa.Connection) -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(SCRIPTS))
    cfg.attributes["connection"] = conn
    return cfg


def test_the_migrated_schema_is_the_declared_one(db_url: str) -> None:
    engine = make_engine(db_url)
    try:
        migrate(engine)
        with engine.connect() as conn:
            diff = compare_metadata(
                MigrationContext.configure(conn, opts={"version_table": schema.VERSION_TABLE}),
                schema.metadata,
            )
        # what a backend reports back in its own words, not a difference: none is expected at all
        assert diff == []
    finally:
        engine.dispose()


def test_upgrading_to_reminders_keeps_the_pending_timers_and_going_back_drops_only_reminders(
    db_url: str,
) -> None:
    engine = make_engine(db_url)
    try:
        with engine.begin() as conn:
            command.upgrade(_alembic(conn), "0004")
            conn.execute(
                sa.text(
                    "INSERT INTO collegium_timers VALUES ('task-1', 'review', 'in_progress', "
                    "'2026-12-31T10:00:00.000000Z', 3)"
                )
            )
        with engine.begin() as conn:
            command.upgrade(_alembic(conn), "head")
        timers = schema.timers
        with engine.connect() as conn:
            rows = conn.execute(
                sa.select(timers.c.instance_id, timers.c.trigger, timers.c.lead_seconds)
            ).all()
            assert [tuple(r) for r in rows] == [("task-1", "review", 0)]
        with engine.begin() as conn:
            conn.execute(
                sa.insert(timers).values(
                    instance_id="task-1",
                    trigger="review",
                    lead_seconds=86400,
                    state="in_progress",
                    due_at="2026-12-30T10:00:00.000000Z",
                    entered_seq=3,
                )
            )
        with engine.begin() as conn:
            command.downgrade(_alembic(conn), "0004")
        with engine.connect() as conn:
            rows = conn.execute(sa.text("SELECT instance_id, due_at FROM collegium_timers")).all()
            assert [tuple(r) for r in rows] == [("task-1", "2026-12-31T10:00:00.000000Z")]
        with engine.begin() as conn:
            command.upgrade(_alembic(conn), "head")
        with engine.connect() as conn:
            key = sa.inspect(conn).get_pk_constraint("collegium_timers")
            assert key["constrained_columns"] == ["instance_id", "trigger", "lead_seconds"]
            if (
                conn.dialect.name == "postgresql"
            ):  # named as a table made with that name would name it
                assert key["name"] == "collegium_timers_pkey"
    finally:
        engine.dispose()
    with Engine.open(
        db_url, clock=ManualClock(START), ids=SequentialIds()
    ) as reopened:  # current: no migration
        assert reopened.store.due_timers("9999", 10)[0].instance_id == "task-1"


def _collations(conn: sa.Connection) -> dict[str, set[str]]:
    """MariaDB: the collations of Collegium's text columns, and of its tables (the default of a
    column added later), each with where it is."""
    mine = (
        "TABLE_SCHEMA = DATABASE() AND TABLE_NAME LIKE 'collegium\\_%' AND TABLE_NAME <> :version"
    )
    version = {"version": schema.VERSION_TABLE}
    columns = conn.execute(
        sa.text(
            "SELECT TABLE_NAME, COLUMN_NAME, COLLATION_NAME FROM information_schema.COLUMNS "
            f"WHERE {mine} AND COLLATION_NAME IS NOT NULL"
        ),
        version,
    )
    tables = conn.execute(
        sa.text(f"SELECT TABLE_NAME, TABLE_COLLATION FROM information_schema.TABLES WHERE {mine}"),
        version,
    )
    out: dict[str, set[str]] = {}
    for *where, collation in [*columns, *tables]:
        out.setdefault(collation, set()).add(".".join(where))
    return out


def test_upgrading_to_exact_text_keeps_the_rows_then_tells_lookalike_ids_apart(db_url: str) -> None:
    engine = make_engine(db_url)
    mariadb = engine.dialect.name in ("mysql", "mariadb")
    try:
        with engine.begin() as conn:
            command.upgrade(_alembic(conn), "0006")
            conn.execute(
                sa.text("INSERT INTO collegium_bodies (id, kind) VALUES ('sc', 'standing')")
            )
            conn.execute(
                sa.text(
                    "INSERT INTO collegium_members "
                    "VALUES ('sc', 'm3', 0, 'standing_member', :v, NULL)"
                ),
                {"v": True},
            )
        with engine.begin() as conn:
            command.upgrade(_alembic(conn), "head")
        if mariadb:
            with engine.connect() as conn:
                exact = _collations(conn)
            assert list(exact) == [schema.EXACT_COLLATION], exact
            assert len(exact[schema.EXACT_COLLATION]) > 50  # every text column and table
            with engine.begin() as conn:  # and back: the database's default, but the indexed values
                command.downgrade(_alembic(conn), "0006")
            with engine.connect() as conn:
                back = _collations(conn)
                default = conn.execute(sa.text("SELECT @@collation_database")).scalar()
            assert back.pop(schema.EXACT_COLLATION) == {"collegium_facts_index.value"}
            assert list(back) == [default]
            with engine.begin() as conn:
                command.upgrade(_alembic(conn), "head")
    finally:
        engine.dispose()
    with Engine.open(db_url, clock=ManualClock(START), ids=SequentialIds()) as reopened:
        assert [m.person for m in reopened.body("sc").members] == ["m3"]
        members = tuple(Member(person=p, role="standing_member") for p in ("m3", "M3", "m3 "))
        reopened.define_body(Body(id="sc", kind="standing", members=members))
        reopened.define_body(Body(id="SC", kind="plenary"))
        assert [m.person for m in reopened.body("sc").members] == ["m3", "M3", "m3 "]
        assert (reopened.body("sc").kind, reopened.body("SC").kind) == ("standing", "plenary")

"""Schema migrations: the migrated schema is the one the code declares, on every backend, and an upgrade keeps what
was pending (revision 0005 rebuilds the timers table, whose key gained the reminder's lead time)."""

from __future__ import annotations

from pathlib import Path

import sqlalchemy as sa
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.config import Config
from alembic.migration import MigrationContext

from collegium import Engine, ManualClock, SequentialIds
from collegium.engine import schema
from collegium.engine.migration import migrate
from collegium.engine.sqlengine import make_engine
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
            diff = compare_metadata(MigrationContext.configure(conn, opts={"version_table": schema.VERSION_TABLE}), schema.metadata)
        # what a backend reports back in its own words, not a difference: none is expected at all
        assert diff == []
    finally:
        engine.dispose()


def test_upgrading_to_reminders_keeps_the_pending_timers_and_going_back_drops_only_reminders(db_url: str) -> None:
    engine = make_engine(db_url)
    try:
        with engine.begin() as conn:
            command.upgrade(_alembic(conn), "0004")
            conn.execute(sa.text("INSERT INTO collegium_timers VALUES ('task-1', 'review', 'in_progress', "
                                 "'2026-12-31T10:00:00.000000Z', 3)"))
        with engine.begin() as conn:
            command.upgrade(_alembic(conn), "head")
        timers = schema.timers
        with engine.connect() as conn:
            rows = conn.execute(sa.select(timers.c.instance_id, timers.c.trigger, timers.c.lead_seconds)).all()
            assert [tuple(r) for r in rows] == [("task-1", "review", 0)]
        with engine.begin() as conn:
            conn.execute(sa.insert(timers).values(instance_id="task-1", trigger="review", lead_seconds=86400,
                                                  state="in_progress", due_at="2026-12-30T10:00:00.000000Z",
                                                  entered_seq=3))
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
            if conn.dialect.name == "postgresql":  # named as a table made with that name would name it
                assert key["name"] == "collegium_timers_pkey"
    finally:
        engine.dispose()
    with Engine.open(db_url, clock=ManualClock(START), ids=SequentialIds()) as reopened:  # current: no migration
        assert reopened.store.due_timers("9999", 10)[0].instance_id == "task-1"

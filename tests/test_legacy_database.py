"""A database written before events carried a format version (tests/data/legacy-0006.db, made by
tests/data/make_legacy_db.py at schema revision 0006) is migrated on every backend: its chains
still verify as format 1, its bodies get chains of their own, and new steps append events of the
current format to old chains."""

from __future__ import annotations

import datetime as dt
import shutil
import sqlite3
from pathlib import Path

import pytest
import sqlalchemy as sa
from alembic import command
from alembic.config import Config

from collegium import Engine, ManualClock, SequentialIds
from collegium.store import schema
from collegium.store.records import EVENT_FORMAT
from collegium.store.sqlengine import make_engine
from tests.conftest import CST

LEGACY = Path(__file__).parent / "data" / "legacy-0006.db"
SCRIPTS = Path(schema.__file__).parent / "migrations"


def _copy_legacy(url: str) -> None:
    """The legacy file's rows in a server database whose schema is at revision 0006, as that code
    made it."""
    engine = make_engine(url)
    try:
        with engine.begin() as conn:
            cfg = Config()
            cfg.set_main_option("script_location", str(SCRIPTS))
            cfg.attributes["connection"] = conn
            command.upgrade(cfg, "0006")
        source = sqlite3.connect(LEGACY)
        try:
            names = [
                r[0]
                for r in source.execute(
                    "SELECT name FROM sqlite_master WHERE type = 'table' AND name "
                    "LIKE 'collegium_%' AND name != 'collegium_alembic_version'"
                )
            ]
            with engine.begin() as conn:
                for name in names:
                    cursor = source.execute(f"SELECT * FROM {name}")
                    columns = [d[0] for d in cursor.description]
                    flags = {
                        c.name
                        for c in schema.metadata.tables[name].c
                        if isinstance(c.type, sa.Boolean)
                    }
                    rows = [
                        {c: bool(v) if c in flags else v for c, v in zip(columns, row, strict=True)}
                        for row in cursor
                    ]  # SQLite keeps a boolean as 0 or 1
                    if rows:
                        conn.execute(
                            sa.insert(sa.table(name, *(sa.column(c) for c in columns))), rows
                        )
                    serial = name in (
                        "collegium_events",
                        "collegium_outbox",
                    )  # ids given: move the sequence on
                    if rows and serial and conn.dialect.name == "postgresql":
                        conn.execute(
                            sa.text(
                                f"SELECT setval(pg_get_serial_sequence('{name}', 'id'), "
                                f"(SELECT max(id) FROM {name}))"
                            )
                        )
        finally:
            source.close()
    finally:
        engine.dispose()


@pytest.fixture
def legacy_url(db_url: str, tmp_path: Path) -> str:
    if db_url.startswith("sqlite"):
        copy = tmp_path / "legacy.db"
        shutil.copy(LEGACY, copy)
        return f"sqlite:///{copy}"
    _copy_legacy(db_url)
    return db_url


def test_a_database_of_schema_0006_verifies_and_grows_under_the_current_format(
    legacy_url: str,
) -> None:
    clock = ManualClock(dt.datetime(2026, 7, 6, 9, tzinfo=CST))
    with Engine.open(legacy_url, clock=clock, ids=SequentialIds(start=1000)) as engine:
        report = engine.verify_audit()
        assert report.ok, report.problem
        assert (report.instances, report.events) == (58, 195)
        assert {e.format_version for e in engine.store.iter_events()} == {1}
        assert [(e.body_id, e.seq, e.at) for e in engine.store.body_events()] == [
            ("pc", 1, None),
            ("sc", 1, None),
        ]
        task = next(i for i in engine.instances("assignment") if i.state == "in_progress")
        engine.fire(
            task.id,
            "report",
            task.facts["lead_member"],
            {"metric": next(iter(task.facts["targets"])), "value": 1, "note": "after the upgrade"},
        )
        clock.set(dt.datetime(2026, 12, 31, 23, 59, tzinfo=CST))
        assert engine.run_due()  # the deadlines set under format 1 still fall due
        history = engine.history(task.id)
        assert history[0].format_version == 1 and history[-1].format_version == EVENT_FORMAT
        assert history[-1].prev_hash == history[-2].hash  # one chain across both formats
        report = engine.verify_audit()
        assert report.ok, report.problem
        assert report.events > 195


def test_an_edited_event_of_format_1_is_still_detected(legacy_url: str) -> None:
    clock = ManualClock(dt.datetime(2026, 7, 6, 9, tzinfo=CST))
    with Engine.open(legacy_url, clock=clock) as engine:
        secret = next(
            i.id
            for i in engine.instances("major_decision")
            if i.facts.get("ballot", {}).get("secret")
        )
        store = engine.store
        e = schema.events
        with store.engine.begin() as conn:  # type: ignore[attr-defined]
            conn.execute(
                sa.update(e)
                .where(e.c.instance_id == secret, e.c.trigger == "close_ballot")
                .values(actor="m1")
            )
        problem = engine.verify_audit().problem
        assert problem is not None and problem.instance_id == secret and "edited" in problem.reason
        with store.engine.begin() as conn:  # type: ignore[attr-defined]
            conn.execute(
                sa.update(e)
                .where(e.c.instance_id == secret, e.c.trigger == "close_ballot")
                .values(actor="sec", format_version=2)
            )  # claimed to be of the newer format
        problem = engine.verify_audit().problem
        assert problem is not None and problem.instance_id == secret and "edited" in problem.reason

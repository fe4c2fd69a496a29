"""The command line on a database of its own: creating it, and the console script's one-line
errors."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
import sqlalchemy as sa

from collegium.store import schema
from tests.test_cli import assert_one_error_line, run


def test_db_upgrade_creates_the_database(tmp_path: Path) -> None:
    path = tmp_path / "new.db"
    r = run("--db", path, "db", "upgrade")
    assert r.exit_code == 0 and path.exists()
    r = run("--db", path, "db", "upgrade")
    assert r.exit_code == 0
    assert run("--db", path, "audit", "verify").exit_code == 0


def test_the_console_script_exits_with_one_line(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("id: [x\n", encoding="utf-8")
    out = subprocess.run(
        [sys.executable, "-m", "collegium.cli", "procedures", "check", str(bad)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert out.returncode == 2
    assert out.stderr.count("\n") == 1 and out.stderr.startswith("collegium: error: ")
    assert "Traceback" not in out.stderr


#: a command of each kind that only reads: none of them may create or change a table
READS = (
    ("instances",),
    ("history", "x"),
    ("status", "x"),
    ("check", "x", "propose", "--as", "sec"),
    ("diagram", "--instance", "x"),
    ("body", "show", "sc"),
    ("cases", "open"),
    ("tasks", "overdue"),
    ("commitments", "list", "--body", "sc", "--year", "2026"),
    ("reports", "due", "--days", "30"),
    ("meeting", "show", "x"),
    ("vote", "tally", "x"),
    ("audit", "verify"),
)


def tables(url: str) -> set[str]:
    engine = sa.create_engine(url)
    try:
        return {t for t in sa.inspect(engine).get_table_names() if t.startswith("collegium_")}
    finally:
        engine.dispose()


@pytest.mark.parametrize("command", READS, ids=lambda c: " ".join(c[:2]))
def test_a_read_refuses_a_database_without_tables_and_creates_none(
    db_url: str, command: tuple[str, ...]
) -> None:
    if db_url.startswith("sqlite"):
        Path(db_url.removeprefix("sqlite:///")).touch()  # an empty SQLite file
    r = run("--db", db_url, *command)
    assert r.exit_code == 2
    assert_one_error_line(r, "holds no Collegium tables", "collegium db upgrade")
    assert tables(db_url) == set()


def test_a_read_refuses_an_outdated_schema_and_leaves_it_so(db_url: str) -> None:
    assert run("--db", db_url, "db", "upgrade").exit_code == 0
    engine = sa.create_engine(db_url)
    try:
        with engine.begin() as conn:
            conn.execute(sa.text(f"UPDATE {schema.VERSION_TABLE} SET version_num = '0008'"))
    finally:
        engine.dispose()
    r = run("--db", db_url, "instances")
    assert r.exit_code == 2
    assert_one_error_line(r, f"at revision 0008, not {schema.HEAD_REVISION}", "db upgrade")
    engine = sa.create_engine(db_url)
    try:
        with engine.connect() as conn:
            found = conn.execute(sa.text(f"SELECT version_num FROM {schema.VERSION_TABLE}"))
            assert found.scalar() == "0008"
    finally:
        engine.dispose()


def test_a_write_creates_the_tables_a_read_then_uses(db_url: str, tmp_path: Path) -> None:
    body = tmp_path / "sc.yaml"
    body.write_text(
        "id: sc\nkind: standing\nmembers:\n  - {person: sec, role: secretary}\n"
        "  - {person: m1, role: member}\n  - {person: m2, role: member}\n",
        encoding="utf-8",
    )
    assert run("--db", db_url, "body", "define", body).exit_code == 0
    assert schema.VERSION_TABLE in tables(db_url)
    shown = run("--db", db_url, "body", "show", "sc")
    assert shown.exit_code == 0 and "m2" in shown.output

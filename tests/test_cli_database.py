"""The command line on a database of its own: creating it, and the console script's one-line
errors."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from tests.test_cli import run


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

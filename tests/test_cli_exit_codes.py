"""The command line's exit codes hold for every kind of failure (issue 20.2): 2 and one line for
input, files and databases that cannot be used, 130 for Ctrl-C, 70 and one line for a fault of
Collegium's own, whose traceback only ``--debug`` shows."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path
from typing import Any

import click
import pytest
from click.testing import CliRunner

from collegium import __version__
from collegium.cli import cli
from tests.test_cli import assert_one_error_line, run


def python_m(*args: str, stdout: Any = subprocess.PIPE) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "collegium", *args],
        stdout=stdout,
        stderr=subprocess.PIPE,
        text=True,
        check=False,
        timeout=120,
    )


def test_python_m_collegium_and_dash_v_print_the_version() -> None:
    for flag in ("-V", "--version"):
        out = python_m(flag)
        assert out.returncode == 0, out.stderr
        assert out.stdout.strip() == f"collegium, version {__version__}"


def test_a_file_that_is_no_database_exits_2_in_one_line(tmp_path: Path) -> None:
    bad = tmp_path / "notes.txt"
    bad.write_text("not a database\n", encoding="utf-8")
    out = python_m("--db", str(bad), "instances")
    assert out.returncode == 2
    assert out.stderr.count("\n") == 1 and "file is not a database" in out.stderr
    assert "Traceback" not in out.stderr
    assert bad.read_text(encoding="utf-8") == "not a database\n"


def test_a_folder_as_the_database_exits_2_in_one_line(tmp_path: Path) -> None:
    r = run("--db", tmp_path, "instances")
    assert r.exit_code == 2
    assert_one_error_line(r, "cannot open database")


def test_an_output_that_cannot_be_written_exits_2_in_one_line(tmp_path: Path) -> None:
    r = run("audit", "keygen", "--out", tmp_path / "no such folder" / "key")
    assert r.exit_code == 2
    assert_one_error_line(r, "no such folder")


def test_a_full_standard_output_exits_2_in_one_line() -> None:
    with open("/dev/full", "w", encoding="utf-8") as full:
        out = python_m("procedures", "list", stdout=full)
    assert out.returncode == 2
    assert out.stderr.count("\n") == 1 and "No space left on device" in out.stderr


@pytest.fixture
def faulty(monkeypatch: pytest.MonkeyPatch) -> None:
    """``instances`` fails as a fault of Collegium's would."""
    import collegium.commands.instances as module

    def broken(**_kwargs: object) -> None:
        raise ZeroDivisionError("division by zero")

    monkeypatch.setattr(module.instances_cmd, "callback", broken)


@pytest.mark.usefixtures("faulty")
def test_a_fault_exits_70_in_one_line_and_shows_its_traceback_only_with_debug() -> None:
    r = run("instances")
    assert r.exit_code == 70
    line = assert_one_error_line(r, "internal error (ZeroDivisionError: division by zero)")
    assert line.endswith("run again with --debug for the traceback")
    for args in (("--debug", "instances"), ("instances", "--debug")):
        r = CliRunner().invoke(cli, list(args), catch_exceptions=False)
        assert r.exit_code == 70
        assert "Traceback (most recent call last)" in r.stderr
        assert r.stderr.strip().splitlines()[-1].startswith("collegium: error: internal error")


def test_an_ended_input_at_a_prompt_exits_2(monkeypatch: pytest.MonkeyPatch) -> None:
    import collegium.commands.instances as module

    def asks(**_kwargs: object) -> None:
        click.prompt("tellers' secret", hide_input=True)

    monkeypatch.setattr(module.instances_cmd, "callback", asks)
    r = CliRunner().invoke(cli, ["instances"], input="", catch_exceptions=False)
    assert r.exit_code == 2
    assert r.stderr.strip().splitlines()[-1] == (
        "collegium: error: the input ended where a value was asked for"
    )


WAITS = """
import sys, time
import collegium.commands.instances as module
from collegium.cli import main

def waits(**_kwargs):
    print("waiting", flush=True)
    time.sleep(60)

module.instances_cmd.callback = waits
main(["instances"])
"""


@pytest.mark.skipif(os.name != "posix", reason="SIGINT is sent as on a POSIX terminal")
def test_ctrl_c_exits_130_in_one_line() -> None:
    proc = subprocess.Popen(
        [sys.executable, "-c", WAITS],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert proc.stdout is not None
    assert proc.stdout.readline().strip() == "waiting"
    proc.send_signal(signal.SIGINT)
    _out, err = proc.communicate(timeout=60)
    proc.stdout.close()
    assert proc.returncode == 130
    assert err == "collegium: interrupted\n"


@pytest.mark.parametrize("args", [("--json", "rules", "list"), ("rules", "list")])
def test_a_reader_that_stops_reading_ends_the_command_quietly_with_141(
    args: tuple[str, ...],
) -> None:
    proc = subprocess.Popen(
        [sys.executable, "-m", "collegium", *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    assert proc.stdout is not None and proc.stderr is not None
    proc.stdout.close()  # as `| head` does once it has its lines
    with proc.stderr:
        err = proc.stderr.read()
    assert proc.wait(timeout=120) == 141
    assert err == b""

"""What a user finds without reading the code (issue 20.6): every command's help names the global
options it also takes, and shell completion, as the README tells it, completes commands."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from collegium.cli import GLOBAL_OPTIONS_HELP
from tests.test_cli import run


@pytest.mark.parametrize(
    "command", [("status",), ("vote", "cast"), ("meeting", "open"), ("simulate",), ("db",)]
)
def test_every_commands_help_ends_with_the_global_options(command: tuple[str, ...]) -> None:
    r = run(*command, "--help")
    assert r.exit_code == 0
    lines = [line.strip() for line in GLOBAL_OPTIONS_HELP.splitlines()[1:]]
    assert [line.strip() for line in r.output.strip().splitlines()[-3:]] == lines


def complete(words: str, at: int) -> list[str]:
    env = {
        **os.environ,
        "_COLLEGIUM_COMPLETE": "bash_complete",
        "COMP_WORDS": words,
        "COMP_CWORD": str(at),
    }
    out = subprocess.run(
        [sys.executable, "-m", "collegium"], env=env, capture_output=True, text=True, check=True
    )
    return out.stdout.split()


def test_shell_completion_completes_commands_and_subcommands() -> None:
    assert "plain,vote" in complete("collegium vo", 1)
    assert {"plain,cast", "plain,close"} <= set(complete("collegium vote c", 2))


def test_the_readme_tells_how_to_turn_completion_on() -> None:
    from pathlib import Path

    readme = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")
    assert 'eval "$(_COLLEGIUM_COMPLETE=bash_source collegium)"' in readme

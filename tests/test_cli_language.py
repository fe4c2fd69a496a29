"""The command line's language: ``--lang``, else ``COLLEGIUM_LANG``, else the locale (``LC_ALL``,
``LC_MESSAGES``, ``LANG``, the first one set); Chinese for ``zh``, English for anything else."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from collegium.cli import cli

UNSET: dict[str, str | None] = {
    "COLLEGIUM_LANG": None,
    "LC_ALL": None,
    "LC_MESSAGES": None,
    "LANG": None,
}


def states_header(env: dict[str, str | None], *args: str) -> str:
    """What ``procedures show meeting`` prints with ``env`` and ``args``."""
    r = CliRunner(env={**UNSET, **env}).invoke(cli, [*args, "procedures", "show", "meeting"])
    assert r.exit_code == 0, r.stderr
    return r.output


@pytest.mark.parametrize(
    ("env", "args", "chinese"),
    [
        ({}, (), False),
        ({"LANG": "zh_CN.UTF-8"}, (), True),
        ({"LANG": "de_DE.UTF-8"}, (), False),
        ({"LANG": "en_US.UTF-8", "LC_ALL": "zh_TW.UTF-8"}, (), True),
        ({"LANG": "zh_CN.UTF-8", "LC_MESSAGES": "C"}, (), False),
        ({"COLLEGIUM_LANG": "zh-CN", "LANG": "en_US.UTF-8"}, (), True),
        ({"COLLEGIUM_LANG": "zh_CN"}, (), True),
        ({"COLLEGIUM_LANG": "en", "LANG": "zh_CN.UTF-8"}, (), False),
        ({"COLLEGIUM_LANG": "en"}, ("--lang", "zh-CN"), True),
        ({"LANG": "zh_CN.UTF-8"}, ("--lang", "en"), False),
    ],
)
def test_the_language_comes_from_the_option_the_variable_then_the_locale(
    env: dict[str, str | None], args: tuple[str, ...], chinese: bool
) -> None:
    out = states_header(env, *args)
    assert ("状态" in out) is chinese, out[:200]


def test_a_language_it_does_not_speak_is_one_line_and_exit_2() -> None:
    r = CliRunner(env={**UNSET, "COLLEGIUM_LANG": "fr"}).invoke(cli, ["procedures", "list"])
    assert r.exit_code == 2
    (line,) = r.stderr.strip().splitlines()
    assert line.startswith("collegium: error: ") and "fr" in line

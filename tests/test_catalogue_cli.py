"""The command line's own errors in Chinese (issue 20.5): under ``--lang zh-CN`` (or
``COLLEGIUM_LANG=zh-CN``) the one line ``collegium: error: …`` of a bad option, of malformed
``--data``, of a database that is not there, says its message from the catalogue; under English
it is the English it always was. Definition files refused while they are read say theirs too."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from collegium import DefinitionError, parse_yaml
from collegium.cli import cli

#: no language from the machine's locale: each test names its own
UNSET: dict[str, str | None] = {
    "COLLEGIUM_LANG": None,
    "LC_ALL": None,
    "LC_MESSAGES": None,
    "LANG": None,
}


def run(*args: str | Path, env: dict[str, str] | None = None) -> Result:
    runner = CliRunner(env={**UNSET, **(env or {})})
    return runner.invoke(cli, [str(a) for a in args], catch_exceptions=False, prog_name="collegium")


def error_line(result: Result, code: int = 2) -> str:
    """The one line of ``result``'s error, which exited with ``code``."""
    assert result.exit_code == code, result.stderr
    assert "Traceback" not in result.stderr
    (line,) = result.stderr.strip().splitlines()
    assert line.startswith("collegium: error: ")
    return line.removeprefix("collegium: error: ")


def test_a_bad_time_zone_is_said_in_the_language_of_lang_given_after_it() -> None:
    r = run("--tz", "Mars/Olympus", "supervise", "--lang", "zh-CN")
    assert error_line(r) == (
        "--tz 须为时差（如 +08:00、Z 或 UTC）或时区名（如 Asia/Shanghai），而不是 'Mars/Olympus'"
        "（参见 'collegium --help'）"
    )
    r = run("supervise", "--tz", "+99:00", env={"COLLEGIUM_LANG": "zh-CN"})
    assert error_line(r).startswith("--tz 须为时差")
    r = run("--lang", "en", "--tz", "+99:00", "supervise")
    assert error_line(r) == (
        "--tz must be an offset such as +08:00, Z or UTC, or a zone name such as Asia/Shanghai, "
        "not '+99:00' (see 'collegium --help')"
    )


@pytest.mark.parametrize(
    ("data", "chinese", "english"),
    [
        (
            "{member: m1}",
            "--data 不是有效的 JSON：Expecting property name enclosed in double quotes（第 2 列）",
            "--data is not valid JSON: Expecting property name enclosed in double quotes "
            "(column 2)",
        ),
        (
            "[1, 2]",
            '--data 须为 JSON 对象，如 \'{"member": "m1"}\'',
            '--data must be a JSON object, e.g. \'{"member": "m1"}\'',
        ),
    ],
)
def test_malformed_data_is_said_in_chinese(data: str, chinese: str, english: str) -> None:
    fire = ["fire", "md", "consult", "--as", "sec", "--data", data]
    assert error_line(run("--lang", "zh-CN", *fire)) == chinese
    assert error_line(run("--lang", "en", *fire)) == english


def test_a_database_that_is_not_there_and_options_that_go_together(tmp_path: Path) -> None:
    db = tmp_path / "none.db"
    assert error_line(run("--lang", "zh-CN", "--db", db, "status", "md")) == (
        f"{str(db)!r} 处没有数据库；请给出 --db，或用 'collegium db upgrade' 创建数据库"
    )
    assert not db.exists()
    r = run("--lang", "zh-CN", "--db", db, "audit", "verify", "--against", "x.json")
    assert error_line(r) == (
        "--against 与 --public-key 须同时给出（参见 'collegium audit verify --help'）"
    )


def test_a_year_and_attendance_given_wrongly_are_said_in_chinese() -> None:
    r = run("--lang", "zh-CN", "commitments", "list", "--body", "sc", "--year", "MMXXVI")
    assert error_line(r) == "--year 须为年份（如 2026），而不是 'MMXXVI'"
    r = run("--lang", "zh-CN", "meeting", "attend", "md", "--as", "sec")
    assert error_line(r) == "--present、--absent、--attendee 须给出且只给出其中之一"


def test_a_definition_file_refused_while_read_says_why_in_both_languages() -> None:
    with pytest.raises(DefinitionError) as caught:
        parse_yaml("id: a\nid: b\n", "p.yaml")
    assert str(caught.value) == "p.yaml:2: duplicate key 'id'"
    assert caught.value.message("zh-CN") == "p.yaml:2: 重复的键 'id'"
    with pytest.raises(DefinitionError) as caught:
        parse_yaml("a: [1\n", "p.yaml")
    assert str(caught.value).startswith("p.yaml:2: YAML syntax error: ")
    assert caught.value.message("zh-CN").startswith("p.yaml:2: YAML 语法错误：")


@pytest.mark.parametrize(
    ("args", "zh"),
    [
        (["nope"], "没有命令 'nope'。（参见 'collegium --help'）"),
        (["instances", "--nope"], "没有选项 '--nope'。（参见 'collegium instances --help'）"),
        (["fire"], "缺少参数 'INSTANCE'。（参见 'collegium fire --help'）"),
        (["instances", "extra"], "多出了参数（extra）（参见 'collegium instances --help'）"),
        (["fire", "a", "b", "--as"], "选项 '--as' 需要一个值。"),
    ],
)
def test_clicks_own_usage_errors_are_said_in_chinese(args: list[str], zh: str) -> None:
    english = run(*args)
    r = run("--lang", "zh-CN", *args)
    assert (r.exit_code, english.exit_code) == (2, 2)
    assert r.stderr.strip() == f"collegium: error: {zh}"
    assert not english.stderr.strip().startswith(f"collegium: error: {zh[:4]}")


def test_a_click_message_no_template_knows_stays_as_click_wrote_it() -> None:
    from collegium.commands import clickwords

    assert clickwords.said("Something click may say one day.", "zh-CN") == (
        "Something click may say one day."
    )
    assert clickwords.said("No such command 'x'.", "en") == "No such command 'x'."


def test_a_validators_own_message_in_a_pack_file_is_said_in_chinese(tmp_path: Path) -> None:
    pack = tmp_path / "p.yaml"
    pack.write_text(
        'id: tinyp\nversion: "1"\ntitle: {en: T, zh-CN: T}\nrules:\n'
        "  - id: R-A\n    title: {en: a, zh-CN: a}\n    citation: c\n"
        '    check: {kind: threshold, count: a, base: b, op: ">=", ratio: "3/2"}\n',
        encoding="utf-8",
    )
    english = run("procedures", "check", pack)
    chinese = run("--lang", "zh-CN", "procedures", "check", pack)
    where = f"collegium: error: {pack}:8: rules[1].check.threshold.ratio: "
    assert english.stderr.strip() == where + "ratio 3/2 must be greater than 0 and at most 1"
    assert chinese.stderr.strip() == where + "比例 3/2 须大于 0 且不大于 1"

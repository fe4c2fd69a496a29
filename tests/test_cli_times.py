"""How the command line shows things to a person: times to the minute in the zone of --tz with the
offset said once (JSON unchanged), ids and times never folded, a label once when it is its id, a
reminder in words, nested facts as tables rather than JSON, and a sentence for a listing that finds
nothing, in both languages."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from collegium.cli import cli
from tests.test_cli import BODY_YAML, PROPOSAL, assert_one_error_line, run

ROOT = Path(__file__).resolve().parents[1]
SCENARIOS = ROOT / "examples" / "scenarios"
LONG_ID = "a-matter-whose-id-is-longer-than-a-narrow-terminal-is-wide"


def ok(*args: str | Path, env: dict[str, str] | None = None) -> Result:
    r = CliRunner(env=env).invoke(cli, [str(a) for a in args], catch_exceptions=False)
    assert r.exit_code == 0, r.stderr
    return r


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo's database: a decision adopted 2026-03-10 09:23 +08:00, corrected 2026-06-10."""
    path = tmp_path_factory.mktemp("demo") / "demo.db"
    ok("--db", path, "demo")
    return path


@pytest.fixture
def db(demo_db: Path, tmp_path: Path) -> Path:
    """A copy of the demo's database, to change."""
    return Path(shutil.copy(demo_db, tmp_path / "demo.db"))


# -- times -----------------------------------------------------------------------------------------
def test_instances_show_minutes_in_the_zone_with_the_offset_in_the_header(demo_db: Path) -> None:
    east = ok("--db", demo_db, "instances", "--tz", "+08:00").output
    assert "updated (UTC+08:00)" in east and "2026-06-10 09:23 " in east
    assert ".000000" not in east and "T01:23" not in east and "+08:00 │" not in east
    utc = ok("--db", demo_db, "--tz", "UTC", "instances").output
    assert "updated (UTC)" in utc and "2026-06-10 01:23 " in utc and "09:23" not in utc
    assert ok("--db", demo_db, "--tz", "Asia/Shanghai", "instances").output == east
    assert ok("--db", demo_db, "instances", env={"COLLEGIUM_TZ": "Z"}).output == utc


def test_json_keeps_the_exact_times_whatever_the_zone(demo_db: Path) -> None:
    for command in (["instances"], ["status", "major_decision-1"], ["history", "major_decision-1"]):
        plain = ok("--db", demo_db, "--json", *command).stdout
        assert ok("--db", demo_db, "--json", "--tz", "+08:00", *command).stdout == plain
    doc = json.loads(ok("--db", demo_db, "--json", "--tz", "+08:00", "instances").stdout)
    assert doc[0]["updated_at"] == "2026-06-10T01:23:00.000000Z"


def test_status_shows_its_times_and_nested_facts_for_a_person(demo_db: Path) -> None:
    out = ok("--db", demo_db, "--tz", "+08:00", "status", "major_decision-1").output
    assert "updated: 2026-06-10 09:23 (UTC+08:00)" in out
    assert "times in UTC+08:00" in out  # the facts' caption: the offset once
    # the datetime fact, by the procedure's fact types
    assert re.search(r"│ meeting_at \(meeting\s.*│ 2026-03-10 09:00\s", out)
    # the ballot and the consultations: key: value lines and a table, not JSON
    assert '{"' not in out and '"view"' not in out and ".000000Z" not in out
    assert re.search(r"│ sec │ 2026-03-04 10:00 │ sec │ agree", out)  # consulted at 10:00 +08:00
    assert re.search(r"closed at:\s+2026-03-10 09:23", out)
    assert "closed at 2026-03-10 09:23 (UTC+08:00)" in out  # the ballot result's panel
    zh = ok("--db", demo_db, "--lang", "zh-CN", "--tz", "+08:00", "status", "major_decision-1")
    assert "时间为 UTC+08:00" in zh.output and "经办人" in zh.output and "同意" in zh.output
    assert '{"' not in zh.output


def test_history_meeting_and_tally_show_times_in_the_zone(demo_db: Path) -> None:
    out = ok("--db", demo_db, "--tz", "+08:00", "history", "major_decision-1").output
    assert "at (UTC+08:00)" in out and "2026-03-10 09:23" in out and ".000000" not in out
    assert re.search(r"│ meeting_at: 2026-03-10 09:00 ", out)  # a time in a step's data too
    shown = ok("--db", demo_db, "--tz", "UTC", "meeting", "show", "major_decision-1").output
    assert "opened 2026-03-10 01:00 (UTC)" in shown
    tally = ok("--db", demo_db, "--tz", "+08:00", "vote", "tally", "major_decision-1").output
    assert "closed at 2026-03-10 09:23 (UTC+08:00)" in tally


def test_a_bad_zone_is_one_line_and_exit_2(demo_db: Path) -> None:
    for args in (
        ["--tz", "Beijing", "instances"],
        ["instances", "--tz", "+25:00"],
        ["--tz", "../etc/passwd", "status", "major_decision-1"],
    ):
        r = run("--db", demo_db, *args)
        assert r.exit_code == 2
        assert_one_error_line(r, "--tz", "Asia/Shanghai")
    r = CliRunner(env={"COLLEGIUM_TZ": "Mars/Olympus"}).invoke(
        cli, ["--db", str(demo_db), "instances"]
    )
    assert r.exit_code == 2
    assert_one_error_line(r, "--tz", "Mars/Olympus")


def test_simulate_and_demo_keep_their_own_zone_unless_tz_is_given(tmp_path: Path) -> None:
    scenario = SCENARIOS / "p1_major_decision.yaml"
    own = ok("simulate", scenario).output
    assert own.splitlines()[1] == "times in UTC+08:00" and "2026-03-10 09:00" in own
    utc = ok("--tz", "UTC", "simulate", scenario).output
    assert utc.splitlines()[1] == "times in UTC" and "2026-03-10 01:00" in utc
    demo = ok("--db", tmp_path / "d.db", "--tz", "Z", "demo").output
    assert "times in UTC" in demo and "2026-03-02 01:00  sec  propose" in demo
    assert "meeting_at=2026-03-10 01:00" in demo


def test_supervise_shows_its_times_and_reminders_in_words(db: Path) -> None:
    later = ("--now", "2027-01-02T09:00+08:00")
    out = ok("--db", db, *later, "supervise", "--as-of", "2027-01-01", "--tz", "+08:00").output
    assert "swept timers due by 2027-01-01 23:59 (UTC+08:00): 5 fired" in out
    assert "due (UTC+08:00)" in out and "2026-12-24 18:00" in out
    assert "reminder 7 days before review" in out and "reminder 1 day before review" in out
    assert "-P7D" not in out
    again = ok("--db", db, *later, "--lang", "zh-CN", "supervise", "--as-of", "2027-01-01")
    assert "没有到期的事项" in again.output and "┃" not in again.output
    nothing = ok("--db", db, *later, "supervise", "--as-of", "2027-01-01", "--tz", "UTC").output
    assert nothing.strip() == "nothing fell due by 2027-01-01 23:59 (UTC)"
    overdue = ok("--db", db, "--tz", "+08:00", "tasks", "overdue").output
    assert "deadline (UTC+08:00)" in overdue and "2026-12-31 18:00" in overdue
    history = ok("--db", db, "--lang", "zh-CN", "history", "assignment-2").output
    assert "review 前 7 天的提醒" in history  # the reminder's event, in words


def test_a_reminder_in_a_scenario_timeline_is_in_words() -> None:
    en = ok("simulate", SCENARIOS / "p3_task_completed.yaml").output
    assert "briefing-2 reminder 7 days before lapse → First briefing due (scheduled)" in en
    assert " -P7D" not in en
    zh = ok("--lang", "zh-CN", "simulate", SCENARIOS / "p4_accountability.zh-CN.yaml").output
    assert "review 前 7 天的提醒" in zh and "review 前 1 天的提醒" in zh


# -- tables ----------------------------------------------------------------------------------------
def test_a_long_id_is_never_folded_nor_cut(db: Path) -> None:
    ok("--db", db, "--now", "2026-07-01T09:00+08:00", "start", "major_decision", "--as", "sec",
       "--id", LONG_ID, *PROPOSAL)  # fmt: skip
    narrow = {"COLUMNS": "60", "TTY_COMPATIBLE": "1", "NO_COLOR": "1"}
    for env in (narrow, None):
        out = re.sub(
            r"\x1b\[[0-9;]*m", "", ok("--db", db, "--tz", "+08:00", "instances", env=env).output
        )
        row = next(line for line in out.splitlines() if LONG_ID in line)
        assert "2026-07-01 09:00" in row  # the id and its time whole, on one line
        assert "…" not in out
    out = ok("--db", db, "--tz", "+08:00", "status", LONG_ID, env=narrow).output
    assert LONG_ID in out and "2026-07-01 09:00 (UTC+08:00)" in out


def test_a_label_the_same_as_its_id_is_shown_once(demo_db: Path) -> None:
    tally = ok("--db", demo_db, "vote", "tally", "major_decision-1").output
    assert "agree (agree)" not in tally and "named (named)" not in tally
    assert re.search(r"│ agree\s+│ 7 ", tally) and re.search(r"│ m5\s+│ oppose\s+│", tally)
    zh = ok("--db", demo_db, "--lang", "zh-CN", "vote", "tally", "major_decision-1").output
    assert "同意 (agree)" in zh and "记名 (named)" in zh


def test_rules_show_draws_its_check_rather_than_json() -> None:
    out = ok("rules", "show", "R-QUORUM-SC").output
    assert '{"' not in out and re.search(r"check\s+│ \S+:", out)


# -- listings that find nothing, and counts --------------------------------------------------------
@pytest.mark.parametrize(
    ("args", "en", "zh"),
    [
        (["instances"], "no instances", "没有实例"),
        (["instances", "--state", "nowhere"], "no instances", "没有实例"),
        (["cases", "open"], "no open cases", "没有未结的问责案件"),
        (["tasks", "overdue"], "no task is overdue", "没有逾期的任务"),
        (["tasks", "targets", "m1"], "m1 has no targets", "m1 没有目标"),
        (["reports", "due"], "no report due in the next 30 days", "未来 30 天内没有到期的报告"),
        (["reports", "due", "--days", "1"], "no report due in the next 1 day", "未来 1 天内"),
        (
            ["commitments", "list", "--body", "sc", "--year", "2026"],
            "sc made no commitment for 2026",
            "sc 2026 年度没有承诺事项",
        ),
    ],
)
def test_an_empty_listing_is_a_sentence(tmp_path: Path, args: list[str], en: str, zh: str) -> None:
    db = tmp_path / "empty.db"
    (tmp_path / "sc.yaml").write_text(BODY_YAML, encoding="utf-8")
    ok("--db", db, "body", "define", tmp_path / "sc.yaml")  # a body, and no instance
    out = ok("--db", db, *args).output
    assert out.strip() == en and "┃" not in out
    assert zh in ok("--db", db, "--lang", "zh-CN", *args).output


def test_counts_take_their_singular_or_plural(tmp_path: Path) -> None:
    body = tmp_path / "one.yaml"
    body.write_text("id: solo\nkind: standing\nmembers:\n  - {person: p1, role: secretary}\n")
    assert (
        "body solo defined with 1 member\n"
        in ok("--db", tmp_path / "c.db", "body", "define", body).output
    )
    assert (
        "audit OK: 0 instances, 0 events" in ok("--db", tmp_path / "c.db", "audit", "verify").output
    )


def test_a_time_across_a_change_of_daylight_saving_carries_its_own_offset() -> None:
    import zoneinfo

    from collegium.commands.render import Times

    face = Times(zoneinfo.ZoneInfo("Europe/Berlin"))
    assert face.cell("2026-10-24T07:00:00.000000Z") == "2026-10-24 09:00"
    assert face.cell("2026-10-26T08:00:00.000000Z") == "2026-10-26 09:00 (UTC+01:00)"
    assert face.caption("en") == "times in UTC+02:00"
    assert face.line("2026-10-26T08:00:00Z") == "2026-10-26 09:00 (UTC+01:00)"

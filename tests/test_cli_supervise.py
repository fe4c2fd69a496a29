"""The command line of supervision: `supervise --as-of`, `tasks overdue|targets`, `cases open`, in
both languages."""

from __future__ import annotations

import json
from pathlib import Path

from tests.test_cli_ballot import ok, one_error_line, run


def test_supervision_finds_the_overdue_task_once_and_answers_the_office(tmp_path: Path) -> None:
    db = tmp_path / "c.db"
    ok(
        "--db", db, "--now", "2026-03-01T09:00+08:00", "demo"
    )  # leaves a task of 120 km in progress, 35 done
    assert (
        json.loads(
            ok("--db", db, "--json", "--now", "2026-12-31T12:00+08:00", "tasks", "overdue").stdout
        )
        == {}
    )
    later = ("--now", "2027-01-02T09:00+08:00")
    r = run(
        "--db",
        db,
        "--now",
        "2026-12-31T09:00+08:00",
        "supervise",
        "--as-of",
        "2027-01-01",
        "--tz",
        "+08:00",
    )
    assert r.exit_code == 2  # not a moment that has not come yet
    one_error_line(r, "cannot run timers due by")
    swept = json.loads(
        ok(
            "--db", db, "--json", *later, "supervise", "--as-of", "2027-01-01", "--tz", "+08:00"
        ).stdout
    )
    # the decision, corrected in the demo, has its briefings end at their first deadline
    briefed = [(f["trigger"], f["state"]) for f in swept["fired"] if "briefing" in f["instance"]]
    assert briefed == [("lapse -P7D", "scheduled"), ("lapse", "ended")]
    *reminders, fired = [f for f in swept["fired"] if f["instance"].startswith("assignment")]
    # the task's lead was reminded a week and a day before the deadline
    assert [(r["trigger"], r["state"]) for r in reminders] == [
        ("review -P7D", "in_progress"),
        ("review -P1D", "in_progress"),
    ]
    assert (fired["trigger"], fired["state"], len(fired["opened"])) == ("review", "overdue", 1)
    again = json.loads(
        ok(
            "--db", db, "--json", *later, "supervise", "--as-of", "2027-01-01", "--tz", "+08:00"
        ).stdout
    )
    assert again["fired"] == []  # nothing more: one case per finding
    overdue = json.loads(ok("--db", db, "--json", "tasks", "overdue").stdout)
    assert list(overdue) == ["m1"] and overdue["m1"][0]["state"] == "overdue"
    by_department = json.loads(
        ok("--db", db, "--json", "tasks", "overdue", "--by", "department").stdout
    )
    assert list(by_department) == ["transport bureau"]
    targets = json.loads(ok("--db", db, "--json", "tasks", "targets", "m1").stdout)
    assert [(t["metric"], t["measured"], t["percent"]) for t in targets["business"]] == [
        ("roads", "35", 29)
    ]
    cases = json.loads(ok("--db", db, "--json", "cases", "open").stdout)
    assert sorted(c["finding_kind"] for c in cases) == ["failed_decision", "overdue_task"]
    zh = ok("--db", db, "--lang", "zh-CN", "tasks", "targets", "m1").stdout
    assert "业务目标" in zh and "29%" in zh
    assert "问责案件" in ok("--db", db, "--lang", "zh-CN", "cases", "open").stdout


def test_a_wrong_date_is_one_line_and_changes_nothing(tmp_path: Path) -> None:
    db = tmp_path / "c.db"
    ok("--db", db, "--now", "2026-03-01T09:00+08:00", "demo")
    r = run("--db", db, "--now", "2027-03-02T09:00+08:00", "supervise", "--as-of", "2027-02-30")
    assert r.exit_code == 2
    one_error_line(r, "--as-of")
    r = run("--db", db, "supervise", "--as-of", "2027-01-01", "--tz", "Beijing")
    assert r.exit_code == 2
    one_error_line(r, "--tz")
    assert (
        json.loads(ok("--db", db, "--json", "cases", "open").stdout)[0]["finding_kind"]
        == "failed_decision"
    )

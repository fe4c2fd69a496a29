"""The command line of meetings with an agenda: `meeting convene|open|attend|close|show`, in both
languages."""

from __future__ import annotations

import json
from pathlib import Path

from tests.test_cli import PROPOSAL
from tests.test_cli_ballot import BEFORE, MEETING, ok, one_error_line, run, scheduled, views


def test_a_meeting_takes_up_its_agenda_with_attendance_changes_and_adjourns(tmp_path: Path) -> None:
    db = scheduled(tmp_path, PROPOSAL)
    out = ok(
        "--db",
        db,
        "--json",
        *BEFORE,
        "meeting",
        "convene",
        "--as",
        "sec",
        "--body",
        "sc",
        "--id",
        "mt",
        "--at",
        "2026-03-05T09:00+08:00",
        "--agenda",
        "md",
        "--title",
        "12th meeting",
    )
    assert json.loads(out.stdout)["state"] == "convened"
    ok(
        "--db",
        db,
        *MEETING,
        "meeting",
        "open",
        "mt",
        "--as",
        "sec",
        "--present",
        "sec,dep,m1,m2",
        "--absent",
        "m3",
        "--reason",
        "m3=on leave",
    )
    r = ok(
        "--db", db, "--json", *MEETING, "meeting", "attend", "mt", "--as", "sec", "--present", "m3"
    )
    assert json.loads(r.stdout)["trigger"] == "attend"
    one_error_line(
        run(
            "--db",
            db,
            *MEETING,
            "meeting",
            "attend",
            "mt",
            "--as",
            "sec",
            "--present",
            "m3",
            "--absent",
            "m2",
        ),
        "exactly one of",
    )
    one_error_line(
        run(
            "--db",
            db,
            *MEETING,
            "meeting",
            "open",
            "md",
            "--as",
            "sec",
            "--sitting",
            "mt",
            "--present",
            "m1",
        ),
        "attendance",
    )
    ok(
        "--db",
        db,
        *MEETING,
        "meeting",
        "open",
        "md",
        "--as",
        "sec",
        "--sitting",
        "mt",
        "--recused",
        "m2",
    )
    shown = json.loads(ok("--db", db, "--json", "meeting", "show", "md").stdout)
    assert shown["sitting"] == "mt"
    assert {p: s["attendance"] for p, s in shown["seats"].items()} == {
        "sec": "present",
        "dep": "present",
        "m1": "present",
        "m2": "recused",
        "m3": "present",
    }
    views(db, "dep", "m1", "m3", "sec")  # m2 is recused: no view
    for voter in ("sec", "dep", "m1"):
        ok("--db", db, *MEETING, "vote", "cast", "md", "agree", "--as", voter)
    ok("--db", db, *MEETING, "meeting", "close", "md", "--as", "sec")
    assert json.loads(ok("--db", db, "--json", "status", "md").stdout)["state"] == "adopted"
    sitting = json.loads(ok("--db", db, "--json", "meeting", "show", "mt").stdout)
    assert sitting["agenda"] == [{"matter": "md", "state": "adopted"}]
    assert sitting["reasons"] == {}
    zh = ok("--db", db, "--lang", "zh-CN", "meeting", "show", "mt").stdout
    assert "议程" in zh and "出席" in zh
    r = ok("--db", db, "--json", *MEETING, "meeting", "close", "mt", "--as", "sec")
    assert json.loads(r.stdout)["state"] == "adjourned"


def test_a_matter_not_on_the_agenda_is_refused_with_its_rule(tmp_path: Path) -> None:
    db = scheduled(tmp_path, PROPOSAL)
    ok(
        "--db",
        db,
        *BEFORE,
        "meeting",
        "convene",
        "--as",
        "sec",
        "--body",
        "sc",
        "--id",
        "mt",
        "--at",
        "2026-03-05T09:00+08:00",
        "--agenda",
        "other-matter",
    )
    ok(
        "--db",
        db,
        *MEETING,
        "meeting",
        "open",
        "mt",
        "--as",
        "sec",
        "--present",
        "sec,dep,m1,m2,m3",
    )
    r = run("--db", db, *MEETING, "meeting", "open", "md", "--as", "sec", "--sitting", "mt")
    assert r.exit_code != 0 and "R-ON-AGENDA" in r.stderr and "Traceback" not in r.stderr
    r = run(
        "--db",
        db,
        "--lang",
        "zh-CN",
        *MEETING,
        "meeting",
        "open",
        "md",
        "--as",
        "sec",
        "--sitting",
        "mt",
    )
    assert "临时动议" in r.stderr
    assert json.loads(ok("--db", db, "--json", "status", "md").stdout)["state"] == "scheduled"


def test_vote_close_closes_a_vote_on_reconsideration(tmp_path: Path) -> None:
    db = scheduled(tmp_path, PROPOSAL)
    ok(
        "--db",
        db,
        *MEETING,
        "meeting",
        "open",
        "md",
        "--as",
        "sec",
        "--present",
        "sec,dep,m1,m2,m3",
    )
    views(db, "dep", "m1", "m2", "m3", "sec")
    for voter in ("sec", "dep"):
        ok("--db", db, *MEETING, "vote", "cast", "md", "agree", "--as", voter)
    ok("--db", db, *MEETING, "vote", "close", "md", "--as", "sec")  # 2 of 5: rejected
    ok(
        "--db",
        db,
        *MEETING,
        "fire",
        "md",
        "move_reconsideration",
        "--as",
        "sec",
        "-d",
        'attendance={"sec": "present", "dep": "present", "m1": "present"}',
    )
    for voter in ("sec", "dep", "m1"):
        ok("--db", db, *MEETING, "vote", "cast", "md", "agree", "--as", voter)
    doc = json.loads(
        ok("--db", db, "--json", *MEETING, "vote", "close", "md", "--as", "sec").stdout
    )
    assert (doc["trigger"], doc["state"]) == ("close_reconsideration", "deliberation")

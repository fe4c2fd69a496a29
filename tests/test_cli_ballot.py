"""The command line of meetings and ballots: `meeting open|close`, `vote cast|close|tally`, and the ballot result
shown by `status` and `history` in English and Chinese."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from collegium.cli import cli

BODY_YAML = """\
id: sc
kind: standing
title: {en: Standing committee, zh-CN: 常委会}
members:
  - {person: sec, role: secretary}
  - {person: dep, role: deputy_secretary}
  - {person: m1, role: standing_member}
  - {person: m2, role: standing_member}
  - {person: m3, role: standing_member}
"""
PROPOSAL = ["-d", "title=Road budget", "-d", "category=major", "-d", "proposer=sec", "-d", "lead_member=m1",
            "-d", "body=sc", "-d", "confidentiality=public"]
BEFORE = ["--now", "2026-03-02T09:00+08:00"]
MEETING = ["--now", "2026-03-05T09:00+08:00"]


def run(*args: str | Path) -> Result:
    return CliRunner().invoke(cli, [str(a) for a in args], catch_exceptions=False)


def ok(*args: str | Path) -> Result:
    r = run(*args)
    assert r.exit_code == 0, r.stderr
    return r


def one_error_line(r: Result, *needles: str) -> str:
    assert "Traceback" not in r.output and "Traceback" not in r.stderr
    lines = r.stderr.strip().splitlines()
    assert lines and lines[0].startswith("collegium: error: "), r.stderr
    text = "\n".join(lines)
    for needle in needles:
        assert needle in text, text
    return text


@pytest.fixture
def db(tmp_path: Path) -> Path:
    """A database with the body `sc` (5 members) and an instance `md` scheduled for a meeting."""
    path = tmp_path / "c.db"
    body = tmp_path / "body.yaml"
    body.write_text(BODY_YAML, encoding="utf-8")
    ok("--db", path, "body", "define", body)
    ok("--db", path, *BEFORE, "start", "major_decision", "--as", "sec", "--id", "md", *PROPOSAL)
    ok("--db", path, *BEFORE, "fire", "md", "prepare", "--as", "m1")
    ok("--db", path, *BEFORE, "fire", "md", "start_deliberation", "--as", "m1", "-d", "preparation=done")
    for member in ("sec", "dep", "m1", "m2", "m3"):
        ok("--db", path, *BEFORE, "fire", "md", "consult", "--as", "sec", "-d", f"member={member}", "-d", "view=agree")
    ok("--db", path, *BEFORE, "fire", "md", "schedule", "--as", "sec", "-d", "meeting_at=2026-03-05T09:00+08:00")
    return path


def test_help_lists_meeting_and_vote() -> None:
    r = ok("--help")
    assert "meeting" in r.output and "vote" in r.output
    assert "open" in ok("meeting", "--help").output
    out = ok("vote", "--help").output
    assert "cast" in out and "tally" in out and "close" in out


def test_a_secret_ballot_from_open_to_adopted(db: Path) -> None:
    r = ok("--db", db, *MEETING, "meeting", "open", "md", "--as", "sec", "--present", "sec,dep", "--present", "m1",
           "--present", "m2", "--absent", "m3", "--method", "secret")
    assert "in_meeting" in r.output
    for voter, choice in (("sec", "agree"), ("dep", "agree"), ("m1", "oppose")):
        ok("--db", db, *MEETING, "vote", "cast", "md", choice, "--as", voter)

    again = run("--db", db, *MEETING, "vote", "cast", "md", "agree", "--as", "m1")
    assert again.exit_code == 1
    one_error_line(again, "R-ONE-VOTE")
    absent = run("--db", db, *MEETING, "vote", "cast", "md", "agree", "--as", "m3")
    assert absent.exit_code == 1
    one_error_line(absent, "R-VOTER")

    tally = ok("--db", db, "vote", "tally", "md")
    assert "secret" in tally.output and "who chose what is not recorded" in tally.output
    assert "voted: 3" in tally.output
    doc = json.loads(ok("--db", db, "vote", "tally", "md", "--json").stdout)
    assert doc["secret"] is True and doc["closed"] is False and doc["choices_recorded"] is False
    assert doc["choices"] == {}
    assert doc["counts"] == {"agree": 2, "oppose": 1, "abstain": 0}
    assert sorted(doc["voters"]) == ["dep", "m1", "sec"]

    ok("--db", db, *MEETING, "vote", "cast", "md", "同意", "--as", "m2")  # a choice may be written in Chinese
    closed = ok("--db", db, *MEETING, "vote", "close", "md", "--as", "sec")
    assert "Adopted (adopted)" in closed.output and "ballot result: passed" in closed.output

    doc = json.loads(ok("--db", db, "vote", "tally", "md", "--json").stdout)
    assert doc["closed"] is True and doc["choices"] == {}
    result = doc["result"]
    assert result["counts"] == {"agree": 3, "oppose": 1, "abstain": 0}
    assert (result["n"], result["present"], result["needed"], result["passed"]) == (5, 4, 3, True)
    assert result["quorum"]["rule"] == "R-QUORUM-SC" and result["quorum"]["needed"] == 3
    assert "dissent" not in result  # a secret ballot keeps no dissent
    tally = ok("--db", db, "vote", "tally", "md").output
    assert "agree" in tally and "who chose what is not recorded" in tally and "┃ voter" not in tally


def test_status_and_history_show_the_result_in_both_languages(db: Path) -> None:
    ok("--db", db, *MEETING, "meeting", "open", "md", "--as", "sec", "--present", "sec,dep,m1,m2,m3",
       "--method", "secret")
    for voter, choice in (("sec", "agree"), ("dep", "agree"), ("m1", "oppose"), ("m2", "abstain"), ("m3", "agree")):
        ok("--db", db, *MEETING, "vote", "cast", "md", choice, "--as", voter)
    ok("--db", db, *MEETING, "meeting", "close", "md", "--as", "sec")

    en = ok("--db", db, "status", "md").output
    for text in ("ballot result: passed", "method: secret", "agree 3, oppose 1, abstain 1",
                 "should attend (n): 5, present: 5", "quorum: present needed: 3 (R-QUORUM-SC",
                 "threshold: agree votes needed: 3 (R-PASS", "R-NO-OFFICE-DECISION", "rule verdicts at the close"):
        assert text in en, text
    zh = ok("--lang", "zh-CN", "--db", db, "status", "md").output
    for text in ("表决结果：通过", "表决方式：无记名", "同意 3，不同意 1，弃权 1", "应到：5 人", "实到：5 人",
                 "法定到会人数：3", "通过所需同意票数：3", "无记名投票", "常委会到会人数"):
        assert text in zh, text
    for lang, texts in (("en", ("ballot result: passed", "agree 3")), ("zh-CN", ("表决结果：通过", "同意 3"))):
        out = ok("--lang", lang, "--db", db, "history", "md").output
        assert all(t in out for t in texts), out

    doc = json.loads(ok("--db", db, "status", "md", "--json", "--lang", "zh-CN").stdout)
    ballot = doc["ballot"]
    assert ballot["passed"] is True and ballot["outcome_label"] == "通过" and ballot["method_label"] == "无记名"
    assert ballot["count_labels"] == {"agree": "同意", "oppose": "不同意", "abstain": "弃权"}
    assert {r["rule"] for r in ballot["verdict"]} >= {"R-QUORUM-SC", "R-PASS"}
    events = json.loads(ok("--db", db, "history", "md", "--json").stdout)
    tallied = [e for e in events if "ballot" in e]
    assert [e["trigger"] for e in tallied] == ["close_ballot"]
    assert tallied[0]["ballot"]["counts"] == {"agree": 3, "oppose": 1, "abstain": 1}


def test_a_named_ballot_shows_choices_and_dissent(db: Path) -> None:
    ok("--db", db, *MEETING, "meeting", "open", "md", "--as", "sec", "--present", "sec,dep,m1,m2", "--recused", "m3")
    for voter, choice in (("sec", "agree"), ("dep", "oppose"), ("m1", "oppose"), ("m2", "abstain")):
        ok("--db", db, *MEETING, "vote", "cast", "md", choice, "--as", voter)
    tally = ok("--lang", "zh-CN", "--db", db, "vote", "tally", "md").output
    assert "记名" in tally and "进行中" in tally and "不同意 (oppose)" in tally
    r = run("--db", db, *MEETING, "vote", "close", "md", "--as", "sec", "--json")
    assert r.exit_code == 0, r.stderr
    doc = json.loads(r.stdout)
    assert doc["state"] == "rejected" and doc["trigger"] == "close_ballot"
    assert doc["ballot"]["passed"] is False and doc["ballot"]["dissent"] == ["dep", "m1"]
    assert (doc["ballot"]["n"], doc["ballot"]["present"]) == (4, 4)  # the recused member leaves n
    out = ok("--lang", "zh-CN", "--db", db, "status", "md").output
    assert "表决结果：未通过" in out and "表决方式：记名" in out and "不同意者：dep, m1" in out
    tally = json.loads(ok("--db", db, "vote", "tally", "md", "--json").stdout)
    assert tally["choices"] == {"sec": "agree", "dep": "oppose", "m1": "oppose", "m2": "abstain"}


def test_json_of_open_and_cast_and_a_repeated_key(db: Path) -> None:
    r = run("--db", db, *MEETING, "--json", "meeting", "open", "md", "--as", "sec", "--present", "sec,dep,m1",
            "--method", "secret")
    assert r.exit_code == 0, r.stderr
    doc = json.loads(r.stdout)
    assert doc["trigger"] == "open_meeting" and doc["state"] == "in_meeting"
    first = json.loads(ok("--db", db, *MEETING, "vote", "cast", "md", "agree", "--as", "sec", "--key", "k1",
                          "--json").stdout)
    again = json.loads(ok("--db", db, *MEETING, "vote", "cast", "md", "agree", "--as", "sec", "--key", "k1",
                          "--json").stdout)
    assert first["replayed"] is False and again["replayed"] is True and again["event"] == first["event"]
    refused = run("--db", db, *MEETING, "vote", "cast", "md", "agree", "--as", "sec", "--json")
    assert refused.exit_code == 1
    assert json.loads(refused.stdout)["verdict"]["passed"] is False


def test_bad_input_exits_2_with_one_line(db: Path) -> None:
    r = run("--db", db, *MEETING, "meeting", "open", "md", "--as", "sec", "--present", "m1", "--absent", "m1")
    assert r.exit_code == 2
    one_error_line(r, "'m1' is given as both present and absent")
    r = run("--db", db, *MEETING, "meeting", "open", "md", "--as", "sec", "--present", "sec", "--method", "telepathy")
    assert r.exit_code == 2
    one_error_line(r, "method 'telepathy' is not one of")
    r = run("--db", db, *MEETING, "meeting", "open", "md", "--as", "sec", "--present", "stranger")
    assert r.exit_code == 2
    one_error_line(r, "'stranger' is not a member")
    r = run("--db", db, "vote", "tally", "md")
    assert r.exit_code == 2
    one_error_line(r, "has no ballot")
    r = run("--db", db, *MEETING, "vote", "cast", "md", "agree", "--as", "sec")
    assert r.exit_code == 1  # no meeting is open yet: the step is not allowed in this state
    one_error_line(r, "'vote' is not allowed in state 'scheduled'")
    ok("--db", db, *MEETING, "meeting", "open", "md", "--as", "sec", "--present", "sec,dep,m1")
    r = run("--db", db, *MEETING, "vote", "cast", "md", "maybe", "--as", "sec")
    assert r.exit_code == 2
    one_error_line(r, "choice 'maybe' is not one of")


def test_a_meeting_without_a_quorum_is_refused(db: Path) -> None:
    r = run("--db", db, *MEETING, "meeting", "open", "md", "--as", "sec", "--present", "sec,dep")
    assert r.exit_code == 1
    one_error_line(r, "R-QUORUM-SC")
    assert "R-QUORUM-SC" in run("--lang", "zh-CN", "--db", db, *MEETING, "meeting", "open", "md", "--as", "sec",
                                "--present", "sec").stderr

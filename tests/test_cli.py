"""The command line: exit codes, one-line errors, JSON output, languages, the demo and the audit."""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
from contextlib import closing
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from collegium.cli import cli

WORKFLOW = Path(__file__).resolve().parents[1] / "collegium" / "workflows" / "major_decision.yaml"
PACK = (
    Path(__file__).resolve().parents[1] / "collegium" / "rules" / "packs" / "party-committee.yaml"
)

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

PROPOSAL = [
    "-d",
    "title=Road budget",
    "-d",
    "category=major",
    "-d",
    "proposer=sec",
    "-d",
    "lead_member=m1",
    "-d",
    "body=sc",
    "-d",
    "confidentiality=public",
]
NOW = ["--now", "2026-03-02T09:00+08:00"]


def run(*args: str | Path) -> Result:
    return CliRunner().invoke(cli, [str(a) for a in args], catch_exceptions=False)


def assert_one_error_line(result: Result, *needles: str) -> str:
    assert "Traceback" not in result.output
    assert "Traceback" not in result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    line = lines[0]
    assert line.startswith("collegium: error: ")
    for needle in needles:
        assert needle in line, line
    return line


@pytest.fixture
def db(tmp_path: Path) -> Path:
    """A database with the body `sc` and an instance `md` in individual deliberation."""
    path = tmp_path / "c.db"
    body = tmp_path / "body.yaml"
    body.write_text(BODY_YAML, encoding="utf-8")
    assert run("--db", path, "body", "define", body).exit_code == 0
    r = run("--db", path, *NOW, "start", "major_decision", "--as", "sec", "--id", "md", *PROPOSAL)
    assert r.exit_code == 0, r.stderr
    assert run("--db", path, *NOW, "fire", "md", "prepare", "--as", "m1").exit_code == 0
    r = run(
        "--db",
        path,
        *NOW,
        "fire",
        "md",
        "start_deliberation",
        "--as",
        "m1",
        "-d",
        "preparation=done",
    )
    assert r.exit_code == 0, r.stderr
    return path


# -- help and startup ------------------------------------------------------------------------------
def test_help_lists_the_commands() -> None:
    r = run("--help")
    assert r.exit_code == 0
    for command in (
        "procedures",
        "rules",
        "schema",
        "body",
        "start",
        "fire",
        "check",
        "status",
        "history",
        "audit",
        "db",
        "demo",
    ):
        assert command in r.output


def test_help_does_not_load_the_engine() -> None:
    code = (
        "import sys\nfrom click.testing import CliRunner\nfrom collegium.cli import cli\n"
        "r = CliRunner().invoke(cli, ['--help'])\nassert r.exit_code == 0\n"
        "heavy = [m for m in ('sqlalchemy', 'pydantic', 'rich', 'transitions', "
        "'collegium.engine.engine')"
        " if m in sys.modules]\nprint(','.join(heavy))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == ""


def test_bad_option_exits_2() -> None:
    assert run("--lang", "fr", "procedures", "list").exit_code == 2
    assert run("procedures", "frobnicate").exit_code == 2


# -- demo ------------------------------------------------------------------------------------------
def test_demo_adopts_a_decision_and_audits_ok(tmp_path: Path) -> None:
    r = run("--db", tmp_path / "demo.db", "demo")
    assert r.exit_code == 0, r.stderr
    out = r.output
    assert "Adopted (adopted)" in out
    assert "ballot: agree 7, oppose 1, abstain 1" in out
    assert "R-DELIBERATION" in out and "source §IV.1" in out
    assert "R-VOTER" in out
    assert "Corrected by a new matter" in out
    assert "audit OK" in out
    # a second run on the same database uses fresh instance ids
    again = run("--db", tmp_path / "demo.db", "demo")
    assert again.exit_code == 0, again.stderr
    assert (
        "audit OK: 10 instances" in again.output
    )  # each run: a decision, its task, its cadence of briefings, its correction and case


def test_demo_json_and_chinese(tmp_path: Path) -> None:
    r = run("--json", "--lang", "zh-CN", "--db", tmp_path / "demo.db", "demo")
    assert r.exit_code == 0, r.stderr
    doc = json.loads(r.stdout)
    assert doc["ballot"]["state"] == "adopted"
    assert doc["ballot"]["passed"] is True
    assert doc["audit"]["ok"] is True
    assert {x["rule"] for x in doc["refusals"]} >= {"R-DELIBERATION", "R-VOTER"}
    assert any(s["state_label"] == "已通过" for s in doc["steps"])
    r = run("--db", tmp_path / "demo.db", "demo", "--lang", "zh-CN")
    assert r.exit_code == 0
    assert "已通过" in r.output and "审计通过" in r.output


# -- procedures check ------------------------------------------------------------------------------
def _variant(tmp_path: Path, name: str, old: str, new: str, source: Path = WORKFLOW) -> Path:
    text = source.read_text(encoding="utf-8")
    assert old in text
    path = tmp_path / name
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return path


def test_check_accepts_the_builtin_files() -> None:
    r = run("procedures", "check", WORKFLOW)
    assert r.exit_code == 0 and r.output.startswith("ok: procedure major_decision@4")
    r = run("procedures", "check", PACK)
    assert r.exit_code == 0 and r.output.startswith("ok: rule pack party-committee@2026.10")
    r = run("--lang", "zh-CN", "procedures", "check", PACK)
    assert r.exit_code == 0 and r.output.startswith("通过：规则包 party-committee@2026.10，")
    assert r.output.rstrip().endswith("条规则")
    r = run("--lang", "zh-CN", "procedures", "check", WORKFLOW)
    assert r.exit_code == 0 and "个状态" in r.output and "个操作" in r.output


def test_check_yaml_syntax_error(tmp_path: Path) -> None:
    path = tmp_path / "syntax.yaml"
    path.write_text("id: x\nversion: 1\nstates: [a, b\n", encoding="utf-8")
    r = run("procedures", "check", path)
    assert r.exit_code == 2
    assert_one_error_line(r, "syntax.yaml:", "YAML syntax error")


def test_check_unknown_key(tmp_path: Path) -> None:
    path = _variant(tmp_path, "key.yaml", "body_fact: body\n", "body_fact: body\nbogus: 1\n")
    r = run("procedures", "check", path)
    assert r.exit_code == 2
    assert_one_error_line(r, "key.yaml", "unknown key 'bogus'")


def test_check_unreachable_state(tmp_path: Path) -> None:
    path = _variant(
        tmp_path,
        "unreachable.yaml",
        "  withdrawn: {label",
        "  orphan: {label: {en: Orphan, zh-CN: 孤立}}\n  withdrawn: {label",
    )
    r = run("procedures", "check", path)
    assert r.exit_code == 2
    assert_one_error_line(r, "unreachable.yaml", "orphan", "unreachable")


def test_check_unknown_rule_id(tmp_path: Path) -> None:
    path = _variant(
        tmp_path,
        "rule.yaml",
        "    dest: preparation\n",
        "    dest: preparation\n    rules: [R-NOPE]\n",
    )
    r = run("procedures", "check", path)
    assert r.exit_code == 2
    assert_one_error_line(r, "R-NOPE", "unknown rule id")


def test_check_rule_pack_guarding_unknown_trigger(tmp_path: Path) -> None:
    path = _variant(tmp_path, "pack.yaml", "triggers: [close]", "triggers: [closex]", source=PACK)
    r = run("procedures", "check", path)
    assert r.exit_code == 2
    assert_one_error_line(r, "R-CLOSE-SUCCEEDED", "closex")


def test_check_missing_file(tmp_path: Path) -> None:
    r = run("procedures", "check", tmp_path / "nope.yaml")
    assert r.exit_code == 2
    assert_one_error_line(r, "nope.yaml", "no such file")


# -- reference commands ----------------------------------------------------------------------------
def test_procedures_and_rules_reference() -> None:
    r = run("procedures", "list")
    assert r.exit_code == 0 and "major_decision" in r.output
    r = run("--json", "procedures", "show", "major_decision")
    doc = json.loads(r.stdout)
    schedule = next(t for t in doc["transitions"] if t["trigger"] == "schedule")
    assert schedule["roles"] == ["secretary"]
    assert "R-DELIBERATION" in schedule["rules"] and "R-ROLE" in schedule["rules"]
    assert {s["id"] for s in doc["states"]} >= {"proposed", "adopted", "closed"}
    r = run("--lang", "zh-CN", "procedures", "show", "major_decision")
    assert r.exit_code == 0 and "个别酝酿" in r.output and "已通过" in r.output
    r = run("--json", "rules", "list")
    rules = {x["id"]: x for x in json.loads(r.stdout)}
    assert rules["R-PASS"]["citation"].startswith("Party-group regulation")
    assert rules["R-ADVANCE-NOTICE"]["severity"] == "warn"
    r = run("--lang", "zh-CN", "rules", "show", "R-QUORUM-SC")
    assert r.exit_code == 0 and "常委会到会人数" in r.output and "quorum_standing" in r.output
    r = run("rules", "show", "R-NOPE")
    assert r.exit_code == 2
    assert_one_error_line(r, "R-NOPE")
    r = run("procedures", "show", "nope")
    assert r.exit_code == 2


def test_schema_is_json() -> None:
    for kind, key in (
        ("procedure", "transitions"),
        ("procedure", "include"),
        ("fragment", "parameters"),
        ("rules", "rules"),
    ):
        r = run("schema", kind)
        assert r.exit_code == 0
        assert key in json.loads(r.stdout)["properties"]


# -- bodies ----------------------------------------------------------------------------------------
def test_body_define_and_show(tmp_path: Path) -> None:
    path = tmp_path / "body.yaml"
    path.write_text(BODY_YAML, encoding="utf-8")
    r = run("--db", tmp_path / "c.db", "body", "define", path)
    assert r.exit_code == 0 and "5 members" in r.output
    r = run("--json", "--db", tmp_path / "c.db", "body", "show", "sc")
    assert [m["person"] for m in json.loads(r.stdout)["members"]] == [
        "sec",
        "dep",
        "m1",
        "m2",
        "m3",
    ]  # as defined


def test_body_define_invalid(tmp_path: Path) -> None:
    path = tmp_path / "body.yaml"
    path.write_text(
        "id: sc\nmembers:\n  - {person: a, role: secretary, badge: 1}\n", encoding="utf-8"
    )
    r = run("--db", tmp_path / "c.db", "body", "define", path)
    assert r.exit_code == 2
    assert_one_error_line(r, "body.yaml", "kind")
    path.write_text("id: [sc\n", encoding="utf-8")
    r = run("--db", tmp_path / "c.db", "body", "define", path)
    assert r.exit_code == 2
    assert_one_error_line(r, "YAML syntax error")


# -- commands on instances -------------------------------------------------------------------------
def test_unknown_trigger_exits_2(db: Path) -> None:
    r = run("--db", db, "fire", "md", "frobnicate", "--as", "sec")
    assert r.exit_code == 2
    assert_one_error_line(r, "unknown trigger 'frobnicate'")


def test_unknown_instance_and_missing_database(db: Path, tmp_path: Path) -> None:
    r = run("--db", db, "status", "nope")
    assert r.exit_code == 2
    assert_one_error_line(r, "no instance 'nope'")
    r = run("--db", tmp_path / "missing.db", "status", "md")
    assert r.exit_code == 2
    assert not (tmp_path / "missing.db").exists()


def test_transition_not_allowed_exits_1(db: Path) -> None:
    r = run("--db", db, "fire", "md", "vote", "--as", "sec", "-d", "choice=agree")
    assert r.exit_code == 1
    assert_one_error_line(r, "'vote' is not allowed in state 'deliberation'")


def test_rule_refusal_exits_1_and_names_the_rule(db: Path) -> None:
    r = run(
        "--db",
        db,
        *NOW,
        "fire",
        "md",
        "schedule",
        "--as",
        "sec",
        "-d",
        "meeting_at=2026-03-10T09:00+08:00",
    )
    assert r.exit_code == 1
    assert "Traceback" not in r.stderr
    lines = r.stderr.strip().splitlines()
    assert lines[0] == "collegium: error: schedule: refused by 1 rule"  # one rule, one form
    assert lines[1].startswith("  R-DELIBERATION: ")
    assert len(lines) == 2
    assert "source §IV.1" in lines[1]
    # nothing was written
    status = json.loads(run("--json", "--db", db, "status", "md").stdout)
    assert status["state"] == "deliberation"


def test_refusal_in_chinese(db: Path) -> None:
    r = run(
        "--lang",
        "zh-CN",
        "--db",
        db,
        *NOW,
        "fire",
        "md",
        "schedule",
        "--as",
        "dep",
        "-d",
        "meeting_at=2026-03-10T09:00+08:00",
    )
    assert r.exit_code == 1
    assert "被 2 条规则拒绝" in r.stderr
    assert "R-ROLE" in r.stderr and "R-DELIBERATION" in r.stderr and "依据" in r.stderr


def test_check_is_a_dry_run(db: Path) -> None:
    r = run(
        "--db",
        db,
        *NOW,
        "check",
        "md",
        "schedule",
        "--as",
        "sec",
        "-d",
        "meeting_at=2026-03-10T09:00+08:00",
    )
    assert r.exit_code == 1
    assert "R-DELIBERATION" in r.output and "would be refused" in r.output
    r = run(
        "--json",
        "--db",
        db,
        *NOW,
        "check",
        "md",
        "consult",
        "--as",
        "sec",
        "-d",
        "member=m1",
        "-d",
        "view=agree",
    )
    assert r.exit_code == 0
    doc = json.loads(r.stdout)
    assert doc["passed"] is True
    assert {x["rule"] for x in doc["rules"]} >= {"R-ROLE", "R-CONSULTEE"}
    history = json.loads(run("--json", "--db", db, "history", "md").stdout)
    assert [e["trigger"] for e in history] == ["propose", "prepare", "start_deliberation"]


def test_json_output_of_a_whole_step(db: Path) -> None:
    for person in ("sec", "dep", "m1", "m2", "m3"):
        r = run(
            "--json",
            "--db",
            db,
            *NOW,
            "fire",
            "md",
            "consult",
            "--as",
            "sec",
            "--data",
            json.dumps({"member": person, "view": "agree"}),
        )
        assert r.exit_code == 0, r.stderr
        doc = json.loads(r.stdout)
        assert doc["ok"] is True and doc["state"] == "deliberation" and doc["trigger"] == "consult"
    r = run(
        "--json",
        "--db",
        db,
        *NOW,
        "fire",
        "md",
        "schedule",
        "--as",
        "sec",
        "-d",
        "meeting_at=2026-03-10T09:00+08:00",
        "--key",
        "k1",
    )
    doc = json.loads(r.stdout)
    assert doc["state"] == "scheduled" and doc["replayed"] is False
    again = json.loads(
        run(
            "--json",
            "--db",
            db,
            *NOW,
            "fire",
            "md",
            "schedule",
            "--as",
            "sec",
            "-d",
            "meeting_at=2026-03-10T09:00+08:00",
            "--key",
            "k1",
        ).stdout
    )
    assert again["replayed"] is True and again["event"] == doc["event"]
    status = json.loads(run("--json", "--db", db, "status", "md", "--as", "sec").stdout)
    assert status["state"] == "scheduled"
    assert status["facts"]["meeting_at"] == "2026-03-10T01:00:00.000000Z"
    assert {a["trigger"] for a in status["available"]} == {"open_meeting", "defer"}


def test_refusal_with_json_prints_the_verdict(db: Path) -> None:
    r = run(
        "--json",
        "--db",
        db,
        *NOW,
        "fire",
        "md",
        "schedule",
        "--as",
        "sec",
        "-d",
        "meeting_at=2026-03-10T09:00+08:00",
    )
    assert r.exit_code == 1
    doc = json.loads(r.stdout)
    assert doc["ok"] is False and doc["error"] == "RuleViolation"
    failed = [x["rule"] for x in doc["verdict"]["rules"] if not x["passed"] and x["applicable"]]
    assert "R-DELIBERATION" in failed


def test_status_and_history_in_chinese(db: Path) -> None:
    r = run("--lang", "zh-CN", "--db", db, "status", "md", "--as", "sec")
    assert r.exit_code == 0
    assert "个别酝酿" in r.output and "议题名称" in r.output and "可执行的操作" in r.output
    r = run("--lang", "zh-CN", "--db", db, "history", "md")
    assert r.exit_code == 0 and "已提出" in r.output and "调研准备" in r.output


def test_data_arguments(db: Path) -> None:
    r = run("--db", db, "fire", "md", "consult", "--as", "sec", "--data", "[1]")
    assert r.exit_code == 2
    assert_one_error_line(r, "--data must be a JSON object")
    r = run("--db", db, "fire", "md", "consult", "--as", "sec", "--data", "{oops")
    assert r.exit_code == 2
    assert_one_error_line(r, "--data is not valid JSON")
    r = run("--db", db, "fire", "md", "consult", "--as", "sec", "-d", "member")
    assert r.exit_code == 2
    assert_one_error_line(r, "-d expects key=value")
    r = run("--db", db, "fire", "md", "consult", "--as", "sec", "-d", "member=m1", "-d", "extra=1")
    assert r.exit_code == 2
    assert_one_error_line(r, "extra")
    r = run(
        "--db",
        db,
        "--now",
        "2026-03-02T09:00",
        "fire",
        "md",
        "consult",
        "--as",
        "sec",
        "-d",
        "member=m1",
    )
    assert r.exit_code == 2
    assert_one_error_line(r, "no time zone")


def test_start_with_a_random_id_and_list(db: Path) -> None:
    r = run("--json", "--db", db, *NOW, "start", "major_decision", "--as", "sec", *PROPOSAL)
    assert r.exit_code == 0, r.stderr
    new_id = json.loads(r.stdout)["instance"]
    assert new_id.startswith("major_decision-") and len(new_id) > len("major_decision-") + 10
    listed = json.loads(run("--json", "--db", db, "instances").stdout)
    assert {i["id"] for i in listed} == {"md", new_id}
    # the same start again is a retried request: the first outcome, nothing written; another start
    # on md is refused
    events = len(json.loads(run("--json", "--db", db, "history", "md").stdout))
    r = run("--db", db, *NOW, "start", "major_decision", "--as", "sec", "--id", "md", *PROPOSAL)
    assert r.exit_code == 0 and "already done" in r.stdout
    r = run(
        "--db",
        db,
        *NOW,
        "start",
        "major_decision",
        "--as",
        "sec",
        "--id",
        "md",
        *PROPOSAL,
        "-d",
        "title=Other",
    )
    assert r.exit_code == 2
    assert_one_error_line(r, "already exists")
    assert len(json.loads(run("--json", "--db", db, "history", "md").stdout)) == events == 3


# -- audit and database ----------------------------------------------------------------------------
def test_audit_verify_detects_tampering(db: Path) -> None:
    r = run("--db", db, "audit", "verify")
    assert r.exit_code == 0 and "audit OK" in r.output
    with closing(sqlite3.connect(db)) as conn, conn:
        # event 2 (prepare) carries no data, so '{}' would change nothing: write something else
        conn.execute("UPDATE collegium_events SET data='{\"tampered\": true}' WHERE seq=2")
    r = run("--db", db, "audit", "verify")
    assert r.exit_code == 1
    assert "audit FAILED" in r.output and "event 2 of md" in r.output
    r = run("--json", "--db", db, "audit", "verify")
    assert r.exit_code == 1
    doc = json.loads(r.stdout)
    assert doc["ok"] is False and doc["problem"]["seq"] == 2 and doc["problem"]["instance"] == "md"


def test_global_options_after_the_command(db: Path) -> None:
    r = run("--db", db, "status", "md", "--json")
    assert json.loads(r.stdout)["state"] == "deliberation"
    r = run("--db", db, "status", "md", "--lang", "zh-CN")
    assert "个别酝酿" in r.output
    r = run("--db", db, "history", "md", "--lang=zh-CN")
    assert "调研准备" in r.output

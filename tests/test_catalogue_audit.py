"""What an audit finds and what a pack's tests find are said in the language asked (issue 20.5):
``audit verify``, ``audit verify --against`` and ``test`` under ``--lang zh-CN`` print them in
Chinese, ``--json`` too; the library keeps each finding's English (``reason``, ``problems``,
``str()``) as it always read, and says it in another language on request."""

from __future__ import annotations

import json
import sqlite3
from contextlib import closing
from pathlib import Path

from click.testing import Result

from collegium import PublicKey, Registry, run_pack_tests
from collegium.store.records import InstanceRecord
from tests._tampering import edit_event_data, rewrite
from tests.test_catalogue_cli import run
from tests.test_cli import db  # noqa: F401  (the fixture)
from tests.test_cli_checkpoint import consulted, keys, opened  # noqa: F401  (fixtures)
from tests.test_pack_tests import BOARD, TESTS

EDITED_EN = "content does not match its hash: the event or its instance's identity was edited"
EDITED_ZH = "内容与其哈希不符：该事件或其实例的身份信息被修改过"


def _tamper(path: Path, sql: str) -> None:
    with closing(sqlite3.connect(path)) as conn, conn:
        conn.execute(sql)


def _verify(path: Path, *args: str) -> Result:
    r = run(*args, "--db", path, "audit", "verify")
    assert r.exit_code == 1, r.output
    return r


def test_an_edited_event_is_reported_in_chinese_and_as_it_was_in_english(
    db: Path,  # noqa: F811
) -> None:
    _tamper(db, "UPDATE collegium_events SET data='{\"tampered\": true}' WHERE seq=2")
    assert _verify(db).stdout == f"audit FAILED: event 2 of md: {EDITED_EN}\n"
    assert _verify(db, "--lang", "zh-CN").stdout == (
        f"审计未通过：实例 md 的第 2 个事件: {EDITED_ZH}\n"
    )
    r = _verify(db, "--json", "--lang", "zh-CN")
    assert json.loads(r.stdout)["problem"] == {
        "instance": "md",
        "body": None,
        "seq": 2,
        "reason": EDITED_ZH,
        "table": None,
        "row": None,
    }
    assert r.stderr == f"collegium: error: 审计未通过：实例 md 的第 2 个事件: {EDITED_ZH}\n"
    r = _verify(db, "--json")
    assert json.loads(r.stdout)["problem"]["reason"] == EDITED_EN
    assert r.stderr == f"collegium: error: audit failed: event 2 of md: {EDITED_EN}\n"


def test_a_row_that_differs_names_its_table_and_row_in_chinese(db: Path) -> None:  # noqa: F811
    _tamper(db, "DELETE FROM collegium_members WHERE person='m3'")
    row = "body_id='sc', person='m3'"
    assert _verify(db).stdout == (
        "audit FAILED: body sc: a member differs from its last recorded definition (removed) "
        f"(table collegium_members, row {row})\n"
    )
    assert _verify(db, "--lang", "zh-CN").stdout == (
        "审计未通过：机构 sc: 有成员与其最后记录的定义不符（被删除）"
        f"（数据表 collegium_members，数据行 {row}）\n"
    )


def test_the_library_keeps_the_english_and_says_it_in_chinese_on_request(
    db: Path,  # noqa: F811
) -> None:
    with opened(db) as engine:
        edit_event_data(engine, "md", 2, {"tampered": True})
        problem = engine.verify_audit().problem
    assert problem is not None and problem.reason == EDITED_EN
    assert str(problem) == problem.message() == f"event 2 of md: {EDITED_EN}"
    assert problem.message("zh-CN") == f"实例 md 的第 2 个事件: {EDITED_ZH}"
    assert problem.to_dict()["reason"] == EDITED_EN
    assert problem.to_dict("zh-CN")["reason"] == EDITED_ZH


def test_a_store_refused_a_checkpoint_says_why_in_chinese(
    db: Path,  # noqa: F811
    keys: tuple[Path, Path],  # noqa: F811
    tmp_path: Path,
) -> None:
    with opened(db) as engine:
        edit_event_data(engine, "md", 2, {"tampered": True})
    r = run("--lang", "zh-CN", "--db", db, "audit", "checkpoint", "--key", keys[0], "--out", "x")
    assert r.exit_code == 1
    assert r.stderr == (
        f"collegium: error: 审计未通过，未签署检查点：实例 md 的第 2 个事件: {EDITED_ZH}\n"
    )


def test_a_chain_a_checkpoint_listed_that_changed_is_said_in_chinese(
    db: Path,  # noqa: F811
    consulted: InstanceRecord,  # noqa: F811
    keys: tuple[Path, Path],  # noqa: F811
    tmp_path: Path,
) -> None:
    key, public = keys
    signed = tmp_path / "c.jsonl"
    assert run("--db", db, "audit", "checkpoint", "--key", key, "--out", signed).exit_code == 0
    with opened(db) as engine:
        rewrite(engine, "md", keep=3, facts=consulted.facts)
        report = engine.verify_checkpoint(signed, PublicKey.read(public))
    (problem,) = report.problems
    english = (
        "the chain's head at the checkpoint is gone: events were deleted (the instance now "
        "records 3)"
    )
    chinese = "检查点时的链头已不存在：有事件被删除（该实例现记录 3 个事件）"
    assert (problem.reason, str(problem)) == (english, f"event 5 of instance md: {english}")
    assert problem.message("zh-CN") == f"实例 md 的第 5 个事件: {chinese}"
    against = ("--db", db, "audit", "verify", "--against", signed, "--public-key", public)
    r = run("--lang", "zh-CN", *against)
    assert r.exit_code == 1 and f"  实例 md 的第 5 个事件: {chinese}\n" in r.stdout
    r = run("--lang", "zh-CN", "--json", *against)
    assert json.loads(r.stdout)["checkpoint"]["problems"][0]["reason"] == chinese
    assert r.stderr == f"collegium: error: 检查点核验未通过：实例 md 的第 5 个事件: {chinese}\n"
    r = run("--json", *against)
    assert json.loads(r.stdout)["checkpoint"]["problems"][0]["reason"] == english


def _wrong(tmp_path: Path) -> Path:
    """The board's tests, one case expecting the opposite of what its rules decide."""
    wrong = tmp_path / "wrong.tests.yaml"
    wrong.write_text(
        TESTS.read_text(encoding="utf-8").replace(
            "expect: {passed: false, rules: {R-BOARD-QUORUM: fail}}",
            "expect: {passed: true, rules: {R-BOARD-QUORUM: pass}, to: voting}",
        ),
        encoding="utf-8",
    )
    return wrong


def test_a_failing_pack_test_reads_in_chinese(tmp_path: Path) -> None:
    wrong = _wrong(tmp_path)
    case = f"  ✗ {wrong}: half the directors are no quorum: "
    r = run("--lang", "zh-CN", "--definitions", BOARD, "test", wrong)
    assert r.exit_code == 1
    assert f"{case}预期该操作被允许，实际被拒绝\n" in r.stdout
    assert f"{case}R-BOARD-QUORUM：预期 pass，实际为 fail\n" in r.stdout
    r = run("--definitions", BOARD, "test", wrong)
    assert f"{case}expected the command to be allowed, it was refused\n" in r.stdout
    r = run("--lang", "zh-CN", "--json", "--definitions", BOARD, "test", wrong)
    (failed,) = [c for c in json.loads(r.stdout)[0]["cases"] if not c["ok"]]
    assert failed["problems"][:2] == [
        "预期该操作被允许，实际被拒绝",
        "R-BOARD-QUORUM：预期 pass，实际为 fail",
    ]


def test_a_pack_test_result_keeps_its_english(tmp_path: Path) -> None:
    reg = Registry.builtin()
    reg.load(BOARD)
    (report,) = run_pack_tests(reg, [_wrong(tmp_path)])
    (failed,) = [c for c in report.cases if not c.ok]
    assert failed.problems[:2] == (
        "expected the command to be allowed, it was refused",
        "R-BOARD-QUORUM: expected pass, got fail",
    )
    assert failed.problems_in("zh-CN")[1] == "R-BOARD-QUORUM：预期 pass，实际为 fail"
    assert failed.problems_in("en") == failed.problems


def test_a_case_that_cannot_be_judged_says_why_in_chinese(tmp_path: Path) -> None:
    odd = tmp_path / "odd.tests.yaml"
    odd.write_text(
        "tests: company-board\nprocedure: board_resolution\ncases:\n"
        "  - {name: no time, trigger: propose, actor: chair, expect: {passed: true}}\n",
        encoding="utf-8",
    )
    r = run("--lang", "zh-CN", "--definitions", BOARD, "test", odd)
    assert r.exit_code == 1
    assert f"  ✗ {odd}: no time: 无法评判：" in r.stdout
    assert "cannot be judged" not in r.stdout


def test_a_finding_made_with_english_only_says_its_frame_in_chinese() -> None:
    """A finding built from a plain string (as before findings were messages) keeps its words."""
    from collegium.engine.audit import AuditProblem

    found = AuditProblem("md", 2, "edited by hand", table="collegium_events")
    assert str(found) == "event 2 of md: edited by hand (table collegium_events)"
    assert found.message("zh-CN") == (
        "实例 md 的第 2 个事件: edited by hand（数据表 collegium_events）"
    )

"""The message catalogue (collegium/_catalog.py): every message the code says through ``Message``
has its Chinese in collegium/locale/zh_CN/LC_MESSAGES/collegium.po, with the same placeholders;
the catalogue holds no message the code no longer says; the .mo shipped is the .po compiled; and
an error raised with a Message reads in Chinese on the command line."""

from __future__ import annotations

import ast
import io
import json
import string
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

from collegium import (
    DefinitionError,
    Engine,
    InvalidInput,
    ManualClock,
    Member,
    NotFound,
    RuleViolation,
    SequentialIds,
)
from collegium._catalog import Message, translate
from tests.conftest import MATTER, START, standing_committee
from tests.test_cli import run

PACKAGE = Path(__file__).resolve().parents[1] / "collegium"
ZH = PACKAGE / "locale" / "zh_CN" / "LC_MESSAGES"


def said_in_code() -> set[str]:
    found = extract_from_dir(
        str(PACKAGE), method_map=[("**.py", "python")], keywords={"Message": None}
    )
    return {message for _file, _line, message, _comments, _context in found}


def catalogue() -> dict[str, str]:
    with (ZH / "collegium.po").open("rb") as po:
        return {m.id: m.string for m in read_po(po) if m.id}


def fields(text: str) -> set[tuple[str, str | None, str | None]]:
    """Each placeholder with its conversion and format spec (``{zone!r:.60}``)."""
    return {
        (name, conversion, spec)
        for _literal, name, spec, conversion in string.Formatter().parse(text)
        if name is not None
    }


def test_every_message_of_the_code_has_its_chinese_and_none_is_stale() -> None:
    code, zh = said_in_code(), catalogue()
    assert code, "no Message found: is the extraction looking in the right place?"
    assert sorted(code - set(zh)) == [], "missing from the catalogue (see docs/architecture.md)"
    assert sorted(set(zh) - code) == [], "stale: the code no longer says these"
    assert [k for k, v in zh.items() if not v.strip()] == [], "not translated"


def test_a_translation_fills_the_same_placeholders_as_its_english() -> None:
    wrong = {k: v for k, v in catalogue().items() if fields(k) != fields(v)}
    assert wrong == {}


def test_every_message_is_a_literal_template_babel_can_extract() -> None:
    """A template built at run time (an f-string, a variable) would escape the catalogue."""
    bad = []
    for path in PACKAGE.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text("utf-8"))):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Name)
                and node.func.id == "Message"
                and not (node.args and isinstance(node.args[0], ast.Constant))
            ):
                bad.append(f"{path.relative_to(PACKAGE)}:{node.lineno}")
    assert bad == []


def test_the_shipped_mo_is_the_po_compiled() -> None:
    with (ZH / "collegium.po").open("rb") as po:
        compiled = io.BytesIO()
        write_mo(compiled, read_po(po))
    assert (ZH / "collegium.mo").read_bytes() == compiled.getvalue(), (
        "run: pybabel compile -d collegium/locale -D collegium"
    )


def test_a_message_is_english_by_default_and_chinese_when_asked() -> None:
    said = Message("no instance {id!r}", id="x-1")
    assert str(said) == said.say() == "no instance 'x-1'"
    assert said.say("zh-CN") == "没有实例 'x-1'"
    assert translate("a text the catalogue has not", "zh-CN") == "a text the catalogue has not"


def test_an_error_raised_with_a_message_says_it_in_either_language() -> None:
    engine = Engine.in_memory(clock=ManualClock(START), ids=SequentialIds())
    engine.define_body(standing_committee())
    iid = engine.start("major_decision", "sec", MATTER).instance.id
    with pytest.raises(NotFound) as missing:
        engine.get("nope")
    assert (str(missing.value), missing.value.message("zh-CN")) == (
        "no instance 'nope'",
        "没有实例 'nope'",
    )
    with pytest.raises(InvalidInput) as unknown:
        engine.fire(iid, "fly", "sec")
    assert unknown.value.message("zh-CN") == "程序 major_decision 没有操作 'fly'"
    assert unknown.value.message("en") == str(unknown.value)


@pytest.mark.parametrize(
    ("args", "zh"),
    [
        (["status", "nope"], "没有实例 'nope'"),
        (["fire", "nope", "prepare", "--as", "sec"], "没有实例 'nope'"),
        (["procedures", "show", "nope"], "没有程序 'nope'；非内置定义"),
    ],
)
def test_the_command_line_says_an_error_in_chinese(
    tmp_path: Path, args: list[str], zh: str
) -> None:
    db = tmp_path / "c.db"
    Engine.open(str(db), clock=ManualClock(START)).close()
    r = run("--db", db, "--lang", "zh-CN", *args)
    assert r.exit_code == 2
    (line,) = r.stderr.strip().splitlines()
    assert line.startswith(f"collegium: error: {zh}")


def test_the_json_error_says_its_message_in_the_language_asked(tmp_path: Path) -> None:
    db = tmp_path / "c.db"
    Engine.open(str(db), clock=ManualClock(START)).close()
    r = run("--db", db, "--lang", "zh-CN", "--json", "status", "nope")
    assert r.exit_code == 2
    doc = json.loads(r.stdout)
    assert (doc["error"], doc["message"]) == ("NotFound", "没有实例 'nope'")


def test_a_message_inside_a_message_or_an_error_is_said_in_the_same_language() -> None:
    missing = NotFound(Message("no instance {id!r}", id="x-1"))
    bad = DefinitionError(missing.said or "", source="p.yaml", line=3)
    assert str(bad) == "p.yaml:3: no instance 'x-1'"
    assert bad.message("zh-CN") == "p.yaml:3: 没有实例 'x-1'"
    assert Message("{place}: {reason}", place="q", reason=missing).say("zh-CN") == (
        "q: 没有实例 'x-1'"
    )


def test_a_refusal_says_every_failed_rule_in_the_language_asked(engine: Engine) -> None:
    without = {k: v for k, v in MATTER.items() if k != "lead_member"}
    with pytest.raises(RuleViolation) as refused:
        engine.start("major_decision", "sec", without)
    assert str(refused.value) == refused.value.message("en")
    assert "R-LEAD-MEMBER: lead member not given" in str(refused.value)
    assert "R-LEAD-MEMBER: 未提供分管常委" in refused.value.message("zh-CN")


def test_a_member_refused_as_built_says_why_in_chinese() -> None:
    with pytest.raises(InvalidInput) as caught:
        Member(person="@a", role="member")
    assert str(caught.value).startswith("Member person: '@' (in any form) starts the engine's")
    assert caught.value.message("zh-CN") == (
        "Member person: '@'（任何形式）是引擎自身操作人编号的开头，不能用作人员编号"
    )


def test_a_trigger_that_takes_no_data_says_none_in_the_language_asked(engine: Engine) -> None:
    iid = engine.start("major_decision", "sec", MATTER).instance.id
    with pytest.raises(InvalidInput) as caught:
        engine.fire(iid, "withdraw", "sec", {"zz": 1})
    assert str(caught.value).endswith("it takes: none")
    assert caught.value.message("zh-CN").endswith("可接受：无")


def test_a_time_without_a_zone_is_named_in_the_language_asked() -> None:
    import datetime as dt

    with pytest.raises(InvalidInput) as caught:
        ManualClock(dt.datetime(2026, 1, 1))
    assert str(caught.value).startswith("time 2026-01-01T00:00:00 has no time zone")
    assert caught.value.message("zh-CN").startswith("时间 2026-01-01T00:00:00 没有时区")

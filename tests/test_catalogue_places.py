"""The place a definition error names is said in the error's language (issue 20.5): a place
named in words (``built-in procedure major_decision``, ``rule pack government@9.9``, ``state
'open'``) reads ``内置程序 …``, ``规则包 …``, ``状态 …`` under ``zh-CN``, and exactly as it always
read in English; a file's path stays a path in either language."""

from __future__ import annotations

from pathlib import Path

import pytest

from collegium import DefinitionError, Message, Registry
from tests.test_catalogue_cli import error_line, run
from tests.test_definitions import PACK, PROC

#: a pack standing in for the built-in ``government``: one role rule guards every trigger of the
#: built-in procedure judged by it, and none of the rules that procedure names is there
STAND_IN = """
id: government
version: "9.9"
title: {en: G, zh-CN: G}
rules:
  - id: R-X
    title: {en: X, zh-CN: X}
    citation: test
    guards: [{procedure: major_administrative_decision, triggers: ["*"]}]
    check: {kind: role}
"""


def _refused(
    proc: str = PROC, pack: str = PACK, source: str | Message = "tiny.yaml"
) -> DefinitionError:
    """The error loading ``proc`` (from ``source``) under ``pack`` raises."""
    reg = Registry()
    reg.add_pack_text(pack, "tiny-pack.yaml")
    with pytest.raises(DefinitionError) as caught:
        reg.add_procedure_text(proc, source)
    return caught.value


#: a place named in words, as ``collegium procedures check`` names a built-in procedure
BUILT_IN = Message("built-in procedure {id}", id="tiny")


def test_a_rule_pack_named_as_the_place_reads_in_chinese() -> None:
    exc = _refused(pack=PACK.replace('triggers: ["*"]', 'triggers: ["*", nosuch]'))
    assert str(exc) == "rule pack tiny@1: R-ROLE: guards unknown trigger 'nosuch' of tiny"
    assert exc.message("zh-CN") == "规则包 tiny@1: R-ROLE: 适用于程序 tiny 的未知操作 'nosuch'"
    assert exc.message("en") == str(exc)


def test_a_built_in_procedure_named_as_the_place_reads_in_chinese() -> None:
    exc = _refused(PROC.replace("rules: [R-COUNT]", "rules: [R-NONE]"), source=BUILT_IN)
    assert str(exc) == (
        "built-in procedure tiny: R-NONE: unknown rule id 'R-NONE' (not in pack tiny@1)"
    )
    assert exc.message("zh-CN") == (
        "内置程序 tiny: R-NONE: 未知规则编号 'R-NONE'（不在规则包 tiny@1 中）"
    )
    assert (exc.source, exc.place) == ("built-in procedure tiny", BUILT_IN)  # English, as given


def test_a_state_named_as_the_element_reads_in_chinese() -> None:
    exc = _refused(PROC + "  - {trigger: finish, source: open, dest: open, roles: [chair]}\n")
    assert str(exc) == (
        "tiny.yaml: state 'open': duplicate trigger 'finish': branches need 'when' on all but the "
        "last"
    )
    assert exc.where == "state 'open'"
    assert exc.message("zh-CN").startswith("tiny.yaml: 状态 'open': ")


def test_a_path_stays_a_path_and_a_line_follows_a_place_in_words() -> None:
    exc = _refused(PROC.replace("dest: done", "dest: gone"))
    assert str(exc).startswith("tiny.yaml: ") and exc.message("zh-CN").startswith("tiny.yaml: ")
    exc = _refused(PROC.replace("initial: open", "initial: open\ninitial: done"), source=BUILT_IN)
    assert str(exc) == "built-in procedure tiny:13: duplicate key 'initial'"
    assert exc.message("zh-CN") == "内置程序 tiny:13: 重复的键 'initial'"


@pytest.mark.parametrize(
    ("guards", "english", "chinese"),
    [
        (
            '["*"]',
            "built-in procedure major_administrative_decision: ",
            "内置程序 major_administrative_decision: ",
        ),
        (
            "[nosuch]",
            "rule pack government@9.9: R-X: guards unknown trigger 'nosuch' of "
            "major_administrative_decision",
            "规则包 government@9.9: R-X: 适用于程序 major_administrative_decision 的未知操作 "
            "'nosuch'",
        ),
    ],
)
def test_procedures_check_says_the_place_in_the_language_asked(
    tmp_path: Path, guards: str, english: str, chinese: str
) -> None:
    pack = tmp_path / "government.yaml"
    pack.write_text(STAND_IN.replace('["*"]', guards), encoding="utf-8")
    assert error_line(run("procedures", "check", pack)).startswith(english)
    assert error_line(run("--lang", "zh-CN", "procedures", "check", pack)).startswith(chinese)
    assert error_line(run("procedures", "check", pack, "--lang", "en")).startswith(english)

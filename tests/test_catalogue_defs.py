"""Errors of definitions (procedures, fragments, rule packs) and of the store say themselves in
Chinese (``--lang zh-CN``) as in English: the English as it always was, the Chinese from the
catalogue, with ids, states and triggers left as written."""

from __future__ import annotations

import pytest

from collegium import DefinitionError, Engine, InvalidInput, ManualClock, Registry, SequentialIds
from collegium.rules.expression import compile_expression, reason_of
from collegium.rules.model import parse_ratio
from tests.conftest import START
from tests.test_definitions import PACK, PROC, load


def _refused(proc: str = PROC, pack: str = PACK) -> DefinitionError:
    with pytest.raises(DefinitionError) as caught:
        load(proc, pack)
    return caught.value


def test_a_procedure_graph_defect_reads_in_chinese() -> None:
    exc = _refused(PROC.replace("dest: done", "dest: gone"))
    assert str(exc) == "tiny.yaml: transitions[1] (finish): unknown state 'gone'"
    assert exc.message("zh-CN") == "tiny.yaml: transitions[1] (finish): 未知状态 'gone'"

    exc = _refused(PROC.replace(", terminal: true", ""))
    assert str(exc).endswith("states: no terminal state: an instance could never finish")
    assert exc.message("zh-CN").endswith("states: 没有终止状态：实例将永远无法结束")


def test_a_duplicate_rule_id_reads_in_chinese() -> None:
    pack = PACK.replace("id: R-COUNT", "id: R-ROLE")
    reg = Registry()
    with pytest.raises(DefinitionError) as caught:
        reg.add_pack_text(pack, "tiny-pack.yaml")
    assert str(caught.value) == "tiny-pack.yaml: R-ROLE: duplicate rule id 'R-ROLE'"
    assert caught.value.message("zh-CN") == "tiny-pack.yaml: R-ROLE: 规则编号 'R-ROLE' 重复"


def test_an_unguarded_trigger_reads_in_chinese() -> None:
    exc = _refused(pack=PACK.replace('triggers: ["*"]', "triggers: [finish]"))
    example = "guards: [{procedure: tiny, triggers: ['*']}]"
    assert str(exc) == (
        "tiny.yaml: trigger 'start' is guarded by no rule of kind 'role', so anyone could fire "
        f"it; add one to pack tiny@1 (e.g. {example})"
    )
    assert exc.message("zh-CN") == (
        "tiny.yaml: 操作 'start' 没有类型为 'role' 的规则把关，任何人都可以执行它；"
        f"请在规则包 tiny@1 中加上一条（如 {example}）"
    )


def test_an_expression_refused_at_load_reads_in_chinese() -> None:
    exc = _refused(pack=PACK.replace("size > 1", "size > $now"))
    assert "R-COUNT: expression uses a rule-engine builtin ($...)" in str(exc)
    assert exc.message("zh-CN").endswith(
        "R-COUNT: 表达式使用了 rule-engine 的内置符号（$...）；$now 等内置符号读取的是系统时钟："
        "请使用事项 'now'"
    )
    with pytest.raises(ValueError) as caught:
        compile_expression("name =~ '^(a|ab)*c$'", {"name": "string"})
    reason = reason_of(caught.value)
    assert str(reason) == (
        "regular expression '^(a|ab)*c$' repeats an alternation: it could take exponential time"
    )
    assert not isinstance(reason, str)
    assert (
        reason.say("zh-CN")
        == "正则表达式 '^(a|ab)*c$' 对选择分支（|）进行了重复：匹配可能耗费指数级时间"
    )


def test_a_ratio_out_of_range_reads_in_chinese() -> None:
    with pytest.raises(ValueError) as caught:
        parse_ratio("3/2")
    reason = reason_of(caught.value)
    assert str(caught.value) == str(reason) == "ratio 3/2 must be greater than 0 and at most 1"
    assert not isinstance(reason, str)
    assert reason.say("zh-CN") == "比例 3/2 须大于 0 且不大于 1"


def test_a_store_refusal_reads_in_chinese() -> None:
    engine = Engine.in_memory(clock=ManualClock(START), ids=SequentialIds())
    try:
        with pytest.raises(InvalidInput) as caught:
            engine.outbox.pending(0)
    finally:
        engine.close()
    assert str(caught.value) == "an outbox read takes a limit of at least 1, not 0"
    assert caught.value.message("zh-CN") == "读取发件箱的 limit 须至少为 1，而不是 0"

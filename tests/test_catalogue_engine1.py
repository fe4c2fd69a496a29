"""Errors of the engine's arguments, ballots, counts, calendar, clock, checkpoints and declarations
say their message in English (unchanged) and in Chinese (zh-CN), from the catalogue."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from collegium import Engine, InvalidInput, ManualClock, SequentialIds
from collegium.engine import arguments, calendar, counting, declared, governance
from collegium.engine.registry import Registry
from collegium.engine.sealing import SodiumSealer, check_public_key
from collegium.errors import CollegiumError
from tests.conftest import START, standing_committee


def said(error: pytest.ExceptionInfo[CollegiumError]) -> tuple[str, str]:
    return str(error.value), error.value.message("zh-CN")


def test_a_command_s_arguments_are_refused_in_either_language() -> None:
    with pytest.raises(InvalidInput) as no_actor:
        arguments.check_arguments("  ", None)
    assert said(no_actor) == ("an actor (a person's id) is required", "须提供操作人（人员编号）")
    with pytest.raises(InvalidInput) as long_id:
        arguments.check_arguments("sec", None, instance_id="x" * 129)
    english, chinese = said(long_id)
    assert english.startswith("instance_id must be printable text of at most 128 characters, not ")
    assert chinese.startswith("instance_id 须为至多 128 个字符的可打印文本，而不是 ")
    with pytest.raises(InvalidInput) as data:
        arguments.check_arguments("sec", [1])
    assert said(data) == (
        "data must be a mapping of names to values, not list",
        "数据须为名称到值的映射，而不是 list",
    )


def test_a_secret_ballot_s_steps_and_counts_are_refused_in_either_language() -> None:
    counted = {"counting": "tellers", "counted_at": "2026-03-02T01:00:00.000000Z"}
    with pytest.raises(InvalidInput) as late:
        counting.check_step(counted, "vote", casts=True, counts=False, tallies=False, data={})
    assert said(late) == (
        "the tellers have counted this ballot: no more votes",
        "监票人、计票人已对本次表决计票：不能再投票",
    )
    sealed = {"counting": "sealed"}
    with pytest.raises(InvalidInput) as no_choice:
        counting.check_step(sealed, "vote", casts=True, counts=False, tallies=False, data={})
    assert said(no_choice) == ("'vote' needs 'choice'", "操作 'vote' 须提供 'choice'")
    with pytest.raises(InvalidInput) as deep:
        counting.coerce_counts({"a": {"b": {"c": 1}}})
    assert said(deep) == (
        "counts are per option, or per item and then per option: not deeper",
        "计票数按选项提供，或先按项、再按选项提供：不能再深一层",
    )


def test_a_ballot_key_and_a_choice_too_long_to_seal_are_refused_in_either_language() -> None:
    with pytest.raises(InvalidInput) as key:
        check_public_key("abc")
    assert said(key) == (
        "the ballot key is the tellers' public key: 64 hexadecimal digits, as `collegium vote "
        "key` printed it",
        "选票公钥即监票人、计票人的公钥：64 位十六进制数字，即 `collegium vote key` 所输出的",
    )
    with pytest.raises(InvalidInput) as long_choice:
        SodiumSealer().seal("00" * 32, "x" * 33)
    assert said(long_choice) == ("a choice is at most 32 bytes", "选择至多 32 个字节")


def test_attendance_and_the_reporting_calendar_are_refused_in_either_language() -> None:
    body = standing_committee()
    with pytest.raises(InvalidInput) as outsider:
        governance.build_attendance(body, {"stranger": "present"})
    assert said(outsider) == (
        "'stranger' is not a member of 'sc'; only 'attendee' (列席) is allowed",
        "'stranger' 不是 'sc' 的成员；只能为 'attendee'（列席）",
    )
    with pytest.raises(InvalidInput) as interval:
        calendar.periods(2026, 5, dt.time(18, 0))
    assert said(interval) == (
        "a report interval is a whole number of months dividing 12, not 5",
        "报告间隔须为能整除 12 的整数个月，而不是 5",
    )
    with pytest.raises(InvalidInput) as undeclared:
        declared.reporting(Registry())
    english, chinese = said(undeclared)
    assert english.startswith("no loaded rule pack declares a reporting calendar; declare it in")
    assert chinese.startswith("已加载的规则包都没有声明 报告日程；请在规则包中声明，如 reporting:")


def test_the_clock_and_a_checkpoint_are_refused_in_either_language(tmp_path: Path) -> None:
    clock = ManualClock(START)
    with pytest.raises(InvalidInput) as back:
        clock.set(START - dt.timedelta(days=1))
    assert said(back) == (
        "the clock cannot move back from 2026-03-02T01:00:00.000000Z to "
        "2026-03-01T01:00:00.000000Z",
        "时钟不能从 2026-03-02T01:00:00.000000Z 倒退到 2026-03-01T01:00:00.000000Z",
    )
    out = tmp_path / "c.checkpoint"
    out.write_bytes(b"")
    engine = Engine.in_memory(clock=clock, ids=SequentialIds())
    with pytest.raises(InvalidInput) as exists:
        engine.checkpoint(b"\x01" * 32, out)
    assert said(exists) == (
        f"{out} already exists; a checkpoint is never overwritten",
        f"{out} 已存在；检查点不会被覆盖",
    )

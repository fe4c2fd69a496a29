"""Errors of the engine's steps, meetings, keys, checkpoint files, registry and queries say their
message in English (unchanged) and in Chinese (zh-CN), from the catalogue."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

import pytest

from collegium import Engine, InvalidInput, ManualClock, NotFound, TransitionNotAllowed
from collegium.engine import manifest
from collegium.engine.keys import PublicKey, SigningKey
from collegium.engine.targets import canonical_number
from collegium.errors import CollegiumError
from tests.conftest import consult_all, propose, to_deliberation


def said(error: pytest.ExceptionInfo[CollegiumError]) -> tuple[str, str]:
    return str(error.value), error.value.message("zh-CN")


def test_a_refused_transition_is_said_in_either_language(engine: Engine) -> None:
    iid = to_deliberation(engine)
    with pytest.raises(TransitionNotAllowed) as refused:
        engine.fire(iid, "vote", "sec", {"choice": "agree"})
    english, chinese = said(refused)
    assert english.startswith("'vote' is not allowed in state 'deliberation'; allowed: ")
    assert chinese.startswith("状态 'deliberation' 下不能执行 'vote'；可执行：")
    assert english.split("allowed: ")[1] == chinese.split("可执行：")[1]


def test_a_meeting_s_attendance_is_refused_in_either_language(
    engine: Engine, clock: ManualClock
) -> None:
    iid = to_deliberation(engine)
    consult_all(engine, iid)
    at = clock.now() + dt.timedelta(days=3)
    engine.fire(iid, "schedule", "sec", {"meeting_at": at.isoformat()})
    clock.advance(dt.timedelta(days=3))
    attendance = {m.person: "present" for m in engine.body("sc").members}
    with pytest.raises(InvalidInput) as recused:
        engine.fire(iid, "open_meeting", "sec", {"attendance": attendance, "recused": ["m1"]})
    assert said(recused) == (
        "'recused' goes with 'sitting'; at a meeting of its own, mark recusals in 'attendance'",
        "'recused' 须与 'sitting' 一同给出；单独召开的会议请在 'attendance' 中标明回避",
    )
    with pytest.raises(InvalidInput) as reason:
        engine.fire(
            iid, "open_meeting", "sec", {"attendance": attendance, "reasons": {"m2": "ill"}}
        )
    english, chinese = said(reason)
    assert english.startswith("a reason is given for ") and "m2" in english
    assert english.endswith(", who is not recorded absent")
    assert chinese.startswith("为 ") and chinese.endswith(" 给出了缺席理由，但其未被记为缺席")


def test_reading_and_finding_are_refused_in_either_language(engine: Engine) -> None:
    propose(engine)
    with pytest.raises(InvalidInput) as batch:
        next(engine.scan(batch=0))
    assert said(batch) == ("batch must be at least 1, not 0", "batch 须至少为 1，而不是 0")
    with pytest.raises(NotFound) as rule:
        engine.registry.rule("R-NO-SUCH-RULE")
    assert said(rule) == (
        "no rule 'R-NO-SUCH-RULE' in any loaded pack",
        "已加载的规则包中都没有规则 'R-NO-SUCH-RULE'",
    )
    later = engine.clock.now() + dt.timedelta(days=1)
    with pytest.raises(InvalidInput) as timers:
        engine.run_due(later)
    english, chinese = said(timers)
    assert english.startswith("cannot run timers due by ") and ": the clock says " in english
    assert chinese.startswith("无法运行截至 ") and " 到期的定时器：时钟当前为 " in chinese


def test_a_key_and_a_checkpoint_file_are_refused_in_either_language(tmp_path: Path) -> None:
    with pytest.raises(InvalidInput) as short:
        PublicKey.from_hex("abc")
    assert said(short) == (
        "a public key must be 32 bytes, written as 64 lower-case hex digits",
        "公钥须为 32 字节，写作 64 位小写十六进制数字",
    )
    key = SigningKey.generate()
    public = key.write(tmp_path / "audit.key")
    with pytest.raises(InvalidInput) as mistaken:
        SigningKey.read(public)
    assert said(mistaken) == (
        f"{public} is a public key; signing needs the private key file",
        f"{public} 是公钥；签名须用签名私钥文件",
    )
    with pytest.raises(InvalidInput) as empty:
        manifest.read(io.BytesIO(b""), "cp.jsonl", key.public_key, io.BytesIO())
    assert said(empty) == (
        "cp.jsonl is empty: not a checkpoint file",
        "cp.jsonl 为空：不是检查点文件",
    )
    with pytest.raises(InvalidInput) as cut:
        manifest.read(io.BytesIO(b"{}"), "cp.jsonl", key.public_key, io.BytesIO())
    assert said(cut) == (
        "cp.jsonl line 1 has no line end: the file was cut short",
        "cp.jsonl 第 1 行没有行尾：文件被截短",
    )


def test_a_target_value_is_refused_in_either_language() -> None:
    with pytest.raises(InvalidInput) as bad:
        canonical_number("baseline", "a lot")
    assert said(bad) == (
        "baseline must be a decimal number such as 12 or 6.5 (at most 30 digits), not 'a lot'",
        "baseline 须为十进制数，如 12 或 6.5（至多 30 位数字），而不是 'a lot'",
    )

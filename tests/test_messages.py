"""Messages name the real cause first and never show a missing value as "None" or "-" (issue
20.4): an unknown body is NotFound before any rule; a fact a rule's text needs and the command
does not give is named as not given; availability says which data a trigger waits for."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from collegium import Engine, ManualClock, NotFound, RuleViolation, SequentialIds
from collegium._i18n import message
from collegium.rules import kinds
from collegium.rules.model import StateCheck
from tests.conftest import MATTER, START, standing_committee, state_views, to_meeting
from tests.test_cli import run

SCENARIOS = Path(__file__).resolve().parent.parent / "examples" / "scenarios"


def refusal(exc: pytest.ExceptionInfo[RuleViolation], rule: str) -> tuple[str, str]:
    (found,) = [r for r in exc.value.verdict.failures if r.rule_id == rule]
    return found.message("en"), found.message("zh-CN")


def test_an_unknown_body_is_not_found_before_any_rule(engine: Engine) -> None:
    with pytest.raises(NotFound, match=r"^no body 'nope'$"):
        engine.start("major_decision", "sec", {**MATTER, "body": "nope"})
    assert engine.instances() == []


def test_a_fact_not_given_is_named_not_shown_as_none(engine: Engine) -> None:
    without = {k: v for k, v in MATTER.items() if k != "lead_member"}
    with pytest.raises(RuleViolation) as exc:
        engine.start("major_decision", "sec", without)
    assert refusal(exc, "R-LEAD-MEMBER") == ("lead member not given", "未提供分管常委")
    nobody = {k: v for k, v in MATTER.items() if k != "body"}
    with pytest.raises(RuleViolation) as exc:
        engine.start("major_decision", "sec", nobody)
    en, zh = refusal(exc, "R-ROLE")
    assert en == "sec holds a role only as a member of the matter's body, and none is given"
    assert zh == "未指定本事项的机构，无法确认 sec 的职务"
    assert engine.instances() == []


def adopted(engine: Engine, clock: ManualClock) -> str:
    iid = to_meeting(engine, clock)
    state_views(engine, iid)
    for person in ["sec", "dep", "m1", "m2", "m3", "m4"]:
        engine.fire(iid, "vote", person, {"choice": "agree"})
    engine.fire(iid, "close_ballot", "sec")
    return iid


def test_a_rules_own_text_names_what_is_not_given(engine: Engine, clock: ManualClock) -> None:
    iid = adopted(engine, clock)
    with pytest.raises(RuleViolation) as exc:
        engine.fire(iid, "publish", "sec")
    en, zh = refusal(exc, "R-DISCLOSURE")
    assert "None" not in en and "None" not in zh
    assert en.endswith(" not given") and zh.startswith("未提供")


def test_availability_names_the_data_a_trigger_waits_for(
    engine: Engine, clock: ManualClock
) -> None:
    iid = adopted(engine, clock)
    (publish,) = [a for a in engine.available(iid, "sec") if a.trigger == "publish"]
    assert publish.allowed and publish.needs == ("audience",)
    with pytest.raises(RuleViolation):  # as the availability warned: it needs its audience
        engine.fire(iid, "publish", "sec")
    assert engine.fire(iid, "publish", "sec", {"audience": "public"}).instance.state == "published"


class _Facts:
    """Facts naming an instance that no store holds."""

    def get(self, name: str) -> object:
        return {"subject": "major_decision-404"}.get(name)

    def state_of(self, instance_id: str) -> str | None:
        return None


def test_a_state_check_on_an_instance_that_does_not_exist_says_so() -> None:
    check = StateCheck(kind="state", instance="subject", states=("assigned",))
    passed, detail, params, _facts = kinds.state(check)(_Facts(), ())  # type: ignore[arg-type]
    assert not passed
    assert message(detail, "en", **params) == (
        "subject names major_decision-404, which is no instance"
    )
    assert "None" not in message(detail, "zh-CN", **params)


@pytest.mark.parametrize("lang", ["en", "zh-CN"])
def test_no_refusal_in_the_example_scenarios_shows_a_missing_value(lang: str) -> None:
    messages: list[tuple[str, str]] = []
    for path in sorted(SCENARIOS.glob("*.yaml")):
        r = run("--lang", lang, "--json", "simulate", path)
        assert r.exit_code == 0, (path.name, r.stderr)
        steps = json.loads(r.stdout)["steps"]
        rules = [rule for step in steps for rule in step["rules"] if "rule" in rule]
        messages += [(path.name, rule["message"]) for rule in rules]
    assert len(messages) >= 20  # the scenarios' expected refusals, and the warnings
    for name, text in messages:
        assert "None" not in text and " - " not in text, (name, text)


def test_status_as_says_what_data_an_allowed_trigger_waits_for(tmp_path: Path) -> None:
    db = tmp_path / "c.db"
    clock = ManualClock(START)
    engine = Engine.open(str(db), clock=clock, ids=SequentialIds())
    try:
        engine.define_body(standing_committee())
        iid = adopted(engine, clock)
    finally:
        engine.close()
    text = run("--db", db, "status", iid, "--as", "sec")
    assert text.exit_code == 0, text.stderr
    assert "allowed, given audience" in " ".join(text.output.split())
    zh = run("--db", db, "--lang", "zh-CN", "status", iid, "--as", "sec")
    assert "可以，须提供 audience" in " ".join(zh.output.split())
    doc = json.loads(run("--db", db, "--json", "status", iid, "--as", "sec").stdout)
    (publish,) = [a for a in doc["available"] if a["trigger"] == "publish"]
    assert publish["allowed"] is True and publish["needs"] == ["audience"]

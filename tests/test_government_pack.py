"""The optional `government` pack (State Council Decree 713, 重大行政决策程序暂行条例): a
second organisation shipped as data only. Its procedure and pack load from the package's YAML files
with the built-in registry and pass `collegium procedures check`; its example scenarios run to their
end in both languages with the audit intact; its refusals name the rule, its title and the decree's
article; and no module of the package names it."""

from __future__ import annotations

import datetime as dt
import json
from importlib import resources
from pathlib import Path

import pytest

from collegium import (
    Body,
    Engine,
    ManualClock,
    Member,
    Registry,
    RuleViolation,
    SequentialIds,
    cite,
)
from tests.test_cli_ballot import ok

ROOT = Path(__file__).parent.parent
PROCEDURE, PACK = "major_administrative_decision", "government"
FILES = {
    "procedure": "workflows/major_administrative_decision.yaml",
    "pack": "rules/packs/government.yaml",
    "tests": "rules/packtests/government.yaml",
}
EXAMPLE = ROOT / "examples" / "scenarios" / "gov_major_administrative_decision.yaml"
CST = dt.timezone(dt.timedelta(hours=8))


def test_the_procedure_and_pack_load_from_the_shipped_yaml_with_the_built_in_registry() -> None:
    reg = Registry.builtin()
    proc = reg.compiled(PROCEDURE)
    assert proc.pack.id == PACK and proc.spec.rule_pack == PACK
    shipped = resources.files("collegium")
    for kind, key in (("procedure", proc.spec.key), ("pack", proc.pack.key)):
        text = shipped.joinpath(FILES[kind]).read_text(encoding="utf-8")
        assert reg.definitions[f"{kind}:{key}"].text == text  # read from the file, nothing else
    for rule in proc.pack.rules:  # every rule cites the decree (the quorum also names its source)
        assert rule.id.startswith("R-GOV-") and "Decree 713" in cite(rule.citation, "en"), rule.id
        assert rule.title.en and rule.title.zh and rule.title.en != rule.title.zh
    assert proc.pack.parameters["comment_period"].value == "P30D"
    assert proc.pack.parameters["comment_period"].status == "confirmed"


def test_the_files_pass_procedures_check() -> None:
    for kind in ("procedure", "pack"):
        r = ok("procedures", "check", ROOT / "collegium" / FILES[kind])
        assert r.stdout.startswith("ok:"), r.stdout
    r = ok("--json", "procedures", "show", PROCEDURE)
    states = {s["id"] for s in json.loads(r.stdout)["states"]}
    assert {"public_comment", "legality_review", "in_meeting", "evaluating", "adjusted"} <= states


def test_the_pack_tests_apply_every_rule_and_notice_each_one_dropped() -> None:
    """The pack's own tests (`collegium test` runs them with the built-in packs'): each rule is
    applied by a case, and each, dropped, fails a case that needs it to refuse or to choose."""
    r = ok("test", ROOT / "collegium" / FILES["tests"], "--mutate")
    assert r.stdout.splitlines() == [
        "government@2019.3: 72 of 72 cases pass",
        "  rules applied by a case: 39 of 39",
        "  dropped without a case noticing: -",
    ]


@pytest.mark.parametrize("lang", ["en", "zh-CN"])
def test_the_example_runs_to_its_end_with_the_audit_intact(lang: str) -> None:
    path = EXAMPLE if lang == "en" else EXAMPLE.with_name(EXAMPLE.stem + ".zh-CN.yaml")
    doc = json.loads(ok("--lang", lang, "--json", "simulate", path).stdout)
    assert doc["ok"] and doc["audit"]["ok"]
    assert sorted(i["state"] for i in doc["instances"].values()) == ["adjusted", "proposed"]
    refused = [s["rules"] for s in doc["steps"] if s["outcome"] == "refused"]
    assert [rules[0]["rule"] for rules in refused] == [
        "R-GOV-MEETING",
        "R-GOV-PARTICIPATION",
        "R-GOV-COMMENT-PERIOD",
        "R-GOV-PRINCIPAL-LAST",
        "R-GOV-EVALUATOR",
    ]
    for rules in refused:  # each names its title and the decree's article, in the language asked
        decree = "《重大行政决策程序暂行条例》第" if lang == "zh-CN" else "Decree 713 Art"
        assert all(r["title"] and r["citation"].startswith(decree) for r in rules)
    said = refused[2][0]["message"]
    assert ("不足30日" if lang == "zh-CN" else "less than 30 days") in said, said
    timers = [r for s in doc["steps"] if s["action"] == "advance" for r in s["rules"]]
    assert any(t["timer"].startswith("close_comment") and t["state"] == "drafting" for t in timers)


@pytest.fixture
def engine() -> Engine:
    eng = Engine.in_memory(
        clock=ManualClock(dt.datetime(2026, 3, 2, 9, tzinfo=CST)), ids=SequentialIds()
    )
    seats = [
        ("head", "principal", True),
        ("dep1", "deputy", True),
        ("dep2", "deputy", True),
        ("office", "member", True),
        ("unit", "undertaking_unit", False),
        ("justice", "legality_reviewer", False),
    ]
    eng.define_body(
        Body(
            id="gov",
            kind="executive",
            members=tuple(Member(person=p, role=r, voting=v) for p, r, v in seats),
        )
    )
    return eng


def launched(engine: Engine, **classified: bool) -> str:
    iid = engine.start(
        PROCEDURE,
        "unit",
        {
            "title": "Bus network plan",
            "matter_kind": "plan",
            "proposed_by": "department",
            "proposer": "unit",
            "body": "gov",
        },
    ).instance.id
    facts = {
        "not_public": False,
        "specialised": False,
        "risk_relevant": False,
        "market_activity": False,
        **classified,
    }
    engine.fire(iid, "launch", "head", {"undertaking_unit": "transport bureau", **facts})
    return iid


def test_a_refusal_explains_itself_in_both_languages_with_the_article(engine: Engine) -> None:
    iid = launched(engine, specialised=True)
    review = {"legal_basis": "Road Transport Regulations", "review_due": "2026-03-20T18:00+08:00"}
    with pytest.raises(RuleViolation) as exc:
        engine.fire(iid, "send_for_review", "unit", review)
    failures = {f.rule_id: f for f in exc.value.verdict.failures}
    assert set(failures) == {"R-GOV-PARTICIPATION", "R-GOV-EXPERTS"}
    experts = failures["R-GOV-EXPERTS"]
    assert experts.cited("en") == "Decree 713 Arts. 19-20"
    assert experts.title.get("zh-CN") == "专业性、技术性较强的决策事项须组织专家论证"
    assert "highly specialised" in experts.message("en") and "专家论证" in experts.message("zh-CN")
    assert engine.get(iid).state == "drafting"  # nothing written


def test_the_preparatory_procedures_are_skipped_only_where_the_decree_allows(
    engine: Engine,
) -> None:
    iid = launched(engine, not_public=True)  # Art. 14: not disclosed by law: no participation
    engine.fire(
        iid,
        "send_for_review",
        "unit",
        {"legal_basis": "Road Transport Regulations", "review_due": "2026-03-20T18:00+08:00"},
    )
    assert engine.get(iid).state == "legality_review"
    # Art. 15: a comment period under 30 days only when shortened, its reason stated as it opens
    other = launched(engine)
    closes = {"comment_closes": "2026-03-12T18:00+08:00"}
    shortened = {"comment_shortened": True}
    for data, rule in (({}, "R-GOV-COMMENT-PERIOD"), (shortened, "R-GOV-COMMENT-SHORTENED")):
        with pytest.raises(RuleViolation) as exc:
            engine.fire(other, "open_comment", "unit", {**closes, **data})
        assert [f.rule_id for f in exc.value.verdict.failures] == [rule]
    engine.fire(
        other,
        "open_comment",
        "unit",
        {**closes, "comment_shortened": True, "shortened_reason": "flood season timetable"},
    )
    assert engine.get(other).state == "public_comment"


def to_meeting(engine: Engine) -> str:
    iid = launched(engine)
    engine.fire(iid, "record_participation", "unit", {"participation_summary": "two forums"})
    engine.fire(
        iid,
        "send_for_review",
        "unit",
        {"legal_basis": "Road Transport Regulations", "review_due": "2026-03-20T18:00+08:00"},
    )
    engine.fire(
        iid, "conclude_review", "justice", {"legality": "lawful", "legality_opinion": "lawful"}
    )
    engine.fire(iid, "submit_for_discussion", "unit")
    engine.fire(
        iid,
        "open_meeting",
        "head",
        {
            "attendance": {
                "head": "present",
                "dep1": "present",
                "dep2": "present",
                "office": "present",
            }
        },
    )
    return iid


def test_the_principal_leader_speaks_last_and_explains_a_decision_against_the_majority(
    engine: Engine,
) -> None:
    iid = to_meeting(engine)
    with pytest.raises(RuleViolation) as exc:
        engine.fire(iid, "state_view", "head", {"view": "oppose"})
    assert [f.rule_id for f in exc.value.verdict.failures] == ["R-GOV-PRINCIPAL-LAST"]
    for person in ("dep1", "dep2", "office"):
        engine.fire(iid, "state_view", person, {"view": "agree"})
    engine.fire(iid, "state_view", "head", {"view": "oppose"})
    against = {"decision": "reject", "majority_view": "agree"}
    with pytest.raises(RuleViolation) as exc:
        engine.fire(iid, "decide", "head", against)
    [failure] = exc.value.verdict.failures
    assert failure.rule_id == "R-GOV-REASONS" and failure.cited("en") == "Decree 713 Art. 30"
    engine.fire(
        iid, "decide", "head", {**against, "decision_reasons": "the fare subsidy is unfunded"}
    )
    assert engine.get(iid).state == "not_adopted"


def test_no_module_of_the_package_names_the_government_pack() -> None:
    """Everything about the government is in the YAML files: no Python was added for it."""
    package = ROOT / "collegium"
    found = [
        f"{path.relative_to(ROOT)}: {word}"
        for path in sorted(package.rglob("*.py"))
        for word in ("government", PROCEDURE, "Decree 713")
        if word in path.read_text(encoding="utf-8")
    ]
    assert found == []
    data = resources.files("collegium")
    assert all(data.joinpath(name).is_file() for name in FILES.values())  # shipped as package data

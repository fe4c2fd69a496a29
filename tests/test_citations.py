"""A rule's citation is read in the language asked for: a pack may cite each rule in English and
Chinese (``{en, zh-CN}``) or in one text for both; the shipped packs cite every rule in both."""

from __future__ import annotations

import json

import pytest

from collegium import Engine, Registry, RuleViolation
from collegium.rules.model import RuleSpec
from tests.conftest import MATTER
from tests.test_cli import run

CHECK = {"kind": "required", "facts": ["title"]}


def spec(citation: object) -> RuleSpec:
    title = {"en": "t", "zh-CN": "t"}
    return RuleSpec.model_validate(
        {"id": "R-T", "title": title, "citation": citation, "check": CHECK}
    )


def test_a_citation_is_one_text_or_one_per_language() -> None:
    from collegium import cite

    both = spec({"en": "Art. 27", "zh-CN": "第二十七条"}).citation
    assert (cite(both, "en"), cite(both, "zh-CN")) == ("Art. 27", "第二十七条")
    one = spec("source §IV.1").citation
    assert (cite(one, "en"), cite(one, "zh-CN")) == ("source §IV.1", "source §IV.1")


@pytest.mark.parametrize("citation", ["", {"en": "Art. 27"}, {"en": "a", "zh-CN": "b", "fr": "c"}])
def test_a_citation_missing_a_language_or_empty_is_refused(citation: object) -> None:
    with pytest.raises(ValueError, match="citation"):
        spec(citation)


def test_every_rule_of_the_shipped_packs_is_cited_in_both_languages() -> None:
    reg = Registry.builtin()
    for pack_id in ("party-committee", "government"):
        pack = reg.pack(pack_id)
        bare = [r.id for r in pack.rules if isinstance(r.citation, str)]
        assert bare == [], f"{pack.key}: cited in one language only"
        same = [r.id for r in pack.rules if r.citation.en == r.citation.zh]
        assert same == [], f"{pack.key}: the Chinese repeats the English"


def test_a_refusal_cites_its_clause_in_the_language_of_the_reader(engine: Engine) -> None:
    with pytest.raises(RuleViolation) as exc:
        engine.start("major_decision", "sec", {k: v for k, v in MATTER.items() if k != "title"})
    (found,) = [r for r in exc.value.verdict.failures if r.rule_id == "R-PROPOSAL"]
    assert found.cited("en") != found.cited("zh-CN")
    assert found.to_dict("zh-CN")["citation"] == found.cited("zh-CN")
    assert "来源文件" in found.cited("zh-CN") and "source" in found.cited("en")


def test_rules_show_prints_the_citation_of_the_language_asked_for() -> None:
    en = json.loads(run("--json", "rules", "show", "R-QUORUM-SC").stdout)["citation"]
    zh = json.loads(run("--json", "--lang", "zh-CN", "rules", "show", "R-QUORUM-SC").stdout)
    assert en == "county rules of procedure; Party-group regulation (2019) Art. 27"
    assert zh["citation"] == "县委议事规则；《中国共产党党组工作条例》（2019年）第二十七条"
    table = run("--lang", "zh-CN", "rules", "show", "R-QUORUM-SC").stdout
    assert "《中国共产党党组工作条例》" in table


def test_the_handbook_cites_each_rule_in_its_pages_language() -> None:
    from pathlib import Path

    pages = Path(__file__).resolve().parents[1] / "docs" / "handbook"
    zh = (pages / "major_decision.zh-CN.md").read_text(encoding="utf-8")
    en = (pages / "major_decision.md").read_text(encoding="utf-8")
    assert "| 来源文件第四部分第1项" in zh and "| source §IV.1" not in zh
    assert "| source §IV.1" in en and "来源文件" not in en

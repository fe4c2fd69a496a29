"""Every rule of a built-in pack is documented in both languages: its id is named in a scenario of
an English and of a Chinese feature file under ``features/`` (as a step argument, "R-…" or
“R-…”, or in a cell of a scenario outline's examples), so the scenarios that run as tests also
show each rule at work.

Which scenario notices a rule dropped is ``collegium test --mutate``'s question for the pack's own
tests; here the question is only whether a person reading the scenarios in either language meets
the rule at all."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from collegium import Registry

FEATURES = Path(__file__).parents[1] / "features"


def _named(directory: Path, zh: bool) -> set[str]:
    """The rule ids quoted in the feature files of one language."""
    found: set[str] = set()
    for path in directory.glob("*.feature"):
        if path.name.endswith(".zh-CN.feature") == zh:
            text = path.read_text(encoding="utf-8")
            found.update(re.findall(r"[\"“](R-[A-Z0-9-]+)[\"”]", text))
            found.update(re.findall(r"\|\s*(R-[A-Z0-9-]+)\s*(?=\|)", text))  # an Examples cell
    return found


def missing(rules: list[str], directory: Path) -> list[str]:
    """Each rule not named in both languages, with the languages it lacks."""
    named = {"en": _named(directory, zh=False), "zh-CN": _named(directory, zh=True)}
    out = []
    for rule in rules:
        lacking = [lang for lang, ids in named.items() if rule not in ids]
        if lacking:
            out.append(f"{rule} ({', '.join(lacking)})")
    return out


@pytest.mark.parametrize("pack_id", ["party-committee", "government"])
def test_every_rule_is_named_in_an_english_and_a_chinese_scenario(pack_id: str) -> None:
    pack = Registry.builtin().pack(pack_id)
    lacking = missing([rule.id for rule in pack.rules], FEATURES)
    assert not lacking, f"{pack.key}: rules no scenario names: {'; '.join(lacking)}"


def test_a_rule_named_in_one_language_only_is_missing_in_the_other(tmp_path: Path) -> None:
    (tmp_path / "a.feature").write_text(
        'Then the step is refused by rule "R-A"\nAnd rule "R-B" passed\n', encoding="utf-8"
    )
    (tmp_path / "a.zh-CN.feature").write_text(
        "那么该操作被规则“R-A”拒绝\n      | 回避 | R-D |\n", encoding="utf-8"
    )
    assert missing(["R-A", "R-B", "R-C", "R-D"], tmp_path) == [
        "R-B (zh-CN)",
        "R-C (en, zh-CN)",
        "R-D (en)",
    ]

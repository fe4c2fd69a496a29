"""Verdicts: what every rule said about one command, and why, in both languages."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from collegium._i18n import Citation, Text, cite, message


@dataclass(frozen=True, slots=True, init=False)
class RuleResult:
    """One rule's finding on one command.

    ``detail`` is a message key and ``params`` its parameters: the text is rendered on demand in the
    language asked for (``message('zh-CN')``). ``facts`` are the facts the rule looked at.
    """

    rule_id: str
    passed: bool
    severity: str
    title: Text
    citation: Citation
    detail: str
    params: Mapping[str, Any] = field(default_factory=dict)
    facts: Mapping[str, Any] = field(default_factory=dict)
    applicable: bool = True

    def __init__(
        self,
        rule_id: str,
        passed: bool,
        severity: str,
        title: Text,
        citation: Citation,
        detail: str,
        params: Mapping[str, Any] | None = None,
        facts: Mapping[str, Any] | None = None,
        applicable: bool = True,
    ) -> None:
        # made for every rule of every command: each field is set through its slot, at half the
        # cost of the generated frozen __init__ (tests/test_verdict_record.py holds the two alike)
        _SET_RULE_ID(self, rule_id)
        _SET_PASSED(self, passed)
        _SET_SEVERITY(self, severity)
        _SET_TITLE(self, title)
        _SET_CITATION(self, citation)
        _SET_DETAIL(self, detail)
        _SET_PARAMS(self, {} if params is None else params)
        _SET_FACTS(self, {} if facts is None else facts)
        _SET_APPLICABLE(self, applicable)

    @property
    def blocking(self) -> bool:
        """Whether this finding refuses the command: a ``block`` rule that applies and failed."""
        return self.severity == "block" and self.applicable and not self.passed

    def cited(self, lang: str = "en") -> str:
        """The rule's citation as read in ``lang``."""
        return cite(self.citation, lang)

    def message(self, lang: str = "en") -> str:
        """What the rule found, in ``lang`` (``en`` or ``zh-CN``), with its figures."""
        return message(self.detail, lang, **self.params)

    def to_dict(self, lang: str = "en") -> dict[str, Any]:
        """The finding as plain JSON data, its texts in ``lang``."""
        return {
            "rule": self.rule_id,
            "passed": self.passed,
            "applicable": self.applicable,
            "severity": self.severity,
            "title": self.title.get(lang),
            "citation": self.cited(lang),
            "message": self.message(lang),
            "facts": {k: _plain(v) for k, v in self.facts.items()},
        }


#: the slots of RuleResult's fields, which its __init__ sets (a frozen dataclass refuses setattr)
_SLOTS = vars(RuleResult)
_SET_RULE_ID = _SLOTS["rule_id"].__set__
_SET_PASSED = _SLOTS["passed"].__set__
_SET_SEVERITY = _SLOTS["severity"].__set__
_SET_TITLE = _SLOTS["title"].__set__
_SET_CITATION = _SLOTS["citation"].__set__
_SET_DETAIL = _SLOTS["detail"].__set__
_SET_PARAMS = _SLOTS["params"].__set__
_SET_FACTS = _SLOTS["facts"].__set__
_SET_APPLICABLE = _SLOTS["applicable"].__set__


def _plain(value: Any) -> Any:
    if isinstance(value, list | tuple | set | frozenset):
        items = [_plain(v) for v in value]
        return sorted(items, key=str) if isinstance(value, set | frozenset) else items
    if isinstance(value, Mapping):
        return {str(k): _plain(v) for k, v in value.items()}
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return value


@dataclass(frozen=True, slots=True)
class Verdict:
    """Every rule bound to a command, passed or failed; ``passed`` is false if any blocking rule
    failed."""

    trigger: str
    results: tuple[RuleResult, ...]

    @property
    def passed(self) -> bool:
        """Whether the command may go ahead: no blocking rule failed (warnings do not count)."""
        return not any(r.blocking for r in self.results)

    @property
    def failures(self) -> tuple[RuleResult, ...]:
        """The findings that refuse the command: every one, not only the first."""
        return tuple(r for r in self.results if r.blocking)

    @property
    def warnings(self) -> tuple[RuleResult, ...]:
        """The ``warn`` rules that apply and failed: reported, not refusing."""
        return tuple(
            r for r in self.results if r.severity == "warn" and r.applicable and not r.passed
        )

    def result(self, rule_id: str) -> RuleResult | None:
        """The finding of rule ``rule_id``, or ``None`` if it was not judged."""
        for r in self.results:
            if r.rule_id == rule_id:
                return r
        return None

    def to_dict(self, lang: str = "en") -> dict[str, Any]:
        """The verdict as plain JSON data, its texts in ``lang``."""
        return {
            "trigger": self.trigger,
            "passed": self.passed,
            "rules": [r.to_dict(lang) for r in self.results],
        }

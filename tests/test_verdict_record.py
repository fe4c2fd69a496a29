"""RuleResult's hand-written __init__ (it sets each slot itself, for speed) against its fields:
every field is taken, by position and by name, with the dataclass's defaults, and the record stays
frozen, equal by value and a dataclass; and a verdict's ``passed``."""

from __future__ import annotations

import dataclasses
import inspect

import pytest

from collegium._i18n import Text
from collegium.rules.verdict import RuleResult, Verdict

TITLE = Text(en="Quorum", zh="法定人数")
VALUES = {
    "rule_id": "R-QUORUM",
    "passed": False,
    "severity": "block",
    "title": TITLE,
    "citation": "Art. 27",
    "detail": "threshold",
    "params": {"count": 5, "base": 11},
    "facts": {"present": 5},
    "applicable": True,
}


def test_the_init_takes_every_field_in_order_with_the_same_defaults() -> None:
    fields = dataclasses.fields(RuleResult)
    params = list(inspect.signature(RuleResult).parameters.values())
    assert [p.name for p in params] == [f.name for f in fields]
    for f, p in zip(fields, params, strict=True):
        if f.default is not dataclasses.MISSING:
            assert p.default == f.default
        elif f.default_factory is not dataclasses.MISSING:
            assert p.default is None  # None stands for a fresh default_factory() value
        else:
            assert p.default is inspect.Parameter.empty


def test_by_position_and_by_name_every_field_is_set() -> None:
    by_position = RuleResult(*VALUES.values())
    by_name = RuleResult(**VALUES)
    for r in (by_position, by_name):
        assert {f.name: getattr(r, f.name) for f in dataclasses.fields(r)} == VALUES
    assert by_position == by_name
    assert repr(by_position) == repr(by_name)


def test_left_out_the_mappings_are_fresh_and_the_result_applies() -> None:
    a = RuleResult("R", True, "block", TITLE, "c", "ok")
    b = RuleResult("R", True, "block", TITLE, "c", "ok")
    assert a.params == {} and a.facts == {} and a.applicable is True
    assert a.params is not b.params and a.facts is not b.facts
    assert a == b


def test_it_stays_frozen_and_a_dataclass() -> None:
    r = RuleResult(**VALUES)
    with pytest.raises(dataclasses.FrozenInstanceError):
        r.passed = True  # type: ignore[misc]
    assert dataclasses.replace(r, passed=True).passed is True
    assert dataclasses.asdict(r)["rule_id"] == "R-QUORUM"


def test_a_verdict_passes_unless_a_blocking_rule_that_applies_failed() -> None:
    failed = RuleResult(**VALUES)
    warned = dataclasses.replace(failed, severity="warn")
    idle = dataclasses.replace(failed, applicable=False)
    assert not Verdict("vote", (failed,)).passed
    assert Verdict("vote", (warned, idle)).passed
    assert Verdict("vote", ()).passed
    assert Verdict("vote", (failed,)) == Verdict("vote", (failed,))

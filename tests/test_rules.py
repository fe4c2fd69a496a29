"""Threshold arithmetic is exact, and structured rules explain themselves."""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Iterator
from fractions import Fraction
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from collegium.rules.evaluate import RuleCompiler
from collegium.rules.model import RulePackSpec, RuleSpec


class Facts:
    """A minimal FactSource for evaluating one rule in isolation."""

    def __init__(self, **facts: Any) -> None:
        self.facts = facts
        self.body_id = "sc"

    def get(self, name: str) -> Any:
        return self.facts.get(name)

    def time(self, name: str) -> dt.datetime | None:
        value = self.facts.get(name)
        return value if isinstance(value, dt.datetime) or value is None else None

    def state_of(self, instance_id: str) -> str | None:
        return {"other-1": "adopted"}.get(instance_id)


PACK = RulePackSpec.model_validate(
    {"id": "t", "version": "1", "title": {"en": "T", "zh-CN": "T"}, "rules": []}
)
TYPES: dict[str, Any] = {
    "present": "integer",
    "n": "integer",
    "agree": "integer",
    "actor": "string",
    "actor_roles": "list",
    "consulted": "list",
    "voting_members": "list",
    "other": "string",
    "category": "string",
    "now": "datetime",
    "meeting_at": "datetime",
}


def rule(check: dict[str, Any], **extra: Any) -> Any:
    spec = RuleSpec.model_validate(
        {"id": "R-T", "title": {"en": "t", "zh-CN": "t"}, "citation": "c", "check": check, **extra}
    )
    return RuleCompiler(PACK, TYPES, {}, "test").compile(spec)


QUORUM_HALF = rule(
    {"kind": "threshold", "count": "present", "base": "n", "op": ">=", "ratio": "1/2"}
)
QUORUM_TWO_THIRDS = rule(
    {"kind": "threshold", "count": "present", "base": "n", "op": ">=", "ratio": "2/3"}
)
PASS_HALF = rule({"kind": "threshold", "count": "agree", "base": "n", "op": ">", "ratio": "1/2"})


@pytest.mark.parametrize(
    ("n", "half_quorum", "two_thirds_quorum", "majority"),
    [
        (11, 6, 8, 6),  # ≥ 5.5 → 6; ≥ 7.33 → 8; > 5.5 → 6
        (9, 5, 6, 5),  # ≥ 4.5 → 5; ≥ 6 → 6; > 4.5 → 5
        (7, 4, 5, 4),  # ≥ 3.5 → 4; ≥ 4.67 → 5; > 3.5 → 4
        (3, 2, 2, 2),  # ≥ 1.5 → 2; ≥ 2 → 2; > 1.5 → 2
        (10, 5, 7, 6),  # ≥ 5 → 5 (at least half); ≥ 6.67 → 7; > 5 → 6 (strictly more than half)
    ],
)
def test_textbook_thresholds(
    n: int, half_quorum: int, two_thirds_quorum: int, majority: int
) -> None:
    for compiled, needed, count in (
        (QUORUM_HALF, half_quorum, "present"),
        (QUORUM_TWO_THIRDS, two_thirds_quorum, "present"),
        (PASS_HALF, majority, "agree"),
    ):
        assert compiled.evaluate(Facts(**{count: needed, "n": n})).passed
        assert not compiled.evaluate(Facts(**{count: needed - 1, "n": n})).passed
        assert compiled.evaluate(Facts(**{count: needed, "n": n})).facts["needed"] == needed


@given(
    n=st.integers(0, 5000),
    count=st.integers(0, 5000),
    num=st.integers(1, 12),
    extra=st.integers(0, 12),
    strict=st.booleans(),
)
def test_threshold_matches_exact_fraction_comparison(
    n: int, count: int, num: int, extra: int, strict: bool
) -> None:
    ratio = Fraction(num, num + extra)
    compiled = rule(
        {
            "kind": "threshold",
            "count": "present",
            "base": "n",
            "op": ">" if strict else ">=",
            "ratio": f"{ratio.numerator}/{ratio.denominator}",
        }
    )
    expected = count > ratio * n if strict else count >= ratio * n
    assert compiled.evaluate(Facts(present=count, n=n)).passed is expected


def test_applicability_and_explanations() -> None:
    deliberation = rule(
        {"kind": "covers", "set": "consulted", "of": "voting_members"},
        when={"category": ["major", "personnel"]},
    )
    skipped = deliberation.evaluate(Facts(category="routine", consulted=[], voting_members=["a"]))
    assert skipped.passed and not skipped.applicable and skipped.message("zh-CN") == "此处不适用"
    missing = deliberation.evaluate(
        Facts(category="major", consulted=["a"], voting_members=["a", "b", "c"])
    )
    assert not missing.passed and missing.facts["missing"] == ["b", "c"]
    role = rule({"kind": "role"})
    assert role.evaluate(Facts(actor="x", actor_roles=("member",)), ("secretary",)).message() == (
        "x is member; allowed: secretary"
    )
    assert not role.evaluate(Facts(actor="x", actor_roles=()), ("secretary",)).passed
    notice = rule(
        {"kind": "period", "start": "now", "end": "meeting_at", "op": ">=", "duration": "P1D"}
    )
    now = dt.datetime(2026, 3, 1, tzinfo=dt.UTC)
    short = notice.evaluate(Facts(now=now, meeting_at=now + dt.timedelta(hours=20)))
    assert not short.passed and "20 h" in short.message() and "20小时" in short.message("zh-CN")
    forum = rule({"kind": "one_of", "fact": "category", "values": ["major", "personnel"]})
    assert forum.evaluate(Facts(category="major")).passed
    refused = forum.evaluate(Facts(category="routine"))
    assert (
        not refused.passed
        and refused.message() == "category is routine; needs one of major, personnel"
    )
    assert refused.message("zh-CN") == "category为 routine；须为 major, personnel 之一"
    prerequisite = rule({"kind": "state", "instance": "other", "states": ["adopted"]})
    assert prerequisite.evaluate(Facts(other="other-1")).passed
    assert not prerequisite.evaluate(Facts(other="other-2")).passed


def test_every_engine_fact_is_derived_by_the_engine() -> None:
    """The engine derives the facts ENGINE_FACTS lists, each of them and no other."""
    from collegium.engine.context import _DERIVATIONS, _DERIVED
    from collegium.rules.facts import ENGINE_FACTS

    assert list(ENGINE_FACTS) == list(_DERIVED)
    assert set(_DERIVATIONS) == set(ENGINE_FACTS)


class Lazy(Collection[str]):
    """Like the engine's seated members: asked one at a time, read whole only when iterated."""

    def __init__(self, *people: str) -> None:
        self.people = people

    def __contains__(self, person: object) -> bool:
        return person in self.people

    def __iter__(self) -> Iterator[str]:
        return iter(self.people)

    def __len__(self) -> int:
        return len(self.people)


def test_a_lazy_collection_is_empty_by_its_size_and_explained_as_a_list() -> None:
    required = rule({"kind": "required", "facts": ["consulted"]})
    assert not required.evaluate(Facts(consulted=Lazy())).passed
    assert required.evaluate(Facts(consulted=Lazy("m1"))).passed
    explained = rule(
        {"kind": "member", "value": "actor", "collection": "consulted"},
        explain={"en": "consulted: {consulted}", "zh-CN": "已征求意见：{consulted}"},
    )
    result = explained.evaluate(Facts(actor="m3", consulted=Lazy("m1", "m2")))
    assert not result.passed and result.params["consulted"] == "m1, m2"


def test_calendar_months_in_a_period_count_from_the_start_and_keep_to_the_month_end() -> None:
    import datetime as dt

    from collegium.rules.model import add_months, parse_months

    utc = dt.UTC
    assert parse_months("P3M") == 3 and parse_months("P1Y") == 12
    assert parse_months("P3D") is None and parse_months("PT3M") is None
    assert add_months(dt.datetime(2026, 3, 31, 9, tzinfo=utc), 3) == dt.datetime(
        2026, 6, 30, 9, tzinfo=utc
    )
    assert add_months(dt.datetime(2026, 11, 30, tzinfo=utc), 3) == dt.datetime(
        2027, 2, 28, tzinfo=utc
    )
    assert add_months(dt.datetime(2028, 1, 31, tzinfo=utc), 1).day == 29  # a leap year


def test_a_period_that_ends_before_it_starts_says_before_not_a_negative_span() -> None:
    notice = rule(
        {"kind": "period", "start": "now", "end": "meeting_at", "op": ">=", "duration": "P7D"}
    )
    now = dt.datetime(2026, 3, 10, 9, tzinfo=dt.UTC)
    result = notice.evaluate(Facts(now=now, meeting_at=now - dt.timedelta(days=2, hours=3)))
    assert not result.passed
    assert result.message("en") == (
        "2026-03-08T06:00:00+00:00 is 2 d 3 h before 2026-03-10T09:00:00+00:00; "
        "needs ≥ 7 d from 2026-03-10T09:00:00+00:00"
    )
    assert result.message("zh-CN") == (
        "2026-03-08T06:00:00+00:00 比 2026-03-10T09:00:00+00:00 早 2天3小时；须不少于 7天"
    )

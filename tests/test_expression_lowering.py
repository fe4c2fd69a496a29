"""An expression rule evaluated through closures (collegium.rules.lowering) gives what rule-engine's
own evaluation gives: the same verdict, the same facts read in the same order with the same values,
and the same exception where one escapes; every shipped expression but those named here is lowered,
and one that is not is still evaluated by rule-engine."""

from __future__ import annotations

import datetime as dt
import decimal
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any
from unittest import mock

import pytest
import yaml
from hypothesis import HealthCheck, assume, example, given, settings
from hypothesis import strategies as st

from collegium import Registry
from collegium.definitions import FactType
from collegium.rules import evaluate as rule_compiler
from collegium.rules import lowering
from collegium.rules.expression import CompiledExpression, compile_expression
from collegium.rules.grammar import load as load_rule_engine
from tests.conftest import shipped_as_user_files

_RULE_ENGINE = load_rule_engine()
#: where the installed rule-engine is not one the closures follow, nothing is lowered: the tests
#: that compare the two paths have only one
FOLLOWED = pytest.mark.skipif(
    not lowering.follows(_RULE_ENGINE),
    reason=f"rule-engine {_RULE_ENGINE.__version__} is not one the closures follow "
    f"({', '.join(lowering.CHECKED)}): rule-engine evaluates every expression",
)

ROOT = Path(__file__).resolve().parents[1]

#: the shipped expressions left to rule-engine, and what in each is not lowered
NOT_LOWERED = {
    "(due.year == year and due.month == 12) or (due.year == year + 1 and due.month == 1 and "
    "due.day == 1)": "attributes, arithmetic",
    "now <= due and ((due.year == year and due.month == 12) or (due.year == year + 1 and "
    "due.month == 1 and due.day == 1))": "attributes, arithmetic",
    "(org_measures.length + personal_measures.length) > 0 and [m for m in org_measures if m not "
    "in ['inspection', 'notice', 'reorganisation']] == [] and [m for m in personal_measures if m "
    "not in ['notice', 'admonishment', 'organisational_adjustment', 'disciplinary_sanction']] "
    "== []": "attributes, arithmetic, comprehensions",
    "period =~ '^[0-9]{4}(-(H[12]|Q[1-4]|M(0[1-9]|1[0-2])))?$'": "a regular expression",
}


class Facts:
    """A FactSource over a plain dict: ``time`` answers whatever is there, as ``get`` does."""

    body_id = "sc"

    def __init__(self, facts: Mapping[str, Any]) -> None:
        self.facts = facts

    def get(self, name: str) -> Any:
        return self.facts.get(name)

    def time(self, name: str) -> Any:
        return self.facts.get(name)

    def state_of(self, instance_id: str) -> str | None:
        return None


def _one_line(expr: str) -> str:
    return " ".join(expr.split())


def _compiled_when_loading(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, dict[str, Any]]]:
    """Every expression the shipped packs, procedures and examples compile as they load, with
    the facts it is compiled under."""
    found: list[tuple[str, dict[str, Any]]] = []
    real = rule_compiler.compile_expression

    def spy(expr: str, facts: Mapping[str, FactType], deferred: Any = None) -> Any:
        found.append((expr, dict(facts)))
        return real(expr, facts, deferred)

    monkeypatch.setattr(rule_compiler, "compile_expression", spy)
    shipped_as_user_files()  # loaded as anyone's files: each expression is compiled at load
    Registry().load(ROOT / "examples" / "board")
    return found


def _written(paths: list[Path]) -> set[str]:
    """The text of every ``expression`` check in the YAML files ``paths``."""
    out: set[str] = set()

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            if node.get("kind") == "expression" and isinstance(node.get("expr"), str):
                out.add(_one_line(node["expr"]))
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    for path in paths:
        for document in yaml.safe_load_all(path.read_text(encoding="utf-8")):
            walk(document)
    return out


@FOLLOWED
def test_every_shipped_expression_is_lowered_but_those_named(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    compiled = _compiled_when_loading(monkeypatch)
    types: dict[str, Any] = {}
    for _, facts in compiled:
        for name, kind in facts.items():
            types.setdefault(name, kind)
    files = [
        *sorted((ROOT / "collegium" / "rules" / "packs").glob("*.yaml")),
        *sorted((ROOT / "collegium" / "workflows").glob("*.yaml")),
        *sorted((ROOT / "examples").rglob("*.yaml")),
    ]
    written = _written(files)
    assert len(written) > 20
    assert set(NOT_LOWERED) <= written
    # each under the facts it is compiled with; one no shipped procedure binds, under the types
    # those facts have where they are declared
    cases = [(_one_line(e), f) for e, f in compiled]
    cases += [(e, types) for e in written - {e for e, _ in cases}]
    for expr, facts in cases:
        fn = compile_expression(expr, facts)
        assert isinstance(fn, CompiledExpression)
        assert fn.lowered is (expr not in NOT_LOWERED), expr


def test_an_expression_not_lowered_is_still_evaluated_by_rule_engine() -> None:
    facts: dict[str, Any] = {"period": "string", "n": "integer", "due": "datetime", "l": "list"}
    cases = [
        ("period =~ '^20[0-9]{2}$'", {"period": "2026"}, True),
        ("period =~ '^20[0-9]{2}$'", {"period": "26"}, False),
        ("n + 1 > 2", {"n": 2}, True),
        ("n + 1 > 2", {"n": 1}, False),
        ("due.year == 2026", {"due": dt.datetime(2026, 5, 1, tzinfo=dt.UTC)}, True),
        ("[m for m in l if m != 'a'] == []", {"l": ["a", "a"]}, True),
        ("[m for m in l if m != 'a'] == []", {"l": ["a", "b"]}, False),
    ]
    for expr, given_facts, expected in cases:
        fn = compile_expression(expr, facts)
        assert isinstance(fn, CompiledExpression) and not fn.lowered
        ok, seen = fn(Facts(given_facts))
        assert ok is expected, expr
        assert list(seen) == list(given_facts)


def test_a_number_fact_given_no_number_fails_the_rule_on_either_path() -> None:
    """A value that is no number (a bool, a text) fails the expression as a value of the wrong
    type does; it does not escape as a decimal error."""
    for expr in ("score >= 1", "score == null"):
        fast = compile_expression(expr, {"score": "number"})
        with mock.patch.object(lowering, "lower", return_value=None):
            slow = compile_expression(expr, {"score": "number"})
        for value in (True, "many", {"n": 1}):
            for fn in (fast, slow):
                assert fn(Facts({"score": value})) == (False, {"score": value}), (expr, value)
        assert fast(Facts({"score": 2})) == slow(Facts({"score": 2}))


@FOLLOWED
def test_the_decimal_context_is_the_rules_not_the_callers() -> None:
    """rule-engine evaluates under a copy of the decimal context the expression was compiled
    under; so does the lowered expression: NaN is not ordered, whatever the caller's traps."""
    facts: dict[str, Any] = {"n": "number", "l": "list", "k": "list"}
    nan, one = decimal.Decimal("NaN"), decimal.Decimal(1)
    for expr, given_facts in [("n < 1", {"n": "NaN"}), ("l < k", {"l": [nan], "k": [one]})]:
        fn = compile_expression(expr, facts)
        assert isinstance(fn, CompiledExpression) and fn.lowered
        with decimal.localcontext() as numbers:
            numbers.traps[decimal.InvalidOperation] = False
            with pytest.raises(decimal.InvalidOperation):
                fn(Facts(given_facts))


@FOLLOWED
def test_lowered_reads_what_rule_engine_reads() -> None:
    facts: dict[str, Any] = {"a": "string", "b": "string", "t": "datetime", "x": "integer"}
    fn = compile_expression("a == 'x' or b == 'y'", facts)
    assert isinstance(fn, CompiledExpression) and fn.lowered
    assert fn(Facts({"a": "x", "b": "y"})) == (True, {"a": "x"})  # ``b`` is not read
    assert fn(Facts({"a": 1, "b": "y"})) == (False, {"a": 1})  # a wrong type: the rule fails
    later = compile_expression("t > d'2026-01-01T00:00:00Z' and x >= 1.5", facts)
    naive = dt.datetime(2026, 1, 1, 8)  # no time zone: the context's, UTC
    assert later(Facts({"t": naive, "x": 2})) == (True, {"t": naive, "x": 2})
    assert later(Facts({"t": naive, "x": True}))[0] is False  # a bool is not a number


# --- the property: lowered and rule-engine agree on any expression of the subset, any facts -----

FACTS: dict[str, Any] = {
    "s1": "string",
    "s2": "string",
    "i1": "integer",
    "n1": "number",
    "b1": "boolean",
    "d1": "datetime",
    "d2": "datetime",
    "l1": "list",
    "l2": "list",
    "m1": "mapping",
}
_SYMBOLS = {
    "string": ["s1", "s2"],
    "float": ["i1", "n1"],
    "boolean": ["b1"],
    "datetime": ["d1", "d2"],
    "array": ["l1", "l2"],
    "mapping": ["m1"],
}
_LITERALS = {
    "string": ["'a'", "'b'", "''", "'ab'"],
    "float": ["0", "1", "1.5", "-2", "0.1"],
    "boolean": ["true", "false"],
    "datetime": ["d'2026-01-01T00:00:00Z'", "d'2026-01-01T08:00:00+08:00'", "d'2026-06-01'"],
    "array": ["[]", "['a', 'b']", "[1, 2]", "[null, 'a']", "['a', s1]", "[i1, 1]"],
    "mapping": [],
}
_ORDERABLE = ["string", "float", "boolean", "datetime", "array"]


def _leaf(kind: str) -> st.SearchStrategy[str]:
    return st.sampled_from(_SYMBOLS[kind] + _LITERALS[kind] + ["null"])


_any_leaf = st.sampled_from(sorted(_SYMBOLS)).flatmap(_leaf)


def _any_expression() -> st.SearchStrategy[str]:
    return st.one_of(_any_leaf, _any_leaf, _boolean)


def _ordered() -> st.SearchStrategy[str]:
    def pair(kind: str) -> st.SearchStrategy[str]:
        side = _boolean if kind == "boolean" else _leaf(kind)
        op = st.sampled_from(["<", "<=", ">", ">="])
        return st.builds(lambda a, o, b: f"({a} {o} {b})", side, op, side)

    return st.sampled_from(_ORDERABLE).flatmap(pair)


def _contains() -> st.SearchStrategy[str]:
    def within(container: str) -> st.SearchStrategy[str]:
        member = _leaf("string") if container in _SYMBOLS["string"] else _any_expression()
        op = st.sampled_from(["in", "not in"])
        return st.builds(lambda m, o: f"({m} {o} {container})", member, op)

    containers = _SYMBOLS["string"] + _SYMBOLS["array"] + _SYMBOLS["mapping"] + _LITERALS["array"]
    return st.sampled_from([*containers, "'abc'"]).flatmap(within)


_boolean: st.SearchStrategy[str] = st.deferred(
    lambda: st.one_of(
        _leaf("boolean"),
        st.builds(
            lambda a, o, b: f"({a} {o} {b})",
            _any_expression(),
            st.sampled_from(["==", "!="]),
            _any_expression(),
        ),
        _ordered(),
        st.builds(
            lambda a, o, b: f"({a} {o} {b})",
            _any_expression(),
            st.sampled_from(["and", "or"]),
            _any_expression(),
        ),
        st.builds(lambda a: f"(not {a})", _any_expression()),
        _contains(),
    )
)

_TIMES = [
    dt.datetime(2026, 1, 1),
    dt.datetime(2026, 1, 1, tzinfo=dt.UTC),
    dt.datetime(2026, 1, 1, 8, tzinfo=dt.timezone(dt.timedelta(hours=8))),
    dt.datetime(2026, 6, 1, 12),
    dt.date(2026, 1, 1),
]
_scalar = st.one_of(
    st.none(),
    st.sampled_from(["", "a", "b", "ab", "abc", "1.5", "x"]),
    st.integers(-3, 3),
    st.floats(allow_nan=True, allow_infinity=True, width=16),
    st.sampled_from([0.1, 1.0, 1.5]),
    st.booleans(),
    st.sampled_from([decimal.Decimal(v) for v in ("0", "1", "1.5", "-2", "NaN", "sNaN")]),
    st.sampled_from(_TIMES),
)
_value = st.one_of(
    _scalar,
    st.lists(_scalar, max_size=3),
    st.lists(st.sampled_from(["a", "b", "ab"]), max_size=3).map(tuple),
    st.dictionaries(st.sampled_from(["a", "b", "k"]), _scalar, max_size=2),
    st.frozensets(st.sampled_from(["a", "b"]), max_size=2),
    st.just(b"ab"),
    st.just(object()),
)
_RIGHT: dict[str, st.SearchStrategy[Any]] = {
    "string": st.sampled_from(["", "a", "b", "ab", "abc"]),
    "integer": st.one_of(st.integers(-3, 3), st.just(0.1)),
    "number": st.sampled_from([0, 1, 1.5, -2, "1.5", decimal.Decimal("2")]),
    "boolean": st.booleans(),
    "datetime": st.sampled_from(_TIMES),
    "list": st.lists(st.sampled_from(["a", "b", "ab", None]), max_size=3),
    "mapping": st.dictionaries(st.sampled_from(["a", "b"]), _scalar, max_size=2),
}
_facts = st.fixed_dictionaries(
    {name: st.one_of(st.none(), _RIGHT[kind], _RIGHT[kind], _value) for name, kind in FACTS.items()}
)


def _outcome(fn: Callable[[Any], tuple[bool, dict[str, Any]]], facts: Any) -> Any:
    try:
        ok, seen = fn(facts)
    except Exception as exc:  # escaped past the EngineError the verdict takes in: the same class
        return type(exc)
    return ok, list(seen.items())


_COMPILED: dict[str, tuple[CompiledExpression, CompiledExpression] | None] = {}


def _both(expr: str) -> tuple[CompiledExpression, CompiledExpression] | None:
    """``expr`` compiled lowered, and compiled for rule-engine to evaluate (None: refused)."""
    if expr not in _COMPILED:
        try:
            fast = compile_expression(expr, FACTS)
            with mock.patch.object(lowering, "lower", return_value=None):
                slow = compile_expression(expr, FACTS)
        except ValueError:
            _COMPILED[expr] = None
        else:
            assert isinstance(fast, CompiledExpression) and isinstance(slow, CompiledExpression)
            assert fast.lowered and not slow.lowered, expr
            _COMPILED[expr] = fast, slow
    return _COMPILED[expr]


@FOLLOWED
@settings(
    max_examples=600,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)
@given(expr=_boolean, values=st.lists(_facts, min_size=1, max_size=4))
# values of one type never equal values of another, though Python's == says 1 == True
@example(expr="(i1 == true)", values=[{"i1": 1}]).via("a type difference")
@example(expr="(b1 != 1)", values=[{"b1": True}]).via("a type difference")
@example(expr="(b1 or true)", values=[{"b1": 1}]).via("a bool fact given a number")
@example(expr="(i1 == 0.1)", values=[{"i1": 0.1}]).via("a float is taken as its repr")
@example(expr="(l1 < l2)", values=[{"l1": [1], "l2": [1.5]}]).via("numbers in a list")
@example(expr="(s2 in s1)", values=[{"s1": "abc", "s2": None}]).via("a text holds texts only")
@example(expr="(s1 <= s2)", values=[{}]).via("two nulls are equal")
@example(expr="(l1 >= l2)", values=[{"l1": ["a"], "l2": ["a"]}]).via("arrays equal")
def test_lowered_and_rule_engine_agree(expr: str, values: list[dict[str, Any]]) -> None:
    compiled = _both(expr)
    assume(compiled is not None)  # a type error rule-engine refuses when the pack loads
    assert compiled is not None
    fast, slow = compiled
    for facts in values:
        assert _outcome(fast, Facts(facts)) == _outcome(slow, Facts(facts)), (expr, facts)


def test_under_a_rule_engine_release_not_checked_nothing_is_lowered(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(_RULE_ENGINE, "__version__", "5.2.0")
    fn = compile_expression("s1 == 'a' or i1 >= 2", {"s1": "string", "i1": "integer"})
    assert isinstance(fn, CompiledExpression) and not fn.lowered
    assert fn(Facts({"s1": "b", "i1": 3})) == (True, {"s1": "b", "i1": 3})

"""An expression's syntax tree, as rule-engine parsed and checked it, turned into nested closures.

rule-engine evaluates a compiled expression by walking its syntax tree, resolving the type of every
symbol and coercing its value on every evaluation: most of the cost of an ``expression`` rule.
:func:`lower` turns the tree into plain Python closures that compute what rule-engine's
``evaluate`` computes, value for value, error for error, reading the same facts in the same order
(``a or b`` reads ``b`` only when ``a`` is false). Nothing is passed to ``eval``.

What is lowered: the literals (text, number, boolean, null, date-time, and arrays of lowered
members), a fact by name, ``==`` ``!=`` ``<`` ``<=`` ``>`` ``>=``, ``and`` ``or`` ``not``, and
``in`` / ``not in``. A tree with any other node (``=~``, arithmetic, ``.attribute``, ``[item]``,
comprehensions, ``?:``, ``??`` …) is not lowered at all: :func:`lower` answers None, and the whole
expression is left to rule-engine. Nodes are known by their exact class in the rule-engine loaded;
and every tree is left to rule-engine under a release other than those whose semantics these
closures follow (:data:`CHECKED`: 5.0 and 5.1, identical in this respect).

A fact's value is taken as rule-engine takes it: ``None`` passes; a number becomes a ``Decimal``,
a bool is not a number; a date-time without a time zone takes the context's default one; a value
of the wrong type fails the expression. Where a value is not of a plain kind handled here (a
mapping, a text of a subclass of ``str``, a list holding anything but texts, decimals, booleans
and nulls …), that one value is handed to rule-engine's own node for the fact, which converts or
refuses it exactly as it always does (:class:`Read` feeds it the value already read).

A failure raises rule-engine's own error classes (``data type mismatch``, ``SymbolTypeError``),
and Python's own where rule-engine lets one through (``'a' in None`` is a ``TypeError`` in both),
so whoever catches one catches the other.
"""

from __future__ import annotations

import datetime as dt
import decimal
import operator
import types
from collections.abc import Callable
from typing import Any, Protocol

#: a lowered node: what it evaluates to, given what reads the facts
Part = Callable[[Any], Any]

#: the ordered comparisons, by rule-engine's name for their operator
_ORDERED: dict[str, Callable[[Any, Any], bool]] = {
    "lt": operator.lt,
    "le": operator.le,
    "gt": operator.gt,
    "ge": operator.ge,
}
#: members of a list that rule-engine keeps as they are (anything else: its node converts them)
_PLAIN = frozenset({str, bool, type(None), decimal.Decimal})
#: the literal nodes whose value is the value itself
_SCALAR_LITERALS = (
    "StringExpression",
    "FloatExpression",
    "BooleanExpression",
    "NullExpression",
    "DatetimeExpression",
)


#: the rule-engine releases whose evaluation these closures follow (read from their code, and held
#: to it by tests/test_expression_lowering.py); under any other, rule-engine evaluates every tree
CHECKED = ("5.0", "5.1")


def follows(rule_engine: types.ModuleType) -> bool:
    """Whether the loaded rule-engine is a release whose semantics the closures follow."""
    version = str(getattr(rule_engine, "__version__", ""))
    return ".".join(version.split(".")[:2]) in CHECKED


class Unsupported(Exception):
    """A node :func:`lower` does not turn into a closure (the expression stays with rule-engine)."""


class Reader(Protocol):
    """What the closures read facts through (``_Probe`` in :mod:`collegium.rules.expression`)."""

    def lookup(self, name: str) -> Any: ...


class Read:
    """A fact's value already read, offered to rule-engine's node for the fact: its ``lookup``
    answers that value, so the node converts or refuses it without reading the fact again."""

    __slots__ = ("value",)

    def __init__(self, value: Any) -> None:
        self.value = value

    def lookup(self, _name: str) -> Any:
        return self.value


def lower(rule_engine: types.ModuleType, tree: Any) -> Callable[[Reader], Any] | None:
    """The closure computing what ``tree`` (``Rule.statement.expression``) evaluates to, or None
    when some node of it is not lowered (or the rule-engine is not one of :data:`CHECKED`)."""
    if not follows(rule_engine):
        return None
    lowering = _Lowering(rule_engine)
    try:
        part, _ = lowering.node(tree, 0)
    except (Unsupported, AttributeError):
        return None
    if not lowering.numeric:
        return part
    # rule-engine evaluates under a copy of its context's decimal context: so do these, when a
    # decimal may be made or compared (a number, or a list or mapping that may hold one)
    numbers = getattr(getattr(tree, "context", None), "decimal_context", None)
    if not isinstance(numbers, decimal.Context):
        return None

    def run(reader: Reader) -> Any:
        with decimal.localcontext(numbers):
            return part(reader)

    return run


class _Lowering:
    """Lowers the nodes of one tree; ``numeric``: whether any of them may make or compare a
    decimal."""

    def __init__(self, rule_engine: types.ModuleType) -> None:
        self.ast = rule_engine.ast
        self.types = rule_engine.DataType
        self.mismatch: type[Exception] = rule_engine.errors.EvaluationError
        self.numeric = False

    def _is(self, node: Any, name: str) -> bool:
        """``node`` is of exactly the class rule-engine names ``name`` (not of a subclass)."""
        cls = getattr(self.ast, name, None)
        return cls is not None and type(node) is cls

    def node(self, node: Any, depth: int) -> tuple[Part, bool]:
        """The closure for ``node``, and whether it is a constant (reads no fact)."""
        if depth > 100:  # the cost check refuses past 40 levels; this only bounds the recursion
            raise Unsupported
        if any(self._is(node, name) for name in _SCALAR_LITERALS):
            if self._is(node, "FloatExpression"):
                self.numeric = True
            return _constant(node.value), True
        if self._is(node, "ArrayExpression"):
            return self._array(node, depth)
        if self._is(node, "SymbolExpression"):
            return self._symbol(node), False
        if self._is(node, "LogicExpression") and node.type in ("and", "or"):
            left, _ = self.node(node.left, depth + 1)
            right, _ = self.node(node.right, depth + 1)
            return (_both if node.type == "and" else _either)(left, right), False
        if self._is(node, "UnaryExpression") and node.type == "not":
            right, _ = self.node(node.right, depth + 1)
            return (lambda reader: not right(reader)), False
        if self._is(node, "ComparisonExpression") and node.type in ("eq", "ne"):
            return self._equality(node, depth), False
        if self._is(node, "ArithmeticComparisonExpression") and node.type in _ORDERED:
            return self._ordered(node, depth), False
        if self._is(node, "ContainsExpression"):
            return self._contains(node, depth), False
        raise Unsupported(type(node).__name__)

    def _array(self, node: Any, depth: int) -> tuple[Part, bool]:
        members = [self.node(member, depth + 1) for member in node.value]
        if all(constant for _, constant in members):
            return _constant(tuple(part(None) for part, _ in members)), True
        parts = tuple(part for part, _ in members)
        return (lambda reader: tuple(part(reader) for part in parts)), False

    def _symbol(self, node: Any) -> Part:
        """A fact read through the reader, then taken as rule-engine's node for it takes it."""
        if node.scope is not None:
            raise Unsupported("a symbol in a scope")
        name, kind, known = node.name, node.result_type, self.types
        slow = node.evaluate  # rule-engine's own node: exact for whatever value it is given
        if kind is known.STRING:
            return _fact_of_type(name, str, slow)
        if kind is known.BOOLEAN:
            return _fact_of_type(name, bool, slow)
        if kind is known.FLOAT:
            self.numeric = True
            return _number_fact(name, slow)
        if kind is known.DATETIME:
            zone = node.context.default_timezone
            return _time_fact(name, zone, slow)
        if kind is known.ARRAY:
            self.numeric = True
            return _list_fact(name, slow)
        if kind is known.MAPPING:
            self.numeric = True
            return _fact_of_type(name, type(None), slow)  # a mapping: always rule-engine's
        raise Unsupported(f"a symbol of type {kind!r}")

    def _equality(self, node: Any, depth: int) -> Part:
        """``==`` / ``!=``: values of different types are never equal (``1 == true`` is false)."""
        left, _ = self.node(node.left, depth + 1)
        right, right_constant = self.node(node.right, depth + 1)
        same = node.type == "eq"
        if right_constant:  # the usual ``fact == 'text'``: the constant's type is known
            fixed = right(None)
            kind = type(fixed)

            def against_constant(reader: Reader) -> Any:
                value = left(reader)
                if type(value) is not kind:
                    return not same
                return value == fixed if same else value != fixed

            return against_constant

        def equality(reader: Reader) -> Any:
            a = left(reader)
            b = right(reader)
            if type(a) is not type(b):
                return not same
            return a == b if same else a != b

        return equality

    def _ordered(self, node: Any, depth: int) -> Part:
        left, _ = self.node(node.left, depth + 1)
        right, _ = self.node(node.right, depth + 1)
        op, mismatch = _ORDERED[node.type], self.mismatch

        def ordered(reader: Reader) -> Any:
            a = left(reader)
            return _order(op, a, right(reader), mismatch)

        return ordered

    def _contains(self, node: Any, depth: int) -> Part:
        """``member in container``: the container is evaluated first; a text contains texts only."""
        container, _ = self.node(node.container, depth + 1)
        member, _ = self.node(node.member, depth + 1)
        mismatch = self.mismatch

        def contains(reader: Reader) -> bool:
            whole = container(reader)
            part = member(reader)
            if isinstance(whole, str) and not isinstance(part, str):
                raise mismatch("data type mismatch")
            return bool(part in whole)

        return contains


def _constant(value: Any) -> Part:
    return lambda _reader: value


def _both(left: Part, right: Part) -> Part:
    return lambda reader: bool(left(reader) and right(reader))


def _either(left: Part, right: Part) -> Part:
    return lambda reader: bool(left(reader) or right(reader))


def _fact_of_type(name: str, kind: type, slow: Callable[[Any], Any]) -> Part:
    """A fact that rule-engine keeps as it is when it is ``None`` or exactly of type ``kind``."""

    def fact(reader: Reader) -> Any:
        value = reader.lookup(name)
        if value is None or type(value) is kind:
            return value
        return slow(Read(value))

    return fact


def _number_fact(name: str, slow: Callable[[Any], Any]) -> Part:
    """A number: an ``int`` or a ``float`` becomes the ``Decimal`` rule-engine makes of it."""

    def fact(reader: Reader) -> Any:
        value = reader.lookup(name)
        kind = type(value)
        if value is None or kind is decimal.Decimal:
            return value
        if kind is int:
            return decimal.Decimal(value)
        if kind is float:
            return decimal.Decimal(repr(value))
        return slow(Read(value))

    return fact


def _time_fact(name: str, zone: Any, slow: Callable[[Any], Any]) -> Part:
    """A date-time: one without a time zone takes ``zone`` (the context's default)."""

    def fact(reader: Reader) -> Any:
        value = reader.lookup(name)
        if value is None:
            return value
        if type(value) is dt.datetime:
            return value if value.tzinfo is not None else value.replace(tzinfo=zone)
        return slow(Read(value))

    return fact


def _list_fact(name: str, slow: Callable[[Any], Any]) -> Part:
    """A list: a tuple of plain members is kept as it is (rule-engine copies it unchanged)."""

    def fact(reader: Reader) -> Any:
        value = reader.lookup(name)
        if value is None:
            return value
        if type(value) is tuple and all(type(member) in _PLAIN for member in value):
            return value
        return slow(Read(value))

    return fact


def _order(op: Callable[[Any, Any], bool], a: Any, b: Any, mismatch: type[Exception]) -> Any:
    """``a op b`` as rule-engine orders values: two nulls are equal, arrays compare member by
    member and then by length, and values of different types are a mismatch."""
    if a is None and b is None:
        return op is operator.le or op is operator.ge
    if isinstance(a, tuple) and isinstance(b, tuple):
        for x, y in zip(a, b, strict=False):
            if _order(operator.ne, x, y, mismatch):
                return _order(op, x, y, mismatch)
        if len(a) == len(b):
            return op is operator.le or op is operator.ge
        return op(len(a), len(b))
    if type(a) is not type(b):
        raise mismatch("data type mismatch")
    return op(a, b)

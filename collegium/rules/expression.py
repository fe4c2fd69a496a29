"""The ``expression`` rule kind: with :mod:`collegium.rules.lowering`, the only module that touches
rule-engine.

An expression is compiled once, under a typed context built from the facts the procedure declares,
so an unknown fact or a type error fails when the pack is loaded (the definitions shipped with
Collegium are compiled when first evaluated: a test compiles all of them at load). rule-engine's
builtins (``$now``, ``$today`` …) are refused: they read the wall clock, and time must come from the
injected clock (the fact ``now``). Nothing is ever passed to ``eval``.

rule-engine parses and checks the expression; where :mod:`collegium.rules.lowering` turns its whole
syntax tree into closures, those evaluate it (the same result and the same facts read, several times
faster); otherwise rule-engine evaluates it by walking its tree.

Evaluation is bounded: rule-engine has no loops, calls or attribute access beyond its typed
attributes, so the cost of an expression is its size, except where it multiplies. Refused when the
pack is loaded, therefore: nesting deeper than :data:`MAX_DEPTH` (evaluation recurses), a
comprehension inside another (their lengths multiply), a regular expression that is not a literal,
and a literal one that can backtrack exponentially (a repetition of a repetition or of an
alternation, a back-reference). Arithmetic is on decimals of bounded precision (a huge exponent
overflows at once, and the rule fails).
"""

from __future__ import annotations

import datetime as dt
import decimal
import importlib
import re
from collections.abc import Callable, Collection, Mapping
from typing import TYPE_CHECKING, Any

from collegium._catalog import Message
from collegium.definitions import FactType
from collegium.rules import grammar, lowering

if TYPE_CHECKING:
    from collegium.rules.kinds import FactSource

Evaluate = Callable[["FactSource"], tuple[bool, dict[str, Any]]]
#: what a definition's failure is made of: its reason (``DefinitionError`` for a rule)
Fail = Callable[[str | Message], Exception]

#: Deepest nesting of an expression's syntax tree (evaluation recurses once per level).
MAX_DEPTH = 40
_REGEX_OPERATORS = ("eq_fzm", "eq_fzs", "ne_fzm", "ne_fzs")  # =~ =~~ !~ !~~
_TOO_DEEP = Message("expression nests too deeply (more than {depth} levels)", depth=MAX_DEPTH)


def reason_of(exc: ValueError) -> str | Message:
    """The reason a ``ValueError`` of this package was raised with: its :class:`Message` (to say
    in either language), or its text."""
    said = exc.args[0] if len(exc.args) == 1 else None
    return said if isinstance(said, Message) else str(exc)


def compile_expression(
    expr: str, facts: Mapping[str, FactType], deferred: Fail | None = None
) -> Evaluate:
    """Compile ``expr``; the result evaluates it and reports which facts it read. Raises
    ``ValueError``.

    With ``deferred`` (for definitions shipped with Collegium, which a test compiles in full),
    ``expr`` is compiled when first evaluated instead, so rule-engine and its parser are loaded only
    by a command that needs them; a failure then raises ``deferred(reason)``."""
    if deferred is not None:
        return _Deferred(expr, facts, deferred)
    rule_engine = grammar.load()

    if re.search(r"\$[A-Za-z_]", expr):
        raise ValueError(
            Message(
                "expression uses a rule-engine builtin ($...); builtins such as $now read the "
                "wall clock: use the fact 'now'"
            )
        )
    types = {
        "string": rule_engine.DataType.STRING,
        "integer": rule_engine.DataType.FLOAT,
        "number": rule_engine.DataType.FLOAT,
        "boolean": rule_engine.DataType.BOOLEAN,
        "datetime": rule_engine.DataType.DATETIME,
        "list": rule_engine.DataType.ARRAY,
        "mapping": rule_engine.DataType.MAPPING,
    }
    type_map = {name: types[t] for name, t in facts.items()}

    def resolve(thing: _Probe | lowering.Read, name: str) -> Any:
        # not a probe: an attribute of a fact not given (``due.year``); a Read: a value the
        # lowered expression read, handed to rule-engine's node for the fact to take
        if not isinstance(thing, _Probe | lowering.Read):
            raise rule_engine.SymbolResolutionError(name)
        return thing.lookup(name)

    context = rule_engine.Context(
        type_resolver=rule_engine.type_resolver_from_dict(type_map),
        resolver=resolve,
        default_timezone=dt.UTC,
    )
    try:
        compiled = rule_engine.Rule(expr, context=context)
    except rule_engine.SymbolResolutionError as exc:
        raise ValueError(
            Message("expression names unknown fact {name!r}", name=exc.symbol_name)
        ) from None
    except rule_engine.EngineError as exc:
        raise ValueError(Message("invalid expression: {error}", error=exc.message)) from None
    except RecursionError:
        raise ValueError(_TOO_DEEP) from None
    _check_cost(compiled.statement.expression, rule_engine.ast.ExpressionBase)
    lowered = lowering.lower(rule_engine, compiled.statement.expression)
    if lowered is None:  # some node is not lowered: rule-engine evaluates the whole expression
        return CompiledExpression(facts, compiled.evaluate, False, rule_engine.EngineError)
    return CompiledExpression(facts, lowered, True, rule_engine.EngineError)


class CompiledExpression:
    """An expression compiled: called with the facts, it says whether the expression holds (an
    evaluation error: it does not) and which facts it read. ``lowered``: it is evaluated through
    the closures of :mod:`collegium.rules.lowering`, not by rule-engine walking its tree."""

    __slots__ = ("errors", "facts", "lowered", "run")

    def __init__(
        self,
        facts: Mapping[str, FactType],
        run: Callable[[Any], Any],
        lowered: bool,
        errors: type[Exception],
    ) -> None:
        self.facts, self.run, self.lowered, self.errors = facts, run, lowered, errors

    def __call__(self, ctx: FactSource) -> tuple[bool, dict[str, Any]]:
        probe = _Probe(ctx, self.facts)
        try:
            ok = bool(self.run(probe))
        except self.errors:
            ok = False
        return ok, probe.seen


def _children(node: Any, base: type) -> list[Any]:
    """The sub-expressions of a rule-engine syntax node (its attributes, and inside lists, tuples
    and mappings)."""
    names = set(getattr(node, "__dict__", {}))
    for cls in type(node).__mro__:
        names.update(getattr(cls, "__slots__", ()))
    out: list[Any] = []
    stack = [getattr(node, name, None) for name in sorted(names - {"context", "parent"})]
    while stack:
        value = stack.pop()
        if isinstance(value, base):
            out.append(value)
        elif isinstance(value, list | tuple):
            stack.extend(value)
        elif isinstance(value, dict):
            stack.extend((*value.keys(), *value.values()))
    return out


def _check_cost(node: Any, base: type, depth: int = 0, in_comprehension: bool = False) -> None:
    """Refuse what could make one evaluation run for a very long time (see the module's
    docstring)."""
    if depth > MAX_DEPTH:
        raise ValueError(_TOO_DEEP)
    kind = type(node).__name__
    if kind == "ComprehensionExpression":
        if in_comprehension:
            raise ValueError(
                Message("a comprehension inside another is refused: their lengths multiply")
            )
        in_comprehension = True
    if kind == "FuzzyComparisonExpression" and getattr(node, "type", None) in _REGEX_OPERATORS:
        pattern = getattr(getattr(node, "right", None), "value", None)
        if type(getattr(node, "right", None)).__name__ != "StringExpression" or not isinstance(
            pattern, str
        ):
            raise ValueError(
                Message(
                    "a regular expression must be written as literal text, not taken from a fact"
                )
            )
        problem = _regex_problem(pattern)
        if problem:
            raise ValueError(
                Message(
                    "regular expression {pattern!r} {problem}: it could take exponential time",
                    pattern=pattern,
                    problem=problem,
                )
            )
    for child in _children(node, base):
        _check_cost(child, base, depth + 1, in_comprehension)


def _regex_problem(pattern: str) -> Message | None:
    """Why matching ``pattern`` could take exponential (or high polynomial) time, or None: a
    repetition (more than once) of anything of varying length or of an alternation, more than two
    open-ended repetitions, or a back-reference."""
    parser: Any = importlib.import_module("re._parser")
    try:
        tree = parser.parse(pattern)
    except re.error as exc:
        return Message("is invalid ({error})", error=exc)

    open_ended = 0

    def walk(items: Any, repeated: bool) -> Message | None:
        nonlocal open_ended
        for op, arg in items:
            name, found = str(op), None
            if name in ("GROUPREF", "GROUPREF_EXISTS"):
                return Message("uses a back-reference")
            if name in ("MAX_REPEAT", "MIN_REPEAT", "POSSESSIVE_REPEAT"):
                many, varying = arg[1] > 1, arg[0] != arg[1]
                if (
                    varying and repeated
                ):  # even an optional '?' inside a repeated group: (\w\w?)+ backtracks
                    return Message("repeats a repetition")
                open_ended += many and varying
                if open_ended > 2:  # .*.*.* against n characters tries n³ splits
                    return Message("has more than two open-ended repetitions")
                found = walk(arg[2], repeated or many)
            elif name == "BRANCH":
                if repeated:
                    return Message("repeats an alternation")
                found = next((w for w in (walk(alt, repeated) for alt in arg[1]) if w), None)
            elif name == "SUBPATTERN":
                found = walk(arg[3], repeated)
            elif name in ("ASSERT", "ASSERT_NOT"):
                found = walk(arg[1], repeated)
            elif name == "ATOMIC_GROUP":
                found = walk(arg, repeated)
            if found:
                return found
        return None

    return walk(tree, False)


class _Deferred:
    """An expression compiled on its first evaluation (see :func:`compile_expression`)."""

    __slots__ = ("compiled", "expr", "facts", "fail")

    def __init__(self, expr: str, facts: Mapping[str, FactType], fail: Fail) -> None:
        self.expr, self.facts, self.fail = expr, facts, fail
        self.compiled: Evaluate | None = None

    def __call__(self, ctx: FactSource) -> tuple[bool, dict[str, Any]]:
        compiled = self.compiled
        if compiled is None:  # two threads may both compile it: the same result, one kept
            try:
                compiled = self.compiled = compile_expression(self.expr, self.facts)
            except ValueError as exc:
                raise self.fail(reason_of(exc)) from None
        return compiled(ctx)


class _Probe:
    """Feeds facts to rule-engine in the types it expects, and records which facts were read."""

    __slots__ = ("ctx", "seen", "types")

    def __init__(self, ctx: FactSource, types: Mapping[str, FactType]) -> None:
        self.ctx = ctx
        self.types = types
        self.seen: dict[str, Any] = {}

    def lookup(self, name: str) -> Any:
        kind = self.types.get(name)
        value = self.ctx.time(name) if kind == "datetime" else self.ctx.get(name)
        if isinstance(value, Collection) and not isinstance(value, str | Mapping | tuple):
            value = tuple(
                value
            )  # a lazy collection (who has voted) is read here, and kept as plain data
        self.seen[name] = value
        if kind == "integer" and value is None:
            return 0
        if kind == "list" and value is None:
            return ()  # a list not given is empty: `measures.length` reads 0
        if kind == "number" and value is not None and not isinstance(value, bool):
            try:
                return decimal.Decimal(str(value))  # exact: kept as decimal text
            except decimal.InvalidOperation:
                return value  # not a number: rule-engine refuses it as a value of the wrong type
        return value

"""The ``expression`` rule kind: the only module that touches rule-engine.

An expression is compiled once, under a typed context built from the facts the procedure declares, so an
unknown fact or a type error fails when the pack is loaded. rule-engine's builtins (``$now``, ``$today`` …)
are refused: they read the wall clock, and time must come from the injected clock (the fact ``now``).
Nothing is ever passed to ``eval``.
"""

from __future__ import annotations

import datetime as dt
import decimal
import re
from collections.abc import Callable, Collection, Mapping
from typing import TYPE_CHECKING, Any

from collegium.workflows.spec import FactType

if TYPE_CHECKING:
    from collegium.rules.evaluate import FactSource

Evaluate = Callable[["FactSource"], tuple[bool, dict[str, Any]]]


def compile_expression(expr: str, facts: Mapping[str, FactType]) -> Evaluate:
    """Compile ``expr``; the result evaluates it and reports which facts it read. Raises ``ValueError``."""
    import rule_engine

    if re.search(r"\$[A-Za-z_]", expr):
        raise ValueError("expression uses a rule-engine builtin ($...); builtins such as $now read the wall "
                         "clock: use the fact 'now'")
    types = {"string": rule_engine.DataType.STRING, "integer": rule_engine.DataType.FLOAT,
             "number": rule_engine.DataType.FLOAT,
             "boolean": rule_engine.DataType.BOOLEAN, "datetime": rule_engine.DataType.DATETIME,
             "list": rule_engine.DataType.ARRAY, "mapping": rule_engine.DataType.MAPPING}
    type_map = {name: types[t] for name, t in facts.items()}

    def resolve(thing: _Probe, name: str) -> Any:
        return thing.lookup(name)

    context = rule_engine.Context(type_resolver=rule_engine.type_resolver_from_dict(type_map),
                                  resolver=resolve, default_timezone=dt.UTC)
    try:
        compiled = rule_engine.Rule(expr, context=context)
    except rule_engine.SymbolResolutionError as exc:
        raise ValueError(f"expression names unknown fact {exc.symbol_name!r}") from None
    except rule_engine.EngineError as exc:
        raise ValueError(f"invalid expression: {exc.message}") from None

    def evaluate(ctx: FactSource) -> tuple[bool, dict[str, Any]]:
        probe = _Probe(ctx, facts)
        try:
            ok = bool(compiled.evaluate(probe))
        except rule_engine.EngineError:
            ok = False
        return ok, probe.seen

    return evaluate


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
            value = tuple(value)  # a lazy collection (who has voted) is read here, and kept as plain data
        self.seen[name] = value
        if kind == "integer" and value is None:
            return 0
        if kind == "list" and value is None:
            return ()  # a list not given is empty: `measures.length` reads 0
        if kind == "number" and value is not None:
            return decimal.Decimal(str(value))  # exact: kept as decimal text
        return value

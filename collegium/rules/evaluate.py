"""Compiled rules: each rule spec becomes a small evaluator, built once and run on every command.

Compilation checks every fact name a rule mentions against the facts the procedure and the engine provide,
resolves ``$parameter`` references against the pack, and compiles ``expression`` checks with rule-engine under a
typed context (unknown symbols fail here, at load time, not mid-decision; ``deferred``: see compile_expression).
"""

from __future__ import annotations

import datetime as dt
import re
import string
from collections.abc import Callable, Collection, Mapping
from fractions import Fraction
from typing import Any, Protocol

from collegium._i18n import Text, format_duration
from collegium.definitions import FactType
from collegium.errors import DefinitionError
from collegium.rules.expression import compile_expression
from collegium.rules.facts import ExplainedFact, fact_label
from collegium.rules.model import (
    CoversCheck,
    ExpressionCheck,
    MemberCheck,
    OneOfCheck,
    PeriodCheck,
    RequiredCheck,
    RoleCheck,
    RulePackSpec,
    RuleSpec,
    StateCheck,
    ThresholdCheck,
    parse_duration,
    parse_ratio,
)
from collegium.rules.verdict import RuleResult


class FactSource(Protocol):
    """What a rule may look at: facts by name, plus a few lookups the engine answers."""

    def get(self, name: str) -> Any: ...

    def time(self, name: str) -> dt.datetime | None: ...

    def state_of(self, instance_id: str) -> str | None: ...

    @property
    def body_id(self) -> str | None: ...


Outcome = tuple[bool, str, dict[str, Any], dict[str, Any]]
CheckFn = Callable[[FactSource, tuple[str, ...]], Outcome]

_OP_ZH = {">=": "不少于", ">": "超过", "<=": "不超过"}
_OP_SIGN = {">=": "≥", ">": ">", "<=": "≤"}


class CompiledRule:
    """A rule ready to evaluate: applicability test plus one check function."""

    __slots__ = ("_check", "_explain", "_not_applicable", "_unless", "_when", "citation", "id", "reads", "severity",
                 "spec", "title")

    def __init__(self, spec: RuleSpec, check: CheckFn, explain: tuple[ExplainedFact, ...] = (),
                 reads: frozenset[str] = frozenset()) -> None:
        self.spec = spec
        self.id = spec.id
        self.severity = spec.severity
        self.title = spec.title
        self.citation = spec.citation
        self._when = tuple((k, frozenset(v)) for k, v in spec.when.items())
        self._unless = tuple((k, frozenset(v)) for k, v in spec.unless.items())
        self._check = check
        self._explain = explain  # facts named by the rule's own failure text
        self.reads = reads  # every fact the rule looks at
        # the same on every command it does not apply to; results are read-only, so one serves them all
        self._not_applicable = RuleResult(self.id, True, self.severity, self.title, self.citation, "not_applicable",
                                          applicable=False)

    def applies(self, ctx: FactSource) -> bool:
        for name, values in self._when:
            if ctx.get(name) not in values:
                return False
        return not self._unless or all(ctx.get(name) not in values for name, values in self._unless)

    def pending(self, missing: frozenset[str]) -> RuleResult:
        """The result of a rule that cannot be judged yet: it reads facts the command's data would supply."""
        names = ", ".join(sorted(missing))
        return RuleResult(self.id, True, self.severity, self.title, self.citation, "needs_data", {"facts": names},
                          applicable=False)

    def evaluate(self, ctx: FactSource, allowed_roles: tuple[str, ...] = ()) -> RuleResult:
        if (self._when or self._unless) and not self.applies(ctx):
            return self._not_applicable
        passed, detail, params, facts = self._check(ctx, allowed_roles)
        if not passed and self.spec.explain is not None:
            detail = "custom"
            params = {"template_en": self.spec.explain.en, "template_zh": self.spec.explain.zh,
                      **{f.name: _display(ctx.time(f.name) if f.is_time else ctx.get(f.name))
                         for f in self._explain}}
        return RuleResult(self.id, passed, self.severity, self.title, self.citation, detail, params, facts)


def _display(value: Any) -> Any:
    if isinstance(value, Collection) and not isinstance(value, str | Mapping):  # a list, or who is seated (lazy)
        return ", ".join(str(v) for v in value)
    if isinstance(value, dt.datetime):
        return value.isoformat()
    return value if isinstance(value, str | int | float | bool) or value is None else str(value)


class RuleCompiler:
    """Compiles the rules of one pack against the fact vocabulary of one procedure."""

    def __init__(self, pack: RulePackSpec, facts: Mapping[str, FactType],
                 labels: Mapping[str, Text | None], source: str, deferred: bool = False) -> None:
        self.pack, self.deferred = pack, deferred
        self.facts = facts
        self.labels = dict(labels)
        self.source = source
        self._role_texts: dict[tuple[tuple[str, ...], str], str] = {}

    # -- helpers ------------------------------------------------------------------------------
    def _fail(self, rule: RuleSpec, reason: str) -> DefinitionError:
        return DefinitionError(reason, source=self.source, where=rule.id)

    def _need(self, rule: RuleSpec, name: str, *types: FactType) -> None:
        if name not in self.facts:
            raise self._fail(rule, f"names unknown fact {name!r}")
        if types and self.facts[name] not in types:
            raise self._fail(rule, f"fact {name!r} is {self.facts[name]}, expected {' or '.join(types)}")

    def _param(self, rule: RuleSpec, text: str) -> str:
        if not text.startswith("$"):
            return text
        name = text[1:]
        param = self.pack.parameters.get(name)
        if param is None:
            raise self._fail(rule, f"names unknown parameter {text!r}")
        return str(param.value)

    def _label(self, name: str) -> Text:
        return fact_label(name, self.labels)

    def _role_text(self, roles: tuple[str, ...], lang: str) -> str:
        key = (roles, lang)
        text = self._role_texts.get(key)
        if text is None:
            labels = self.pack.roles
            text = ", ".join(labels[r].get(lang) if r in labels else r for r in roles) or "-"
            self._role_texts[key] = text
        return text

    # -- compile ------------------------------------------------------------------------------
    def compile(self, rule: RuleSpec) -> CompiledRule:
        for name in (*rule.when, *rule.unless):
            self._need(rule, name, "string", "integer", "boolean")
        check = rule.check
        fn: CheckFn
        if isinstance(check, RequiredCheck):
            fn = self._required(rule, check)
        elif isinstance(check, RoleCheck):
            fn = self._role(check)
        elif isinstance(check, ThresholdCheck):
            fn = self._threshold(rule, check)
        elif isinstance(check, CoversCheck):
            fn = self._covers(rule, check)
        elif isinstance(check, MemberCheck):
            fn = self._member(rule, check)
        elif isinstance(check, OneOfCheck):
            fn = self._one_of(rule, check)
        elif isinstance(check, PeriodCheck):
            fn = self._period(rule, check)
        elif isinstance(check, StateCheck):
            fn = self._state(rule, check)
        else:
            fn = self._expression(rule, check)
        return CompiledRule(rule, fn, self._explain_fields(rule), self._reads(rule))

    def _reads(self, rule: RuleSpec) -> frozenset[str]:
        """The facts a rule looks at (for a dry run without data: which rules must wait for it)."""
        check = rule.check
        names: set[str] = {*rule.when, *rule.unless}
        if isinstance(check, ExpressionCheck):
            names.update(n for n in re.findall(r"[A-Za-z_][A-Za-z0-9_]*", check.expr) if n in self.facts)
        elif isinstance(check, RoleCheck):
            names.update(("actor", "actor_roles"))
        else:
            for field in ("facts", "count", "base", "set", "of", "value", "collection", "fact", "start", "end",
                          "instance"):
                value = getattr(check, field, None)
                names.update(value if isinstance(value, tuple) else (value,) if isinstance(value, str) else ())
        names.discard("now")
        return frozenset(names)

    def _explain_fields(self, rule: RuleSpec) -> tuple[ExplainedFact, ...]:
        """The facts a rule's failure text names, each with whether it is a time; plain {name}s of known facts."""
        if rule.explain is None:
            return ()
        names: list[str] = []
        for text in (rule.explain.en, rule.explain.zh):
            try:
                parts = list(string.Formatter().parse(text))
            except ValueError as exc:
                raise self._fail(rule, f"explain text is malformed: {exc}") from None
            for _, name, spec, conv in parts:
                if name is None:
                    continue
                if not name.isidentifier() or spec or conv:
                    raise self._fail(rule, f"explain placeholder {{{name}}} must be a plain fact name")
                self._need(rule, name)
                names.append(name)
        return tuple(ExplainedFact(name=name, is_time=self.facts[name] == "datetime")
                     for name in dict.fromkeys(names))

    def _required(self, rule: RuleSpec, check: RequiredCheck) -> CheckFn:
        for name in check.facts:
            self._need(rule, name)
        names = check.facts

        def run(ctx: FactSource, _roles: tuple[str, ...]) -> Outcome:
            # not given: None, or an empty text, list or mapping (a lazy collection of seats by its size)
            missing = [n for n in names if (v := ctx.get(n)) is None or (isinstance(v, Collection) and not len(v))]
            if missing:
                return False, "required.missing", {"missing": ", ".join(missing)}, {"missing": missing}
            return True, "required.ok", {}, {}

        return run

    def _role(self, check: RoleCheck) -> CheckFn:
        fixed = check.roles
        role_text = self._role_text
        texts: dict[tuple[tuple[str, ...], tuple[str, ...]], tuple[str, str, str, str]] = {}

        def run(ctx: FactSource, allowed_roles: tuple[str, ...]) -> Outcome:
            allowed = fixed or allowed_roles
            roles: tuple[str, ...] = tuple(ctx.get("actor_roles") or ())
            actor = ctx.get("actor")
            shown = texts.get((roles, allowed))
            if shown is None:
                shown = texts[(roles, allowed)] = (role_text(roles, "en"), role_text(roles, "zh-CN"),
                                                   role_text(allowed, "en"), role_text(allowed, "zh-CN"))
            params = {"actor": actor, "roles": shown[0], "roles_zh": shown[1], "allowed": shown[2],
                      "allowed_zh": shown[3], "body": ctx.body_id or "-"}
            facts = {"actor": actor, "actor_roles": list(roles), "allowed": list(allowed)}
            if any(r in allowed for r in roles):
                return True, "role.ok", params, facts
            return False, ("role.wrong" if roles else "role.none"), params, facts

        return run

    def _threshold(self, rule: RuleSpec, check: ThresholdCheck) -> CheckFn:
        self._need(rule, check.count, "integer")
        self._need(rule, check.base, "integer")
        try:
            ratio = parse_ratio(self._param(rule, check.ratio))
        except ValueError as exc:
            raise self._fail(rule, str(exc)) from None
        num, den = ratio.numerator, ratio.denominator
        strict = check.op == ">"
        count_name, base_name = check.count, check.base
        cl, bl = self._label(count_name), self._label(base_name)
        static = {"count_label": cl.en, "count_label_zh": cl.zh, "base_label": bl.en, "base_label_zh": bl.zh,
                  "op": _OP_SIGN[check.op], "op_zh": _OP_ZH[check.op], "ratio": str(Fraction(num, den))}

        def run(ctx: FactSource, _roles: tuple[str, ...]) -> Outcome:
            count = int(ctx.get(count_name) or 0)
            base = int(ctx.get(base_name) or 0)
            # exact: the least integer c with c*den >= base*num (or > for a strict threshold)
            needed = (base * num) // den + 1 if strict else -((-base * num) // den)
            facts = {count_name: count, base_name: base, "needed": needed}
            return count >= needed, "threshold", {**static, "count": count, "base": base, "needed": needed}, facts

        return run

    def _covers(self, rule: RuleSpec, check: CoversCheck) -> CheckFn:
        self._need(rule, check.set, "list", "mapping")
        self._need(rule, check.of, "list", "mapping")
        set_name, of_name = check.set, check.of
        sl, ol = self._label(set_name), self._label(of_name)
        static = {"set_label": sl.en, "set_label_zh": sl.zh, "of_label": ol.en, "of_label_zh": ol.zh}

        def run(ctx: FactSource, _roles: tuple[str, ...]) -> Outcome:
            done = ctx.get(set_name)
            done = () if done is None else done
            required = list(ctx.get(of_name) or ())
            missing = [x for x in required if x not in done]
            total = len(required)
            params = {**static, "done": total - len(missing), "total": total, "missing": ", ".join(missing)}
            facts = {of_name: required, "missing": missing}
            return (not missing), ("covers.missing" if missing else "covers.ok"), params, facts

        return run

    def _member(self, rule: RuleSpec, check: MemberCheck) -> CheckFn:
        self._need(rule, check.value)
        self._need(rule, check.collection, "list", "mapping")
        value_name, coll_name, negate = check.value, check.collection, check.negate
        label = self._label(coll_name)

        def run(ctx: FactSource, _roles: tuple[str, ...]) -> Outcome:
            value = ctx.get(value_name)
            collection = ctx.get(coll_name)  # may answer `in` without being read whole (who has voted)
            inside = value is not None and collection is not None and value in collection
            params = {"value": value, "collection": label.en, "collection_zh": label.zh}
            facts = {value_name: value}
            if negate:
                return (not inside), ("member.present_bad" if inside else "member.absent_ok"), params, facts
            return inside, ("member.in" if inside else "member.not_in"), params, facts

        return run

    def _one_of(self, rule: RuleSpec, check: OneOfCheck) -> CheckFn:
        self._need(rule, check.fact, "string", "integer", "boolean")
        name, allowed = check.fact, frozenset(check.values)
        label = self._label(name)
        shown = ", ".join(str(v) for v in check.values)

        def run(ctx: FactSource, _roles: tuple[str, ...]) -> Outcome:
            value = ctx.get(name)
            params = {"fact": label.en, "fact_zh": label.zh, "value": "-" if value is None else value,
                      "values": shown}
            ok = value in allowed
            return ok, ("one_of.ok" if ok else "one_of.bad"), params, {name: value}

        return run

    def _period(self, rule: RuleSpec, check: PeriodCheck) -> CheckFn:
        for name in (check.start, check.end):
            if name != "now":
                self._need(rule, name, "datetime")
        try:
            limit = parse_duration(self._param(rule, check.duration))
        except ValueError as exc:
            raise self._fail(rule, str(exc)) from None
        start_name, end_name, op = check.start, check.end, check.op
        limit_en, limit_zh = format_duration(limit)

        def run(ctx: FactSource, _roles: tuple[str, ...]) -> Outcome:
            start, end = ctx.time(start_name), ctx.time(end_name)
            if start is None or end is None:
                missing = start_name if start is None else end_name
                lab = self._label(missing)
                return False, "period.missing", {"fact": lab.en, "fact_zh": lab.zh}, {}
            span = end - start
            ok = span >= limit if op == ">=" else span <= limit
            span_en, span_zh = format_duration(span)
            params = {"span": span_en, "span_zh": span_zh, "start": start.isoformat(), "end": end.isoformat(),
                      "op": _OP_SIGN[op], "op_zh": _OP_ZH[op], "limit": limit_en, "limit_zh": limit_zh}
            facts = {start_name: start, end_name: end}
            return ok, ("period.ok" if ok else "period.bad"), params, facts

        return run

    def _state(self, rule: RuleSpec, check: StateCheck) -> CheckFn:
        self._need(rule, check.instance, "string")
        fact, states = check.instance, check.states

        def run(ctx: FactSource, _roles: tuple[str, ...]) -> Outcome:
            other = ctx.get(fact)
            if not other:
                return False, "state.missing", {"fact": fact}, {}
            state = ctx.state_of(str(other))
            params = {"other": other, "state": state or "-", "states": ", ".join(states)}
            ok = state in states
            return ok, ("state.ok" if ok else "state.bad"), params, {fact: other, "state": state}

        return run

    def _expression(self, rule: RuleSpec, check: ExpressionCheck) -> CheckFn:
        try:
            evaluate = compile_expression(check.expr, self.facts,
                                          (lambda reason: self._fail(rule, reason)) if self.deferred else None)
        except ValueError as exc:
            raise self._fail(rule, str(exc)) from None
        expr = check.expr

        def run(ctx: FactSource, _roles: tuple[str, ...]) -> Outcome:
            ok, seen = evaluate(ctx)
            shown = ", ".join(f"{k}={v}" for k, v in seen.items())
            return ok, ("expression.ok" if ok else "expression.bad"), {"expr": expr, "facts": shown}, seen

        return run


def compile_rules(pack: RulePackSpec, rule_ids: list[str], facts: Mapping[str, FactType],
                  labels: Mapping[str, Text | None], source: str, deferred: bool = False) -> dict[str, CompiledRule]:
    """Compile the named rules of ``pack``; each rule is compiled once, whatever binds it."""
    compiler = RuleCompiler(pack, facts, labels, source, deferred)
    out: dict[str, CompiledRule] = {}
    for rule_id in rule_ids:
        spec = pack.rule(rule_id)
        if spec is None:
            raise DefinitionError(f"unknown rule id {rule_id!r} (not in pack {pack.key})", source=source,
                                  where=rule_id)
        out[rule_id] = compiler.compile(spec)
    return out

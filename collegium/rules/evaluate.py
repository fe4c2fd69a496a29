"""Compiled rules: each rule spec becomes a small evaluator, built once and run on every command.

Compilation checks every fact name a rule mentions against the facts the procedure and the engine
provide, resolves ``$parameter`` references against the pack, and compiles ``expression`` checks
with rule-engine under a typed context (unknown symbols fail here, at load time, not mid-decision;
``deferred``: see compile_expression). What each kind of check then does on a command is
:mod:`collegium.rules.kinds`.
"""

from __future__ import annotations

import re
import string
from collections.abc import Mapping
from typing import Any

from collegium._catalog import Message
from collegium._i18n import Text
from collegium.definitions import FactType
from collegium.errors import DefinitionError
from collegium.rules import kinds
from collegium.rules.expression import compile_expression, reason_of
from collegium.rules.facts import DATA_DEPENDENT, ExplainedFact, fact_label
from collegium.rules.kinds import CheckFn, FactSource
from collegium.rules.model import (
    FACT_FIELDS,
    AtLeastCheck,
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
    parse_months,
    parse_ratio,
)
from collegium.rules.verdict import RuleResult


class CompiledRule:
    """A rule ready to evaluate: applicability test plus one check function."""

    __slots__ = (
        "_check",
        "_explain",
        "_not_applicable",
        "_unless",
        "_when",
        "citation",
        "id",
        "reads",
        "severity",
        "spec",
        "title",
    )

    def __init__(
        self,
        spec: RuleSpec,
        check: CheckFn,
        explain: tuple[ExplainedFact, ...] = (),
        reads: frozenset[str] = frozenset(),
    ) -> None:
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
        # the same on every command it does not apply to; results are read-only: one serves all
        self._not_applicable = RuleResult(
            self.id,
            True,
            self.severity,
            self.title,
            self.citation,
            "not_applicable",
            applicable=False,
        )

    def applies(self, ctx: FactSource) -> bool:
        for name, values in self._when:
            if ctx.get(name) not in values:
                return False
        return not self._unless or all(ctx.get(name) not in values for name, values in self._unless)

    def pending(self, missing: frozenset[str]) -> RuleResult:
        """The result of a rule that cannot be judged yet: it reads facts the command's data would
        supply."""
        keys = sorted(missing)
        return RuleResult(
            self.id,
            True,
            self.severity,
            self.title,
            self.citation,
            "needs_data",
            {"facts": ", ".join(keys), "keys": keys},
            applicable=False,
        )

    def evaluate(self, ctx: FactSource, allowed_roles: tuple[str, ...] = ()) -> RuleResult:
        if (self._when or self._unless) and not self.applies(ctx):
            return self._not_applicable
        passed, detail, params, facts = self._check(ctx, allowed_roles)
        # a time, an instance or a body the check needs and the facts lack is the cause to name,
        # before the rule's own text; a value not given yields to that text when it shows in full
        if not passed and self.spec.explain is not None and detail not in _UNSET:
            shown = {
                f: f.shown(ctx.time(f.name) if f.is_time else ctx.get(f.name))
                for f in self._explain
            }
            unset = [f.label for f, value in shown.items() if value is None]
            if unset:  # the text would show it as "None": say that it is not given
                detail = "fact.unset"
                params = {
                    "facts": ", ".join(t.en for t in unset),
                    "facts_zh": "、".join(t.zh for t in unset),
                }
            else:
                detail = "custom"
                params = {
                    "template_en": self.spec.explain.en,
                    "template_zh": self.spec.explain.zh,
                    **{f.name: value for f, value in shown.items()},
                }
        return RuleResult(
            self.id, passed, self.severity, self.title, self.citation, detail, params, facts
        )


#: what a check answers when something it reads is not there (:mod:`collegium.rules.kinds`), named
#: instead of the rule's own text; ``fact.unset`` is not among them: a rule's text such as "name one
#: of {ballot_items}" says better what to give
_UNSET = frozenset({"period.missing", "state.missing", "state.unknown", "role.no_body"})


class RuleCompiler:
    """Compiles the rules of one pack against the fact vocabulary of one procedure."""

    def __init__(
        self,
        pack: RulePackSpec,
        facts: Mapping[str, FactType],
        labels: Mapping[str, Text | None],
        source: str | Message,
        deferred: bool = False,
    ) -> None:
        self.pack, self.deferred = pack, deferred
        self.facts = facts
        self.labels = dict(labels)
        self.source = source
        self._role_texts: dict[tuple[tuple[str, ...], str], str] = {}

    # -- helpers ------------------------------------------------------------------------------
    def _fail(self, rule: RuleSpec, reason: str | Message) -> DefinitionError:
        return DefinitionError(reason, source=self.source, where=rule.id)

    def _need(self, rule: RuleSpec, name: str, *types: FactType) -> None:
        if name not in self.facts:
            raise self._fail(rule, Message("names unknown fact {name!r}", name=name))
        if types and self.facts[name] not in types:
            expected = " or ".join(types)
            raise self._fail(
                rule,
                Message(
                    "fact {name!r} is {type}, expected {expected}",
                    name=name,
                    type=self.facts[name],
                    expected=expected,
                ),
            )

    def _param(self, rule: RuleSpec, text: str) -> str:
        if not text.startswith("$"):
            return text
        name = text[1:]
        param = self.pack.parameters.get(name)
        if param is None:
            raise self._fail(rule, Message("names unknown parameter {name!r}", name=text))
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
            fn = self._role(rule, check)
        elif isinstance(check, ThresholdCheck):
            fn = self._threshold(rule, check)
        elif isinstance(check, AtLeastCheck):
            fn = self._at_least(rule, check)
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
            names.update(
                n for n in re.findall(r"[A-Za-z_][A-Za-z0-9_]*", check.expr) if n in self.facts
            )
        elif isinstance(check, RoleCheck):
            names.update(("actor", "actor_roles", *check.or_person))
        else:
            for field in FACT_FIELDS:
                value = getattr(check, field, None)
                if isinstance(value, str):
                    names.add(value)
                elif isinstance(value, tuple):
                    names.update(value)
        names.discard("now")
        for name in list(names):
            names.update(DATA_DEPENDENT.get(name, ()))
        return frozenset(names)

    def _explain_fields(self, rule: RuleSpec) -> tuple[ExplainedFact, ...]:
        """The facts a rule's failure text names, each with whether it is a time; plain {name}s of
        known facts."""
        if rule.explain is None:
            return ()
        names: list[str] = []
        for text in (rule.explain.en, rule.explain.zh):
            try:
                parts = list(string.Formatter().parse(text))
            except ValueError as exc:
                reason = Message("explain text is malformed: {error}", error=exc)
                raise self._fail(rule, reason) from None
            for _, name, spec, conv in parts:
                if name is None:
                    continue
                if not name.isidentifier() or spec or conv:
                    raise self._fail(
                        rule,
                        Message(
                            "explain placeholder {{{name}}} must be a plain fact name", name=name
                        ),
                    )
                self._need(rule, name)
                names.append(name)
        return tuple(
            ExplainedFact(
                name=name, is_time=self.facts[name] == "datetime", label=self._label(name)
            )
            for name in dict.fromkeys(names)
        )

    def _required(self, rule: RuleSpec, check: RequiredCheck) -> CheckFn:
        for name in check.facts:
            self._need(rule, name)
        return kinds.required(check.facts)

    def _role(self, rule: RuleSpec, check: RoleCheck) -> CheckFn:
        roles = check.roles
        if isinstance(roles, str):
            param = self.pack.parameters.get(roles[1:])
            value = param.value if param is not None else None
            if not isinstance(value, list) or not all(isinstance(r, str) for r in value):
                reason = Message("{name} is not a parameter holding a list of roles", name=roles)
                raise self._fail(rule, reason)
            roles = tuple(value)
        for role in roles or ():
            if self.pack.roles and role not in self.pack.roles:
                reason = Message(
                    "names role {role!r}, which the pack's roles do not list", role=role
                )
                raise self._fail(rule, reason)
        for name in check.or_person:
            self._need(rule, name, "string")
        persons = tuple((name, self._label(name)) for name in check.or_person)
        return kinds.role(roles, self._role_text, persons)

    def _threshold(self, rule: RuleSpec, check: ThresholdCheck) -> CheckFn:
        self._need(rule, check.count, "integer")
        self._need(rule, check.base, "integer")
        try:
            ratio = parse_ratio(self._param(rule, check.ratio))
        except ValueError as exc:
            raise self._fail(rule, reason_of(exc)) from None
        return kinds.threshold(check, ratio, self._label(check.count), self._label(check.base))

    def _at_least(self, rule: RuleSpec, check: AtLeastCheck) -> CheckFn:
        self._need(rule, check.fact, "integer")
        value: Any = check.min
        if isinstance(value, str):
            param = self.pack.parameters.get(value[1:])
            value = param.value if param is not None else None
            if isinstance(value, bool) or not isinstance(value, int):
                reason = Message("{name} is not a parameter holding a whole number", name=check.min)
                raise self._fail(rule, reason)
        return kinds.at_least(check, value, self._label(check.fact))

    def _covers(self, rule: RuleSpec, check: CoversCheck) -> CheckFn:
        self._need(rule, check.set, "list", "mapping")
        self._need(rule, check.of, "list", "mapping")
        return kinds.covers(check, self._label(check.set), self._label(check.of))

    def _member(self, rule: RuleSpec, check: MemberCheck) -> CheckFn:
        self._need(rule, check.value)
        self._need(rule, check.collection, "list", "mapping")
        return kinds.member(check, self._label(check.collection), self._label(check.value))

    def _one_of(self, rule: RuleSpec, check: OneOfCheck) -> CheckFn:
        self._need(rule, check.fact, "string", "integer", "boolean")
        return kinds.one_of(check, self._label(check.fact))

    def _period(self, rule: RuleSpec, check: PeriodCheck) -> CheckFn:
        for name in (check.start, check.end):
            if name != "now":
                self._need(rule, name, "datetime")
        text = self._param(rule, check.duration)
        months = parse_months(text)
        if months is not None:
            return kinds.period(check, months, self._label)
        try:
            limit = parse_duration(text)
        except ValueError as exc:
            raise self._fail(rule, reason_of(exc)) from None
        return kinds.period(check, limit, self._label)

    def _state(self, rule: RuleSpec, check: StateCheck) -> CheckFn:
        self._need(rule, check.instance, "string")
        return kinds.state(check)

    def _expression(self, rule: RuleSpec, check: ExpressionCheck) -> CheckFn:
        try:
            evaluate = compile_expression(
                check.expr,
                self.facts,
                (lambda reason: self._fail(rule, reason)) if self.deferred else None,
            )
        except ValueError as exc:
            raise self._fail(rule, reason_of(exc)) from None
        return kinds.expression(check.expr, evaluate)


def compile_rules(
    pack: RulePackSpec,
    rule_ids: list[str],
    facts: Mapping[str, FactType],
    labels: Mapping[str, Text | None],
    source: str | Message,
    deferred: bool = False,
) -> dict[str, CompiledRule]:
    """Compile the named rules of ``pack``; each rule is compiled once, whatever binds it."""
    compiler = RuleCompiler(pack, facts, labels, source, deferred)
    out: dict[str, CompiledRule] = {}
    for rule_id in rule_ids:
        spec = pack.rule(rule_id)
        if spec is None:
            raise DefinitionError(
                Message("unknown rule id {id!r} (not in pack {pack})", id=rule_id, pack=pack.key),
                source=source,
                where=rule_id,
            )
        out[rule_id] = compiler.compile(spec)
    return out

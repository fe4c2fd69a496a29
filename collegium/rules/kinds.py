"""How each kind of check judges a command: the function a compiled rule runs on every command.

:class:`~collegium.rules.evaluate.RuleCompiler` validates a check at load time (its facts exist and
have the right types, its ``$parameter``\\ s resolve, its ratio or duration parses) and hands what
it found to the builder of that kind here. What a builder returns looks at one command's facts and
answers with an :data:`Outcome`: whether the check passed, the message key and its parameters (both
languages), and the facts it looked at.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Collection
from fractions import Fraction
from typing import Any, Protocol

from collegium._i18n import Text, format_duration
from collegium.rules.expression import Evaluate
from collegium.rules.model import (
    AtLeastCheck,
    CoversCheck,
    MemberCheck,
    OneOfCheck,
    PeriodCheck,
    StateCheck,
    ThresholdCheck,
    add_months,
)


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


def required(names: tuple[str, ...]) -> CheckFn:
    """Every one of ``names`` is given."""

    def run(ctx: FactSource, _roles: tuple[str, ...]) -> Outcome:
        # not given: None, or an empty text, list or mapping (a lazy collection of seats by its
        # size)
        missing = [
            n
            for n in names
            if (v := ctx.get(n)) is None or (isinstance(v, Collection) and not len(v))
        ]
        if missing:
            return (
                False,
                "required.missing",
                {"missing": ", ".join(missing)},
                {"missing": missing},
            )
        return True, "required.ok", {}, {}

    return run


def role(
    fixed: tuple[str, ...] | None,
    role_text: Callable[[tuple[str, ...], str], str],
    persons: tuple[tuple[str, Text], ...] = (),
) -> CheckFn:
    """The actor holds one of the ``fixed`` roles, or if none are fixed of the roles the trigger
    allows; or is the person a fact of ``persons`` names (each with its label)."""
    texts: dict[tuple[tuple[str, ...], tuple[str, ...]], tuple[str, str, str, str]] = {}
    others = (
        ("; or the matter's " + ", ".join(label.en for _, label in persons)) if persons else "",
        ("；或本事项的" + "、".join(label.zh for _, label in persons)) if persons else "",
    )

    def run(ctx: FactSource, allowed_roles: tuple[str, ...]) -> Outcome:
        allowed = fixed or allowed_roles
        roles: tuple[str, ...] = tuple(ctx.get("actor_roles") or ())
        actor = ctx.get("actor")
        for name, label in persons:
            if actor is not None and ctx.get(name) == actor:
                params = {"actor": actor, "person": label.en, "person_zh": label.zh}
                return True, "role.person", params, {"actor": actor, name: actor}
        shown = texts.get((roles, allowed))
        if shown is None:
            shown = texts[(roles, allowed)] = (
                role_text(roles, "en"),
                role_text(roles, "zh-CN"),
                role_text(allowed, "en") + others[0],
                role_text(allowed, "zh-CN") + others[1],
            )
        params = {
            "actor": actor,
            "roles": shown[0],
            "roles_zh": shown[1],
            "allowed": shown[2],
            "allowed_zh": shown[3],
            "body": ctx.body_id,
        }
        facts = {"actor": actor, "actor_roles": list(roles), "allowed": list(allowed)}
        if any(r in allowed for r in roles):
            return True, "role.ok", params, facts
        if ctx.body_id is None:
            return False, "role.no_body", params, facts
        return False, ("role.wrong" if roles else "role.none"), params, facts

    return run


def threshold(check: ThresholdCheck, ratio: Fraction, cl: Text, bl: Text) -> CheckFn:
    """A count reaches ``ratio`` of a base; ``cl`` and ``bl`` label the two."""
    num, den = ratio.numerator, ratio.denominator
    strict = check.op == ">"
    count_name, base_name = check.count, check.base
    static = {
        "count_label": cl.en,
        "count_label_zh": cl.zh,
        "base_label": bl.en,
        "base_label_zh": bl.zh,
        "op": _OP_SIGN[check.op],
        "op_zh": _OP_ZH[check.op],
        "ratio": str(Fraction(num, den)),
    }

    def run(ctx: FactSource, _roles: tuple[str, ...]) -> Outcome:
        count = int(ctx.get(count_name) or 0)
        base = int(ctx.get(base_name) or 0)
        # exact: the least integer c with c*den >= base*num (or > for a strict threshold)
        needed = (base * num) // den + 1 if strict else -((-base * num) // den)
        facts = {count_name: count, base_name: base, "needed": needed}
        return (
            count >= needed,
            "threshold",
            {**static, "count": count, "base": base, "needed": needed},
            facts,
        )

    return run


def at_least(check: AtLeastCheck, minimum: int, label: Text) -> CheckFn:
    """A whole-number fact, which ``label`` names, reaches ``minimum``."""
    name = check.fact
    static = {"fact": label.en, "fact_zh": label.zh, "min": minimum}

    def run(ctx: FactSource, _roles: tuple[str, ...]) -> Outcome:
        value = int(ctx.get(name) or 0)
        ok = value >= minimum
        return (
            ok,
            ("at_least.ok" if ok else "at_least.bad"),
            {**static, "value": value},
            {name: value},
        )

    return run


def covers(check: CoversCheck, sl: Text, ol: Text) -> CheckFn:
    """One collection holds every item of another; ``sl`` and ``ol`` label the two."""
    set_name, of_name = check.set, check.of
    static = {
        "set_label": sl.en,
        "set_label_zh": sl.zh,
        "of_label": ol.en,
        "of_label_zh": ol.zh,
    }

    def run(ctx: FactSource, _roles: tuple[str, ...]) -> Outcome:
        done = ctx.get(set_name)
        done = () if done is None else done
        required = list(ctx.get(of_name) or ())
        missing = [x for x in required if x not in done]
        total = len(required)
        params = {
            **static,
            "done": total - len(missing),
            "total": total,
            "missing": ", ".join(missing),
        }
        facts = {of_name: required, "missing": missing}
        return (not missing), ("covers.missing" if missing else "covers.ok"), params, facts

    return run


def member(check: MemberCheck, label: Text, value_label: Text) -> CheckFn:
    """A value, which ``value_label`` names, is (or, negated, is not) in a collection, which
    ``label`` names."""
    value_name, coll_name, negate = check.value, check.collection, check.negate
    unset = {"facts": value_label.en, "facts_zh": value_label.zh}

    def run(ctx: FactSource, _roles: tuple[str, ...]) -> Outcome:
        value = ctx.get(value_name)
        if value is None and not negate:  # nothing to look for: say so, not "None is not among"
            return False, "fact.unset", unset, {value_name: value}
        # may answer `in` without being read whole (who has voted)
        collection = ctx.get(coll_name)
        inside = value is not None and collection is not None and value in collection
        params = {"value": value, "collection": label.en, "collection_zh": label.zh}
        facts = {value_name: value}
        if negate:
            return (
                (not inside),
                ("member.present_bad" if inside else "member.absent_ok"),
                params,
                facts,
            )
        return inside, ("member.in" if inside else "member.not_in"), params, facts

    return run


def one_of(check: OneOfCheck, label: Text) -> CheckFn:
    """A fact, which ``label`` names, has one of the check's values."""
    name, allowed = check.fact, frozenset(check.values)
    shown = ", ".join(str(v) for v in check.values)

    unset = {"facts": label.en, "facts_zh": label.zh}

    def run(ctx: FactSource, _roles: tuple[str, ...]) -> Outcome:
        value = ctx.get(name)
        if value is None:
            return False, "fact.unset", unset, {name: value}
        params = {"fact": label.en, "fact_zh": label.zh, "value": value, "values": shown}
        ok = value in allowed
        return ok, ("one_of.ok" if ok else "one_of.bad"), params, {name: value}

    return run


def period(check: PeriodCheck, limit: dt.timedelta | int, label: Callable[[str], Text]) -> CheckFn:
    """The time between two moments is at least (or at most) ``limit``: a duration, or a whole
    number of calendar months counted from the start (:func:`add_months`); ``label`` names a
    fact."""
    start_name, end_name, op = check.start, check.end, check.op
    if isinstance(limit, int):
        plural = "s" if limit != 1 else ""
        limit_en, limit_zh = f"{limit} month{plural}", f"{limit}个月"
    else:
        limit_en, limit_zh = format_duration(limit)

    def run(ctx: FactSource, _roles: tuple[str, ...]) -> Outcome:
        start, end = ctx.time(start_name), ctx.time(end_name)
        if start is None or end is None:
            missing = start_name if start is None else end_name
            lab = label(missing)
            return False, "period.missing", {"fact": lab.en, "fact_zh": lab.zh}, {}
        span = end - start
        if isinstance(limit, int):
            bound = add_months(start, limit)
            ok = end >= bound if op == ">=" else end <= bound
        else:
            ok = span >= limit if op == ">=" else span <= limit
        before = span < dt.timedelta(0) and not ok  # said as "X is 2 d before Y"
        span_en, span_zh = format_duration(abs(span) if before else span)
        params = {
            "span": span_en,
            "span_zh": span_zh,
            "start": start.isoformat(),
            "end": end.isoformat(),
            "op": _OP_SIGN[op],
            "op_zh": _OP_ZH[op],
            "limit": limit_en,
            "limit_zh": limit_zh,
        }
        facts = {start_name: start, end_name: end}
        key = "period.ok" if ok else "period.bad" if op == ">=" else "period.long"
        if before:
            key = "period.before"
        return ok, key, params, facts

    return run


def state(check: StateCheck) -> CheckFn:
    """The instance a fact names is in one of the check's states."""
    fact, states = check.instance, check.states

    def run(ctx: FactSource, _roles: tuple[str, ...]) -> Outcome:
        other = ctx.get(fact)
        if not other:
            return False, "state.missing", {"fact": fact}, {}
        state = ctx.state_of(str(other))
        if state is None:
            return False, "state.unknown", {"other": other, "fact": fact}, {fact: other}
        params = {"other": other, "state": state, "states": ", ".join(states)}
        ok = state in states
        return ok, ("state.ok" if ok else "state.bad"), params, {fact: other, "state": state}

    return run


def expression(expr: str, evaluate: Evaluate) -> CheckFn:
    """The expression ``expr``, compiled to ``evaluate``, holds."""

    def run(ctx: FactSource, _roles: tuple[str, ...]) -> Outcome:
        ok, seen = evaluate(ctx)
        shown = ", ".join(f"{k}={v}" for k, v in seen.items())
        return (
            ok,
            ("expression.ok" if ok else "expression.bad"),
            {"expr": expr, "facts": shown},
            seen,
        )

    return run

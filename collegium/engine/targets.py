"""Measurable targets (细化、量化、硬化): exact decimal values, and the progress derived from them.

A target has a baseline, a target value and, once reported, a measured value; each is a canonical
decimal text ("6.5", "120", "-3"), so it hashes the same on every platform and compares exactly. A
target is reached when the measured value has gone from the baseline to the target value — upwards
or downwards, as the target says. Progress is derived, never typed in: the mean of each target's
share of the way, floored to a whole percent.
"""

from __future__ import annotations

import decimal
from collections.abc import Mapping
from fractions import Fraction
from typing import Any

from collegium._brief import brief
from collegium._catalog import Message
from collegium.errors import InvalidInput

#: Longest decimal text accepted (digits, sign and point).
MAX_DIGITS = 30


#: Largest power of ten a value may have (before or after the point).
MAX_EXPONENT = 28

_EXACT = decimal.Context(prec=MAX_DIGITS + 2, traps=[decimal.Overflow, decimal.InvalidOperation])


def canonical_number(name: str, value: Any) -> str:
    """``value`` as canonical decimal text; :class:`InvalidInput` for anything that is not a finite
    number of at most :data:`MAX_DIGITS` digits (nothing is rounded: a value that does not fit is
    refused)."""
    bad = InvalidInput(
        Message(
            "{name} must be a decimal number such as 12 or 6.5 (at most {most} digits), "
            "not {value}",
            name=name,
            most=MAX_DIGITS,
            value=brief(value, 40),
        )
    )
    if isinstance(value, bool) or not isinstance(value, int | float | str | decimal.Decimal):
        raise bad
    if isinstance(value, str) and len(value) > 2 * MAX_DIGITS:
        raise bad
    try:
        number = decimal.Decimal(str(value))
    except (ArithmeticError, ValueError):
        raise bad from None
    if not number.is_finite():
        raise bad
    _sign, digits, exponent = number.as_tuple()
    assert isinstance(exponent, int)
    if len(digits) > MAX_DIGITS or not -MAX_EXPONENT <= exponent + len(digits) - 1 <= MAX_EXPONENT:
        raise bad
    text = format(number.normalize(_EXACT), "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def share(target: Mapping[str, Any]) -> Fraction:
    """How much of the way from baseline to target value the measured value has gone,
    between 0 and 1."""
    measured = target.get("measured")
    if measured is None:
        return Fraction(0)
    base, goal, now = (
        Fraction(decimal.Decimal(str(target[k]))) for k in ("baseline", "target", "measured")
    )
    if goal == base:
        return Fraction(1) if now == goal else Fraction(0)
    return min(Fraction(1), max(Fraction(0), (now - base) / (goal - base)))


def progress(targets: Mapping[str, Mapping[str, Any]]) -> int:
    """Whole percent of the way, over all targets (0 without targets)."""
    if not targets:
        return 0
    mean = sum((share(t) for t in targets.values()), Fraction(0)) / len(targets)
    return int(mean * 100)  # floors: 99.9 % is not 100 %


def met(targets: Mapping[str, Mapping[str, Any]]) -> bool:
    """Every target reached (and there is at least one)."""
    return bool(targets) and all(share(t) == 1 for t in targets.values())

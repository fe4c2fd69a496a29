"""The organisation's declarations in force: what the latest version of each loaded rule pack says
about its supervision queries and its reporting calendar (:mod:`collegium.rules.organisation`).

The queries and the calendar ask here instead of naming procedures, states or time zones
themselves. A registry whose packs declare nothing for a query gets an
:class:`~collegium.errors.InvalidInput` naming what to declare.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable
from typing import TypeVar

from collegium._catalog import Message
from collegium.engine.registry import Registry
from collegium.errors import InvalidInput
from collegium.rules.model import RulePackSpec
from collegium.rules.organisation import CaseQueue, CommitmentQueue, Reporting, TaskQueue

__all__ = ["cases", "commitments", "deprecated", "latest_packs", "reporting", "tasks"]

T = TypeVar("T")


def latest_packs(registry: Registry) -> list[RulePackSpec]:
    """The latest version of each loaded rule pack, by pack id."""
    return [registry.pack(pack_id) for pack_id in sorted({p.id for p in registry.packs()})]


def _all(
    registry: Registry,
    pick: Callable[[RulePackSpec], T | None],
    what: str | Message,
    example: str,
) -> list[T]:
    found = [d for d in map(pick, latest_packs(registry)) if d is not None]
    if not found:
        raise InvalidInput(
            Message(
                "no loaded rule pack declares {what}; declare it in the pack, e.g. {example}",
                what=what,
                example=example,
            )
        )
    return found


def tasks(registry: Registry) -> list[TaskQueue]:
    """The task procedures the packs declare (``supervision.tasks``)."""
    return _all(
        registry,
        lambda p: p.supervision.tasks if p.supervision else None,
        "supervision.tasks",
        "supervision: {tasks: {procedure: P, open_states: [S], overdue_states: [O]}}",
    )


def cases(registry: Registry) -> list[CaseQueue]:
    """The accountability case procedures the packs declare (``supervision.cases``)."""
    return _all(
        registry,
        lambda p: p.supervision.cases if p.supervision else None,
        "supervision.cases",
        "supervision: {cases: {procedure: P}}",
    )


def commitments(registry: Registry) -> list[CommitmentQueue]:
    """The commitment procedures the packs declare (``supervision.commitments``)."""
    return _all(
        registry,
        lambda p: p.supervision.commitments if p.supervision else None,
        "supervision.commitments",
        "supervision: {commitments: {procedure: P, states: {...}, outcomes: {...}}}",
    )


def reporting(registry: Registry) -> tuple[RulePackSpec, Reporting]:
    """The one pack that declares a reporting calendar, and that calendar."""
    found = _all(
        registry,
        lambda p: (p, p.reporting) if p.reporting else None,
        Message("a reporting calendar"),
        "reporting: {procedure: P, open_states: [S], chair: ROLE, "
        "due_time: $PARAMETER, kinds: {...}}",
    )
    if len(found) > 1:
        raise InvalidInput(
            Message(
                "several loaded rule packs declare a reporting calendar ({packs}); load only one "
                "of them",
                packs=", ".join(p.key for p, _ in found),
            )
        )
    pack, calendar = found[0]
    assert calendar is not None
    return pack, calendar


def deprecated(name: str, declaration: str, read: Callable[[Registry], T]) -> T:
    """A name an engine module once held, read from the built-in pack's ``declaration`` with a
    :class:`DeprecationWarning` (for one release)."""
    warnings.warn(
        f"{name} is deprecated and goes in the next release: the rule pack declares it "
        f"({declaration})",
        DeprecationWarning,
        stacklevel=3,
    )
    return read(Registry.builtin())

"""Questions a secretary's office asks (督查), answered through the facts index and the (procedure,
state) index, so that they read the instances they return and not the 100,000 others: overdue tasks
by member or department, a member's business and public targets with progress, open accountability
cases, reports due. Time comes from the engine's clock. Which procedures and states these are, the
rule packs declare (``supervision`` and ``reporting``, ``collegium.engine.declared``); a query
whose declaration no loaded pack has raises :class:`~collegium.errors.InvalidInput` naming it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal

from collegium._brief import brief
from collegium._catalog import Message
from collegium.engine import declared
from collegium.engine import targets as tg
from collegium.engine.clock import format_time
from collegium.errors import InvalidInput

if TYPE_CHECKING:
    from collegium.engine.engine import Engine
    from collegium.engine.outcomes import Instance
    from collegium.engine.registry import Registry

__all__ = ["TargetView", "member_targets", "open_cases", "overdue_tasks", "reports_due"]


def overdue_tasks(
    engine: Engine,
    by: Literal["lead_member", "departments"] = "lead_member",
    at: dt.datetime | None = None,
) -> dict[str, list[Instance]]:
    """Tasks overdue at ``at`` (default: now), grouped by lead member or by responsible department:
    those the sweep found overdue, and open ones whose deadline has passed. A task with two
    departments is under both."""
    if by not in ("lead_member", "departments"):
        raise InvalidInput(
            Message(
                "overdue tasks are grouped by lead_member or departments, not {by}", by=brief(by)
            )
        )
    now = format_time(at or engine.clock.now())
    found: dict[str, Instance] = {}
    for queue in declared.tasks(engine.registry):
        found.update((i.id, i) for i in engine.find(queue.procedure, queue.overdue_states))
        late = engine.find(queue.procedure, queue.open_states, before=("deadline", now))
        # a task whose targets were reached in time is not overdue: its review will complete it
        found.update((i.id, i) for i in late if not tg.met(i.facts.get("targets") or {}))
    groups: dict[str, list[Instance]] = {}
    for inst in sorted(found.values(), key=lambda i: (str(i.facts.get("deadline")), i.id)):
        value = inst.facts.get(by)
        for key in value if isinstance(value, list) else [value]:
            groups.setdefault(str(key), []).append(inst)
    return dict(sorted(groups.items()))


@dataclass(frozen=True, slots=True)
class TargetView:
    """One measurable target of a member's task, with how far it has come (a whole percent,
    derived)."""

    task: str
    title: str
    state: str
    deadline: str
    metric: str
    kind: str
    unit: str
    baseline: str
    target: str
    measured: str | None
    percent: int


def member_targets(engine: Engine, member: str) -> dict[str, list[TargetView]]:
    """A member's targets by kind (business 业务目标, public 公共目标), over the tasks they lead."""
    out: dict[str, list[TargetView]] = {kind: [] for kind in ("business", "public")}
    queues = declared.tasks(engine.registry)
    for inst in (i for q in queues for i in engine.find(q.procedure, lead_member=member)):
        for metric, t in sorted((inst.facts.get("targets") or {}).items()):
            view = TargetView(
                inst.id,
                str(inst.facts.get("title")),
                inst.state,
                str(inst.facts.get("deadline")),
                metric,
                str(t["kind"]),
                str(t["unit"]),
                str(t["baseline"]),
                str(t["target"]),
                t.get("measured"),
                int(tg.share(t) * 100),
            )
            out.setdefault(view.kind, []).append(view)
    return out


def open_cases(engine: Engine, member: str | None = None) -> list[Instance]:
    """Accountability cases not yet closed or dismissed (of one member, if given), oldest first."""
    found: list[Instance] = []
    for queue in declared.cases(engine.registry):
        spec = engine.registry.procedure(queue.procedure)
        states = tuple(name for name, state in spec.states.items() if not state.terminal)
        by: dict[str, Any] = {} if member is None else {"lead_member": member}
        found += engine.find(queue.procedure, states, **by)
    return found


def reports_due(
    engine: Engine,
    within: dt.timedelta = dt.timedelta(days=30),
    body: str | None = None,
    at: dt.datetime | None = None,
) -> list[Instance]:
    """Reports still to be submitted whose deadline falls in the next ``within`` (default 30 days)
    from ``at`` (default: now), soonest first; of one body's hearing, if given."""
    if within < dt.timedelta(0):
        raise InvalidInput(Message("the window of reports due must not be negative"))
    start = at or engine.clock.now()
    now, until = format_time(start), format_time(start + within)
    calendar = declared.reporting(engine.registry)[1]
    found = engine.find(
        calendar.procedure,
        calendar.open_states,
        before=("due", until),
        **({"body": body} if body else {}),
    )
    return sorted(
        (i for i in found if str(i.facts.get("due")) >= now),
        key=lambda i: (str(i.facts.get("due")), i.id),
    )


#: names this module once held, deprecated, and what the rule pack declares instead
_DEPRECATED: dict[str, tuple[str, Callable[[Registry], object]]] = {
    "TASKS": ("supervision.tasks.procedure", lambda reg: declared.tasks(reg)[0].procedure),
    "CASES": ("supervision.cases.procedure", lambda reg: declared.cases(reg)[0].procedure),
    "REPORTS": ("reporting.procedure", lambda reg: declared.reporting(reg)[1].procedure),
    "OPEN_TASK_STATES": (
        "supervision.tasks.open_states",
        lambda reg: declared.tasks(reg)[0].open_states,
    ),
}


def __getattr__(name: str) -> object:
    """The names in ``_DEPRECATED``, read from the built-in pack with a DeprecationWarning."""
    if name not in _DEPRECATED:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    declaration, read = _DEPRECATED[name]
    return declared.deprecated(f"{__name__}.{name}", declaration, read)

"""Questions a secretary's office asks (督查), answered through the facts index and the (procedure, state) index,
so that they read the instances they return and not the 100,000 others: overdue tasks by member or department, a
member's business and public targets with progress, open accountability cases. Time comes from the engine's clock.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

from collegium._brief import brief
from collegium.engine import targets as tg
from collegium.engine.clock import format_time
from collegium.errors import InvalidInput

if TYPE_CHECKING:
    from collegium.engine.engine import Engine
    from collegium.engine.outcomes import Instance

TASKS = "assignment"
CASES = "accountability"
REPORTS = "report"
#: task states in which work is still due: a task past its deadline in one of them is overdue even before the
#: engine's sweep has reviewed it
OPEN_TASK_STATES = ("drafting", "in_progress")


def overdue_tasks(engine: Engine, by: Literal["lead_member", "departments"] = "lead_member",
                  at: dt.datetime | None = None) -> dict[str, list[Instance]]:
    """Tasks overdue at ``at`` (default: now), grouped by lead member or by responsible department: those the
    sweep found overdue, and open ones whose deadline has passed. A task with two departments is under both."""
    if by not in ("lead_member", "departments"):
        raise InvalidInput("overdue tasks are grouped by lead_member or departments, "
                           f"not {brief(by)}")
    now = format_time(at or engine.clock.now())
    found = {i.id: i for i in engine.find(TASKS, ("overdue",))}
    found.update((i.id, i) for i in engine.find(TASKS, OPEN_TASK_STATES, before=("deadline", now))
                 if not tg.met(i.facts.get("targets") or {}))  # reached in time: its review will complete it
    groups: dict[str, list[Instance]] = {}
    for inst in sorted(found.values(), key=lambda i: (str(i.facts.get("deadline")), i.id)):
        value = inst.facts.get(by)
        for key in value if isinstance(value, list) else [value]:
            groups.setdefault(str(key), []).append(inst)
    return dict(sorted(groups.items()))


@dataclass(frozen=True, slots=True)
class TargetView:
    """One measurable target of a member's task, with how far it has come (a whole percent, derived)."""

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
    for inst in engine.find(TASKS, lead_member=member):
        for metric, t in sorted((inst.facts.get("targets") or {}).items()):
            view = TargetView(inst.id, str(inst.facts.get("title")), inst.state, str(inst.facts.get("deadline")),
                              metric, str(t["kind"]), str(t["unit"]), str(t["baseline"]), str(t["target"]),
                              t.get("measured"), int(tg.share(t) * 100))
            out.setdefault(view.kind, []).append(view)
    return out


def open_cases(engine: Engine, member: str | None = None) -> list[Instance]:
    """Accountability cases not yet closed or dismissed (of one member, if given), oldest first."""
    spec = engine.registry.procedure(CASES)
    states = tuple(name for name, state in spec.states.items() if not state.terminal)
    if member is None:
        return engine.find(CASES, states)
    return engine.find(CASES, states, lead_member=member)


def reports_due(engine: Engine, within: dt.timedelta = dt.timedelta(days=30), body: str | None = None,
                at: dt.datetime | None = None) -> list[Instance]:
    """Reports still to be submitted whose deadline falls in the next ``within`` (default 30 days) from ``at``
    (default: now), soonest first; of one body's hearing, if given."""
    if within < dt.timedelta(0):
        raise InvalidInput("the window of reports due must not be negative")
    start = at or engine.clock.now()
    now, until = format_time(start), format_time(start + within)
    found = engine.find(REPORTS, ("due",), before=("due", until), **({"body": body} if body else {}))
    return sorted((i for i in found if str(i.facts.get("due")) >= now),
                  key=lambda i: (str(i.facts.get("due")), i.id))

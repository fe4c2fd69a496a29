"""The typed record of a report: what :func:`~collegium.htmlreport.gather.report_data` reads from an
engine and :func:`~collegium.htmlreport.page.render_report` draws. Plain values only (texts already
in the report's language, times as the store keeps them, ISO 8601 in UTC), so a record can be built
by hand, compared in a test, or drawn again in another form."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collegium.scenario import StepReport

__all__ = [
    "AuditStatus",
    "BallotChart",
    "Edge",
    "Graph",
    "InstanceReport",
    "Node",
    "Refusal",
    "RefusedRule",
    "ReportData",
    "Step",
    "Task",
]


@dataclass(frozen=True, slots=True, kw_only=True)
class Node:
    """A state of the procedure: its id, label, and whether it ends the procedure."""

    id: str
    label: str
    terminal: bool = False


@dataclass(frozen=True, slots=True, kw_only=True)
class Edge:
    """A transition from one state to another by a trigger: its label and the rules that guard or
    choose it (a rule that chooses ends in ``?``)."""

    source: str
    dest: str
    trigger: str
    label: str
    rules: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True, kw_only=True)
class Graph:
    """A procedure's states and transitions, the initial state first."""

    procedure: str
    title: str
    initial: str
    nodes: tuple[Node, ...]
    edges: tuple[Edge, ...]


@dataclass(frozen=True, slots=True, kw_only=True)
class Step:
    """One event of an instance's history: when, by whom, which trigger, from which state to
    which (``source`` is None for the event that started the instance)."""

    seq: int
    at: str
    actor: str
    trigger: str
    trigger_label: str
    source: str | None
    source_label: str | None
    dest: str
    dest_label: str


@dataclass(frozen=True, slots=True, kw_only=True)
class RefusedRule:
    """A rule that refused a step, its texts in the report's language."""

    rule: str
    title: str
    message: str
    citation: str


@dataclass(frozen=True, slots=True, kw_only=True)
class Refusal:
    """A step the rules refused (it wrote no event): when, by whom, on which instance, which
    trigger, and each rule that refused it."""

    at: str
    actor: str
    instance: str | None
    trigger: str | None
    rules: tuple[RefusedRule, ...]

    @classmethod
    def of_step(cls, step: StepReport) -> Refusal | None:
        """The refusal a scenario's step report records (``collegium.scenario.run``, its texts
        in the language the scenario ran in); None for a step that was not refused."""
        if step.outcome != "refused":
            return None
        return cls(
            at=step.at,
            actor=step.actor or "",
            instance=step.instance,
            trigger=step.trigger,
            rules=tuple(
                RefusedRule(
                    rule=str(r.get("rule", "")),
                    title=str(r.get("title", "")),
                    message=str(r.get("message", "")),
                    citation=str(r.get("citation", "")),
                )
                for r in step.rules
            ),
        )


@dataclass(frozen=True, slots=True, kw_only=True)
class BallotChart:
    """The totals of one ballot (or of one item of a list voted item by item) as its close recorded
    them: the count for each option in order, who should attend (``n``) and who was present, the
    presence a quorum rule needed and the agree votes the threshold needed (None when not
    recorded). Totals only: no voter's choice."""

    title: str
    method: str
    secret: bool
    counts: tuple[tuple[str, int], ...]
    n: int | None
    present: int | None
    quorum: int | None
    quorum_rule: str | None
    threshold: int | None
    passed: bool | None
    closed_at: str | None


@dataclass(frozen=True, slots=True, kw_only=True)
class Task:
    """A child instance the matter started (a task, a briefing, a case): from when it started to
    its last step (or to the report's time while it is open), and its deadline if it has one."""

    id: str
    procedure: str
    title: str
    state: str
    state_label: str
    terminal: bool
    started: str
    ended: str | None
    deadline: str | None


@dataclass(frozen=True, slots=True, kw_only=True)
class InstanceReport:
    """Everything the report shows of one instance."""

    id: str
    title: str
    state: str
    state_label: str
    graph: Graph
    steps: tuple[Step, ...]
    ballots: tuple[BallotChart, ...]
    tasks: tuple[Task, ...]
    refusals: tuple[Refusal, ...]

    @property
    def taken(self) -> frozenset[tuple[str, str, str]]:
        """(source, trigger, destination) of every transition the history went through."""
        return frozenset((s.source, s.trigger, s.dest) for s in self.steps if s.source is not None)


@dataclass(frozen=True, slots=True, kw_only=True)
class AuditStatus:
    """Whether every hash chain verified, with the counts, or the first problem found."""

    ok: bool
    instances: int
    events: int
    problem: str | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class ReportData:
    """A whole report: its title and language, the time it was drawn at on the engine's clock, each
    instance, the audit status, and whether refusals are known (a scenario's run knows them; a
    database does not store them)."""

    title: str
    lang: str
    now: str
    instances: tuple[InstanceReport, ...]
    audit: AuditStatus
    refusals_known: bool

"""What a rule pack tells the engine about its organisation: which procedures the supervision
queries read and which reports its calendar schedules.

The engine names no procedure, state, role or time zone of its own. A pack declares them:

- ``supervision``: the procedure of its tasks (with the states in which work is still due and the
  states of an overdue task), of its accountability cases and of its annual commitments (with the
  outcome each state stands for), read by :mod:`collegium.engine.queries` and
  :mod:`collegium.engine.commitments`;
- ``reporting``: its reporting calendar, read by :mod:`collegium.engine.calendar`: the procedure a
  report runs under, the states of a report still to be submitted, the kinds of body that report
  and are reported to, the role that chairs the standing body, the time of day a report is due
  (with its UTC offset) and the kinds of report, each with its labels and interval in months.

A value written ``$name`` is read from the pack parameter ``name`` (as a rule's ``ratio`` or
``duration`` is). That the named states exist is checked when a procedure is compiled against the
pack (:func:`check_declarations`).
"""

from __future__ import annotations

from typing import Annotated

from pydantic import Field

from collegium._i18n import Text
from collegium.definitions import Identifier
from collegium.definitions import Spec as _Spec

__all__ = [
    "CaseQueue",
    "CommitmentQueue",
    "Outcome",
    "ReportKind",
    "Reporting",
    "Supervision",
    "TaskQueue",
]

ParameterRef = Annotated[str, Field(pattern=r"^\$[a-z][a-z0-9_]*$", max_length=65)]


class TaskQueue(_Spec):
    """The procedure of the pack's tasks (督办事项), for the overdue and target queries."""

    procedure: Identifier
    #: states in which work is still due: past its deadline, a task in one of them is overdue
    #: before the engine's sweep has reviewed it
    open_states: tuple[Identifier, ...] = Field(min_length=1)
    #: states of a task found overdue
    overdue_states: tuple[Identifier, ...] = Field(min_length=1)


class CaseQueue(_Spec):
    """The procedure of the pack's accountability cases: a case is open in any state that is not
    terminal."""

    procedure: Identifier


class Outcome(_Spec):
    """What a commitment in one state comes to: its outcome and whether it was published."""

    outcome: Identifier
    published: bool = False


class CommitmentQueue(_Spec):
    """The procedure of the pack's annual commitments, the outcome each of its states stands for and
    the outcomes' labels. A state not listed is its own outcome, unpublished."""

    procedure: Identifier
    states: dict[Identifier, Outcome] = Field(default_factory=dict)
    outcomes: dict[Identifier, Text] = Field(default_factory=dict)


class Supervision(_Spec):
    """The procedures the supervision queries (督查) read. Each is optional: a query whose procedure
    the pack does not declare is refused with a message naming the declaration."""

    tasks: TaskQueue | None = None
    cases: CaseQueue | None = None
    commitments: CommitmentQueue | None = None


class ReportKind(_Spec):
    """One kind of periodic report: its labels, its interval and who owes it."""

    label: Text
    #: months between reports (dividing 12), or $parameter
    every: int | ParameterRef
    #: false: the chair hears this kind and owes none
    chair_reports: bool = True
    #: scheduled with a plenary body, the standing body owes this kind to it too (delivered by its
    #: chair)
    to_plenary: bool = False


class Reporting(_Spec):
    """The pack's reporting calendar (报告工作制度); its kinds are scheduled in the order
    written."""

    procedure: Identifier
    #: states of a report still to be submitted
    open_states: tuple[Identifier, ...] = Field(min_length=1)
    #: the kind of body whose members report (a standing committee)
    body_kind: str = Field(min_length=1, max_length=64)
    #: the kind of body the standing body reports to, when a plenary is named
    plenary_kind: str = Field(min_length=1, max_length=64)
    #: the role that chairs a body: it hears the reports and delivers the body's own
    chair: str = Field(min_length=1)
    #: time of day a report is due on the last day of its period, with its UTC offset, or $parameter
    due_time: str
    kinds: dict[Identifier, ReportKind] = Field(min_length=1)


def references(reporting: Reporting) -> list[tuple[str, str]]:
    """The ``(where, parameter)`` pairs of the ``$parameter`` values of ``reporting``."""
    pairs: list[tuple[str, int | str]] = [("reporting.due_time", reporting.due_time)]
    pairs += [(f"reporting.kinds.{k}.every", kind.every) for k, kind in reporting.kinds.items()]
    return [
        (where, value[1:])
        for where, value in pairs
        if isinstance(value, str) and value.startswith("$")
    ]


def declared_states(
    supervision: Supervision | None, reporting: Reporting | None, procedure: str
) -> list[tuple[str, str]]:
    """The ``(where, state)`` pairs the declarations name for ``procedure``."""
    out: list[tuple[str, str]] = []
    tasks = supervision.tasks if supervision is not None else None
    if tasks is not None and tasks.procedure == procedure:
        out += [("supervision.tasks.open_states", s) for s in tasks.open_states]
        out += [("supervision.tasks.overdue_states", s) for s in tasks.overdue_states]
    commitments = supervision.commitments if supervision is not None else None
    if commitments is not None and commitments.procedure == procedure:
        out += [("supervision.commitments.states", s) for s in commitments.states]
    if reporting is not None and reporting.procedure == procedure:
        out += [("reporting.open_states", s) for s in reporting.open_states]
    return out

"""Annual public commitments (年初承诺、年终兑现、向群众公示, source §V.2): a body's commitments of
one year, each with where it stands and its outcome — what the year-end publication to the public
shows.

A read-only query over the instances of the commitment procedure the rule pack declares
(``supervision.commitments``, with the outcome each state stands for and the outcomes' labels): no
wall clock (an instance's outcome is its state, which the engine's own year-end review sets at the
due date), no global state.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from collegium._brief import brief
from collegium._catalog import Message
from collegium._i18n import Text
from collegium.engine import declared, targets
from collegium.errors import InvalidInput, NotFound

if TYPE_CHECKING:
    from collegium.engine.engine import Engine, Instance
    from collegium.rules.organisation import CommitmentQueue

__all__ = ["Commitment", "commitments"]


@dataclass(frozen=True, slots=True)
class Commitment:
    """One commitment of a year: where it stands, its outcome, and the accountability cases it
    opened."""

    id: str
    title: str
    lead_member: str | None
    year: int
    state: str
    state_label: Text
    outcome: str
    published: bool
    result: str | None
    progress: int | None  # % of the way to its targets; None without targets
    promise_by: str | None
    due: str | None
    cases: tuple[str, ...]
    #: the outcome's labels, as the rule pack declares them (``None``: the outcome is its own label)
    outcome_text: Text | None = field(default=None, compare=False)

    def outcome_label(self, lang: str) -> str:
        """The outcome in ``lang`` (``en`` or ``zh-CN``): delivered, not delivered, in progress …"""
        return self.outcome_text.get(lang) if self.outcome_text is not None else self.outcome

    def to_dict(self, lang: str = "en") -> dict[str, Any]:
        """The commitment as plain JSON data (an entry of ``collegium commitments list --json``),
        labels in ``lang``."""
        return {
            "id": self.id,
            "title": self.title,
            "lead_member": self.lead_member,
            "year": self.year,
            "state": self.state,
            "state_label": self.state_label.get(lang),
            "outcome": self.outcome,
            "outcome_label": self.outcome_label(lang),
            "published": self.published,
            "result": self.result,
            "progress": self.progress,
            "promise_by": self.promise_by,
            "due": self.due,
            "cases": list(self.cases),
        }


def commitments(engine: Engine, body: str, year: int) -> list[Commitment]:
    """The commitments ``body`` made for ``year``, oldest first; :class:`NotFound` for an unknown
    body."""
    if isinstance(year, bool) or not isinstance(year, int) or not 1 <= year <= 9999:
        raise InvalidInput(
            Message("year must be a year such as 2026, not {year}", year=brief(year))
        )
    engine.body(body)  # NotFound for a body that is not defined
    return [
        _view(engine, queue, inst)
        for queue in declared.commitments(engine.registry)
        for inst in engine.instances(queue.procedure)
        if inst.facts.get("body") == body and inst.facts.get("year") == year
    ]


def _view(engine: Engine, queue: CommitmentQueue, inst: Instance) -> Commitment:
    facts: Mapping[str, Any] = inst.facts
    stands = queue.states.get(inst.state)
    outcome, published = (
        (inst.state, False) if stands is None else (stands.outcome, stands.published)
    )
    goals = facts.get("targets") or {}
    return Commitment(
        id=inst.id,
        title=str(facts.get("title") or ""),
        lead_member=facts.get("lead_member"),
        year=int(facts["year"]),
        state=inst.state,
        state_label=_state_label(engine, inst),
        outcome=outcome,
        published=published,
        result=facts.get("result"),
        progress=targets.progress(goals) if goals else None,
        promise_by=facts.get("promise_by"),
        due=facts.get("due"),
        cases=tuple(facts.get("children") or ()),
        outcome_text=queue.outcomes.get(outcome),
    )


def _state_label(engine: Engine, inst: Instance) -> Text:
    try:
        state = engine.registry.procedure(inst.procedure, inst.procedure_version).states.get(
            inst.state
        )
    except NotFound:
        state = None
    return state.label if state is not None else Text(en=inst.state, zh=inst.state)


def __getattr__(name: str) -> Any:
    """``OUTCOMES``, deprecated: the outcomes' labels are the rule pack's."""
    if name != "OUTCOMES":
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return declared.deprecated(
        f"{__name__}.OUTCOMES",
        "supervision.commitments.outcomes",
        lambda reg: dict(declared.commitments(reg)[0].outcomes),
    )

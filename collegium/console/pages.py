"""What each page of the console shows, gathered from the public API as typed records: a page of
instances (read through ``Engine.scan`` past a keyset, never the whole table), an instance (its
timeline, each step's verdict, its facts, the path it took, its children, its ballot), the overdue
tasks and open cases, the audit. Reading only: nothing here writes.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from itertools import islice
from typing import TYPE_CHECKING, Any

from collegium import NotFound, RuleResult, open_cases, overdue_tasks, stored_results
from collegium._facts_shown import Node, node
from collegium._words import word
from collegium.console.ballot import BallotView, ballot_view
from collegium.console.diagram import instance_svg
from collegium.console.values import TimeFace

if TYPE_CHECKING:
    from collegium import Engine, EventRecord, Instance, ProcedureSpec, Registry

__all__ = ["InstancePage", "Listing", "instance_page", "listing", "supervision"]

#: instances on a page of the list
PAGE = 50


@dataclass(frozen=True, slots=True, kw_only=True)
class Row:
    """An instance in a list: where it stands, and when it last moved."""

    id: str
    procedure: str
    state: str
    state_label: str
    updated: str
    title: str


@dataclass(frozen=True, slots=True, kw_only=True)
class Listing:
    """A page of instances, of ``procedure`` and in ``state`` when given; ``next`` is the keyset
    (procedure, state, id) of its last row when more follow."""

    rows: tuple[Row, ...]
    procedure: str | None
    state: str | None
    procedures: tuple[tuple[str, str], ...]
    states: tuple[tuple[str, str], ...]
    first: bool
    next: tuple[str, str, str] | None


class Labels:
    """State labels of instances, each procedure version read once per page."""

    def __init__(self, registry: Registry, lang: str) -> None:
        self.registry, self.lang = registry, lang
        self._specs: dict[tuple[str, int], ProcedureSpec | None] = {}

    def spec(self, inst: Instance) -> ProcedureSpec | None:
        key = (inst.procedure, inst.procedure_version)
        if key not in self._specs:
            try:
                self._specs[key] = self.registry.procedure(*key)
            except NotFound:  # a version no file loads, and the store keeps no text of
                self._specs[key] = None
        return self._specs[key]

    def state(self, inst: Instance, state: str | None = None) -> str:
        state = state or inst.state
        spec = self.spec(inst)
        found = spec.states.get(state) if spec is not None else None
        return found.label.get(self.lang) if found is not None else state


def row(i: Instance, labels: Labels, face: TimeFace) -> Row:
    """``i`` as a row of a list."""
    return Row(
        id=i.id,
        procedure=i.procedure,
        state=i.state,
        state_label=labels.state(i),
        updated=face.cell(i.updated_at) or i.updated_at,
        title=str(i.facts.get("title") or ""),
    )


def listing(
    engine: Engine,
    *,
    procedure: str | None,
    state: str | None,
    after: tuple[str, str, str] | None,
    lang: str,
    face: TimeFace,
    size: int = PAGE,
) -> Listing:
    """A page of ``size`` instances past ``after``: one keyset read of ``size + 1`` rows (the one
    more says whether a next page exists)."""
    found = list(islice(engine.scan(procedure, state, batch=size + 1, after=after), size + 1))
    page, more = found[:size], len(found) > size
    labels = Labels(engine.registry, lang)
    rows = tuple(row(i, labels, face) for i in page)
    specs = engine.registry.procedures()
    newest = {s.id: s for s in sorted(specs, key=lambda s: s.version)}
    states: dict[str, str] = {}
    for spec in sorted(specs, key=lambda s: -s.version):  # the newest label of each state
        if procedure is None or spec.id == procedure:
            for name, st in spec.states.items():
                states.setdefault(name, st.label.get(lang))
    last = page[-1] if page else None
    return Listing(
        rows=rows,
        procedure=procedure,
        state=state,
        procedures=tuple((p, newest[p].title.get(lang)) for p in sorted(newest)),
        states=tuple(sorted(states.items())),
        first=after is None,
        next=(last.procedure, last.state, last.id) if more and last is not None else None,
    )


@dataclass(frozen=True, slots=True, kw_only=True)
class RuleView:
    """A rule judged at a step: its outcome in words (and a CSS class for it), title, message and
    citation, in the page's language."""

    rule: str
    status: str
    css: str
    title: str
    message: str
    citation: str


@dataclass(frozen=True, slots=True, kw_only=True)
class Step:
    """One event of the timeline."""

    seq: int
    at: str
    actor: str
    trigger: str
    source: str
    dest: str
    data: Node | None
    rules: tuple[RuleView, ...]


@dataclass(frozen=True, slots=True, kw_only=True)
class Visit:
    """A state on the path the instance took; ``current`` for where it stands now."""

    state: str
    label: str
    current: bool


@dataclass(frozen=True, slots=True, kw_only=True)
class InstancePage:
    """Everything the instance page shows."""

    id: str
    title: str
    procedure: str
    procedure_title: str
    procedure_version: int
    pack: str
    state: str
    state_label: str
    events: int
    created: str
    updated: str
    parent: str | None
    facts: tuple[tuple[str, str, Node], ...]
    steps: tuple[Step, ...]
    path: tuple[Visit, ...]
    #: the procedure's diagram (inline SVG, drawn and escaped by Collegium), its path and state
    #: marked; None when the version the instance runs under is not known
    diagram: str | None
    children: tuple[Row, ...]
    ballot: BallotView | None


def _status(r: RuleResult, lang: str) -> tuple[str, str]:
    if not r.applicable:
        return word("n/a", lang), "na"
    if r.severity == "branch":
        return f"{word('branch', lang)} {'✓' if r.passed else '✗'}", "branch"
    if r.passed:
        return word("passed", lang), "passed"
    if r.severity == "warn":
        return word("warning", lang), "warning"
    return word("failed", lang), "failed"


def rules(registry: Registry, inst: Instance, stored: Iterable[Any], lang: str) -> list[RuleView]:
    """The rules an event's stored verdict judged, with titles and citations from the rule pack
    the instance runs under (the rule's id where the pack is not known), as
    :func:`collegium.stored_results` reads them back for the command line too."""
    out = []
    for r in stored_results(registry, inst, stored):
        status, css = _status(r, lang)
        out.append(
            RuleView(
                rule=r.rule_id,
                status=status,
                css=css,
                title=r.title.get(lang),
                message=r.message(lang),
                citation=r.cited(lang),
            )
        )
    return out


def _path(events: list[EventRecord], labels: Labels, inst: Instance) -> tuple[Visit, ...]:
    states: list[str] = []
    for e in events:
        if not states or states[-1] != e.dest:
            states.append(e.dest)
    return tuple(
        Visit(state=s, label=labels.state(inst, s), current=i == len(states) - 1)
        for i, s in enumerate(states)
    )


def instance_page(engine: Engine, instance_id: str, lang: str, face: TimeFace) -> InstancePage:
    """The instance ``instance_id``; :class:`NotFound` when there is none."""
    inst = engine.get(instance_id)
    events = engine.history(instance_id)
    labels = Labels(engine.registry, lang)
    spec = labels.spec(inst)
    named = {k: f.label.get(lang) for k, f in spec.facts.items() if f.label} if spec else {}
    steps = tuple(
        Step(
            seq=e.seq,
            at=face.cell(e.at) or e.at,
            actor=e.actor,
            trigger=e.trigger,
            source=labels.state(inst, e.source) if e.source else "",
            dest=labels.state(inst, e.dest),
            data=node(e.data, lang, face) if e.data else None,
            rules=tuple(rules(engine.registry, inst, e.verdict, lang)),
        )
        for e in events
    )
    started = dict.fromkeys(c for e in events for c in e.effects.get("started") or ())
    children = []
    for child_id in started:
        try:
            child = engine.get(child_id)
        except NotFound:
            continue
        children.append(row(child, labels, face))
    return InstancePage(
        id=inst.id,
        title=str(inst.facts.get("title") or ""),
        procedure=inst.procedure,
        procedure_title=spec.title.get(lang) if spec is not None else inst.procedure,
        procedure_version=inst.procedure_version,
        pack=f"{inst.pack}@{inst.pack_version}",
        state=inst.state,
        state_label=labels.state(inst),
        events=inst.event_count,
        created=face.cell(inst.created_at) or inst.created_at,
        updated=face.cell(inst.updated_at) or inst.updated_at,
        parent=inst.parent_id,
        facts=tuple(
            (
                name,
                named.get(name, ""),
                node(value, lang, face, name),
            )
            for name, value in sorted(inst.facts.items())
        ),
        steps=steps,
        path=_path(events, labels, inst),
        diagram=instance_svg(engine.registry, inst, events, lang),
        children=tuple(children),
        ballot=ballot_view(engine, instance_id, lang, face),
    )


@dataclass(frozen=True, slots=True, kw_only=True)
class Supervision:
    """Overdue tasks (by lead member) and open accountability cases, as the secretary's office's
    ``tasks overdue`` and ``cases open`` list them: (lead member, task, deadline) and (case,
    finding, member)."""

    overdue: tuple[tuple[str, Row, str], ...]
    cases: tuple[tuple[Row, str, str], ...]


def supervision(engine: Engine, lang: str, face: TimeFace) -> Supervision:
    """The tasks overdue now (by the engine's clock) and the cases not yet closed."""
    labels = Labels(engine.registry, lang)
    overdue = tuple(
        (
            lead,
            row(i, labels, face),
            face.cell(i.facts.get("deadline")) or str(i.facts.get("deadline") or ""),
        )
        for lead, group in overdue_tasks(engine).items()
        for i in group
    )
    cases = tuple(
        (
            row(c, labels, face),
            str(c.facts.get("finding_kind") or ""),
            str(c.facts.get("lead_member") or ""),
        )
        for c in open_cases(engine)
    )
    return Supervision(overdue=overdue, cases=cases)

"""Reading a report's record from an engine: each instance's history, its procedure's graph (the
version it runs under), its ballots as their closes recorded them, the children it started, and the
audit. Nothing is written; a secret ballot's record holds totals only, and no vote's data is read.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

from collegium import diagram
from collegium._words import word, word_or
from collegium.engine.clock import format_time
from collegium.htmlreport.records import (
    AuditStatus,
    BallotChart,
    Edge,
    Graph,
    InstanceReport,
    Node,
    Refusal,
    ReportData,
    Step,
    Task,
)

if TYPE_CHECKING:
    from collegium.engine.compiled import CompiledProcedure
    from collegium.engine.engine import Engine
    from collegium.engine.outcomes import Instance
    from collegium.store.records import EventRecord

__all__ = ["procedure_graph", "report_data"]


def report_data(
    engine: Engine,
    instance_ids: str | Sequence[str],
    *,
    lang: str = "en",
    title: str | None = None,
    refusals: Iterable[Refusal] | None = None,
) -> ReportData:
    """The record of a report on ``instance_ids`` (one id, or several in the order shown), its texts
    in ``lang``. ``refusals`` are the refused steps known to the caller (a scenario's run, see
    :meth:`~collegium.htmlreport.records.Refusal.of_step`); None says they are not known (a
    database does not store them). :class:`~collegium.errors.NotFound` for an instance that is not
    there."""
    ids = [instance_ids] if isinstance(instance_ids, str) else list(instance_ids)
    lang = "zh-CN" if lang.startswith("zh") else "en"
    refused = list(refusals) if refusals is not None else None
    reports = tuple(
        _instance(
            engine,
            engine.get(iid),
            lang,
            tuple(r for r in refused or () if r.instance == iid),
        )
        for iid in ids
    )
    audit = engine.verify_audit()
    return ReportData(
        title=title or (reports[0].title if len(reports) == 1 else ", ".join(ids)),
        lang=lang,
        now=format_time(engine.clock.now()),
        instances=reports,
        audit=AuditStatus(
            ok=audit.ok,
            instances=audit.instances,
            events=audit.events,
            problem=None if audit.problem is None else audit.problem.message(lang),
        ),
        refusals_known=refused is not None,
    )


def _instance(
    engine: Engine, inst: Instance, lang: str, refusals: tuple[Refusal, ...]
) -> InstanceReport:
    proc = engine.registry.compiled(inst.procedure, inst.procedure_version, inst.pack_version)
    graph = procedure_graph(proc, lang)
    labels = {node.id: node.label for node in graph.nodes}
    history = engine.history(inst.id)
    steps = tuple(
        Step(
            seq=e.seq,
            at=e.at,
            actor=e.actor,
            trigger=e.trigger,
            trigger_label=_trigger_label(proc, e.trigger, lang),
            source=e.source,
            source_label=labels.get(e.source, e.source) if e.source is not None else None,
            dest=e.dest,
            dest_label=labels.get(e.dest, e.dest),
        )
        for e in history
    )
    subject = inst.facts.get("title")
    return InstanceReport(
        id=inst.id,
        title=f"{graph.title}: {subject}" if isinstance(subject, str) and subject else graph.title,
        state=inst.state,
        state_label=labels.get(inst.state, inst.state),
        graph=graph,
        steps=steps,
        ballots=_ballots(history, inst.facts, lang),
        tasks=_tasks(engine, history, lang),
        refusals=refusals,
    )


def procedure_graph(proc: CompiledProcedure, lang: str) -> Graph:
    """The procedure's states and transitions, its texts in ``lang``; each edge's label and rules as
    :func:`collegium.diagram.edges` gives them, beside the trigger it is fired by. What the report
    and the console's instance page draw (:func:`~collegium.htmlreport.diagram_svg.diagram_svg`)."""
    spec = proc.spec
    pairs = [(t.trigger, src) for t in spec.transitions for src in t.source]
    edges = tuple(
        Edge(source=src, dest=dest, trigger=trigger, label=label, rules=tuple(rules))
        for (trigger, _), (src, dest, label, rules) in zip(
            pairs, diagram.edges(proc, lang), strict=True
        )
    )
    return Graph(
        procedure=spec.id,
        title=spec.title.get(lang),
        initial=spec.initial,
        nodes=tuple(
            Node(id=sid, label=st.label.get(lang), terminal=st.terminal)
            for sid, st in spec.states.items()
        ),
        edges=edges,
    )


def _trigger_label(proc: CompiledProcedure, trigger: str, lang: str) -> str:
    spec = proc.spec
    if trigger == spec.start.trigger and spec.start.label is not None:
        return spec.start.label.get(lang)
    found = next((t.label for t in spec.transitions if t.trigger == trigger and t.label), None)
    return found.get(lang) if found is not None else trigger


def _ballots(
    history: Sequence[EventRecord], facts: Mapping[str, Any], lang: str
) -> tuple[BallotChart, ...]:
    """Each ballot the history closed, from the tally its closing event recorded (a hash-chained
    record, totals only), item by item for a list."""
    charts: list[BallotChart] = []
    for e in history:
        tally = e.effects.get("tally") if isinstance(e.effects, dict) else None
        if isinstance(tally, dict) and "passed" in tally:
            charts.extend(_charts(tally, lang, _options(facts, tally)))
    return tuple(charts)


def _options(facts: Mapping[str, Any], tally: Mapping[str, Any]) -> list[str]:
    ballot = facts.get("ballot") or {}
    known = [str(o) for o in ballot.get("options") or ()]
    counted = {k for k, v in tally.items() if isinstance(v, int) and not isinstance(v, bool)}
    counted -= {"n", "present", "needed", "returned"}
    return known + sorted(counted - set(known))


def _charts(tally: Mapping[str, Any], lang: str, options: list[str]) -> list[BallotChart]:
    method = str(tally.get("method") or "")
    secret = method.startswith("secret")
    quorum = next(iter(tally.get("quorum") or ()), None)
    shown = word_or(f"method.{method}", lang, method)
    common: dict[str, Any] = {
        "method": method,
        "secret": secret,
        "n": _int(tally.get("n")),
        "present": _int(tally.get("present")),
        "quorum": _int(quorum.get("needed")) if isinstance(quorum, dict) else None,
        "quorum_rule": str(quorum.get("rule")) if isinstance(quorum, dict) else None,
        "closed_at": tally.get("closed_at"),
    }
    items = tally.get("items")
    if isinstance(items, dict) and items:
        return [
            BallotChart(
                title=f"{word('item', lang, item=item)} ({shown})",
                counts=_counts(result, options),
                threshold=_int(result.get("needed")),
                passed=bool(result.get("passed")),
                **common,
            )
            for item, result in items.items()
            if isinstance(result, dict)
        ]
    return [
        BallotChart(
            title=shown,
            counts=_counts(tally, options),
            threshold=_int(tally.get("needed")),
            passed=bool(tally.get("passed")),
            **common,
        )
    ]


def _counts(result: Mapping[str, Any], options: list[str]) -> tuple[tuple[str, int], ...]:
    return tuple((o, n) for o in options if (n := _int(result.get(o))) is not None)


def _int(value: Any) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def _tasks(engine: Engine, history: Sequence[EventRecord], lang: str) -> tuple[Task, ...]:
    """The children the history started, in the order they were started."""
    ids: dict[str, None] = {}
    for e in history:
        started = e.effects.get("started") if isinstance(e.effects, dict) else None
        ids.update(dict.fromkeys(str(c) for c in started or ()))
    tasks = []
    for cid in ids:
        child = engine.get(cid)
        spec = engine.registry.procedure(child.procedure, child.procedure_version)
        state = spec.states.get(child.state)
        terminal = state is not None and state.terminal
        title = child.facts.get("title") or child.facts.get("subject")
        deadline = child.facts.get("deadline")
        tasks.append(
            Task(
                id=child.id,
                procedure=spec.title.get(lang),
                title=str(title) if title else child.id,
                state=child.state,
                state_label=state.label.get(lang) if state is not None else child.state,
                terminal=terminal,
                started=child.created_at,
                ended=child.updated_at if terminal else None,
                deadline=deadline if isinstance(deadline, str) else None,
            )
        )
    return tuple(tasks)

"""Re-judge a recorded history under another rule pack: "what would last year's decisions look like
under the new rules?"

The history is run again, event by event in the order the store keeps them, on an in-memory shadow
store and under the definitions it was recorded with (:mod:`collegium.engine.shadow`). Every shadow
event must hash to the recorded one (the hash covers the step, its data, the verdict, the effects,
the resulting facts and the whole chain before it), so what is judged is the history itself, not an
approximation of it. (The stored order is the commit order, except that on PostgreSQL or MariaDB
two writers on different instances committing at the same moment may be stored the other way
round; where that changes what a step saw, the instance shows as not replayable.) Before each step
is applied again, the other pack judges it in the world as it stood at that moment: the instance's
facts, the body, the meeting's seats, the votes cast so far, the states of other instances. A step
whose blocking rules fail under that pack is one it would have refused; a step whose branch rules
now choose another destination would have ended elsewhere.

Two limits, reported rather than hidden: without the host's directory, bodies are read as they
stand now (a body whose members changed since a meeting opened makes that instance's replay
diverge, and it is named; with a :class:`~collegium.engine.governance.Directory` they are read as of
each step's time), and a secret ballot's choices are dealt back to its voters from the stored
counts (the counts, and so every result, are exact; who chose what was never kept).
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any

from collegium.engine import judging, running
from collegium.engine.clock import parse_time
from collegium.engine.engine import Engine
from collegium.engine.governance import Directory
from collegium.engine.registry import Registry
from collegium.engine.scheduler import REFUSED, REMIND
from collegium.engine.shadow import (
    RecordedIds,
    ReplayClock,
    ReplaySealer,
    SecretChoices,
    ShadowStore,
    apply_again,
    data_of,
    recording_registry,
)
from collegium.engine.step import move
from collegium.errors import CollegiumError, TransitionNotAllowed
from collegium.rules.verdict import RuleResult, Verdict
from collegium.store.protocol import Store
from collegium.store.records import EventRecord, InstanceRecord

__all__ = ["Rejudged", "ReplayReport", "rejudge"]


@dataclass(frozen=True, slots=True)
class Rejudged:
    """One recorded step that the other pack judges differently: refused, or ending in another
    state."""

    instance_id: str
    procedure: str
    seq: int
    at: str
    actor: str
    trigger: str
    source: str | None
    dest: str
    verdict: Verdict
    #: where the other pack's branch rules would have taken the step, when that is not where it went
    would_go: str | None = None
    #: the branch rules whose answer differs from the recorded one (why it would have gone
    #: elsewhere)
    turned: tuple[RuleResult, ...] = ()

    @property
    def refused(self) -> bool:
        """Whether the other pack refuses the step (else it sends it to another state)."""
        return not self.verdict.passed

    def to_dict(self, lang: str = "en") -> dict[str, Any]:
        """The step as plain JSON data, its texts in ``lang``."""
        return {
            "instance": self.instance_id,
            "procedure": self.procedure,
            "seq": self.seq,
            "at": self.at,
            "actor": self.actor,
            "trigger": self.trigger,
            "from": self.source,
            "to": self.dest,
            "refused": self.refused,
            "would_go": self.would_go,
            "rules": [r.to_dict(lang) for r in self.verdict.failures],
            "branch_rules": [r.to_dict(lang) for r in self.turned],
            "warnings": [r.to_dict(lang) for r in self.verdict.warnings],
        }


@dataclass(frozen=True, slots=True)
class ReplayReport:
    """The outcome of :func:`rejudge`: the steps judged differently, and any instance the replay
    could not follow."""

    pack: str
    recorded: tuple[str, ...]
    instances: int
    steps: int
    changed: tuple[Rejudged, ...]
    #: instance id -> why its replay stopped reproducing the record (its later steps are not judged)
    diverged: dict[str, str] = field(default_factory=dict)
    #: instances under other packs than the one re-judged: replayed, not judged
    other_packs: int = 0

    @property
    def refused(self) -> tuple[Rejudged, ...]:
        """The steps the other pack refuses."""
        return tuple(c for c in self.changed if c.refused)

    def to_dict(self, lang: str = "en") -> dict[str, Any]:
        """The report as plain JSON data (a history of ``collegium replay --json``), texts in
        ``lang``."""
        return {
            "pack": self.pack,
            "recorded": list(self.recorded),
            "instances": self.instances,
            "steps": self.steps,
            "refused": len(self.refused),
            "rerouted": sum(not c.refused for c in self.changed),
            "changed": [c.to_dict(lang) for c in self.changed],
            "diverged": self.diverged,
            "other_packs": self.other_packs,
        }


def rejudge(
    store: Store,
    pack_text: str,
    *,
    registry: Registry | None = None,
    source: str = "<pack>",
    directory: Directory | None = None,
) -> ReplayReport:
    """Run ``store``'s history again and judge each step of the instances recorded under the pack
    ``pack_text`` replaces (the pack of the same id) under that pack. ``registry`` holds what the
    history was recorded under (default: the built-in definitions); the texts the store kept for
    versions it lacks are added to it. With the host's ``directory`` the bodies are read as of each
    step's time (else as the store holds them now). Raises
    :class:`~collegium.errors.DefinitionError` when the pack does not load or the procedures do not
    compile with it.
    """
    records = list(store.iter_instances())
    recording = recording_registry(store, registry or Registry.builtin(), records)
    judge_registry, other = recording.with_pack(pack_text, source)
    # a procedure that names a rule the pack lacks fails here, up front
    for spec in judge_registry.procedures():
        if spec.rule_pack == other.id:
            judge_registry.compiled(spec.id, spec.version)
    shadow, clock, ids = ShadowStore(store), ReplayClock(), RecordedIds()
    sealer = ReplaySealer()
    replayer = Engine(
        shadow,
        clock=clock,
        ids=ids,
        registry=recording,
        max_retries=0,
        directory=directory,
        sealer=sealer,
    )
    judge = Engine(shadow, clock=clock, ids=ids, registry=judge_registry, directory=directory)
    by_id = {r.id: r for r in records}
    pools = SecretChoices(store)
    changed: list[Rejudged] = []
    diverged: dict[str, str] = {}
    steps = 0
    for event in store.iter_events():
        rec = by_id.get(event.instance_id)
        if rec is None or event.instance_id in diverged:
            continue
        if rec.parent_id in diverged:
            diverged[rec.id] = f"its parent {rec.parent_id} diverged"
            continue
        clock.at = parse_time(event.at)
        # a reminder, or the record of a refused timer, decides nothing: nothing to judge
        judged = rec.pack == other.id and event.trigger not in (REMIND, REFUSED)
        doing = "replayed"
        try:
            data = data_of(event, shadow, pools)
            sealer.expect(event)
            doing = "judged under the other pack"
            found = _judge(judge, event, rec, data) if judged else None
            doing = "replayed"
            problem = apply_again(replayer, shadow, ids, event, rec, data)
        except (CollegiumError, LookupError, ValueError) as exc:
            problem = f"step {event.seq} ({event.trigger}) could not be {doing}: {exc}"
        # the world it was judged in is not the recorded one: the judgement is void
        if problem is not None:
            diverged[rec.id] = problem
        elif judged:
            steps += 1
            if found is not None:
                changed.append(found)
    return ReplayReport(
        other.key,
        tuple(sorted({f"{r.pack}@{r.pack_version}" for r in records if r.pack == other.id})),
        sum(r.pack == other.id for r in records),
        steps,
        tuple(changed),
        diverged,
        sum(r.pack != other.id for r in records),
    )


def _judge(
    judge: Engine, event: EventRecord, rec: InstanceRecord, data: dict[str, Any]
) -> Rejudged | None:
    now = parse_time(event.at)
    with judge.store.unit(write=False) as unit:
        if event.seq == 1:
            proc = judge.registry.compiled(rec.procedure, rec.procedure_version)
            plan = proc.start_plan
            ctx = judging.context(
                proc,
                instance_id=rec.id,
                state="",
                trigger=plan.trigger,
                actor=event.actor,
                facts=data,
                now=now,
                unit=unit,
                directory=judge.directory,
                supplied=data,
            )
            verdict, dest = judging.evaluate(plan, ctx), event.dest
        else:
            before = unit.load(rec.id)  # judged under the other pack, whatever version it ran under
            before = replace(before, pack_version=judge.registry.pack(before.pack).version)
            step = running.prepare(judge, unit, before, event.trigger, event.actor, data, now)
            verdict = step.verdict
            try:
                move(step)
                dest = step.dest
            except TransitionNotAllowed:
                dest = event.dest
    if verdict.passed and dest == event.dest and not verdict.warnings:
        return None
    if (
        verdict.passed
        and dest == event.dest
        and all(_warned(event, w.rule_id) for w in verdict.warnings)
    ):
        return None  # the same warnings as when it happened: nothing new to say
    was = {key: passed for key, passed, _row in _branches(event.verdict)}
    turned = (
        [row for key, passed, row in _branches(verdict.results) if was.get(key) != passed]
        if dest != event.dest
        else []
    )
    return Rejudged(
        rec.id,
        rec.procedure,
        event.seq,
        event.at,
        event.actor,
        event.trigger,
        event.source,
        event.dest,
        verdict,
        None if dest == event.dest else dest,
        tuple(turned),
    )


def _branches(rows: Any) -> list[tuple[tuple[str, int], bool, Any]]:
    """Branch results keyed by (rule, n-th time judged): a list voted item by item judges a rule
    once per item."""
    seen: dict[str, int] = {}
    out = []
    for row in rows:
        rule_id, passed, severity = (
            (row.rule_id, row.passed, row.severity)
            if isinstance(row, RuleResult)
            else (row[0], row[1], row[3])
        )
        if severity == "branch":
            seen[rule_id] = seen.get(rule_id, -1) + 1
            out.append(((rule_id, seen[rule_id]), passed, row))
    return out


def _warned(event: EventRecord, rule_id: str) -> bool:
    return any(row[0] == rule_id and not row[1] for row in event.verdict)

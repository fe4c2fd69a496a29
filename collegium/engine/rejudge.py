"""Re-judge a recorded history under another rule pack: "what would last year's decisions look like under the new
rules?"

The history is run again, event by event in the order the store keeps them, on an in-memory shadow store and under
the definitions it was recorded with. Every shadow event must hash to the recorded one (the hash covers the step,
its data, the verdict, the effects, the resulting facts and the whole chain before it), so what is judged is the
history itself, not an approximation of it. (The stored order is the commit order, except that on PostgreSQL or
MariaDB two writers on different instances committing at the same moment may be stored the other way round; where
that changes what a step saw, the instance shows as not replayable.) Before each step is applied again, the other
pack judges it in the world as it stood at that moment: the instance's facts, the body, the meeting's seats, the
votes cast so far, the states of other instances. A step whose blocking rules fail under that pack is one it would
have refused; a step whose branch rules now choose another destination would have ended elsewhere.

Two limits, reported rather than hidden: without the host's directory, bodies are read as they stand now (a body
whose members changed since a meeting opened makes that instance's replay diverge, and it is named; with a
:class:`~collegium.engine.governance.Directory` they are read as of each step's time), and a secret ballot's
choices are dealt back to its voters from the stored counts (the counts, and so every result, are exact; who chose
what was never kept).
"""

from __future__ import annotations

import datetime as dt
from collections import deque
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from collegium._reserved import SYSTEM_ACTOR, TIMER_KEY_PREFIX
from collegium.engine import counting, judging, running
from collegium.engine import governance as gov
from collegium.engine.clock import parse_time
from collegium.engine.engine import Engine
from collegium.engine.governance import Directory
from collegium.engine.registry import Registry
from collegium.engine.scheduler import REFUSED, REMIND, fire_timer, timer_key
from collegium.engine.step import Command, move
from collegium.errors import CollegiumError, NotFound, TransitionNotAllowed
from collegium.rules.verdict import RuleResult, Verdict
from collegium.store.bodies import Body
from collegium.store.memstore import MemoryStore
from collegium.store.protocol import Store
from collegium.store.records import EventRecord, InstanceRecord

__all__ = ["Rejudged", "ReplayReport", "rejudge"]


@dataclass(frozen=True, slots=True)
class Rejudged:
    """One recorded step that the other pack judges differently: refused, or ending in another state."""

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
    #: the branch rules whose answer differs from the recorded one (why it would have gone elsewhere)
    turned: tuple[RuleResult, ...] = ()

    @property
    def refused(self) -> bool:
        """Whether the other pack refuses the step (else it sends it to another state)."""
        return not self.verdict.passed

    def to_dict(self, lang: str = "en") -> dict[str, Any]:
        """The step as plain JSON data, its texts in ``lang``."""
        return {"instance": self.instance_id, "procedure": self.procedure, "seq": self.seq, "at": self.at,
                "actor": self.actor, "trigger": self.trigger, "from": self.source, "to": self.dest,
                "refused": self.refused, "would_go": self.would_go,
                "rules": [r.to_dict(lang) for r in self.verdict.failures],
                "branch_rules": [r.to_dict(lang) for r in self.turned],
                "warnings": [r.to_dict(lang) for r in self.verdict.warnings]}


@dataclass(frozen=True, slots=True)
class ReplayReport:
    """The outcome of :func:`rejudge`: the steps judged differently, and any instance the replay could not follow."""

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
        """The report as plain JSON data (a history of ``collegium replay --json``), texts in ``lang``."""
        return {"pack": self.pack, "recorded": list(self.recorded), "instances": self.instances, "steps": self.steps,
                "refused": len(self.refused), "rerouted": sum(not c.refused for c in self.changed),
                "changed": [c.to_dict(lang) for c in self.changed], "diverged": self.diverged,
                "other_packs": self.other_packs}


class _Shadow(MemoryStore):
    """The replay's store: reads bodies through to the recorded store."""

    def __init__(self, origin: Store) -> None:
        super().__init__()
        self._origin = origin

    def body(self, body_id: str) -> Body | None:
        if body_id not in self._bodies:  # read once: the recorded store's bodies do not change during a replay
            found = self._origin.body(body_id)
            if found is None:
                return None
            self._bodies[body_id] = found
        return self._bodies[body_id]


class _Clock:
    def __init__(self) -> None:
        self.at = dt.datetime(2000, 1, 1, tzinfo=dt.UTC)

    def now(self) -> dt.datetime:
        return self.at


class _Ids:
    """Hands out the ids the recorded run gave the children a step started."""

    def __init__(self) -> None:
        self.queue: deque[str] = deque()

    def new_id(self, prefix: str) -> str:
        if not self.queue:
            raise NotFound(f"the record names no id for a new {prefix}")
        return self.queue.popleft()


class _ReplaySealer:
    """Seals and opens nothing: a replayed vote of an electronic ballot records the digest its event recorded, and
    its replayed count the totals its event recorded (the choices are gone and the tellers' secret was never
    stored). :meth:`expect` is told each event before it is replayed."""

    _MARK = "replayed:"

    def __init__(self) -> None:
        self._digest = ""
        self._ballot_of: dict[str, str] = {}
        self._totals: dict[str, dict[str, int]] = {}

    def expect(self, event: EventRecord) -> None:
        if "sealed" in event.effects:
            self._digest = str(event.effects["sealed"])
            self._ballot_of[self._digest] = str(event.effects.get("ballot"))
        for key, totals in (event.effects.get("counted") or {}).items():
            self._totals[key] = dict(totals)

    def seal(self, public_key: str, choice: str) -> str:
        return self._MARK + self._digest

    def digest(self, sealed: str) -> str:
        return sealed.removeprefix(self._MARK)

    def open(self, teller_secret: str | None, public_key: str, sealed: Sequence[str]) -> list[str]:
        if not sealed:
            return []
        totals = self._totals.get(self._ballot_of.get(self.digest(sealed[0]), ""), {})
        return [choice for choice, n in totals.items() for _ in range(n)]


def _recording_registry(store: Store, base: Registry, records: list[InstanceRecord]) -> Registry:
    """``base``, or a copy of it plus the texts the store kept of the versions ``base`` lacks that ``records`` were
    recorded under (a version ``base`` has is taken as it is there)."""
    out = base
    for rec in records:
        try:
            out.compiled(rec.procedure, rec.procedure_version, rec.pack_version)
            continue
        except NotFound:
            out = base.copy() if out is base else out
        for kind, key in (("pack", f"{rec.pack}@{rec.pack_version}"),
                          ("procedure", f"{rec.procedure}@{rec.procedure_version}")):
            if f"{kind}:{key}" in out.definitions:
                continue
            text = store.definition(kind, key)
            if text is None:
                raise NotFound(f"the store keeps no text of {kind} {key}, which {rec.id} was recorded under")
            for fragment_kind, fragment_key in _fragments_of(store, text if kind == "procedure" else ""):
                stored = store.definition(fragment_kind, fragment_key)
                if stored is not None and f"fragment:{fragment_key}" not in out.definitions:
                    out.add_fragment_text(stored, f"<stored {fragment_key}>")
            (out.add_pack_text if kind == "pack" else out.add_procedure_text)(text, f"<stored {key}>")
    return out


def _fragments_of(store: Store, procedure_text: str) -> Iterator[tuple[str, str]]:
    from collegium._loader import parse_yaml

    if not procedure_text:
        return
    data, _node = parse_yaml(procedure_text, "<stored>")
    for inc in (data.get("include") or []) if isinstance(data, dict) else []:
        if isinstance(inc, dict):
            yield "fragment", f"{inc.get('fragment')}@{inc.get('version')}"


def rejudge(store: Store, pack_text: str, *, registry: Registry | None = None, source: str = "<pack>",
            directory: Directory | None = None) -> ReplayReport:
    """Run ``store``'s history again and judge each step of the instances recorded under the pack ``pack_text``
    replaces (the pack of the same id) under that pack. ``registry`` holds what the history was recorded under
    (default: the built-in definitions); the texts the store kept for versions it lacks are added to it. With the
    host's ``directory`` the bodies are read as of each step's time (else as the store holds them now). Raises
    :class:`~collegium.errors.DefinitionError` when the pack does not load or the procedures do not compile with it.
    """
    records = list(store.iter_instances())
    recording = _recording_registry(store, registry or Registry.builtin(), records)
    judge_registry, other = recording.with_pack(pack_text, source)
    for spec in judge_registry.procedures():  # a procedure that names a rule the pack lacks fails here, up front
        if spec.rule_pack == other.id:
            judge_registry.compiled(spec.id, spec.version)
    shadow, clock, ids = _Shadow(store), _Clock(), _Ids()
    sealer = _ReplaySealer()
    replayer = Engine(shadow, clock=clock, ids=ids, registry=recording, max_retries=0, directory=directory,
                      sealer=sealer)
    judge = Engine(shadow, clock=clock, ids=ids, registry=judge_registry, directory=directory)
    by_id = {r.id: r for r in records}
    pools = _SecretChoices(store)
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
            data = _data_of(event, shadow, pools)
            sealer.expect(event)
            doing = "judged under the other pack"
            found = _judge(judge, event, rec, data) if judged else None
            doing = "replayed"
            problem = _apply(replayer, shadow, ids, event, rec, data)
        except (CollegiumError, LookupError, ValueError) as exc:
            problem = f"step {event.seq} ({event.trigger}) could not be {doing}: {exc}"
        if problem is not None:  # the world it was judged in is not the recorded one: the judgement is void
            diverged[rec.id] = problem
        elif judged:
            steps += 1
            if found is not None:
                changed.append(found)
    return ReplayReport(other.key, tuple(sorted({f"{r.pack}@{r.pack_version}" for r in records if r.pack == other.id})),
                        sum(r.pack == other.id for r in records), steps, tuple(changed), diverged,
                        sum(r.pack != other.id for r in records))


class _SecretChoices:
    """Each secret ballot's stored choices, to deal back to its votes (whose events do not name them). Every ballot a
    matter held counts — the one it was rejected by and its reconsideration's, not only the last — so each pool is
    read from the store's totals when the replay first reaches a vote of that ballot."""

    def __init__(self, store: Store) -> None:
        self._store = store
        self._pools: dict[str, list[str]] = {}

    def pool(self, key: str) -> list[str]:
        if key not in self._pools:
            with self._store.unit(write=False) as unit:
                counts = unit.counts(key, True)
            self._pools[key] = [c for c in sorted(counts) for _ in range(counts[c])]
        return self._pools[key]


def _data_of(event: EventRecord, shadow: MemoryStore, pools: _SecretChoices) -> dict[str, Any]:
    """The data a step is replayed with: as recorded, and a secret vote's choice dealt from its ballot's stored
    totals (a paper ballot's vote has none; an electronic one's any option, which the replay does not seal)."""
    data = dict(event.data)
    if event.effects.get("secret_vote"):
        ballot = shadow.load(event.instance_id).facts.get("ballot") or {}
        mode = counting.counting(ballot)
        if mode == "sealed":
            data["choice"] = str((ballot.get("options") or [""])[0])
        elif mode is None:
            pool = pools.pool(gov.ballot_key(ballot, data.get("item")))
            if not pool:
                raise NotFound("the store holds fewer secret votes than the history records")
            data["choice"] = pool.pop()
    return data


def _judge(judge: Engine, event: EventRecord, rec: InstanceRecord, data: dict[str, Any]) -> Rejudged | None:
    now = parse_time(event.at)
    with judge.store.unit(write=False) as unit:
        if event.seq == 1:
            proc = judge.registry.compiled(rec.procedure, rec.procedure_version)
            plan = proc.start_plan
            ctx = judging.context(proc, instance_id=rec.id, state="", trigger=plan.trigger,
                                  actor=event.actor, facts=data, now=now, unit=unit,
                                  directory=judge.directory)
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
    if verdict.passed and dest == event.dest and all(_warned(event, w.rule_id) for w in verdict.warnings):
        return None  # the same warnings as when it happened: nothing new to say
    was = {key: passed for key, passed, _row in _branches(event.verdict)}
    turned = [row for key, passed, row in _branches(verdict.results) if was.get(key) != passed] \
        if dest != event.dest else []
    return Rejudged(rec.id, rec.procedure, event.seq, event.at, event.actor, event.trigger, event.source, event.dest,
                    verdict, None if dest == event.dest else dest, tuple(turned))


def _branches(rows: Any) -> list[tuple[tuple[str, int], bool, Any]]:
    """Branch results keyed by (rule, n-th time judged): a list voted item by item judges a rule once per item."""
    seen: dict[str, int] = {}
    out = []
    for row in rows:
        rule_id, passed, severity = (row.rule_id, row.passed, row.severity) if isinstance(row, RuleResult) \
            else (row[0], row[1], row[3])
        if severity == "branch":
            seen[rule_id] = seen.get(rule_id, -1) + 1
            out.append(((rule_id, seen[rule_id]), passed, row))
    return out


def _warned(event: EventRecord, rule_id: str) -> bool:
    return any(row[0] == rule_id and not row[1] for row in event.verdict)


def _apply(replayer: Engine, shadow: MemoryStore, ids: _Ids, event: EventRecord, rec: InstanceRecord,
           data: dict[str, Any]) -> str | None:
    """Apply the recorded step again under the recorded definitions; say how the result differs, if it does."""
    if event.effects.get("spawned_by"):
        pass  # the parent's step started it, with the id the record gives
    elif event.seq == 1:
        replayer.start(rec.procedure, event.actor, data, instance_id=rec.id, version=rec.procedure_version,
                       pack_version=rec.pack_version)
    else:
        ids.queue.extend(event.effects.get("started") or ())
        key = event.idempotency_key or ""
        if event.actor == SYSTEM_ACTOR and key.startswith(TIMER_KEY_PREFIX):
            due = [t for t in shadow.due_timers_of(rec.id, event.at) if timer_key(t) == event.idempotency_key]
            if not due:
                return f"step {event.seq} ({event.trigger}) is a timer the replay did not set"
            run = fire_timer(replayer, due[0])
            if run.outcome is None and not (event.trigger == REFUSED and run.error is not None):
                return f"step {event.seq} ({event.trigger}): the timer did not fire again ({run.error or 'stale'})"
        else:
            command = Command(instance_id=rec.id, trigger=event.trigger, actor=event.actor,
                              data=data, key=event.idempotency_key, at=parse_time(event.at))
            running.run(replayer, command, fire_due=lambda timer: fire_timer(replayer, timer))
        ids.queue.clear()
    history = shadow.history(rec.id)
    again = history[event.seq - 1] if len(history) >= event.seq else None
    if again is None:
        return f"step {event.seq} ({event.trigger}) wrote no event when replayed"
    if again.hash != event.hash:
        what = [name for name in ("dest", "data", "verdict", "effects", "facts_sha", "at", "prev_hash")
                if getattr(again, name) != getattr(event, name)]
        return f"step {event.seq} ({event.trigger}) replayed differently: {', '.join(what) or 'hash'}"
    return None


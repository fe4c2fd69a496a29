"""The engine facade: start instances, fire triggers, dry-run checks, history and audit.

A command: load the instance; build the facts it is judged on; evaluate every rule bound to (procedure, trigger),
all of them; refuse with :class:`~collegium.errors.RuleViolation` if a blocking rule failed (nothing is written);
move through the state machine; commit the new state and the hash-chained event in one version-guarded transaction
(a conflict reloads and retries, then raises :class:`~collegium.errors.ConcurrentUpdate`); return an :class:`Outcome`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from collegium._i18n import message
from collegium.engine import ballots, children, counting, crosscheck, indexing, replay, starting
from collegium.engine import effects as fx
from collegium.engine.audit import AuditReport, chain
from collegium.engine.ballots import Ballot, Meeting
from collegium.engine.clock import Clock, IdFactory, RandomIds, format_time
from collegium.engine.context import Context
from collegium.engine.governance import BodyLookup, Directory
from collegium.engine.outcomes import Availability, Instance, Outcome
from collegium.engine.registry import CompiledProcedure, Plan, Registry
from collegium.engine.scheduler import (
    TimerRun,
    TimersDue,
    fire_timer,
    run_due,
    timers_for,
    timers_record,
    when_due,
)
from collegium.engine.sealing import Sealer, SodiumSealer
from collegium.errors import ConcurrentUpdate, InvalidInput, NotFound, RuleViolation, TransitionNotAllowed
from collegium.rules.verdict import RuleResult, Verdict
from collegium.store.bodies import Body
from collegium.store.memstore import MemoryStore
from collegium.store.outbox import Outbox, Subscriber
from collegium.store.protocol import Seat, StaleVersion, Store, Unit, Unremembered, Write
from collegium.store.records import EventRecord, InstanceRecord, TimerRecord
from collegium.workflows.spec import TRANSIENT_INPUTS

if TYPE_CHECKING:
    from collegium.engine.checkpoint import CheckpointReport, CheckpointSource, CheckpointTarget
    from collegium.engine.keys import PublicKey, SigningKey
    from collegium.engine.manifest import Checkpoint
    from collegium.store.hosted import StoreTarget

__all__ = ["Availability", "Ballot", "Engine", "Instance", "Meeting", "Outcome"]


#: Facts derived from a meeting's attendance: not known before the command that opens the meeting.
MEETING_FACTS = frozenset({"n", "present", "recused", "eligible_voters"})


@dataclass(slots=True)
class _Prepared:
    proc: CompiledProcedure
    plan: Plan
    ctx: Context
    facts: dict[str, Any]
    data: dict[str, Any]
    verdict: Verdict
    branch_passed: frozenset[str]
    definitions: tuple[tuple[str, str, str, str], ...] = ()
    seats: Mapping[str, Seat] | None = None  # of a meeting this step opens


class Engine:
    """The library face of Collegium. Holds no global state: everything comes in through the constructor.

    ``store`` keeps instances and events; ``clock`` and ``ids`` are injected so that a run is reproducible;
    ``registry`` holds the procedures and rule packs in force (the built-in ones by default); ``directory``, when
    the host keeps its people, answers who is in a body as of a command's time (else the store's bodies do).
    """

    def __init__(self, store: Store, *, clock: Clock, ids: IdFactory | None = None, registry: Registry | None = None,
                 max_retries: int = 8, directory: Directory | None = None, sealer: Sealer | None = None) -> None:
        self.store = store
        #: seals an electronic secret ballot's choices and opens them at the count (:mod:`~collegium.engine.sealing`)
        self.sealer: Sealer = sealer or SodiumSealer()
        self.directory = directory
        self.clock = clock
        self.ids = ids or RandomIds()
        self.registry = registry or Registry.builtin()
        self.max_retries = max_retries
        self._saved_definitions: set[str] = Unremembered() if getattr(store, "hosted", False) else set()
        self.outbox = Outbox(store)  #: every committed event, until acknowledged (:class:`Outbox`)

    @classmethod
    def open(cls, target: StoreTarget = "collegium.db", *, clock: Clock, ids: IdFactory | None = None,
             registry: Registry | None = None, directory: Directory | None = None, auto_migrate: bool = True) -> Engine:
        """An engine on a database: a SQLAlchemy URL, a file path meaning a SQLite file, or the host's SQLAlchemy
        ``Engine``, ``Connection`` or ``Session`` (:class:`~collegium.store.sqlstore.SqlStore` says what each does)."""
        from collegium.store.sqlstore import SqlStore

        store = SqlStore(target, auto_migrate=auto_migrate)
        return cls(store, clock=clock, ids=ids, registry=registry, directory=directory)

    @classmethod
    def in_memory(cls, *, clock: Clock, ids: IdFactory | None = None, registry: Registry | None = None,
                  directory: Directory | None = None) -> Engine:
        """An engine on a :class:`~collegium.store.memstore.MemoryStore`: for tests, simulations, benchmarks."""
        return cls(MemoryStore(), clock=clock, ids=ids, registry=registry, directory=directory)

    def close(self) -> None:
        """Release the store's connections (an engine is also a context manager)."""
        self.store.close()

    def __enter__(self) -> Engine:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def subscribe(self, callback: Subscriber) -> Callable[[], None]:
        """Call ``callback(event)`` after each event's commit, never inside it (errors are logged); returns the undo."""
        return self.store.subscribe(callback)

    # -- bodies -------------------------------------------------------------------------------
    def define_body(self, body: Body) -> Body:
        """Create or replace a body and its members (not with a host's directory: the host keeps them)."""
        if self.directory is not None:
            raise InvalidInput(f"bodies come from the host's directory here; {body.id!r} is not defined in Collegium")
        self.store.put_body(body, format_time(self.clock.now()))
        return body

    def body(self, body_id: str) -> Body:
        """The body ``body_id`` with its current members; :class:`NotFound` if there is none."""
        body = self.store.body(body_id) if self.directory is None else self.directory.body(body_id, self.clock.now())
        if body is None:
            raise NotFound(f"no body {body_id!r}")
        return body

    # -- reading ------------------------------------------------------------------------------
    def get(self, instance_id: str) -> Instance:
        """The instance as it stands now; :class:`NotFound` if there is none."""
        return Instance.of(self.store.load(instance_id))

    def history(self, instance_id: str) -> list[EventRecord]:
        """Every event of an instance, oldest first: who did what, when, with which data and verdict."""
        return self.store.history(instance_id)

    def instances(self, procedure: str | None = None, state: str | None = None) -> list[Instance]:
        """Instances, oldest first, optionally of one procedure and/or in one state."""
        return [Instance.of(r) for r in self.store.instances(procedure, state)]

    def scan(self, procedure: str | None = None, state: str | None = None, *, batch: int = 1000) -> Iterator[Instance]:
        """Instances streamed, ``batch`` per short read, in flat memory; by id (filtered: per procedure and state)."""
        if batch < 1:
            raise InvalidInput(f"batch must be at least 1, not {batch}")
        return (Instance.of(r) for r in self.store.scan(procedure, state, batch))

    def find(self, procedure: str, states: tuple[str, ...] | None = None, *, before: tuple[str, str] | None = None,
             **equals: str) -> list[Instance]:
        """Instances of ``procedure`` (in ``states``) by the facts it indexes, e.g. ``find("assignment",
        lead_member="m2")``; ``before=("deadline", time)`` selects values below (times: earlier than) ``time``."""
        unknown = sorted(set(fx.lookup_values(equals)) - set(indexed := self.registry.procedure(procedure).index))
        if unknown or (before is not None and before[0] not in indexed):
            raise InvalidInput(f"{procedure} indexes {', '.join(indexed) or 'no facts'}; not {unknown or before}")
        return [Instance.of(r) for r in self.store.find(procedure, states, equals, before)]

    def ballot(self, instance_id: str) -> Ballot:
        """The instance's ballot (the one opened with its last meeting); :class:`NotFound` if it has none.

        While a secret ballot is open its totals are not shown: with the public record of who voted when,
        totals read between votes would tell each choice."""
        with self.store.unit(write=False) as unit:
            return ballots.view(unit.load(instance_id), unit)

    def meeting(self, instance_id: str) -> Meeting:
        """The instance's last meeting: frozen membership, attendance, stated views; :class:`NotFound` if none."""
        with self.store.unit(write=False) as unit:
            return ballots.meeting_view(unit.load(instance_id), unit)

    def verify_audit(self) -> AuditReport:
        """Recompute every hash chain; report the first edited, missing, inserted or reordered event, then the
        first stored row that decides an outcome (votes, who voted, timers, definition texts, bodies and members,
        seats and views) and differs from what the chains recorded (``collegium.engine.crosscheck``)."""
        return crosscheck.audit(self.store, self.sealer.digest)

    def checkpoint(self, key: SigningKey | bytes, out: CheckpointTarget) -> Checkpoint:
        """Verify the audit, then write to ``out`` (a new file's path, or a binary stream) every
        chain's head, signed with ``key``: a checkpoint (:mod:`collegium.engine.checkpoint`).
        :class:`AuditFailed` if the audit fails."""
        from collegium.engine import checkpoint

        return checkpoint.take(self, key, out)

    def verify_checkpoint(self, against: CheckpointSource,
                          public_key: PublicKey | bytes) -> CheckpointReport:
        """Check that every chain still holds the head the checkpoint ``against`` lists (signed by
        the trusted ``public_key``), then verify the audit. :class:`InvalidInput` if the
        checkpoint is not intact."""
        from collegium.engine import checkpoint

        return checkpoint.verify(self, against, public_key)

    # -- commands -----------------------------------------------------------------------------
    def start(self, procedure: str, actor: str, data: Mapping[str, Any] | None = None, *,
              instance_id: str | None = None, version: int | None = None, pack_version: str | None = None) -> Outcome:
        """Start an instance of ``procedure`` (latest version, under its pack's latest, unless named). A retried start
        (same ``instance_id``, same command) returns the first outcome; another on that id is :class:`InvalidInput`."""
        named = {"procedure": procedure, **({"instance_id": instance_id} if instance_id else {})}
        data = fx.check_arguments(actor, data, **named)
        proc = self.registry.compiled(procedure, version, pack_version)
        plan = proc.start_plan
        payload = fx.normalize(proc, plan, data)
        new_id = instance_id or self.ids.new_id(proc.spec.id)
        now = self.clock.now()
        definitions = self._definitions_of(proc)
        for attempt in range(self.max_retries + 1):
            if (instance_id is not None or attempt > 0) and self.store.state_of(new_id) is not None:  # taken
                return replay.started_again(self, proc, new_id, instance_id is not None, actor, payload)
            try:
                rec, event, verdict = starting.write(self, proc, new_id, actor, payload, now, definitions)
                break
            except StaleVersion:  # an id taken meanwhile, or a deadlock or lock timeout: look, then try again
                continue
        else:
            raise ConcurrentUpdate(f"could not start {new_id!r}: the database stayed busy")
        self._saved_definitions.update(f"{kind}:{key}" for kind, key, _, _ in definitions)
        return Outcome(Instance.of(rec), event, verdict)

    def fire(self, instance_id: str, trigger: str, actor: str, data: Mapping[str, Any] | None = None, *,
             idempotency_key: str | None = None) -> Outcome:
        """Fire ``trigger`` on an instance as ``actor`` with ``data``.

        Raises :class:`TransitionNotAllowed`, :class:`InvalidInput` or :class:`RuleViolation` without writing
        anything. With an ``idempotency_key`` already used on this instance, returns the first outcome again.
        """
        data = fx.check_arguments(actor, data, instance=instance_id, trigger=trigger)
        if idempotency_key is not None:
            fx.check_idempotency_key(idempotency_key)
        return self._fire(instance_id, trigger, actor, data, idempotency_key, None)

    def _fire(self, instance_id: str, trigger: str, actor: str, data: Mapping[str, Any], idempotency_key: str | None,
              now: dt.datetime | None, *, timer: TimerRecord | None = None) -> Outcome:
        for _ in range(self.max_retries + 1):
            try:
                with self.store.unit() as unit:
                    rec = unit.load(instance_id)
                    if timer is not None:
                        # under the lock: the instance must still be in the entry that set the timer
                        now = when_due(timer, rec, unit.timer_entered(rec.id, timer.trigger))
                    if idempotency_key is not None:
                        done = unit.find_event(instance_id, idempotency_key)
                        if done is not None:
                            replay.same_command(self._proc(rec), rec, done, trigger, actor, data)
                            return replay.outcome(self.registry.pack(rec.pack, rec.pack_version), rec, done)
                    if timer is None and self._proc(rec).spec.states[rec.state].timers:
                        # what fell due happens first, so a command sees the same instance whenever the sweep ran
                        due = unit.due_timers_of(rec.id, format_time(now or self.clock.now()))
                        if due:
                            raise TimersDue(due)
                    prep = self._prepare(rec, trigger, actor, data, unit, complete=True, now=now)
                    if not prep.verdict.passed:
                        raise RuleViolation(prep.verdict)
                    try:
                        dest = prep.proc.machine.move(rec.state, trigger, prep.branch_passed)
                    except LookupError:  # no branch taken: load-time checks require a fallback, so defensive
                        raise TransitionNotAllowed(f"{trigger!r} found no branch to take from {rec.state!r}",
                                                   state=rec.state, trigger=trigger) from None
                    outcome = self._commit(rec, prep, dest, actor, idempotency_key, unit)
            except StaleVersion:
                continue
            except TimersDue as pending:
                for due_timer in pending.timers:
                    fire_timer(self, due_timer)
                continue
            # only once the transaction has committed are the definition texts known to be stored
            self._saved_definitions.update(f"{kind}:{key}" for kind, key, _, _ in prep.definitions)
            return outcome
        raise ConcurrentUpdate(f"instance {instance_id!r} kept changing; gave up after {self.max_retries} retries")

    def check(self, instance_id: str, trigger: str, actor: str, data: Mapping[str, Any] | None = None) -> Verdict:
        """Dry run: the verdict ``fire`` would reach, without firing or writing anything."""
        data = fx.check_arguments(actor, data, instance=instance_id, trigger=trigger)
        with self.store.unit(write=False) as unit:
            rec = unit.load(instance_id)
            prep = self._prepare(rec, trigger, actor, data, unit, complete=True)
            # fire judges the children the step starts too, and is refused if one is: so is the dry run
            return (children.dry_run(self, rec, prep, actor, unit) if prep.verdict.passed else None) or prep.verdict

    def available(self, instance_id: str, actor: str) -> list[Availability]:
        """Each trigger that leaves the current state, and whether ``actor`` could fire it now (no data)."""
        fx.check_arguments(actor, None, instance=instance_id)
        with self.store.unit(write=False) as unit:
            rec = unit.load(instance_id)
            proc = self._proc(rec)
            out = []
            for trigger in proc.triggers_from(rec.state):
                prep = self._prepare(rec, trigger, actor, {}, unit, complete=False)
                out.append(Availability(trigger, prep.verdict.passed, prep.verdict))
            return out

    def run_due(self, until: dt.datetime | None = None, *, batch: int = 500) -> list[TimerRun]:
        """Fire every timer due by ``until`` (default: the clock's now), earliest first.

        Each fires as the engine's own actor at the time it fell due, with an idempotency key naming the
        timer, so running the sweep twice — or once a day instead of once a year — gives the same events.
        A timer whose instance has left its state is dropped; one the rules refuse is dropped and reported.
        """
        return run_due(self, until, batch=batch)

    # -- internals ----------------------------------------------------------------------------
    def _proc(self, rec: InstanceRecord) -> CompiledProcedure:
        return self.registry.compiled(rec.procedure, rec.procedure_version, rec.pack_version)

    def _context(self, proc: CompiledProcedure, instance_id: str, state: str, trigger: str, actor: str,
                 facts: Mapping[str, Any], now: dt.datetime, unit: Unit,
                 staged: Mapping[str, Seat] | None = None) -> Context:
        return Context(instance_id=instance_id, state=state, trigger=trigger, actor=actor, now=now, facts=facts,
                       types=proc.types, body_id=facts.get(proc.spec.body_fact), directory=self._bodies(unit, now),
                       state_of=unit.state_of, params=proc.params, ballots=unit, staged_seats=staged)

    def _bodies(self, unit: Unit, now: dt.datetime) -> BodyLookup:
        """How this command looks bodies up: in the store, or in the host's directory as of ``now``."""
        directory = self.directory
        return unit.body if directory is None else (lambda body_id: directory.body(body_id, now))

    @staticmethod
    def _evaluate(plan: Plan, ctx: Context) -> Verdict:
        roles = plan.roles
        return Verdict(plan.trigger, tuple(rule.evaluate(ctx, roles) for rule in plan.rules))

    def _prepare(self, rec: InstanceRecord, trigger: str, actor: str, data: Mapping[str, Any], unit: Unit, *,
                 complete: bool, now: dt.datetime | None = None) -> _Prepared:
        proc = self._proc(rec)
        plan = proc.plan(rec.state, trigger)
        if plan is None:
            if trigger not in proc.spec.triggers():
                raise InvalidInput(f"unknown trigger {trigger!r} for procedure {proc.spec.id}")
            allowed = tuple(proc.triggers_from(rec.state))
            raise TransitionNotAllowed(
                message("transition.not_allowed", "en", trigger=trigger, state=rec.state,
                        allowed=", ".join(allowed) or "none"), state=rec.state, trigger=trigger, allowed=allowed)
        payload = fx.normalize(proc, plan, data, complete=complete)
        facts = dict(rec.facts)
        facts.update((k, v) for k, v in payload.items() if k in plan.data)
        now = now or self.clock.now()
        body_id = facts.get(proc.spec.body_fact)
        staged = fx.stage(plan, facts, payload, body_id, self._bodies(unit, now), now,
                          f"{rec.id}/{rec.event_count + 1}", unit, rec.id, proc.vote_options,
                          countable=plan.branches[-1][1] in proc.counting_states) if complete else None
        if complete:
            fx.check_choice(plan, facts, payload)
        view = {**facts, **{k: v for k, v in payload.items() if k not in plan.data}}
        ctx = self._context(proc, rec.id, rec.state, trigger, actor, view, now, unit, staged)
        if complete:
            results = list(self._evaluate(plan, ctx).results)
        else:  # a dry run without data: rules that read what the data would give wait for it
            missing = plan.accepted | (MEETING_FACTS if plan.stages_meeting else frozenset())
            results = [rule.pending(rule.reads & missing) if rule.reads & missing else rule.evaluate(ctx, plan.roles)
                       for rule in plan.rules]
        passed: set[str] = set()
        items = (facts.get("ballot") or {}).get("items") if plan.tallies else None
        for rule, _dest in plan.branches:
            if rule is None:
                continue
            # a list voted item by item is judged item by item; the branch is taken if any item passes
            scopes = [(item, self._context(proc, rec.id, rec.state, trigger, actor, {**view, "item": item}, now,
                                           unit, staged)) for item in items] if items else [(None, ctx)]
            for item, scope in scopes:
                res = rule.evaluate(scope, plan.roles)
                seen = {**res.facts, "item": item} if item is not None else res.facts
                results.append(RuleResult(res.rule_id, res.passed, "branch", res.title, res.citation, res.detail,
                                          res.params, seen, res.applicable))
                if res.passed and res.applicable:  # a branch rule that does not apply selects nothing
                    passed.add(res.rule_id)
        return _Prepared(proc, plan, ctx, facts, payload, Verdict(trigger, tuple(results)), frozenset(passed),
                         seats=staged)

    def _commit(self, rec: InstanceRecord, prep: _Prepared, dest: str, actor: str, key: str | None,
                unit: Unit) -> Outcome:
        now = prep.ctx.now
        record, spawns, votes, views = children.apply(prep, dest, prep.facts, actor, unit, self.sealer)
        meeting_state = (prep.facts.get("meeting") or {}).get("state")
        cast = counting.writes(prep.facts.get("ballot") or {}, votes, record, tallies=prep.plan.tallies,
                               left=rec.state == meeting_state != dest, sealer=self.sealer)
        # what the event keeps of the data: no secret vote's choice, no transient input (the tellers' secret)
        unkept = TRANSIENT_INPUTS | ({"choice"} if record.get("secret_vote") else frozenset())
        data = prep.data if unkept.isdisjoint(prep.data) else {
            k: v for k, v in prep.data.items() if k not in unkept}
        at = format_time(now)
        born = children.start(self, rec.id, spawns, prep, actor, at, unit) if spawns else children.NONE
        started, child_events, definitions = born.instances, born.events, born.definitions
        timers: dict[str, tuple[TimerRecord, ...]] = dict(born.timers)
        if started:
            prep.facts["children"] = [*(prep.facts.get("children") or []), *(c.id for c in started)]
            record["started"] = [c.id for c in started]
        new = InstanceRecord(rec.id, rec.procedure, rec.procedure_version, rec.pack, rec.pack_version, dest,
                             rec.version + 1, prep.facts, rec.created_at, at, rec.parent_id,
                             rec.head_hash, rec.event_count)
        if dest != rec.state:  # a timer is set when its state is entered (and those of the state left go)
            timers[rec.id] = timers_for(prep.proc, new, now, rec.event_count + 1)
            if timers[rec.id]:
                record["timers"] = timers_record(timers[rec.id])
        event = chain(new, rec.state, prep.plan.trigger, actor, at, data,
                      replay.stored_verdict(prep.verdict), record, key)
        for _meeting, person, _view, _at in views:
            if prep.ctx.seat(person) is None:
                raise InvalidInput(f"{person!r} has no seat at this meeting: only its members state views")
        seats, attendance = fx.seat_writes(prep.plan, prep.data, prep.facts, prep.seats)
        unit.commit(Write(new, rec.version, tuple(started), (event, *child_events), timers, definitions,
                          votes=cast.votes, secret_closed=cast.closed, seats=seats, views=tuple(views),
                          attendance=attendance, index=indexing.changed(self.registry, rec, (new, *started)),
                          returned=cast.returned, sealed=cast.sealed, counted=cast.counted,
                          discarded=cast.discarded))
        prep.definitions = definitions
        return Outcome(Instance.of(new), event, prep.verdict, tuple(c.id for c in started))

    def _definitions_of(self, proc: CompiledProcedure) -> tuple[tuple[str, str, str, str], ...]:
        """The texts of a procedure, its pack and its fragments, for the first instance started under them."""
        return tuple((d.kind, d.key, d.sha256, d.text) for d in self.registry.texts_of(proc)
                     if f"{d.kind}:{d.key}" not in self._saved_definitions)

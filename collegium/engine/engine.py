"""The engine facade: start instances, fire triggers, dry-run checks, history and audit.

A command runs through the stages of one step (``collegium.engine.step``): load the instance;
judge every rule bound to (procedure, trigger), its children's start rules included; refuse with
:class:`~collegium.errors.RuleViolation` if a blocking rule failed (nothing is written); move
through the state machine; commit the new state and the hash-chained event in one version-guarded
transaction (a conflict reloads and retries, then raises
:class:`~collegium.errors.ConcurrentUpdate`); return an :class:`Outcome`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

from collegium._catalog import Message
from collegium.engine import arguments, ballots, crosscheck, inputs, replay, running, starting
from collegium.engine.audit import AuditReport
from collegium.engine.ballots import Ballot, Meeting
from collegium.engine.clock import Clock, IdFactory, RandomIds, format_time
from collegium.engine.governance import Directory, check_roles
from collegium.engine.outcomes import Availability, Instance, Outcome
from collegium.engine.registry import Registry
from collegium.engine.scheduler import TimerRun, fire_timer, run_due
from collegium.engine.sealing import Sealer, SodiumSealer
from collegium.engine.step import Command
from collegium.engine.texts import Texts
from collegium.errors import ConcurrentUpdate, InvalidInput, NotFound
from collegium.rules.verdict import Verdict
from collegium.store.bodies import Body
from collegium.store.memstore import MemoryStore
from collegium.store.outbox import Outbox, Subscriber
from collegium.store.protocol import StaleVersion, Store
from collegium.store.records import EventRecord

if TYPE_CHECKING:
    from collegium.engine.checkpoint import CheckpointReport, CheckpointSource, CheckpointTarget
    from collegium.engine.keys import PublicKey, SigningKey
    from collegium.engine.manifest import Checkpoint
    from collegium.store.hosted import StoreTarget

__all__ = ["Availability", "Ballot", "Engine", "Instance", "Meeting", "Outcome"]


class Engine:
    """The library face of Collegium. Holds no global state: everything comes in through the
    constructor.

    ``store`` keeps instances and events; ``clock`` and ``ids`` are injected so that a run is
    reproducible; ``registry`` holds the procedures and rule packs in force (the built-in ones by
    default); ``directory``, when the host keeps its people, answers who is in a body as of a
    command's time (else the store's bodies do).
    """

    def __init__(
        self,
        store: Store,
        *,
        clock: Clock,
        ids: IdFactory | None = None,
        registry: Registry | None = None,
        max_retries: int = 8,
        directory: Directory | None = None,
        sealer: Sealer | None = None,
    ) -> None:
        self.store = store
        #: seals an electronic secret ballot's choices and opens them at the count
        #: (:mod:`~collegium.engine.sealing`)
        self.sealer: Sealer = sealer or SodiumSealer()
        self.directory = directory
        self.clock = clock
        self.ids = ids or RandomIds()
        self.registry = registry or Registry.builtin()
        # an instance recorded under a version no file loads is judged by the text the store kept
        self._stop_consulting = self.registry.consult(store.definition)
        self.max_retries = max_retries
        #: the definition texts known to be stored (none remembered in the host's transaction)
        self.texts = Texts(remember=not getattr(store, "hosted", False))
        self.outbox = Outbox(store)  #: every committed event, until acknowledged (:class:`Outbox`)

    @classmethod
    def open(
        cls,
        target: StoreTarget = "collegium.db",
        *,
        clock: Clock,
        ids: IdFactory | None = None,
        registry: Registry | None = None,
        directory: Directory | None = None,
        auto_migrate: bool = True,
    ) -> Engine:
        """An engine on a database: a SQLAlchemy URL, a file path meaning a SQLite file, or the
        host's SQLAlchemy ``Engine``, ``Connection`` or ``Session``
        (:class:`~collegium.store.sqlstore.SqlStore` says what each does)."""
        from collegium.store.sqlstore import SqlStore

        store = SqlStore(target, auto_migrate=auto_migrate)
        return cls(store, clock=clock, ids=ids, registry=registry, directory=directory)

    @classmethod
    def in_memory(
        cls,
        *,
        clock: Clock,
        ids: IdFactory | None = None,
        registry: Registry | None = None,
        directory: Directory | None = None,
    ) -> Engine:
        """An engine on a :class:`~collegium.store.memstore.MemoryStore`: for tests, simulations,
        benchmarks."""
        return cls(MemoryStore(), clock=clock, ids=ids, registry=registry, directory=directory)

    def close(self) -> None:
        """Release the store's connections (an engine is also a context manager)."""
        self._stop_consulting()
        self.store.close()

    def __enter__(self) -> Engine:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @contextmanager
    def batch(self) -> Iterator[None]:
        """Run the block's commands on this thread in one transaction. On a SQL store they commit
        together when the block ends, or roll back together if it raises (a command refused inside
        still writes nothing, and the block may go on); subscribers hear of the events after the
        commit; on SQLite other writers wait until then. In memory each command takes effect at
        once, as outside a batch."""
        remembered = self.texts.remembered()
        try:
            with self.store.batch():
                yield
        except BaseException:
            self.texts.forget_since(remembered)  # the texts its steps stored were rolled back
            raise

    def subscribe(self, callback: Subscriber) -> Callable[[], None]:
        """Call ``callback(event)`` after each event's commit, never inside it (errors are logged);
        returns the undo."""
        return self.store.subscribe(callback)

    # -- bodies -------------------------------------------------------------------------------
    def define_body(self, body: Body, *, pack: str | None = None) -> Body:
        """Create or replace a body and its members (not with a host's directory: the host keeps
        them). Each member's role must be one of ``pack``'s roles (its newest version), or without
        ``pack`` a role some loaded pack names: :class:`InvalidInput` lists them otherwise."""
        if self.directory is not None:
            raise InvalidInput(
                Message(
                    "bodies come from the host's directory here; "
                    "{id!r} is not defined in Collegium",
                    id=body.id,
                )
            )
        packs = [self.registry.pack(pack)] if pack is not None else self.registry.latest_packs()
        check_roles(body, packs)
        self.store.put_body(body, format_time(self.clock.now()))
        return body

    def body(self, body_id: str) -> Body:
        """The body ``body_id`` with its current members; :class:`NotFound` if there is none."""
        body = (
            self.store.body(body_id)
            if self.directory is None
            else self.directory.body(body_id, self.clock.now())
        )
        if body is None:
            raise NotFound(Message("no body {id!r}", id=body_id))
        return body

    # -- reading ------------------------------------------------------------------------------
    def get(self, instance_id: str) -> Instance:
        """The instance as it stands now; :class:`NotFound` if there is none."""
        return Instance.of(self.store.load(instance_id))

    def history(self, instance_id: str) -> list[EventRecord]:
        """Every event of an instance, oldest first: who did what, when, with which data and
        verdict."""
        return self.store.history(instance_id)

    def instances(self, procedure: str | None = None, state: str | None = None) -> list[Instance]:
        """Instances, oldest first, optionally of one procedure and/or in one state."""
        return [Instance.of(r) for r in self.store.instances(procedure, state)]

    def scan(
        self,
        procedure: str | None = None,
        state: str | None = None,
        *,
        batch: int = 1000,
        after: tuple[str, str, str] | None = None,
    ) -> Iterator[Instance]:
        """Instances streamed, ``batch`` per short read, in flat memory; by id (filtered: per
        procedure and state, then by id). ``after``, the (procedure, state, id) of the last instance
        an earlier scan with the same filters gave, resumes past it: a page's keyset."""
        if batch < 1:
            raise InvalidInput(Message("batch must be at least 1, not {batch}", batch=batch))
        return (Instance.of(r) for r in self.store.scan(procedure, state, batch, after))

    def find(
        self,
        procedure: str,
        states: tuple[str, ...] | None = None,
        *,
        before: tuple[str, str] | None = None,
        **equals: str,
    ) -> list[Instance]:
        """Instances of ``procedure`` (in ``states``) by the facts it indexes, e.g.
        ``find("assignment", lead_member="m2")``; ``before=("deadline", time)`` selects values below
        (times: earlier than) ``time``."""
        indexed = self.registry.procedure(procedure).index
        unknown = sorted(set(arguments.lookup_values(equals)) - set(indexed))
        if unknown or (before is not None and before[0] not in indexed):
            wrong = unknown or before
            if not indexed:
                raise InvalidInput(
                    Message(
                        "{procedure} indexes no facts; not {wrong}",
                        procedure=procedure,
                        wrong=wrong,
                    )
                )
            raise InvalidInput(
                Message(
                    "{procedure} indexes {indexed}; not {wrong}",
                    procedure=procedure,
                    indexed=", ".join(indexed),
                    wrong=wrong,
                )
            )
        return [Instance.of(r) for r in self.store.find(procedure, states, equals, before)]

    def ballot(self, instance_id: str) -> Ballot:
        """The instance's ballot (the one opened with its last meeting); :class:`NotFound` if it has
        none.

        While a secret ballot is open its totals are not shown: with the public record of who voted
        when, totals read between votes would tell each choice."""
        with self.store.unit(write=False) as unit:
            return ballots.view(unit.load(instance_id), unit)

    def meeting(self, instance_id: str) -> Meeting:
        """The instance's last meeting: frozen membership, attendance, stated views;
        :class:`NotFound` if none."""
        with self.store.unit(write=False) as unit:
            return ballots.meeting_view(unit.load(instance_id), unit)

    def verify_audit(self) -> AuditReport:
        """Recompute every hash chain; report the first edited, missing, inserted or reordered
        event, then the first stored row that decides an outcome (votes, who voted, timers,
        definition texts, bodies and members, seats and views) and differs from what the chains
        recorded (``collegium.engine.crosscheck``)."""
        return crosscheck.audit(self.store, self.sealer.digest)

    def checkpoint(self, key: SigningKey | bytes, out: CheckpointTarget) -> Checkpoint:
        """Verify the audit, then write to ``out`` (a new file's path, or a binary stream) every
        chain's head, signed with ``key``: a checkpoint (:mod:`collegium.engine.checkpoint`).
        :class:`AuditFailed` if the audit fails."""
        from collegium.engine import checkpoint

        return checkpoint.take(self, key, out)

    def verify_checkpoint(
        self, against: CheckpointSource, public_key: PublicKey | bytes
    ) -> CheckpointReport:
        """Check that every chain still holds the head the checkpoint ``against`` lists (signed by
        the trusted ``public_key``), then verify the audit. :class:`InvalidInput` if the
        checkpoint is not intact."""
        from collegium.engine import checkpoint

        return checkpoint.verify(self, against, public_key)

    # -- commands -----------------------------------------------------------------------------
    def start(
        self,
        procedure: str,
        actor: str,
        data: Mapping[str, Any] | None = None,
        *,
        instance_id: str | None = None,
        version: int | None = None,
        pack_version: str | None = None,
    ) -> Outcome:
        """Start an instance of ``procedure`` (latest version, under its pack's latest, unless
        named). A retried start (same ``instance_id``, same command) returns the first outcome;
        another on that id is :class:`InvalidInput`."""
        named = {"procedure": procedure, **({"instance_id": instance_id} if instance_id else {})}
        data = arguments.check_arguments(actor, data, **named)
        proc = self.registry.compiled(procedure, version, pack_version)
        self.texts.verify(self.store.definition, self.registry, proc)
        payload = inputs.normalize(proc, proc.start_plan, data)
        new_id = instance_id or self.ids.new_id(proc.spec.id)
        now = self.clock.now()
        texts = self.texts.unsaved(self.registry, proc)
        for attempt in range(self.max_retries + 1):
            if (instance_id is not None or attempt > 0) and self.store.state_of(new_id) is not None:
                return replay.started_again(
                    self, proc, new_id, instance_id is not None, actor, payload
                )
            try:
                outcome = starting.write(self, proc, new_id, actor, payload, now, texts)
                break
            except StaleVersion:  # an id taken meanwhile, or a deadlock or lock timeout: look again
                continue
        else:
            raise ConcurrentUpdate(
                Message("could not start {id!r}: the database stayed busy", id=new_id)
            )
        self.texts.stored(texts)
        return outcome

    def fire(
        self,
        instance_id: str,
        trigger: str,
        actor: str,
        data: Mapping[str, Any] | None = None,
        *,
        idempotency_key: str | None = None,
    ) -> Outcome:
        """Fire ``trigger`` on an instance as ``actor`` with ``data``: one step through the stages
        of ``collegium.engine.step``.

        Raises :class:`TransitionNotAllowed`, :class:`InvalidInput` or :class:`RuleViolation`
        without writing anything. With an ``idempotency_key`` already used on this instance,
        returns the first outcome again.
        """
        data = arguments.check_arguments(actor, data, instance=instance_id, trigger=trigger)
        if idempotency_key is not None:
            arguments.check_idempotency_key(idempotency_key)
        command = Command(
            instance_id=instance_id, trigger=trigger, actor=actor, data=data, key=idempotency_key
        )
        return running.run(self, command, fire_due=lambda timer: fire_timer(self, timer))

    def check(
        self, instance_id: str, trigger: str, actor: str, data: Mapping[str, Any] | None = None
    ) -> Verdict:
        """Dry run: the verdict ``fire`` would reach (children it would start included), without
        firing or writing anything."""
        data = arguments.check_arguments(actor, data, instance=instance_id, trigger=trigger)
        return running.check(self, instance_id, trigger, actor, data)

    def available(self, instance_id: str, actor: str) -> list[Availability]:
        """Each trigger that leaves the current state, and whether ``actor`` could fire it now
        (no data)."""
        arguments.check_arguments(actor, None, instance=instance_id)
        return running.available(self, instance_id, actor)

    def run_due(self, until: dt.datetime | None = None, *, batch: int = 500) -> list[TimerRun]:
        """Fire every timer due by ``until`` (default: the clock's now), earliest first.

        Each fires as the engine's own actor at the time it fell due, with an idempotency key naming
        the timer, so running the sweep twice — or once a day instead of once a year — gives the
        same events. A timer whose instance has left its state is dropped; one the rules refuse is
        dropped and reported.
        """
        return run_due(self, until, batch=batch)

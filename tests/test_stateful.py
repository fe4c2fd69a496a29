"""Stateful property test (issue 6, point 4): Hypothesis drives the engine through random runs of
commands — start a matter, take the next step a clerk would take, fire any trigger as anyone with
any data, vote, move the clock, run what fell due, repeat a keyed command — and after every step
checks what must always hold:

- no transition a rule forbids ever happens: every event written has no failed blocking rule, moves
  along the procedure's graph as its branch rules chose, and its actor holds a role the step names;
  the oracles restate the main rules (one vote each, only present voting members vote, views
  before votes and the secretary's last, the secretary's vote last where votes are cast one by one,
  quorum at the opening, at each vote and at the close, the pass threshold, every member consulted,
  the meeting day) from the committee and the commands alone;
- the dry run (``check``, ``available``) agrees with what ``fire`` then does;
- each member's vote counts at most once per ballot, and the stored ballot holds exactly the votes
  accepted;
- a refused command changes nothing (only timers that fell due may fire first, as the engine's own
  steps);
- the audit chain verifies; at the end, state == replay(events): ``rejudge`` runs the whole history
  again on a shadow store, every replayed event hashing to the recorded one, and the same pack
  judges no step differently.

200 examples, derandomized (the same runs every time, in CI too), on the in-memory store; a few on a
SQLite file.
"""

from __future__ import annotations

import datetime as dt
import shutil
import tempfile
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, precondition, rule

from collegium import (
    Engine,
    InvalidInput,
    ManualClock,
    NotFound,
    Outcome,
    Registry,
    RuleViolation,
    SequentialIds,
    TransitionNotAllowed,
)
from collegium.engine import rejudge as rejudging
from collegium.engine.audit import canonical
from collegium.engine.clock import format_time
from collegium.engine.context import SYSTEM_ACTOR
from collegium.engine.scheduler import REMIND
from tests.conftest import START
from tests.stateful_support import (
    ACTORS,
    BODY,
    DEPUTY,
    SECRETARY,
    TRIGGERS,
    VOTING,
    Matter,
    Sitting,
    ballot_agrees,
    junk_data,
    lawful,
    matter_data,
    next_step,
)

PACK = (
    Path(__file__).parent.parent / "collegium" / "rules" / "packs" / "party-committee.yaml"
).read_text("utf-8")
#: the built-in definitions, parsed once for every run (each run's engine and replay only read them)
REGISTRY = Registry.builtin()
#: an unknown body is not found before any rule is judged
REFUSED = (RuleViolation, TransitionNotAllowed, InvalidInput, NotFound)
FAR = format_time(dt.datetime(9000, 1, 1, tzinfo=dt.UTC))
Snapshot = tuple[dict[str, tuple[Any, ...]], list[str], list[Any], dict[str, Any]]


class EngineMachine(RuleBasedStateMachine):
    """Random runs of commands against one engine; ``make_engine`` picks the store."""

    make_engine: Callable[[ManualClock], Engine] = staticmethod(
        lambda clock: Engine.in_memory(clock=clock, ids=SequentialIds(), registry=REGISTRY)
    )

    def __init__(self) -> None:
        super().__init__()
        self.clock = ManualClock(START)
        self.engine = self.make_engine(self.clock)
        self.engine.define_body(BODY)
        self.model: dict[str, Matter] = {}
        self.keyed: tuple[str, str, str, Any, str, Outcome] | None = None
        self.commands = 0

    # -- commands ----------------------------------------------------------------------------------
    @initialize(data=st.data(), matters=st.integers(1, 3))
    def start_matters(self, data: st.DataObject, matters: int) -> None:
        """Every run starts with a few matters proposed as they should be (other rules may not start
        any)."""
        for _ in range(matters):
            payload = {**matter_data(data.draw), "lead_member": "m1", "body": "sc"}
            if payload["category"] == "especially_major":
                payload["category"] = "major"
            out = self.engine.start("major_decision", SECRETARY, payload)
            lawful(self.engine, out.event)
            self.model[out.instance.id] = Matter()

    @precondition(lambda self: len(self.engine.instances("major_decision")) < 5)
    @rule(data=st.data(), actor=st.sampled_from((SECRETARY, SECRETARY, DEPUTY, "m1", *ACTORS)))
    def start_matter(self, data: st.DataObject, actor: str) -> None:
        payload: Any = (
            matter_data(data.draw) if data.draw(st.integers(0, 7)) else junk_data(data.draw)
        )
        before = self.snapshot()
        try:
            out = self.engine.start("major_decision", actor, payload)
        except REFUSED:
            self.assert_unchanged(before)
            return
        assert payload["body"] == "sc" and payload["lead_member"] in VOTING, payload
        assert (
            payload["category"] != "especially_major"
        )  # R-PLENARY-MATTER: not for a standing committee
        lawful(self.engine, out.event)
        self.model[out.instance.id] = Matter()

    @precondition(lambda self: self.model)
    @rule(data=st.data(), steps=st.integers(1, 8))
    def next_steps(self, data: st.DataObject, steps: int) -> None:
        """The steps a clerk would take next on one instance, now and then by someone else or with a
        key."""
        self.carry_on(data, self.pick(data), steps)

    @precondition(lambda self: self.model)
    @rule(data=st.data(), steps=st.integers(4, 12))
    def next_steps_on_a_live_matter(self, data: st.DataObject, steps: int) -> None:
        """The same on an instance not yet in a final state (so runs reach tasks, timers and
        cases)."""
        live = [
            i.id
            for i in self.engine.instances()
            if not self.engine.registry.compiled(i.procedure, i.procedure_version, i.pack_version)
            .spec.states[i.state]
            .terminal
        ]
        if live:
            self.carry_on(data, data.draw(st.sampled_from(live)), steps)

    def carry_on(self, data: st.DataObject, iid: str, steps: int) -> None:
        for _ in range(steps):
            step = next_step(self.engine, iid, self.model.setdefault(iid, Matter()), data.draw)
            if step is None:
                return
            trigger, actor, payload = step
            if data.draw(st.integers(0, 7)) == 0:  # someone else tries it
                actor = data.draw(st.sampled_from(ACTORS))
            key = data.draw(st.sampled_from((None, None, None, f"k{self.commands}")))
            self.command(iid, trigger, actor, payload, key)

    @precondition(lambda self: self.model)
    @rule(data=st.data(), trigger=st.sampled_from(TRIGGERS), actor=st.sampled_from(ACTORS))
    def wild(self, data: st.DataObject, trigger: str, actor: str) -> None:
        iid = self.pick(data)
        step = next_step(self.engine, iid, self.model.setdefault(iid, Matter()), data.draw)
        payload = step[2] if step is not None and data.draw(st.booleans()) else junk_data(data.draw)
        self.command(iid, trigger, actor, payload, None)

    @precondition(lambda self: any(m.sitting for m in self.model.values()))
    @rule(
        data=st.data(),
        voter=st.sampled_from(ACTORS),
        choice=st.sampled_from(("agree", "oppose", "abstain", "disagree", "defer", "maybe")),
    )
    def vote(self, data: st.DataObject, voter: str, choice: str) -> None:
        iid = data.draw(st.sampled_from(sorted(i for i, m in self.model.items() if m.sitting)))
        payload: dict[str, Any] = {"choice": choice}
        item = data.draw(st.sampled_from((None, None, "ann", "bo", "zed")))
        if item is not None:
            payload["item"] = item
        self.command(iid, "vote", voter, payload, None)

    @rule(hours=st.sampled_from((1, 24, 72, 24 * 30, 24 * 200)))
    def advance_clock(self, hours: int) -> None:
        self.clock.advance(dt.timedelta(hours=hours))

    @rule(run=st.booleans())
    def until_next_timer(self, run: bool) -> None:
        """The clock moves on to the next timer's time; the sweep runs, or the next command finds it
        due."""
        due = self.engine.store.due_timers(FAR, 1)
        if due:
            self.clock.set(max(self.clock.now(), dt.datetime.fromisoformat(due[0].due_at)))
            if run:
                self.run_due(0)

    @rule(back=st.sampled_from((0, 0, 48)))
    def run_due(self, back: int) -> None:
        before = self.snapshot()
        runs = self.engine.run_due(self.clock.now() - dt.timedelta(hours=back))
        events = self.new_events(before)
        assert all(e.actor == SYSTEM_ACTOR for e in events)
        assert len([r for r in runs if r.outcome is not None]) == sum(
            e.effects.get("spawned_by") is None for e in events
        )
        if back == 0:
            assert self.engine.store.due_timers(format_time(self.clock.now()), 1) == []
        assert (
            self.engine.run_due(self.clock.now() - dt.timedelta(hours=back)) == []
        )  # a second sweep: nothing

    @precondition(lambda self: self.keyed is not None)
    @rule()
    def retry(self) -> None:
        """The same command with the same idempotency key takes effect once and answers the same."""
        assert self.keyed is not None
        iid, trigger, actor, payload, key, first = self.keyed
        before = self.snapshot()
        again = self.engine.fire(iid, trigger, actor, payload, idempotency_key=key)
        assert again.replayed and again.event == first.event and again.started == first.started
        self.assert_unchanged(before)

    # -- one command, judged -----------------------------------------------------------------------
    def command(self, iid: str, trigger: str, actor: str, payload: Any, key: str | None) -> None:
        self.commands += 1
        before = self.snapshot()
        try:
            dry: Any = self.engine.check(iid, trigger, actor, payload)
        except REFUSED as exc:
            dry = exc
        allowed = None
        if isinstance(actor, str) and actor.strip() and actor != SYSTEM_ACTOR:
            allowed = {a.trigger: a.allowed for a in self.engine.available(iid, actor)}
        try:
            out = self.engine.fire(iid, trigger, actor, payload, idempotency_key=key)
        except REFUSED as exc:
            timers = self.assert_unchanged(before)
            if not timers:  # a timer that fell due first changed what the dry run judged
                if isinstance(dry, Exception):
                    assert type(dry) is type(exc), (dry, exc)
                else:
                    assert isinstance(exc, RuleViolation), (
                        f"check passed {trigger} but fire refused it: {exc!r}"
                    )
                    assert [r.rule_id for r in exc.verdict.failures] == [
                        r.rule_id for r in dry.failures
                    ]
            return
        events = self.new_events(before)
        assert (
            out.event == events[-1 - len(out.started)]
            and out.event.actor == actor
            and out.verdict.passed
        )
        timers = [e for e in events if e.actor == SYSTEM_ACTOR]
        if not timers:
            assert not isinstance(dry, Exception) and dry.passed, (
                f"fire did {trigger} that check refused: {dry!r}"
            )
            assert allowed is None or allowed.get(trigger, True), (
                f"available() said {trigger} was not allowed"
            )
        self.oracle(iid, out, payload)
        if key is not None:
            self.keyed = (iid, trigger, actor, payload, key, out)

    def oracle(self, iid: str, out: Outcome, payload: Any) -> None:
        """The main rules, restated from the committee and the commands, for a step the engine
        took."""
        model, event, facts = self.model.setdefault(iid, Matter()), out.event, out.instance.facts
        if out.instance.procedure != "major_decision":
            return
        sitting, trigger = model.sitting, event.trigger
        personnel = facts.get("category") == "personnel"
        if trigger == "consult":
            assert event.data["member"] in VOTING
            model.consulted.add(event.data["member"])
        elif trigger == "schedule" and facts.get("category") in (
            "major",
            "especially_major",
            "personnel",
        ):
            assert model.consulted >= set(VOTING), model.consulted
        elif trigger in ("open_meeting", "move_reconsideration"):
            given = event.data["attendance"]
            ballot = facts["ballot"]
            model.sitting = sitting = Sitting(
                ballot["id"],
                {p: given.get(p, "absent") for p in VOTING},
                tuple(ballot.get("items") or ()),
                bool(ballot.get("secret")),
                counting=ballot.get("counting"),
                tellers=tuple(ballot.get("tellers") or ()),
                method=ballot.get("method"),
                views_first=trigger == "open_meeting",  # a motion to reconsider: no views
            )
            assert sitting.quorate(personnel), sitting
            assert {
                p: s.attendance for p, s in self.engine.meeting(iid).seats.items() if p in VOTING
            } == sitting.attendance
            if trigger == "open_meeting":
                assert dt.datetime.fromisoformat(facts["meeting_at"]) <= self.clock.now()
        elif trigger == "vote":
            assert sitting is not None and event.source in ("in_meeting", "reconsidering")
            votes = sitting.votes.setdefault(sitting.key(event.data.get("item")), {})
            assert sitting.eligible(event.actor) and event.actor not in votes, (event.actor, votes)
            # every view stated first, the secretary last in a one-by-one vote, a quorum now
            assert sitting.may_vote(event.actor, sitting.key(event.data.get("item")), personnel), (
                event.actor,
                sitting,
            )
            assert event.data.get("choice") == (
                None if sitting.secret else payload["choice"]
            )  # secret: not kept
            assert not sitting.counted  # no vote after the count
            key = sitting.key(event.data.get("item"))
            votes[event.actor] = (
                sitting.marks.pop((key, event.actor), "blank")
                if sitting.counting == "tellers"
                else payload["choice"]
            )
        elif trigger == "count_ballots":
            assert sitting is not None and sitting.counting and not sitting.counted
            sitting.counted = True
            keys = [sitting.key(i) for i in sitting.items] or [sitting.ballot]
            for key in (
                keys
            ):  # what the tellers counted is what the members chose (sealed: opened, not typed)
                want = Counter(sitting.votes.get(key, {}).values())
                assert {c: n for c, n in event.effects["counted"][key].items() if n} == dict(
                    want
                ), (key, want)
        elif trigger == "state_view":
            assert (
                sitting is not None
                and sitting.eligible(event.actor)
                and event.actor not in sitting.views
            )
            if event.actor == SECRETARY:  # the secretary speaks last
                assert {p for p in VOTING if sitting.eligible(p)} - {SECRETARY} <= set(
                    sitting.views
                )
            assert event.source == "in_meeting" and sitting.may_state_view(event.actor), (
                event.actor,
                sitting,
            )
            sitting.views.append(event.actor)
        elif trigger in ("close_ballot", "close_reconsideration"):
            assert sitting is not None and sitting.quorate(personnel)
            assert not sitting.unstated(), sitting  # no close before every view is stated
            assert (
                sitting.counted or not sitting.counting
            )  # a secret ballot closes once its tellers counted it
            assert (event.dest in ("adopted", "deliberation")) == sitting.passes(), (
                sitting,
                event.dest,
            )
        elif trigger == "defer":
            assert facts.get("defer_reason") in (
                "views_diverge",
                "facts_unclear",
            ) and not facts.get("emergency")
        if event.dest == "deliberation" and event.source != "deliberation":
            model.consulted = set(facts.get("consultations") or {})

    # -- what must always hold ---------------------------------------------------------------------
    @invariant()
    def audit_verifies(self) -> None:
        report = self.engine.verify_audit()
        assert report.ok, report.problem

    @invariant()
    def ballots_count_each_vote_once(self) -> None:
        for iid, model in self.model.items():
            facts = self.engine.get(iid).facts
            if (
                model.sitting is not None
                and (facts.get("ballot") or {}).get("id") == model.sitting.ballot
            ):
                ballot_agrees(self.engine, iid, model.sitting, self.counts)

    def teardown(self) -> None:
        try:
            events = list(self.engine.store.iter_events())
            if events:
                report = rejudging.rejudge(self.engine.store, PACK, registry=REGISTRY)
                assert report.diverged == {} and report.changed == (), (
                    report.diverged,
                    report.changed,
                )
                assert report.steps == sum(
                    e.trigger != REMIND for e in events
                )  # every step but the reminders
        finally:
            self.engine.close()

    # -- helpers -----------------------------------------------------------------------------------
    def pick(self, data: st.DataObject) -> str:
        ids = [i.id for i in self.engine.instances()]
        return str(data.draw(st.sampled_from(ids)))

    def snapshot(self) -> Snapshot:
        store = self.engine.store
        rows = {
            r.id: (r.state, r.version, r.event_count, r.head_hash, canonical(r.facts))
            for r in store.iter_instances()
        }
        totals: dict[str, Any] = {}
        for iid, model in self.model.items():
            if model.sitting is not None:
                s = model.sitting
                totals[iid] = {
                    k: self.counts(k, s.secret) for k in [s.key(i) for i in s.items] or [s.ballot]
                }
        return rows, [e.hash for e in store.iter_events()], store.due_timers(FAR, 10**6), totals

    def counts(self, key: str, secret: bool) -> dict[str, int]:
        """The store's running totals of a ballot (of an open secret one too, which only the test
        reads)."""
        with self.engine.store.unit(write=False) as unit:
            return unit.counts(key, secret)

    def new_events(self, before: Snapshot) -> list[Any]:
        events = list(self.engine.store.iter_events())
        assert [e.hash for e in events[: len(before[1])]] == before[1], (
            "an event was changed or removed"
        )
        for e in events[len(before[1]) :]:
            lawful(self.engine, e)
        return events[len(before[1]) :]

    def assert_unchanged(self, before: Snapshot) -> bool:
        """Nothing changed, except by timers that fell due and fired first (the engine's own steps);
        True if any did."""
        events = self.new_events(before)
        assert all(e.actor == SYSTEM_ACTOR for e in events), [(e.trigger, e.actor) for e in events]
        touched = {e.instance_id for e in events}
        after = self.snapshot()
        for iid, row in before[0].items():
            if iid not in touched:
                assert after[0][iid] == row, iid
                assert after[3].get(iid) == before[3].get(iid), iid
        if not events:
            assert after == before
        return bool(events)


EngineMachine.TestCase.settings = settings(
    max_examples=200,
    # each meeting's views (one step per member present) come before its votes: 60 steps, not 50,
    # so that runs still reach as many closes, decisions and tasks as before views were stated
    stateful_step_count=60,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[
        HealthCheck.too_slow,
        HealthCheck.filter_too_much,
        HealthCheck.data_too_large,
    ],
)
test_engine_under_random_commands = EngineMachine.TestCase


class SqliteMachine(EngineMachine):
    """The same runs on a SQLite file: the SQL store must behave as the in-memory one does."""

    def __init__(self) -> None:
        self.folder = tempfile.mkdtemp(prefix="collegium-stateful-")
        self.make_engine = lambda clock: Engine.open(
            f"sqlite:///{self.folder}/c.db", clock=clock, ids=SequentialIds(), registry=REGISTRY
        )
        super().__init__()

    def teardown(self) -> None:
        try:
            super().teardown()
        finally:
            shutil.rmtree(self.folder, ignore_errors=True)


SqliteMachine.TestCase.settings = settings(
    max_examples=15,
    stateful_step_count=48,  # 40 before views were stated (see above)
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[
        HealthCheck.too_slow,
        HealthCheck.filter_too_much,
        HealthCheck.data_too_large,
    ],
)
test_engine_under_random_commands_on_sqlite = SqliteMachine.TestCase

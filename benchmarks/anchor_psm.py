"""An anchor for figure (a): the P1 state graph on
``python-statemachine``, one machine per instance.

The machine class is built once from the compiled ``major_decision`` procedure (the same
states and transitions bare.py uses), with one ``cond`` per transition that evaluates, all of
them, the plain-Python rules of the ``party-committee`` pack bound to its trigger (the rule
functions and :class:`Judged` of bare.py), and the R-PASS branch guard on ``close_ballot``.
Each instance is its own :class:`statemachine.StateMachine` over a model holding ``state`` and
a facts dict; the effects (consultation, meeting and attendance, view, vote, tally) are ``after``
callbacks; the meeting an ``open_meeting`` opens is staged for its guards, then staged again
(same data, same time) by its effect. The views come before the votes, the secretary's last, under
the same guards as bare.py's (R-VOTER, R-RECUSAL, R-ONE-VIEW, R-CHAIR-LAST on ``state_view``;
R-CHAIR-LAST on ``vote`` and ``close_ballot``).

It does what the bare floor does and no more: no payload validation, no verdict kept, no event log,
no store. A refused guard raises ``TransitionNotAllowed`` and leaves the instance where it was.
"""

from __future__ import annotations

import datetime as dt
import statistics
import time
from collections.abc import Callable, Mapping
from typing import Any, cast

from statemachine import State, StateMachine
from statemachine.factory import StateMachineMetaclass

from benchmarks.bare import ROLE_OF, RULES, Judged, Rule, ballot_opened, passes
from benchmarks.scenario import BODY, PROPOSAL, Step
from collegium.engine.clock import ManualClock
from collegium.engine.registry import Registry

Guard = Callable[..., bool]
#: a trigger whose name python-statemachine reserves (``prepare`` is its
#: class-level prepare-callback group)
#: gets another event id; the measured steps never fire it
EVENT_ID = {"prepare": "prepare_matter"}


class PsmInstance:
    """The domain model a machine drives: ``state`` (written by the
    machine) and the instance's facts."""

    state: str

    def __init__(self, facts: dict[str, Any]) -> None:
        self.facts = facts


def _stage_meeting(data: Mapping[str, Any], now: dt.datetime) -> dict[str, Any]:
    """The meeting ``open_meeting`` opens: its guards judge it before the effect records it."""
    attendance = {m.person: "absent" for m in BODY.members}
    attendance.update(data["attendance"])
    return {
        "body": BODY.id,
        "kind": BODY.kind,
        "opened_at": now.isoformat(),
        "members": {p: [r, v] for p, (r, v) in ROLE_OF.items()},
        "attendance": attendance,
        "views": {},
    }


def _judged(
    trigger: str, model: PsmInstance, actor: str, data: Mapping[str, Any] | None, now: dt.datetime
) -> Judged:
    facts: Mapping[str, Any] = model.facts
    payload: Mapping[str, Any] = data or {}
    if trigger == "open_meeting":
        facts = {**facts, "meeting": _stage_meeting(payload, now), "ballot": ballot_opened(payload)}
    return Judged(trigger, actor, {**payload}, facts, now, model.state)


def _guard(trigger: str, roles: frozenset[str]) -> Guard:
    rules: tuple[Rule, ...] = (lambda j: j.role() in roles, *RULES.get(trigger, ()))

    def guard(
        model: PsmInstance, actor: str, data: Mapping[str, Any] | None, now: dt.datetime
    ) -> bool:
        judged = _judged(trigger, model, actor, data, now)
        results = [rule(judged) for rule in rules]  # every rule, as Collegium evaluates every rule
        return all(results)

    guard.__name__ = f"guard_{trigger}"
    return guard


def _pass_guard(
    model: PsmInstance, actor: str, data: Mapping[str, Any] | None, now: dt.datetime
) -> bool:
    return passes(_judged("close_ballot", model, actor, data, now))


def _record(
    event: str, model: PsmInstance, actor: str, data: Mapping[str, Any] | None, now: dt.datetime
) -> None:
    """The effect of a fire on the facts, as bare.py's ``_record`` applies it."""
    facts = model.facts
    payload: Mapping[str, Any] = data or {}
    if event == "consult":
        consultations = dict(facts.get("consultations") or {})
        consultations[payload["member"]] = {
            "view": payload["view"],
            "by": actor,
            "at": now.isoformat(),
        }
        facts["consultations"] = consultations
    elif event == "schedule":
        facts["meeting_at"] = payload["meeting_at"]
    elif event == "open_meeting":
        facts["meeting"] = _stage_meeting(payload, now)
        facts["ballot"] = ballot_opened(payload)
    elif event == "state_view":
        meeting = facts["meeting"]
        facts["meeting"] = {**meeting, "views": {**meeting["views"], actor: payload["view"]}}
    elif event == "vote":
        facts["ballot"] = {
            **facts["ballot"],
            "votes": {**facts["ballot"]["votes"], actor: payload["choice"]},
        }
    elif event == "close_ballot":
        counts = {"agree": 0, "oppose": 0, "abstain": 0}
        for choice in facts["ballot"]["votes"].values():
            counts[choice] += 1
        facts["ballot"] = {**facts["ballot"], "result": counts}


def build_machine_class() -> type[StateMachine]:
    """A StateMachine subclass with the states and transitions of the
    compiled ``major_decision``."""
    spec = Registry.builtin().compiled("major_decision").spec
    states = {
        name: State(name=name, value=name, initial=name == spec.initial, final=st.terminal)
        for name, st in spec.states.items()
    }
    events: dict[str, Any] = {}
    for t in spec.transitions:
        conds: list[Guard] = [_guard(t.trigger, frozenset(t.roles))]
        if t.when == "R-PASS":
            conds.append(_pass_guard)
        elif (
            t.when is not None
        ):  # branch rules the measured sequence never reaches: keep the branch closed
            conds.append(lambda: False)
        for source in t.source:
            transition = states[source].to(states[t.dest], cond=conds, after=_record)
            event = EVENT_ID.get(t.trigger, t.trigger)
            events[event] = events[event] | transition if event in events else transition
    attrs: dict[str, Any] = {**states, **events, "__module__": __name__}
    # what a ``class PsmMajorDecision(StateMachine):`` statement with these attributes would do
    return cast(
        type[StateMachine], StateMachineMetaclass("PsmMajorDecision", (StateMachine,), attrs)
    )


class PsmP1:
    """One python-statemachine machine per instance; :meth:`run` drives them
    through the measured steps."""

    def __init__(self, clock: ManualClock) -> None:
        self.clock = clock
        self.machine_class = build_machine_class()

    def add(self, count: int) -> list[StateMachine]:
        """``count`` machines in ``deliberation`` with the facts the
        Collegium set-up leaves (untimed)."""
        cls = self.machine_class
        return [
            cls(
                model=PsmInstance({**PROPOSAL, "preparation": "research done"}),
                start_value="deliberation",
            )
            for _ in range(count)
        ]

    def remove(self, models: list[StateMachine]) -> None:
        """Nothing to do: no machine is registered anywhere, each goes with its last reference."""

    def run(self, models: list[StateMachine], steps: list[list[Step]]) -> int:
        """Fire every step on its machine; the number of fires. Each
        machine must end in ``adopted``."""
        advance = self.clock.advance
        now = self.clock.now
        n = 0
        for machine, seq in zip(models, steps, strict=True):
            send = machine.send
            event_id = EVENT_ID.get
            for step in seq:
                if step.advance is not None:
                    advance(step.advance)
                # a refused guard raises TransitionNotAllowed
                send(
                    event_id(step.trigger, step.trigger),
                    actor=step.actor,
                    data=step.data,
                    now=now(),
                )
                n += 1
            if machine.model.state != "adopted":
                raise AssertionError(
                    f"python-statemachine ended in {machine.model.state!r}, not 'adopted'"
                )
        return n


if __name__ == "__main__":
    import gc

    from benchmarks import scenario as sc

    clock = ManualClock(sc.START)
    psm = PsmP1(clock)
    per_fire = []
    for _ in range(5):
        machines = psm.add(200)
        plans = sc.plans(clock.now(), 200)
        gc.collect()
        gc.disable()
        t0 = time.perf_counter()
        fires = psm.run(machines, plans)
        per_fire.append((time.perf_counter() - t0) / fires)
        gc.enable()
        assert all(m.model.state == "adopted" for m in machines)
        psm.remove(machines)
    print(
        f"python-statemachine P1: {statistics.median(per_fire) * 1e6:.2f} µs/fire "
        f"(200 instances × {sc.STEPS_PER_INSTANCE} fires, median of 5)"
    )

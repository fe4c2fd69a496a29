"""The floor of figure (a): the P1 state graph on bare ``transitions``, guarded by plain Python.

One shared :class:`transitions.Machine` with the states and transitions of ``major_decision`` (read
from the compiled procedure, so the graph is the same), one model per instance added to it, and for
each trigger a guard that evaluates plain-Python equivalents of every rule the ``party-committee``
pack binds to that trigger (all of them, as Collegium does, not only up to the first failure). The
effects Collegium applies (recording a consultation, the meeting and its attendance, a view, a
vote, the tally) are ``after`` callbacks, so that the guards see the same facts from one fire to the
next. Views come before votes, the secretary's last (末位表态): ``state_view`` is guarded by the
role, the voter (present, not recused), one view each and the secretary last, and ``vote`` and
``close_ballot`` by "every member present has stated a view" (R-CHAIR-LAST), as in the pack.

What the floor does *not* do, and Collegium does: validate and normalise the payload, build a lazy
fact context, keep a rule-by-rule verdict with bilingual message parameters, hash-chain an event per
fire, and copy the instance in and out of a store.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from typing import Any, cast

from transitions import EventData, Machine

from benchmarks.scenario import BODY, PROPOSAL, Step
from collegium.engine.clock import ManualClock, parse_time
from collegium.engine.registry import Registry

Rule = Callable[["Judged"], bool]

ROLE_OF: dict[str, tuple[str, bool]] = {m.person: (m.role, m.voting) for m in BODY.members}
BODY_KIND = BODY.kind
ADVANCE_NOTICE = dt.timedelta(days=1)
QUORUM_STANDING = (1, 2)  # present * 2 >= n
QUORUM_TWO_THIRDS = (2, 3)
PASS_RATIO = (1, 2)  # agree * 2 > n


class BareInstance:
    """A plain model: ``state`` (set by transitions) and a facts dict, as Collegium keeps them."""

    state: str

    def __init__(self, facts: dict[str, Any]) -> None:
        self.facts = facts


class Judged:
    """What the guards of one fire look at: the model's facts (with a staged
    meeting), actor, data, now."""

    __slots__ = ("actor", "data", "facts", "now", "state", "trigger")

    def __init__(
        self,
        trigger: str,
        actor: str,
        data: Mapping[str, Any],
        facts: Mapping[str, Any],
        now: dt.datetime,
        state: str,
    ) -> None:
        self.trigger = trigger
        self.actor = actor
        self.data = data
        self.facts = facts
        self.now = now
        self.state = state

    # derived facts, as Context derives them
    def meeting(self) -> Mapping[str, Any] | None:
        meeting: Mapping[str, Any] | None = self.facts.get("meeting")
        return meeting if meeting and meeting.get("body") == self.facts.get("body") else None

    def role(self) -> str | None:
        meeting = self.meeting()
        if meeting is not None:
            seat = meeting["members"].get(self.actor)
            return seat[0] if seat else None
        seat = ROLE_OF.get(self.actor)
        return seat[0] if seat else None

    def voting_members(self) -> list[str]:
        meeting = self.meeting()
        if meeting is not None:
            return [p for p, (_, voting) in meeting["members"].items() if voting]
        return [p for p, (_, voting) in ROLE_OF.items() if voting]

    def body_kind(self) -> str:
        meeting = self.meeting()
        return meeting["kind"] if meeting is not None else BODY_KIND

    def eligible(self) -> list[str]:
        meeting = self.meeting()
        if meeting is None:
            return []
        att = meeting["attendance"]
        return [p for p in self.voting_members() if att.get(p) == "present"]

    def n(self) -> int:
        meeting = self.meeting()
        if meeting is None:
            return len(self.voting_members())
        att = meeting["attendance"]
        voters = self.voting_members()
        return len(voters) - sum(1 for p in voters if att.get(p) == "recused")

    def votes(self) -> Mapping[str, str]:
        ballot = self.facts.get("ballot") or {}
        votes: Mapping[str, str] = ballot.get("votes") or {}
        return votes

    def views(self) -> Mapping[str, str]:
        meeting = self.meeting()
        views: Mapping[str, str] = (meeting or {}).get("views") or {}
        return views

    def unstated(self) -> list[str]:
        """Present voting members yet to state a view, but for the actor stating theirs now."""
        views = self.views()
        speaking = self.trigger == "state_view"
        return [p for p in self.eligible() if p not in views and not (speaking and p == self.actor)]


# -- the rules of the party-committee pack, as plain functions ------------------------------------
def _role(allowed: frozenset[str]) -> Rule:
    return lambda j: j.role() in allowed


def consultee(j: Judged) -> bool:
    return j.data["member"] in j.voting_members()


def plenary_matter(j: Judged) -> bool:
    return j.facts.get("category") != "especially_major" or j.body_kind() == "plenary"


def deliberation(j: Judged) -> bool:
    if j.facts.get("category") not in ("major", "especially_major", "personnel"):
        return True
    return set(j.voting_members()) <= set(j.facts.get("consultations") or {})


def no_office_decision(j: Judged) -> bool:
    return j.body_kind() in ("standing", "plenary")


def advance_notice(j: Judged) -> bool:  # a warning: computed, never blocks
    _ = parse_time(j.data["meeting_at"]) - j.now >= ADVANCE_NOTICE
    return True


def meeting_day(j: Judged) -> bool:
    return j.now - parse_time(j.facts["meeting_at"]) >= dt.timedelta(0)


def _at_least(count: int, base: int, ratio: tuple[int, int]) -> bool:
    return count * ratio[1] >= base * ratio[0]


def quorum(j: Judged) -> bool:
    kind, category = j.body_kind(), j.facts.get("category")
    ok = True
    if kind == "standing" and category != "personnel":  # R-QUORUM-SC
        ok = _at_least(len(j.eligible()), j.n(), QUORUM_STANDING) and ok
    if category == "personnel":  # R-QUORUM-CADRE
        ok = _at_least(len(j.eligible()), j.n(), QUORUM_TWO_THIRDS) and ok
    if kind == "plenary":  # R-QUORUM-PLENARY
        ok = _at_least(len(j.eligible()), j.n(), QUORUM_TWO_THIRDS) and ok
    return ok


def voter(j: Judged) -> bool:  # R-VOTER: present (so not recused), voting
    return j.actor in j.eligible()


def not_recused(j: Judged) -> bool:  # R-RECUSAL
    meeting = j.meeting()
    return meeting is None or meeting["attendance"].get(j.actor) != "recused"


def one_view(j: Judged) -> bool:  # R-ONE-VIEW
    return j.actor not in j.views()


def chair_last(j: Judged) -> bool:  # R-CHAIR-LAST: views first, the secretary's last
    if j.state != "in_meeting":
        return True
    return not j.unstated() or (j.trigger == "state_view" and j.role() != "secretary")


def chair_votes_last(j: Judged) -> bool:  # R-CHAIR-VOTES-LAST, in an oral or roll-call ballot
    method = (j.facts.get("ballot") or {}).get("method")
    if j.role() != "secretary" or method not in ("oral", "roll_call"):
        return True
    votes = j.votes()
    return all(p in votes for p in j.eligible() if p != j.actor)


def one_vote(j: Judged) -> bool:
    return j.actor not in j.votes()


def passes(j: Judged) -> bool:
    agree = sum(1 for c in j.votes().values() if c == "agree")
    return agree * PASS_RATIO[1] > j.n() * PASS_RATIO[0]


RULES: dict[str, tuple[Rule, ...]] = {
    "consult": (consultee,),
    "schedule": (plenary_matter, deliberation, no_office_decision, advance_notice),
    "open_meeting": (no_office_decision, meeting_day, quorum),
    "state_view": (not_recused, voter, chair_last, one_view),
    "vote": (quorum, not_recused, voter, chair_last, chair_votes_last, one_vote),
    "close_ballot": (no_office_decision, quorum, chair_last),
}


# -- effects ---------------------------------------------------------------------------------------
def _stage_meeting(event: EventData) -> None:
    now: dt.datetime = event.kwargs["now"]
    attendance = {m.person: "absent" for m in BODY.members}
    attendance.update(event.kwargs["data"]["attendance"])
    event.kwargs["meeting"] = {
        "body": BODY.id,
        "kind": BODY.kind,
        "opened_at": now.isoformat(),
        "members": {p: [r, v] for p, (r, v) in ROLE_OF.items()},
        "attendance": attendance,
        "views": {},
    }


def _model(event: EventData) -> BareInstance:
    return cast(BareInstance, event.model)


def _judged(event: EventData) -> Judged:
    facts: Mapping[str, Any] = _model(event).facts
    meeting = event.kwargs.get("meeting")
    if meeting is not None:
        facts = {**facts, "meeting": meeting, "ballot": ballot_opened(event.kwargs["data"])}
    data: Mapping[str, Any] = event.kwargs["data"] or {}
    return Judged(
        event.event.name,
        event.kwargs["actor"],
        {**data},
        facts,
        event.kwargs["now"],
        _model(event).state,
    )


def ballot_opened(data: Mapping[str, Any]) -> dict[str, Any]:
    """The ballot an ``open_meeting`` opens: its method (by default named) and no votes."""
    return {"method": data.get("method", "named"), "votes": {}}


def _record(event: EventData) -> None:
    facts = _model(event).facts
    trigger = event.event.name
    data: Mapping[str, Any] = event.kwargs["data"] or {}
    actor: str = event.kwargs["actor"]
    now: dt.datetime = event.kwargs["now"]
    if trigger == "consult":
        consultations = dict(facts.get("consultations") or {})
        consultations[data["member"]] = {"view": data["view"], "by": actor, "at": now.isoformat()}
        facts["consultations"] = consultations
    elif trigger == "schedule":
        facts["meeting_at"] = data["meeting_at"]
    elif trigger == "open_meeting":
        facts["meeting"] = event.kwargs["meeting"]
        facts["ballot"] = ballot_opened(data)
    elif trigger == "state_view":
        meeting = facts["meeting"]
        facts["meeting"] = {**meeting, "views": {**meeting["views"], actor: data["view"]}}
    elif trigger == "vote":
        facts["ballot"] = {
            **facts["ballot"],
            "votes": {**facts["ballot"]["votes"], actor: data["choice"]},
        }
    elif trigger == "close_ballot":
        counts = {"agree": 0, "oppose": 0, "abstain": 0}
        for choice in facts["ballot"]["votes"].values():
            counts[choice] += 1
        facts["ballot"] = {**facts["ballot"], "result": counts}


class BareP1:
    """The shared Machine plus the plain guards; :meth:`run` drives
    models through measured steps."""

    def __init__(self, clock: ManualClock) -> None:
        proc = Registry.builtin().compiled("major_decision")
        spec = proc.spec
        self.clock = clock
        transitions: list[dict[str, Any]] = []
        for t in spec.transitions:
            rules = (_role(frozenset(t.roles)), *RULES.get(t.trigger, ()))
            conditions: list[Callable[[EventData], bool]] = [self._guard(rules)]
            if t.when == "R-PASS":
                conditions.append(lambda e: passes(_judged(e)))
            transitions.append(
                {
                    "trigger": t.trigger,
                    "source": list(t.source),
                    "dest": t.dest,
                    "conditions": conditions,
                    "after": _record,
                    "prepare": _stage_meeting if t.trigger == "open_meeting" else None,
                }
            )
        self.machine = Machine(
            model=None,
            states=list(spec.states),
            initial=spec.initial,
            transitions=transitions,
            auto_transitions=False,
            send_event=True,
            ignore_invalid_triggers=False,
        )

    @staticmethod
    def _guard(rules: tuple[Rule, ...]) -> Callable[[EventData], bool]:
        def guard(event: EventData) -> bool:
            judged = _judged(event)
            results = [
                rule(judged) for rule in rules
            ]  # every rule, as Collegium evaluates every rule
            return all(results)

        return guard

    def add(self, count: int) -> list[BareInstance]:
        """``count`` models in ``deliberation`` with the facts the
        Collegium set-up leaves (untimed)."""
        models = []
        for _ in range(count):
            model = BareInstance({**PROPOSAL, "preparation": "research done"})
            self.machine.add_model(model, initial="deliberation")
            models.append(model)
        return models

    def remove(self, models: list[BareInstance]) -> None:
        self.machine.remove_model(models)

    def run(self, models: list[BareInstance], steps: list[list[Step]]) -> int:
        advance = self.clock.advance
        now = self.clock.now
        n = 0
        for model, seq in zip(models, steps, strict=True):
            trigger = model.trigger  # type: ignore[attr-defined]
            for step in seq:
                if step.advance is not None:
                    advance(step.advance)
                if not trigger(step.trigger, actor=step.actor, data=step.data, now=now()):
                    raise AssertionError(f"bare guard refused {step.trigger!r} by {step.actor!r}")
                n += 1
        return n

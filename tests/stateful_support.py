"""What the stateful property test (test_stateful.py) drives the engine with, and the oracles it
judges by.

The people: a small standing committee (four voting members and one non-voting member, so a whole
decision fits in a few dozen steps), a stranger, the engine's own actor and a blank name. The
commands: for each instance and state, the step a clerk would take next with data that is usually
right (:func:`next_step`), or any trigger with any data (:func:`wild_data`). The oracles
(:func:`lawful`, :class:`Sitting`) restate the rules that matter most — roles, one vote each, who
votes (views first, the secretary's last; where votes are cast one by one, the secretary's vote
last; a quorum at each vote), quorum, the pass threshold — from the committee and the commands
alone, not from the engine.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from hypothesis import strategies as st

from collegium import Body, Engine, EventRecord, Member, TellerKey
from collegium.engine.clock import iso_duration
from collegium.engine.context import SYSTEM_ACTOR
from collegium.engine.scheduler import REMIND

SECRETARY, DEPUTY = "sec", "dep"
VOTING = (SECRETARY, DEPUTY, "m1", "m2")
NON_VOTING = "obs"
STRANGER = "x1"
ACTORS = (*VOTING, NON_VOTING, STRANGER, SYSTEM_ACTOR, " ")
BODY = Body(
    id="sc",
    kind="standing",
    members=(
        Member(person=SECRETARY, role="secretary"),
        Member(person=DEPUTY, role="deputy_secretary"),
        Member(person="m1", role="standing_member"),
        Member(person="m2", role="standing_member"),
        Member(person=NON_VOTING, role="member", voting=False),
    ),
)
ROLES = {m.person: m.role for m in BODY.members}
#: the tellers' key pair of every electronic secret ballot the runs hold
TELLERS_KEY = TellerKey.from_secret(
    "AAAA-BBBB-CCCC-DDDD-EEEE-FFFF-GGGG-HHHH-IIII-JJJJ-KKKK-LLLL-MMMM"
)
CATEGORIES = ("major", "major", "routine", "important", "personnel", "especially_major")
#: the ballot methods in which votes are cast one by one, the secretary's last (R-CHAIR-VOTES-LAST)
ONE_BY_ONE = ("oral", "roll_call")
ATTENDANCE = ("present", "present", "present", "absent", "recused")
JUNK = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-(2**70), 2**70),
    st.text(max_size=4),
    st.floats(allow_nan=True),
    st.lists(st.text(max_size=3), max_size=3),
    st.dictionaries(st.text(max_size=3), st.text(max_size=3), max_size=2),
)
#: every key any trigger takes, and one none takes
KEYS = (
    "title",
    "category",
    "proposer",
    "lead_member",
    "body",
    "confidentiality",
    "emergency",
    "candidates",
    "preparation",
    "member",
    "view",
    "note",
    "meeting_at",
    "attendance",
    "method",
    "reasons",
    "recused",
    "sitting",
    "choice",
    "item",
    "tellers",
    "ballot_key",
    "counts",
    "teller_secret",
    "defer_reason",
    "audience",
    "deadline",
    "departments",
    "evaluation",
    "finding",
    "metric",
    "unit",
    "baseline",
    "target",
    "target_kind",
    "value",
    "org_measures",
    "personal_measures",
    "rectification",
    "held_at",
    "members",
    "colour",
)
TRIGGERS = (
    "prepare",
    "start_deliberation",
    "consult",
    "schedule",
    "open_meeting",
    "state_view",
    "vote",
    "count_ballots",
    "close_ballot",
    "defer",
    "resume",
    "withdraw",
    "move_reconsideration",
    "close_reconsideration",
    "archive",
    "publish",
    "hand_over",
    "assign",
    "start_execution",
    "evaluate",
    "close",
    "set_target",
    "start_work",
    "report",
    "promote",
    "coordinate",
    "complete",
    "review",
    "close_missed",
    "question",
    "find",
    "dismiss",
    "decide_measures",
    "execute",
    "lapse",
    "propose",
    "fly",
    "",
)

Draw = Callable[[st.SearchStrategy[Any]], Any]


def junk_data(draw: Draw) -> Any:
    """Data no trigger should accept as it is: unknown keys, wrong types, or not a mapping at
    all."""
    return draw(
        st.one_of(
            st.dictionaries(st.sampled_from(KEYS), JUNK, max_size=4),
            st.lists(st.integers(), max_size=2),
            st.just(None),
        )
    )


def matter_data(draw: Draw) -> dict[str, Any]:
    category = draw(st.sampled_from(CATEGORIES))
    data: dict[str, Any] = {
        "title": "Matter",
        "category": category,
        "proposer": SECRETARY,
        "lead_member": draw(st.sampled_from(("m1", "m1", "m2", NON_VOTING, STRANGER))),
        "body": draw(st.sampled_from(("sc", "sc", "sc", "nobody"))),
        "confidentiality": draw(st.sampled_from(("public", "internal", "secret"))),
    }
    if draw(st.integers(0, 4)) == 0:
        data["emergency"] = draw(st.booleans())
    if category == "personnel":
        data["candidates"] = draw(st.sampled_from((["ann"], ["ann", "bo"])))
    return data


@dataclass
class Sitting:
    """A meeting as the model knows it: the attendance it was opened with, the views stated and the
    votes it accepted."""

    ballot: str
    attendance: dict[str, str]
    items: tuple[str, ...]
    secret: bool
    votes: dict[str, dict[str, str]] = field(default_factory=dict)  # ballot key -> voter -> choice
    views: list[str] = field(default_factory=list)
    #: the ballot's method, and whether views come first (the matter's own ballot, in_meeting; a
    #: motion to reconsider is voted on without them)
    method: str | None = None
    views_first: bool = True
    #: a secret ballot's counting (tellers: paper ballots; sealed: electronic), its tellers, and
    #: whether counted
    counting: str | None = None
    tellers: tuple[str, ...] = ()
    counted: bool = False
    #: what each member marks on the paper ballot they are about to return:
    #: (ballot key, voter) -> choice
    marks: dict[tuple[str, str], str] = field(default_factory=dict)

    def key(self, item: Any) -> str:
        return f"{self.ballot}#{item}" if self.items and item else self.ballot

    @property
    def n(
        self,
    ) -> int:  # voting members who should attend: recused ones leave n (recusal_reduces_n)
        return sum(self.attendance[p] != "recused" for p in VOTING)

    @property
    def present(self) -> int:
        return sum(self.attendance[p] == "present" for p in VOTING)

    def eligible(self, person: str) -> bool:
        return person in VOTING and self.attendance.get(person) == "present"

    def quorate(self, personnel: bool) -> bool:
        return 3 * self.present >= 2 * self.n if personnel else 2 * self.present >= self.n

    def unstated(self) -> list[str]:
        """Present voting members yet to state a view, in the order they speak: the secretary
        last."""
        if not self.views_first:
            return []
        return [p for p in (*VOTING[1:], SECRETARY) if self.eligible(p) and p not in self.views]

    def may_state_view(self, person: str) -> bool:
        """Each member present once, before the vote; the secretary after every other one."""
        left = self.unstated()
        return person in left and (person != SECRETARY or left == [SECRETARY])

    def may_vote(self, person: str, key: str, personnel: bool) -> bool:
        """Present and voting, once on each ballot; only once every view is stated; the secretary,
        where votes are cast one by one, after every other member present; a quorum at the vote."""
        votes = self.votes.get(key, {})
        if not self.eligible(person) or person in votes or self.unstated():
            return False
        if person == SECRETARY and self.method in ONE_BY_ONE:
            others = [p for p in VOTING if p != SECRETARY and self.eligible(p)]
            if any(p not in votes for p in others):
                return False
        return self.quorate(personnel)

    def counts(self) -> dict[str, Any]:
        """What the tellers of a paper ballot count: the marks on the ballots returned, per item for
        a list."""

        def one(key: str) -> dict[str, int]:
            return dict(Counter(self.votes.get(key, {}).values()))

        return (
            {item: one(self.key(item)) for item in self.items} if self.items else one(self.ballot)
        )

    def passes(self) -> bool:
        keys = [self.key(i) for i in self.items] or [self.ballot]
        return any(
            2 * sum(c == "agree" for c in self.votes.get(k, {}).values()) > self.n for k in keys
        )


@dataclass
class Matter:
    """What the model remembers of an instance between steps."""

    consulted: set[str] = field(default_factory=set)
    sitting: Sitting | None = None


def next_step(
    engine: Engine, iid: str, model: Matter, draw: Draw
) -> tuple[str, str, dict[str, Any]] | None:
    """The step a clerk would take next on ``iid`` (trigger, actor, data), with data that is usually
    right."""
    inst = engine.get(iid)
    facts, state, now = inst.facts, inst.state, engine.clock.now()
    lead = str(facts.get("lead_member") or "m1")
    if inst.procedure == "assignment":
        targets = facts.get("targets") or {}
        if state == "drafting" and not targets:
            return (
                "set_target",
                lead,
                {
                    "metric": "km",
                    "unit": "km",
                    "baseline": "0",
                    "target": "10",
                    "target_kind": draw(st.sampled_from(("business", "public"))),
                },
            )
        if state == "drafting":
            return "start_work", lead, {}
        if state in ("in_progress", "overdue"):
            step = draw(
                st.sampled_from(("report", "report", "complete", "promote", "close_missed"))
            )
            if step == "report":
                return "report", lead, {"metric": "km", "value": str(draw(st.integers(0, 12)))}
            return (
                step,
                SECRETARY if step == "close_missed" else lead,
                {"note": "n"} if step == "promote" else {},
            )
        return None
    if inst.procedure == "accountability":
        if state == "measures_decided" and draw(st.booleans()):
            # the adjustment waits: a month on, the engine marks it overdue (when one was decided)
            return None
        steps: dict[str, tuple[str, dict[str, Any]]] = {
            "inquiry": draw(
                st.sampled_from(
                    (
                        ("find", {"finding": "late"}),
                        ("find", {}),
                        ("question", {"note": "q"}),
                        ("dismiss", {"finding": "no fault"}),
                    )
                )
            ),
            "rectifying": ("close", {"rectification": "done"}),
            "found": (
                "decide_measures",
                {
                    "org_measures": [],
                    "personal_measures": draw(
                        st.sampled_from((["notice"], ["organisational_adjustment"], ["reprimand"]))
                    ),
                },
            ),
            "measures_decided": ("execute", {}),
            "execution_overdue": ("execute", {}),
        }
        return (steps[state][0], SECRETARY, steps[state][1]) if state in steps else None
    if inst.procedure != "major_decision":
        return None
    if state == "proposed":
        return "prepare", lead, {}
    if state == "preparation":
        return (
            "start_deliberation",
            lead,
            {"preparation": "research done"} if draw(st.integers(0, 5)) else {},
        )
    if state == "deliberation":
        left = [p for p in VOTING if p not in model.consulted]
        if left and draw(st.integers(0, 6)):
            member = (
                left[0]
                if draw(st.integers(0, 5))
                else draw(st.sampled_from((NON_VOTING, STRANGER, *VOTING)))
            )
            return (
                "consult",
                draw(st.sampled_from((SECRETARY, DEPUTY))),
                {"member": member, "view": draw(st.sampled_from(("agree", "oppose", "reserve")))},
            )
        return (
            "schedule",
            SECRETARY,
            {"meeting_at": (now + dt.timedelta(days=draw(st.integers(-1, 3)))).isoformat()},
        )
    if state == "scheduled":
        if draw(st.integers(0, 9)) == 0:
            return "defer", SECRETARY, {"defer_reason": "facts_unclear"}
        at = facts.get("meeting_at")
        if at and dt.datetime.fromisoformat(at) > now and draw(st.integers(0, 5)):
            engine.clock.set(dt.datetime.fromisoformat(at))  # the day of the meeting comes
        return "open_meeting", SECRETARY, meeting_data(draw)
    if state in ("in_meeting", "reconsidering"):
        sitting = model.sitting
        # views at the meeting before the vote, the secretary last; now and then someone speaks out
        # of turn, or a vote is tried before every view is stated
        speakers = sitting.unstated() if sitting and state == "in_meeting" else []
        if speakers and draw(st.integers(0, 7)):
            speaker = speakers[0] if draw(st.integers(0, 7)) else draw(st.sampled_from(speakers))
            return (
                "state_view",
                speaker,
                {"view": draw(st.sampled_from(("agree", "oppose", "reserve")))},
            )
        for item in (sitting.items or (None,)) if sitting else ():
            # where votes are cast one by one the secretary votes last, but now and then tries first
            order = (*VOTING[1:], SECRETARY) if sitting and sitting.method in ONE_BY_ONE else VOTING
            if draw(st.integers(0, 7)) == 0:
                order = VOTING
            left = [
                p
                for p in order
                if sitting
                and sitting.eligible(p)
                and p not in sitting.votes.get(sitting.key(item), {})
            ]
            if sitting and left and draw(st.integers(0, 8)):
                choice = draw(st.sampled_from(choices(engine, iid)))
                data = {"choice": choice}
                if sitting.counting == "tellers":  # the choice is marked on the paper, not given
                    sitting.marks[(sitting.key(item), left[0])] = choice
                    data = {}
                return "vote", left[0], {**data, "item": item} if item else data
        if sitting and sitting.counting and not sitting.counted and draw(st.integers(0, 5)):
            teller = (
                sitting.tellers[0] if sitting.tellers and draw(st.integers(0, 5)) else SECRETARY
            )
            if sitting.counting == "sealed":
                return "count_ballots", teller, {"teller_secret": TELLERS_KEY.secret}
            return "count_ballots", teller, {"counts": sitting.counts()}
        return ("close_ballot" if state == "in_meeting" else "close_reconsideration"), SECRETARY, {}
    if state == "rejected":
        return (
            ("move_reconsideration", SECRETARY, meeting_data(draw))
            if draw(st.booleans())
            else ("archive", SECRETARY, {})
        )
    simple: dict[str, tuple[str, dict[str, Any]]] = {
        "deferred": ("resume", {}),
        "published": ("hand_over", {}),
        "evaluated": ("close", {}),
        "adopted": (
            "publish",
            {"audience": draw(st.sampled_from(("public", "party", "committee")))},
        ),
        "executing": (
            "evaluate",
            {"evaluation": draw(st.sampled_from(("succeeded", "failed"))), "finding": "f"},
        ),
    }
    if state in simple:
        return simple[state][0], SECRETARY, simple[state][1]
    if state == "assigned":
        if facts.get("children") and draw(st.booleans()):
            return "start_execution", SECRETARY, {}
        return (
            "assign",
            SECRETARY,
            {
                "title": "Task",
                "lead_member": draw(st.sampled_from(("m1", "m2", NON_VOTING))),
                "departments": ["roads"],
                "deadline": (now + dt.timedelta(days=draw(st.integers(-1, 20)))).isoformat(),
            },
        )
    return None


def meeting_data(draw: Draw) -> dict[str, Any]:
    attendance = {p: draw(st.sampled_from(ATTENDANCE)) for p in VOTING}
    if draw(st.booleans()):
        attendance[NON_VOTING] = "present"
    if draw(st.integers(0, 5)) == 0:  # a guest sits in (列席), or is wrongly marked a member
        attendance[STRANGER] = draw(st.sampled_from(("attendee", "present")))
    data: dict[str, Any] = {"attendance": attendance}
    method = draw(
        st.sampled_from((None, "named", "secret", "secret_electronic", "show_of_hands", "1-by-1"))
    )
    if method == "1-by-1":  # votes cast one by one, the secretary's last
        method = draw(st.sampled_from(ONE_BY_ONE))
    if method is not None:
        data["method"] = method
    if method in ("secret", "secret_electronic"):  # a teller present, mostly; or one who is not
        present = [p for p, status in attendance.items() if status == "present"] or [NON_VOTING]
        data["tellers"] = [draw(st.sampled_from(present)) if draw(st.integers(0, 6)) else STRANGER]
        if method == "secret_electronic":
            data["ballot_key"] = TELLERS_KEY.public
    return data


def choices(engine: Engine, iid: str) -> tuple[str, ...]:
    options = tuple((engine.get(iid).facts.get("ballot") or {}).get("options") or ("agree",))
    return (*options, "agree", "agree", "agree", "agree")


def blocking_failures(event: EventRecord) -> list[str]:
    """Blocking rules that failed, as the event recorded its verdict ([rule, passed, applicable,
    severity, …])."""
    return [row[0] for row in event.verdict if row[3] == "block" and row[2] and not row[1]]


def lawful(engine: Engine, event: EventRecord) -> None:
    """An event the engine wrote: no blocking rule failed, the move is the procedure's, and the
    actor held a role the step names in the committee (or is the engine, firing a timer: the only
    steps it takes)."""
    assert blocking_failures(event) == [], (
        event.instance_id,
        event.seq,
        event.trigger,
        blocking_failures(event),
    )
    rec = engine.store.load(event.instance_id)
    proc = engine.registry.compiled(rec.procedure, rec.procedure_version, rec.pack_version)
    if (
        event.trigger == REMIND
    ):  # a reminder: the engine's, in a state whose timer declares that lead time
        assert event.actor == SYSTEM_ACTOR and event.source == event.dest and event.verdict == [], (
            event
        )
        [timer] = [
            t for t in proc.spec.states[event.dest].timers if t.trigger == event.data["timer"]
        ]
        assert event.data["lead"] in [iso_duration(lead) for lead in timer.remind], event
        return
    if event.source is None:
        assert event.seq == 1 and event.dest == proc.spec.initial
        plan = proc.start_plan
    else:
        passed = frozenset(
            row[0] for row in event.verdict if row[3] == "branch" and row[1] and row[2]
        )
        assert proc.machine.move(event.source, event.trigger, passed) == event.dest, event
        found = proc.plan(event.source, event.trigger)
        assert found is not None
        plan = found
    tellers = (rec.facts.get("ballot") or {}).get("tellers") or ()
    if event.actor == SYSTEM_ACTOR:
        assert "system" in plan.roles, event
    elif (
        event.trigger == "count_ballots"
    ):  # the tellers named when the ballot opened, for this ballot only
        assert "teller" in plan.roles and event.actor in tellers, (event.actor, tellers)
    else:
        assert ROLES.get(event.actor) in plan.roles, (event.actor, event.trigger, plan.roles)


def ballot_agrees(
    engine: Engine, iid: str, sitting: Sitting, totals: Callable[[str, bool], Mapping[str, int]]
) -> None:
    """The stored ballot shows exactly the votes the model saw accepted: each voter once, no vote
    lost. ``totals`` reads the store's running totals, which an open secret ballot does not show."""
    ballot = engine.ballot(iid)
    assert ballot.id == sitting.ballot
    voters = sorted({v for votes in sitting.votes.values() for v in votes})
    assert list(ballot.voters) == voters and len(set(ballot.voters)) == len(ballot.voters)
    assert all(sitting.eligible(v) for v in voters)
    counted: Mapping[str, Mapping[str, int]] = (
        ballot.items if sitting.items else {sitting.ballot: ballot.counts}
    )
    for key, counts in counted.items():
        want = Counter(sitting.votes.get(sitting.key(key) if sitting.items else key, {}).values())
        stored = totals(sitting.key(key) if sitting.items else key, True)
        if sitting.secret and not ballot.closed:
            assert (
                dict(counts) == {}
            )  # totals of an open secret ballot are not shown: none exist before the count
            assert {c: k for c, k in stored.items() if k} == (dict(want) if sitting.counted else {})
        else:
            assert {c: k for c, k in counts.items() if k} == dict(want), (iid, key, counts, want)
            assert sum(counts.values()) <= sitting.present
    if not sitting.secret and not sitting.items:
        assert dict(ballot.choices) == sitting.votes.get(sitting.ballot, {})
    if sitting.secret:
        assert dict(ballot.choices) == {}

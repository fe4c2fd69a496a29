"""Step definitions for the P1 feature files, one set for both languages.

Every step is one Python function carrying two decorators: an English pattern and a Chinese (zh-CN)
one. Both patterns name the same groups, so the function cannot tell which language called it; only
the messages it checks are read in the feature's own language (``World.lang``, set from the
feature's ``# language:``).

Each scenario gets its own engine with a manual clock and sequential ids, once through the sync API
(in memory) and once through the async API (a SQLite file, aiosqlite): the real engine, the
built-in ``major_decision`` procedure and the ``party-committee`` rule pack, no mocks.

The P2 (ballot) steps live in ``features/steps_p2.py`` and are imported at the end of this file, so
that pytest-bdd finds them here.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from pytest_bdd import parsers, step, then

from collegium import (
    Body,
    CollegiumError,
    Engine,
    Instance,
    ManualClock,
    Member,
    NotFound,
    Outcome,
    Registry,
    RuleResult,
    RuleViolation,
    SequentialIds,
)
from features.steps_p2 import METHODS
from tests._async_bridge import APIS, Blocking

CST = dt.timezone(dt.timedelta(hours=8))
START = dt.datetime(2026, 3, 2, 9, 0, tzinfo=CST)
PROCEDURE = "major_decision"


def q(name: str) -> str:
    """A quoted step argument: "x" in English, “x” in Chinese (either quote style is accepted)."""
    return rf'[“"](?P<{name}>[^”"]+)[”"]'


# Domain vocabulary, both languages -> the identifiers of the procedure and the pack.
BODY_KINDS = {
    "standing committee": "standing",
    "常委会": "standing",
    "plenary committee": "plenary",
    "全委会": "plenary",
    "secretary's office meeting": "secretary_office",
    "书记办公会": "secretary_office",
}
CATEGORIES = {
    "routine": "routine",
    "一般": "routine",
    "important": "important",
    "重要": "important",
    "major": "major",
    "重大": "major",
    "especially major": "especially_major",
    "特别重大": "especially_major",
    "personnel": "personnel",
    "干部任免": "personnel",
}
AUDIENCES = {
    "public": "public",
    "社会": "public",
    "party": "party",
    "党内": "party",
    "committee": "committee",
    "委员会内部": "committee",
}
EVALUATIONS = {
    "succeeded": "succeeded",
    "合格": "succeeded",
    "failed": "failed",
    "不合格": "failed",
}
RESULTS = {"passed": True, "通过": True, "failed": False, "未通过": False}
ALL = {"all", "all other", "全体", "其余"}

KIND_RE = "|".join(re.escape(k) for k in sorted(BODY_KINDS, key=len, reverse=True))
CATEGORY_RE = "|".join(re.escape(k) for k in sorted(CATEGORIES, key=len, reverse=True))


@dataclass
class World:
    """What one scenario has done so far."""

    engine: Engine
    clock: ManualClock
    lang: str = "en"
    matter: str | None = None
    outcome: Outcome | None = None
    refusal: RuleViolation | None = None
    error: CollegiumError | None = None
    failure: RuleResult | None = None
    before: tuple[Any, ...] | None = None
    invited: list[str] = field(default_factory=list)
    recused: list[str] = field(default_factory=list)
    tellers: list[str] = field(default_factory=list)  # of the secret ballot opened next
    #: the SQLite file of the async API's engine (None: the sync engine keeps everything in memory)
    db_path: Path | None = None
    matters: dict[str, str] = field(
        default_factory=dict
    )  # title -> id of the matters a meeting takes up
    sitting: str | None = None  # the meeting (with an agenda) convened in this scenario

    # -- reading --------------------------------------------------------------------------------
    def facts(self) -> dict[str, Any]:
        assert self.matter is not None, "no matter has been proposed in this scenario"
        return dict(self.engine.get(self.matter).facts)

    def body(self) -> Body:
        return self.engine.body(self.facts()["body"])

    def state_id(self, state: str) -> str:
        """A state of the matter's procedure, named by its id or its English or Chinese label."""
        return self.state_of(self.engine.get(self.matter or "").procedure, state)

    def state_of(self, procedure: str, state: str) -> str:
        """A state of ``procedure``, named by its id or its English or Chinese label."""
        spec = self.engine.registry.procedure(procedure)
        wanted = [sid for sid, s in spec.states.items() if state in (sid, s.label.en, s.label.zh)]
        assert wanted, f"{state!r} names no state of {procedure}"
        return wanted[0]

    def cases_on(self, subject: str) -> list[Instance]:
        """The accountability cases whose subject is the instance ``subject``."""
        every = self.engine.instances("accountability")
        return [case for case in every if case.facts.get("subject") == subject]

    def voters_present(self) -> list[str]:
        """Present, non-recused voting members in the body's order, the secretary last
        (末位表态)."""
        seats = self.engine.meeting(self.matter or "").seats
        present = [
            m.person
            for m in self.body().members
            if m.person in seats
            and seats[m.person].attendance == "present"
            and seats[m.person].voting
        ]
        return sorted(present, key=lambda p: seats[p].role == "secretary")

    def snapshot(self) -> tuple[Any, ...]:
        """Everything a refused command must leave as it was (with the ballot: who voted and the
        totals)."""
        instances = len(self.engine.instances())
        if self.matter is None:
            return (instances,)
        inst = self.engine.get(self.matter)
        try:
            ballot = self.engine.ballot(self.matter)
        except NotFound:
            votes: tuple[Any, ...] = ()
        else:
            votes = ballot.voters, dict(ballot.counts), dict(ballot.choices)
        return (
            instances,
            inst.state,
            inst.version,
            inst.event_count,
            len(self.engine.history(self.matter)),
            votes,
        )

    # -- acting ---------------------------------------------------------------------------------
    def act(self, attempt: bool, command: Any) -> None:
        """Run ``command``; with ``attempt`` a refusal is recorded for the Then steps, otherwise it
        fails.

        Any error the engine raises on purpose counts as a refusal (``error``); a rule's refusal is
        also kept as ``refusal``, with the verdict the "refused by rule" steps read.
        """
        self.before = self.snapshot()
        self.refusal = None
        self.error = None
        self.failure = None
        if not attempt:
            self.outcome = command()
            return
        try:
            self.outcome = command()
        except CollegiumError as exc:
            self.error = exc
            self.refusal = exc if isinstance(exc, RuleViolation) else None
        else:
            pytest.fail(
                f"expected a refusal, but the step went through to {self.outcome.instance.state!r}"
            )

    def fire(
        self, trigger: str, actor: str, data: dict[str, Any] | None = None, *, attempt: bool = False
    ) -> None:
        matter = self.matter
        assert matter is not None, "no matter has been proposed in this scenario"
        self.act(attempt, lambda: self.engine.fire(matter, trigger, actor, data))


@pytest.fixture(autouse=True, params=APIS)
def api(request: pytest.FixtureRequest) -> str:
    """Every scenario runs through both faces of the library: the sync ``Engine`` (in memory) and
    the ``AsyncEngine`` (on a SQLite file through aiosqlite)."""
    return str(request.param)


@pytest.fixture(scope="session")
def registry() -> Registry:
    """The built-in procedures and pack, compiled once and shared by every scenario's engine, as a
    host shares them (nothing a scenario does changes a registry)."""
    return Registry.builtin()


@pytest.fixture
def world(api: str, registry: Registry, tmp_path: Path) -> Iterator[World]:
    clock = ManualClock(START)
    engine: Any = (
        Engine.in_memory(clock=clock, ids=SequentialIds(), registry=registry)
        if api == "sync"
        else Blocking.open(
            str(tmp_path / "collegium.db"), clock=clock, ids=SequentialIds(), registry=registry
        )
    )
    try:
        yield World(
            engine=engine, clock=clock, db_path=None if api == "sync" else tmp_path / "collegium.db"
        )
    finally:
        engine.close()


def pytest_bdd_before_scenario(request: pytest.FixtureRequest, feature: Any, scenario: Any) -> None:
    """Messages are checked in the language the feature file is written in."""
    request.getfixturevalue("world").lang = feature.language or "en"


def span(first: str, last: str) -> list[str]:
    """``"m1", "m9"`` -> m1, m2, …, m9."""
    a, b = re.fullmatch(r"(\D*)(\d+)", first), re.fullmatch(r"(\D*)(\d+)", last)
    assert a and b and a.group(1) == b.group(1), f"cannot count from {first!r} to {last!r}"
    return [f"{a.group(1)}{i}" for i in range(int(a.group(2)), int(b.group(2)) + 1)]


# ---------------------------------------------------------------------------------------------
# Bodies
# ---------------------------------------------------------------------------------------------
@step(
    parsers.re(
        rf"an? (?P<kind>{KIND_RE}) {q('body')} with secretary {q('sec')}, "
        rf"deputy secretary {q('dep')} "
        rf"and standing members {q('first')} to {q('last')}"
    )
)
@step(
    parsers.re(
        rf"(?P<kind>{KIND_RE}){q('body')}由书记{q('sec')}、副书记{q('dep')}"
        rf"和常委{q('first')}至{q('last')}组成"
    )
)
def define_body(
    world: World, kind: str, body: str, sec: str, dep: str, first: str, last: str
) -> None:
    members = [Member(person=sec, role="secretary"), Member(person=dep, role="deputy_secretary")]
    members += [Member(person=p, role="standing_member") for p in span(first, last)]
    world.engine.define_body(Body(id=body, kind=BODY_KINDS[kind], members=tuple(members)))


@step(parsers.re(rf"members {q('first')} to {q('last')} also sit on {q('body')}"))
@step(parsers.re(rf"委员{q('first')}至{q('last')}也是{q('body')}的成员"))
def add_members(world: World, first: str, last: str, body: str) -> None:
    old = world.engine.body(body)
    extra = tuple(Member(person=p, role="member") for p in span(first, last))
    world.engine.define_body(
        Body(id=old.id, kind=old.kind, title=old.title, members=old.members + extra)
    )


# ---------------------------------------------------------------------------------------------
# Commands (usable as Given or When). "tries to …" / "试图…" expects a refusal and records it.
# ---------------------------------------------------------------------------------------------
@step(
    parsers.re(
        rf"{q('actor')} (?:(?P<attempt>tries to) propose|proposes) "
        rf"an? (?P<category>{CATEGORY_RE}) matter {q('title')} to {q('body')} "
        rf"with lead member {q('lead')}(?P<emergency>, marked an emergency)?"
    )
)
@step(
    parsers.re(
        rf"{q('actor')}(?P<attempt>试图)?向{q('body')}"
        rf"提出(?P<category>{CATEGORY_RE})议题{q('title')}，"
        rf"分管常委为{q('lead')}(?P<emergency>，列为紧急事项)?"
    )
)
def propose(
    world: World,
    actor: str,
    attempt: str | None,
    category: str,
    title: str,
    body: str,
    lead: str,
    emergency: str | None,
) -> None:
    data = {
        "title": title,
        "category": CATEGORIES[category],
        "proposer": actor,
        "lead_member": lead,
        "body": body,
        "confidentiality": "public",
    }
    if emergency:
        data["emergency"] = True
    world.act(bool(attempt), lambda: world.engine.start(PROCEDURE, actor, data))
    if world.outcome is not None and world.refusal is None:
        world.matter = world.outcome.instance.id


@step(parsers.re(rf"{q('actor')} prepares the matter and starts individual deliberation"))
@step(parsers.re(rf"{q('actor')}开展调查研究、决策咨询后开始个别酝酿"))
def prepare_and_deliberate(world: World, actor: str) -> None:
    world.fire("prepare", actor)
    world.fire(
        "start_deliberation",
        actor,
        {"preparation": "investigation, research and consultation done"},
    )


@step(parsers.re(rf"{q('actor')} consults every voting member(?: except {q('skip')})?"))
@step(parsers.re(rf"{q('actor')}个别征求了(?:除{q('skip')}以外)?每位有表决权成员的意见"))
def consult_all(world: World, actor: str, skip: str | None) -> None:
    for member in world.body().members:
        if member.voting and member.person != skip:
            world.fire("consult", actor, {"member": member.person, "view": "agree"})


@step(
    parsers.re(
        rf"{q('actor')} (?:(?P<attempt>tries to) schedule|schedules) "
        rf"the matter for a meeting on {q('at')}"
    )
)
@step(parsers.re(rf"{q('actor')}(?P<attempt>试图)?将议题列入{q('at')}召开的会议议程"))
def schedule(world: World, actor: str, attempt: str | None, at: str) -> None:
    world.fire("schedule", actor, {"meeting_at": at}, attempt=bool(attempt))


@step(parsers.re("the meeting time has come"))
@step(parsers.re("会议时间已到"))
def meeting_time(world: World) -> None:
    world.clock.set(dt.datetime.fromisoformat(world.facts()["meeting_at"]))


@step(parsers.re(rf"{q('person')} is invited to attend without a vote"))
@step(parsers.re(rf"{q('person')}应邀列席会议"))
def invite(world: World, person: str) -> None:
    world.invited.append(person)


@step(
    parsers.re(
        rf"{q('actor')} (?:(?P<attempt>tries to) open|opens) the meeting"
        r"(?: for an? (?P<method>named|secret|roll-call) ballot)?"
        r" with (?P<present>all(?: other)?|\d+) members present"
    )
)
@step(
    parsers.re(
        rf"{q('actor')}(?P<attempt>试图)?召开会议"
        r"(?:并采用(?P<method>记名投票|无记名投票|唱名表决))?，"
        r"(?P<present>全体|其余|\d+ 名)成员到会"
    )
)
def open_meeting(
    world: World, actor: str, attempt: str | None, method: str | None, present: str
) -> None:
    """The first ``present`` voting members attend, the rest are absent; recused members are
    marked so."""
    voters = [m.person for m in world.body().members if m.voting and m.person not in world.recused]
    count = len(voters) if present in ALL else int(re.sub(r"\D", "", present))
    attendance = {p: ("present" if i < count else "absent") for i, p in enumerate(voters)}
    attendance |= dict.fromkeys(world.recused, "recused") | dict.fromkeys(world.invited, "attendee")
    data: dict[str, Any] = {"attendance": attendance}
    if method is not None:
        data["method"] = METHODS[method]
    if world.tellers:
        data["tellers"] = world.tellers
    world.fire("open_meeting", actor, data, attempt=bool(attempt))


@step(
    parsers.re(
        r"the members present vote: "
        r"(?P<agree>\d+) agree, (?P<oppose>\d+) oppose, (?P<abstain>\d+) abstain"
    )
)
@step(
    parsers.re(
        r"到会成员投票：同意 (?P<agree>\d+) 票，不同意 (?P<oppose>\d+) 票，弃权 (?P<abstain>\d+) 票"
    )
)
def vote(world: World, agree: str, oppose: str, abstain: str) -> None:
    present = world.voters_present()  # the secretary votes after everyone else
    choices = ["agree"] * int(agree) + ["oppose"] * int(oppose) + ["abstain"] * int(abstain)
    assert len(choices) <= len(present), (
        f"{len(choices)} votes but only {len(present)} voters present"
    )
    for person, choice in zip(present, choices, strict=False):
        world.fire("vote", person, {"choice": choice})


@step(parsers.re(rf"{q('actor')} (?P<attempt>tries to close|closes) the ballot"))
@step(parsers.re(rf"{q('actor')}(?P<attempt>试图)?结束表决(?:并计票|并宣布结果)"))
def close_ballot(world: World, actor: str, attempt: str | None) -> None:
    world.fire("close_ballot", actor, attempt=attempt in ("tries to close", "试图"))


@step(
    parsers.re(rf"{q('actor')} publishes the decision to the (?P<audience>public|party|committee)")
)
@step(parsers.re(rf"{q('actor')}将决策向(?P<audience>社会|党内|委员会内部)公开"))
def publish(world: World, actor: str, audience: str) -> None:
    world.fire("publish", actor, {"audience": AUDIENCES[audience]})


@step(
    parsers.re(
        rf"{q('actor')} (?:(?P<attempt>tries to) assign|assigns) "
        rf"the task {q('title')} to lead member "
        rf"{q('lead')} with {q('department')} by {q('deadline')}"
    )
)
@step(
    parsers.re(
        rf"{q('actor')}(?P<attempt>试图)?分解任务{q('title')}，牵头常委为{q('lead')}，"
        rf"责任部门为{q('department')}，"
        rf"完成时限为{q('deadline')}"
    )
)
def assign_task(
    world: World,
    actor: str,
    attempt: str | None,
    title: str,
    lead: str,
    department: str,
    deadline: str,
) -> None:
    world.fire(
        "assign",
        actor,
        {"title": title, "lead_member": lead, "departments": [department], "deadline": deadline},
        attempt=bool(attempt),
    )


@step(parsers.re(rf"{q('actor')} (?:(?P<attempt>tries to) start|starts) carrying out the decision"))
@step(parsers.re(rf"{q('actor')}(?P<attempt>试图)?组织实施决策"))
def start_execution(world: World, actor: str, attempt: str | None) -> None:
    world.fire("start_execution", actor, attempt=bool(attempt))


@step(parsers.re(rf"{q('actor')} hands the decision over for responsibility assignment"))
@step(parsers.re(rf"{q('actor')}将决策移交责任分解"))
def hand_over(world: World, actor: str) -> None:
    world.fire("hand_over", actor)


@step(
    parsers.re(
        rf"{q('actor')} evaluates the decision as (?P<evaluation>succeeded|failed): {q('finding')}"
    )
)
@step(parsers.re(rf"{q('actor')}评估决策为(?P<evaluation>合格|不合格)，评估意见为{q('finding')}"))
def evaluate(world: World, actor: str, evaluation: str, finding: str) -> None:
    world.fire("evaluate", actor, {"evaluation": EVALUATIONS[evaluation], "finding": finding})


@step(parsers.re(rf"{q('actor')} closes the matter"))
@step(parsers.re(rf"{q('actor')}办结议题"))
def close(world: World, actor: str) -> None:
    world.fire("close", actor)


# ---------------------------------------------------------------------------------------------
# Outcomes
# ---------------------------------------------------------------------------------------------
@then(parsers.re(rf"the matter is (?:still )?{q('state')}"))
@then(parsers.re(rf"议题状态(?:仍)?为{q('state')}"))
def matter_state(world: World, state: str) -> None:
    inst, wanted = world.engine.get(world.matter or ""), world.state_id(state)
    assert inst.state == wanted, f"the matter is {inst.state!r}, expected {wanted!r}"


@then(parsers.re(rf"the step is refused by rule {q('rule')}"))
@then(parsers.re(rf"该操作被规则{q('rule')}拒绝"))
def refused_by(world: World, rule: str) -> None:
    assert world.refusal is not None, f"the step was not refused by a rule (error: {world.error!r})"
    failures = {f.rule_id: f for f in world.refusal.verdict.failures}
    assert rule in failures, f"refused by {sorted(failures)}, not by {rule}"
    world.failure = failures[rule]


@then(parsers.re(rf"the refusal says {q('text')}"))
@then(parsers.re(rf"拒绝理由包含{q('text')}"))
def refusal_says(world: World, text: str) -> None:
    assert world.failure is not None, "no refusal was checked"
    said = world.failure.message(world.lang)
    assert text in said, f"{world.failure.rule_id} says {said!r} ({world.lang}), not {text!r}"


@then(parsers.re(rf"the refused rule is titled {q('text')} and cites {q('citation')}"))
@then(parsers.re(rf"所依规则为{q('text')}，依据{q('citation')}"))
def refusal_title(world: World, text: str, citation: str) -> None:
    assert world.failure is not None, "no refusal was checked"
    assert world.failure.title.get(world.lang) == text, world.failure.title
    cited = world.failure.cited(world.lang)
    assert citation in cited, cited


@then(parsers.re("the refused step changed nothing"))
@then(parsers.re("被拒绝的操作未改变任何记录"))
def nothing_changed(world: World) -> None:
    assert world.error is not None, "the step was not refused"
    assert world.before is not None
    assert world.snapshot() == world.before, (
        f"{world.snapshot()} != {world.before} (instances, state, version, …)"
    )


@then(
    parsers.re(
        r"the ballot counts "
        r"(?P<agree>\d+) agree, (?P<oppose>\d+) oppose, (?P<abstain>\d+) abstain; "
        r"(?P<present>\d+) present of (?P<n>\d+) who should attend"
    )
)
@then(
    parsers.re(
        r"计票结果：同意 (?P<agree>\d+) 票，不同意 (?P<oppose>\d+) 票，弃权 (?P<abstain>\d+) 票；"
        r"应到 (?P<n>\d+) 人，实到 (?P<present>\d+) 人"
    )
)
def ballot_counts(
    world: World, agree: str, oppose: str, abstain: str, present: str, n: str
) -> None:
    result = world.facts()["ballot"]["result"]
    got = {k: result[k] for k in ("agree", "oppose", "abstain", "present", "n")}
    want = {
        "agree": int(agree),
        "oppose": int(oppose),
        "abstain": int(abstain),
        "present": int(present),
        "n": int(n),
    }
    assert got == want, f"ballot {got}, expected {want}"


@then(parsers.re(rf"rule {q('rule')} (?P<result>passed|failed)(?: saying {q('text')})?"))
@then(parsers.re(rf"规则{q('rule')}(?P<result>未通过|通过)(?:，说明为{q('text')})?"))
def rule_result(world: World, rule: str, result: str, text: str | None) -> None:
    assert world.outcome is not None and world.refusal is None, "the last step did not go through"
    found = world.outcome.verdict.result(rule)
    assert found is not None, f"{rule} was not checked on {world.outcome.verdict.trigger!r}"
    assert found.applicable, f"{rule} did not apply: {found.message(world.lang)}"
    assert found.passed is RESULTS[result], f"{rule}: {found.message(world.lang)}"
    if text is not None:
        assert found.message(world.lang) == text, f"{rule} says {found.message(world.lang)!r}"


@then(parsers.re(r"the history holds (?P<count>\d+) events and the audit chain is intact"))
@then(parsers.re(r"历史记录共 (?P<count>\d+) 条，审计链完整"))
def audit(world: World, count: str) -> None:
    assert len(world.engine.history(world.matter or "")) == int(count)
    report = world.engine.verify_audit()
    assert report.problem is None, report


# The steps of the other modules, imported here, where pytest-bdd looks for them.
from features.steps_briefings import *  # noqa: E402, F403  (P5 periodic briefings)
from features.steps_commitments import *  # noqa: E402, F403  (P6 annual public commitments)
from features.steps_generic import *  # noqa: E402, F403  (any procedure, by tables of facts)
from features.steps_integrity import *  # noqa: E402, F403  (changes behind the engine; the audit)
from features.steps_meeting import *  # noqa: E402, F403  (meetings with an agenda)
from features.steps_p2 import *  # noqa: E402, F403  (P2 ballot steps)
from features.steps_plenary import *  # noqa: E402, F403  (P5 the plenary committee)
from features.steps_proposals import *  # noqa: E402, F403  (P7 suggestions and proposals)
from features.steps_reports import *  # noqa: E402, F403  (P5 periodic reports)
from features.steps_rules_p1 import *  # noqa: E402, F403  (the pack's rules, one by one)
from features.steps_rules_p3_p6 import *  # noqa: E402, F403  (the pack's rules, P3 to P6)
from features.steps_tasks import *  # noqa: E402, F403  (P3 tasks, P4 supervision, accountability)

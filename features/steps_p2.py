"""Step definitions for P2 (ballot voting, 常委会票决制), one set for both languages, as in
``conftest.py``.

``conftest.py`` imports the step fixtures this module defines (see ``__all__`` at the end), and
provides the ``world`` fixture these steps act on; the P1 steps (propose, open the meeting, vote,
close the ballot, "the step is refused by rule …") serve P2 as well.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from pytest_bdd import parsers, step, then

from collegium import InvalidInput, TransitionNotAllowed

if TYPE_CHECKING:
    from collegium import Ballot
    from features.conftest import World


def q(name: str) -> str:
    """A quoted step argument: "x" in English, “x” in Chinese (the same helper as in
    ``conftest.py``)."""
    return rf'[“"](?P<{name}>[^”"]+)[”"]'


QUOTED = r'[“"][^”"]+[”"]'
#: one or more quoted names: "m8" and "m9" / “常委8”和“常委9”
NAMES = rf"(?P<people>{QUOTED}(?:(?:, | and |、|和){QUOTED})*)"

# Ballot vocabulary, both languages -> the engine's methods, choices and views. "不同意" is "oppose"
# in an ordinary ballot and "disagree" in a personnel one (同意/不同意/缓议); "反对" is always
# "oppose".
WORDS = {"同意": "agree", "反对": "oppose", "弃权": "abstain", "缓议": "defer", "保留": "reserve"}
REASONS = {
    "views diverge": "views_diverge",
    "key facts are unclear": "facts_unclear",
    "意见分歧较大": "views_diverge",
    "重要情况不明": "facts_unclear",
}
METHODS = {
    "named": "named",
    "记名投票": "named",
    "secret": "secret",
    "无记名投票": "secret",
    "roll-call": "roll_call",
    "唱名表决": "roll_call",
}


def names(text: str) -> list[str]:
    return re.findall(r'[“"]([^”"]+)[”"]', text)


def choice(world: World, word: str) -> str:
    """A vote or view as the engine names it."""
    if word == "不同意":
        return (
            "disagree"
            if "disagree" in (world.facts().get("ballot") or {}).get("options", ())
            else "oppose"
        )
    return WORDS.get(word, word)


def ballot(world: World) -> Ballot:
    assert world.matter is not None, "no matter has been proposed in this scenario"
    return world.engine.ballot(world.matter)


def trigger_id(world: World, trigger: str) -> str:
    """A trigger named by its id or its transition's English or Chinese label."""
    inst = world.engine.get(world.matter or "")
    spec = world.engine.registry.procedure(inst.procedure)
    wanted = [
        t.trigger
        for t in spec.transitions
        if trigger in (t.trigger, *((t.label.en, t.label.zh) if t.label else ()))
    ]
    assert wanted, f"{trigger!r} names no trigger of {inst.procedure}"
    return wanted[0]


# ---------------------------------------------------------------------------------------------
# Commands
# ---------------------------------------------------------------------------------------------
@step(parsers.re(rf"{NAMES} (?:is|are) recused from the matter"))
@step(parsers.re(rf"{NAMES}回避本议题"))
def recuse(world: World, people: str) -> None:
    world.recused += names(people)


@step(parsers.re(rf"{q('person')} (?:(?P<attempt>tries to) vote|votes) {q('word')}"))
@step(parsers.re(rf"{q('person')}(?P<attempt>试图)?投{q('word')}票"))
def vote_one(world: World, person: str, attempt: str | None, word: str) -> None:
    world.fire("vote", person, {"choice": choice(world, word)}, attempt=bool(attempt))


@step(
    parsers.re(
        r"the members present vote on the appointment: "
        r"(?P<agree>\d+) agree, (?P<disagree>\d+) disagree, "
        r"(?P<defer>\d+) defer"
    )
)
@step(
    parsers.re(
        r"到会成员对任免事项投票：同意 (?P<agree>\d+) 票，不同意 (?P<disagree>\d+) 票，"
        r"缓议 (?P<defer>\d+) 票"
    )
)
def vote_personnel(world: World, agree: str, disagree: str, defer: str) -> None:
    present = world.voters_present()
    choices = ["agree"] * int(agree) + ["disagree"] * int(disagree) + ["defer"] * int(defer)
    assert len(choices) <= len(present), (
        f"{len(choices)} votes but only {len(present)} voters present"
    )
    for person, chosen in zip(present, choices, strict=False):
        world.fire("vote", person, {"choice": chosen})


@step(
    parsers.re(
        rf"{q('actor')} proposes to {q('body')} the appointment of {NAMES} "
        rf"with lead member {q('lead')}"
    )
)
@step(parsers.re(rf"{q('actor')}向{q('body')}提出任免议题，候选人为{NAMES}，分管常委为{q('lead')}"))
def propose_candidates(world: World, actor: str, body: str, people: str, lead: str) -> None:
    """A personnel matter with a list of candidates: each is voted on separately (逐个表决)."""
    data = {
        "title": "appointments",
        "category": "personnel",
        "proposer": actor,
        "lead_member": lead,
        "body": body,
        "confidentiality": "internal",
        "candidates": names(people),
    }
    world.matter = world.engine.start("major_decision", actor, data).instance.id


@step(
    parsers.re(
        rf"the members present vote on {q('item')}: "
        r"(?P<agree>\d+) agree, (?P<disagree>\d+) disagree, "
        r"(?P<defer>\d+) defer"
    )
)
@step(
    parsers.re(
        rf"到会成员对{q('item')}投票：同意 (?P<agree>\d+) 票，不同意 (?P<disagree>\d+) 票，"
        r"缓议 (?P<defer>\d+) 票"
    )
)
def vote_item(world: World, item: str, agree: str, disagree: str, defer: str) -> None:
    present = world.voters_present()
    choices = ["agree"] * int(agree) + ["disagree"] * int(disagree) + ["defer"] * int(defer)
    assert len(choices) <= len(present), (
        f"{len(choices)} votes but only {len(present)} voters present"
    )
    for person, chosen in zip(present, choices, strict=False):
        world.fire("vote", person, {"choice": chosen, "item": item})


@then(
    parsers.re(
        rf"the result for {q('item')} is (?P<result>passed|failed) with (?P<agree>\d+) agree of "
        r"(?P<needed>\d+) needed"
    )
)
@then(
    parsers.re(
        rf"{q('item')}的表决结果为(?P<result>未通过|通过)，"
        r"同意 (?P<agree>\d+) 票，至少须 (?P<needed>\d+) 票"
    )
)
def item_result(world: World, item: str, result: str, agree: str, needed: str) -> None:
    recorded = (world.facts().get("ballot") or {}).get("result") or {}
    got = recorded["items"][item]
    assert (got["passed"], got["agree"], got["needed"]) == (
        result in ("passed", "通过"),
        int(agree),
        int(needed),
    )


@step(parsers.re(rf"{q('person')} (?:(?P<attempt>tries to) state|states) the view {q('word')}"))
@step(parsers.re(rf"{q('person')}(?P<attempt>试图)?表态{q('word')}"))
def state_view(world: World, person: str, attempt: str | None, word: str) -> None:
    world.fire("state_view", person, {"view": choice(world, word)}, attempt=bool(attempt))


@step(
    parsers.re(
        rf"every member present but the secretary(?: and {q('skip')})? states the view {q('word')}"
    )
)
@step(parsers.re(rf"除书记(?:和{q('skip')})?以外的到会成员逐一表态{q('word')}"))
def state_views(world: World, skip: str | None, word: str) -> None:
    seats = world.engine.meeting(world.matter or "").seats
    for person in world.voters_present():
        if seats[person].role != "secretary" and person != skip:
            world.fire("state_view", person, {"view": choice(world, word)})


@step(parsers.re(rf"the members present state the view {q('word')}, the secretary last"))
@step(parsers.re(rf"到会成员逐一表态{q('word')}，书记末位表态"))
def state_views_all(world: World, word: str) -> None:
    """末位表态: every present, non-recused voting member states the view in the body's order, the
    secretary last; the votes come after."""
    for person in world.voters_present():
        world.fire("state_view", person, {"view": choice(world, word)})


@step(
    parsers.re(
        rf"{q('actor')} (?:(?P<attempt>tries to) defer|defers) the vote"
        r"(?: because (?P<reason>views diverge|key facts are unclear)| without giving a reason)"
    )
)
@step(
    parsers.re(
        rf"{q('actor')}(?P<attempt>试图)?暂缓表决"
        r"(?:，理由为(?P<reason>意见分歧较大|重要情况不明)|，未说明理由)"
    )
)
def defer(world: World, actor: str, attempt: str | None, reason: str | None) -> None:
    data = {"defer_reason": REASONS[reason]} if reason else {}
    world.fire("defer", actor, data, attempt=bool(attempt))


# ---------------------------------------------------------------------------------------------
# Outcomes
# ---------------------------------------------------------------------------------------------
@step(
    parsers.re(
        rf"{q('actor')} (?:(?P<attempt>tries to) put|puts) "
        r"a motion to reconsider to a meeting with "
        r"(?P<present>all|\d+) members present"
    )
)
@step(parsers.re(rf"{q('actor')}(?P<attempt>试图)?提请复议，(?P<present>全体|\d+ 名)成员到会"))
def move_reconsideration(world: World, actor: str, attempt: str | None, present: str) -> None:
    """复议: the motion to reopen a rejected matter is voted at a meeting of its own."""
    voters = [m.person for m in world.body().members if m.voting]
    count = len(voters) if present in ("all", "全体") else int(re.sub(r"\D", "", present))
    attendance = {p: ("present" if i < count else "absent") for i, p in enumerate(voters)}
    world.fire("move_reconsideration", actor, {"attendance": attendance}, attempt=bool(attempt))


@step(parsers.re(rf"{q('actor')} closes the vote on reconsideration"))
@step(parsers.re(rf"{q('actor')}结束复议表决"))
def close_reconsideration(world: World, actor: str) -> None:
    world.fire("close_reconsideration", actor)


@then(parsers.re(rf"the step is refused as invalid input naming {q('text')}"))
@then(parsers.re(rf"该操作因输入无效被拒绝，提示中列出{q('text')}"))
def refused_as_input(world: World, text: str) -> None:
    assert isinstance(world.error, InvalidInput), f"not refused as invalid input: {world.error!r}"
    assert text in str(world.error), f"{world.error} does not name {text!r}"


@then(
    parsers.re(rf"the step is refused because {q('trigger')} is not allowed in state {q('state')}")
)
@then(parsers.re(rf"该操作被拒绝：状态{q('state')}下不能执行{q('trigger')}"))
def refused_transition(world: World, trigger: str, state: str) -> None:
    error = world.error
    assert isinstance(error, TransitionNotAllowed), f"no TransitionNotAllowed: {error!r}"
    wanted = trigger_id(world, trigger), world.state_id(state)
    assert (error.trigger, error.state) == wanted, (
        f"{error.trigger!r} refused in {error.state!r}, not {wanted}"
    )
    assert wanted[0] not in error.allowed, error.allowed


@then(
    parsers.re(
        r"the personnel ballot counts "
        r"(?P<agree>\d+) agree, (?P<disagree>\d+) disagree, (?P<defer>\d+) defer; "
        r"(?P<present>\d+) present of (?P<n>\d+) who should attend"
    )
)
@then(
    parsers.re(
        r"任免表决计票结果：同意 (?P<agree>\d+) 票，不同意 (?P<disagree>\d+) 票，"
        r"缓议 (?P<defer>\d+) 票；"
        r"应到 (?P<n>\d+) 人，实到 (?P<present>\d+) 人"
    )
)
def personnel_counts(
    world: World, agree: str, disagree: str, defer: str, present: str, n: str
) -> None:
    counts = {"agree": int(agree), "disagree": int(disagree), "defer": int(defer)}
    result = world.facts()["ballot"]["result"]
    got = {k: result.get(k) for k in (*counts, "present", "n")}
    assert got == counts | {"present": int(present), "n": int(n)}, f"ballot result {got}"
    assert "oppose" not in result and "abstain" not in result, f"not a personnel ballot: {result}"
    assert dict(ballot(world).counts) == counts, dict(ballot(world).counts)


@then(
    parsers.re(
        r"the ballot result is recorded as (?P<result>passed|failed), "
        r"(?P<needed>\d+) agree votes needed, "
        r"by (?P<method>named|secret|roll-call) ballot"
    )
)
@then(
    parsers.re(
        r"表决结果记录为(?P<result>未通过|通过)，至少须同意 (?P<needed>\d+) 票，"
        r"表决方式为(?P<method>无记名投票|记名投票|唱名表决)"
    )
)
def ballot_result(world: World, result: str, needed: str, method: str) -> None:
    recorded = world.facts()["ballot"]["result"]
    got = {k: recorded.get(k) for k in ("passed", "needed", "method")}
    want = {
        "passed": result in ("passed", "通过"),
        "needed": int(needed),
        "method": METHODS[method],
    }
    assert got == want, f"ballot result {got}, expected {want}"
    assert dict(ballot(world).result or {}) == recorded


@then(parsers.re(rf"the dissent recorded is {NAMES}"))
@then(parsers.re(rf"记录在案的不同意见为{NAMES}"))
def dissent(world: World, people: str) -> None:
    recorded = world.facts()["ballot"]["result"].get("dissent")
    assert recorded == names(people), f"dissent {recorded}"


@then(parsers.re(r"the ballot shows the (?P<count>\d+) members who voted and no member's choice"))
@then(parsers.re(r"表决记录只显示参加投票的 (?P<count>\d+) 名成员，不显示任何成员的选择"))
def secret_ballot(world: World, count: str) -> None:
    found = ballot(world)
    assert found.secret and found.method == "secret", (found.method, found.secret)
    assert found.choices == {}, f"a secret ballot shows choices: {dict(found.choices)}"
    assert len(found.voters) == int(count), found.voters
    assert sorted(found.voters) == sorted(world.voters_present()), found.voters
    assert "dissent" not in world.facts()["ballot"]["result"], "a secret ballot names dissenters"


@then(parsers.re(r"none of the (?P<count>\d+) vote events records a choice"))
@then(parsers.re(r"(?P<count>\d+) 条投票记录均未记录所投选项"))
def vote_events(world: World, count: str) -> None:
    events = [e for e in world.engine.history(world.matter or "") if e.trigger == "vote"]
    assert len(events) == int(count), f"{len(events)} vote events"
    options = set(ballot(world).counts)
    for event in events:
        recorded: dict[str, Any] = {**event.data, **event.effects}
        assert "choice" not in recorded, f"{event.actor}'s vote event records {recorded}"
        assert not options & set(map(str, recorded.values())), (
            f"{event.actor}'s vote event records {recorded}"
        )


@then(parsers.re(r"the views of (?P<count>\d+) members are recorded, the secretary's last"))
@then(parsers.re(r"会议记录了 (?P<count>\d+) 名成员的表态，书记最后表态"))
def views_recorded(world: World, count: str) -> None:
    seats = world.engine.meeting(world.matter or "").seats
    stated = [person for person, seat in seats.items() if seat.view is not None]
    assert len(stated) == int(count), stated
    last = [e.actor for e in world.engine.history(world.matter or "") if e.trigger == "state_view"][
        -1
    ]
    assert seats[last].role == "secretary", f"the last view is {last}'s"


# -- a secret ballot counted by its tellers (监票人、计票人) --------------------------------------
COUNTED = {
    "agree": "agree",
    "同意": "agree",
    "oppose": "oppose",
    "不同意": "oppose",
    "abstain": "abstain",
    "弃权": "abstain",
    "blank": "blank",
    "空白票": "blank",
    "invalid": "invalid",
    "废票": "invalid",
}


@step(parsers.re(rf"{NAMES} (?:are|is) the tellers"))
@step(parsers.re(rf"由{NAMES}担任监票人、计票人"))
def tellers(world: World, people: str) -> None:
    world.tellers = names(people)


@step(parsers.re(r"the members present each return a ballot paper"))
@step(parsers.re(r"到会成员每人交回一张选票"))
def return_papers(world: World) -> None:
    for person in world.voters_present():
        world.fire("vote", person, {})


@step(parsers.re(rf"{q('actor')} tries to return a second ballot paper"))
@step(parsers.re(rf"{q('actor')}试图再交回一张选票"))
def second_paper(world: World, actor: str) -> None:
    world.fire("vote", actor, {}, attempt=True)


@step(parsers.re(rf"{q('actor')} (?P<attempt>tries to count|counts) the ballots: (?P<counts>.+)"))
@step(parsers.re(rf"{q('actor')}(?P<attempt>试图)?清点选票：(?P<counts>.+)"))
def count_papers(world: World, actor: str, attempt: str | None, counts: str) -> None:
    """``7 agree, 2 oppose, 1 invalid`` / ``同意 7 票，不同意 2 票，废票 1 张``: what the tellers
    count."""
    chinese = re.findall(r"(\w+) (\d+) [票张]", counts)
    pairs = chinese or [(w, n) for n, w in re.findall(r"(\d+) (\w+)", counts)]
    given = {COUNTED[w]: int(n) for w, n in pairs}
    world.fire(
        "count_ballots", actor, {"counts": given}, attempt=attempt in ("tries to count", "试图")
    )


@then(
    parsers.re(r"(?P<returned>\d+) ballot papers were returned, (?P<invalid>\d+) of them invalid")
)
@then(parsers.re(r"收回选票 (?P<returned>\d+) 张，其中废票 (?P<invalid>\d+) 张"))
def papers_returned(world: World, returned: str, invalid: str) -> None:
    result = world.facts()["ballot"]["result"]
    assert (result["returned"], result["invalid"]) == (int(returned), int(invalid)), result
    assert list(ballot(world).tellers) == world.tellers and ballot(world).counted


# The step fixtures pytest-bdd injected above: what ``conftest.py`` imports.
__all__ = [name for name in globals() if name.startswith("pytestbdd_")]

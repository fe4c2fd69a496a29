"""The roles PROCEDURE.md names vote as members of their body; a role no pack knows is refused when
the body is defined (issue 19, item 3)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from click.testing import CliRunner

from collegium import (
    Body,
    DefinitionError,
    Engine,
    InvalidInput,
    ManualClock,
    Member,
    RuleViolation,
    SequentialIds,
)
from collegium.cli import cli
from collegium.engine.registry import Registry
from tests.conftest import propose, state_views

FULL_TIME = "full_time_deputy_secretary"
CROSS = "cross_appointed_standing_member"


def _committee() -> Body:
    """sec, a full-time deputy ``ftd``, a cross-appointed member ``gov``, then m1 … m6."""
    return Body(
        id="sc",
        kind="standing",
        members=(
            Member(person="sec", role="secretary"),
            Member(person="ftd", role=FULL_TIME),
            Member(person="gov", role=CROSS),
            *(Member(person=f"m{i}", role="standing_member") for i in range(1, 7)),
        ),
    )


@pytest.fixture
def committee(clock: ManualClock) -> Engine:
    engine = Engine.in_memory(clock=clock, ids=SequentialIds())
    engine.define_body(_committee())
    return engine


def test_the_full_time_deputy_consults_and_both_roles_state_views_and_vote(
    committee: Engine, clock: ManualClock
) -> None:
    iid = propose(committee)
    committee.fire(iid, "prepare", "m1")
    committee.fire(iid, "start_deliberation", "m1", {"preparation": "research done"})
    for member in _committee().members:  # the full-time deputy acts as a deputy secretary
        committee.fire(iid, "consult", "ftd", {"member": member.person, "view": "agree"})
    at = clock.now() + dt.timedelta(days=3)
    committee.fire(iid, "schedule", "sec", {"meeting_at": at.isoformat()})
    clock.advance(dt.timedelta(days=3))
    attendance = {m.person: "present" for m in _committee().members}
    committee.fire(iid, "open_meeting", "sec", {"attendance": attendance})
    seated = committee.get(iid).facts["meeting"]["seated"]
    assert seated == {"present": 9, "recused": 0, "voting": 9}  # both hold voting seats
    state_views(committee, iid)
    for person in ("ftd", "gov", *(f"m{i}" for i in range(1, 7)), "sec"):
        committee.fire(iid, "vote", person, {"choice": "agree"})
    out = committee.fire(iid, "close_ballot", "sec")
    assert out.instance.state == "adopted"
    assert committee.get(iid).facts["ballot"]["result"]["agree"] == 9


def test_acting_roles_do_not_make_a_secretary(committee: Engine, clock: ManualClock) -> None:
    """``acts_as`` widens a role to its general one only: the full-time deputy cannot schedule."""
    iid = propose(committee)
    committee.fire(iid, "prepare", "m1")
    committee.fire(iid, "start_deliberation", "m1", {"preparation": "research done"})
    for member in _committee().members:
        committee.fire(iid, "consult", "sec", {"member": member.person, "view": "agree"})
    at = (clock.now() + dt.timedelta(days=3)).isoformat()
    with pytest.raises(RuleViolation) as refused:
        committee.fire(iid, "schedule", "ftd", {"meeting_at": at})
    assert [r.rule_id for r in refused.value.verdict.failures] == ["R-ROLE"]
    assert committee.get(iid).state == "deliberation"


def test_define_body_refuses_a_role_no_pack_knows(clock: ManualClock) -> None:
    engine = Engine.in_memory(clock=clock)
    body = Body(id="sc", kind="standing", members=(Member(person="x", role="chairman"),))
    with pytest.raises(InvalidInput) as refused:
        engine.define_body(body)
    message = str(refused.value)
    assert "\n" not in message and "'chairman'" in message
    assert "party-committee: secretary, deputy_secretary, " in message
    with pytest.raises(InvalidInput):
        engine.define_body(body, pack="party-committee")
    assert engine.store.body("sc") is None  # refused: nothing written


def test_define_body_with_a_pack_holds_to_its_roles(clock: ManualClock) -> None:
    """``principal`` is a government-pack role: known to some pack, not to party-committee's."""
    engine = Engine.in_memory(clock=clock)
    body = Body(id="g", kind="standing", members=(Member(person="x", role="principal"),))
    with pytest.raises(InvalidInput, match="party-committee: secretary"):
        engine.define_body(body, pack="party-committee")
    assert engine.define_body(body, pack="government") == body
    assert engine.define_body(body) == body


@pytest.mark.parametrize(
    ("roles", "error"),
    [
        ("  a: {en: a, zh-CN: 甲, acts_as: [b]}\n", "acts as 'b', which is not another role"),
        ("  a: {en: a, zh-CN: 甲, acts_as: [a]}\n", "acts as 'a', which is not another role"),
        (
            "  a: {en: a, zh-CN: 甲, acts_as: [b]}\n  b: {en: b, zh-CN: 乙, acts_as: [a]}\n",
            "acts as itself",
        ),
    ],
)
def test_a_pack_refuses_acts_as_that_leads_nowhere_or_in_a_circle(roles: str, error: str) -> None:
    text = (
        "id: p\nversion: '1'\ntitle: {en: P, zh-CN: 规}\nroles:\n"
        + roles
        + "rules:\n  - id: R-X\n    title: {en: X, zh-CN: 规}\n    citation: test\n"
        "    check: {kind: expression, expr: 'true'}\n"
    )
    with pytest.raises(DefinitionError, match=error):
        Registry().add_pack_text(text)


def test_acts_as_reaches_through_several_steps() -> None:
    text = (
        "id: p\nversion: '1'\ntitle: {en: P, zh-CN: 规}\nroles:\n"
        "  a: {en: a, zh-CN: 甲, acts_as: [b]}\n  b: {en: b, zh-CN: 乙, acts_as: [c]}\n"
        "  c: {en: c, zh-CN: 丙}\n"
        "rules:\n  - id: R-X\n    title: {en: X, zh-CN: 规}\n    citation: test\n"
        "    check: {kind: expression, expr: 'true'}\n"
    )
    pack = Registry().add_pack_text(text)
    assert pack.acting_roles("a") == ("a", "b", "c")
    assert pack.acting_roles("c") == ("c",)


def test_cli_body_define_refuses_an_unknown_role_in_one_line(tmp_path: Path) -> None:
    body = tmp_path / "body.yaml"
    body.write_text(
        "id: sc\nkind: standing\nmembers:\n  - {person: x, role: chairman}\n", encoding="utf-8"
    )
    db = tmp_path / "c.db"
    result = CliRunner().invoke(cli, ["--db", str(db), "body", "define", str(body)])
    assert result.exit_code == 2, result.output
    lines = [line for line in result.output.splitlines() if line.strip()]
    assert len(lines) == 1 and "'chairman'" in lines[0] and "Traceback" not in result.output
    body.write_text(
        "id: g\nkind: standing\nmembers:\n  - {person: x, role: principal}\n", encoding="utf-8"
    )
    args = ["--db", str(db), "body", "define", str(body), "--pack"]
    refused = CliRunner().invoke(cli, [*args, "party-committee"])
    assert refused.exit_code == 2 and "'principal'" in refused.output
    assert CliRunner().invoke(cli, [*args, "government"]).exit_code == 0


# -- who consults (R-CONSULTER) -------------------------------------------------------------------
def _deliberating(engine: Engine) -> str:
    iid = propose(engine)  # proposer sec, lead member m1
    engine.fire(iid, "prepare", "m1")
    engine.fire(iid, "start_deliberation", "m1", {"preparation": "research done"})
    return iid


def test_the_lead_member_consults_and_the_consultations_count_for_scheduling(
    committee: Engine, clock: ManualClock
) -> None:
    iid = _deliberating(committee)
    for member in _committee().members:
        out = committee.fire(iid, "consult", "m1", {"member": member.person, "view": "agree"})
        passed = {r.rule_id: r for r in out.verdict.results}["R-CONSULTER"]
        assert passed.message("en") == "m1 acts as the matter's lead member"
    at = (clock.now() + dt.timedelta(days=3)).isoformat()
    out = committee.fire(iid, "schedule", "sec", {"meeting_at": at})
    assert out.instance.state == "scheduled"


def test_a_member_neither_consulting_nor_sponsoring_is_refused(committee: Engine) -> None:
    iid = _deliberating(committee)
    before = committee.history(iid)
    with pytest.raises(RuleViolation) as refused:
        committee.fire(iid, "consult", "m2", {"member": "m3", "view": "agree"})
    (failure,) = refused.value.verdict.failures
    assert failure.rule_id == "R-CONSULTER"
    assert failure.message("en") == (
        "m2 is standing member; allowed: secretary, deputy secretary; "
        "or the matter's proposer, lead member"
    )
    assert "或本事项的提议人、分管常委" in failure.message("zh-CN")
    assert committee.history(iid) == before


def test_the_consulting_roles_are_a_pack_parameter(clock: ManualClock) -> None:
    """A pack that lets only the secretary consult: the deputy is refused, the sponsor is not."""
    registry = Registry.builtin()
    text = (Path(__file__).parents[1] / "collegium/rules/packs/party-committee.yaml").read_text(
        encoding="utf-8"
    )
    narrowed = text.replace(
        "value: [secretary, deputy_secretary]", "value: [secretary]", 1
    ).replace('version: "2026.10"', 'version: "2026.10-narrow"', 1)
    assert narrowed.count("2026.10-narrow") == 1 and "value: [secretary]\n" in narrowed
    registry.add_pack_text(narrowed)
    engine = Engine.in_memory(clock=clock, ids=SequentialIds(), registry=registry)
    engine.define_body(_committee())
    iid = _deliberating(engine)
    with pytest.raises(RuleViolation, match="allowed: secretary; or the matter's"):
        engine.fire(iid, "consult", "ftd", {"member": "m2", "view": "agree"})
    engine.fire(iid, "consult", "m1", {"member": "m2", "view": "agree"})


@pytest.mark.parametrize(
    ("check", "error"),
    [
        ("{kind: role, roles: $missing}", r"\$missing is not a parameter holding a list"),
        ("{kind: role, roles: [a, z]}", "names role 'z', which the pack's roles do not list"),
        ("{kind: role, or_person: [nobody]}", "unknown fact 'nobody'"),
    ],
)
def test_a_role_check_names_known_roles_parameters_and_facts(check: str, error: str) -> None:
    text = (
        "id: p\nversion: '1'\ntitle: {en: P, zh-CN: 规}\nroles:\n  a: {en: a, zh-CN: 甲}\n"
        "rules:\n  - id: R-X\n    title: {en: X, zh-CN: 规}\n    citation: test\n"
        f"    guards: [{{procedure: t, triggers: [go]}}]\n    check: {check}\n"
    )
    procedure = (
        "id: t\nversion: 1\ntitle: {en: T, zh-CN: 测}\nrule_pack: p\n"
        "facts: {body: {type: string}}\n"
        "states: {a: {label: {en: A, zh-CN: 甲}}, b: {label: {en: B, zh-CN: 乙}, terminal: true}}\n"
        "initial: a\nstart: {trigger: begin, roles: [a]}\n"
        "transitions:\n  - {trigger: go, source: a, dest: b, roles: [a]}\n"
    )
    registry = Registry()
    registry.add_pack_text(text)
    with pytest.raises(DefinitionError, match=error):
        registry.add_procedure_text(procedure)  # compiled against the pack as it is added

"""The engine facade: lifecycle, refusals that change nothing, dry runs, idempotency, versions."""

from __future__ import annotations

import datetime as dt

import pytest

from collegium import (
    Body,
    Engine,
    InvalidInput,
    ManualClock,
    NotFound,
    Registry,
    RuleViolation,
    SequentialIds,
    TransitionNotAllowed,
)
from tests.conftest import (
    MATTER,
    carry_out,
    consult_all,
    propose,
    standing_committee,
    state_views,
    to_deliberation,
    to_meeting,
)


def snapshot(engine: Engine, iid: str) -> tuple[str, int, int, dict[str, object]]:
    inst = engine.get(iid)
    return inst.state, inst.version, len(engine.history(iid)), dict(inst.facts)


def test_whole_lifecycle_adopted_published_closed(engine: Engine, clock: ManualClock) -> None:
    iid = to_meeting(engine, clock)
    state_views(engine, iid)
    for person in ["dep", "m1", "m2", "m3", "m4", "m5", "m6"]:
        engine.fire(iid, "vote", person, {"choice": "agree"})
    engine.fire(iid, "vote", "m7", {"choice": "oppose"})
    out = engine.fire(iid, "close_ballot", "sec")
    assert out.instance.state == "adopted"
    result = out.instance.facts["ballot"]["result"]
    assert (
        result["agree"],
        result["oppose"],
        result["abstain"],
        result["n"],
        result["present"],
    ) == (7, 1, 0, 11, 11)
    pass_rule = out.verdict.result("R-PASS")
    assert pass_rule is not None and pass_rule.passed
    engine.fire(iid, "publish", "dep", {"audience": "public"})
    carry_out(engine, iid)
    engine.fire(iid, "evaluate", "dep", {"evaluation": "succeeded", "finding": "targets met"})
    assert engine.fire(iid, "close", "sec").instance.state == "closed"
    assert engine.verify_audit().ok


@pytest.mark.parametrize(
    "fire_args",
    [
        (
            "schedule",
            "sec",
            {"meeting_at": "2026-03-20T09:00+08:00"},
        ),  # R-DELIBERATION: nobody consulted yet
        ("schedule", "m3", {"meeting_at": "2026-03-20T09:00+08:00"}),  # R-ROLE as well
        ("consult", "sec", {"member": "outsider", "view": "agree"}),  # R-CONSULTEE
    ],
)
def test_refused_fire_writes_nothing(
    sql_engine: Engine, fire_args: tuple[str, str, dict[str, str]]
) -> None:
    iid = to_deliberation(sql_engine)
    before = snapshot(sql_engine, iid)
    with pytest.raises(RuleViolation):
        sql_engine.fire(iid, *fire_args)
    assert snapshot(sql_engine, iid) == before
    assert sql_engine.verify_audit().ok


def test_bad_input_writes_nothing(sql_engine: Engine) -> None:
    iid = to_deliberation(sql_engine)
    before = snapshot(sql_engine, iid)
    with pytest.raises(InvalidInput, match="does not take 'colour'"):
        sql_engine.fire(iid, "consult", "sec", {"member": "m1", "view": "agree", "colour": "red"})
    with pytest.raises(InvalidInput, match="no time zone"):
        sql_engine.fire(iid, "schedule", "sec", {"meeting_at": "2026-03-20T09:00"})
    with pytest.raises(InvalidInput, match="unknown trigger"):
        sql_engine.fire(iid, "teleport", "sec")
    with pytest.raises(TransitionNotAllowed, match="not allowed in state 'deliberation'"):
        sql_engine.fire(iid, "close_ballot", "sec")
    with pytest.raises(InvalidInput, match="view"):
        sql_engine.fire(iid, "consult", "sec", {"member": "m1", "view": "maybe"})
    with pytest.raises(NotFound):
        sql_engine.fire("no-such-instance", "consult", "sec")
    assert snapshot(sql_engine, iid) == before


def test_every_failing_rule_is_reported_at_once(engine: Engine) -> None:
    iid = to_deliberation(engine)
    with pytest.raises(RuleViolation) as caught:
        engine.fire(iid, "schedule", "m3", {"meeting_at": "2026-03-02T12:00+08:00"})
    verdict = caught.value.verdict
    assert [r.rule_id for r in verdict.failures] == ["R-ROLE", "R-DELIBERATION"]
    assert [r.rule_id for r in verdict.warnings] == ["R-ADVANCE-NOTICE"]
    deliberation = verdict.result("R-DELIBERATION")
    assert deliberation is not None
    assert deliberation.message(
        "en"
    ) == "consulted 0 of 11 voting members; still missing: " + ", ".join(
        m.person for m in engine.body("sc").members
    )
    assert "尚缺" in deliberation.message("zh-CN")
    assert deliberation.cited("en").startswith("source §IV.1")
    assert deliberation.title.get("zh-CN") == "重大事项上会前须逐一征求每位成员意见"


def test_quorum_explains_itself_in_both_languages(engine: Engine, clock: ManualClock) -> None:
    with pytest.raises(RuleViolation) as caught:
        to_meeting(engine, clock, present=5)
    quorum = caught.value.verdict.result("R-QUORUM-SC")
    assert quorum is not None and not quorum.passed
    assert (
        quorum.message("en") == "present 5 of 11 who should attend; needs at least 6 (≥ 1/2 of 11)"
    )
    assert quorum.message("zh-CN") == "应到 11 人，实到 5 人；至少须 6 人（不少于 1/2）"
    assert quorum.facts == {"present": 5, "n": 11, "needed": 6}


def test_check_is_a_dry_run(engine: Engine) -> None:
    iid = to_deliberation(engine)
    before = snapshot(engine, iid)
    verdict = engine.check(iid, "schedule", "sec", {"meeting_at": "2026-03-20T09:00+08:00"})
    assert not verdict.passed and verdict.failures[0].rule_id == "R-DELIBERATION"
    consult_all(engine, iid)
    after_consulting = snapshot(engine, iid)
    assert engine.check(iid, "schedule", "sec", {"meeting_at": "2026-03-20T09:00+08:00"}).passed
    assert snapshot(engine, iid) == after_consulting != before


def test_available_lists_triggers_and_why_not(engine: Engine) -> None:
    iid = to_deliberation(engine)
    for_secretary = {a.trigger: a for a in engine.available(iid, "sec")}
    assert set(for_secretary) == {"consult", "schedule", "withdraw"}
    assert not for_secretary["schedule"].allowed
    assert for_secretary["schedule"].verdict.failures[0].rule_id == "R-DELIBERATION"
    assert for_secretary["withdraw"].allowed
    for_member = {a.trigger: a.allowed for a in engine.available(iid, "m5")}
    assert for_member == {"consult": False, "schedule": False, "withdraw": False}


def test_votes_only_by_present_members_once(engine: Engine, clock: ManualClock) -> None:
    iid = to_meeting(engine, clock, present=9)  # m8 and m9 absent
    state_views(engine, iid)
    engine.fire(iid, "vote", "m1", {"choice": "agree"})
    for actor, rule in [("m1", "R-ONE-VOTE"), ("m9", "R-VOTER"), ("outsider", "R-VOTER")]:
        with pytest.raises(RuleViolation) as caught:
            engine.fire(iid, "vote", actor, {"choice": "agree"})
        assert rule in [r.rule_id for r in caught.value.verdict.failures]
    assert engine.ballot(iid).choices == {"m1": "agree"}


def test_pass_is_on_members_who_should_attend_not_on_those_present(
    engine: Engine, clock: ManualClock
) -> None:
    iid = to_meeting(engine, clock, present=8)
    state_views(engine, iid)
    for person, choice in [
        ("sec", "agree"),
        ("dep", "agree"),
        ("m1", "agree"),
        ("m2", "agree"),
        ("m3", "agree"),
        ("m4", "oppose"),
        ("m5", "oppose"),
        ("m6", "oppose"),
    ]:
        engine.fire(iid, "vote", person, {"choice": choice})
    out = engine.fire(iid, "close_ballot", "sec")
    assert out.instance.state == "rejected"
    pass_rule = out.verdict.result("R-PASS")
    assert pass_rule is not None and not pass_rule.passed
    assert pass_rule.message() == "agree 5 of 11 who should attend; needs at least 6 (> 1/2 of 11)"


def test_idempotent_fire_takes_effect_once(sql_engine: Engine) -> None:
    iid = to_deliberation(sql_engine)
    first = sql_engine.fire(
        iid, "consult", "sec", {"member": "m1", "view": "agree"}, idempotency_key="k-1"
    )
    again = sql_engine.fire(
        iid, "consult", "sec", {"member": "m1", "view": "agree"}, idempotency_key="k-1"
    )
    assert again.replayed and not first.replayed
    assert again.event == first.event
    assert [r.rule_id for r in again.verdict.results] == [r.rule_id for r in first.verdict.results]
    assert len(sql_engine.history(iid)) == 4


def test_a_retried_start_takes_effect_once_and_another_start_on_its_id_is_refused(
    sql_engine: Engine,
) -> None:
    first = sql_engine.start("major_decision", "sec", MATTER, instance_id="budget")
    again = sql_engine.start("major_decision", "sec", dict(MATTER), instance_id="budget")
    assert again.replayed and not first.replayed and again.event == first.event
    for other in ({**MATTER, "title": "Another matter"}, MATTER):
        actor = "dep" if other is MATTER else "sec"
        with pytest.raises(InvalidInput, match="an instance 'budget' already exists"):
            sql_engine.start("major_decision", actor, other, instance_id="budget")
    assert len(sql_engine.history("budget")) == 1 and len(sql_engine.instances()) == 1
    # a retry is answered, not judged again: it holds even once the rules would refuse the start
    # (sec has left)
    sql_engine.define_body(
        Body(
            id="sc",
            kind="standing",
            members=tuple(m for m in standing_committee().members if m.person != "sec"),
        )
    )
    assert (
        sql_engine.start("major_decision", "sec", MATTER, instance_id="budget").event == first.event
    )


def test_a_generated_id_already_taken_is_never_a_retry(engine: Engine, clock: ManualClock) -> None:
    first = engine.start("major_decision", "sec", MATTER)
    other = Engine(
        engine.store, clock=clock, ids=SequentialIds()
    )  # a second engine drawing the same ids
    with pytest.raises(InvalidInput, match="already exists"):
        other.start("major_decision", "sec", MATTER)
    assert [i.id for i in engine.instances()] == [first.instance.id]


def test_failed_evaluation_opens_linked_correction(engine: Engine, clock: ManualClock) -> None:
    iid = to_meeting(engine, clock)
    state_views(engine, iid)
    for person in ["sec", "dep", "m1", "m2", "m3", "m4"]:
        engine.fire(iid, "vote", person, {"choice": "agree"})
    engine.fire(iid, "close_ballot", "sec")
    engine.fire(iid, "publish", "sec", {"audience": "party"})
    carry_out(engine, iid)
    with pytest.raises(RuleViolation, match="R-EVALUATION"):
        engine.fire(iid, "evaluate", "sec", {"evaluation": "failed"})
    # evaluated as failed: corrected through a new matter and its case opened, in the same step
    out = engine.fire(
        iid, "evaluate", "sec", {"evaluation": "failed", "finding": "targets missed by 40%"}
    )
    assert out.instance.state == "corrected" and len(out.started) == 2
    assert [r.rule_id for r in out.verdict.results if r.severity == "branch"] == [
        "R-CORRECT-FAILED"
    ]
    child = engine.get(out.started[0])
    assert child.state == "proposed" and child.parent_id == iid and child.facts["corrects"] == iid
    assert child.facts["title"] == "County budget 2026"
    case = engine.get(out.started[1])  # and the failed decision's accountability case (P4)
    assert (case.procedure, case.state, case.parent_id) == ("accountability", "inquiry", iid)
    assert {
        k: case.facts.get(k) for k in ("finding_kind", "decision", "lead_member", "dissent")
    } == {"finding_kind": "failed_decision", "decision": iid, "lead_member": "m1", "dissent": []}
    assert engine.verify_audit().ok


def test_disclosure_respects_confidentiality(engine: Engine, clock: ManualClock) -> None:
    iid = to_meeting(engine, clock, confidentiality="internal")
    state_views(engine, iid)
    for person in ["sec", "dep", "m1", "m2", "m3", "m4"]:
        engine.fire(iid, "vote", person, {"choice": "agree"})
    engine.fire(iid, "close_ballot", "sec")
    with pytest.raises(RuleViolation, match="R-DISCLOSURE"):
        engine.fire(iid, "publish", "sec", {"audience": "public"})
    assert engine.fire(iid, "publish", "sec", {"audience": "party"}).instance.state == "published"


def test_instance_is_judged_by_the_pack_version_it_started_under(clock: ManualClock) -> None:
    registry = Registry.builtin()
    engine = Engine.in_memory(clock=clock, ids=SequentialIds(), registry=registry)
    engine.define_body(standing_committee())
    old = propose(engine)
    pack = registry.pack("party-committee")
    text = registry.definitions[f"pack:{pack.key}"].text
    registry.add_pack_text(
        text.replace('version: "2026.10"', 'version: "2027.1"').replace(
            'value: "1/2"\n    source: county', 'value: "2/3"\n    source: county'
        )
    )
    new = propose(engine)
    assert engine.get(old).pack_version == "2026.10"
    assert engine.get(new).pack_version == "2027.1"
    for iid in (old, new):
        engine.fire(iid, "prepare", "m1")
        engine.fire(iid, "start_deliberation", "m1", {"preparation": "done"})
        consult_all(engine, iid)
        engine.fire(iid, "schedule", "sec", {"meeting_at": "2026-03-05T09:00+08:00"})
    clock.advance(dt.timedelta(days=3))
    attendance = {
        m.person: ("present" if i < 6 else "absent")
        for i, m in enumerate(engine.body("sc").members)
    }
    assert (
        engine.fire(old, "open_meeting", "sec", {"attendance": attendance}).instance.state
        == "in_meeting"
    )
    with pytest.raises(RuleViolation, match="R-QUORUM-SC"):
        engine.fire(new, "open_meeting", "sec", {"attendance": attendance})


def test_recused_members_leave_quorum_and_threshold(engine: Engine, clock: ManualClock) -> None:
    iid = to_deliberation(engine)
    consult_all(engine, iid)
    engine.fire(iid, "schedule", "sec", {"meeting_at": "2026-03-05T09:00+08:00"})
    clock.advance(dt.timedelta(days=3))
    attendance = {m.person: "present" for m in engine.body("sc").members}
    attendance.update({"m8": "recused", "m9": "recused", "npc-rep": "attendee"})
    out = engine.fire(iid, "open_meeting", "sec", {"attendance": attendance})
    quorum = out.verdict.result("R-QUORUM-SC")
    assert quorum is not None and quorum.facts == {"present": 9, "n": 9, "needed": 5}
    state_views(engine, iid)
    with pytest.raises(RuleViolation, match="R-VOTER"):
        engine.fire(iid, "vote", "npc-rep", {"choice": "agree"})
    for person in ["sec", "dep", "m1", "m2", "m3"]:
        engine.fire(iid, "vote", person, {"choice": "agree"})
    out = engine.fire(iid, "close_ballot", "sec")
    assert out.instance.state == "adopted"  # 5 of 9 > 1/2 (it would fail on 11)


def test_attendance_of_a_stranger_is_bad_input(engine: Engine, clock: ManualClock) -> None:
    iid = to_deliberation(engine)
    consult_all(engine, iid)
    engine.fire(iid, "schedule", "sec", {"meeting_at": "2026-03-05T09:00+08:00"})
    clock.advance(dt.timedelta(days=3))
    with pytest.raises(InvalidInput, match="not a member"):
        engine.fire(iid, "open_meeting", "sec", {"attendance": {"stranger": "present"}})
    assert engine.get(iid).state == "scheduled"


def test_frozen_membership_governs_the_meeting_only(engine: Engine, clock: ManualClock) -> None:
    iid = to_meeting(engine, clock)
    changed = standing_committee()
    members = tuple(
        m.model_copy(update={"person": "newsec"}) if m.person == "sec" else m
        for m in changed.members
    )
    engine.define_body(changed.model_copy(update={"members": members}))
    state_views(engine, iid)  # the old secretary, frozen at the meeting, states the last view
    # still in the meeting: the membership frozen at its opening governs, so the old secretary
    # closes it
    assert not engine.check(iid, "close_ballot", "newsec").passed
    for person in ["sec", "dep", "m1", "m2", "m3", "m4"]:
        engine.fire(iid, "vote", person, {"choice": "agree"})
    engine.fire(iid, "close_ballot", "sec")
    # after the meeting, the body as it is now governs
    assert engine.check(iid, "publish", "newsec", {"audience": "public"}).passed
    assert not engine.check(iid, "publish", "sec", {"audience": "public"}).passed


def test_deferred_matter_is_deliberated_with_the_current_members(
    engine: Engine, clock: ManualClock
) -> None:
    iid = to_meeting(engine, clock)
    engine.fire(iid, "defer", "sec", {"defer_reason": "views_diverge"})
    engine.fire(iid, "resume", "sec")
    grown = standing_committee(12)
    engine.define_body(grown)
    with pytest.raises(RuleViolation) as caught:
        engine.fire(iid, "schedule", "sec", {"meeting_at": "2026-04-01T09:00+08:00"})
    deliberation = caught.value.verdict.result("R-DELIBERATION")
    assert deliberation is not None and deliberation.facts["missing"] == ["m10"]
    engine.fire(iid, "consult", "sec", {"member": "m10", "view": "agree"})
    assert (
        engine.fire(iid, "schedule", "sec", {"meeting_at": "2026-04-01T09:00+08:00"}).instance.state
        == "scheduled"
    )


def test_the_latest_pack_version_is_the_highest_not_the_last_loaded() -> None:
    registry = Registry.builtin()
    text = registry.definitions[f"pack:{registry.pack('party-committee').key}"].text
    for version in ("2026.11", "2026.10", "2025.12"):
        registry.add_pack_text(text.replace('version: "2026.10"', f'version: "{version}"'))
    assert registry.pack("party-committee").version == "2026.11"
    assert registry.compiled("major_decision").pack.version == "2026.11"


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda e, i: e.fire(i, "consult", "sec", [("member", "m1")]), "data must be a mapping"),
        (lambda e, i: e.fire(i, ["consult"], "sec"), "trigger must be non-empty text"),
        (lambda e, i: e.fire(i, "consult", ""), "an actor"),
        (
            lambda e, i: e.fire(i, "consult", "@system", {"member": "m1", "view": "agree"}),
            "reserved",
        ),
        (
            lambda e, i: e.fire(
                i, "consult", "sec", {"member": "m1", "view": "agree"}, idempotency_key="timer:x"
            ),
            "reserved for the engine's timers",
        ),
        (lambda e, i: e.check(i, "consult", "sec", "member=m1"), "data must be a mapping"),
        (lambda e, i: e.start("major_decision", "@system", {}), "reserved"),
        (lambda e, i: e.start("major_decision", "sec", ["title"]), "data must be a mapping"),
        (lambda e, i: e.available(123, "sec"), "instance must be non-empty text"),
    ],
)
def test_wrong_argument_types_are_bad_input(engine: Engine, call: object, message: str) -> None:
    iid = to_deliberation(engine)
    before = snapshot(engine, iid)
    with pytest.raises(InvalidInput, match=message):
        call(engine, iid)  # type: ignore[operator]
    assert snapshot(engine, iid) == before


def test_an_idempotency_key_belongs_to_one_command(engine: Engine, clock: ManualClock) -> None:
    iid = to_meeting(engine, clock)
    state_views(engine, iid)
    engine.fire(iid, "vote", "m1", {"choice": "agree"}, idempotency_key="k")
    assert engine.fire(iid, "vote", "m1", {"choice": "agree"}, idempotency_key="k").replayed
    for trigger, actor, data in [
        ("close_ballot", "sec", {}),
        ("vote", "m2", {"choice": "agree"}),
        ("vote", "m1", {"choice": "oppose"}),
    ]:
        with pytest.raises(InvalidInput, match="already used"):
            engine.fire(iid, trigger, actor, data, idempotency_key="k")
    assert engine.ballot(iid).choices == {"m1": "agree"}


def test_dry_run_refuses_what_fire_refuses(engine: Engine, clock: ManualClock) -> None:
    iid = to_meeting(engine, clock)
    with pytest.raises(
        InvalidInput,
        match="choice 'maybe' is not one of this ballot's options: agree, oppose, abstain",
    ):
        engine.check(iid, "vote", "m1", {"choice": "maybe"})
    with pytest.raises(InvalidInput, match="choice 'maybe'"):
        engine.fire(iid, "vote", "m1", {"choice": "maybe"})


def test_available_waits_for_data_it_does_not_have(engine: Engine, clock: ManualClock) -> None:
    iid = to_deliberation(engine)
    consult = {a.trigger: a for a in engine.available(iid, "sec")}["consult"]
    assert consult.allowed
    pending = consult.verdict.result("R-CONSULTEE")
    assert pending is not None and not pending.applicable and pending.detail == "needs_data"
    assert pending.message() == "judged when the command gives member"
    consult_all(engine, iid)
    engine.fire(iid, "schedule", "sec", {"meeting_at": "2026-03-05T09:00+08:00"})
    early = {a.trigger: a for a in engine.available(iid, "sec")}["open_meeting"]
    assert not early.allowed and early.verdict.failures[0].message() == (
        "the meeting is set for 2026-03-05T01:00:00+00:00; it cannot open earlier"
    )
    clock.advance(dt.timedelta(days=3))
    opening = {a.trigger: a for a in engine.available(iid, "sec")}["open_meeting"]
    quorum = opening.verdict.result("R-QUORUM-SC")
    assert opening.allowed and quorum.detail == "needs_data"  # type: ignore[union-attr]


def test_callers_get_copies_not_the_stored_facts(engine: Engine, clock: ManualClock) -> None:
    iid = to_meeting(engine, clock)
    view = engine.get(iid)
    view.facts["consultations"]["m1"]["view"] = "oppose"
    assert engine.get(iid).facts["consultations"]["m1"]["view"] == "agree"
    assert engine.verify_audit().ok


def test_deliberation_needs_recorded_preparation_and_scheduling_a_time(engine: Engine) -> None:
    iid = propose(engine)
    engine.fire(iid, "prepare", "m1")
    with pytest.raises(RuleViolation, match="R-PREPARED"):
        engine.fire(iid, "start_deliberation", "m1")
    engine.fire(
        iid,
        "start_deliberation",
        "m1",
        {"preparation": "research, expert opinions, NPC and CPPCC views"},
    )
    consult_all(engine, iid)
    with pytest.raises(RuleViolation, match="R-MEETING-TIME"):
        engine.fire(iid, "schedule", "sec")


def test_a_correction_is_judged_by_its_own_start_rules_and_only_a_correction_links(
    engine: Engine, clock: ManualClock
) -> None:
    with pytest.raises(InvalidInput, match="does not take 'corrects'"):
        propose(engine, corrects="major_decision-99")
    iid = to_meeting(engine, clock)
    state_views(engine, iid)
    for person in ["sec", "dep", "m1", "m2", "m3", "m4"]:
        engine.fire(iid, "vote", person, {"choice": "agree"})
    engine.fire(iid, "close_ballot", "sec")
    engine.fire(iid, "publish", "sec", {"audience": "public"})
    carry_out(engine, iid)
    failed = {"evaluation": "failed", "finding": "missed"}
    # the lead member has left the body since: the correction cannot be proposed with them as lead
    engine.define_body(
        standing_committee().model_copy(update={"members": standing_committee().members[:-9]})
    )
    before = snapshot(engine, iid)
    with pytest.raises(RuleViolation, match="R-LEAD-MEMBER"):
        engine.fire(iid, "evaluate", "sec", failed)
    assert snapshot(engine, iid) == before and len(engine.instances("major_decision")) == 1
    engine.define_body(standing_committee())
    child = engine.fire(iid, "evaluate", "sec", failed).started[0]
    assert [r[0] for r in engine.history(child)[0].verdict] == [
        "R-ROLE",
        "R-PROPOSAL",
        "R-LEAD-MEMBER",
        "R-PLENARY-MATTER",
    ]

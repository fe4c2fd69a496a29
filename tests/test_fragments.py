"""Procedure fragments: the built-in ballot, included by major_decision and by procedures written
elsewhere."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from collegium import Body, DefinitionError, Engine, ManualClock, Member, Registry, SequentialIds
from collegium.engine.registry import CompiledProcedure, Plan

HERE = Path(__file__).parent
BUILTIN_PACK = HERE.parent / "collegium" / "rules" / "packs" / "party-committee.yaml"


def _plan(plan: Plan) -> tuple[object, ...]:
    return (
        plan.trigger,
        plan.roles,
        [r.id for r in plan.rules],
        [(rule.id if rule else None, dest) for rule, dest in plan.branches],
        plan.data,
        plan.inputs,
        plan.effects,
    )


def _shape(proc: CompiledProcedure) -> dict[str, object]:
    spec = proc.spec
    return {
        "states": spec.states,
        "facts": dict(sorted(spec.facts.items())),
        "initial": spec.initial,
        "start": _plan(proc.start_plan),
        "plans": {k: _plan(p) for k, p in sorted(proc.plans.items())},
        "order": {s: proc.triggers_from(s) for s in spec.states},
        "triggers": sorted(spec.triggers()),
        "votes": (proc.vote_options, proc.dissent_options),
    }


def test_major_decision_with_the_fragment_compiles_as_the_former_inline_procedure() -> None:
    inline = Registry()
    inline.load_pack(BUILTIN_PACK)
    for spawned in ("accountability", "assignment"):  # the children it starts
        inline.load_procedure(HERE.parent / "collegium" / "workflows" / f"{spawned}.yaml")
    inline.load_procedure(HERE / "data" / "major_decision_inline.yaml")
    builtin = Registry.builtin()
    # version 1 includes version 1 of the ballot, which the inline text spells out (version 2 adds
    # the count)
    new, old = builtin.compiled("major_decision", 1), inline.compiled("major_decision")
    assert new.spec.include and not old.spec.include
    assert _shape(new) == _shape(old)
    plan = new.plan("in_meeting", "close_ballot")
    assert plan is not None
    assert [(r.id if r else None, d) for r, d in plan.branches] == [
        ("R-PASS", "adopted"),
        (None, "rejected"),
    ]
    for state in ("in_meeting", "adopted", "rejected"):  # every move leads where it did
        for trigger in new.triggers_from(state):
            for passed in (frozenset(), frozenset({"R-PASS", "R-RECONSIDER"})):
                assert new.machine.move(state, trigger, passed) == old.machine.move(
                    state, trigger, passed
                )


def test_builtin_registry_holds_the_fragment_and_its_text() -> None:
    reg = Registry.builtin()
    assert [f.key for f in reg.fragments()] == ["ballot@1", "ballot@2"]
    assert reg.procedures() and all(p.id != "ballot" for p in reg.procedures())
    kinds = [d.kind for d in reg.texts_of(reg.compiled("major_decision"))]
    assert kinds == ["procedure", "pack", "fragment"]


CLUB_PACK = """
id: club
version: "1"
title: {en: Club rules, zh-CN: 俱乐部章程}
roles:
  president: {en: president, zh-CN: 会长}
  member: {en: member, zh-CN: 会员}
rules:
  - id: R-CLUB-ROLE
    title: {en: Only the named roles act, zh-CN: 按职责办理}
    citation: club statutes Art. 1
    guards: [{procedure: motion, triggers: ["*"]}]
    check: {kind: role}
  - id: R-CLUB-VOTER
    title: {en: Only present members vote, zh-CN: 仅出席会员表决}
    citation: club statutes Art. 2
    guards: [{procedure: motion, triggers: [vote]}]
    check: {kind: member, value: actor, collection: eligible_voters}
  - id: R-CLUB-ONCE
    title: {en: One vote each, zh-CN: 每人一票}
    citation: club statutes Art. 2
    guards: [{procedure: motion, triggers: [vote]}]
    check: {kind: member, value: actor, collection: voted, negate: true}
  - id: R-CLUB-MAJORITY
    title: {en: More than half of all members agree, zh-CN: 全体会员过半数同意}
    citation: club statutes Art. 3
    check: {kind: threshold, count: agree, base: n, op: ">", ratio: "1/2"}
"""

#: A club's motion: only the meeting is its own; voting, and the states it ends in, come from the
#: fragment. The errors below name its lines (``include[1]`` is line 18).
MOTION = """id: motion
version: 1
title: {en: Motion, zh-CN: 动议}
rule_pack: club
facts:
  title: {type: string}
  club: {type: string}
body_fact: club
states:
  tabled: {label: {en: Tabled, zh-CN: 已提出}}
  voting: {label: {en: Voting, zh-CN: 表决中}}
initial: tabled
start: {trigger: table, roles: [president, member], data: [title, club]}
transitions:
  - {trigger: open, source: tabled, dest: voting, roles: [president],
     effects: [{kind: open_meeting}]}
include:
  - fragment: ballot
    version: 1
    bind: {voting: voting, passed: carried, failed: lost, deferred: postponed,
           chair: [president], voters: [president, member], pass_rule: R-CLUB-MAJORITY}
"""


@pytest.fixture
def club() -> Engine:
    registry = Registry()
    registry.add_pack_text(CLUB_PACK, "club.rules.yaml")
    registry.add_procedure_text(MOTION, "motion.yaml")  # the built-in fragment loads on first use
    engine = Engine.in_memory(
        clock=ManualClock(dt.datetime(2026, 6, 1, 18, tzinfo=dt.UTC)),
        ids=SequentialIds(),
        registry=registry,
    )
    engine.define_body(
        Body(
            id="club",
            kind="club",
            members=(
                Member(person="p", role="president"),
                *(Member(person=f"m{i}", role="member") for i in range(1, 5)),
            ),
        )
    )
    return engine


@pytest.mark.parametrize(("agree", "state"), [(3, "carried"), (2, "lost")])
def test_a_custom_procedure_votes_with_the_builtin_ballot(
    club: Engine, agree: int, state: str
) -> None:
    iid = club.start("motion", "m1", {"title": "New clubhouse", "club": "club"}).instance.id
    club.fire(
        iid, "open", "p", {"attendance": {p: "present" for p in ("p", "m1", "m2", "m3", "m4")}}
    )
    club.fire(iid, "state_view", "m1", {"view": "agree"})
    for i, person in enumerate(("p", "m1", "m2", "m3", "m4")):
        club.fire(iid, "vote", person, {"choice": "agree" if i < agree else "oppose"})
    out = club.fire(iid, "close_ballot", "p")
    assert out.instance.state == state
    assert out.verdict.result("R-CLUB-MAJORITY") is not None
    spec = club.registry.procedure("motion")
    assert spec.states[state].terminal and spec.states[state].label.en in ("Passed", "Not passed")
    # the stored definitions show exactly what ran: the procedure, the pack and the fragment it
    # includes
    fragment = club.registry.definitions["fragment:ballot@1"]
    assert club.store.definition("fragment", "ballot@1") == fragment.text
    assert club.store.definition("procedure", "motion@1") == MOTION


def test_a_custom_procedure_defers_with_the_fragment_data(club: Engine) -> None:
    iid = club.start("motion", "m1", {"title": "T", "club": "club"}).instance.id
    club.fire(
        iid, "open", "p", {"attendance": {p: "present" for p in ("p", "m1", "m2", "m3", "m4")}}
    )
    out = club.fire(iid, "defer", "p", {"defer_reason": "facts_unclear"})
    assert (
        out.instance.state == "postponed" and out.instance.facts["defer_reason"] == "facts_unclear"
    )


#: A fragment of the club's own: a second reading, with an own state and a state it binds.
READING = """
id: reading
version: 1
kind: fragment
title: {en: Second reading, zh-CN: 二读}
parameters:
  ready: {kind: state}
  chair: {kind: roles}
states:
  second_reading: {label: {en: Second reading, zh-CN: 二读}}
transitions:
  - {trigger: read_again, source: $ready, dest: second_reading, roles: [$chair]}
  - {trigger: done_reading, source: second_reading, dest: $ready, roles: [$chair]}
"""

WITH_READING = MOTION.replace(
    "include:\n",
    "include:\n  - {fragment: reading, version: 1, bind: {ready: tabled, chair: [president]}}\n",
)


def test_a_custom_procedure_includes_its_own_fragment_too() -> None:
    reg = Registry()
    reg.add_pack_text(CLUB_PACK, "club.rules.yaml")
    reg.add_workflow_text(READING, "reading.yaml")
    spec = reg.add_workflow_text(WITH_READING, "motion.yaml")
    assert "second_reading" in spec.states
    proc = reg.compiled("motion")
    assert proc.triggers_from("tabled") == ["open", "read_again"]
    assert [d.key for d in reg.texts_of(proc)] == ["motion@1", "club@1", "reading@1", "ballot@1"]


def _load(proc: str, fragment: str | None = None) -> None:
    reg = Registry()
    reg.add_pack_text(CLUB_PACK, "club.rules.yaml")
    if fragment is not None:
        reg.add_fragment_text(fragment, "reading.yaml")
    reg.add_procedure_text(proc, "motion.yaml")


BROKEN_INCLUDES = [
    (
        "unknown fragment",
        MOTION.replace("fragment: ballot", "fragment: balot"),
        r"^motion\.yaml:18: include\[1\]\.fragment: unknown fragment balot@1$",
    ),
    (
        "unknown version",
        MOTION.replace("version: 1\n    bind", "version: 7\n    bind"),
        r"^motion\.yaml:18: include\[1\]\.fragment: unknown fragment ballot@7$",
    ),
    (
        "unbound parameter",
        MOTION.replace(" pass_rule: R-CLUB-MAJORITY", ""),
        r"^motion\.yaml:20: include\[1\]\.bind: parameter 'pass_rule' of fragment ballot@1 is not "
        r"bound$",
    ),
    (
        "unknown parameter",
        MOTION.replace("voting: voting,", "voting: voting, quorum: voting,"),
        r"^motion\.yaml:20: include\[1\]\.bind\.quorum: fragment ballot@1 has no parameter "
        r"'quorum'$",
    ),
    (
        "state the procedure lacks",
        MOTION.replace("voting: voting,", "voting: votes,"),
        r"^motion\.yaml:20: include\[1\]\.bind\.voting: binds 'voting' to 'votes', which is not a "
        r"state of the procedure$",
    ),
    (
        "roles bound to one rule",
        MOTION.replace("pass_rule: R-CLUB-MAJORITY", "pass_rule: [R-CLUB-MAJORITY]"),
        r"^motion\.yaml:21: include\[1\]\.bind\.pass_rule: parameter 'pass_rule' takes one rule, "
        r"not a list$",
    ),
    (
        "not a rule id",
        MOTION.replace("pass_rule: R-CLUB-MAJORITY", "pass_rule: majority"),
        r"^motion\.yaml:21: include\[1\]\.bind\.pass_rule: parameter 'pass_rule' takes a rule id",
    ),
    (
        "trigger in both",
        MOTION.replace(
            "effects: [{kind: open_meeting}]}",
            "effects: [{kind: open_meeting}]}\n  - {trigger: vote, source: voting, "
            "dest: voting, roles: [member]}",
        ),
        r"^motion\.yaml:19: include\[1\]: trigger 'vote' from state 'voting' is defined both in "
        r"transitions\[2\] and in fragment ballot@1$",
    ),
    (
        "fragment state clashes",
        WITH_READING.replace(
            "voting: {label", "second_reading: {label: {en: S, zh-CN: S}}\n  voting: {label"
        ),
        r"^motion\.yaml:19: include\[1\]: state 'second_reading' of fragment reading@1 is already "
        r"a state",
    ),
    (
        "fact of another type",
        MOTION.replace(
            "  club: {type: string}", "  club: {type: string}\n  defer_reason: {type: integer}"
        ),
        r"^motion\.yaml:\d+: include\[1\]: fact 'defer_reason' is integer here but string in "
        r"fragment ballot@1$",
    ),
    (
        "no version",
        MOTION.replace("    version: 1\n    bind", "    bind"),
        r"^motion\.yaml:18: include\[1\]: missing key 'version'$",
    ),
    (
        "graph defect in a fragment's step",
        MOTION.replace("voting: voting,", "voting: closed,").replace(
            "  voting: {label",
            "  closed: {label: {en: C, zh-CN: C}, terminal: true}\n  voting: {label",
        ),
        r"^motion\.yaml: include\[1\] \(ballot@1 transitions\[1\], state_view\): terminal state "
        r"'closed' has an outgoing transition$",
    ),
    (
        "a fragment loaded as a procedure",
        READING,
        r"^motion\.yaml:4: kind: a procedure fragment, not a procedure",
    ),
]


@pytest.mark.parametrize(
    ("text", "pattern"), [c[1:] for c in BROKEN_INCLUDES], ids=[c[0] for c in BROKEN_INCLUDES]
)
def test_broken_include_is_refused_with_one_line(text: str, pattern: str) -> None:
    fragment = READING if "reading" in text and "kind: fragment" not in text else None
    with pytest.raises(DefinitionError, match=pattern) as caught:
        _load(text, fragment)
    assert "\n" not in str(caught.value)


BROKEN_FRAGMENTS = [
    (
        "unknown parameter",
        READING.replace("source: $ready", "source: $redy"),
        r"^reading\.yaml:12: transitions\[1\]\.source: '\$redy' names no parameter of the "
        r"fragment$",
    ),
    (
        "parameter of another kind",
        READING.replace(
            "roles: [$chair]}\n  - {trigger: done", "roles: [$ready]}\n  - {trigger: done"
        ),
        r"^reading\.yaml:12: transitions\[1\]\.roles: '\$ready' is a state parameter, not a roles$",
    ),
    (
        "unknown own state",
        READING.replace("dest: second_reading", "dest: third_reading"),
        r"^reading\.yaml:12: transitions\[1\]\.dest: unknown state 'third_reading'",
    ),
    (
        "undeclared data",
        READING.replace(
            "roles: [$chair]}\n  - {trigger: done",
            "roles: [$chair], data: [memo]}\n  - {trigger: done",
        ),
        r"^reading\.yaml:12: transitions\[1\]\.data: data names fact 'memo' the fragment does not "
        r"declare$",
    ),
    (
        "unknown parameter kind",
        READING.replace("ready: {kind: state}", "ready: {kind: place}"),
        r"^reading\.yaml:7: parameters\.ready\.kind: ",
    ),
    (
        "no kind marker",
        READING.replace("kind: fragment\n", ""),
        r"^reading\.yaml:2: missing key 'kind'$",
    ),
]


@pytest.mark.parametrize(
    ("text", "pattern"), [c[1:] for c in BROKEN_FRAGMENTS], ids=[c[0] for c in BROKEN_FRAGMENTS]
)
def test_broken_fragment_is_refused_with_one_line(text: str, pattern: str) -> None:
    with pytest.raises(DefinitionError, match=pattern) as caught:
        _load(WITH_READING, text)
    assert "\n" not in str(caught.value)


# -- command line ----------------------------------------------------------------------------------
BALLOT = HERE.parent / "collegium" / "workflows" / "ballot.yaml"


def test_cli_checks_a_fragment_against_the_procedures_that_include_it(tmp_path: Path) -> None:
    from tests.test_cli import assert_one_error_line, run

    r = run("procedures", "check", BALLOT)
    assert r.exit_code == 0 and r.output.startswith(
        "ok: fragment ballot@2, 8 parameters, 6 transitions"
    )
    broken = (
        tmp_path / "ballot.yaml"
    )  # a revised text under the same version breaks major_decision's include
    broken.write_text(
        BALLOT.read_text(encoding="utf-8")
        .replace("  pass_rule: {kind: rule", "  quorum_rule: {kind: rule")
        .replace("when: $pass_rule", "when: $quorum_rule"),
        encoding="utf-8",
    )
    r = run("procedures", "check", broken)
    assert r.exit_code == 2
    assert_one_error_line(
        r,
        "built-in procedure major_decision:",
        "include[1].bind.pass_rule",
        "fragment ballot@2 has no parameter 'pass_rule'",
    )
    r = run("--json", "procedures", "show", "major_decision")
    assert r.exit_code == 0 and json.loads(r.stdout)["include"][0]["bind"]["pass_rule"] == "R-PASS"


def test_sqlite_keeps_the_fragment_text_beside_the_procedure(tmp_path: Path) -> None:
    registry = Registry()
    registry.add_pack_text(CLUB_PACK, "club.rules.yaml")
    registry.add_procedure_text(MOTION, "motion.yaml")
    engine = Engine.open(
        str(tmp_path / "club.db"),
        clock=ManualClock(dt.datetime(2026, 6, 1, tzinfo=dt.UTC)),
        ids=SequentialIds(),
        registry=registry,
    )
    try:
        engine.define_body(
            Body(id="club", kind="club", members=(Member(person="p", role="president"),))
        )
        engine.start("motion", "p", {"title": "T", "club": "club"})
        for d in registry.texts_of(registry.compiled("motion")):
            assert engine.store.definition(d.kind, d.key) == d.text
        assert engine.store.definition("fragment", "ballot@1") == BALLOT.with_name(
            "ballot.v1.yaml"
        ).read_text(encoding="utf-8")
    finally:
        engine.close()

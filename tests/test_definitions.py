"""Definitions fail when loaded, with one line naming file, line and element — never
mid-decision."""

from __future__ import annotations

import pytest

from collegium import (
    Body,
    DefinitionError,
    Engine,
    FixedClock,
    Member,
    Registry,
    SequentialIds,
    cite,
)
from collegium.engine.machine import CompiledMachine
from tests.conftest import START, propose, shipped_as_user_files, standing_committee

PACK = """
id: tiny
version: "1"
title: {en: Tiny, zh-CN: 小}
rules:
  - id: R-ROLE
    title: {en: Role, zh-CN: 职务}
    citation: test
    guards: [{procedure: tiny, triggers: ["*"]}]
    check: {kind: role}
  - id: R-COUNT
    title: {en: Count, zh-CN: 计数}
    citation: test
    check: {kind: expression, expr: "size > 1"}
"""

PROC = """
id: tiny
version: 1
title: {en: Tiny, zh-CN: 小}
rule_pack: tiny
facts:
  body: {type: string}
  size: {type: integer}
states:
  open: {label: {en: Open, zh-CN: 开}}
  done: {label: {en: Done, zh-CN: 完}, terminal: true}
initial: open
start: {roles: [chair], data: [body, size]}
transitions:
  - {trigger: finish, source: open, dest: done, roles: [chair], rules: [R-COUNT]}
"""

#: PROC with a timer: ``lapse`` fires at the datetime fact ``due``.
TIMED = (
    PROC.replace(
        "  size: {type: integer}", "  size: {type: integer}\n  due: {type: datetime}"
    ).replace(
        "  open: {label: {en: Open, zh-CN: 开}}",
        "  open: {label: {en: Open, zh-CN: 开}, timers: [{trigger: lapse, at: due}]}",
    )
    + "  - {trigger: lapse, source: open, dest: done, roles: [system]}\n"
)


def load(proc: str = PROC, pack: str = PACK) -> Registry:
    reg = Registry()
    reg.add_pack_text(pack, "tiny-pack.yaml")
    reg.add_procedure_text(proc, "tiny.yaml")
    return reg


def test_valid_definitions_load() -> None:
    reg = load()
    assert reg.compiled("tiny").plan("open", "finish") is not None


def test_a_trigger_without_a_role_rule_is_refused() -> None:
    # the role rule used as a branch condition no longer blocks, so the trigger would be open to
    # anyone
    branched = PROC.replace("rules: [R-COUNT]", "rules: [R-COUNT], when: R-ROLE") + (
        "  - {trigger: finish, source: open, dest: open, roles: [chair], rules: [R-COUNT]}\n"
    )
    with pytest.raises(
        DefinitionError, match="trigger 'finish' is guarded by no rule of kind 'role'"
    ):
        load(branched)
    with pytest.raises(
        DefinitionError, match="trigger 'start' is guarded by no rule of kind 'role'"
    ):
        load(pack=PACK.replace('triggers: ["*"]', "triggers: [finish]"))


def test_valid_timer_and_branches_load() -> None:
    branched = TIMED.replace("rules: [R-COUNT]", "rules: [R-COUNT], when: R-COUNT") + (
        "  - {trigger: finish, source: open, dest: open, roles: [chair], rules: [R-COUNT]}\n"
    )
    reg = load(branched)
    assert reg.compiled("tiny").plan("open", "lapse") is not None


BROKEN_PROCEDURES = [
    (
        "syntax error",
        PROC.replace("initial: open", "initial: [open"),
        r"tiny\.yaml:\d+: YAML syntax error",
    ),
    (
        "unknown key",
        PROC.replace("initial: open", "initial: open\ncolour: red"),
        r"tiny\.yaml:13: unknown key 'colour'",
    ),
    (
        "duplicate key",
        PROC.replace("initial: open", "initial: open\ninitial: done"),
        r"tiny\.yaml:13: duplicate key 'initial'",
    ),
    (
        "wrong type",
        PROC.replace("version: 1", "version: one"),
        r"tiny\.yaml:3: version: Input should be a valid integer",
    ),
    (
        "unreachable state",
        PROC.replace("states:", "states:\n  limbo: {label: {en: L, zh-CN: L}}"),
        r"state 'limbo': unreachable state",
    ),
    (
        "trap state",
        PROC.replace("states:", "states:\n  stuck: {label: {en: S, zh-CN: S}}")
        + "  - {trigger: stall, source: open, dest: stuck, roles: [chair]}\n",
        r"state 'stuck': trap state",
    ),
    ("no terminal state", PROC.replace(", terminal: true", ""), r"no terminal state"),
    ("unknown state", PROC.replace("dest: done", "dest: gone"), r"unknown state 'gone'"),
    (
        "unknown rule id",
        PROC.replace("rules: [R-COUNT]", "rules: [R-NOPE]"),
        r"R-NOPE: unknown rule id",
    ),
    (
        "duplicate trigger",
        PROC + "  - {trigger: finish, source: open, dest: open, roles: [chair]}\n",
        r"duplicate trigger 'finish'",
    ),
    (
        "no roles",
        PROC.replace("roles: [chair], rules", "roles: [], rules"),
        r"tiny\.yaml:15: transitions\[1\]\.roles: Tuple should have at least 1 item",
    ),
    (
        "reserved fact",
        PROC.replace(
            "  size: {type: integer}", "  size: {type: integer}\n  present: {type: integer}"
        ),
        r"fact name 'present' is reserved",
    ),
    (
        "unsafe tag",
        PROC.replace("initial: open", "initial: !!python/object/apply:os.system ['true']"),
        r"YAML syntax error",
    ),
    ("empty file", "", r"the file is empty"),
    ("not a mapping", "- a\n- b\n", r"top level must be a mapping"),
    (
        "lone branch with when",
        PROC.replace("rules: [R-COUNT]", "rules: [R-COUNT], when: R-COUNT"),
        r"^tiny\.yaml: state 'open': trigger 'finish' from 'open' needs a last branch without "
        r"'when'$",
    ),
    (
        "every branch with when",
        PROC.replace("rules: [R-COUNT]", "rules: [R-COUNT], when: R-COUNT")
        + "  - {trigger: finish, source: open, dest: open, roles: [chair], rules: [R-COUNT], "
        "when: R-ROLE}\n",
        r"^tiny\.yaml: state 'open': trigger 'finish' from 'open' needs a last branch without "
        r"'when'$",
    ),
    (
        "fallback before a branch",
        PROC + "  - {trigger: finish, source: open, dest: open, roles: [chair], rules: [R-COUNT], "
        "when: R-ROLE}\n",
        r"^tiny\.yaml: state 'open': trigger 'finish' from 'open' needs a last branch without "
        r"'when'$",
    ),
    (
        "branches differ",
        PROC.replace("rules: [R-COUNT]", "rules: [R-COUNT], when: R-COUNT")
        + "  - {trigger: finish, source: open, dest: open, roles: [chair]}\n",
        r"^tiny\.yaml: state 'open': branches of 'finish' must share roles, rules, data, "
        r"reenter and effects \(a branch may add spawn effects of its own\)$",
    ),
    (
        "timer at a fact that is not a datetime",
        TIMED.replace("at: due", "at: size"),
        r"^tiny\.yaml: states\.open\.timers: timer fact 'size' is integer, expected datetime$",
    ),
    (
        "timer at an undeclared fact",
        TIMED.replace("at: due", "at: when_due"),
        r"^tiny\.yaml: states\.open\.timers: timer names undeclared fact 'when_due'$",
    ),
    (
        "two timers share a trigger",
        TIMED.replace(
            "timers: [{trigger: lapse, at: due}]",
            "timers: [{trigger: lapse, after: P1D}, {trigger: lapse, at: due}]",
        ),
        r"^tiny\.yaml: states\.open\.timers: two timers share trigger 'lapse'$",
    ),
]


@pytest.mark.parametrize(
    ("text", "pattern"), [c[1:] for c in BROKEN_PROCEDURES], ids=[c[0] for c in BROKEN_PROCEDURES]
)
def test_broken_procedure_is_refused_with_one_line(text: str, pattern: str) -> None:
    with pytest.raises(DefinitionError, match=pattern) as caught:
        load(proc=text)
    assert "\n" not in str(caught.value)


BROKEN_PACKS = [
    (
        "unknown fact in expression",
        PACK.replace("size > 1", "sizes > 1"),
        r"R-COUNT: expression names unknown fact 'sizes'",
    ),
    ("bad expression", PACK.replace("size > 1", "size >"), r"R-COUNT: invalid expression"),
    (
        "attribute access",
        PACK.replace("size > 1", "size.__class__ == 1"),
        r"R-COUNT: invalid expression",
    ),
    ("wall-clock builtin", PACK.replace("size > 1", "$now > $now"), r"builtin"),
    ("duplicate rule id", PACK.replace("id: R-COUNT", "id: R-ROLE"), r"duplicate rule id 'R-ROLE'"),
    (
        "unknown check kind",
        PACK.replace("kind: role", "kind: telepathy"),
        r"unknown kind 'telepathy'",
    ),
    ("bad rule id", PACK.replace("id: R-COUNT", "id: count"), r"does not match"),
    (
        "guard names unknown trigger",
        PACK.replace('triggers: ["*"]', "triggers: [explode]"),
        r"unknown trigger 'explode'",
    ),
    (
        "bad ratio",
        PACK.replace(
            'check: {kind: expression, expr: "size > 1"}',
            "check: {kind: threshold, count: size, base: size, op: '>', ratio: '3/2'}",
        ),
        r"ratio 3/2 must be",
    ),
    (
        "threshold on text",
        PACK.replace(
            'check: {kind: expression, expr: "size > 1"}',
            "check: {kind: threshold, count: body, base: size, op: '>', ratio: '1/2'}",
        ),
        r"fact 'body' is string, expected integer",
    ),
    (
        "explain names unknown fact",
        PACK.replace(
            'expr: "size > 1"}', 'expr: "size > 1"}\n    explain: {en: "{sise}", zh-CN: "{size}"}'
        ),
        r"R-COUNT: names unknown fact 'sise'",
    ),
    (
        "explain reaches into an object",
        PACK.replace(
            'expr: "size > 1"}', 'expr: "size > 1"}\n    explain: {en: "{size.real}", zh-CN: "x"}'
        ),
        r"must be a plain fact name",
    ),
]


@pytest.mark.parametrize(
    ("text", "pattern"), [c[1:] for c in BROKEN_PACKS], ids=[c[0] for c in BROKEN_PACKS]
)
def test_broken_pack_is_refused_with_one_line(text: str, pattern: str) -> None:
    with pytest.raises(DefinitionError, match=pattern) as caught:
        load(pack=text)
    assert "\n" not in str(caught.value)


def test_explain_renders_in_both_languages() -> None:
    reg = load(
        pack=PACK.replace(
            'expr: "size > 1"}',
            'expr: "size > 1"}\n    explain: {en: "only {size} seats", zh-CN: "仅 {size} 席"}',
        )
    )
    engine = Engine.in_memory(clock=FixedClock(START), ids=SequentialIds(), registry=reg)
    engine.define_body(Body(id="sc", kind="standing", members=(Member(person="c", role="chair"),)))
    iid = engine.start("tiny", "c", {"body": "sc", "size": 1}).instance.id
    failure = engine.check(iid, "finish", "c").failures[0]
    assert (failure.rule_id, failure.message("en"), failure.message("zh-CN")) == (
        "R-COUNT",
        "only 1 seats",
        "仅 1 席",
    )


def test_one_machine_per_procedure_version_not_per_instance() -> None:
    before = CompiledMachine.built
    engine = Engine.in_memory(clock=FixedClock(START), ids=SequentialIds())
    engine.define_body(standing_committee())
    procedures = engine.registry.procedures()  # every built-in file read: each compiled once
    built_for_builtins = CompiledMachine.built - before
    assert built_for_builtins == len(procedures)
    ids = [propose(engine) for _ in range(50)]
    for iid in ids:
        engine.fire(iid, "prepare", "m1")
    assert CompiledMachine.built - before == built_for_builtins
    machine = engine.registry.compiled("major_decision").machine._machine
    assert machine.models == []


def test_builtin_definitions_carry_bilingual_titles_and_citations() -> None:
    reg = Registry.builtin()
    for pack in reg.packs():
        for rule in pack.rules:
            assert rule.id.startswith("R-") and cite(rule.citation, "zh-CN").strip()
            assert rule.title.en and rule.title.zh and rule.title.en != rule.title.zh
    for proc in reg.procedures():
        for state in proc.states.values():
            assert state.label.en and state.label.zh


def test_engine_parameters_have_their_types() -> None:
    reg = Registry.builtin()
    text = reg.definitions[f"pack:{reg.pack('party-committee').key}"].text
    broken = text.replace(
        "  recusal_reduces_n:\n    value: true", '  recusal_reduces_n:\n    value: "false"'
    )
    assert broken != text
    reg.add_pack_text(broken.replace('version: "2026.10"', 'version: "2026.11"'))
    with pytest.raises(DefinitionError, match="parameter 'recusal_reduces_n' must be bool"):
        reg.compiled("major_decision")


def test_the_built_in_files_read_the_same_through_libyaml_as_through_the_bounded_loader() -> None:
    """Registry.builtin parses the files shipped with Collegium with libyaml (the CLI's start-up):
    the same data and the same lines as the bounded loader that text from elsewhere goes through."""
    from importlib import resources

    from collegium._loader import line_of, parse_yaml

    root = resources.files("collegium")
    files = [*root.joinpath("rules", "packs").iterdir(), *root.joinpath("workflows").iterdir()]
    texts = [f.read_text(encoding="utf-8") for f in files if f.name.endswith(".yaml")]
    assert len(texts) >= 9
    for text in texts:
        (fast, fast_node), (bounded, bounded_node) = (
            parse_yaml(text, "x", trusted=True),
            parse_yaml(text, "x"),
        )
        assert fast == bounded
        for key in fast:
            assert line_of(fast_node, [key]) == line_of(bounded_node, [key]) is not None


def test_the_shipped_expressions_compile_and_judge_as_when_compiled_at_load() -> None:
    """Registry.builtin compiles its expressions when first evaluated (rule-engine builds its parser
    when first imported, a third of a second): loaded as anyone's files, each compiles at load; and
    every example scenario takes the same steps to the same event hashes either way."""
    from pathlib import Path

    from collegium.engine.clock import ManualClock, parse_time
    from collegium.scenario import Scenario, run

    eager, builtin = shipped_as_user_files(), Registry.builtin()
    assert [p.key for p in eager.procedures()] == [p.key for p in builtin.procedures()]
    for path in sorted((Path(__file__).parents[1] / "examples" / "scenarios").glob("*.yaml")):
        results = []
        for reg in (eager, builtin):
            scn = Scenario.load(path.read_text(encoding="utf-8"), path.name)
            clock = ManualClock(parse_time(scn.spec.start, "start"))
            engine, reports = run(
                scn, Engine.in_memory(clock=clock, ids=SequentialIds(), registry=reg)
            )
            results.append(
                (
                    reports,
                    [
                        (e.instance_id, e.seq, e.hash)
                        for i in engine.instances()
                        for e in engine.history(i.id)
                    ],
                )
            )
        assert results[0] == results[1], path.name


def test_a_procedure_of_ones_own_on_the_shipped_pack_has_its_expressions_checked_at_load() -> None:
    """Only what is all shipped with Collegium compiles its expressions late: a procedure loaded
    next to the built-in ones, judged by the built-in pack, is refused at load for a fact an
    expression names that it does not declare."""
    proc = PROC.replace("id: tiny", "id: mine").replace(
        "rule_pack: tiny", "rule_pack: party-committee"
    )
    proc = proc.replace("rules: [R-COUNT]", "rules: [R-ROLE, R-ACCT-EXEC-DUE]")
    reg = Registry.builtin()
    with pytest.raises(
        DefinitionError, match="R-ACCT-EXEC-DUE: expression names unknown fact 'personal_measures'"
    ):
        reg.add_procedure_text(proc, "mine.yaml")
    assert "mine" not in [p.id for p in reg.procedures()]


def test_a_new_engine_on_the_built_in_definitions_does_not_load_rule_engine() -> None:
    import subprocess
    import sys

    code = (
        "import sys\nfrom collegium import Engine, FixedClock\nimport datetime as dt\n"
        "Engine.in_memory(clock=FixedClock(dt.datetime(2026, 1, 1, tzinfo=dt.UTC)))\n"
        "print('rule_engine' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"

"""Diagrams of every built-in procedure, in both languages, checked for structure: every state
declared once, every edge between declared states, a start and the terminal states marked, rule ids
on guarded edges."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from collegium import Registry
from collegium.diagram import dot, edges, mermaid
from tests.test_cli_ballot import ok, one_error_line, run

REGISTRY = Registry.builtin()
PROCEDURES = sorted(p.id for p in REGISTRY.procedures())
BOARD = Path(__file__).parent.parent / "examples" / "board"


def shown(label: str) -> str:
    """A Mermaid label as the diagram shows it: its entity codes (``#58;``) as characters."""
    return re.sub(r"#(\d+);", lambda m: chr(int(m.group(1))), label)


def parses_as_one_label(label: str) -> bool:
    """Whether Mermaid's state-diagram lexer reads ``label`` (after ``A --> B: ``) whole: once
    its entity codes are set aside, no semicolon and no colon (``:::`` starts a class)."""
    return not re.search(r"[;:\n]", re.sub(r"#\w+;", "", label))


@pytest.mark.parametrize("lang", ["en", "zh-CN"])
@pytest.mark.parametrize("procedure", PROCEDURES)
def test_mermaid_is_a_well_formed_state_diagram(procedure: str, lang: str) -> None:
    proc = REGISTRY.compiled(procedure)
    lines = mermaid(proc, lang, current=proc.spec.initial).splitlines()
    assert lines[0] == "stateDiagram-v2"
    declared = [
        m.group(2) for line in lines if (m := re.fullmatch(r'    state "([^"]+)" as (\w+)', line))
    ]
    assert declared == list(proc.spec.states)
    arrows = [
        re.fullmatch(r"    (\[\*\]|\w+) --> (\[\*\]|\w+)(?:: (.+))?", line)
        for line in lines
        if "-->" in line
    ]
    assert all(arrows)
    for m in arrows:
        assert m is not None and {m.group(1), m.group(2)} - {"[*]"} <= set(declared)
    labelled = [m.group(3) for m in arrows if m is not None and m.group(3)]
    assert len(labelled) == sum(len(t.source) for t in proc.spec.transitions)
    assert all(parses_as_one_label(label) and '"' not in label for label in labelled)
    # every punctuation mark kept: the label shows as the procedure writes it
    written = [
        label + (f" [{', '.join(rules)}]" if rules else "")
        for _src, _dest, label, rules in edges(proc, lang)
    ]
    assert [shown(label) for label in labelled] == written
    assert f"    class {proc.spec.initial} current" in lines


def test_rules_are_on_the_edges_they_guard_or_choose() -> None:
    proc = REGISTRY.compiled("major_decision")
    found = {(src, dest): rules for src, dest, _label, rules in edges(proc, "en")}
    assert found[("in_meeting", "adopted")][0] == "R-PASS?"  # the branch rule that chooses the edge
    assert "R-DELIBERATION" in found[("deliberation", "scheduled")]
    assert all(
        "R-ROLE" not in rules for rules in found.values()
    )  # the role rule guards every edge: left out
    assert "县委" not in mermaid(proc, "en") and "已通过" in mermaid(proc, "zh-CN")


@pytest.mark.parametrize("procedure", PROCEDURES)
def test_dot_declares_every_state_and_edge(procedure: str) -> None:
    proc = REGISTRY.compiled(procedure)
    text = dot(proc, "zh-CN")
    assert text.startswith(f'digraph "{procedure}" {{') and text.rstrip().endswith("}")
    assert text.count("{") == text.count("}")
    for sid in proc.spec.states:
        assert re.search(rf"^    {sid} \[label=", text, re.M)
    assert len(re.findall(r"^    \w+ -> \w+ \[label=", text, re.M)) == sum(
        len(t.source) for t in proc.spec.transitions
    )


def test_the_command_line_draws_and_highlights_an_instance(tmp_path: object) -> None:
    assert ok("diagram", "meeting").stdout.startswith("stateDiagram-v2")
    assert "已散会" in ok("--lang", "zh-CN", "diagram", "meeting", "--format", "dot").stdout
    db = f"{tmp_path}/d.db"
    ok("--db", db, "--now", "2026-03-01T09:00+08:00", "demo")
    drawn = ok("--db", db, "diagram", "--instance", "major_decision-1").stdout
    assert "class corrected current" in drawn
    assert ok("--db", db, "status", "major_decision-1", "--diagram").stdout == drawn
    one_error_line(run("diagram", "nope"), "no procedure 'nope'")
    if shutil.which("dot") is None:
        r = run("diagram", "meeting", "--format", "svg")
        assert r.exit_code == 2
        one_error_line(r, "Graphviz")
    else:
        assert "<svg" in ok("diagram", "meeting", "--format", "svg").stdout


def test_punctuation_in_labels_is_escaped_not_dropped(tmp_path: Path) -> None:
    said = 'Convene (notice: 10 days; "agenda" & papers, #1 <first> {a|b})'
    state = 'Convened: "notice" sent; #2'
    text = (BOARD / "board_resolution.yaml").read_text(encoding="utf-8")
    text = text.replace(
        "{trigger: convene, source: drafted,",
        f"{{trigger: convene, label: {{en: '{said}', zh-CN: 召集}}, source: drafted,",
    ).replace("convened: {label: {en: Meeting convened,", f"convened: {{label: {{en: '{state}',")
    (tmp_path / "board_resolution.yaml").write_text(text, encoding="utf-8")
    registry = Registry()
    registry.load_pack(BOARD / "company-board.rules.yaml")
    registry.load_procedure(tmp_path / "board_resolution.yaml")
    proc = registry.compiled("board_resolution")

    lines = mermaid(proc, "en").splitlines()
    edge = next(line for line in lines if line.startswith("    drafted --> convened: "))
    label = edge.removeprefix("    drafted --> convened: ")
    assert parses_as_one_label(label) and not re.search(r'["<>&{}|]', label)
    assert shown(label).startswith(said + " [")
    declared = next(line for line in lines if line.endswith(" as convened"))
    assert re.fullmatch(r'    state "[^"]+" as convened', declared)
    assert shown(declared) == f'    state "{state}" as convened'

    drawn = dot(proc, "en")
    escaped = said.replace('"', '\\"')
    assert f'    drafted -> convened [label="{escaped}\\n[' in drawn
    assert '    convened [label="Convened: \\"notice\\" sent; #2\\n(convened)"];' in drawn

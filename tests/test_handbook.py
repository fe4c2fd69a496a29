"""The procedure handbook is generated from the procedures and packs, and the committed one must be
current: this test fails (and so does CI) when a procedure or a rule changed without
`collegium docs --out docs/handbook`."""

from __future__ import annotations

import shutil
from pathlib import Path

from collegium import Registry, handbook
from tests.test_cli_ballot import ok, one_error_line, run

HANDBOOK = Path(__file__).parent.parent / "docs" / "handbook"


def test_the_committed_handbook_is_current() -> None:
    assert handbook.stale(Registry.builtin(), HANDBOOK) == [], (
        "run: collegium docs --out docs/handbook"
    )


def test_every_procedure_has_a_page_in_both_languages_with_its_rules_and_citations() -> None:
    pages = handbook.pages(Registry.builtin())
    for pid in (
        "major_decision",
        "meeting",
        "assignment",
        "accountability",
        "report",
        "commitment",
    ):
        assert f"{pid}.md" in pages and f"{pid}.zh-CN.md" in pages
    en, zh = pages["major_decision.md"], pages["major_decision.zh-CN.md"]
    assert "```mermaid\nstateDiagram-v2" in en
    assert (
        "\n| `R-PASS` | " in en and "\n| `R-CHAIR-LAST` | 书记末位表态，表态后表决 |" in zh
    )  # each rule bound, titled
    assert "Party-group regulation (2019) Art. 27" in en and "书记" in zh and "已通过" in zh


def test_docs_check_exits_1_when_stale_and_writes_nothing(tmp_path: Path) -> None:
    copy = tmp_path / "handbook"
    shutil.copytree(HANDBOOK, copy)
    ok("docs", "--out", copy, "--check")
    (copy / "meeting.md").write_text("edited\n", encoding="utf-8")
    r = run("docs", "--out", copy, "--check")
    assert r.exit_code == 1
    one_error_line(r, "not current (meeting.md)")
    assert (copy / "meeting.md").read_text(encoding="utf-8") == "edited\n"
    ok("docs", "--out", copy)
    ok("docs", "--out", copy, "--check")

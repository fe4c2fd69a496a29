"""The self-contained HTML report: `collegium simulate FILE --html OUT`, `collegium report INSTANCE
--html OUT` and the library's `report_html`. The pages are read back with the standard library's
html.parser (and their SVG with xml.etree): the timeline, the diagram with the path taken and the
current state marked, the ballot charts with their quorum and threshold, the refusals with their
rules and citations, in English and Chinese, with no network reference and no voter's choice of a
secret ballot."""

from __future__ import annotations

import datetime as dt
import json
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

import collegium
from collegium import read_text
from collegium.htmlreport.diagram_svg import layers
from collegium.scenario import Scenario, run
from tests._html_tree import Element, parse
from tests.test_cli_ballot import ok, one_error_line
from tests.test_cli_ballot import run as cli

SCENARIOS = Path(__file__).parent.parent / "examples" / "scenarios"
P1 = SCENARIOS / "p1_major_decision.yaml"
P1_ZH = SCENARIOS / "p1_major_decision.zh-CN.yaml"
P2 = SCENARIOS / "p2_ballot.yaml"
P3 = SCENARIOS / "p3_task_completed.yaml"


def simulate(tmp_path: Path, scenario: Path, *options: str, db: bool = False) -> tuple[str, dict]:
    """The page `simulate --html` writes and the run's JSON document (its --json output)."""
    out = tmp_path / f"{scenario.stem}.html"
    extra = ["--db", str(tmp_path / f"{scenario.stem}.db")] if db else []
    doc = json.loads(ok(*options, "--json", "simulate", scenario, "--html", out, *extra).stdout)
    assert doc["html"] == str(out)
    return out.read_text(encoding="utf-8"), doc


def section(page: Element, instance: str) -> Element:
    return page.one("section", "instance", data_instance=instance)


def no_network_reference(page: str) -> None:
    assert not re.search(r"<script|<link|<iframe|<img|<object|<embed|@import|\ssrc=", page, re.I)
    assert not re.search(r"url\(\s*['\"]?(?!#)", page), "only url(#…) of the page's own markers"
    addresses = set(re.findall(r"(?:https?:)?//[\w.-]+[^\s\"'<>)]*", page))
    assert addresses <= {"http://www.w3.org/2000/svg"}, addresses  # the SVG namespace is a name


def svgs_are_well_formed(page: Element, raw: str) -> int:
    found = re.findall(r"<svg\b.*?</svg>", raw, re.S)
    for svg in found:
        ET.fromstring(svg)  # raises on anything that is not well-formed XML
    assert len(found) == len(page.find_all("svg"))
    return len(found)


def test_simulate_writes_the_timeline_diagram_ballot_and_refusals(tmp_path: Path) -> None:
    raw, doc = simulate(tmp_path, P1)
    page = parse(raw)
    no_network_reference(raw)
    assert svgs_are_well_formed(page, raw) == 2  # the diagram and the ballot
    assert page.one("html").attrs["lang"] == "en"
    budget = section(page, "budget")
    history = doc["instances"]["budget"]["history"]

    rows = budget.one("table", "timeline").find_all("tr", "step")
    assert [(int(r.attrs["data-seq"]), r.attrs["data-trigger"]) for r in rows] == [
        (seq, trigger) for seq, _at, _actor, trigger, _dest in history
    ]
    assert [r.attrs["data-dest"] for r in rows] == [dest for *_, dest in history]
    assert rows[11].text.startswith("12 2026-03-10 09:00 Open the meeting")  # the scenario's zone
    assert "sec" in rows[11].text and "Scheduled for a meeting" in rows[11].text

    diagram = budget.one("svg", "diagram")
    current = [e for e in diagram.walk() if "current" in e.classes]
    assert {e.attrs.get("data-state") for e in current if e.tag == "g"} == {"assigned"}
    assert doc["instances"]["budget"]["state"] == "assigned"
    taken = {
        (g.attrs["data-source"], g.attrs["data-trigger"], g.attrs["data-dest"])
        for g in diagram.find_all("g", "edge taken")
    }
    moves = {(r.attrs["data-source"], r.attrs["data-trigger"], r.attrs["data-dest"]) for r in rows}
    assert taken == {m for m in moves if m[0]}  # every transition gone through, and no other
    assert ("scheduled", "defer", "deferred") not in taken
    assert diagram.find_all("g", "edge", data_trigger="defer")  # drawn, not taken
    assert all(
        "taken" in p.classes
        for g in diagram.find_all("g", "edge taken")
        for p in g.find_all("path")
    )

    [chart] = budget.find_all("svg", "ballot-chart")
    bars = {g.attrs["data-option"]: int(g.attrs["data-count"]) for g in chart.find_all("g", "bar")}
    assert bars == {"present": 6, "agree": 5, "oppose": 0, "abstain": 1}
    assert chart.one("g", "quorum").attrs["data-value"] == "4"  # R-QUORUM-SC: half of 7
    assert chart.one("g", "threshold").attrs["data-value"] == "4"
    assert chart.one("line", "quorum") and chart.one("line", "threshold")

    refused = [s for s in doc["steps"] if s["outcome"] == "refused"]
    shown = budget.find_all("div", "refusal")
    assert len(shown) == len(refused) == 3
    for step, div in zip(refused, shown, strict=True):
        [rule] = step["rules"]
        li = div.one("li", data_rule=rule["rule"])
        assert li.one("span", "citation").text == f"[{rule['citation']}]"
        assert rule["message"] in li.text and rule["title"] in li.text
    assert "§IV.1" in shown[0].text  # R-DELIBERATION's source
    assert not page.find_all(cls="refusals-unknown")
    audit = page.one("section", "audit")
    assert "ok" in audit.classes and "every hash chain intact" in audit.text


def test_the_chinese_page_says_labels_and_citations_in_chinese(tmp_path: Path) -> None:
    raw, doc = simulate(tmp_path, P1_ZH, "--lang", "zh-CN")
    page = parse(raw)
    no_network_reference(raw)
    assert page.one("html").attrs["lang"] == "zh-CN"
    headings = [h.text for h in page.find_all("h3")]
    assert headings[:3] == ["程序流程图", "时间线", "被拒绝的操作"]
    [matter] = page.find_all("section", "instance")
    assert matter.one("span", "current-state").text == "责任分解"
    refused = [r for s in doc["steps"] if s["outcome"] == "refused" for r in s["rules"]]
    citations = [c.text for c in matter.find_all("span", "citation")]
    assert citations == [f"[{r['citation']}]" for r in refused]
    assert any(re.search(r"[\u4e00-\u9fff]", c) for c in citations)  # said in Chinese
    assert "法定人数" in matter.one("svg", "ballot-chart").text
    assert "审计通过" in page.one("section", "audit").text


def test_a_secret_ballot_shows_totals_and_no_voter_s_choice(tmp_path: Path) -> None:
    raw, doc = simulate(tmp_path, P2)
    page = parse(raw)
    heads = section(page, "heads")
    charts = heads.find_all("div", "ballot")
    assert [c.attrs["data-secret"] for c in charts] == ["true", "true"]  # one per candidate
    items = doc["instances"]["heads"]["ballot"]["items"]
    assert [c.one("h4").text.split(" (")[0] for c in charts] == ["item Zhang Wei", "item Li Na"]
    for chart in charts:  # in the ballot's order
        item = chart.one("h4").text.split(" (")[0].removeprefix("item ")
        result = items[item]
        bars = {
            g.attrs["data-option"]: int(g.attrs["data-count"]) for g in chart.find_all("g", "bar")
        }
        assert bars == {"present": 9} | {o: result[o] for o in bars if o != "present"}
        assert chart.one("g", "threshold").attrs["data-value"] == str(result["needed"])
        assert chart.one("g", "quorum").attrs["data-value"] == "7"  # R-QUORUM-CADRE
    options = {"agree", "disagree", "defer", "blank", "invalid"}
    voters = {f"m{i}" for i in range(1, 10)} | {"sec", "dep"}
    for row in [*heads.find_all("tr"), *heads.find_all("li")]:
        words = set(re.findall(r"[\w-]+", row.text))
        assert not (words & voters and words & options), row.text  # nobody beside a choice


def test_report_on_the_database_draws_the_same_diagram_and_timeline(tmp_path: Path) -> None:
    raw, _ = simulate(tmp_path, P1, db=True)
    out = tmp_path / "budget.html"
    said = ok(
        "--db",
        tmp_path / "p1_major_decision.db",
        "--tz",
        "+08:00",
        "report",
        "budget",
        "--html",
        out,
    )
    assert said.stdout.strip() == f"report written to {out}"
    again = out.read_text(encoding="utf-8")
    no_network_reference(again)

    def parts(page: str) -> tuple[str, str]:
        svg = re.search(r'<svg class="diagram".*?</svg>', page, re.S)
        table = re.search(r'<table class="timeline">.*?</table>', page, re.S)
        assert svg and table
        return svg.group(), table.group()

    assert parts(again) == parts(raw)
    assert parse(again).one("p", "refusals-unknown").text.startswith("Refusals are not stored")
    assert (
        "被拒绝的操作不予存储"
        in ok(
            "--lang",
            "zh-CN",
            "--db",
            tmp_path / "p1_major_decision.db",
            "report",
            "budget",
            "--html",
            "-",
        ).stdout
    )


def test_report_refuses_what_it_cannot_find_in_one_line(tmp_path: Path) -> None:
    _, _ = simulate(tmp_path, P1, db=True)
    db = tmp_path / "p1_major_decision.db"
    r = cli("--db", db, "report", "nothing-here", "--html", tmp_path / "x.html")
    assert r.exit_code == 2
    one_error_line(r, "nothing-here")
    assert not (tmp_path / "x.html").exists()
    r = cli("--db", tmp_path / "none.db", "report", "budget", "--html", tmp_path / "x.html")
    assert r.exit_code == 2
    one_error_line(r, "no database")
    assert cli("--db", db, "report", "budget").exit_code == 2  # --html is required


def test_tasks_are_drawn_on_a_time_axis_with_their_deadlines(tmp_path: Path) -> None:
    raw, doc = simulate(tmp_path, P3)
    page = parse(raw)
    water = section(page, "water")
    chart = water.one("svg", "tasks-chart")
    tasks = [g.attrs["data-task"] for g in chart.find_all("g", "task")]
    assert tasks == ["assignment-1", "briefing-2"]
    done = chart.one("g", "task", data_task="assignment-1")
    assert "done" in done.classes and done.one("path", "deadline")
    assert "2026-11-30" in done.one("path", "deadline").text  # the deadline, in the zone
    assert chart.one("line", "now")
    assert len(page.find_all("section", "instance")) == len(doc["instances"]) == 4
    assert [a.attrs["href"] for a in page.one("nav").find_all("a")] == [
        f"#i-{i}" for i in doc["instances"]
    ]


def test_the_largest_example_renders(tmp_path: Path) -> None:
    largest = max(SCENARIOS.glob("*.yaml"), key=lambda p: p.stat().st_size)
    lang = "zh-CN" if ".zh-CN." in largest.name else "en"
    raw, doc = simulate(tmp_path, largest, "--lang", lang)
    page = parse(raw)
    no_network_reference(raw)
    assert svgs_are_well_formed(page, raw) >= len(doc["instances"])
    sections = page.find_all("section", "instance")
    assert [s.attrs["data-instance"] for s in sections] == list(doc["instances"])
    for s in sections:
        rows = s.one("table", "timeline").find_all("tr", "step")
        assert len(rows) == len(doc["instances"][s.attrs["data-instance"]]["history"])
        assert len([e for e in s.one("svg", "diagram").find_all("g", "current")]) == 1


def test_a_title_is_escaped_everywhere(tmp_path: Path) -> None:
    text = (
        P1.read_text(encoding="utf-8")
        .replace(
            "title: County road maintenance budget 2026,",
            "title: '<script>alert(1)</script> & \"x\"',",
        )
        .replace("scenario: County road", "scenario: <b>County</b> road")
    )
    scenario = tmp_path / "hostile.yaml"
    scenario.write_text(text, encoding="utf-8")
    raw, _ = simulate(tmp_path, scenario)
    assert "<script" not in raw and "<b>" not in raw
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;x&quot;" in raw
    page = parse(raw)
    assert (
        page.one("h1").text
        == "Scenario: <b>County</b> road maintenance budget 2026, from proposal to assignment"
    )


def test_the_library_reads_a_typed_record_apart_from_drawing_it() -> None:
    scn = Scenario.load(read_text(P1), str(P1), "en")
    engine, reports = run(scn)
    refusals = [r for step in reports if (r := collegium.Refusal.of_step(step)) is not None]
    data = collegium.report_data(engine, "budget", refusals=refusals)
    assert isinstance(data, collegium.ReportData)
    [budget] = data.instances
    assert [s.trigger for s in budget.steps] == [e.trigger for e in engine.history("budget")]
    assert budget.state == "assigned" and budget.state_label == "Responsibilities being assigned"
    assert [r.rules[0].rule for r in budget.refusals] == [
        "R-DELIBERATION",
        "R-CONSULTER",
        "R-CHAIR-LAST",
    ]
    assert data.audit.ok and data.refusals_known
    zone = dt.timezone(dt.timedelta(hours=8))
    page = collegium.render_report(data, zone)
    assert page == collegium.report_html(engine, "budget", tz=zone, refusals=refusals)
    assert "2026-03-10 09:00" in page and "times in UTC+08:00" in page
    assert "2026-03-10 01:00" in collegium.render_report(data)  # UTC unless told
    unknown = collegium.report_data(engine, ["budget"])
    assert not unknown.refusals_known and unknown.instances[0].refusals == ()


def test_states_are_laid_out_in_layers_by_distance_from_the_initial_state() -> None:
    scn = Scenario.load(read_text(P1), str(P1), "en")
    engine, _ = run(scn)
    graph = collegium.report_data(engine, "budget").instances[0].graph
    rows = layers(graph)
    depth = {s: i for i, row in enumerate(rows) for s in row}
    assert rows[0] == ["proposed"] and sorted(depth) == sorted(n.id for n in graph.nodes)
    for node in graph.nodes:
        if node.id != graph.initial:  # one layer below the nearest state that leads to it
            before = [
                depth[e.source] for e in graph.edges if e.dest == node.id and e.source != node.id
            ]
            assert depth[node.id] == min(before) + 1, node.id
    assert depth["deliberation"] == 2 and depth["scheduled"] == 3 and depth["in_meeting"] == 4


@pytest.mark.parametrize("lang", ["en", "zh-CN"])
def test_the_page_prints(tmp_path: Path, lang: str) -> None:
    raw, _ = simulate(tmp_path, P1, "--lang", lang)
    style = parse(raw).one("style").text
    assert "@media print" in style and "break-before: page" in style

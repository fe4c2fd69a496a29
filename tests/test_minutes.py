"""`collegium minutes MEETING` and `collegium.minutes`: the record of a sitting drafted from what
the engine holds, after example scenarios ran into SQLite files, in English and Chinese, as Markdown
and as one self-contained HTML page."""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path

import pytest

import collegium
from collegium import Engine, FixedClock, ManualClock
from tests.conftest import consult_all, count, secret_ballot, state_views, to_deliberation
from tests.test_cli_ballot import ok, one_error_line, run

SCENARIOS = Path(__file__).resolve().parents[1] / "examples" / "scenarios"
TZ = ("--tz", "+08:00")

#: a sitting convened with an agenda of three matters: the first taken up with a recusal and voted
#: with one member against; a member arrives; the second with one against and one abstaining; the
#: third never taken up
SITTING = """\
scenario: The 12th sitting of the standing committee
start: 2026-03-02T09:00+08:00
bodies:
  - id: sc
    kind: standing
    title: {en: County standing committee, zh-CN: 县委常委会}
    members:
      - {person: sec, role: secretary}
      - {person: dep, role: deputy_secretary}
      - {person: m1, role: standing_member, name: Zhang Wei}
      - {person: m2, role: standing_member}
      - {person: m3, role: standing_member}
      - {person: m4, role: standing_member}
steps:
  - start: major_decision
    as: sec
    id: roads
    data: {title: Road maintenance budget, category: important, proposer: sec, lead_member: m1,
           body: sc, confidentiality: public}
  - {fire: prepare, instance: roads, as: m1}
  - {fire: start_deliberation, instance: roads, as: m1, data: {preparation: survey}}
  - {fire: schedule, instance: roads, as: sec, data: {meeting_at: "2026-03-10T09:00+08:00"}}
  - start: major_decision
    as: sec
    id: parks
    data: {title: "Parks <renovation> & gardens", category: important, proposer: sec,
           lead_member: m2, body: sc, confidentiality: public}
  - {fire: prepare, instance: parks, as: m2}
  - {fire: start_deliberation, instance: parks, as: m2, data: {preparation: survey}}
  - {fire: schedule, instance: parks, as: sec, data: {meeting_at: "2026-03-10T09:00+08:00"}}
  - start: major_decision
    as: sec
    id: schools
    data: {title: School repairs, category: important, proposer: sec, lead_member: m3, body: sc,
           confidentiality: public}
  - start: meeting
    as: sec
    id: s12
    data: {title: 12th sitting, body: sc, meeting_at: "2026-03-10T09:00+08:00",
           agenda: [roads, parks, schools]}
  - advance: "2026-03-10T09:00+08:00"
  - fire: open
    instance: s12
    as: sec
    data:
      attendance: {sec: present, dep: present, m1: present, m2: present, m3: present, m4: absent,
                   npc-rep: attendee}
      reasons: {m4: on leave}
  - {fire: open_meeting, instance: roads, as: sec, data: {sitting: s12, recused: [m3]}}
  - {fire: state_view, instance: roads, as: [m2, m1, dep], data: {view: agree}}
  - {fire: state_view, instance: roads, as: sec, data: {view: agree}}
  - {vote: agree, instance: roads, as: [sec, m1, m2]}
  - {vote: oppose, instance: roads, as: dep}
  - {fire: close_ballot, instance: roads, as: sec}
  - advance: PT1H
  - {fire: attend, instance: s12, as: sec, data: {member: m4, status: present}}
  - {fire: open_meeting, instance: parks, as: sec, data: {sitting: s12}}
  - {fire: state_view, instance: parks, as: [dep, m1, m2, m3], data: {view: agree}}
  - {fire: state_view, instance: parks, as: m4, data: {view: reserve}}
  - {fire: state_view, instance: parks, as: sec, data: {view: agree}}
  - {vote: agree, instance: parks, as: [sec, dep, m1, m2]}
  - {vote: abstain, instance: parks, as: m3}
  - {vote: oppose, instance: parks, as: m4}
  - {fire: close_ballot, instance: parks, as: sec}
  - advance: PT30M
  - {fire: adjourn, instance: s12, as: sec}
  - expect: {instance: s12, state: adjourned}
"""


@pytest.fixture(scope="module")
def dbs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Each scenario run into a SQLite file of its own: P1 (a matter's own meeting, a named
    ballot), P2 (a secret ballot voted item by item), P3 (a decision assigned as a task) and the
    sitting above."""
    where = tmp_path_factory.mktemp("minutes")
    sitting = where / "sitting.yaml"
    sitting.write_text(SITTING, encoding="utf-8")
    files = {
        "p1": SCENARIOS / "p1_major_decision.yaml",
        "p2": SCENARIOS / "p2_ballot.yaml",
        "p3": SCENARIOS / "p3_task_completed.yaml",
        "sitting": sitting,
    }
    out = {}
    for name, scenario in files.items():
        out[name] = where / f"{name}.db"
        ok("simulate", scenario, "--db", out[name])
    return out


def minutes(db: Path, *args: str) -> str:
    return ok("--db", db, *TZ, "minutes", *args).stdout


def section(text: str, start: str, end: str) -> str:
    """The lines of ``text`` from the heading ``start`` to the next heading ``end``."""
    return text.split(start, 1)[1].split(end, 1)[0]


def test_a_matters_own_meeting_in_english(dbs: dict[str, Path]) -> None:
    text = minutes(dbs["p1"], "budget")
    assert text.startswith("# Minutes: County road maintenance budget 2026\n")
    assert "- **Body**: County standing committee (sc)" in text
    assert "- **Opened**: 2026-03-10 09:00" in text and "*Times in UTC+08:00*" in text
    assert "- **Chair**: sec (secretary)" in text
    assert "- **Present (6)**: sec (secretary); dep (deputy secretary); m1 (" in text
    assert "- **Absent (1)**: m5 (standing member) — on a provincial training course" in text
    assert "- **Attending without a vote (2)**: cppcc-rep; npc-rep" in text
    views = section(text, "### Views in the order stated", "###")
    assert re.findall(r"^\d+\. (\S+) .*: (.+)$", views, re.MULTILINE) == [
        ("dep", "agree"),
        ("m1", "agree"),
        ("m2", "agree"),
        ("m3", "agree"),
        ("m4", "reserves judgement"),
        ("sec", "agree"),
    ]  # the secretary last, as stated
    vote = section(text, "### Vote", "###")
    assert "- **Method**: named" in vote
    assert "- **Votes**: agree 5, oppose 0, abstain 1" in vote
    assert "- **Attendance at the vote**: 7 should attend, 6 present" in vote
    assert "- **Quorum**: 6 of 7; needs ≥ 1/2 of 7: 4 (R-QUORUM-SC) — met" in vote
    assert "- **Threshold**: 5 of 7; needs > 1/2 of 7: 4 (R-PASS) — met" in vote
    assert "- **Result**: passed" in vote
    assert "- **Against or abstaining**: abstain: m4 (standing member)" in vote
    decision = text.split("### Decision", 1)[1]
    assert "- **Decision**: Adopted" in decision
    assert "- **Lead member**: m1 (standing member)" in decision


def test_a_matters_own_meeting_in_chinese(dbs: dict[str, Path]) -> None:
    text = minutes(dbs["p1"], "budget", "--lang", "zh-CN")
    assert text.startswith("# 会议记录：County road maintenance budget 2026\n")
    assert "- **会议机构**：县委常委会（sc）" in text
    assert "- **主持人**：sec（书记）" in text
    assert "- **出席（6 人）**：sec（书记）；dep（副书记）" in text
    assert "- **缺席（1 人）**：m5（常委），理由：on a provincial training course" in text
    assert "- **列席（2 人）**：cppcc-rep；npc-rep" in text
    assert "\n### 表态（按发言顺序）\n" in text
    assert "5. m4（常委）：保留意见" in text and "6. sec（书记）：同意" in text
    assert "- **票数**：同意 5 票，不同意 0 票，弃权 1 票" in text
    assert "- **表决时到会**：应到 7 人，实到 6 人" in text
    assert "- **法定人数**：7 人中 6 人；须不少于 1/2，即 4 人（R-QUORUM-SC）——符合" in text
    assert "- **不同意、弃权或缓议**：弃权：m4（常委）" in text
    assert "- **决定**：已通过" in text and "- **牵头负责人**：m1（常委）" in text


def test_a_sitting_minutes_each_matter_on_its_agenda(dbs: dict[str, Path]) -> None:
    text = minutes(dbs["sitting"], "s12")
    assert text.startswith("# Minutes: 12th sitting\n")
    assert "- **Convened for**: 2026-03-10 09:00" in text
    assert "- **Closed**: 2026-03-10 10:30" in text
    # attendance when the sitting opened, then the arrival
    assert "- **Absent (1)**: m4 (standing member) — on leave" in text
    assert "Zhang Wei (m1, standing member)" in text  # the name the body gives
    assert "- 2026-03-10 10:00 m4 (standing member) arrived" in text
    agenda = section(text, "## Agenda", "##")
    assert agenda.strip().splitlines() == [
        "1. Road maintenance budget (roads) — Adopted",
        r"2. Parks \<renovation> & gardens (parks) — Adopted",
        "3. School repairs (schools) — not taken up; now: Proposed",
    ]
    roads = section(text, "## Matter 1: Road maintenance budget", "## Matter 2")
    assert "- **Recused (1)**: m3 (standing member)" in roads
    assert "- **Attendance at the vote**: 5 should attend, 4 present" in roads
    assert "- **Against or abstaining**: oppose: dep (deputy secretary)" in roads
    parks = text.split("## Matter 2:", 1)[1]
    assert "- **Taken up**: 2026-03-10 10:00" in parks and "Recused" not in parks
    assert (
        "- **Against or abstaining**: oppose: m4 (standing member); abstain: m3 (standing member)"
    ) in parks
    assert "- **Lead member**: m2 (standing member)" in parks
    assert "## Matter 3" not in text  # not taken up: on the agenda only


def test_a_matter_taken_up_at_a_sitting_names_it(dbs: dict[str, Path]) -> None:
    text = minutes(dbs["sitting"], "parks", "--lang", "zh-CN")
    assert "- **所在会议**：s12" in text
    assert "- 2026-03-10 10:00 m4（常委） 到会" in text
    assert "- **不同意、弃权或缓议**：不同意：m4（常委）；弃权：m3（常委）" in text
    assert "## 议题 1：Parks \\<renovation> & gardens" in text


def test_a_secret_ballot_shows_its_totals_and_no_voters_choice(dbs: dict[str, Path]) -> None:
    for lang, secret in (("en", "Secret ballot: totals only"), ("zh-CN", "无记名投票：只记总数")):
        text = minutes(dbs["p2"], "heads", "--lang", lang)
        vote = text.split("### Vote" if lang == "en" else "### 表决", 1)[1]
        vote = vote.split("### Decision" if lang == "en" else "### 决定", 1)[0]
        assert secret in vote
        # the tellers are named; no other member is named beside a choice
        assert set(re.findall(r"\bm\d\b|\bsec\b|\bdep\b", vote)) == {"m3", "m7"}
    text = minutes(dbs["p2"], "heads")
    assert "- **Tellers**: m3 (standing member); m7 (standing member)" in text
    assert "- **Ballots returned**: 9" in text
    zhang = section(text, "#### Item: Zhang Wei", "####")
    assert "- **Votes**: agree 7, disagree 1, defer 1, blank 0, invalid 0" in zhang
    assert "- **Result**: passed" in zhang
    li = section(text, "#### Item: Li Na", "\n*")
    assert "- **Votes**: agree 4, disagree 3, defer 1, blank 1, invalid 0" in li
    assert "(R-PASS) — not met" in li and "- **Result**: not passed" in li
    doc = json.loads(ok("--db", dbs["p2"], "--json", "minutes", "heads").stdout)
    tally = doc["matters"][0]["tally"]
    assert tally["secret"] and tally["dissent"] == []
    assert [item["dissent"] for item in tally["items"]] == [[], []]


def test_a_decision_lists_the_tasks_it_was_assigned_as(dbs: dict[str, Path]) -> None:
    text = minutes(dbs["p3"], "water")
    tasks = text.split("#### Tasks assigned", 1)[1]
    assert (
        "- Water stations for 40 villages (assignment-1): lead m3 (standing member), "
        "due 2026-11-30 18:00; Completed, targets reached"
    ) in tasks
    assert "briefing-2" not in text  # a briefing is not a task of the pack's


def test_html_is_one_self_contained_printable_page(dbs: dict[str, Path], tmp_path: Path) -> None:
    for lang, heading in (("en", "Minutes: 12th sitting"), ("zh-CN", "会议记录：12th sitting")):
        out = tmp_path / f"minutes.{lang}.html"
        asked = ("minutes", "s12", "--format", "html", "--out", out)
        r = ok("--db", dbs["sitting"], "--lang", lang, *TZ, *asked)
        assert r.stdout == ""
        page = out.read_text(encoding="utf-8")
        assert page.startswith("<!DOCTYPE html>")
        assert f'<html lang="{lang}">' in page and f"<h1>{heading}</h1>" in page
        assert "<style>" in page and "@media print" in page
        for outside in ("http://", "https://", "<script", "<link", "url(", "src=", "@import"):
            assert outside not in page, outside
        assert "Parks &lt;renovation&gt; &amp; gardens" in page  # a title is text, not markup
        assert "<renovation>" not in page
    page = ok("--db", dbs["p2"], *TZ, "minutes", "heads", "--format", "html").stdout
    assert "Secret ballot: totals only" in page and "<td>agree 7, disagree 1" in page


def test_the_json_document_is_the_record(dbs: dict[str, Path]) -> None:
    doc = json.loads(ok("--db", dbs["sitting"], "--json", "minutes", "s12").stdout)
    assert doc["sitting"] is True and doc["opened_at"] == "2026-03-10T01:00:00.000000Z"
    assert [m["id"] for m in doc["matters"]] == ["roads", "parks", "schools"]
    assert doc["changes"][0]["person"]["id"] == "m4" and doc["changes"][0]["status"] == "present"


def test_unknown_or_unmet_meeting_is_one_line_and_exit_2(dbs: dict[str, Path]) -> None:
    r = run("--db", dbs["sitting"], "minutes", "nope")
    assert r.exit_code == 2
    assert one_error_line(r, "no instance 'nope'").count("\n") == 0
    r = run("--db", dbs["sitting"], "--lang", "zh-CN", "minutes", "nope")
    assert r.exit_code == 2 and "没有实例" in one_error_line(r)
    r = run("--db", dbs["sitting"], "minutes", "schools")  # on the agenda, never taken up
    assert r.exit_code == 2 and "has no meeting" in one_error_line(r)


def test_the_help_says_what_meeting_may_be() -> None:
    text = " ".join(ok("minutes", "--help").stdout.split())
    assert "a sitting's id" in text and "or a matter's id" in text


def test_the_library_returns_a_typed_record(dbs: dict[str, Path]) -> None:
    clock = FixedClock(dt.datetime(2026, 4, 1, tzinfo=dt.UTC))
    with Engine.open(str(dbs["sitting"]), clock=clock, auto_migrate=False) as engine:
        record = collegium.minutes(engine, "s12", "zh-CN")
    assert isinstance(record, collegium.Minutes) and record.lang == "zh-CN"
    roads = record.matters[0]
    assert roads.tally is not None and roads.tally.dissent[0].people[0].id == "dep"
    assert [v.person.id for v in roads.views] == ["m2", "m1", "dep", "sec"]
    assert roads.decision == "已通过" and roads.lead is not None and roads.lead.id == "m1"
    east = dt.timezone(dt.timedelta(hours=9))  # another zone: the offset is said, times moved
    text = collegium.minutes_markdown(record, east)
    assert "时间均为 UTC+09:00" in text and "- **开会时间**：2026-03-10 10:00" in text


@pytest.mark.parametrize("method", ["named", "secret_electronic"])
def test_an_electronic_secret_ballot_tells_no_choice_a_named_one_does(
    engine: Engine, clock: ManualClock, method: str
) -> None:
    """The same votes — m1 against, m2 abstaining — on a named ballot and on an electronic secret
    one, whose sealed choices the tellers open at the count: only the named minutes say who."""
    iid = to_deliberation(engine)
    consult_all(engine, iid)
    engine.fire(iid, "schedule", "sec", {"meeting_at": "2026-03-05T09:00+08:00"})
    clock.advance(dt.timedelta(days=3))
    people = [m.person for m in engine.body("sc").members]
    data = {"attendance": dict.fromkeys(people, "present")}
    engine.fire(
        iid, "open_meeting", "sec", {**data, **(secret_ballot() if "secret" in method else {})}
    )
    state_views(engine, iid)
    choices = {p: {"m1": "oppose", "m2": "abstain"}.get(p, "agree") for p in people}
    for person in sorted(people, key=lambda p: p == "sec"):
        engine.fire(iid, "vote", person, {"choice": choices[person]})
    if "secret" in method:
        count(engine, iid)
    engine.fire(iid, "close_ballot", "sec")
    record = collegium.minutes(engine, iid)
    tally = record.matters[0].tally
    assert tally is not None and tally.passed
    assert [(c.option, c.votes) for c in tally.counts] == [
        ("agree", 9),
        ("oppose", 1),
        ("abstain", 1),
    ]
    for text in (collegium.minutes_markdown(record), collegium.minutes_html(record)):
        said = "oppose: m1 (standing member)" in text and "abstain: m2 (standing member)" in text
        assert said == (method == "named")
    if "secret" in method:
        assert tally.dissent == () and {p.id for p in tally.tellers} == {"m8", "m9"}
        vote = collegium.minutes_markdown(record).split("### Vote", 1)[1].split("### Decision")[0]
        assert set(re.findall(r"\b(?:m\d|sec|dep)\b", vote)) == {"m8", "m9"}
        assert "Secret ballot: totals only" in vote

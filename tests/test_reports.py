"""P5 — periodic work reports (报告工作制度): a standing body's obligations come from a
calendar and are scheduled idempotently; a report missing at its deadline is found by the engine's
sweep and opens exactly one accountability case (the same whether the sweep runs daily or once); a
late report; only the reporter submits; the command line."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from collegium import (
    Body,
    Engine,
    InvalidInput,
    ManualClock,
    Member,
    RuleViolation,
    SequentialIds,
    TransitionNotAllowed,
)
from collegium.engine.calendar import obligations, periods, schedule_reports
from tests.conftest import CST, standing_committee, sweep_to
from tests.test_cli_ballot import ok, one_error_line, run

JAN = dt.datetime(2026, 1, 5, 9, 0, tzinfo=CST)
H1 = "2026-H1"


def plenary(engine: Engine) -> Body:
    """The plenary committee `pc`: the standing committee's members (same secretary) and three
    members."""
    sc = engine.body("sc")
    return engine.define_body(
        Body(
            id="pc",
            kind="plenary",
            members=(*sc.members, *(Member(person=f"c{i}", role="member") for i in range(1, 4))),
        )
    )


def rid(reporter: str, kind: str = "half_year_work", period: str = H1, body: str = "sc") -> str:
    return f"report:{body}:{reporter}:{kind}:{period}"


@pytest.fixture
def clock() -> ManualClock:
    return ManualClock(JAN)


def cases(engine: Engine) -> list[tuple[str, str, str | None, str]]:
    return sorted(
        (c.facts["subject"], c.facts["finding_kind"], c.facts.get("lead_member"), c.state)
        for c in engine.instances("accountability")
    )


# -- the calendar ----------------------------------------------------------------------------------
def test_periods_divide_the_year_and_fall_due_on_their_last_day() -> None:
    at = dt.time(18, 0, tzinfo=CST)
    assert periods(2026, 6, at) == [
        ("2026-H1", dt.datetime(2026, 6, 30, 18, tzinfo=CST)),
        ("2026-H2", dt.datetime(2026, 12, 31, 18, tzinfo=CST)),
    ]
    assert [p for p, _ in periods(2026, 3, at)] == ["2026-Q1", "2026-Q2", "2026-Q3", "2026-Q4"]
    assert periods(2028, 2, at)[0] == (
        "2028-M02",
        dt.datetime(2028, 2, 29, 18, tzinfo=CST),
    )  # leap year
    assert periods(2026, 12, at) == [("2026", dt.datetime(2026, 12, 31, 18, tzinfo=CST))]
    for bad in (5, 0, 24):
        with pytest.raises(InvalidInput, match="dividing 12"):
            periods(2026, bad, at)


def test_the_calendar_lists_who_reports_to_whom(engine: Engine) -> None:
    plenary(engine)
    found = obligations(engine, "sc", 2026, plenary="pc")
    half = [(o.reporter, o.body, o.period) for o in found if o.kind == "half_year_work"]
    members = [
        "dep",
        *(f"m{i}" for i in range(1, 10)),
    ]  # the secretary hears them and reports for the committee
    assert half == [
        *((m, "sc", "2026-H1") for m in members),
        ("sc", "pc", "2026-H1"),
        *((m, "sc", "2026-H2") for m in members),
        ("sc", "pc", "2026-H2"),
    ]
    yearly = {(o.kind, o.period) for o in found if o.kind != "half_year_work"}
    assert yearly == {("democratic_life", "2026"), ("duty_integrity", "2026")}
    assert (
        sum(1 for o in found if o.kind == "duty_integrity") == 11
    )  # every voting member, the secretary too
    with pytest.raises(InvalidInput, match="plenary"):
        obligations(engine, "pc", 2026)
    engine.define_body(
        Body(id="pc2", kind="plenary", members=(Member(person="x", role="secretary"),))
    )
    with pytest.raises(InvalidInput, match="secretary"):
        obligations(engine, "sc", 2026, plenary="pc2")


def test_scheduling_twice_creates_the_same_instances_and_nothing_more(sql_engine: Engine) -> None:
    plenary(sql_engine)
    first = schedule_reports(sql_engine, "sc", 2026, actor="sec", plenary="pc")
    assert {d.status for d in first} == {"scheduled"} and len(first) == 2 * (10 + 1) + 11 + 11
    before = [(i.id, i.version, i.event_count) for i in sql_engine.instances("report")]
    again = schedule_reports(sql_engine, "sc", 2026, actor="sec", plenary="pc")
    assert {d.status for d in again} == {"existing"}
    assert [d.obligation.id for d in again] == [d.obligation.id for d in first]
    assert [(i.id, i.version, i.event_count) for i in sql_engine.instances("report")] == before
    report = sql_engine.get(rid("m1"))
    assert (report.state, report.facts["due"], report.facts["lead_member"]) == (
        "due",
        "2026-06-30T10:00:00.000000Z",
        "m1",
    )
    assert (
        "lead_member" not in sql_engine.get(rid("sc", body="pc")).facts
    )  # the body answers as such
    assert sql_engine.verify_audit().ok


def test_obligations_already_past_their_deadline_are_not_started(
    engine: Engine, clock: ManualClock
) -> None:
    clock.set(dt.datetime(2026, 7, 2, 9, tzinfo=CST))
    done = schedule_reports(engine, "sc", 2026, actor="sec")
    assert {d.obligation.period for d in done if d.status == "past"} == {H1}
    assert engine.instances("accountability") == [] and engine.run_due() == []
    with pytest.raises(RuleViolation, match="R-REPORT-DUE-AHEAD"):
        engine.start(
            "report",
            "sec",
            {
                "reporter": "m1",
                "reporter_kind": "member",
                "body": "sc",
                "kind": "half_year_work",
                "period": H1,
                "lead_member": "m1",
                "due": "2026-06-30T18:00+08:00",
            },
        )


def test_a_report_goes_only_where_the_rules_say(engine: Engine) -> None:
    plenary(engine)
    base = {
        "reporter": "m1",
        "reporter_kind": "member",
        "body": "pc",
        "kind": "half_year_work",
        "period": H1,
        "due": "2026-06-30T18:00+08:00",
        "lead_member": "m1",
    }
    with pytest.raises(
        RuleViolation, match="R-HALF-YEAR-REPORT"
    ):  # a member reports to the standing committee
        engine.start("report", "sec", base)
    with pytest.raises(RuleViolation, match="R-REPORTER-MEMBER"):
        engine.start("report", "sec", {**base, "body": "sc", "lead_member": "m2"})
    with pytest.raises(RuleViolation, match="R-REPORT-PERIOD"):
        engine.start("report", "sec", {**base, "body": "sc", "period": "first half"})
    with pytest.raises(RuleViolation, match="R-DUTY-INTEGRITY"):
        engine.start("report", "sec", {**base, "kind": "duty_integrity", "period": "2026"})


# -- submitting, missing, late ---------------------------------------------------------------------
def test_only_the_reporter_submits_and_the_secretary_for_the_committee(
    engine: Engine, clock: ManualClock
) -> None:
    plenary(engine)
    schedule_reports(engine, "sc", 2026, actor="sec", plenary="pc")
    with pytest.raises(RuleViolation, match="R-REPORTER") as refused:
        engine.fire(rid("m1"), "submit", "m2", {"summary": "m1's work"})
    assert (
        refused.value.verdict.result("R-REPORTER").message("zh-CN")
        == "本报告只能由 m1 提交（机构报告由书记代表提交）"
    )
    with pytest.raises(RuleViolation, match="R-REPORT-SUMMARY"):
        engine.fire(rid("m1"), "submit", "m1")
    out = engine.fire(rid("m1"), "submit", "m1", {"summary": "roads: 40 km of 60 built"})
    assert out.instance.state == "submitted" and out.verdict.result("R-REPORT-ON-TIME").passed
    engine.fire(rid("sec", "duty_integrity", "2026"), "submit", "sec", {"summary": "duties done"})
    with pytest.raises(RuleViolation, match="R-NOT-OWN-REPORT"):
        engine.fire(rid("sec", "duty_integrity", "2026"), "hear", "sec")
    engine.fire(rid("sec", "duty_integrity", "2026"), "hear", "dep")
    committee = rid("sc", body="pc")
    with pytest.raises(RuleViolation, match="R-REPORTER"):
        engine.fire(committee, "submit", "dep", {"summary": "the committee's half year"})
    engine.fire(committee, "submit", "sec", {"summary": "the committee's half year"})
    with pytest.raises(RuleViolation, match="R-ROLE"):
        engine.fire(rid("m1"), "hear", "m2")
    assert engine.fire(rid("m1"), "hear", "sec", {"opinion": "speed up"}).instance.state == "heard"
    clock.set(dt.datetime(2026, 7, 1, 9, tzinfo=CST))
    engine.run_due()
    assert rid("m1") not in {s for s, *_ in cases(engine)} and rid("sc", body="pc") not in {
        s for s, *_ in cases(engine)
    }


def test_a_missing_report_opens_one_case_whether_the_sweep_runs_daily_or_once() -> None:
    results = []
    for daily in (False, True):
        clock = ManualClock(JAN)
        engine = Engine.in_memory(clock=clock, ids=SequentialIds())
        engine.define_body(standing_committee())
        plenary(engine)
        schedule_reports(engine, "sc", 2026, actor="sec", plenary="pc")
        for person in ["dep", *(f"m{i}" for i in range(1, 9))]:  # all but m9 report on time
            engine.fire(rid(person), "submit", person, {"summary": "half year done"})
        engine.fire(rid("sc", body="pc"), "submit", "sec", {"summary": "the committee's half year"})
        end = dt.datetime(2026, 9, 1, 9, tzinfo=CST)
        sweep_to(engine, clock, end, daily=daily)
        assert engine.run_due() == []  # a second sweep opens nothing more
        assert cases(engine) == [(rid("m9"), "missing_report", "m9", "inquiry")]
        [case] = engine.instances("accountability")
        assert case.parent_id == rid("m9") and engine.get(rid("m9")).state == "missing"
        results.append(
            [(e.trigger, e.actor, e.at) for i in (rid("m9"), case.id) for e in engine.history(i)]
        )
        assert engine.verify_audit().ok
    assert results[0] == results[1]
    assert results[0][1] == (
        "lapse",
        "@system",
        "2026-06-30T10:00:00.000000Z",
    )  # found at its deadline


def test_a_report_submitted_late_is_heard_as_late_and_opens_no_second_case(
    engine: Engine, clock: ManualClock
) -> None:
    schedule_reports(engine, "sc", 2026, actor="sec")
    clock.set(dt.datetime(2026, 7, 3, 9, tzinfo=CST))
    judged = engine.check(
        rid("m1"), "submit", "m1", {"summary": "late"}
    )  # a dry run fires no timer
    assert "督查将其认定为逾期未报告后" in judged.result("R-REPORT-ON-TIME").message("zh-CN")
    # the deadline passed: what fell due happens first, whether the sweep has run yet or not
    with pytest.raises(TransitionNotAllowed, match="submit_late"):
        engine.fire(rid("m1"), "submit", "m1", {"summary": "late"})
    assert engine.get(rid("m1")).state == "missing"
    engine.run_due()
    engine.fire(rid("m1"), "submit_late", "m1", {"summary": "half year, late"})
    assert engine.fire(rid("m1"), "hear", "dep").instance.state == "heard_late"
    engine.run_due()
    assert [s for s, *_ in cases(engine)].count(rid("m1")) == 1
    engine.fire(rid("m2"), "close_missing", "sec")
    assert engine.get(rid("m2")).state == "closed_missing"


# -- the command line ------------------------------------------------------------------------------
def test_the_command_line_schedules_once_in_both_languages(tmp_path: Path) -> None:
    from tests.test_cli import BODY_YAML

    db = tmp_path / "r.db"
    (tmp_path / "sc.yaml").write_text(BODY_YAML, encoding="utf-8")
    (tmp_path / "pc.yaml").write_text(
        BODY_YAML.replace("id: sc", "id: pc").replace("kind: standing", "kind: plenary"),
        encoding="utf-8",
    )
    ok("--db", db, "body", "define", tmp_path / "sc.yaml")
    ok("--db", db, "body", "define", tmp_path / "pc.yaml")
    now = ["--now", "2026-03-02T09:00+08:00"]
    r = ok(
        "--db",
        db,
        *now,
        "reports",
        "schedule",
        "--body",
        "sc",
        "--year",
        "2026",
        "--as",
        "sec",
        "--plenary",
        "pc",
    )
    assert "scheduled: report:pc:sc:half_year_work:2026-H1" in r.stdout
    assert (
        r.stdout.strip().splitlines()[-1]
        == "20 scheduled, 0 already scheduled, 0 past their deadline"
    )
    r = ok(
        "--db",
        db,
        *now,
        "--lang",
        "zh-CN",
        "reports",
        "schedule",
        "--body",
        "sc",
        "--year",
        "2026",
        "--as",
        "sec",
        "--plenary",
        "pc",
    )
    assert (
        "此前已安排：report:sc:m1:half_year_work:2026-H1 — m1 向 sc 半年工作报告（2026-H1）"
        in r.stdout
    )
    assert r.stdout.strip().splitlines()[-1] == "新安排 0 项，此前已安排 20 项，时限已过 0 项"
    doc = json.loads(
        ok(
            "--db",
            db,
            "--now",
            "2026-07-01T09:00+08:00",
            "reports",
            "schedule",
            "--body",
            "sc",
            "--year",
            "2026",
            "--as",
            "sec",
            "--json",
        ).stdout
    )
    assert (
        doc["counts"] == {"scheduled": 0, "existing": 18, "past": 0}
        and doc["reports"][0]["state"] == "due"
    )
    one_error_line(
        run(
            "--db", db, *now, "reports", "schedule", "--body", "sc", "--year", "2027", "--as", "m1"
        ),
        "R-ROLE",
    )
    r = run(
        "--db", db, *now, "reports", "schedule", "--body", "pc", "--year", "2027", "--as", "sec"
    )
    assert r.exit_code == 2
    assert (
        one_error_line(r)
        == "collegium: error: 'pc' is a plenary body; reports are scheduled for a standing "
        "committee"
    )


def test_reports_due_in_the_next_days_in_the_api_and_on_the_command_line(tmp_path: Path) -> None:
    from tests.test_cli import BODY_YAML

    db = tmp_path / "r.db"
    (tmp_path / "sc.yaml").write_text(BODY_YAML, encoding="utf-8")
    ok("--db", db, "body", "define", tmp_path / "sc.yaml")
    ok(
        "--db",
        db,
        "--now",
        "2026-03-02T09:00+08:00",
        "reports",
        "schedule",
        "--body",
        "sc",
        "--year",
        "2026",
        "--as",
        "sec",
    )
    june = [
        "--now",
        "2026-06-05T09:00+08:00",
    ]  # the half-year reports fall due on 30 June, the year's in December
    due = json.loads(ok("--db", db, "--json", *june, "reports", "due").stdout)
    assert {(d["reporter"], d["period"]) for d in due} == {
        (m, "2026-H1") for m in ("dep", "m1", "m2", "m3")
    }
    assert all(d["due"] == "2026-06-30T10:00:00.000000Z" for d in due)
    assert (
        json.loads(ok("--db", db, "--json", *june, "reports", "due", "--days", "10").stdout) == []
    )
    assert (
        "未来 10 天内没有到期的报告"
        in ok("--db", db, "--lang", "zh-CN", *june, "reports", "due", "--days", "10").stdout
    )
    year_end = json.loads(
        ok("--db", db, "--json", "--now", "2026-12-10T09:00+08:00", "reports", "due").stdout
    )
    assert {d["period"] for d in year_end} == {
        "2026-H2",
        "2026",
    }  # half-year, democratic life, duty and integrity

"""Source §IV.5's duties (issue 19.5-6): the standing committee's report heard at a plenary sitting,
the plenary committee's sittings counted each year (R-PLENARY-FREQ), periodic briefings on a
decision being carried out or to deputies (a cadence whose next deadline each briefing sets), and
the publication of accountability measures."""

from __future__ import annotations

import datetime as dt

import pytest

from collegium import (
    DefinitionError,
    Engine,
    InvalidInput,
    ManualClock,
    RuleViolation,
)
from collegium.engine.calendar import schedule_reports
from collegium.engine.registry import Registry
from tests.conftest import CST, sweep_to
from tests.test_assignment import adopted, task
from tests.test_reports import plenary, rid

JAN = dt.datetime(2026, 1, 5, 9, 0, tzinfo=CST)


@pytest.fixture
def clock() -> ManualClock:
    return ManualClock(JAN)


def sitting(engine: Engine, clock: ManualClock, body: str, agenda: list[str]) -> str:
    """A sitting of ``body`` convened with ``agenda`` and opened two days later, all present."""
    at = clock.now() + dt.timedelta(days=2)
    mid = engine.start(
        "meeting",
        "sec",
        {"title": "Sitting", "body": body, "meeting_at": at.isoformat(), "agenda": agenda},
    ).instance.id
    clock.advance(dt.timedelta(days=2))
    people = [m.person for m in engine.body(body).members]
    engine.fire(mid, "open", "sec", {"attendance": dict.fromkeys(people, "present")})
    return mid


def cases(engine: Engine) -> list[tuple[str, str]]:
    return sorted(
        (c.facts["finding_kind"], c.facts["subject"]) for c in engine.instances("accountability")
    )


# -- the standing committee's report to the plenary ------------------------------------------------
def test_the_committees_report_is_heard_only_at_a_plenary_sitting_with_it_on_the_agenda(
    engine: Engine, clock: ManualClock
) -> None:
    plenary(engine)
    schedule_reports(engine, "sc", 2026, plenary="pc", actor="sec")
    report = rid("sc", body="pc")
    engine.fire(report, "submit", "sec", {"summary": "the half year's work"})
    with pytest.raises(RuleViolation, match="R-REPORT-AT-SITTING"):
        engine.fire(report, "hear", "sec", {"opinion": "noted"})
    standing = sitting(engine, clock, "sc", ["work"])
    with pytest.raises(InvalidInput, match="is a meeting of 'sc'"):
        engine.fire(report, "hear", "sec", {"sitting": standing})
    off_agenda = sitting(engine, clock, "pc", ["something else"])
    with pytest.raises(RuleViolation, match="R-REPORT-AT-SITTING"):
        engine.fire(report, "hear", "sec", {"sitting": off_agenda})
    engine.fire(off_agenda, "adjourn", "sec")
    at_plenary = sitting(engine, clock, "pc", [report])
    heard = engine.fire(report, "hear", "sec", {"sitting": at_plenary, "opinion": "noted"})
    assert heard.instance.state == "heard"
    assert heard.instance.facts["sittings"] == [at_plenary]
    assert engine.meeting(report).sitting == at_plenary
    # a member's report may still be heard outside a sitting (R-NOT-OWN-REPORT applies to it)
    engine.fire(rid("m1"), "submit", "m1", {"summary": "work"})
    assert engine.fire(rid("m1"), "hear", "sec").instance.state == "heard"


# -- the plenary committee's sittings in a year ----------------------------------------------------
def open_year(engine: Engine, body: str = "pc") -> str:
    return engine.start(
        "plenary_sittings",
        "sec",
        {
            "body": body,
            "year": 2026,
            "due": "2026-12-31T18:00+08:00",
            "title": "Plenary sittings 2026",
            "lead_member": "sec",
        },
    ).instance.id


MINIMUM = {"fact": "sittings it was taken up at", "fact_zh": "经会议审议或登记的次数", "min": 2}


@pytest.mark.parametrize("held", [1, 2])
def test_fewer_plenary_sittings_than_two_open_one_case_at_the_years_end(
    engine: Engine, clock: ManualClock, held: int
) -> None:
    plenary(engine)
    year = open_year(engine)
    for _ in range(held):
        mid = sitting(engine, clock, "pc", ["work"])
        engine.fire(year, "record_sitting", "sec", {"sitting": mid})
        with pytest.raises(InvalidInput, match="already taken up"):
            engine.fire(year, "record_sitting", "sec", {"sitting": mid})
        engine.fire(mid, "adjourn", "sec")
        clock.advance(dt.timedelta(days=90))
    sweep_to(engine, clock, dt.datetime(2027, 1, 1, tzinfo=CST), daily=False)
    rec = engine.get(year)
    assert rec.state == ("held" if held == 2 else "short")
    assert cases(engine) == ([] if held == 2 else [("few_plenary_sittings", year)])
    last = engine.history(year)[-1]
    verdict = {rule: (passed, params) for rule, passed, _, _, _, params in last.verdict}
    assert last.trigger == "year_end"
    assert verdict["R-PLENARY-FREQ"] == (held == 2, {**MINIMUM, "value": held})


def test_a_sitting_counts_only_for_its_own_plenary_committee(
    engine: Engine, clock: ManualClock
) -> None:
    plenary(engine)
    with pytest.raises(RuleViolation, match="R-PLENARY-BODY"):
        open_year(engine, "sc")
    year = open_year(engine)
    standing = sitting(engine, clock, "sc", ["work"])
    with pytest.raises(InvalidInput, match="is a meeting of 'sc'"):
        engine.fire(year, "record_sitting", "sec", {"sitting": standing})
    with pytest.raises(InvalidInput, match="needs 'sitting'"):
        engine.fire(year, "record_sitting", "sec")


# -- periodic briefings ----------------------------------------------------------------------------
def carried_out(engine: Engine, clock: ManualClock) -> str:
    """An adopted decision with one task, being carried out."""
    iid = adopted(engine, clock)
    task(engine, iid)
    engine.fire(iid, "start_execution", "sec")
    return iid


def briefing_of(engine: Engine, decision: str) -> str:
    (cadence,) = [b.id for b in engine.instances("briefing") if b.facts["subject"] == decision]
    return cadence


def test_a_decision_carried_out_is_briefed_on_its_cadence_and_a_missed_briefing_opens_a_case(
    engine: Engine, clock: ManualClock
) -> None:
    iid = carried_out(engine, clock)
    cadence = briefing_of(engine, iid)
    assert engine.get(cadence).state == "scheduled"
    started = clock.now()
    # each briefing names the next, ahead and within three months
    clock.advance(dt.timedelta(days=30))
    too_late = (clock.now() + dt.timedelta(days=100)).isoformat()
    with pytest.raises(RuleViolation, match="R-BRIEFING-INTERVAL"):
        engine.fire(cadence, "brief", "m1", {"summary": "on track", "next_due": too_late})
    past = (clock.now() - dt.timedelta(days=1)).isoformat()
    with pytest.raises(RuleViolation, match="R-BRIEFING-AHEAD"):
        engine.fire(cadence, "brief", "m1", {"summary": "on track", "next_due": past})
    first = clock.now() + dt.timedelta(days=60)
    engine.fire(cadence, "brief", "m1", {"summary": "on track", "next_due": first.isoformat()})
    # briefed again before that deadline: the deadline moves (the state is entered again)
    clock.advance(dt.timedelta(days=20))
    second = clock.now() + dt.timedelta(days=80)
    engine.fire(cadence, "brief", "sec", {"summary": "half done", "next_due": second.isoformat()})
    sweep_to(engine, clock, first + dt.timedelta(days=1), daily=True)
    assert engine.get(cadence).state == "due" and cases(engine) == []
    sweep_to(engine, clock, second + dt.timedelta(days=1), daily=True)
    assert engine.get(cadence).state == "missed"
    assert cases(engine) == [("missed_briefing", cadence)]
    assert clock.now() - started > dt.timedelta(days=90)
    # a late briefing resumes the cadence; no second case for the same miss
    resumed = clock.now() + dt.timedelta(days=30)
    engine.fire(cadence, "brief", "m1", {"summary": "late", "next_due": resumed.isoformat()})
    assert engine.get(cadence).state == "due" and len(cases(engine)) == 1
    reminders = [e for e in engine.history(cadence) if e.trigger == "@remind"]
    assert reminders  # seven days before each deadline entered


def test_a_decision_no_longer_carried_out_ends_its_briefings(
    engine: Engine, clock: ManualClock
) -> None:
    iid = carried_out(engine, clock)
    cadence = briefing_of(engine, iid)
    with pytest.raises(RuleViolation, match="R-BRIEFING-END"):
        engine.fire(cadence, "end", "sec")
    engine.fire(iid, "evaluate", "sec", {"evaluation": "succeeded", "finding": "on target"})
    sweep_to(engine, clock, clock.now() + dt.timedelta(days=91), daily=False)
    assert engine.get(cadence).state == "ended"
    assert cases(engine) == []


def test_deputies_are_briefed_on_a_cadence_of_their_own(engine: Engine, clock: ManualClock) -> None:
    cadence = engine.start(
        "briefing",
        "sec",
        {
            "audience": "deputies",
            "title": "Work of the county committee for deputies",
            "body": "sc",
            "lead_member": "dep",
        },
    ).instance.id
    assert engine.fire(cadence, "end", "sec").instance.state == "ended"  # no decision to wait for
    with pytest.raises(RuleViolation, match="R-BRIEFING-DECISION"):
        engine.start(
            "briefing",
            "sec",
            {"audience": "committee", "title": "x", "body": "sc", "lead_member": "dep"},
        )


# -- publication of accountability measures --------------------------------------------------------
def test_measures_are_published_unless_withheld_for_a_listed_reason(
    engine: Engine, clock: ManualClock
) -> None:
    case = engine.start(
        "accountability",
        "sec",
        {"finding_kind": "overdue_task", "title": "Road", "lead_member": "m1", "body": "sc"},
    ).instance.id
    engine.fire(case, "find", "sec", {"finding": "late"})
    engine.fire(
        case, "decide_measures", "sec", {"org_measures": [], "personal_measures": ["notice"]}
    )
    with pytest.raises(RuleViolation, match="R-ACCT-PUBLISH"):
        engine.fire(case, "publish_measures", "sec", {"disclosure": "withheld"})
    with pytest.raises(InvalidInput):
        engine.fire(case, "publish_measures", "sec", {"disclosure": "secret"})
    engine.fire(case, "execute", "sec")
    with pytest.raises(RuleViolation, match="R-ACCT-PUBLISHED"):
        engine.fire(case, "close", "sec", {"rectification": "done"})
    engine.fire(
        case,
        "publish_measures",
        "sec",
        {"disclosure": "withheld", "withheld_because": "personal_privacy"},
    )
    assert engine.fire(case, "close", "sec", {"rectification": "done"}).instance.state == "closed"


def test_a_deadline_moved_by_a_briefing_is_what_the_store_and_its_audit_hold(
    sql_engine: Engine, clock: ManualClock
) -> None:
    """A step that enters its state again replaces the state's timers (and reminders) in the
    timers table; the audit derives the same rows from the events, on every backend."""
    engine = sql_engine
    cadence = engine.start(
        "briefing",
        "sec",
        {"audience": "deputies", "title": "For deputies", "body": "sc", "lead_member": "dep"},
    ).instance.id
    first = clock.now() + dt.timedelta(days=40)
    engine.fire(cadence, "brief", "dep", {"summary": "first", "next_due": first.isoformat()})
    clock.advance(dt.timedelta(days=10))
    second = clock.now() + dt.timedelta(days=50)
    engine.fire(cadence, "brief", "dep", {"summary": "second", "next_due": second.isoformat()})
    assert engine.verify_audit().ok
    sweep_to(engine, clock, first + dt.timedelta(days=1), daily=False)
    assert engine.get(cadence).state == "due"
    sweep_to(engine, clock, second + dt.timedelta(days=1), daily=False)
    assert engine.get(cadence).state == "missed"
    assert [e.trigger for e in engine.history(cadence)][-2:] == ["@remind", "lapse"]
    assert engine.verify_audit().ok


def test_reenter_is_refused_on_a_step_that_leaves_its_state() -> None:
    registry = Registry.builtin()
    text = registry.definitions["procedure:briefing@1"].text
    bad = text.replace("version: 1", "version: 99", 1).replace(
        "    source: [scheduled, missed]\n    dest: due\n",
        "    source: [scheduled, missed]\n    dest: due\n    reenter: true\n",
        1,
    )
    with pytest.raises(DefinitionError, match="'reenter' enters again the state"):
        registry.add_workflow_text(bad)


def test_a_missing_date_is_refused_by_its_rule_not_read_as_an_attribute_of_nothing(
    engine: Engine,
) -> None:
    """An expression reading ``due.year`` fails when ``due`` is not given, next to the rule that
    requires it, instead of raising."""
    plenary(engine)
    with pytest.raises(RuleViolation) as refused:
        engine.start(
            "plenary_sittings",
            "sec",
            {"body": "pc", "year": 2026, "title": "Plenary sittings", "lead_member": "sec"},
        )
    assert {r.rule_id for r in refused.value.verdict.failures} == {
        "R-PLENARY-YEAR",
        "R-PLENARY-YEAR-END",
    }

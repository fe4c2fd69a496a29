"""Acceptance: a scripted year of one standing committee (virtual clock, 1 January to 31 December)
runs through P3 (tasks), P4 (supervision and accountability), P5 (periodic reports, the decisions'
briefings, the plenary sittings) and P6 (annual commitments); its findings, cases, reports and
commitments are exactly those the scenario expects.
Played twice on fresh engines — the sweep (`run_due`) every day, or only once on 31 December — the
year gives the same instances, ids and histories.

The script only touches an instance after a deadline on purpose: such a step fires the instance's
due timers first (what fell due happens first), so with the sweep run once the finding is made at
the same moment of the script as with a daily sweep, and the sequential ids are drawn in the same
order. Findings nobody acts on until the year's end fall due on 31 December, when both runs sweep.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Callable, Iterator
from typing import Any

import pytest

from collegium import Body, Engine, ManualClock, Member, SequentialIds
from collegium.engine import queries
from collegium.engine.calendar import schedule_reports
from collegium.engine.commitments import commitments
from tests.conftest import CST, consult_all, standing_committee, to_deliberation

Action = Callable[[Engine, dict[str, str]], object]
Step = tuple[dt.datetime, Action]
MEMBERS = [
    "dep",
    *(f"m{i}" for i in range(1, 10)),
]  # who report to the standing committee every half year
EVERYONE = ["sec", *MEMBERS]


def at(month: int, day: int, hour: int = 9, minute: int = 0) -> dt.datetime:
    return dt.datetime(2026, month, day, hour, minute, tzinfo=CST)


def rid(
    reporter: str, period: str = "2026-H1", kind: str = "half_year_work", body: str = "sc"
) -> str:
    return f"report:{body}:{reporter}:{kind}:{period}"


def case_of(e: Engine, parent: str) -> str:
    """The accountability case a finding on ``parent`` opened (the last instance it started)."""
    return str(e.get(parent).facts["children"][-1])


def target(metric: str, unit: str, baseline: int, goal: int, kind: str) -> dict[str, Any]:
    return {
        "metric": metric,
        "unit": unit,
        "baseline": baseline,
        "target": goal,
        "target_kind": kind,
    }


def year_script() -> list[Step]:
    """The year, as (time, step) in time order; a step reads and records ids in the shared dict
    ``ids``."""
    steps: list[Step] = []

    def on(month: int, day: int, hour: int = 9, minute: int = 0) -> Callable[[Action], Action]:
        def add(fn: Action) -> Action:
            steps.append((at(month, day, hour, minute), fn))
            return fn

        return add

    # -- January: the year's reports, the commitments promised to the public, two matters
    # deliberated ----------------------------------------------------------------------------------
    @on(1, 5)
    def _calendar(e: Engine, ids: dict[str, str]) -> None:
        done = schedule_reports(e, "sc", 2026, actor="sec", plenary="pc")
        assert Counter(d.status for d in done) == {"scheduled": 44}
        ids["plenary"] = e.start(
            "plenary_sittings",
            "sec",
            {
                "body": "pc",
                "year": 2026,
                "due": "2026-12-31T18:00+08:00",
                "title": "Plenary sittings 2026",
                "lead_member": "sec",
            },
        ).instance.id

    @on(1, 6)
    def _select(e: Engine, ids: dict[str, str]) -> None:
        for key, title, lead in (
            ("water", "Tap water for 12 villages", "m2"),
            ("clinics", "Two new clinics", "m3"),
            ("canteens", "Canteens for the elderly in 8 towns", "m4"),
            ("bus", "Night bus line", "m5"),
        ):
            ids[key] = e.start(
                "commitment",
                "sec",
                {
                    "body": "sc",
                    "year": 2026,
                    "title": title,
                    "lead_member": lead,
                    "promise_by": "2026-03-31T18:00+08:00",
                    "due": "2026-12-31T18:00+08:00",
                },
            ).instance.id
        e.fire(ids["water"], "set_target", "m2", target("villages", "villages", 0, 12, "public"))
        e.fire(ids["canteens"], "set_target", "m4", target("canteens", "canteens", 0, 8, "public"))

    @on(1, 8)
    def _propose(e: Engine, ids: dict[str, str]) -> None:
        for key, title, lead in (
            ("roads", "Rural roads programme", "m1"),
            ("park", "County industrial park", "m6"),
        ):
            ids[key] = to_deliberation(e, title=title, lead_member=lead)
            consult_all(e, ids[key])
            e.fire(ids[key], "schedule", "sec", {"meeting_at": "2026-01-20T09:00+08:00"})

    @on(1, 12)
    def _promise(e: Engine, ids: dict[str, str]) -> None:
        for key in (
            "water",
            "clinics",
            "canteens",
        ):  # the night bus is never promised: it lapses on 31 March
            e.fire(ids[key], "promise", "sec")

    @on(1, 20)
    def _meeting(e: Engine, ids: dict[str, str]) -> None:
        for key, against in (("roads", ("m8", "m9")), ("park", ())):
            e.fire(
                ids[key], "open_meeting", "sec", {"attendance": dict.fromkeys(EVERYONE, "present")}
            )
            for person in [*MEMBERS, "sec"]:  # views first, the secretary's last
                view = "oppose" if person in against else "agree"
                e.fire(ids[key], "state_view", person, {"view": view})
            for person in [*MEMBERS, "sec"]:
                e.fire(
                    ids[key], "vote", person, {"choice": "oppose" if person in against else "agree"}
                )
            assert e.fire(ids[key], "close_ballot", "sec").instance.state == "adopted"
            e.fire(ids[key], "publish", "sec", {"audience": "public"})

    # -- February: tasks with lead members, departments, deadlines and measurable targets (P3) -----
    tasks = (
        (
            "roads",
            "t_roads",
            "Build 40 km of rural roads",
            "m1",
            ["transport bureau"],
            (6, 15),
            target("roads", "km", 0, 40, "business"),
        ),
        (
            "roads",
            "t_safety",
            "Halve road-safety complaints",
            "m2",
            ["public security bureau", "transport bureau"],
            (9, 30),
            target("complaints", "per month", 120, 60, "public"),
        ),
        (
            "park",
            "t_firms",
            "Bring 10 firms to the park",
            "m6",
            ["commerce bureau"],
            (11, 30),
            target("firms", "firms", 0, 10, "business"),
        ),
        (
            "park",
            "t_farmers",
            "Train 500 farmers",
            "m7",
            ["agriculture bureau"],
            (12, 31),
            target("farmers", "people", 0, 500, "public"),
        ),
    )

    @on(2, 10)
    def _assign(e: Engine, ids: dict[str, str]) -> None:
        for decision in ("roads", "park"):
            e.fire(ids[decision], "hand_over", "sec")
            for d, key, title, lead, departments, (month, day), goal in tasks:
                if d == decision:
                    ids[key] = e.fire(
                        ids[decision],
                        "assign",
                        "sec",
                        {
                            "title": title,
                            "lead_member": lead,
                            "departments": departments,
                            "deadline": at(month, day, 18).isoformat(),
                        },
                    ).started[0]
                    e.fire(ids[key], "set_target", lead, goal)
                    e.fire(ids[key], "start_work", lead)
            out = e.fire(ids[decision], "start_execution", "sec")
            assert out.instance.state == "executing"
            [ids[f"b_{decision}"]] = out.started  # its cadence of briefings (定期通报)

    def progress(key: str, lead: str, metric: str, value: int) -> Action:
        return lambda e, ids: e.fire(ids[key], "report", lead, {"metric": metric, "value": value})

    for (month, day), key, lead, metric, value in (
        ((3, 20), "t_roads", "m1", "roads", 10),
        ((3, 20), "t_safety", "m2", "complaints", 100),
        ((4, 15), "t_roads", "m1", "roads", 18),
        ((4, 15), "t_firms", "m6", "firms", 2),
        ((4, 15), "water", "m2", "villages", 4),
        ((6, 12), "t_roads", "m1", "roads", 32),
        ((9, 15), "t_safety", "m2", "complaints", 55),
        ((10, 12), "water", "m2", "villages", 12),
        ((11, 10), "t_firms", "m6", "firms", 4),
        ((11, 10), "canteens", "m4", "canteens", 5),
        ((12, 15), "t_farmers", "m7", "farmers", 500),
        ((12, 18), "canteens", "m4", "canteens", 8),
    ):
        on(month, day)(progress(key, lead, metric, value))

    # each decision's lead member briefs on it before each deadline; the roads' cadence ends at its
    # deadline, the decision closed that morning (a deadline falling between the evaluation and the
    # close would read another state of it on a daily sweep than on the year's one); the park's is
    # still due at the year's end
    def brief(decision: str, lead: str, next_due: dt.datetime) -> Action:
        return lambda e, ids: e.fire(
            ids[f"b_{decision}"],
            "brief",
            lead,
            {"summary": f"{decision}: under way", "next_due": next_due.isoformat()},
        )

    for (month, day), decision, lead, next_due in (
        ((5, 1), "roads", "m1", at(7, 31, 18)),
        ((5, 1), "park", "m6", at(7, 31, 18)),
        ((7, 22), "roads", "m1", at(10, 21, 18)),
        ((7, 20), "park", "m6", at(10, 19, 18)),
        ((10, 10), "park", "m6", dt.datetime(2027, 1, 5, 18, tzinfo=CST)),
    ):
        on(month, day)(brief(decision, lead, next_due))

    @on(5, 6)
    def _promote(e: Engine, ids: dict[str, str]) -> None:
        e.fire(
            ids["t_roads"],
            "promote",
            "m1",
            {"note": "promotion meeting on land", "members": ["m1", "m5"]},
        )
        e.fire(
            ids["t_firms"],
            "coordinate",
            "m6",
            {"note": "land shared with agriculture", "members": ["m6", "m7"]},
        )

    # -- June: half-year reports (P5); m8 and m9 do not report -------------------------------------
    @on(6, 10)
    def _h1(e: Engine, ids: dict[str, str]) -> None:
        for person in MEMBERS[:-2]:
            e.fire(rid(person), "submit", person, {"summary": f"{person}: first half year"})
        e.fire(
            rid("sc", body="pc"),
            "submit",
            "sec",
            {"summary": "the standing committee's first half year"},
        )

    # after the deadline of 15 June, roads at 32 of 40 km: late progress (the review found it
    # overdue)
    @on(6, 16)
    def _roads_late(e: Engine, ids: dict[str, str]) -> None:
        assert (
            e.fire(ids["t_roads"], "report", "m1", {"metric": "roads", "value": 36}).instance.state
            == "overdue"
        )
        ids["k_roads"] = case_of(e, ids["t_roads"])

    def convene(key: str, meeting_at: dt.datetime, report: str) -> Action:
        """A plenary sitting with the standing committee's report on its agenda."""

        def run(e: Engine, ids: dict[str, str]) -> None:
            ids[key] = e.start(
                "meeting",
                "sec",
                {
                    "title": "Plenary session",
                    "body": "pc",
                    "meeting_at": meeting_at.isoformat(),
                    "agenda": [report],
                },
            ).instance.id

        return run

    def plenary_session(key: str, report: str) -> Action:
        """The plenary sitting opens, hears the committee's report, is counted, and adjourns."""

        def run(e: Engine, ids: dict[str, str]) -> None:
            members = [m.person for m in e.body("pc").members]
            e.fire(ids[key], "open", "sec", {"attendance": dict.fromkeys(members, "present")})
            e.fire(report, "hear", "dep", {"sitting": ids[key], "opinion": "noted"})
            e.fire(ids["plenary"], "record_sitting", "sec", {"sitting": ids[key]})
            e.fire(ids[key], "adjourn", "sec")

        return run

    on(6, 18)(convene("p_june", at(6, 20, 15), rid("sc", body="pc")))

    @on(6, 20)
    def _hear_h1(e: Engine, ids: dict[str, str]) -> None:
        for person in MEMBERS[:-2]:
            e.fire(rid(person), "hear", "sec", {"opinion": "noted"})

    on(6, 20, 15)(plenary_session("p_june", rid("sc", body="pc")))

    @on(
        7, 1, 10
    )  # found missing at the deadline, m8 reports late; m9's report is closed as never submitted
    def _m8_late(e: Engine, ids: dict[str, str]) -> None:
        assert (
            e.fire(rid("m8"), "submit_late", "m8", {"summary": "m8: half year, late"}).event.source
            == "missing"
        )
        ids["k_m8"] = case_of(e, rid("m8"))

    @on(7, 2, 10)
    def _m9_never(e: Engine, ids: dict[str, str]) -> None:
        assert e.fire(rid("m9"), "close_missing", "sec").instance.state == "closed_missing"
        ids["k_m9"] = case_of(e, rid("m9"))

    # -- the cases (P4): finding, measures, their one-month deadline, rectification, closure or
    # dismissal ------------------------------------------------------------------------------------
    def case_step(
        key: str,
        trigger: str,
        actor: str,
        data: dict[str, Any] | None = None,
        warnings: tuple[str, ...] = (),
    ) -> Action:
        def step(e: Engine, ids: dict[str, str]) -> None:
            out = e.fire(ids[key], trigger, actor, data)
            assert tuple(w.rule_id for w in out.verdict.warnings) == warnings, (key, trigger)

        return step

    for (month, day), step in (
        (
            (7, 6),
            case_step(
                "k_roads", "question", "dep", {"note": "why 32 of 40 km?", "members": ["m1"]}
            ),
        ),
        ((7, 8), lambda e, ids: e.fire(rid("m8"), "hear", "sec", {"opinion": "late"})),
        (
            (7, 10),
            case_step("k_roads", "find", "dep", {"finding": "land acquired four months late"}),
        ),
        (
            (7, 10),
            case_step(
                "k_m8", "dismiss", "sec", {"finding": "on approved leave; reported on return"}
            ),
        ),
        (
            (7, 15),
            case_step(
                "k_roads",
                "decide_measures",
                "sec",
                {
                    "personal_measures": ["admonishment", "organisational_adjustment"],
                    "org_measures": ["notice"],
                },
            ),
        ),
        ((7, 16), case_step("k_roads", "publish_measures", "sec", {"disclosure": "public"})),
        ((7, 20), case_step("k_m9", "find", "dep", {"finding": "no half-year report at all"})),
        ((7, 25), case_step("k_m9", "decide_measures", "sec", {"personal_measures": ["notice"]})),
        ((7, 26), case_step("k_m9", "publish_measures", "sec", {"disclosure": "public"})),
        # the adjustment fell due on 14 August (30 days): carried out late, with the warning
        ((8, 20), case_step("k_roads", "execute", "sec", warnings=("R-ACCT-EXEC",))),
        ((8, 28), case_step("k_m9", "execute", "sec")),
        ((9, 5), progress("t_roads", "m1", "roads", 40)),
        ((9, 10), lambda e, ids: e.fire(ids["t_roads"], "complete", "m1")),
        (
            (9, 15),
            case_step("k_m9", "close", "sec", {"rectification": "reports filed for both halves"}),
        ),
        (
            (10, 10),
            case_step("k_roads", "close", "sec", {"rectification": "roads done in September"}),
        ),
        (
            (10, 20),
            lambda e, ids: e.fire(
                ids["roads"],
                "evaluate",
                "sec",
                {"evaluation": "succeeded", "finding": "40 km built; complaints halved"},
            ),
        ),
        ((10, 21), lambda e, ids: e.fire(ids["roads"], "close", "sec")),
        ((11, 20), lambda e, ids: e.fire(ids["water"], "deliver", "m2", {"result": "12 villages"})),
    ):
        on(month, day)(step)

    @on(12, 1)  # after the deadline of 30 November, 4 firms of 10: late progress opens nothing more
    def _firms_late(e: Engine, ids: dict[str, str]) -> None:
        assert (
            e.fire(ids["t_firms"], "report", "m6", {"metric": "firms", "value": 6}).instance.state
            == "overdue"
        )
        ids["k_firms"] = case_of(e, ids["t_firms"])

    on(12, 3)(case_step("k_firms", "find", "dep", {"finding": "the site had no road access"}))
    on(12, 5)(
        case_step("k_firms", "decide_measures", "sec", {"personal_measures": ["notice"]})
    )  # due 4 Jan 2027

    # -- December: year-end reports (m7's half-year report never comes), evaluation, publication ---
    @on(12, 10)
    def _year_end_reports(e: Engine, ids: dict[str, str]) -> None:
        for person in MEMBERS:
            if person != "m7":
                e.fire(
                    rid(person, "2026-H2"),
                    "submit",
                    person,
                    {"summary": f"{person}: second half year"},
                )
        e.fire(
            rid("sc", "2026-H2", body="pc"),
            "submit",
            "sec",
            {"summary": "the committee's second half year"},
        )
        for person in EVERYONE:
            for kind in ("democratic_life", "duty_integrity"):
                e.fire(
                    rid(person, "2026", kind), "submit", person, {"summary": f"{person}: {kind}"}
                )

    @on(12, 15, 15)
    def _park_failed(e: Engine, ids: dict[str, str]) -> None:
        e.fire(ids["t_farmers"], "complete", "m7")
        # evaluated as failed: its correction and its case start in the same step
        ids["correction"], ids["k_park"] = e.fire(
            ids["park"],
            "evaluate",
            "sec",
            {"evaluation": "failed", "finding": "6 of 10 firms; wrong site"},
        ).started

    on(12, 18)(convene("p_december", at(12, 20, 15), rid("sc", "2026-H2", body="pc")))

    @on(12, 20)
    def _hear_h2(e: Engine, ids: dict[str, str]) -> None:
        for person in MEMBERS:
            if person != "m7":
                e.fire(rid(person, "2026-H2"), "hear", "sec", {"opinion": "noted"})

    on(12, 20, 15)(plenary_session("p_december", rid("sc", "2026-H2", body="pc")))

    on(12, 28)(
        lambda e, ids: e.fire(
            ids["water"],
            "publish",
            "sec",
            {"outcome": "delivered", "result": "12 villages have tap water"},
        )
    )

    @on(12, 31, 20)  # after the year-end review at 18:00: each outcome is published as it is
    def _publish(e: Engine, ids: dict[str, str]) -> None:
        e.fire(
            ids["clinics"],
            "publish",
            "sec",
            {"outcome": "undelivered", "result": "one clinic of two open"},
        )
        ids["k_clinics"] = case_of(e, ids["clinics"])
        e.fire(
            ids["canteens"], "publish", "sec", {"outcome": "delivered", "result": "8 canteens open"}
        )

    return sorted(steps, key=lambda s: s[0])  # stable: steps of one moment keep their order


YEAR_END = at(12, 31, 23, 59)


Year = tuple[Engine, dict[str, str], list[tuple[str, str, str]]]


def play(daily: bool, steps: list[Step] | None = None) -> Year:
    """The scripted year on a fresh engine: the sweep every evening, or only once at 23:59 on 31
    December; with what each sweep fired, as (day of the sweep, instance, trigger)."""
    clock = ManualClock(at(1, 1, 0, 0))
    engine = Engine.in_memory(clock=clock, ids=SequentialIds())
    sc = engine.define_body(standing_committee())
    engine.define_body(
        Body(
            id="pc",
            kind="plenary",
            members=(*sc.members, *(Member(person=f"c{i}", role="member") for i in range(1, 4))),
        )
    )
    ids: dict[str, str] = {}
    fired: list[tuple[str, str, str]] = []
    steps = steps or year_script()
    day = dt.date(2026, 1, 1)
    while day.year == 2026:
        for when, step in steps:
            if when.date() == day:
                clock.set(when)
                step(engine, ids)
        evening = dt.datetime.combine(day, dt.time(23, 59), CST)
        if daily or evening == YEAR_END:
            clock.set(evening)
            fired += [
                (day.isoformat()[5:], r.timer.instance_id, r.timer.trigger)
                for r in engine.run_due()
                if r.outcome and not r.timer.lead
            ]  # the timers; their reminders are in the histories
        day += dt.timedelta(days=1)
    assert engine.run_due() == []  # a second sweep finds nothing more
    return engine, ids, fired


def histories(engine: Engine) -> list[tuple[Any, ...]]:
    """Every instance with its state and history: (trigger, actor, at) per step, and the hash
    chain."""
    return [
        (
            i.id,
            i.procedure,
            i.state,
            i.parent_id,
            [(ev.trigger, ev.actor, ev.at) for ev in engine.history(i.id)],
            [ev.hash for ev in engine.history(i.id)],
        )
        for i in engine.instances()
    ]


@pytest.fixture(scope="module")
def year() -> Iterator[dict[bool, Year]]:
    played = {daily: play(daily) for daily in (True, False)}
    yield played
    for engine, _ids, _fired in played.values():
        engine.close()


def test_the_sweep_daily_or_once_gives_the_same_year(year: dict[bool, Year]) -> None:
    (daily, daily_ids, daily_fired), (once, once_ids, once_fired) = year[True], year[False]
    # the sweeps fired different timers on different days: daily, each on its day; once, what nobody
    # touched
    m7_h2 = rid("m7", "2026-H2")
    assert daily_fired == [
        ("03-31", daily_ids["bus"], "lapse"),
        ("06-15", daily_ids["t_roads"], "review"),
        ("06-30", rid("m8"), "lapse"),
        ("06-30", rid("m9"), "lapse"),
        ("08-14", daily_ids["k_roads"], "lapse"),
        ("08-24", daily_ids["k_m9"], "lapse"),
        ("09-30", daily_ids["t_safety"], "review"),
        ("10-21", daily_ids["b_roads"], "lapse"),  # the roads closed that morning: it ends
        ("11-30", daily_ids["t_firms"], "review"),
        ("12-31", daily_ids["plenary"], "year_end"),  # two plenary sittings: held
        ("12-31", m7_h2, "lapse"),
    ]
    assert once_fired == [
        ("12-31", once_ids["bus"], "lapse"),
        ("12-31", once_ids["t_safety"], "review"),
        ("12-31", once_ids["b_roads"], "lapse"),
        ("12-31", once_ids["plenary"], "year_end"),
        ("12-31", m7_h2, "lapse"),
    ]
    # ... and the year is the same: ids, states, every step's trigger, actor and time
    assert daily_ids == once_ids
    assert [(i[0], i[2], i[4]) for i in histories(daily)] == [
        (i[0], i[2], i[4]) for i in histories(once)
    ]
    assert histories(daily) == histories(
        once
    )  # to the byte: data, verdicts and effects hash the same
    pending = [
        (t.instance_id, t.trigger, t.due_at)
        for t in daily.store.due_timers("9998-01-01T00:00:00.000000Z", 99)
    ]
    assert pending == [
        (t.instance_id, t.trigger, t.due_at)
        for t in once.store.due_timers("9998-01-01T00:00:00.000000Z", 99)
    ]
    assert pending == [
        (daily_ids["k_firms"], "lapse", "2027-01-04T01:00:00.000000Z"),  # 30 days after 5 Dec
        (daily_ids["b_park"], "lapse", "2027-01-05T10:00:00.000000Z"),  # its next briefing
    ]
    assert daily.verify_audit().ok and once.verify_audit().ok


@pytest.mark.parametrize("daily", [True, False], ids=["daily", "once"])
def test_the_year_ends_as_the_scenario_expects(year: dict[bool, Year], daily: bool) -> None:
    e, ids, _fired = year[daily]
    # P4: exactly one case per finding, each where the scenario left it
    cases = {
        (
            c.facts["finding_kind"],
            c.facts.get("task") or c.facts.get("subject") or c.facts.get("decision"),
            c.facts.get("lead_member"),
            c.state,
        )
        for c in e.instances("accountability")
    }
    assert cases == {
        ("overdue_task", ids["t_roads"], "m1", "closed"),
        ("missing_report", rid("m8"), "m8", "dismissed"),
        ("missing_report", rid("m9"), "m9", "closed"),
        ("overdue_task", ids["t_firms"], "m6", "measures_decided"),
        ("failed_decision", ids["park"], "m6", "inquiry"),
        ("undelivered_commitment", ids["clinics"], "m3", "inquiry"),
        ("missing_report", rid("m7", "2026-H2"), "m7", "inquiry"),
    }
    assert [ids[k] for k in ("k_roads", "k_m8", "k_m9", "k_firms", "k_park", "k_clinics")] == [
        f"accountability-{n}" for n in (14, 16, 17, 18, 20, 22)
    ]
    [m7_case] = e.get(rid("m7", "2026-H2")).facts["children"]
    assert m7_case == "accountability-23"
    assert e.get(ids["k_roads"]).facts["dissent"] == ["m8", "m9"]  # R-DISSENT, from the roads vote
    assert e.history(m7_case)[0].at == "2026-12-31T10:00:00.000000Z"  # found at its deadline
    roads_case = [(ev.trigger, ev.actor, ev.at[:10]) for ev in e.history(ids["k_roads"])]
    assert roads_case == [
        ("open", "@system", "2026-06-15"),
        ("question", "dep", "2026-07-06"),
        ("find", "dep", "2026-07-10"),
        ("decide_measures", "sec", "2026-07-15"),
        ("publish_measures", "sec", "2026-07-16"),
        ("lapse", "@system", "2026-08-14"),
        ("execute", "sec", "2026-08-20"),
        ("close", "sec", "2026-10-10"),
    ]
    assert [(ev.trigger, ev.source, ev.dest) for ev in e.history(ids["k_m9"])][4] == (
        "lapse",
        "measures_decided",
        "measures_decided",
    )  # a notice has no one-month deadline
    # P1/P3: decisions and tasks
    assert {k: e.get(ids[k]).state for k in ("roads", "park", "correction")} == {
        "roads": "closed",
        "park": "corrected",
        "correction": "proposed",
    }
    assert e.get(ids["correction"]).facts["corrects"] == ids["park"]
    assert {k: e.get(ids[k]).state for k in ("t_roads", "t_safety", "t_firms", "t_farmers")} == {
        "t_roads": "completed",
        "t_safety": "completed",
        "t_firms": "overdue",
        "t_farmers": "completed",
    }
    assert [(ev.trigger, ev.actor, ev.at) for ev in e.history(ids["t_safety"])][-1] == (
        "review",
        "@system",
        "2026-09-30T10:00:00.000000Z",
    )  # completed by the review, targets reached in time
    # P5: every report of the calendar, as it ended
    reports = {i.id: i.state for i in e.instances("report")}
    assert Counter(reports.values()) == {
        "heard": 19,
        "submitted": 22,
        "heard_late": 1,
        "closed_missing": 1,
        "missing": 1,
    }
    assert (reports[rid("m8")], reports[rid("m9")], reports[rid("m7", "2026-H2")]) == (
        "heard_late",
        "closed_missing",
        "missing",
    )
    # P5: the decisions' briefings (the roads' ended once it was evaluated, the park's still due)
    # and the plenary committee's two sittings, each hearing the committee's report
    assert {k: e.get(ids[k]).state for k in ("b_roads", "b_park", "plenary")} == {
        "b_roads": "ended",
        "b_park": "due",
        "plenary": "held",
    }
    assert e.get(ids["plenary"]).facts["sittings"] == [ids["p_june"], ids["p_december"]]
    assert [
        e.meeting(r).sitting for r in (rid("sc", body="pc"), rid("sc", "2026-H2", body="pc"))
    ] == [
        ids["p_june"],
        ids["p_december"],
    ]
    # P6: the year's commitments, as the public sees them
    assert [
        (c.id, c.state, c.outcome, c.published, c.progress, c.cases)
        for c in commitments(e, "sc", 2026)
    ] == [
        (ids["water"], "published_delivered", "delivered", True, 100, ()),
        (ids["clinics"], "published_undelivered", "undelivered", True, None, (ids["k_clinics"],)),
        (ids["canteens"], "published_delivered", "delivered", True, 100, ()),
        (ids["bus"], "lapsed", "not_promised", False, None, ()),
    ]
    assert e.history(ids["bus"])[-1].at == "2026-03-31T10:00:00.000000Z"
    # the secretary's office at the year's end
    assert {m: [i.id for i in found] for m, found in queries.overdue_tasks(e).items()} == {
        "m6": [ids["t_firms"]]
    }
    assert {
        d: [i.id for i in found] for d, found in queries.overdue_tasks(e, by="departments").items()
    } == {"commerce bureau": [ids["t_firms"]]}
    assert [c.id for c in queries.open_cases(e)] == [
        ids["k_firms"],
        ids["k_park"],
        ids["k_clinics"],
        m7_case,
    ]
    assert [c.id for c in queries.open_cases(e, "m6")] == [ids["k_firms"], ids["k_park"]]
    assert [(t.task, t.percent) for t in queries.member_targets(e, "m6")["business"]] == [
        (ids["t_firms"], 60)
    ]
    assert e.verify_audit().ok


# A case opened by a finding when its instance is next touched is created at the deadline (its
# created_at) but stored later: listed oldest first on every store all the same. Here the roads
# task, overdue on 15 June, is touched on 3 July, after the reports found missing on 30 June. (Its
# sequential id differs from the daily run's: the year is the same, ids follow the order they are
# drawn.)
def test_a_case_opened_late_is_listed_by_when_its_finding_fell_due() -> None:
    steps = sorted(
        ((at(7, 3, 10) if when == at(6, 16) else when, fn) for when, fn in year_script()),
        key=lambda s: s[0],
    )
    engine, _ids, _fired = play(False, steps)
    created = [c.created_at for c in engine.instances("accountability")]
    assert created == sorted(created)

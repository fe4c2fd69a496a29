"""P6 — annual public commitments (年初承诺、年终兑现、向群众公示): promised to the public
early in the year, delivered by its end or marked undelivered by the engine at the due date (one
accountability case each, however often the sweep runs), and published with their true outcome;
the year's list, as a library query and on the command line."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from collegium import (
    Engine,
    ManualClock,
    RuleViolation,
    SequentialIds,
    TransitionNotAllowed,
    Verdict,
)
from collegium.cli import cli
from collegium.engine.commitments import commitments
from tests.conftest import START, standing_committee, sweep_to

CST = dt.timezone(dt.timedelta(hours=8))
WATER = {
    "body": "sc",
    "year": 2026,
    "title": "Tap water for 12 villages",
    "lead_member": "m2",
    "promise_by": "2026-03-31T18:00+08:00",
    "due": "2026-12-31T18:00+08:00",
}
VILLAGES = {
    "metric": "villages",
    "unit": "villages",
    "baseline": 0,
    "target": 12,
    "target_kind": "public",
}
YEAR_END = dt.datetime(2027, 1, 4, 9, 0, tzinfo=CST)


def failed(exc: pytest.ExceptionInfo[RuleViolation]) -> list[str]:
    return [r.rule_id for r in exc.value.verdict.failures]


def promised(engine: Engine, **overrides: object) -> str:
    cid = engine.start("commitment", "sec", {**WATER, **overrides}).instance.id
    engine.fire(cid, "promise", "sec")
    return cid


def cases(engine: Engine) -> list[tuple[str | None, str | None, str | None, str]]:
    return sorted(
        (c.facts.get("subject"), c.facts.get("finding_kind"), c.facts.get("title"), c.state)
        for c in engine.instances("accountability")
    )


def test_a_commitment_is_selected_for_its_year_with_an_early_promise_date(engine: Engine) -> None:
    with pytest.raises(RuleViolation) as refused:
        engine.start("commitment", "sec", {k: v for k, v in WATER.items() if k != "lead_member"})
    assert "R-COMMITMENT-FIELDS" in failed(refused)
    with pytest.raises(RuleViolation) as refused:
        engine.start("commitment", "sec", {**WATER, "lead_member": "someone-else"})
    assert failed(refused) == ["R-COMMITMENT-LEAD"]
    with pytest.raises(RuleViolation) as refused:  # due mid-way through the next year
        engine.start("commitment", "sec", {**WATER, "due": "2027-06-30T18:00+08:00"})
    assert failed(refused) == ["R-COMMITMENT-YEAR"]
    assert "2026 年度的承诺事项应于该年年终" in refused.value.verdict.failures[0].message("zh-CN")
    with pytest.raises(RuleViolation) as refused:  # promised in May: not early in the year
        engine.start("commitment", "sec", {**WATER, "promise_by": "2026-05-15T18:00+08:00"})
    assert failed(refused) == ["R-COMMITMENT-EARLY"]
    assert refused.value.verdict.failures[0].message("en").endswith("needs ≥ 275 d")
    with pytest.raises(RuleViolation) as refused:
        engine.start("commitment", "m1", WATER)
    assert failed(refused) == ["R-ROLE"]
    assert len(engine.instances("commitment")) == 0  # a refused start writes nothing
    # the local year's end may fall on 1 January in UTC (and 31 March 23:59 is still early enough)
    late_evening = engine.start(
        "commitment",
        "sec",
        {**WATER, "promise_by": "2026-03-31T23:59+08:00", "due": "2026-12-31T23:59+08:00"},
    ).instance
    assert late_evening.state == "drafted"
    utc_next_day = {
        **WATER,
        "promise_by": "2026-03-31T23:00-05:00",
        "due": "2026-12-31T23:00-05:00",
    }
    assert (
        engine.start("commitment", "sec", utc_next_day).instance.facts["due"]
        == "2027-01-01T04:00:00.000000Z"
    )


def failed_rules(verdict: Verdict) -> list[str]:
    return [r.rule_id for r in verdict.failures]


def test_a_commitment_promised_late_is_refused_and_lapses_at_its_promise_date(
    engine: Engine, clock: ManualClock
) -> None:
    late = engine.start("commitment", "sec", WATER).instance.id
    withdrawn = engine.start("commitment", "sec", {**WATER, "title": "withdrawn"}).instance.id
    assert engine.fire(withdrawn, "withdraw", "sec").instance.state == "withdrawn"
    clock.set(dt.datetime(2026, 4, 1, 9, 0, tzinfo=CST))
    judged = engine.check(late, "promise", "sec")  # a dry run fires no timer: the rule says why
    assert [r.rule_id for r in judged.failures] == ["R-ANNUAL-COMMITMENT"]
    assert "has passed" in judged.failures[0].message("en") and "年初公开承诺" in judged.failures[
        0
    ].message("zh-CN")
    # what fell due happens first, whether the sweep has run or not: the commitment lapsed at its
    # promise date
    with pytest.raises(TransitionNotAllowed, match="lapsed"):
        engine.fire(late, "promise", "sec")
    assert engine.get(late).state == "lapsed" and engine.run_due() == []
    assert (
        engine.history(late)[-1].at == "2026-03-31T10:00:00.000000Z"
    )  # when the promise date passed
    assert [(c.title, c.outcome, c.published) for c in commitments(engine, "sc", 2026)] == [
        ("Tap water for 12 villages", "not_promised", False),
        ("withdrawn", "withdrawn", False),
    ]


def test_a_delivered_commitment_is_published_as_delivered(
    engine: Engine, clock: ManualClock
) -> None:
    cid = engine.start("commitment", "sec", WATER).instance.id
    engine.fire(cid, "set_target", "m2", VILLAGES)
    engine.fire(cid, "promise", "sec")
    assert engine.get(cid).state == "promised"
    engine.fire(cid, "report", "m2", {"metric": "villages", "value": 7})
    with pytest.raises(RuleViolation) as refused:  # 7 of 12 villages: not delivered yet
        engine.fire(cid, "deliver", "m2", {"result": "7 villages connected"})
    assert failed(refused) == ["R-COMMITMENT-DELIVERED"]
    assert "58%" in refused.value.verdict.failures[0].message("en")
    engine.fire(cid, "report", "m2", {"metric": "villages", "value": 12})
    clock.set(dt.datetime(2026, 11, 20, 9, 0, tzinfo=CST))
    engine.fire(cid, "deliver", "m2", {"result": "12 villages have tap water"})
    with pytest.raises(RuleViolation) as refused:
        engine.fire(
            cid,
            "publish",
            "sec",
            {"outcome": "undelivered", "result": "12 villages have tap water"},
        )
    assert failed(refused) == ["R-COMMITMENT-PUBLISHED"]
    clock.set(YEAR_END)
    assert engine.run_due() == []  # delivered before the due date: no year-end review left
    out = engine.fire(
        cid, "publish", "sec", {"outcome": "delivered", "result": "12 villages have tap water"}
    )
    assert out.instance.state == "published_delivered"
    [view] = commitments(engine, "sc", 2026)
    assert (view.outcome, view.published, view.progress, view.cases) == ("delivered", True, 100, ())
    assert (
        view.state_label.get("zh-CN") == "已公示：已兑现"
        and view.outcome_label("zh-CN") == "已兑现"
    )
    assert engine.instances("accountability") == []


def test_delivery_without_targets_states_its_result_before_the_due_date(
    engine: Engine, clock: ManualClock
) -> None:
    on_time, late = promised(engine), promised(engine, title="late")
    with pytest.raises(RuleViolation) as refused:
        engine.fire(on_time, "deliver", "m2")
    assert failed(refused) == ["R-COMMITMENT-DELIVERED"]
    clock.set(dt.datetime(2026, 12, 31, 17, 0, tzinfo=CST))
    assert engine.fire(on_time, "deliver", "m2", {"result": "done"}).instance.state == "delivered"
    clock.set(dt.datetime(2026, 12, 31, 18, 1, tzinfo=CST))  # past due, before the sweep ran
    assert failed_rules(engine.check(late, "deliver", "m2", {"result": "done, a little late"})) == [
        "R-COMMITMENT-DELIVERED"
    ]
    with pytest.raises(TransitionNotAllowed):  # the year-end review fell due first: undelivered
        engine.fire(late, "deliver", "m2", {"result": "done, a little late"})
    assert engine.get(late).state == "undelivered" and engine.run_due() == []


def test_targets_reached_at_the_due_date_count_as_delivered(
    engine: Engine, clock: ManualClock
) -> None:
    cid = engine.start("commitment", "sec", WATER).instance.id
    engine.fire(cid, "set_target", "m2", VILLAGES)
    engine.fire(cid, "promise", "sec")
    engine.fire(cid, "report", "m2", {"metric": "villages", "value": 12})
    clock.set(YEAR_END)
    assert [r.outcome.instance.state for r in engine.run_due() if r.outcome] == ["delivered"]
    with pytest.raises(RuleViolation) as refused:  # the result is stated when it is published
        engine.fire(cid, "publish", "sec", {"outcome": "delivered"})
    assert failed(refused) == ["R-COMMITMENT-PUBLISHED"]
    engine.fire(cid, "publish", "sec", {"outcome": "delivered", "result": "12 villages connected"})
    assert (
        engine.get(cid).state == "published_delivered" and engine.instances("accountability") == []
    )


@pytest.mark.parametrize("daily", [False, True], ids=["once", "daily"])
def test_an_undelivered_commitment_opens_one_case_and_is_published_as_undelivered(
    daily: bool,
) -> None:
    clock = ManualClock(START)
    engine = Engine.in_memory(clock=clock, ids=SequentialIds())
    engine.define_body(standing_committee())
    missed = promised(engine)
    kept = promised(engine, title="Two new clinics", lead_member="m3")
    engine.fire(kept, "deliver", "m3", {"result": "two clinics open"})
    sweep_to(engine, clock, YEAR_END, daily=daily)
    assert engine.run_due() == []  # a second sweep opens nothing more
    assert engine.get(missed).state == "undelivered"
    review = engine.history(missed)[-1]
    assert (review.actor, review.trigger, review.at) == (
        "@system",
        "review",
        "2026-12-31T10:00:00.000000Z",
    )
    assert cases(engine) == [
        (missed, "undelivered_commitment", "Tap water for 12 villages", "inquiry")
    ]
    [case] = engine.instances("accountability")
    assert (case.parent_id, case.facts["lead_member"], case.facts["body"]) == (missed, "m2", "sc")
    with pytest.raises(
        RuleViolation
    ) as refused:  # an undelivered commitment is not published as delivered
        engine.fire(
            missed, "publish", "sec", {"outcome": "delivered", "result": "pipes laid in 5 villages"}
        )
    assert failed(refused) == ["R-COMMITMENT-PUBLISHED"]
    assert "undelivered" in refused.value.verdict.failures[0].message("en")
    engine.fire(
        missed,
        "publish",
        "sec",
        {"outcome": "undelivered", "result": "pipes laid in 5 of 12 villages"},
    )
    engine.fire(kept, "publish", "sec", {"outcome": "delivered", "result": "two clinics open"})
    assert [
        (c.id, c.state, c.outcome, c.published, c.cases) for c in commitments(engine, "sc", 2026)
    ] == [
        (missed, "published_undelivered", "undelivered", True, (case.id,)),
        (kept, "published_delivered", "delivered", True, ()),
    ]
    assert engine.verify_audit().ok


def test_the_year_end_review_on_every_backend(sql_engine: Engine, clock: ManualClock) -> None:
    missed = promised(sql_engine)
    kept = promised(sql_engine, title="Two new clinics", year=2026)
    sql_engine.fire(kept, "deliver", "m2", {"result": "two clinics open"})
    other_year = sql_engine.start(
        "commitment",
        "sec",
        {
            **WATER,
            "year": 2027,
            "promise_by": "2027-03-31T18:00+08:00",
            "due": "2027-12-31T18:00+08:00",
        },
    ).instance.id
    clock.set(YEAR_END)
    assert [
        (r.timer.instance_id, r.outcome.instance.state) for r in sql_engine.run_due() if r.outcome
    ] == [(missed, "undelivered")]
    assert sql_engine.run_due() == [] and len(sql_engine.instances("accountability")) == 1
    sql_engine.fire(missed, "publish", "sec", {"outcome": "undelivered", "result": "not done"})
    assert [(c.id, c.outcome, c.published) for c in commitments(sql_engine, "sc", 2026)] == [
        (missed, "undelivered", True),
        (kept, "delivered", False),
    ]
    assert [c.id for c in commitments(sql_engine, "sc", 2027)] == [other_year]
    assert sql_engine.verify_audit().ok


# -- the command line ------------------------------------------------------------------------------
def run(*args: str | Path) -> Result:
    return CliRunner().invoke(cli, [str(a) for a in args], catch_exceptions=False)


def test_commitments_list_in_english_chinese_and_json(tmp_path: Path) -> None:
    db = tmp_path / "c.db"
    clock = ManualClock(START)
    with Engine.open(str(db), clock=clock, ids=SequentialIds()) as engine:
        engine.define_body(standing_committee())
        missed = promised(engine)
        kept = promised(engine, title="Two new clinics", lead_member="m3")
        engine.fire(kept, "deliver", "m3", {"result": "two clinics open"})
        clock.set(YEAR_END)
        engine.run_due()
        engine.fire(
            missed,
            "publish",
            "sec",
            {"outcome": "undelivered", "result": "pipes laid in 5 villages"},
        )
    r = run("--db", db, "commitments", "list", "--body", "sc", "--year", "2026", "--json")
    assert r.exit_code == 0, r.stderr
    doc = json.loads(r.stdout)
    assert (doc["body"], doc["year"]) == ("sc", 2026)
    assert [(c["id"], c["state"], c["outcome"], c["published"]) for c in doc["commitments"]] == [
        (missed, "published_undelivered", "undelivered", True),
        (kept, "delivered", "delivered", False),
    ]
    assert doc["commitments"][0]["cases"] == ["accountability-3"]
    en = run("--db", db, "commitments", "list", "--body", "sc", "--year", "2026").stdout
    assert "Commitments of sc for 2026" in en and "Published:" in en and "Tap water" in en
    assert "│ commitment-1 │" in en and "│ accountability-3 │" in en  # ids whole, the texts wrap
    zh = run(
        "--db", db, "--lang", "zh-CN", "commitments", "list", "--body", "sc", "--year", "2026"
    ).stdout
    assert "sc 2026 年度为民承诺事项" in zh and "已公示：未兑现" in zh and "已兑现" in zh
    none = run(
        "--db", db, "--lang", "zh-CN", "commitments", "list", "--body", "sc", "--year", "2025"
    )
    assert none.exit_code == 0 and "sc 2025 年度没有承诺事项" in none.stdout
    for args, needle in (
        (("--body", "nobody", "--year", "2026"), "nobody"),
        (("--body", "sc", "--year", "next"), "--year must be a year"),
        (("--body", "sc", "--year", "0"), "year must be a year"),
    ):
        bad = run("--db", db, "commitments", "list", *args)
        assert bad.exit_code == 2 and "Traceback" not in bad.output
        lines = bad.stderr.strip().splitlines()
        assert (
            len(lines) == 1 and lines[0].startswith("collegium: error: ") and needle in lines[0]
        ), bad.stderr
    assert "commitments" in run("--help").stdout

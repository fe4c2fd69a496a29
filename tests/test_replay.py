"""Re-judging a recorded history under another rule pack (`collegium replay --rules PACK`): the
history is run again event by event and must hash to the record; each step is judged under the other
pack in the world as it stood."""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path

import pytest

from collegium import DefinitionError, Engine, ManualClock
from collegium.engine.rejudge import rejudge
from tests.conftest import (
    consult_all,
    count,
    secret_ballot,
    standing_committee,
    state_views,
    to_deliberation,
    to_meeting,
)
from tests.test_ballot import CHOICES, PAPER, meeting
from tests.test_cli_ballot import ok, one_error_line, run

ROOT = Path(__file__).parent.parent
PACK = (ROOT / "collegium" / "rules" / "packs" / "party-committee.yaml").read_text(encoding="utf-8")
EXAMPLES = sorted((ROOT / "examples" / "scenarios").glob("*.yaml"))


def pack_with(version: str = "2026.11", **params: str) -> str:
    """The built-in pack under another version, with some parameters changed."""
    text = PACK.replace('version: "2026.10"', f'version: "{version}"', 1)
    for name, value in params.items():
        text, n = re.subn(rf"(\n  {name}:\n\s+value: )\S+", rf'\g<1>"{value}"', text, count=1)
        assert n == 1, name
    return text


def close(engine: Engine, iid: str, choices: dict[str, str]) -> None:
    state_views(engine, iid)
    for person, choice in choices.items():
        engine.fire(iid, "vote", person, {"choice": choice})
    engine.fire(iid, "close_ballot", "sec")


def test_replaying_every_example_under_its_own_pack_reproduces_every_event() -> None:
    from collegium.scenario import Scenario
    from collegium.scenario import run as run_scenario

    packs = ROOT / "collegium" / "rules" / "packs"
    assert EXAMPLES
    for path in EXAMPLES:
        engine, _ = run_scenario(Scenario.load(path.read_text(encoding="utf-8"), str(path)))
        [(pack, version)] = {(i.pack, i.pack_version) for i in engine.instances()}  # NAME.yaml
        report = rejudge(engine.store, (packs / f"{pack}.yaml").read_text(encoding="utf-8"))
        events = [e for i in engine.instances() for e in engine.history(i.id)]
        assert report.diverged == {} and report.changed == (), path
        # every event replayed to its hash; every step judged again, but reminders, which decide
        # nothing
        assert report.steps == sum(e.trigger != "@remind" for e in events)
        assert report.recorded == (f"{pack}@{version}",)


def test_over_the_examples_a_higher_plenary_quorum_reports_the_sessions_it_would_refuse() -> None:
    from collegium.scenario import Scenario
    from collegium.scenario import run as run_scenario

    refused = []
    for path in EXAMPLES:
        engine, _ = run_scenario(Scenario.load(path.read_text(encoding="utf-8"), str(path)))
        report = rejudge(engine.store, pack_with(quorum_plenary="3/4"))
        assert report.diverged == {} and all(c.refused for c in report.changed), path
        refused += [
            (
                path.name,
                c.procedure,
                c.trigger,
                [(r.rule_id, r.params["count"], r.params["needed"]) for r in c.verdict.failures],
            )
            for c in report.changed
        ]
    # the P5 example's plenary session opened with 11 of 15 present: two thirds (10) then, three
    # quarters (12) now
    assert refused == [
        (name, "meeting", "open", [("R-QUORUM-PLENARY", 11, 12)])
        for name in ("p5_reports.yaml", "p5_reports.zh-CN.yaml")
    ]


def test_a_higher_quorum_would_have_refused_the_meeting_that_opened_with_fewer_present(
    engine: Engine, clock: ManualClock
) -> None:
    iid = to_meeting(engine, clock, present=7)  # 7 of 11: enough for one half, not for two thirds
    close(engine, iid, {p: "agree" for p in ("sec", "dep", "m1", "m2", "m3", "m4", "m5")})
    assert engine.get(iid).state == "adopted"
    report = rejudge(engine.store, pack_with(quorum_standing="2/3"))
    assert report.pack == "party-committee@2026.11" and report.diverged == {}
    refused = {c.trigger: c for c in report.refused}
    # the quorum is judged at every vote too: each of the seven votes would have been refused
    assert set(refused) == {"open_meeting", "vote", "close_ballot"}
    votes = [c for c in report.refused if c.trigger == "vote"]
    assert len(votes) == 7
    assert all([r.rule_id for r in c.verdict.failures] == ["R-QUORUM-SC"] for c in votes)
    [rule] = refused["open_meeting"].verdict.failures
    assert (
        rule.rule_id == "R-QUORUM-SC" and rule.params["needed"] == 8 and rule.params["count"] == 7
    )
    assert "Art. 27" in rule.cited("en")  # the clause comes with the refusal
    assert refused["open_meeting"].seq == next(
        e.seq for e in engine.history(iid) if e.trigger == "open_meeting"
    )


def test_a_stricter_pass_ratio_would_have_sent_the_adopted_decision_to_rejected(
    engine: Engine, clock: ManualClock
) -> None:
    iid = meeting(engine, clock, None)  # 7 of 11 agree
    engine.fire(iid, "close_ballot", "sec")
    [changed] = rejudge(engine.store, pack_with(pass_ratio="3/4")).changed
    assert not changed.refused and (changed.trigger, changed.dest, changed.would_go) == (
        "close_ballot",
        "adopted",
        "rejected",
    )
    assert [r.rule_id for r in changed.turned] == ["R-PASS"] and not changed.turned[0].passed


@pytest.mark.parametrize("method", ["secret", "secret_electronic"])
def test_a_secret_ballot_replays_exactly_from_its_stored_counts(
    sql_engine: Engine, clock: ManualClock, method: str
) -> None:
    """A paper ballot replays from the tellers' counts in its events; an electronic one from the
    digests and the totals its events recorded (its sealed choices are gone, and the tellers' secret
    was never stored)."""
    iid = meeting(sql_engine, clock, method)
    count(sql_engine, iid, PAPER if method == "secret" else None)
    sql_engine.fire(iid, "close_ballot", "sec")
    same = rejudge(sql_engine.store, PACK)
    assert same.diverged == {} and same.changed == ()
    assert same.steps == len(sql_engine.history(iid)) > len(CHOICES)
    [changed] = rejudge(sql_engine.store, pack_with(pass_ratio="3/4")).changed
    assert changed.would_go == "rejected"


def test_every_secret_ballot_of_a_matter_replays_not_only_its_last(
    sql_engine: Engine, clock: ManualClock
) -> None:
    """Found by the stateful test: a matter rejected by secret ballot, then voted again on
    reconsideration (a second secret ballot), could not be replayed: only its last ballot's stored
    counts were dealt back to the votes."""
    iid = to_deliberation(sql_engine)
    consult_all(sql_engine, iid)
    sql_engine.fire(iid, "schedule", "sec", {"meeting_at": clock.now().isoformat()})
    everyone = dict.fromkeys(CHOICES, "present")
    sql_engine.fire(iid, "open_meeting", "sec", {"attendance": everyone, **secret_ballot()})
    state_views(sql_engine, iid)
    for person in ("sec", "dep", "m1"):  # three agree of eleven
        sql_engine.fire(iid, "vote", person, {"choice": "agree"})
    count(sql_engine, iid)
    assert sql_engine.fire(iid, "close_ballot", "sec").instance.state == "rejected"
    sql_engine.fire(
        iid, "move_reconsideration", "sec", {"attendance": everyone, **secret_ballot("secret")}
    )
    for person in ("sec", "dep", "m1", "m2"):
        sql_engine.fire(iid, "vote", person)
    count(sql_engine, iid, {"oppose": 4})
    assert sql_engine.fire(iid, "close_reconsideration", "sec").instance.state == "rejected"
    report = rejudge(sql_engine.store, PACK)
    assert report.diverged == {} and report.changed == ()


def test_an_instance_whose_body_changed_since_is_reported_not_judged_on_a_different_world(
    engine: Engine, clock: ManualClock
) -> None:
    iid = to_meeting(engine, clock)
    engine.define_body(standing_committee(size=9))  # two members left after the meeting opened
    report = rejudge(engine.store, PACK)
    assert list(report.diverged) == [iid] and report.changed == ()
    assert (
        "(consult) could not be replayed: R-CONSULTEE: m8 is not among voting members"
        in report.diverged[iid]
    )


def test_a_pack_that_lacks_a_rule_the_procedures_name_is_refused_before_any_replay(
    engine: Engine,
) -> None:
    to_deliberation(engine)
    broken = re.sub(r"\n  - id: R-BALLOT-CLOSED\n(    .*\n|\n)*?(?=  - id:)", "\n", pack_with())
    assert "R-BALLOT-CLOSED" not in broken.split("rules:", 1)[1]
    with pytest.raises(DefinitionError, match="R-BALLOT-CLOSED"):
        rejudge(engine.store, broken)


def test_the_cli_replays_scenarios_and_stores_with_exit_codes_and_the_same_json(
    tmp_path: Path, clock: ManualClock
) -> None:
    strict = tmp_path / "strict.yaml"
    strict.write_text(pack_with(pass_ratio="9/10"), encoding="utf-8")
    same = tmp_path / "same.yaml"
    same.write_text(PACK, encoding="utf-8")
    examples = [p for p in EXAMPLES if ".zh-CN." not in p.name]
    plenary = tmp_path / "plenary.yaml"
    plenary.write_text(pack_with(quorum_plenary="3/4"), encoding="utf-8")
    r = run("replay", "--rules", plenary, *examples)
    assert (
        r.exit_code == 1
        and "plenum #2 open" in r.stdout
        and "✗ would have been refused: R-QUORUM-PLENARY" in r.stdout
    )
    assert r.stdout.rstrip().endswith(
        "steps that would have been refused: 1; that would have ended elsewhere: 0; "
        "instances that could not be replayed: 0"
    )
    assert (
        ok("replay", "--rules", same, *examples)
        .stdout.rstrip()
        .endswith(
            "refused: 0; that would have ended elsewhere: 0; "
            "instances that could not be replayed: 0"
        )
    )
    r = run("replay", "--rules", strict, *examples)
    assert r.exit_code == 1 and "↪ would have ended in Rejected (rejected): R-PASS" in r.stdout
    first = run("--json", "replay", "--rules", strict, *examples).stdout
    assert first == run("--json", "replay", "--rules", strict, *examples).stdout
    assert json.loads(first)["rerouted"] >= 1
    zh = run("--lang", "zh-CN", "replay", "--rules", strict, *examples).stdout
    assert "↪ 按新规则将转入 未通过 (rejected)： R-PASS 同意票超过应到会成员半数为通过" in zh
    # a store: what `simulate --db` recorded in a SQLite file
    db = tmp_path / "history.db"
    engine = Engine.open(str(db), clock=clock)
    engine.define_body(standing_committee())
    iid = meeting(engine, clock, None)
    engine.fire(iid, "close_ballot", "sec")
    engine.clock = ManualClock(clock.now() + dt.timedelta(days=1))
    engine.close()
    r = run("--db", db, "replay", "--rules", strict)
    assert r.exit_code == 1 and f"{iid} #" in r.stdout and "close_ballot" in r.stdout
    # bad input: one line, exit 2
    bad = tmp_path / "bad.yaml"
    bad.write_text("id: party-committee\nversion: [\n", encoding="utf-8")
    one_error_line(r := run("replay", "--rules", bad, examples[0]), "bad.yaml")
    assert r.exit_code == 2


def test_versions_only_the_store_keeps_are_read_from_it_without_changing_the_callers_registry(
    clock: ManualClock,
) -> None:
    from collegium import Registry

    recording = Registry.builtin()
    recording.add_pack_text(
        pack_with(version="2027.5")
    )  # the history ran under a pack the caller no longer has
    engine = Engine.in_memory(clock=clock, registry=recording)
    engine.define_body(standing_committee())
    iid = to_deliberation(engine)
    assert engine.get(iid).pack_version == "2027.5"
    caller = Registry.builtin()
    report = rejudge(engine.store, PACK, registry=caller)
    assert (
        report.recorded == ("party-committee@2027.5",)
        and report.diverged == {}
        and report.changed == ()
    )
    party = [p.version for p in caller.packs() if p.id == "party-committee"]
    # the stored text went into a copy
    assert party == [
        "2026.1",
        "2026.2",
        "2026.3",
        "2026.4",
        "2026.5",
        "2026.6",
        "2026.7",
        "2026.8",
        "2026.9",
        "2026.10",
    ]

"""The command line of meetings and ballots: `meeting open|close`, `vote cast|close|tally`, and the
ballot result shown by `status` and `history` in English and Chinese."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from collegium.cli import cli
from tests.conftest import TELLERS_KEY
from tests.test_cli import BODY_YAML, PROPOSAL

PERSONNEL = [
    "-d",
    "title=Appointments",
    "-d",
    "category=personnel",
    "-d",
    "proposer=sec",
    "-d",
    "lead_member=m1",
    "-d",
    "body=sc",
    "-d",
    "confidentiality=public",
]
BEFORE = ["--now", "2026-03-02T09:00+08:00"]
MEETING = ["--now", "2026-03-05T09:00+08:00"]
#: `meeting open` options of an electronic secret ballot, its tellers' key the tests' own
ELECTRONIC = [
    "--method",
    "secret_electronic",
    "--teller",
    "sec",
    "--ballot-key",
    TELLERS_KEY.public,
]


def run(*args: str | Path) -> Result:
    return CliRunner().invoke(cli, [str(a) for a in args], catch_exceptions=False)


def ok(*args: str | Path) -> Result:
    r = run(*args)
    assert r.exit_code == 0, r.stderr
    return r


def one_error_line(r: Result, *needles: str) -> str:
    assert "Traceback" not in r.output and "Traceback" not in r.stderr
    lines = r.stderr.strip().splitlines()
    assert lines and lines[0].startswith("collegium: error: "), r.stderr
    text = "\n".join(lines)
    for needle in needles:
        assert needle in text, text
    return text


def scheduled(tmp_path: Path, proposal: list[str]) -> Path:
    """A database with the body `sc` (5 members) and an instance `md` of ``proposal`` scheduled for
    a meeting."""
    path = tmp_path / "c.db"
    body = tmp_path / "body.yaml"
    body.write_text(BODY_YAML, encoding="utf-8")
    ok("--db", path, "body", "define", body)
    ok("--db", path, *BEFORE, "start", "major_decision", "--as", "sec", "--id", "md", *proposal)
    ok("--db", path, *BEFORE, "fire", "md", "prepare", "--as", "m1")
    ok(
        "--db",
        path,
        *BEFORE,
        "fire",
        "md",
        "start_deliberation",
        "--as",
        "m1",
        "-d",
        "preparation=done",
    )
    for member in ("sec", "dep", "m1", "m2", "m3"):
        ok(
            "--db",
            path,
            *BEFORE,
            "fire",
            "md",
            "consult",
            "--as",
            "sec",
            "-d",
            f"member={member}",
            "-d",
            "view=agree",
        )
    ok(
        "--db",
        path,
        *BEFORE,
        "fire",
        "md",
        "schedule",
        "--as",
        "sec",
        "-d",
        "meeting_at=2026-03-05T09:00+08:00",
    )
    return path


def views(db: Path, *people: str, view: str = "agree") -> None:
    """Each of ``people`` states ``view`` on `md` in turn, as the pack requires before the first
    vote: every member present, the secretary last (末位表态)."""
    for person in people:
        ok("--db", db, *MEETING, "fire", "md", "state_view", "--as", person, "-d", f"view={view}")


@pytest.fixture
def db(tmp_path: Path) -> Path:
    """A major matter `md` scheduled for a meeting of `sc`, voted agree / oppose / abstain."""
    return scheduled(tmp_path, PROPOSAL)


@pytest.fixture
def personnel(tmp_path: Path) -> Path:
    """A personnel matter `md` with two candidates, voted one by one agree / disagree / defer."""
    return scheduled(tmp_path, [*PERSONNEL, "-d", 'candidates=["Zhang","Li"]'])


def test_help_lists_meeting_and_vote() -> None:
    r = ok("--help")
    assert "meeting" in r.output and "vote" in r.output
    assert "open" in ok("meeting", "--help").output
    out = ok("vote", "--help").output
    assert "cast" in out and "tally" in out and "close" in out


def test_an_electronic_secret_ballot_from_open_to_adopted(db: Path) -> None:
    keys = json.loads(ok("--json", "vote", "key").stdout)
    assert len(keys["ballot_key"]) == 64 and len(keys["teller_secret"].replace("-", "")) == 52
    shown = ok("--lang", "zh-CN", "vote", "key").output
    assert "选票公钥" in shown and "系统不保存" in shown
    r = ok(
        "--db",
        db,
        *MEETING,
        "meeting",
        "open",
        "md",
        "--as",
        "sec",
        "--present",
        "sec,dep",
        "--present",
        "m1",
        "--present",
        "m2",
        "--absent",
        "m3",
        "--method",
        "secret_electronic",
        "--teller",
        "m2",
        "--ballot-key",
        keys["ballot_key"],
    )
    assert "in_meeting" in r.output
    views(db, "dep", "m1", "m2", "sec")
    for voter, choice in (("sec", "agree"), ("dep", "agree"), ("m1", "oppose")):
        ok("--db", db, *MEETING, "vote", "cast", "md", choice, "--as", voter)

    again = run("--db", db, *MEETING, "vote", "cast", "md", "agree", "--as", "m1")
    assert again.exit_code == 1
    one_error_line(again, "R-ONE-VOTE")
    absent = run("--db", db, *MEETING, "vote", "cast", "md", "agree", "--as", "m3")
    assert absent.exit_code == 1
    one_error_line(absent, "R-VOTER")

    # while a secret ballot runs, only how many have voted is shown: totals beside the public vote
    # events would tell each choice
    tally = ok("--db", db, "vote", "tally", "md").output
    assert "secret" in tally and "who chose what is not recorded" in tally
    assert "voted: 3\n" in tally or "voted: 3 " in tally
    assert (
        "the totals are shown when the ballot is closed" in tally
        and "tellers: m2; not yet counted" in tally
    )
    assert "agree (agree)" not in tally and "┃ votes" not in tally and "dep, m1, sec" not in tally
    assert "票数在表决结束时公布" in ok("--lang", "zh-CN", "--db", db, "vote", "tally", "md").output
    doc = json.loads(ok("--db", db, "vote", "tally", "md", "--json").stdout)
    assert doc["secret"] is True and doc["closed"] is False and doc["choices_recorded"] is False
    assert doc["choices"] == {} and doc["totals_hidden"] is True
    assert (
        doc["counts"] == {}
        and doc["voted"] == 3
        and doc["tellers"] == ["m2"]
        and doc["counted"] is False
    )

    ok(
        "--db", db, *MEETING, "vote", "cast", "md", "同意", "--as", "m2"
    )  # a choice may be written in Chinese
    early = run("--db", db, *MEETING, "vote", "close", "md", "--as", "sec")
    assert early.exit_code == 2
    one_error_line(early, "count_ballots comes before close_ballot")
    wrong = run(
        "--db", db, *MEETING, "vote", "count", "md", "--as", "m2", "--teller-secret", "A" * 52
    )
    assert wrong.exit_code == 2
    one_error_line(wrong, "the tellers' secret does not belong to this ballot's key")
    not_a_teller = run(
        "--db",
        db,
        *MEETING,
        "vote",
        "count",
        "md",
        "--as",
        "sec",
        "--teller-secret",
        keys["teller_secret"],
    )
    assert not_a_teller.exit_code == 1
    one_error_line(not_a_teller, "R-ROLE")
    # the secret comes from the environment, so it stays out of the shell's history
    r = CliRunner(env={"COLLEGIUM_TELLER_SECRET": keys["teller_secret"]}).invoke(
        cli,
        ["--db", str(db), *MEETING, "vote", "count", "md", "--as", "m2"],
        catch_exceptions=False,
    )
    assert r.exit_code == 0, r.stderr
    assert keys["teller_secret"] not in json.dumps(
        json.loads(ok("--db", db, "history", "md", "--json").stdout)
    )
    closed = ok("--db", db, *MEETING, "vote", "close", "md", "--as", "sec")
    assert "Adopted (adopted)" in closed.output and "ballot result: passed" in closed.output

    doc = json.loads(ok("--db", db, "vote", "tally", "md", "--json").stdout)
    assert doc["closed"] is True and doc["choices"] == {}
    result = doc["result"]
    assert result["counts"] == {"agree": 3, "oppose": 1, "abstain": 0}
    assert (result["n"], result["present"], result["needed"], result["passed"]) == (5, 4, 3, True)
    assert [(q["rule"], q["needed"]) for q in result["quorum"]] == [("R-QUORUM-SC", 3)]
    assert doc["totals_hidden"] is False and doc["counts"] == {
        "agree": 3,
        "oppose": 1,
        "abstain": 0,
    }
    assert "dissent" not in result  # a secret ballot keeps no dissent
    tally = ok("--db", db, "vote", "tally", "md").output
    assert "agree" in tally and "who chose what is not recorded" in tally and "┃ voter" not in tally


def test_a_paper_secret_ballot_is_counted_by_its_tellers(db: Path) -> None:
    ok(
        "--db",
        db,
        *MEETING,
        "meeting",
        "open",
        "md",
        "--as",
        "sec",
        "--present",
        "sec,dep,m1,m2,m3",
        "--method",
        "secret",
        "--teller",
        "m3",
    )
    views(db, "dep", "m1", "m2", "m3", "sec")
    r = run("--db", db, *MEETING, "vote", "cast", "md", "agree", "--as", "sec")
    assert r.exit_code == 2
    one_error_line(r, "a paper secret ballot takes no choice")
    for voter in ("sec", "dep", "m1", "m2", "m3"):  # each returns a ballot paper
        ok("--db", db, *MEETING, "vote", "cast", "md", "--as", voter)
    short = run(
        "--db",
        db,
        *MEETING,
        "vote",
        "count",
        "md",
        "--as",
        "m3",
        "--count",
        "agree=3",
        "--count",
        "oppose=1",
    )
    assert short.exit_code == 2
    one_error_line(short, "the counts add up to 4 ballots; 5 were returned")
    ok(
        "--db",
        db,
        *MEETING,
        "vote",
        "count",
        "md",
        "--as",
        "m3",
        "--count",
        "agree=3",
        "--count",
        "oppose=1",
        "--count",
        "invalid=1",
    )
    assert "tellers: m3; counted" in ok("--db", db, "vote", "tally", "md").output
    closed = ok("--db", db, *MEETING, "vote", "close", "md", "--as", "sec", "--json")
    ballot = json.loads(closed.stdout)["ballot"]
    assert ballot["passed"] is True and ballot["counts"] == {
        "agree": 3,
        "oppose": 1,
        "abstain": 0,
        "blank": 0,
        "invalid": 1,
    }
    zh = ok("--lang", "zh-CN", "--db", db, "status", "md").output
    assert "废票 1" in zh and "无记名（纸质选票，监票计票）" in zh


def test_status_and_history_show_the_result_in_both_languages(db: Path) -> None:
    ok(
        "--db",
        db,
        *MEETING,
        "meeting",
        "open",
        "md",
        "--as",
        "sec",
        "--present",
        "sec,dep,m1,m2,m3",
        "--method",
        "secret",
        "--teller",
        "m3",
    )
    views(db, "dep", "m1", "m2", "m3", "sec")
    for voter in ("sec", "dep", "m1", "m2", "m3"):
        ok("--db", db, *MEETING, "vote", "cast", "md", "--as", voter)
    ok(
        "--db",
        db,
        *MEETING,
        "vote",
        "count",
        "md",
        "--as",
        "m3",
        "--count",
        "agree=3",
        "--count",
        "oppose=1",
        "--count",
        "abstain=1",
    )
    ok("--db", db, *MEETING, "meeting", "close", "md", "--as", "sec")

    en = ok("--db", db, "status", "md").output
    for text in (
        "ballot result: passed",
        "method: secret",
        "agree 3, oppose 1, abstain 1",
        "should attend (n): 5, present: 5",
        "quorum: present needed: 3 (R-QUORUM-SC",
        "threshold: agree votes needed: 3 (R-PASS",
        "R-NO-OFFICE-DECISION",
        "rule verdicts at the close",
    ):
        assert text in en, text
    zh = ok("--lang", "zh-CN", "--db", db, "status", "md").output
    for text in (
        "表决结果：通过",
        "表决方式：无记名",
        "同意 3，不同意 1，弃权 1",
        "应到：5 人",
        "实到：5 人",
        "法定到会人数：3",
        "通过所需同意票数：3",
        "无记名投票",
        "常委会到会人数",
    ):
        assert text in zh, text
    for lang, texts in (
        ("en", ("ballot result: passed", "agree 3")),
        ("zh-CN", ("表决结果：通过", "同意 3")),
    ):
        out = ok("--lang", lang, "--db", db, "history", "md").output
        assert all(t in out for t in texts), out

    doc = json.loads(ok("--db", db, "status", "md", "--json", "--lang", "zh-CN").stdout)
    ballot = doc["ballot"]
    assert ballot["passed"] is True and ballot["outcome_label"] == "通过"
    assert ballot["method_label"] == "无记名（纸质选票，监票计票）"
    assert ballot["count_labels"] == {
        "agree": "同意",
        "oppose": "不同意",
        "abstain": "弃权",
        "blank": "空白票",
        "invalid": "废票",
    }
    assert {r["rule"] for r in ballot["verdict"]} >= {"R-QUORUM-SC", "R-PASS"}
    events = json.loads(ok("--db", db, "history", "md", "--json").stdout)
    tallied = [e for e in events if "ballot" in e]
    assert [e["trigger"] for e in tallied] == ["close_ballot"]
    assert tallied[0]["ballot"]["counts"] == {
        "agree": 3,
        "oppose": 1,
        "abstain": 1,
        "blank": 0,
        "invalid": 0,
    }


def test_a_named_ballot_shows_choices_and_dissent(db: Path) -> None:
    ok(
        "--db",
        db,
        *MEETING,
        "meeting",
        "open",
        "md",
        "--as",
        "sec",
        "--present",
        "sec,dep,m1,m2",
        "--recused",
        "m3",
    )
    views(db, "dep", "m1", "m2", "sec")
    # 不同意 and 反对 are both "oppose" on a ballot that has no "disagree"
    for voter, choice in (("sec", "同意"), ("dep", "不同意"), ("m1", "反对"), ("m2", "弃权")):
        ok("--db", db, *MEETING, "vote", "cast", "md", choice, "--as", voter)
    r = run("--db", db, *MEETING, "vote", "cast", "md", "agree", "--item", "Zhang", "--as", "sec")
    assert r.exit_code == 2
    one_error_line(r, "not voted item by item")
    tally = ok("--lang", "zh-CN", "--db", db, "vote", "tally", "md").output
    assert "记名" in tally and "进行中" in tally and "不同意 (oppose)" in tally
    r = run("--db", db, *MEETING, "vote", "close", "md", "--as", "sec", "--json")
    assert r.exit_code == 0, r.stderr
    doc = json.loads(r.stdout)
    assert doc["state"] == "rejected" and doc["trigger"] == "close_ballot"
    assert doc["ballot"]["passed"] is False and doc["ballot"]["dissent"] == ["dep", "m1"]
    assert (doc["ballot"]["n"], doc["ballot"]["present"]) == (4, 4)  # the recused member leaves n
    out = ok("--lang", "zh-CN", "--db", db, "status", "md").output
    assert "表决结果：未通过" in out and "表决方式：记名" in out and "不同意者：dep, m1" in out
    tally = json.loads(ok("--db", db, "vote", "tally", "md", "--json").stdout)
    assert tally["choices"] == {"sec": "agree", "dep": "oppose", "m1": "oppose", "m2": "abstain"}


def test_json_of_open_and_cast_and_a_repeated_key(db: Path) -> None:
    r = run(
        "--db",
        db,
        *MEETING,
        "--json",
        "meeting",
        "open",
        "md",
        "--as",
        "sec",
        "--present",
        "sec,dep,m1",
        *ELECTRONIC,
    )
    assert r.exit_code == 0, r.stderr
    doc = json.loads(r.stdout)
    assert doc["trigger"] == "open_meeting" and doc["state"] == "in_meeting"
    views(db, "dep", "m1", "sec")
    first = json.loads(
        ok(
            "--db",
            db,
            *MEETING,
            "vote",
            "cast",
            "md",
            "agree",
            "--as",
            "sec",
            "--key",
            "k1",
            "--json",
        ).stdout
    )
    again = json.loads(
        ok(
            "--db",
            db,
            *MEETING,
            "vote",
            "cast",
            "md",
            "agree",
            "--as",
            "sec",
            "--key",
            "k1",
            "--json",
        ).stdout
    )
    assert (
        first["replayed"] is False
        and again["replayed"] is True
        and again["event"] == first["event"]
    )
    refused = run("--db", db, *MEETING, "vote", "cast", "md", "agree", "--as", "sec", "--json")
    assert refused.exit_code == 1
    assert json.loads(refused.stdout)["verdict"]["passed"] is False


def test_bad_input_exits_2_with_one_line(db: Path) -> None:
    r = run(
        "--db",
        db,
        *MEETING,
        "meeting",
        "open",
        "md",
        "--as",
        "sec",
        "--present",
        "m1",
        "--absent",
        "m1",
    )
    assert r.exit_code == 2
    one_error_line(r, "'m1' is given as both present and absent")
    r = run(
        "--db",
        db,
        *MEETING,
        "meeting",
        "open",
        "md",
        "--as",
        "sec",
        "--present",
        "sec",
        "--method",
        "telepathy",
    )
    assert r.exit_code == 2
    one_error_line(r, "method 'telepathy' is not one of")
    r = run("--db", db, *MEETING, "meeting", "open", "md", "--as", "sec", "--present", "stranger")
    assert r.exit_code == 2
    one_error_line(r, "'stranger' is not a member")
    r = run("--db", db, "vote", "tally", "md")
    assert r.exit_code == 2
    one_error_line(r, "has no ballot")
    r = run("--db", db, *MEETING, "vote", "cast", "md", "agree", "--as", "sec")
    assert r.exit_code == 1  # no meeting is open yet: the step is not allowed in this state
    one_error_line(r, "'vote' is not allowed in state 'scheduled'")
    ok("--db", db, *MEETING, "meeting", "open", "md", "--as", "sec", "--present", "sec,dep,m1")
    r = run("--db", db, *MEETING, "vote", "cast", "md", "maybe", "--as", "sec")
    assert r.exit_code == 2
    one_error_line(r, "choice 'maybe' is not one of")


def test_a_meeting_without_a_quorum_is_refused(db: Path) -> None:
    r = run("--db", db, *MEETING, "meeting", "open", "md", "--as", "sec", "--present", "sec,dep")
    assert r.exit_code == 1
    one_error_line(r, "R-QUORUM-SC")
    assert (
        "R-QUORUM-SC"
        in run(
            "--lang",
            "zh-CN",
            "--db",
            db,
            *MEETING,
            "meeting",
            "open",
            "md",
            "--as",
            "sec",
            "--present",
            "sec",
        ).stderr
    )


def test_a_personnel_list_is_voted_item_by_item(personnel: Path) -> None:
    db = personnel
    ok(
        "--db",
        db,
        *MEETING,
        "meeting",
        "open",
        "md",
        "--as",
        "sec",
        "--present",
        "sec,dep,m1,m2",
        "--absent",
        "m3",
    )
    views(db, "dep", "m1", "m2", "sec")
    no_item = run("--db", db, *MEETING, "vote", "cast", "md", "agree", "--as", "sec")
    assert no_item.exit_code == 1
    one_error_line(no_item, "R-ITEMWISE", "name one of Zhang, Li")
    # 不同意 is the personnel ballot's "disagree", 缓议 its "defer"; 反对 (oppose) is not one of
    # its options
    for voter, zhang, li in (
        ("sec", "同意", "不同意"),
        ("dep", "agree", "缓议"),
        ("m1", "同意", "同意"),
        ("m2", "不同意", "disagree"),
    ):
        ok("--db", db, *MEETING, "vote", "cast", "md", zhang, "--item", "Zhang", "--as", voter)
        ok("--db", db, *MEETING, "vote", "cast", "md", li, "--item", "Li", "--as", voter)
    r = run("--db", db, *MEETING, "vote", "cast", "md", "反对", "--item", "Li", "--as", "sec")
    assert r.exit_code == 2
    one_error_line(r, "choice 'oppose' is not one of this ballot's options: agree, disagree, defer")
    r = run("--db", db, *MEETING, "vote", "cast", "md", "agree", "--item", "Wang", "--as", "sec")
    assert r.exit_code == 1
    one_error_line(r, "R-ITEMWISE")

    doc = json.loads(ok("--db", db, "vote", "tally", "md", "--json").stdout)
    assert doc["items"] == {
        "Zhang": {"agree": 3, "disagree": 1, "defer": 0},
        "Li": {"agree": 1, "disagree": 2, "defer": 1},
    }
    zh = ok("--lang", "zh-CN", "--db", db, "vote", "tally", "md").output
    assert "表决事项" in zh and "缓议 (defer)" in zh and "不同意 (disagree)" in zh and "Zhang" in zh

    closed = run("--db", db, *MEETING, "vote", "close", "md", "--as", "sec", "--json")
    assert closed.exit_code == 0, closed.stderr
    ballot = json.loads(closed.stdout)["ballot"]
    assert ballot["passed"] is True and ballot["counts"] == {} and ballot["needed"] is None
    assert [(q["rule"], q["needed"]) for q in ballot["quorum"]] == [("R-QUORUM-CADRE", 4)]
    assert list(ballot["items"]) == ["Zhang", "Li"]
    zhang, li = ballot["items"]["Zhang"], ballot["items"]["Li"]
    assert (zhang["counts"], zhang["needed"], zhang["passed"], zhang["dissent"]) == (
        {"agree": 3, "disagree": 1, "defer": 0},
        3,
        True,
        ["m2"],
    )
    assert (li["counts"], li["needed"], li["passed"], sorted(li["dissent"])) == (
        {"agree": 1, "disagree": 2, "defer": 1},
        3,
        False,
        ["m2", "sec"],
    )
    assert zhang["threshold"]["rule"] == "R-PASS" and li["outcome_label"] == "not passed"

    en = ok("--db", db, "status", "md").output
    for text in (
        "ballot result: passed",
        "item Zhang: passed (agree 3, disagree 1, defer 0)",
        "item Li: not passed (agree 1, disagree 2, defer 1)",
        "threshold: agree votes needed: 3 (R-PASS, > 1/2); dissent recorded: m2",
        "quorum: present needed: 4 (R-QUORUM-CADRE",
    ):
        assert text in en, text
    assert "counts" not in en
    zh = ok("--lang", "zh-CN", "--db", db, "status", "md").output
    for text in (
        "事项 Zhang：通过（同意 3，不同意 1，缓议 0）",
        "事项 Li：未通过（同意 1，不同意 2，缓议 1）",
        "通过所需同意票数：3（R-PASS，> 1/2）",
        "法定到会人数：4（R-QUORUM-CADRE",
    ):
        assert text in zh, text
    for lang, text in (
        ("en", "item Li: not passed (agree 1, disagree 2, defer 1)"),
        ("zh-CN", "事项 Zhang：通过（同意 3，不同意 1，缓议 0）"),
    ):
        assert text in ok("--lang", lang, "--db", db, "history", "md").output
        assert text in ok("--lang", lang, "--db", db, "vote", "tally", "md").output
    events = json.loads(ok("--db", db, "history", "md", "--json").stdout)
    assert [e["ballot"]["items"]["Li"]["passed"] for e in events if "ballot" in e] == [False]


def test_a_secret_list_hides_totals_and_warns_on_a_repeated_key(personnel: Path) -> None:
    db = personnel
    ok(
        "--db",
        db,
        *MEETING,
        "meeting",
        "open",
        "md",
        "--as",
        "sec",
        "--present",
        "sec,dep,m1,m2",
        *ELECTRONIC,
    )
    views(db, "dep", "m1", "m2", "sec")
    ok(
        "--db",
        db,
        *MEETING,
        "vote",
        "cast",
        "md",
        "同意",
        "--item",
        "Zhang",
        "--as",
        "sec",
        "--key",
        "k1",
    )
    # the event of a secret vote holds no choice: a repeat with another choice cannot be told apart
    again = ok(
        "--db",
        db,
        *MEETING,
        "vote",
        "cast",
        "md",
        "不同意",
        "--item",
        "Zhang",
        "--as",
        "sec",
        "--key",
        "k1",
    )
    assert "already done: this is the first outcome again" in again.output
    assert "cannot be checked against the first one (the first vote counts)" in again.output
    doc = json.loads(
        ok(
            "--db",
            db,
            *MEETING,
            "vote",
            "cast",
            "md",
            "同意",
            "--item",
            "Zhang",
            "--as",
            "sec",
            "--key",
            "k1",
            "--json",
        ).stdout
    )
    assert doc["replayed"] is True and "the first vote counts" in doc["warning"]
    zh = ok(
        "--lang",
        "zh-CN",
        "--db",
        db,
        *MEETING,
        "vote",
        "cast",
        "md",
        "同意",
        "--item",
        "Zhang",
        "--as",
        "sec",
        "--key",
        "k1",
    ).output
    assert "以首次投票为准" in zh
    first = json.loads(
        ok(
            "--db",
            db,
            *MEETING,
            "vote",
            "cast",
            "md",
            "同意",
            "--item",
            "Li",
            "--as",
            "dep",
            "--json",
        ).stdout
    )
    assert first["replayed"] is False and "warning" not in first

    doc = json.loads(ok("--db", db, "vote", "tally", "md", "--json").stdout)
    assert (
        doc["totals_hidden"] is True
        and doc["voted"] == 2
        and doc["items"] == {}
        and doc["counts"] == {}
    )
    out = ok("--db", db, "vote", "tally", "md").output
    assert "the totals are shown when the ballot is closed" in out and "Zhang" not in out
    for voter in ("dep", "m1", "m2"):
        ok("--db", db, *MEETING, "vote", "cast", "md", "agree", "--item", "Zhang", "--as", voter)
    ok(
        "--db",
        db,
        *MEETING,
        "vote",
        "count",
        "md",
        "--as",
        "sec",
        "--teller-secret",
        TELLERS_KEY.secret,
    )
    ok("--db", db, *MEETING, "vote", "close", "md", "--as", "sec")
    doc = json.loads(ok("--db", db, "vote", "tally", "md", "--json").stdout)
    assert doc["totals_hidden"] is False
    assert doc["items"]["Zhang"] == {
        "agree": 4,
        "disagree": 0,
        "defer": 0,
    }  # the first choice counted
    assert (
        doc["result"]["items"]["Zhang"]["passed"] is True
        and "dissent" not in doc["result"]["items"]["Zhang"]
    )
    assert doc["result"]["items"]["Li"]["passed"] is False


def test_the_quorum_of_a_result_is_shown_whether_one_rule_or_several(db: Path) -> None:
    from collegium.commands.ballots import print_result, result_doc
    from collegium.commands.render import console
    from collegium.engine.clock import FixedClock, parse_time
    from collegium.engine.engine import Engine

    ok(
        "--db",
        db,
        *MEETING,
        "meeting",
        "open",
        "md",
        "--as",
        "sec",
        "--present",
        "sec,dep,m1,m2,m3",
    )
    views(db, "dep", "m1", "m2", "m3", "sec")
    for voter in ("sec", "dep", "m1"):
        ok("--db", db, *MEETING, "vote", "cast", "md", "agree", "--as", voter)
    ok("--db", db, *MEETING, "vote", "close", "md", "--as", "sec")
    with Engine.open(
        str(db), clock=FixedClock(parse_time("2026-03-05T09:00+08:00", "now"))
    ) as engine:
        inst = engine.get("md")
        close = engine.history("md")[-1]
        base = dict(close.effects["tally"])
        single = result_doc(
            engine.registry,
            inst,
            {**base, "quorum": {"rule": "R-QUORUM-SC", "needed": 3}},
            close.verdict,
            close.seq,
            "en",
        )
        several = result_doc(
            engine.registry,
            inst,
            {
                **base,
                "quorum": [
                    {"rule": "R-QUORUM-SC", "needed": 3},
                    {"rule": "R-QUORUM-X", "needed": 4},
                ],
            },
            close.verdict,
            close.seq,
            "zh-CN",
        )
        stated_none = result_doc(
            engine.registry, inst, {**base, "quorum": []}, close.verdict, close.seq, "en"
        )
    assert [(q["rule"], q["needed"], q["op"]) for q in single["quorum"]] == [
        ("R-QUORUM-SC", 3, "≥")
    ]
    assert [(q["rule"], q["needed"]) for q in several["quorum"]] == [
        ("R-QUORUM-SC", 3),
        ("R-QUORUM-X", 4),
    ]
    assert (
        stated_none["quorum"] == []
    )  # a result that states its quorum is not second-guessed from the verdict
    con = console()
    with con.capture() as captured:
        print_result(con, several, "zh-CN")
    out = captured.get()
    assert "法定到会人数：3（R-QUORUM-SC" in out and "法定到会人数：4（R-QUORUM-X）" in out

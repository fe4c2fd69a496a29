"""`collegium simulate FILE`: scenario files run on a virtual clock; the exit code says whether
every expectation held (0), one did not (1) or the file is invalid (2); the same file gives the same
JSON every time."""

from __future__ import annotations

import json
import shlex
from pathlib import Path
from typing import Any

from tests.test_cli_ballot import ok, one_error_line, run

ROOT = Path(__file__).parent.parent
SCENARIOS = ROOT / "examples" / "scenarios"
EXAMPLE = SCENARIOS / "p1_major_decision.yaml"  # the README's first command runs it

#: a small scenario; the errors below name its lines (step 2 is line 12, step 3 line 13)
SMALL = """\
scenario: a small matter
start: 2026-03-02T09:00+08:00
bodies:
  - {id: sc, kind: standing,
     members: [{person: sec, role: secretary}, {person: m1, role: standing_member}]}
steps:
  - start: major_decision
    as: sec
    id: x
    data: {title: Roads, category: routine, proposer: sec, lead_member: m1, body: sc,
           confidentiality: public}
  - {fire: prepare, instance: x, as: m1}
  - expect: {instance: x, state: STATE}
"""


def test_the_example_runs_the_same_every_time_in_both_languages() -> None:
    first = ok("--json", "simulate", EXAMPLE).stdout
    assert first == ok("--json", "simulate", EXAMPLE).stdout  # no wall clock, no random ids
    doc = json.loads(first)
    assert doc["ok"] and doc["audit"]["ok"]
    [budget] = doc["instances"].values()
    assert (
        budget["state"] == "assigned"
        and budget["ballot"]["n"] == 7
        and budget["ballot"]["present"] == 6
    )
    assert [s["rules"][0]["rule"] for s in doc["steps"] if s["outcome"] == "refused"] == [
        "R-DELIBERATION",
        "R-CONSULTER",
        "R-CHAIR-LAST",
    ]
    text = ok("simulate", EXAMPLE).stdout
    assert (
        "refused, as expected: R-DELIBERATION" in text and "2026-03-10 09:00" in text
    )  # in the scenario's zone
    assert "按预期被拒绝" in ok("--lang", "zh-CN", "simulate", EXAMPLE).stdout
    zh = json.loads(
        ok("--json", "simulate", EXAMPLE.with_name("p1_major_decision.zh-CN.yaml")).stdout
    )
    assert [i["ballot"]["agree"] for i in zh["instances"].values()] == [5] and zh["audit"][
        "ok"
    ]  # names in Chinese


def test_the_readmes_first_command_runs_the_p1_example_into_a_sqlite_file(tmp_path: Path) -> None:
    first = (ROOT / "README.md").read_text(encoding="utf-8").split("```sh\n", 1)[1].splitlines()[0]
    install, _, command = first.partition(" && .venv/bin/collegium ")
    assert install == "python3 -m venv .venv && .venv/bin/pip install ."
    args = shlex.split(command)
    assert args == [
        "simulate",
        "examples/scenarios/p1_major_decision.yaml",
        "--db",
        "collegium-demo.db",
        "--replace",
    ]
    for _again in range(2):  # as written, and once more in the same folder
        r = ok(args[0], ROOT / args[1], args[2], tmp_path / args[3], args[4])
        assert "28 steps, 3 refused as expected; instances: 1; audit ok" in r.stdout
        assert (tmp_path / args[3]).read_bytes().startswith(b"SQLite format 3")


def test_replace_removes_only_a_sqlite_file_collegium_made(tmp_path: Path) -> None:
    notes = tmp_path / "notes.txt"
    notes.write_text("minutes of the last meeting\n", encoding="utf-8")
    r = run("simulate", EXAMPLE, "--db", notes, "--replace")
    assert r.exit_code == 2
    one_error_line(r, "--replace replaces only a database Collegium made", "not a database")
    assert notes.read_text(encoding="utf-8") == "minutes of the last meeting\n"
    r = run("simulate", EXAMPLE, "--db", "postgresql+psycopg://nobody@127.0.0.1/x", "--replace")
    assert r.exit_code == 2
    one_error_line(r, "--replace replaces a SQLite file only")
    used = tmp_path / "used.db"
    ok("simulate", EXAMPLE, "--db", used)
    r = run("simulate", EXAMPLE, "--db", used)
    assert r.exit_code == 2
    one_error_line(r, "already holds instances", "add --replace")


def test_the_ballot_example_is_secret_item_by_item_without_the_recused_member() -> None:
    for name, items in (
        ("p2_ballot.yaml", ["Li Na", "Zhang Wei"]),
        ("p2_ballot.zh-CN.yaml", ["张伟", "李娜"]),
    ):
        doc = json.loads(ok("--json", "simulate", SCENARIOS / name).stdout)
        [matter] = doc["instances"].values()
        result = matter["ballot"]
        assert result["method"] == "secret" and (result["n"], result["present"]) == (10, 9)
        assert sorted(result["items"]) == sorted(items)
        assert [i["passed"] for i in result["items"].values()].count(True) == 1
        assert [s["rules"][0]["rule"] for s in doc["steps"] if s["outcome"] == "refused"] == [
            "R-QUORUM-CADRE",
            "R-ITEMWISE",
            "R-RECUSAL",
        ]


def test_a_broken_expectation_exits_1_naming_the_step(tmp_path: Path) -> None:
    path = tmp_path / "s.yaml"
    path.write_text(SMALL.replace("STATE", "adopted"), encoding="utf-8")
    r = run("simulate", path)
    assert r.exit_code == 1
    one_error_line(r, f"{path}:13: step 3: x: state is preparation, expected adopted")
    path.write_text(SMALL.replace("STATE", "preparation"), encoding="utf-8")
    ok("simulate", path)


def test_an_unexpected_refusal_or_a_step_that_went_through_exits_1(tmp_path: Path) -> None:
    path = tmp_path / "s.yaml"
    path.write_text(
        SMALL.replace("as: m1}", "as: outsider}").replace("STATE", "preparation"), encoding="utf-8"
    )
    one_error_line(run("simulate", path), "step 2 (prepare as outsider) was refused by R-ROLE")
    path.write_text(
        SMALL.replace("as: m1}", "as: m1, refused: R-ROLE}").replace("STATE", "preparation"),
        encoding="utf-8",
    )
    r = run("simulate", path)
    assert r.exit_code == 1
    one_error_line(
        r, "step 2 (prepare as m1) went through to preparation; it should be refused by R-ROLE"
    )


def test_an_invalid_file_exits_2_with_file_and_line(tmp_path: Path) -> None:
    path = tmp_path / "s.yaml"
    path.write_text(
        SMALL.replace("  - {fire: prepare", "  - {advance: P1D, fire: prepare"), encoding="utf-8"
    )
    r = run("simulate", path)
    assert r.exit_code == 2
    one_error_line(r, f"{path}:12", "exactly one of start, fire, vote, advance, expect")
    path.write_text(
        SMALL.replace("fire: prepare", "fire: prepar").replace("STATE", "x"), encoding="utf-8"
    )
    r = run("simulate", path)
    assert r.exit_code == 2
    one_error_line(r, f"{path}:12: step 2", "unknown trigger 'prepar'")
    path.write_text(
        SMALL.replace("start: 2026-03-02T09:00+08:00", "start: 2026-03-02"), encoding="utf-8"
    )
    assert run("simulate", path).exit_code == 2
    assert run("simulate", tmp_path / "missing.yaml").exit_code == 2


def test_a_scenario_can_write_to_a_database_of_its_own(tmp_path: Path) -> None:
    db = tmp_path / "s.db"
    ok(
        "simulate", EXAMPLE, "--db", db
    )  # as the README's first command has it: --db after the command
    [budget] = json.loads(
        ok("instances", f"--db={db}", "--json").stdout
    )  # --db=X after a command too
    assert budget["state"] == "assigned"
    events = ok("--db", db, "--json", "history", "budget").stdout
    # a second run into it is refused before anything is written: its clock and ids would start
    # again
    again = run("simulate", EXAMPLE, "--db", db)
    assert again.exit_code == 2
    one_error_line(
        again, f"{db} already holds instances (budget among them)", "give --db a new file"
    )
    one_error_line(
        run("--lang", "zh-CN", "--db", db, "simulate", EXAMPLE), "中已有实例（包括 budget）"
    )
    assert ok("--db", db, "--json", "history", "budget").stdout == events
    assert len(json.loads(ok("--db", db, "--json", "instances").stdout)) == 1
    ok("--db", db, "audit", "verify")
    ok("--db", tmp_path / "other.db", "simulate", SCENARIOS / "p5_reports.yaml")  # a new file: fine
    ok("--db", tmp_path / "empty.db", "db", "upgrade")
    ok(
        "--db", tmp_path / "empty.db", "simulate", SCENARIOS / "p6_commitments.yaml"
    )  # an empty database: fine
    schema = json.loads(ok("schema", "scenario").stdout)
    assert {"scenario", "start", "bodies", "steps"} <= set(schema["properties"])


def test_there_is_one_example_for_each_procedure_in_english_and_in_chinese() -> None:
    names = sorted(p.name for p in SCENARIOS.glob("*.yaml"))
    english = [n for n in names if not n.endswith(".zh-CN.yaml")]
    # exactly one each: the built-in procedures P1-P7, and the government pack's (Decree 713)
    assert [n.split("_")[0] for n in english] == ["gov", "p1", "p2", "p3", "p4", "p5", "p6", "p7"]
    assert names == sorted(
        [*english, *(n.replace(".yaml", ".zh-CN.yaml") for n in english)]
    )  # and its twin


def test_every_example_scenario_holds_runs_the_same_twice_and_its_twin_takes_the_same_steps() -> (
    None
):
    def shape(doc: dict[str, Any]) -> list[tuple[Any, ...]]:
        return [
            (
                s["action"],
                s["trigger"],
                s["state"],
                s["outcome"],
                [r.get("rule") for r in s["rules"]],
            )
            for s in doc["steps"]
        ]

    for path in sorted(p for p in SCENARIOS.glob("*.yaml") if not p.name.endswith(".zh-CN.yaml")):
        docs = []
        for each in (path, path.with_name(path.name.replace(".yaml", ".zh-CN.yaml"))):
            first = ok("--json", "simulate", each).stdout
            assert ok("--json", "simulate", each).stdout == first, each  # byte for byte
            docs.append(json.loads(first))
            assert docs[-1]["audit"]["ok"]
        assert shape(docs[0]) == shape(docs[1]), path.name


def test_a_generated_workload_is_the_same_for_the_same_seed(tmp_path: Path) -> None:
    args = (
        "--json",
        "simulate",
        "--generate",
        "--seed",
        "7",
        "--bodies",
        "2",
        "--matters",
        "2",
        "--months",
        "6",
    )
    first = ok(*args).stdout
    assert ok(*args).stdout == first  # byte for byte
    doc = json.loads(first)
    procedures = {i["procedure"] for i in doc["instances"].values()}
    assert {"major_decision", "assignment"} <= procedures and doc["audit"]["ok"]
    assert (
        json.loads(ok(*args[:3], "--seed", "8", *args[5:]).stdout) != doc
    )  # another seed, another workload
    out = tmp_path / "generated.yaml"
    ok("simulate", "--generate", "--seed", "7", "--out", out)
    assert out.read_text(encoding="utf-8").startswith("scenario: 'generated workload (seed 7")
    assert (
        json.loads(ok("--json", "simulate", out).stdout)["steps"]
        == json.loads(ok("--json", "simulate", "--generate", "--seed", "7").stdout)["steps"]
    )
    one_error_line(run("simulate"), "give a scenario FILE, or --generate")


def test_json_counts_steps_from_1_as_the_messages_do() -> None:
    doc = json.loads(ok("--json", "simulate", SCENARIOS / "p6_commitments.yaml").stdout)
    numbers = [s["n"] for s in doc["steps"]]
    assert numbers[0] == 1 and numbers == sorted(numbers) and max(numbers) <= len(numbers)
    lines = [s["line"] for s in doc["steps"] if s["n"] == 1]
    assert lines and lines[0] > 0  # step 1 is the file's first step, at its line

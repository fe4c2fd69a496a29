"""The bad-input corpus, commands (issue 6): command-line arguments out of range or malformed, dates
without a time zone, unknown triggers, instances, bodies and procedures, malformed ``--data``; and
library calls with bad types.

Each is refused with exit code 2 and one line ``collegium: error: …`` (CLI) or a typed error
(library), and nothing is written: the database's rows stay as they were, and no database file
appears where there was none. The files of the corpus are in ``test_bad_input.py``.
"""

from __future__ import annotations

import datetime as dt
import sqlite3
from collections.abc import Callable
from contextlib import closing
from pathlib import Path
from typing import Any

import pytest

from collegium import CollegiumError, Engine, InvalidInput, ManualClock, NotFound
from collegium.store import schema
from tests._bad_input import bounded, error_line, run
from tests.conftest import MATTER
from tests.test_cli import BODY_YAML, NOW, PROPOSAL

CONSULT = [*NOW, "fire", "md", "consult", "--as", "sec"]
TABLES = [t.name for t in schema.metadata.sorted_tables]


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A database with the body `sc` and the instance `md` in individual deliberation (built once,
    copied)."""
    path = tmp_path_factory.mktemp("bad-cli") / "c.db"
    body = path.parent / "body.yaml"
    body.write_text(BODY_YAML, encoding="utf-8")
    assert run("--db", path, "body", "define", body).exit_code == 0
    assert (
        run(
            "--db", path, *NOW, "start", "major_decision", "--as", "sec", "--id", "md", *PROPOSAL
        ).exit_code
        == 0
    )
    assert run("--db", path, *NOW, "fire", "md", "prepare", "--as", "m1").exit_code == 0
    assert (
        run(
            "--db",
            path,
            *NOW,
            "fire",
            "md",
            "start_deliberation",
            "--as",
            "m1",
            "-d",
            "preparation=x",
        ).exit_code
        == 0
    )
    return path


@pytest.fixture
def db(template: Path, tmp_path: Path) -> Path:
    path = tmp_path / "c.db"
    path.write_bytes(template.read_bytes())
    return path


def rows(db: Path) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table, to compare before and after a refused command."""
    with closing(sqlite3.connect(db)) as conn:
        return {t: sorted(conn.execute(f"SELECT * FROM {t}").fetchall(), key=repr) for t in TABLES}


# (name, arguments after --db, what the error line says); every one exits 2
ARGUMENTS: list[tuple[str, list[str], str]] = [
    (
        "now_without_time_zone",
        ["--now", "2026-03-02T09:00", *CONSULT[2:], "-d", "member=m1"],
        "has no time zone",
    ),
    ("now_not_a_date", ["--now", "next tuesday", *CONSULT[2:]], "is not an ISO 8601 date-time"),
    (
        "now_year_out_of_range",
        ["--now", "0001-01-01T00:00Z", *CONSULT[2:]],
        "out of range (years 1000 to 9998)",
    ),
    (
        "data_date_without_time_zone",
        [*NOW, "fire", "md", "schedule", "--as", "sec", "-d", "meeting_at=2026-03-10T09:00"],
        "meeting_at 2026-03-10T09:00:00 has no time zone",
    ),
    (
        "data_date_not_a_date",
        [*NOW, "fire", "md", "schedule", "--as", "sec", "-d", "meeting_at=soon"],
        "meeting_at 'soon' is not an ISO 8601 date-time",
    ),
    (
        "data_date_year_out_of_range",
        [*NOW, "fire", "md", "schedule", "--as", "sec", "-d", "meeting_at=0999-12-31T00:00Z"],
        "out of range",
    ),
    (
        "meeting_at_without_time_zone",
        [
            *NOW,
            "meeting",
            "convene",
            "--as",
            "sec",
            "--body",
            "sc",
            "--at",
            "2026-03-10T09:00",
            "--agenda",
            "md",
        ],
        "has no time zone",
    ),
    (
        "as_of_without_time_zone",
        [*NOW, "supervise", "--as-of", "2026-03-01T00:00"],
        "has no time zone",
    ),
    (
        "as_of_zone_unknown",
        [*NOW, "supervise", "--as-of", "2026-03-01", "--tz", "Mars/Olympus"],
        "--tz must be an offset",
    ),
    (
        "as_of_zone_out_of_range",
        [*NOW, "supervise", "--as-of", "2026-03-01", "--tz", "+99:00"],
        "--tz must be an offset",
    ),
    ("as_of_in_the_future", [*NOW, "supervise", "--as-of", "2099-01-01T00:00Z"], "the clock says"),
    ("unknown_option", [*CONSULT, "--frobnicate"], "No such option '--frobnicate'"),
    ("unknown_global_option", ["--colour", "red", "instances"], "No such option '--colour'"),
    ("unknown_command", ["frobnicate"], "No such command 'frobnicate'"),
    ("missing_argument", ["fire", "md"], "Missing argument 'TRIGGER'"),
    ("missing_required_option", ["fire", "md", "consult"], "Missing option '--as'"),
    ("unknown_language", ["--lang", "fr", "instances"], "'fr' is not one of"),
    (
        "days_out_of_range",
        ["reports", "due", "--days", "99999"],
        "99999 is not in the range 0<=x<=3660",
    ),
    ("days_negative", ["reports", "due", "--days", "-1"], "-1 is not in the range"),
    ("days_not_a_number", ["reports", "due", "--days", "ten"], "'ten' is not a valid integer"),
    (
        "year_out_of_range",
        [*NOW, "reports", "schedule", "--body", "sc", "--year", "0", "--as", "sec"],
        "not in the range",
    ),
    (
        "year_not_a_year",
        ["commitments", "list", "--body", "sc", "--year", "abc"],
        "must be a year such as 2026",
    ),
    (
        "year_huge",
        ["commitments", "list", "--body", "sc", "--year", "9" * 30],
        "must be a year such as 2026",
    ),
    ("seed_not_a_number", ["simulate", "--generate", "--seed", "x"], "'x' is not a valid integer"),
    (
        "seed_of_5000_digits",
        ["simulate", "--generate", "--seed", "9" * 5000],
        "is not a valid integer",
    ),
    (
        "generated_bodies_zero",
        ["simulate", "--generate", "--bodies", "0"],
        "0 is not in the range 1<=x<=50",
    ),
    (
        "generated_workload_too_large",
        ["simulate", "--generate", "--bodies", "50", "--matters", "50", "--months", "36"],
        "a generated workload holds at most 150 matters",
    ),
    ("data_malformed_json", [*CONSULT, "--data", "{member: m1}"], "--data is not valid JSON"),
    ("data_json_not_an_object", [*CONSULT, "--data", "[1, 2]"], "--data must be a JSON object"),
    (
        "data_json_nested_too_deeply",
        [*CONSULT, "--data", "[" * 100_000 + "]" * 100_000],
        "--data nests too deeply",
    ),
    (
        "data_json_giant_integer",
        [*CONSULT, "--data", '{"member": ' + "9" * 5000 + "}"],
        "cannot be read",
    ),
    ("data_pair_without_key", [*CONSULT, "-d", "=m1"], "-d expects key=value"),
    ("data_unknown_key", [*CONSULT, "-d", "colour=red"], "'consult' does not take 'colour'"),
    (
        "data_wrong_type",
        [*CONSULT, "-d", "member=5", "-d", "view=agree"],
        "member must be non-empty text, not 5",
    ),
    (
        "data_value_not_allowed",
        [*CONSULT, "-d", "member=m1", "-d", "view=maybe"],
        "view 'maybe' is not one of",
    ),
    (
        "data_text_not_utf8",
        [*CONSULT, "-d", "member=m\udcff1", "-d", "view=agree"],
        "not valid Unicode",
    ),
    (
        "unknown_trigger",
        [*NOW, "fire", "md", "explode", "--as", "sec"],
        "unknown trigger 'explode'",
    ),
    ("unknown_instance", [*NOW, "fire", "nope", "consult", "--as", "sec"], "no instance 'nope'"),
    ("unknown_instance_status", ["status", "nope"], "no instance 'nope'"),
    ("unknown_instance_history", ["history", "nope"], "no instance 'nope'"),
    ("instance_not_utf8", ["status", "md\udcff"], "not valid Unicode"),
    ("unknown_procedure", [*NOW, "start", "nope", "--as", "sec"], "no procedure 'nope'"),
    (
        "unknown_procedure_version",
        ["diagram", "major_decision", "--version", "99"],
        "has no version 99",
    ),
    ("unknown_body", ["body", "show", "nope"], "no body 'nope'"),
    (
        "unknown_body_commitments",
        ["commitments", "list", "--body", "nope", "--year", "2026"],
        "no body 'nope'",
    ),
    ("unknown_rule", ["rules", "show", "R-NOPE"], "no rule 'R-NOPE'"),
    ("unknown_pack", ["rules", "list", "--pack", "nope"], "no rule pack 'nope'"),
    (
        "instance_id_too_long",
        [*NOW, "start", "major_decision", "--as", "sec", "--id", "x" * 200, *PROPOSAL],
        "instance_id must be printable text of at most 128 characters",
    ),
    (
        "instance_id_taken",
        [
            *NOW,
            "start",
            "major_decision",
            "--as",
            "sec",
            "--id",
            "md",
            *PROPOSAL[2:],
            "-d",
            "title=Another matter",
        ],
        "an instance 'md' already exists",
    ),
    (
        "actor_with_control_character",
        [*NOW, "fire", "md", "consult", "--as", "se\x07c"],
        "actor must be printable",
    ),
    (
        "actor_too_long",
        [*NOW, "fire", "md", "consult", "--as", "s" * 300],
        "actor must be printable text",
    ),
    (
        "idempotency_key_too_long",
        [*CONSULT, "-d", "member=m1", "-d", "view=agree", "--key", "k" * 200],
        "an idempotency key is printable text of 1 to 128 characters",
    ),
    (
        "meeting_reason_malformed",
        [*NOW, "meeting", "open", "md", "--as", "sec", "--reason", "m1"],
        "--reason takes PERSON=TEXT",
    ),
    ("check_missing_file", ["procedures", "check", "nope.yaml"], "no such file"),
    ("check_a_directory", ["procedures", "check", "."], "is a directory"),
    ("replay_missing_rules", ["replay", "--rules", "nope.yaml"], "does not exist"),
    ("schema_unknown_kind", ["schema", "table"], "'table' is not one of"),
    ("overdue_by_unknown", ["tasks", "overdue", "--by", "colour"], "'colour' is not one of"),
]


@pytest.mark.parametrize(
    ("args", "needle"), [c[1:] for c in ARGUMENTS], ids=[c[0] for c in ARGUMENTS]
)
def test_bad_argument_exits_2_in_one_line_and_writes_nothing(
    db: Path, args: list[str], needle: str
) -> None:
    before = rows(db)
    with bounded(memory=False):
        line = error_line(run("--db", db, *args))
    assert needle in line, line
    assert rows(db) == before


# commands given a database that does not exist: refused, and no file is created for them
ABSENT: list[tuple[str, list[str]]] = [
    ("start", [*NOW, "start", "major_decision", "--as", "sec", *PROPOSAL]),
    ("start_with_bad_data", [*NOW, "start", "major_decision", "--as", "sec", "--data", "{bad"]),
    ("fire", CONSULT),
    ("check", [*NOW, "check", "md", "consult", "--as", "sec"]),
    ("status", ["status", "md"]),
    ("history", ["history", "md"]),
    ("instances", ["instances"]),
    ("audit_verify", ["audit", "verify"]),
    ("supervise", [*NOW, "supervise", "--as-of", "2026-03-01T00:00Z"]),
    ("reports_due", ["reports", "due"]),
    ("tasks_overdue", ["tasks", "overdue"]),
    ("vote_cast", [*NOW, "vote", "cast", "md", "agree", "--as", "m1"]),
]


@pytest.mark.parametrize("args", [c[1] for c in ABSENT], ids=[c[0] for c in ABSENT])
def test_no_database_is_created_for_a_command_that_is_refused(
    tmp_path: Path, args: list[str]
) -> None:
    missing = tmp_path / "absent.db"
    line = error_line(run("--db", missing, *args))
    assert "no database at" in line or "--data" in line, line
    assert not missing.exists()


# -- library calls with bad types or values --------------------------------------------------------
def _at(engine: Engine) -> str:
    return engine.start("major_decision", "sec", MATTER, instance_id="base").instance.id


NAIVE = dt.datetime(2026, 3, 10, 9, 0)  # without a time zone: the bad input of the cases below
CALLS: list[tuple[str, Callable[[Engine], object], type[CollegiumError], str]] = [
    (
        "instance_not_text",
        lambda e: e.fire(5, "prepare", "m1"),
        InvalidInput,
        "instance must be non-empty text",
    ),
    ("actor_none", lambda e: e.fire("base", "prepare", None), InvalidInput, "an actor"),
    ("actor_reserved", lambda e: e.fire("base", "prepare", "@system"), InvalidInput, "reserved"),
    (
        "actor_with_nul",
        lambda e: e.fire("base", "prepare", "m\x001"),
        InvalidInput,
        "actor must be printable",
    ),
    (
        "actor_not_utf8",
        lambda e: e.fire("base", "prepare", "m\udcff"),
        InvalidInput,
        "actor must be printable",
    ),
    (
        "data_a_list",
        lambda e: e.fire("base", "prepare", "m1", [1]),
        InvalidInput,
        "data must be a mapping",
    ),
    (
        "data_keys_not_text",
        lambda e: e.fire("base", "prepare", "m1", {1: 2}),
        InvalidInput,
        "data must be a mapping",
    ),
    ("unknown_trigger", lambda e: e.fire("base", "explode", "m1"), InvalidInput, "unknown trigger"),
    ("unknown_instance", lambda e: e.fire("nope", "prepare", "m1"), NotFound, "no instance 'nope'"),
    (
        "naive_datetime_object",
        lambda e: e.start("commitment", "sec", {"body": "sc", "year": 2026, "due": NAIVE}),
        InvalidInput,
        "due 2026-03-10T09:00:00 has no time zone",
    ),
    (
        "naive_datetime_text",
        lambda e: e.start("commitment", "sec", {"body": "sc", "due": "2026-12-31T00:00"}),
        InvalidInput,
        "due 2026-12-31T00:00:00 has no time zone",
    ),
    (
        "datetime_not_a_date",
        lambda e: e.start("commitment", "sec", {"body": "sc", "due": 20261231}),
        InvalidInput,
        "due must be an ISO 8601 date-time with a time zone",
    ),
    (
        "integer_out_of_range",
        lambda e: e.start("commitment", "sec", {"body": "sc", "year": 2**60, "title": "T"}),
        InvalidInput,
        "year 1152921504606846976 is out of range",
    ),
    (
        "integer_a_boolean",
        lambda e: e.start("commitment", "sec", {"body": "sc", "year": True}),
        InvalidInput,
        "year must be a whole number",
    ),
    (
        "list_entry_too_long",
        lambda e: e.start("major_decision", "sec", {**MATTER, "candidates": ["c" * 65]}),
        InvalidInput,
        "candidates must be a list of texts of 1 to 64 characters",
    ),
    (
        "text_not_utf8",
        lambda e: e.start("major_decision", "sec", {**MATTER, "title": "a\udcffb"}),
        InvalidInput,
        "title is not valid Unicode text",
    ),
    (
        "instance_id_too_long",
        lambda e: e.start("major_decision", "sec", MATTER, instance_id="x" * 129),
        InvalidInput,
        "at most 128 characters",
    ),
    (
        "instance_id_with_nul",
        lambda e: e.start("major_decision", "sec", MATTER, instance_id="a\x00b"),
        InvalidInput,
        "instance_id must be printable",
    ),
    (
        "idempotency_key_with_nul",
        lambda e: e.fire("base", "prepare", "m1", idempotency_key="k\x00"),
        InvalidInput,
        "idempotency key",
    ),
    (
        "idempotency_key_not_text",
        lambda e: e.fire("base", "prepare", "m1", idempotency_key=7),
        InvalidInput,
        "idempotency key",
    ),
    ("get_id_not_utf8", lambda e: e.get("md\udcff"), CollegiumError, ""),
    ("history_id_with_nul", lambda e: e.history("md\x00"), CollegiumError, ""),
    ("instances_of_nul", lambda e: e.instances("major\x00decision") and None, CollegiumError, ""),
    (
        "find_by_a_number",
        lambda e: e.find("assignment", lead_member=5),
        InvalidInput,
        "lead_member must be text",
    ),
    (
        "find_by_unindexed_fact",
        lambda e: e.find("assignment", colour="red"),
        InvalidInput,
        "assignment indexes",
    ),
    (
        "run_due_naive",
        lambda e: e.run_due(NAIVE),
        InvalidInput,
        "until 2026-03-10T09:00:00 has no time zone",
    ),
    (
        "check_data_a_list",
        lambda e: e.check("base", "prepare", "m1", [1]),
        InvalidInput,
        "data must be a mapping",
    ),
    ("available_actor_empty", lambda e: e.available("base", " "), InvalidInput, "an actor"),
    ("clock_naive", lambda e: ManualClock(NAIVE), InvalidInput, "has no time zone"),
]


@pytest.mark.backend
@pytest.mark.parametrize(
    ("call", "kind", "needle"), [c[1:] for c in CALLS], ids=[c[0] for c in CALLS]
)
def test_bad_library_call_raises_a_typed_error_and_writes_nothing(
    sql_engine: Engine, call: Callable[[Engine], object], kind: type[CollegiumError], needle: str
) -> None:
    _at(sql_engine)
    before = sql_engine.verify_audit()
    version = sql_engine.get("base").version
    with bounded(memory=False):
        try:
            call(sql_engine)
        except kind as exc:
            assert needle in str(exc) and "\n" not in str(exc), str(exc)
        else:
            assert kind is CollegiumError, (
                "a bad call must be refused"
            )  # a lookup may also find nothing
    after = sql_engine.verify_audit()
    assert (after.ok, after.instances, after.events) == (True, before.instances, before.events)
    assert sql_engine.get("base").version == version


def test_the_corpus_has_at_least_60_cases() -> None:
    """Issue 6's acceptance: at least 60 bad inputs, each refused in one line without a write."""
    from tests._bad_input import corpus
    from tests.test_bad_input import GENERATED

    files = sum(len(corpus(kind)) for kind in ("procedure", "pack", "fragment", "body", "scenario"))
    assert files + len(GENERATED) + len(ARGUMENTS) + len(ABSENT) + len(CALLS) >= 60

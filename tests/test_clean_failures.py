"""Clean failures: each is a typed error in the library, and one line with exit code 2 on the
command line.

A file that is not a database, a handbook directory that cannot be written, a body or member that
does not validate, and values no message could show whole (nested 100,000 deep, an integer of
5,000 digits); and the journal the SIGKILL test reads, whose last line a kill may tear.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from pydantic import ValidationError

from collegium import Body, Engine, InvalidInput, ManualClock, Member, handbook
from collegium._brief import WIDTH, brief
from collegium.engine.registry import Registry
from tests._bad_input import error_line, run
from tests._command_worker import drop_torn_tail, read_journal
from tests.conftest import MATTER, START, propose


def nested(depth: int) -> list[Any]:
    value: list[Any] = []
    for _ in range(depth):
        value = [value]
    return value


DEEP = nested(100_000)
HUGE = 10**5000  # more digits than Python turns into text (4,300)


# -- a file that is not a database -------------------------------------------------------------
@pytest.mark.parametrize(
    "args", [["instances"], ["audit", "verify"], ["status", "md"], ["body", "show", "sc"]]
)
def test_a_file_that_is_not_a_database_exits_2_in_one_line(tmp_path: Path, args: list[str]) -> None:
    notes = tmp_path / "notes.txt"
    notes.write_text("minutes of the meeting, not a database\n" * 10, encoding="utf-8")
    before = notes.read_bytes()
    line = error_line(run("--db", notes, *args))
    assert "file is not a database" in line and str(notes) in line, line
    assert notes.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["notes.txt"]  # no WAL beside it


def test_opening_a_file_that_is_not_a_database_is_bad_input(tmp_path: Path) -> None:
    notes = tmp_path / "notes.txt"
    notes.write_text("not a database", encoding="utf-8")
    with pytest.raises(InvalidInput, match=r"cannot open database .*: file is not a database"):
        Engine.open(str(notes), clock=ManualClock(START))


# -- a handbook that cannot be written ---------------------------------------------------------
def test_an_unwritable_handbook_directory_exits_2_in_one_line(tmp_path: Path) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("x", encoding="utf-8")
    line = error_line(run("docs", "--out", blocker / "handbook"))  # a file where a directory is
    assert f"cannot write the handbook to {blocker / 'handbook'}: Not a directory" in line, line
    with pytest.raises(InvalidInput, match="cannot write the handbook"):
        handbook.write(Registry.builtin(), blocker / "handbook")


# -- bodies and members ------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("make", "needle"),
    [
        (lambda: Body(id="", kind="standing"), "Body id: String should have at least 1 character"),
        (
            lambda: Body(id="s\x00c", kind="standing"),
            "Body id: must be printable text",
        ),
        (
            lambda: Body(id="sc", kind="standing", members=[{"person": "m\x001", "role": "x"}]),
            "Body members[1].person: must be printable text",
        ),
        (
            lambda: Member(person="m\x001", role="standing_member"),
            "Member person: must be printable",
        ),
        (
            lambda: Member(person="m1", role="standing\x1bmember"),
            "Member role: must be printable",
        ),
        (
            lambda: Member(person="m1", role="x", voting="perhaps"),
            "Member voting: Input should be a valid boolean",
        ),
        (lambda: Body(id="sc"), "Body kind: Field required"),
    ],
)
def test_a_body_or_member_that_does_not_validate_is_bad_input_in_one_line(
    make: Any, needle: str
) -> None:
    with pytest.raises(InvalidInput) as exc:
        make()
    assert needle in str(exc.value) and "\n" not in str(exc.value), str(exc.value)


def test_validating_a_body_from_a_file_keeps_pydantics_error_for_the_file_and_line() -> None:
    data = {"id": "sc", "kind": "standing", "members": [{"person": "m\x001", "role": "x"}]}
    with pytest.raises(ValidationError):  # the loaders turn it into an error naming file and line
        Body.model_validate(data)


# -- values no message could show whole --------------------------------------------------------
def test_brief_shows_any_value_in_one_bounded_line() -> None:
    cyclic: list[Any] = [1]
    cyclic.append(cyclic)

    class Refuses:
        def __repr__(self) -> str:
            raise ValueError("no")

    values = {
        "deep": DEEP,
        "deep_mapping": {"a": {"b": {"c": {"d": 1}}}},
        "huge": HUGE,
        "negative": -HUGE,
        "cyclic": cyclic,
        "long": "x" * 10_000,
        "many": list(range(1000)),
        "refuses": Refuses(),
        "small": 2**60,
        "text": "m3 ",
    }
    assert {name: brief(value) for name, value in values.items()} == {
        "deep": "[[[[…]]]]",
        "deep_mapping": "{'a': {'b': {'c': {…}}}}",
        "huge": "<an integer of about 5001 digits>",
        "negative": "<an integer of about 5001 digits>",
        "cyclic": "[1, [1, [1, […]]]]",
        "long": "'" + "x" * (WIDTH - 2) + "…",
        "many": "[0, 1, 2, 3, …]",
        "refuses": "<Refuses>",
        "small": "1152921504606846976",
        "text": "'m3 '",
    }


def test_a_deep_or_huge_value_given_as_data_is_refused_in_one_short_line(
    sql_engine: Engine,
) -> None:
    engine = sql_engine
    iid = propose(engine)
    engine.fire(iid, "prepare", "m1")
    commitment = {"body": "sc", "year": 2026}
    deliberate, major = "start_deliberation", "major_decision"
    calls: dict[str, Any] = {
        "fire_deep_data": lambda: engine.fire(iid, deliberate, "m1", {"preparation": DEEP}),
        "fire_huge_data": lambda: engine.fire(iid, deliberate, "m1", {"preparation": HUGE}),
        "fire_deep_trigger": lambda: engine.fire(iid, DEEP, "m1"),
        "fire_huge_instance": lambda: engine.fire(HUGE, "prepare", "m1"),
        "check_deep_data": lambda: engine.check(iid, deliberate, "m1", {"preparation": DEEP}),
        "start_deep_title": lambda: engine.start(major, "sec", {**MATTER, "title": DEEP}),
        "start_huge_title": lambda: engine.start(major, "sec", {**MATTER, "title": HUGE}),
        "start_huge_year": lambda: engine.start("commitment", "sec", {**commitment, "year": HUGE}),
        "start_huge_due": lambda: engine.start("commitment", "sec", {**commitment, "due": HUGE}),
        "start_deep_id": lambda: engine.start(major, "sec", MATTER, instance_id=DEEP),
    }
    before = (engine.get(iid).version, len(engine.instances()))
    for name, call in calls.items():
        with pytest.raises(InvalidInput) as exc:
            call()
        message = str(exc.value)
        assert "\n" not in message and len(message) < 300, (name, message)
        shown = "[[[[…]]]]" if "deep" in name else "<an integer of about 5001 digits>"
        assert shown in message, (name, message)
    assert (engine.get(iid).version, len(engine.instances())) == before


# -- the SIGKILL test's journal ----------------------------------------------------------------
def test_a_journal_torn_in_its_last_line_reads_up_to_it_and_elsewhere_is_an_error(
    tmp_path: Path,
) -> None:
    journal = tmp_path / "worker-0.jsonl"
    whole = '{"i": 0}\n{"i": 0, "key": "k0", "resent": false, "result": "ok"}\n{"i": 1}\n'
    journal.write_text(whole + '{"i": 1, "key": "k1", "res', encoding="utf-8")  # killed meanwhile
    answered, unanswered, killed = read_journal(journal)
    assert ([a["i"] for a in answered], unanswered, killed) == ([0], {1}, {})
    drop_torn_tail(journal)  # as a worker does before it writes again
    assert journal.read_text(encoding="utf-8") == whole
    journal.write_text('{"i": 0}\n{"i": 0, "key": "k0", "res\n{"i": 1}\n', encoding="utf-8")
    with pytest.raises(ValueError, match="Unterminated string"):
        read_journal(journal)

"""The bad-input corpus, files (issue 6): procedures, rule packs, fragments, bodies and scenarios
that are malformed, huge, deeply nested, cyclic, of the wrong types, naming unknown states or rules,
or whose expressions reach for attributes, imports or very long evaluation.

Each is refused with a typed error in one line (library: :class:`DefinitionError`, naming the file
and where known the line) or with exit code 2 and one line ``collegium: error: …`` (CLI), within a
bounded time and memory, and nothing is written. The small files are in ``tests/data/bad/`` (each
says what its error must contain); huge and deep inputs are generated here. Command-line arguments
and library calls are in ``test_bad_input_cli.py``.
"""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Callable
from contextlib import closing
from pathlib import Path

import pytest

from collegium import DefinitionError, Registry
from collegium._loader import MAX_DEFINITION_BYTES, parse_yaml, read_text
from collegium.scenario import Scenario
from collegium.store import schema
from tests._bad_input import (
    BAD,
    PROCESS_RSS_BOUND_MB,
    TIME_BOUND,
    bounded,
    corpus,
    error_line,
    expectation,
    machine_bound,
    matches,
    one_line,
    run,
    run_process,
)

BASE_PACK = (BAD / "base" / "pack.yaml").read_text(encoding="utf-8")
BASE_PROCEDURE = (BAD / "base" / "procedure.yaml").read_text(encoding="utf-8")
BASE_SCENARIO = (BAD / "base" / "scenario.yaml").read_text(encoding="utf-8")
BODY = "id: sc\nkind: standing\nmembers:\n  - {person: sec, role: secretary}\n"


def _name(path: Path) -> str:
    return f"{path.parent.name}/{path.stem}"


# -- definitions, through the library --------------------------------------------------------------
@pytest.mark.parametrize("path", corpus("procedure"), ids=_name)
def test_bad_procedure_is_a_definition_error(path: Path) -> None:
    reg = Registry()
    reg.add_pack_text(BASE_PACK, "base/pack.yaml")
    source = f"procedure/{path.name}"
    with bounded(), pytest.raises(DefinitionError) as caught:
        reg.add_procedure_text(path.read_text(encoding="utf-8"), source)
    message = one_line(str(caught.value))
    assert message.startswith(source), message  # the file, then the line where it is known
    matches(expectation(path), message)
    assert reg.procedures() == []


@pytest.mark.parametrize("path", corpus("pack"), ids=_name)
def test_bad_rule_pack_is_a_definition_error(path: Path) -> None:
    """Loaded, then compiled with the procedure it judges: expressions are checked against its
    facts."""
    reg = Registry()
    with bounded(), pytest.raises(DefinitionError) as caught:
        reg.add_pack_text(path.read_text(encoding="utf-8"), f"pack/{path.name}")
        reg.add_procedure_text(BASE_PROCEDURE, "base/procedure.yaml")
    matches(expectation(path), one_line(str(caught.value)))


@pytest.mark.parametrize("path", corpus("fragment"), ids=_name)
def test_bad_fragment_is_a_definition_error(path: Path) -> None:
    reg = Registry()
    with bounded(), pytest.raises(DefinitionError) as caught:
        reg.add_fragment_text(path.read_text(encoding="utf-8"), f"fragment/{path.name}")
    matches(expectation(path), one_line(str(caught.value)))
    assert reg.fragments() == []


def test_the_base_definitions_of_the_corpus_are_valid() -> None:
    """Each case is one change away from these: they must load, or the cases would fail for another
    reason."""
    reg = Registry()
    reg.add_pack_text(BASE_PACK)
    reg.add_fragment_text((BAD / "base" / "fragment.yaml").read_text(encoding="utf-8"))
    assert reg.add_procedure_text(BASE_PROCEDURE).id == "tiny"
    assert Scenario.load(BASE_SCENARIO, "base/scenario.yaml").spec.steps


# -- definitions, through the command line ---------------------------------------------------------
def _refused_alone(path: Path) -> bool:
    """A rule pack whose error shows without a procedure ('procedures check' has none that uses
    pack 'tiny')."""
    try:
        Registry().add_pack_text(path.read_text(encoding="utf-8"))
    except DefinitionError:
        return True
    return False


#: 'procedures check' takes a file of kind fragment as a fragment: only the library's
#: add_procedure_text refuses it
LIBRARY_ONLY = {"fragment_as_procedure"}
CHECKED = [
    p
    for p in (*corpus("procedure"), *corpus("fragment"), *filter(_refused_alone, corpus("pack")))
    if p.stem not in LIBRARY_ONLY
]


@pytest.mark.parametrize("path", CHECKED, ids=_name)
def test_procedures_check_refuses_in_one_line(path: Path) -> None:
    """'collegium procedures check FILE': exit 2, one line (for a procedure of pack 'tiny', which is
    not built in, that may be the missing pack once the file itself is sound)."""
    with bounded(memory=False):
        line = error_line(run("procedures", "check", path))
    if path.parent.name != "procedure" or "no rule pack 'tiny'" not in line:
        assert str(path) in line or path.parent.name == "pack", line
        matches(expectation(path), line)


def _members(db: Path) -> list[tuple[object, ...]]:
    with closing(sqlite3.connect(db)) as conn:
        return conn.execute(
            f"SELECT * FROM {schema.members.name} ORDER BY body_id, position"
        ).fetchall()


@pytest.mark.parametrize("path", corpus("body"), ids=_name)
def test_bad_body_file_is_refused_and_nothing_is_written(path: Path, tmp_path: Path) -> None:
    good = tmp_path / "good.yaml"
    good.write_text(BODY, encoding="utf-8")
    db = tmp_path / "c.db"
    assert run("--db", db, "body", "define", good).exit_code == 0
    before = _members(db)
    with bounded(memory=False):
        line = error_line(run("--db", db, "body", "define", path))
    matches(expectation(path), line)
    assert _members(db) == before
    fresh = tmp_path / "fresh.db"
    error_line(run("--db", fresh, "body", "define", path))
    assert not fresh.exists()  # no database created for a body that is refused


@pytest.mark.parametrize("path", corpus("scenario"), ids=_name)
def test_bad_scenario_exits_2_naming_file_line_and_reason(path: Path) -> None:
    with bounded(memory=False):
        line = error_line(run("simulate", path))
    assert str(path) in line, line
    matches(expectation(path), line)


@pytest.mark.parametrize(
    "name",
    [
        "syntax_error",
        "two_actions_in_one_step",
        "start_without_time_zone",
        "python_tag",
        "cyclic_alias",
        "body_member_without_role",
    ],
)
def test_an_invalid_scenario_creates_no_database(name: str, tmp_path: Path) -> None:
    """A file refused when it is read writes nothing, not even an empty database where --db names
    none (a step refused later is refused after the steps before it were taken, each a command of
    its own)."""
    db = tmp_path / "scenario.db"
    error_line(run("--db", db, "simulate", BAD / "scenario" / f"{name}.yaml"))
    assert not db.exists()


# -- huge, deep and cyclic inputs, generated -------------------------------------------------------
def _laughs(levels: int = 9) -> str:
    """The billion laughs: each level an anchored list of ten aliases of the one before (10^9
    leaves)."""
    return "".join(
        f"l{i}: &l{i} [" + ", ".join([f"*l{i - 1}"] * 10 if i else ["lol"] * 10) + "]\n"
        for i in range(levels)
    )


def _alias_depth_chain() -> str:
    """Each anchor nests the one before one level deeper: shallow as written, 70 levels deep once
    expanded."""
    return "d0: &d0 [x]\n" + "".join(f"d{i}: &d{i} [*d{i - 1}]\n" for i in range(1, 70))


GENERATED: dict[str, tuple[str, Callable[[], str | bytes], str]] = {
    # name: (kind, the file's content, what the error says)
    "procedure_10_mb": (
        "procedure",
        lambda: BASE_PROCEDURE + "notes: |\n" + ("  " + "x" * 98 + "\n") * 100_000,
        rf"larger than {MAX_DEFINITION_BYTES} bytes",
    ),
    "procedure_long_line": (
        "procedure",
        lambda: BASE_PROCEDURE + "notes: " + "x" * 1_900_000 + "\n",
        r"unknown key 'notes'",
    ),
    "procedure_10000_nested_brackets": (
        "procedure",
        lambda: BASE_PROCEDURE + "x: " + "[" * 10_000 + "]" * 10_000,
        r":\d+: YAML nesting is too deep",
    ),
    "procedure_100_nested_mappings": (
        "procedure",
        lambda: (
            BASE_PROCEDURE
            + "".join(f"{'  ' * i}k{i}:\n" for i in range(100))
            + "  " * 100
            + "v: 1\n"
        ),
        r":\d+: YAML nesting is too deep",
    ),
    "procedure_billion_laughs": (
        "procedure",
        lambda: BASE_PROCEDURE + _laughs(),
        r":\d+: too many YAML nodes",
    ),
    "procedure_alias_fan_out": (
        "procedure",
        lambda: (
            BASE_PROCEDURE
            + "a: &a ["
            + ", ".join(["x"] * 1000)
            + "]\n"
            + "b: ["
            + ", ".join(["*a"] * 200)
            + "]\n"
        ),
        r"too many YAML nodes",
    ),
    "procedure_alias_depth": ("procedure", _alias_depth_chain, r"YAML nesting is too deep"),
    "procedure_150000_nodes": (
        "procedure",
        lambda: BASE_PROCEDURE + "x:\n" + "- 0\n" * 150_000,
        r":\d+: too many YAML nodes",
    ),
    "procedure_giant_integer": (
        "procedure",
        lambda: BASE_PROCEDURE.replace("version: 1", "version: " + "9" * 5000),
        r"YAML value cannot be read",
    ),
    "procedure_nul_byte": (
        "procedure",
        lambda: BASE_PROCEDURE + "x: \x00\n",
        r"unacceptable character #x0000",
    ),
    "procedure_not_utf8": (
        "procedure",
        lambda: BASE_PROCEDURE.encode() + b"x: caf\xe9\n",
        r"not UTF-8 text",
    ),
    "scenario_billion_laughs": (
        "scenario",
        lambda: BASE_SCENARIO + _laughs(),
        r"too many YAML nodes",
    ),
    "scenario_10_mb": (
        "scenario",
        lambda: BASE_SCENARIO + "#" + "x" * 10_000_000 + "\n",
        r"larger than",
    ),
    "body_billion_laughs": ("body", lambda: BODY + _laughs(), r"too many YAML nodes"),
}


def _write(tmp_path: Path, name: str) -> Path:
    _kind, content, _ = GENERATED[name]
    path = tmp_path / f"{name}.yaml"
    value = content()
    path.write_bytes(value if isinstance(value, bytes) else value.encode("utf-8"))
    return path


def _load(kind: str, path: Path) -> None:
    if kind == "procedure":
        Registry().load_procedure(path)
    elif kind == "scenario":
        Scenario.load(read_text(path), str(path))
    else:
        parse_yaml(read_text(path), str(path))


@pytest.mark.parametrize("name", GENERATED)
def test_huge_deep_or_cyclic_input_is_refused_in_bounded_time(name: str, tmp_path: Path) -> None:
    path = _write(tmp_path, name)
    kind, _, pattern = GENERATED[name]
    with (
        bounded(memory=False, limit=machine_bound()),
        pytest.raises(DefinitionError) as caught,
    ):  # memory: below
        _load(kind, path)
    matches(pattern, one_line(str(caught.value)))


@pytest.mark.parametrize("name", GENERATED)
def test_huge_deep_or_cyclic_input_in_its_own_process(name: str, tmp_path: Path) -> None:
    """The real command, in a process of its own: exit 2, one line, and bounded time and peak
    memory."""
    path = _write(tmp_path, name)
    kind, _, pattern = GENERATED[name]
    db = tmp_path / "c.db"
    args = {
        "procedure": ("procedures", "check", path),
        "scenario": ("--db", db, "simulate", path),
        "body": ("--db", db, "body", "define", path),
    }[kind]
    done = run_process(*args, cwd=tmp_path)
    assert done.code == 2, done.stderr
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("collegium: error: "), done.stderr
    matches(pattern, lines[0])
    assert done.seconds < TIME_BOUND + 5, f"{done.seconds:.1f} s"  # the bound, plus starting Python
    assert done.max_rss_mb < PROCESS_RSS_BOUND_MB, f"{done.max_rss_mb:.0f} MB"
    assert not db.exists()


@pytest.mark.skipif(not Path("/dev/zero").exists(), reason="no /dev/zero on this system")
def test_a_device_is_read_only_up_to_the_limit() -> None:
    """Its size says 0; reading it whole would never end."""
    with bounded(), pytest.raises(DefinitionError, match="larger than"):
        read_text("/dev/zero")
    with bounded(memory=False):
        error_line(run("procedures", "check", "/dev/zero"))


def test_yaml_is_read_only_through_the_bounded_loader() -> None:
    """No module of the package calls PyYAML's loaders itself: every file goes through _loader's
    limits."""
    package = Path(__file__).parents[1] / "collegium"
    for path in package.rglob("*.py"):
        if path.name != "_loader.py":
            text = path.read_text(encoding="utf-8")
            assert not re.search(r"yaml\.(safe_|full_|unsafe_)?load\b|yaml\.\w*Loader\b", text), (
                path
            )

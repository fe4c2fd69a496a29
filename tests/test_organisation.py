"""The engine knows no organisation: the procedures the supervision queries read, the reporting
calendar (its kinds, chair and due time with its UTC offset) and the commitments' outcomes are the
rule pack's declarations (``supervision``, ``reporting``), checked when loaded; a pack that declares
none of them gets a clear refusal from the query that needs one."""

from __future__ import annotations

import ast
import datetime as dt
import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from collegium import DefinitionError, Engine, InvalidInput, ManualClock, Registry
from collegium._reserved import RESERVED_ROLES
from collegium.engine import calendar, commitments, queries
from collegium.rules.facts import ENGINE_FACTS, RECORD_FACTS
from collegium.workflows.spec import EFFECT_INPUTS
from tests.conftest import CST, standing_committee

ENGINE = Path(__file__).parent.parent / "collegium" / "engine"
PACKS = Path(__file__).parent.parent / "collegium" / "rules" / "packs"
#: a UTC offset, alone or ending a time of day or a date-time (18:00+08:00)
OFFSET = re.compile(r"(?:[0-9T:.-]*[0-9])?(?:[+-]\d{2}:?\d{2}|Z)")
#: a zone of the time-zone database
ZONE = re.compile(
    r"(?:Africa|America|Antarctica|Asia|Atlantic|Australia|Europe|Indian|Pacific|Etc)"
    r"/[A-Za-z_+-]+"
)


def _docstrings(tree: ast.AST) -> set[int]:
    """The ids of the docstring nodes of a module, its classes and its functions."""
    out: set[int] = set()
    for node in ast.walk(tree):
        scopes = ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef
        if isinstance(node, scopes) and node.body:
            first = node.body[0]
            if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant):
                out.add(id(first.value))
    return out


def _strings(path: Path) -> Iterator[tuple[int, str]]:
    tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
    skip = _docstrings(tree)
    for node in ast.walk(tree):
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in skip:
            yield node.lineno, node.value


def _organisation() -> set[str]:
    """The names of the built-in organisation: its procedures and fragments, the roles of its pack
    and the kinds of body its calendar names, less the engine's own vocabulary that shares some of
    them (the facts ``meeting`` and ``ballot``, the input ``member``, the roles ``system`` and
    ``teller``)."""
    reg = Registry.builtin()
    pack = reg.pack("party-committee")
    assert pack.reporting is not None
    names = {p.id for p in reg.procedures()} | {f.id for f in reg.fragments()} | set(pack.roles)
    names |= {pack.reporting.body_kind, pack.reporting.plenary_kind}
    vocabulary = set(ENGINE_FACTS) | set(RECORD_FACTS) | set(RESERVED_ROLES)
    vocabulary |= {key for inputs in EFFECT_INPUTS.values() for key in inputs}
    return names - vocabulary


def test_no_engine_module_names_the_built_in_organisation_or_a_time_zone() -> None:
    """A string constant of ``collegium/engine/`` (docstrings aside) is neither a name of the
    built-in organisation (a procedure, a role, a kind of body) nor a UTC offset or a zone."""
    names = _organisation()
    assert {
        "assignment",
        "accountability",
        "report",
        "commitment",
        "major_decision",
        "secretary",
        "deputy_secretary",
        "standing_member",
        "standing",
        "plenary",
    } <= names
    found = [
        f"{path.relative_to(ENGINE.parent.parent)}:{line}: {value!r}"
        for path in sorted(ENGINE.rglob("*.py"))
        for line, value in _strings(path)
        if value in names or OFFSET.fullmatch(value) or ZONE.fullmatch(value)
    ]
    assert found == []


@pytest.mark.parametrize(
    "value", ["18:00+08:00", "+08:00", "2026-03-01T09:00+0800", "-05:00", "Asia/Shanghai"]
)
def test_the_scan_knows_an_offset_or_a_zone_when_it_sees_one(value: str) -> None:
    assert OFFSET.fullmatch(value) or ZONE.fullmatch(value)


def _undeclared() -> Registry:
    """The built-in definitions with a later pack version that declares neither supervision nor
    reporting."""
    reg = Registry.builtin()
    text = (PACKS / "party-committee.v2026.2.yaml").read_text(encoding="utf-8")
    reg.add_pack_text(text.replace('version: "2026.2"', 'version: "2027.1"', 1))  # not declared
    assert reg.pack("party-committee").supervision is None
    return reg


def test_a_pack_that_declares_nothing_gets_a_refusal_naming_the_declaration() -> None:
    clock = ManualClock(dt.datetime(2026, 3, 1, 9, tzinfo=CST))
    engine = Engine.in_memory(clock=clock, registry=_undeclared())
    engine.define_body(standing_committee())
    for call, what in (
        (lambda: queries.overdue_tasks(engine), "supervision.tasks"),
        (lambda: queries.member_targets(engine, "m1"), "supervision.tasks"),
        (lambda: queries.open_cases(engine), "supervision.cases"),
        (lambda: queries.reports_due(engine), "a reporting calendar"),
        (
            lambda: calendar.schedule_reports(engine, "sc", 2026, actor="sec"),
            "a reporting calendar",
        ),
        (lambda: commitments.commitments(engine, "sc", 2026), "supervision.commitments"),
    ):
        refusal = f"no loaded rule pack declares {what}; declare it in the pack"
        with pytest.raises(InvalidInput, match=refusal):
            call()


def _pack(old: str, new: str) -> str:
    text = (PACKS / "party-committee.yaml").read_text(encoding="utf-8")
    assert old in text
    return text.replace(old, new, 1).replace('version: "2026.10"', 'version: "2027.1"', 1)


@pytest.mark.parametrize(
    ("old", "new", "procedure", "message"),
    [
        (
            "open_states: [drafting, in_progress]",
            "open_states: [drafting, in_progres]",
            "assignment",
            "procedure assignment@2 has no state 'in_progres'",
        ),
        (
            "overdue_states: [overdue]",
            "overdue_states: [late]",
            "assignment",
            "has no state 'late'",
        ),
        (
            "open_states: [due]",
            "open_states: [pending]",
            "report",
            "procedure report@2 has no state 'pending'",
        ),
        (
            "      lapsed: {outcome: not_promised}",
            "      expired: {outcome: not_promised}",
            "commitment",
            "procedure commitment@1 has no state 'expired'",
        ),
    ],
)
def test_a_declared_state_the_procedure_lacks_is_refused_when_it_compiles(
    old: str, new: str, procedure: str, message: str
) -> None:
    reg = Registry.builtin()
    reg.add_pack_text(_pack(old, new))
    with pytest.raises(DefinitionError, match=re.escape(message)) as caught:
        reg.compiled(procedure)
    assert "party-committee@2027.1" in str(caught.value)


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        (
            "every: $democratic_life_interval_months",
            "every: $democratic_life_months",
            "reporting.kinds.democratic_life.every names parameter $democratic_life_months, "
            "which the pack does not have",
        ),
        (
            "due_time: $report_due_time",
            "due_time: '18:00'",
            "reporting.due_time '18:00' is not a time of day with its UTC offset",
        ),
        ("chair: secretary", "chair: chairman", "reporting.chair names role 'chairman'"),
        (
            "cases: {procedure: accountability}",
            "cases: {procedure: accountability, open_states: [open]}",
            "supervision.cases: unknown key 'open_states'",
        ),
    ],
)
def test_a_declaration_that_does_not_hold_is_refused_at_load(
    old: str, new: str, message: str
) -> None:
    with pytest.raises(DefinitionError, match=re.escape(message)):
        Registry().add_pack_text(_pack(old, new), "pack.yaml")


def test_a_literal_due_time_serves_as_well_as_a_parameter() -> None:
    reg = Registry.builtin()
    reg.add_pack_text(_pack("due_time: $report_due_time", "due_time: '17:30-05:00'"))
    clock = ManualClock(dt.datetime(2026, 1, 5, 9, tzinfo=CST))
    engine = Engine.in_memory(clock=clock, registry=reg)
    engine.define_body(standing_committee(4))
    first = calendar.obligations(engine, "sc", 2026)[0]
    assert first.due == dt.datetime(2026, 6, 30, 17, 30, tzinfo=dt.timezone(-dt.timedelta(hours=5)))
    assert (first.kind, first.label and first.label.zh) == ("half_year_work", "半年工作报告")


def test_the_names_the_engine_once_held_still_read_with_a_deprecation_warning() -> None:
    with pytest.deprecated_call(match="supervision.tasks.procedure"):
        assert queries.TASKS == "assignment"
    with pytest.deprecated_call(match="supervision.tasks.open_states"):
        assert queries.OPEN_TASK_STATES == ("drafting", "in_progress")
    with pytest.deprecated_call(match="supervision.cases.procedure"):
        assert queries.CASES == "accountability"
    with pytest.deprecated_call(match="reporting.procedure"):
        assert queries.REPORTS == "report"
    with pytest.deprecated_call(match="reporting.kinds"):
        kinds = calendar.KINDS
    assert list(kinds) == ["half_year_work", "democratic_life", "duty_integrity"]
    assert kinds["democratic_life"][1] == "democratic_life_interval_months"
    assert kinds["half_year_work"][0].en == "half-year work report"
    with pytest.deprecated_call(match="supervision.commitments.outcomes"):
        assert commitments.OUTCOMES["undelivered"].zh == "未兑现"
    with pytest.raises(AttributeError):
        getattr(queries, "NOT_A_NAME")  # noqa: B009

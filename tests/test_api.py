"""The public surface is pinned, imports stay lazy, and engine code never reads the wall clock."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import collegium

PACKAGE = Path(collegium.__file__).parent


def test_public_names_are_pinned() -> None:
    assert collegium.__all__ == [
        "AsyncEngine",
        "AsyncOutbox",
        "AuditError",
        "AuditFailed",
        "AuditReport",
        "Availability",
        "Ballot",
        "Body",
        "Checkpoint",
        "CheckpointProblem",
        "CheckpointReport",
        "Clock",
        "CollegiumError",
        "ConcurrentUpdate",
        "DefinitionError",
        "Directory",
        "Engine",
        "EventRecord",
        "FixedClock",
        "IdFactory",
        "Instance",
        "InvalidInput",
        "ManualClock",
        "Meeting",
        "Member",
        "MemoryStore",
        "NotFound",
        "Outbox",
        "OutboxEntry",
        "Outcome",
        "ProcedureSpec",
        "PublicKey",
        "RandomIds",
        "Refusal",
        "Registry",
        "Rejudged",
        "ReplayReport",
        "ReportData",
        "RulePackSpec",
        "RuleResult",
        "RuleSpec",
        "RuleViolation",
        "SequentialIds",
        "SigningKey",
        "SqlStore",
        "SystemClock",
        "TellerKey",
        "Text",
        "TimerRun",
        "TransitionNotAllowed",
        "UnknownDefinition",
        "Verdict",
        "rejudge",
        "render_report",
        "report_data",
        "report_html",
    ]
    for name in collegium.__all__:
        assert getattr(collegium, name) is not None


def test_every_error_has_one_root() -> None:
    for name in (
        "AuditError",
        "AuditFailed",
        "ConcurrentUpdate",
        "DefinitionError",
        "InvalidInput",
        "NotFound",
        "RuleViolation",
        "TransitionNotAllowed",
        "UnknownDefinition",
    ):
        assert issubclass(getattr(collegium, name), collegium.CollegiumError)


def test_import_is_lazy() -> None:
    code = (
        "import sys, collegium; "
        "print(any(m in sys.modules for m in ('sqlalchemy', 'transitions', 'pydantic')))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_engine_code_reads_no_wall_clock_and_draws_no_random_ids() -> None:
    forbidden = re.compile(
        r"datetime\.(now|utcnow|today)\(|\btime\.time\(|uuid\.uuid[14]\(|\brandom\."
    )
    offenders = []
    for path in PACKAGE.rglob("*.py"):
        if path.name in (
            "clock.py",
            "cli.py",
        ):  # the injected clock itself; the CLI chooses SystemClock
            continue
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if forbidden.search(line):
                offenders.append(f"{path.relative_to(PACKAGE)}:{number}: {line.strip()}")
    assert offenders == []

"""Collegium: a workflow and rules engine for collective decision procedures.

Procedures and rule packs are data (YAML); the engine compiles them into shared state machines,
checks every rule on every transition, explains each refusal with the rule and the clause it comes
from, and keeps every step in a hash-chained, tamper-evident log.

Names are imported lazily, so ``import collegium`` (and the CLI's ``--help``) stays fast.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

_EXPORTS: dict[str, str] = {
    "Engine": "collegium.engine.engine",
    "AsyncEngine": "collegium.engine.aio",
    "AsyncOutbox": "collegium.engine.aio",
    "Instance": "collegium.engine.engine",
    "Outcome": "collegium.engine.engine",
    "Availability": "collegium.engine.engine",
    "Ballot": "collegium.engine.ballots",
    "Meeting": "collegium.engine.ballots",
    "Registry": "collegium.engine.registry",
    "Body": "collegium.store.bodies",
    "Member": "collegium.store.bodies",
    "Directory": "collegium.engine.governance",
    "EventRecord": "collegium.store.records",
    "Outbox": "collegium.store.outbox",
    "OutboxEntry": "collegium.store.outbox",
    "AuditReport": "collegium.engine.audit",
    "Checkpoint": "collegium.engine.manifest",
    "CheckpointProblem": "collegium.engine.checkpoint",
    "CheckpointReport": "collegium.engine.checkpoint",
    "SigningKey": "collegium.engine.keys",
    "PublicKey": "collegium.engine.keys",
    "TellerKey": "collegium.engine.sealing",
    "MemoryStore": "collegium.store.memstore",
    "SqlStore": "collegium.store.sqlstore",
    "TimerRun": "collegium.engine.scheduler",
    "rejudge": "collegium.engine.rejudge",
    "Rejudged": "collegium.engine.rejudge",
    "ReplayReport": "collegium.engine.rejudge",
    "Clock": "collegium.engine.clock",
    "IdFactory": "collegium.engine.clock",
    "FixedClock": "collegium.engine.clock",
    "ManualClock": "collegium.engine.clock",
    "SystemClock": "collegium.engine.clock",
    "SequentialIds": "collegium.engine.clock",
    "RandomIds": "collegium.engine.clock",
    "Verdict": "collegium.rules.verdict",
    "RuleResult": "collegium.rules.verdict",
    "RulePackSpec": "collegium.rules.model",
    "RuleSpec": "collegium.rules.model",
    "ProcedureSpec": "collegium.workflows.spec",
    "Text": "collegium._i18n",
    "CollegiumError": "collegium.errors",
    "DefinitionError": "collegium.errors",
    "InvalidInput": "collegium.errors",
    "NotFound": "collegium.errors",
    "TransitionNotAllowed": "collegium.errors",
    "RuleViolation": "collegium.errors",
    "ConcurrentUpdate": "collegium.errors",
    "AuditError": "collegium.errors",
    "AuditFailed": "collegium.errors",
}

__all__ = [
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
    "Registry",
    "Rejudged",
    "ReplayReport",
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
    "Verdict",
    "rejudge",
]

if TYPE_CHECKING:
    from collegium._i18n import Text
    from collegium.engine.aio import AsyncEngine, AsyncOutbox
    from collegium.engine.audit import AuditReport
    from collegium.engine.ballots import Ballot, Meeting
    from collegium.engine.checkpoint import CheckpointProblem, CheckpointReport
    from collegium.engine.clock import (
        Clock,
        FixedClock,
        IdFactory,
        ManualClock,
        RandomIds,
        SequentialIds,
        SystemClock,
    )
    from collegium.engine.engine import Availability, Engine, Instance, Outcome
    from collegium.engine.governance import Directory
    from collegium.engine.keys import PublicKey, SigningKey
    from collegium.engine.manifest import Checkpoint
    from collegium.engine.registry import Registry
    from collegium.engine.rejudge import Rejudged, ReplayReport, rejudge
    from collegium.engine.scheduler import TimerRun
    from collegium.engine.sealing import TellerKey
    from collegium.errors import (
        AuditError,
        AuditFailed,
        CollegiumError,
        ConcurrentUpdate,
        DefinitionError,
        InvalidInput,
        NotFound,
        RuleViolation,
        TransitionNotAllowed,
    )
    from collegium.rules.model import RulePackSpec, RuleSpec
    from collegium.rules.verdict import RuleResult, Verdict
    from collegium.store.bodies import Body, Member
    from collegium.store.memstore import MemoryStore
    from collegium.store.outbox import Outbox, OutboxEntry
    from collegium.store.records import EventRecord
    from collegium.store.sqlstore import SqlStore
    from collegium.workflows.spec import ProcedureSpec


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'collegium' has no attribute {name!r}")
    value = getattr(import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted([*globals(), *__all__])

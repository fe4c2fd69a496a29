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
    "TimerRun": "collegium.engine.timers",
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
    "UnknownDefinition": "collegium.errors",
    "TransitionNotAllowed": "collegium.errors",
    "RuleViolation": "collegium.errors",
    "ConcurrentUpdate": "collegium.errors",
    "AuditError": "collegium.errors",
    "AuditFailed": "collegium.errors",
    "report_html": "collegium.htmlreport",
    "report_data": "collegium.htmlreport.gather",
    "render_report": "collegium.htmlreport.page",
    "ReportData": "collegium.htmlreport.records",
    "Refusal": "collegium.htmlreport.records",
    "minutes": "collegium.meetingrecord.gather",
    "Minutes": "collegium.meetingrecord.records",
    "minutes_markdown": "collegium.meetingrecord.render",
    "minutes_html": "collegium.meetingrecord.render",
    "BrokerUnavailable": "collegium.errors",
    "Relay": "collegium.relay.relay",
}

# Importable from ``collegium`` too, outside ``__all__``: what the command line needs beyond the
# names above (reading definition files, time parsing, the schema revision, a fragment's model, the
# files' JSON Schemas, the data each trigger takes, the secretary's office's queries and
# calendars, an event's stored verdict read back, the catalogue's messages, a citation in a
# language, a relay's target URL and passes), so that it imports no module of the engine itself.
# A name given as "module:attribute" is that module's attribute under another name.
_HELPERS: dict[str, str] = {
    "read_text": "collegium._loader",
    "parse_yaml": "collegium._loader",
    "validation_line": "collegium._brief",
    "parse_time": "collegium.engine.clock",
    "format_time": "collegium.engine.clock",
    "HEAD_REVISION": "collegium.store.schema",
    "FragmentSpec": "collegium.workflows.fragment",
    "json_schema": "collegium._schemas",
    "trigger_data": "collegium.engine.shapes",
    "overdue_tasks": "collegium.engine.queries",
    "member_targets": "collegium.engine.queries",
    "open_cases": "collegium.engine.queries",
    "reports_due": "collegium.engine.queries",
    "schedule_reports": "collegium.engine.calendar",
    "Scheduled": "collegium.engine.calendar",
    "commitments": "collegium.engine.commitments",
    "stored_results": "collegium.engine.replay",
    "run_pack_tests": "collegium.engine.packtests:run_tests",
    "builtin_pack_tests": "collegium.engine.packtests",
    "Message": "collegium._catalog",
    "cite": "collegium._i18n",
    "parse_target": "collegium.relay.target",
    "RelayPass": "collegium.relay.relay",
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
    "BrokerUnavailable",
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
    "Minutes",
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
    "Relay",
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
    "minutes",
    "minutes_html",
    "minutes_markdown",
    "rejudge",
    "render_report",
    "report_data",
    "report_html",
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
    from collegium.engine.sealing import TellerKey
    from collegium.engine.timers import TimerRun
    from collegium.errors import (
        AuditError,
        AuditFailed,
        BrokerUnavailable,
        CollegiumError,
        ConcurrentUpdate,
        DefinitionError,
        InvalidInput,
        NotFound,
        RuleViolation,
        TransitionNotAllowed,
    )
    from collegium.htmlreport import report_html
    from collegium.htmlreport.gather import report_data
    from collegium.htmlreport.page import render_report
    from collegium.htmlreport.records import Refusal, ReportData
    from collegium.meetingrecord.gather import minutes
    from collegium.meetingrecord.records import Minutes
    from collegium.meetingrecord.render import minutes_html, minutes_markdown
    from collegium.relay.relay import Relay
    from collegium.rules.model import RulePackSpec, RuleSpec
    from collegium.rules.verdict import RuleResult, Verdict
    from collegium.store.bodies import Body, Member
    from collegium.store.memstore import MemoryStore
    from collegium.store.outbox import Outbox, OutboxEntry
    from collegium.store.records import EventRecord
    from collegium.store.sqlstore import SqlStore
    from collegium.workflows.spec import ProcedureSpec

if TYPE_CHECKING:  # the helpers outside __all__: a redundant alias marks a name exported on purpose
    from collegium._brief import validation_line as validation_line
    from collegium._catalog import Message as Message
    from collegium._i18n import cite as cite
    from collegium._loader import parse_yaml as parse_yaml
    from collegium._loader import read_text as read_text
    from collegium._schemas import json_schema as json_schema
    from collegium.engine.calendar import Scheduled as Scheduled
    from collegium.engine.calendar import schedule_reports as schedule_reports
    from collegium.engine.clock import format_time as format_time
    from collegium.engine.clock import parse_time as parse_time
    from collegium.engine.commitments import commitments as commitments
    from collegium.engine.queries import member_targets as member_targets
    from collegium.engine.queries import open_cases as open_cases
    from collegium.engine.queries import overdue_tasks as overdue_tasks
    from collegium.engine.queries import reports_due as reports_due
    from collegium.engine.replay import stored_results as stored_results
    from collegium.engine.shapes import trigger_data as trigger_data
    from collegium.relay.relay import RelayPass as RelayPass
    from collegium.relay.target import parse_target as parse_target
    from collegium.store.schema import HEAD_REVISION as HEAD_REVISION
    from collegium.workflows.fragment import FragmentSpec as FragmentSpec


def __getattr__(name: str) -> Any:
    target = _EXPORTS.get(name) or _HELPERS.get(name)
    if target is None:
        raise AttributeError(f"module 'collegium' has no attribute {name!r}")
    module, _, attribute = target.partition(":")
    value = getattr(import_module(module), attribute or name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted([*globals(), *__all__])

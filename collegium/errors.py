"""Every exception Collegium raises, under one root.

::

    CollegiumError
    ├── DefinitionError         a procedure, rule pack or scenario file is invalid (load time)
    ├── InvalidInput            a command's arguments are wrong: unknown data key, bad type,
    │                           naive date
    ├── NotFound                no such instance, procedure, rule pack, body or rule
    ├── TransitionNotAllowed    the trigger does not leave the instance's current state
    ├── RuleViolation           a blocking rule failed; carries the full verdict
    ├── ConcurrentUpdate        the instance changed underneath and retries ran out
    ├── AuditError              the store cannot be read for an audit (not: the chain is broken,
    │                           which is a normal :class:`~collegium.engine.audit.AuditReport`)
    ├── AuditFailed             the audit fails, so what needs an intact store was refused
    │                           (signing a checkpoint); carries the report
    └── BrokerUnavailable       the message broker a relay delivers to cannot be reached, or
                                did not confirm a message (nothing unconfirmed is acknowledged)

A refused command never writes anything: each of these is raised before the store's transaction
commits, so state, version and events stay as they were.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from collegium._catalog import Message

if TYPE_CHECKING:
    from collegium.engine.audit import AuditReport
    from collegium.rules.verdict import Verdict

__all__ = [
    "AuditError",
    "AuditFailed",
    "BrokerUnavailable",
    "CollegiumError",
    "ConcurrentUpdate",
    "DefinitionError",
    "InvalidInput",
    "NotFound",
    "RuleViolation",
    "TransitionNotAllowed",
    "UnknownDefinition",
]


class CollegiumError(Exception):
    """Root of every error Collegium raises on purpose. ``str(error)`` is its message in English;
    :meth:`message` says it in another language when it was raised with a message of the
    catalogue (``collegium._catalog.Message``)."""

    #: Exit code the CLI uses for this kind of error (2: bad input, 1: refused).
    exit_code: int = 2

    def __init__(self, message: str | Message = "", *args: object) -> None:
        #: the message as raised, to say in another language (None: English text only)
        self.said = message if isinstance(message, Message) else None
        super().__init__(str(message), *args)

    def message(self, lang: str = "en") -> str:
        """The message in ``lang`` (``en`` or ``zh-CN``); English when it has no translation."""
        return self.said.say(lang) if self.said is not None else str(self)


class DefinitionError(CollegiumError):
    """A definition file (procedure, rule pack) is malformed or inconsistent.

    ``source`` names the file (or ``<string>``), ``line`` the 1-based line where known, and
    ``where`` the offending element (a state, a rule id, a key path). A place named in words
    rather than by a path (``built-in procedure major_decision``, ``rule pack
    party-committee@2026.10``, ``state 'voting'``) is given as a ``Message``, so that
    ``message(lang)`` says it in the error's language; ``source`` and ``where`` hold its English.
    """

    def __init__(
        self,
        reason: str | Message,
        *,
        source: str | Message = "<string>",
        line: int | None = None,
        where: str | Message | None = None,
    ) -> None:
        #: the reason in English; ``message(lang)`` says the whole error in another language
        self.reason = str(reason)
        #: the file, or the place named in words, in English
        self.source = str(source)
        #: ``source`` as given: a Message when the place is named in words
        self.place = source
        self.line = line
        #: the offending element, in English
        self.where = None if where is None else str(where)
        place = source if line is None else Message("{source}:{line}", source=source, line=line)
        if where:
            super().__init__(
                Message("{place}: {where}: {reason}", place=place, where=where, reason=reason)
            )
        else:
            super().__init__(Message("{place}: {reason}", place=place, reason=reason))


class InvalidInput(CollegiumError):
    """The arguments of a command are wrong (unknown data key, wrong type, date without time
    zone)."""


class NotFound(CollegiumError):
    """A named thing (instance, procedure, pack, body, rule) does not exist."""


class UnknownDefinition(NotFound):
    """No procedure or rule pack of this id is loaded (``kind``: ``procedure`` or ``pack``)."""

    def __init__(self, message: str | Message, *, kind: str, definition_id: str) -> None:
        self.kind = kind
        self.definition_id = definition_id
        super().__init__(message)


class TransitionNotAllowed(CollegiumError):
    """The trigger is not defined from the instance's current state."""

    exit_code = 1

    def __init__(
        self, message: str | Message, *, state: str, trigger: str, allowed: tuple[str, ...] = ()
    ) -> None:
        self.state = state
        self.trigger = trigger
        self.allowed = allowed
        super().__init__(message)


class RuleViolation(CollegiumError):
    """One or more blocking rules failed. ``verdict`` lists every rule, passed and failed."""

    exit_code = 1

    def __init__(self, verdict: Verdict, *, lang: str = "en") -> None:
        self.verdict = verdict
        super().__init__(self.message(lang))

    def message(self, lang: str = "en") -> str:
        """Each failed rule and what it found, in ``lang``."""
        parts = [f"{r.rule_id}: {r.message(lang)}" for r in self.verdict.failures]
        if not parts:
            return Message("refused by the rules").say(lang)
        return ("；" if lang == "zh-CN" else "; ").join(parts)


class ConcurrentUpdate(CollegiumError):
    """The instance was changed by another writer and the bounded retries ran out."""

    exit_code = 1


class AuditError(CollegiumError):
    """The audit log could not be read."""


class AuditFailed(CollegiumError):
    """The audit found the store altered, so a step that needs an intact store was refused
    (signing a checkpoint). ``report`` is the :class:`~collegium.engine.audit.AuditReport`."""

    exit_code = 1

    def __init__(self, message: str | Message, *, report: AuditReport) -> None:
        self.report = report
        super().__init__(message)


class BrokerUnavailable(CollegiumError):
    """The message broker a :class:`~collegium.relay.relay.Relay` delivers to could not be reached,
    stopped answering, or did not confirm a message (it refused it, or could route it nowhere). The
    entries it did not confirm stay in the outbox, unacknowledged, and are sent again on the next
    try."""

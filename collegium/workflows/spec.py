"""Procedure definitions as data: the frozen specification a procedure YAML file is parsed into.

A procedure is a state machine over a *matter* (议题) or any other governed thing. Its states carry
labels in both languages; its transitions say who may fire them (roles), which rules guard them,
which data they accept and which generic governance effects they apply (record a consultation, open
a meeting, cast a vote, tally, start a child procedure). Nothing here is specific to one
organisation.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Literal

from pydantic import Field, field_validator

from collegium._i18n import Text

# types shared with rule packs (FactType, Identifier and RuleId stay importable from here)
from collegium.definitions import FactType as FactType
from collegium.definitions import Identifier as Identifier
from collegium.definitions import RuleId as RuleId
from collegium.definitions import Spec as _Spec


class FactSpec(_Spec):
    """A named fact an instance may hold, with its type and (optionally) its allowed values."""

    type: FactType
    label: Text | None = None
    values: tuple[str, ...] | None = Field(
        default=None, description="allowed values of a string fact"
    )


class TimerSpec(_Spec):
    """A trigger fired by the engine when due: ``after`` a duration in the state, or ``at`` a
    datetime fact."""

    trigger: Identifier
    after: dt.timedelta | None = None
    at: Identifier | None = Field(default=None, description="name of a datetime fact")
    remind: tuple[dt.timedelta, ...] = Field(
        default=(),
        max_length=8,
        description="lead times (ISO 8601 durations such as P7D): a reminder event this long "
        "before the timer falls due, while the instance is still in the state",
    )


class StateSpec(_Spec):
    label: Text
    terminal: bool = False
    timers: tuple[TimerSpec, ...] = ()


class ConsultEffect(_Spec):
    """Individual deliberation (个别酝酿): record ``member``'s ``view`` in the instance."""

    kind: Literal["consult"]
    views: tuple[str, ...] = ("agree", "oppose", "reserve")


VoteMethod = Literal["oral", "show_of_hands", "named", "secret", "secret_electronic", "roll_call"]
VOTE_METHODS: tuple[VoteMethod, ...] = (
    "oral",
    "show_of_hands",
    "named",
    "secret",
    "secret_electronic",
    "roll_call",
)
#: how the ballot of each secret method is counted: paper ballots by the tellers (无记名投票,
#: 监票计票), or choices sealed to the tellers' key and opened at their count
#: (collegium.engine.sealing)
SECRET_COUNTING: dict[str, str] = {"secret": "tellers", "secret_electronic": "sealed"}


Option = Annotated[str, Field(pattern=r"^[a-z][a-z0-9_]*$", max_length=32)]


class BallotOptions(_Spec):
    """Ballot options that depend on a fact, e.g. personnel matters vote
    agree / disagree / defer."""

    fact: Identifier
    values: dict[str, tuple[Option, ...]]


class OpenMeetingEffect(_Spec):
    """Take the matter up at a meeting and open its ballot by ``method``. Either the matter has a
    meeting of its own — the body's membership frozen now, with ``attendance`` — or it is taken up
    at a sitting in session (``sitting``, see :class:`ConveneEffect`): the sitting's frozen
    membership and attendance, with this matter's ``recused`` members. A secret ballot names its
    ``tellers`` (监票人、计票人), who count it (:class:`CountEffect`): by method ``secret`` paper
    ballots, the store keeping only who returned one; by ``secret_electronic`` choices sealed to
    ``ballot_key``, the tellers' public key."""

    kind: Literal["open_meeting"]
    methods: tuple[VoteMethod, ...] = VOTE_METHODS
    default_method: VoteMethod = "named"
    options: BallotOptions | None = Field(
        default=None, description="options by fact; else the vote's choices"
    )
    items: Identifier | None = Field(
        default=None, description="a list fact: each element is voted on separately"
    )


class ConveneEffect(_Spec):
    """Open a sitting of the instance's body (a meeting with an agenda): freeze its membership and
    record ``attendance``. No ballot is opened: each matter on the agenda is taken up at the sitting
    (``open_meeting`` with ``sitting``) and has its own recusals, quorum and ballot."""

    kind: Literal["convene"]


ATTEND_STATUSES: tuple[str, ...] = ("present", "absent", "attendee")


class TakeUpEffect(_Spec):
    """Take the instance up at a sitting in session (``sitting``: a meeting of the instance's body
    convened with an agenda) without a ballot, as a report is heard or a sitting counted: the
    sitting's attendance is recorded with the step (the facts ``present``, ``n``, ``on_agenda``,
    ``sitting_state`` then read it), and the sitting joins the instance's ``sittings`` (once each).
    With ``required: false`` the step may also be taken without a sitting."""

    kind: Literal["take_up"]
    required: bool = True


class AttendEffect(_Spec):
    """Change one person's attendance at the sitting in session: a member arrives (``present``) or
    leaves (``absent``, with a ``reason``), or a non-member joins without a vote (``attendee``,
    列席). Matters taken up after the change see it; a matter already taken up keeps the attendance
    it was taken up with."""

    kind: Literal["attend"]


class StateViewEffect(_Spec):
    """At a meeting, record the view the actor states before the ballot (each member states a
    view)."""

    kind: Literal["state_view"]
    views: tuple[str, ...] = ("agree", "oppose", "reserve")


class CastVoteEffect(_Spec):
    """Record the actor's ``choice`` in the open ballot (one vote each; no proxies). ``choices`` are
    the default options; a ballot opened with options of its own (see :class:`BallotOptions`)
    accepts those instead."""

    kind: Literal["cast_vote"]
    choices: tuple[Option, ...] = ("agree", "oppose", "abstain")
    #: choices that record dissent on a named ballot (R-DISSENT)
    dissent: tuple[Option, ...] = ("oppose", "disagree")


class CountEffect(_Spec):
    """The tellers count a secret ballot (计票): for paper ballots they give the ``counts`` per
    option, blank and invalid ballots included, which must add up to the ballots returned; for an
    electronic ballot they give their ``teller_secret``, with which the sealed choices are opened
    and counted (the secret is never stored). The totals are then the ballot's, for
    :class:`TallyEffect` to judge."""

    kind: Literal["count_ballots"]


class TallyEffect(_Spec):
    """Close the ballot and store its counts, quorum and threshold figures in the decision
    record."""

    kind: Literal["tally"]


class SpawnEffect(_Spec):
    """Start a child instance of ``procedure``, linked back through fact ``link``, copying ``copy``
    facts.

    The child is proposed by the same actor and judged by its procedure's start rules; if they
    refuse, the whole step is refused."""

    kind: Literal["spawn"]
    procedure: Identifier
    link: Identifier
    copy_facts: tuple[Identifier, ...] = Field(default=(), alias="copy")
    #: keys of the command's payload handed to the child as its facts (typed by the child procedure)
    data: tuple[Identifier, ...] = ()
    #: facts the child starts with whatever the parent holds, e.g. ``{finding_kind: overdue_task}``
    set_facts: dict[Identifier, str] = Field(default_factory=dict, alias="set")
    #: child facts read from a dotted path in the parent's facts,
    #: e.g. ``{dissent: ballot.result.dissent}``
    copy_from: dict[
        Identifier, Annotated[str, Field(pattern=r"^[a-z][a-z0-9_]*(\.[a-z0-9_]+)*$")]
    ] = Field(default_factory=dict)


TARGET_KINDS: tuple[str, ...] = ("business", "public")


class SetTargetEffect(_Spec):
    """Set a measurable target of the instance (细化、量化、硬化): ``metric`` with its ``unit``,
    ``baseline`` and ``target`` value, typed ``target_kind`` (business 业务目标 / public 公共目标).
    Setting a metric again replaces it while no progress was reported on it."""

    kind: Literal["set_target"]


class ReportProgressEffect(_Spec):
    """Report the measured ``value`` of a target's ``metric``. Progress is derived from the targets
    (the engine fact ``progress``), never typed in."""

    kind: Literal["report_progress"]


class LogEffect(_Spec):
    """Append an entry (who, when, ``note``, ``members``, ``held_at``) to the instance's log
    ``log``: e.g. the special promotion meetings held on a task (专题推进会), or coordination
    between members (协调)."""

    kind: Literal["log"]
    log: Identifier


Effect = Annotated[
    ConsultEffect
    | OpenMeetingEffect
    | ConveneEffect
    | TakeUpEffect
    | AttendEffect
    | StateViewEffect
    | CastVoteEffect
    | CountEffect
    | TallyEffect
    | SpawnEffect
    | SetTargetEffect
    | ReportProgressEffect
    | LogEffect,
    Field(discriminator="kind"),
]

#: Data keys each effect kind reads from the command's payload, with their fact types.
EFFECT_INPUTS: dict[str, dict[str, FactType]] = {
    "consult": {"member": "string", "view": "string", "note": "string"},
    # either ``attendance`` (the matter's own meeting) or ``sitting`` (a meeting in session, with
    # ``recused``)
    "open_meeting": {
        "attendance": "mapping",
        "method": "string",
        "reasons": "mapping",
        "sitting": "string",
        "recused": "list",
        "tellers": "list",
        "ballot_key": "string",
    },
    "convene": {"attendance": "mapping", "reasons": "mapping"},
    "take_up": {"sitting": "string"},
    "attend": {"member": "string", "status": "string", "reason": "string"},
    "state_view": {"view": "string"},
    "cast_vote": {"choice": "string", "item": "string"},
    # counts: option (or, for a list, item) -> number (or option -> number); checked by the effect
    # itself
    "count_ballots": {"counts": "mapping", "teller_secret": "string"},
    "tally": {},
    "spawn": {},  # and the keys a spawn hands to its child, typed by the child procedure
    "set_target": {
        "metric": "string",
        "unit": "string",
        "baseline": "number",
        "target": "number",
        "target_kind": "string",
    },
    "report_progress": {"metric": "string", "value": "number", "note": "string"},
    "log": {"note": "string", "members": "list", "held_at": "datetime"},
}

#: Inputs an effect uses and nothing keeps: left out of the step's event (and so of the outbox), and
#: no rule may read them (the tellers' secret opens every sealed choice of a ballot).
TRANSIENT_INPUTS: frozenset[str] = frozenset({"teller_secret"})


def _as_tuple(value: Any) -> Any:
    return (value,) if isinstance(value, str) else value


# What ``_as_tuple`` accepts, as the JSON Schema describes the input (``json_schema_input_type``):
# a list, or its one element written alone (``source: voting``).
_StatesIn = Identifier | Annotated[list[Identifier], Field(min_length=1)]
_RolesIn = str | Annotated[list[str], Field(min_length=1)]


class TransitionSpec(_Spec):
    """One edge: ``trigger`` moves an instance from any of ``source`` to ``dest``.

    Several transitions may share a trigger and source when all but the last carry ``when``, a rule
    id: the first whose ``when`` rule passes is taken (e.g. a ballot closes as *adopted* when R-PASS
    holds, else as *rejected*).
    """

    trigger: Identifier
    source: tuple[Identifier, ...] = Field(min_length=1)
    dest: Identifier
    roles: tuple[str, ...] = Field(min_length=1, description="roles in the body that may fire it")
    rules: tuple[RuleId, ...] = ()
    when: RuleId | None = None
    data: tuple[Identifier, ...] = Field(
        default=(), description="facts this trigger sets from its payload"
    )
    effects: tuple[Effect, ...] = ()
    label: Text | None = None
    reenter: bool = Field(
        default=False,
        description="a step that stays in its state enters it again: the state's timers are set "
        "anew from the facts as the step leaves them (a cadence: the next briefing due)",
    )

    _source_list = field_validator("source", mode="before", json_schema_input_type=_StatesIn)(
        _as_tuple
    )
    _roles_list = field_validator("roles", mode="before", json_schema_input_type=_RolesIn)(
        _as_tuple
    )


class StartSpec(_Spec):
    """How an instance comes to be: the trigger name, who may start it, rules and accepted data."""

    trigger: Identifier = "start"
    roles: tuple[str, ...] = Field(min_length=1)
    rules: tuple[RuleId, ...] = ()
    data: tuple[Identifier, ...] = ()
    label: Text | None = None

    _roles_list = field_validator("roles", mode="before", json_schema_input_type=_RolesIn)(
        _as_tuple
    )


class IncludeSpec(_Spec):
    """Include a procedure fragment (e.g. the built-in ``ballot``), binding its parameters to this
    procedure.

    ``bind`` maps each parameter of the fragment to a state of this procedure (kind ``state``), a
    list of roles (``roles``) or a rule id (``rule``). The fragment's version is pinned, so a
    procedure version always means the same steps."""

    fragment: Identifier
    version: int = Field(ge=1, le=2**31 - 1)
    bind: dict[Identifier, str | tuple[str, ...]] = Field(default_factory=dict)


class ProcedureSpec(_Spec):
    """A whole procedure, as written in ``collegium/workflows/*.yaml``.

    Once loaded by the registry, the transitions of its ``include`` fragments are part of
    ``transitions`` (after the procedure's own), and states and facts the fragments declare are
    added where missing."""

    id: Identifier
    version: int = Field(
        ge=1, le=2**31 - 1, description="a whole number (the store keeps a 32-bit integer)"
    )
    title: Text
    description: Text | None = None
    rule_pack: str = Field(
        min_length=1, description="id of the rule pack that judges this procedure"
    )
    body_fact: Identifier = Field(
        default="body", description="fact naming the body whose roles apply"
    )
    facts: dict[Identifier, FactSpec] = Field(default_factory=dict)
    states: dict[Identifier, StateSpec] = Field(min_length=1)
    initial: Identifier
    start: StartSpec
    transitions: tuple[TransitionSpec, ...] = ()
    #: facts kept in the facts index for queries (a text, list or date-time fact: lead member,
    #: departments, deadline)
    index: tuple[Identifier, ...] = ()
    include: tuple[IncludeSpec, ...] = ()

    @property
    def key(self) -> str:
        """``id@version``, as instances and the stored definitions name it."""
        return f"{self.id}@{self.version}"

    def triggers(self) -> tuple[str, ...]:
        """Every trigger of the procedure, the start's first, each once."""
        seen: dict[str, None] = {self.start.trigger: None}
        for t in self.transitions:
            seen.setdefault(t.trigger, None)
        return tuple(seen)

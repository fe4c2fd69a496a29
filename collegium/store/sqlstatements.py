"""The statements of a command's unit, compiled once per dialect and run on the DBAPI cursor.

A command's hot path is a handful of short statements; SQLAlchemy's per-execution machinery costs
several times what the driver does for each, so every statement a common step runs (load, body,
instance update and insert, event and outbox, votes, seats and views, timers, the facts index) is
compiled here from its Core definition into text with its parameters in the driver's order. What
is rare (a secret ballot's count, a definition text first stored) goes through Core in the unit.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from operator import itemgetter
from typing import Any

from sqlalchemy import bindparam, case, delete, func, insert, select, update

from collegium.store import schema as s

_I, _E, _B, _M, _T, _S = s.instances, s.events, s.bodies, s.members, s.timers, s.seats
_FI, _BV, _V = s.facts_index, s.ballot_voters, s.votes

_LOAD = select(_I).where(_I.c.id == bindparam("id"))
_STATE = select(_I.c.state).where(_I.c.id == bindparam("id"))
_FIND = select(_E).where(
    _E.c.instance_id == bindparam("id"), _E.c.idempotency_key == bindparam("key")
)
_ENTERED = select(_T.c.entered_seq).where(
    _T.c.instance_id == bindparam("id"),
    _T.c.trigger == bindparam("trigger"),
    _T.c.lead_seconds == bindparam("lead"),
)
_DUE = (
    select(
        _T.c.instance_id, _T.c.trigger, _T.c.state, _T.c.due_at, _T.c.entered_seq, _T.c.lead_seconds
    )
    .where(_T.c.due_at <= bindparam("until"))
    .order_by(_T.c.due_at, _T.c.instance_id, _T.c.trigger, _T.c.lead_seconds)
    # SQLite renders an OFFSET with any LIMIT
    .limit(bindparam("limit"))
    .offset(bindparam("offset"))
)
_BODY = (
    select(_B.c.id, _B.c.kind, _B.c.title, _M.c.person, _M.c.role, _M.c.voting, _M.c.name)
    .select_from(_B.outerjoin(_M, _M.c.body_id == _B.c.id))
    .where(_B.c.id == bindparam("id"))
    .order_by(_M.c.position)
)
# the WHERE clause's parameters are named apart from the SET clause's columns
_UPDATE = (
    update(_I)
    .where(_I.c.id == bindparam("b_id"), _I.c.version == bindparam("b_expected"))
    .values(
        state=bindparam("state"),
        version=bindparam("version"),
        facts=bindparam("facts"),
        head_hash=bindparam("head_hash"),
        event_count=bindparam("event_count"),
        updated_at=bindparam("updated_at"),
    )
)
_INSERT_INSTANCE = insert(_I).values({c.name: bindparam(c.name) for c in _I.c})
_INSERT_EVENT = insert(_E).values({c.name: bindparam(c.name) for c in _E.c if c.name != "id"})
_INSERT_OUTBOX = insert(s.outbox).values(instance_id=bindparam("instance_id"), seq=bindparam("seq"))
# PostgreSQL: the event and its outbox entry in one round trip (a data-modifying WITH), where the
# others send two statements
_EVENT_FOR_OUTBOX = _INSERT_EVENT.returning(_E.c.instance_id, _E.c.seq).cte("written_event")
_INSERT_EVENT_AND_OUTBOX = insert(s.outbox).from_select(
    ["instance_id", "seq"], select(_EVENT_FOR_OUTBOX.c.instance_id, _EVENT_FOR_OUTBOX.c.seq)
)
_INSERT_VOTE = insert(_V).values(
    ballot_id=bindparam("ballot_id"), voter=bindparam("voter"), choice=bindparam("choice")
)
_VOTERS = select(_V.c.voter).where(_V.c.ballot_id == bindparam("ballot_id")).order_by(_V.c.voter)
_VOTED = select(_V.c.voter).where(
    _V.c.ballot_id == bindparam("ballot_id"), _V.c.voter == bindparam("voter")
)
_RETURNED = select(_BV.c.voter).where(
    _BV.c.ballot_id == bindparam("ballot_id"), _BV.c.voter == bindparam("voter")
)
_INSERT_RETURNED = insert(_BV).values(ballot_id=bindparam("ballot_id"), voter=bindparam("voter"))
_INSERT_SEALED = insert(s.sealed_votes).values(
    ballot_id=bindparam("ballot_id"), sealed=bindparam("sealed")
)
_SEAT = select(_S.c.role, _S.c.voting, _S.c.attendance, _S.c.view).where(
    _S.c.meeting_id == bindparam("meeting_id"), _S.c.person == bindparam("person")
)
_CHOICES = select(_V.c.voter, _V.c.choice).where(_V.c.ballot_id == bindparam("ballot_id"))
_SEAT_COUNTS = select(
    func.count(),
    func.sum(case((_S.c.attendance == "recused", 1), else_=0)),
    func.sum(case((_S.c.attendance == "present", 1), else_=0)),
    func.sum(case(((_S.c.attendance == "present") & _S.c.view.is_not(None), 1), else_=0)),
).where(_S.c.meeting_id == bindparam("meeting_id"), _S.c.voting.is_(True))
_COUNTS = (
    select(_V.c.choice, func.count())
    .where(_V.c.ballot_id == bindparam("ballot_id"))
    .group_by(_V.c.choice)
)
_SEATS = (
    select(_S.c.person, _S.c.role, _S.c.voting, _S.c.attendance, _S.c.view)
    .where(_S.c.meeting_id == bindparam("meeting_id"))
    .order_by(_S.c.seat_no)
)
_INSERT_SEAT = insert(_S).values(
    meeting_id=bindparam("meeting_id"),
    person=bindparam("person"),
    seat_no=bindparam("seat_no"),
    role=bindparam("role"),
    voting=bindparam("voting"),
    attendance=bindparam("attendance"),
)
_SEAT_WHERE = (_S.c.meeting_id == bindparam("b_meeting")) & (_S.c.person == bindparam("b_person"))
_UPDATE_VIEW = (
    update(_S).where(_SEAT_WHERE).values(view=bindparam("view"), view_at=bindparam("view_at"))
)
_UPDATE_ATTENDANCE = update(_S).where(_SEAT_WHERE).values(attendance=bindparam("attendance"))
_DUE_OF = (
    select(
        _T.c.instance_id, _T.c.trigger, _T.c.state, _T.c.due_at, _T.c.entered_seq, _T.c.lead_seconds
    )
    .where(_T.c.instance_id == bindparam("id"), _T.c.due_at <= bindparam("until"))
    .order_by(_T.c.due_at, _T.c.trigger, _T.c.lead_seconds)
)
_DROP_TIMER = delete(_T).where(
    _T.c.instance_id == bindparam("b_instance"),
    _T.c.trigger == bindparam("b_trigger"),
    _T.c.lead_seconds == bindparam("b_lead"),
    _T.c.entered_seq == bindparam("b_entered"),
)
_DELETE_TIMERS = delete(_T).where(_T.c.instance_id == bindparam("b_instance"))
_INSERT_TIMER = insert(_T).values(
    instance_id=bindparam("instance_id"),
    trigger=bindparam("trigger"),
    state=bindparam("state"),
    due_at=bindparam("due_at"),
    entered_seq=bindparam("entered_seq"),
    lead_seconds=bindparam("lead_seconds"),
)
_DELETE_INDEX = delete(_FI).where(_FI.c.instance_id == bindparam("b_instance"))
_INSERT_INDEX = insert(_FI).values(
    instance_id=bindparam("instance_id"),
    name=bindparam("name"),
    value=bindparam("value"),
    procedure=bindparam("procedure"),
)


class Compiled:
    """A Core statement compiled once for a dialect: its text, and its parameters as the driver
    takes them (a dict for named styles, a tuple in the statement's order for positional ones)."""

    __slots__ = ("_defaults", "_pick", "order", "sql")

    def __init__(self, statement: Any, dialect: Any) -> None:
        compiled = statement.compile(dialect=dialect)
        self.sql = str(compiled)
        # the statement's own literals (a CASE's values) are bound parameters too: their values
        # come with it
        self._defaults = {k: v for k, v in compiled.params.items() if v is not None}
        self.order: tuple[str, ...] | None = (
            tuple(compiled.positiontup) if compiled.positional else None
        )
        pick = itemgetter(*self.order) if self.order else None
        # itemgetter of one name returns the value itself, not a 1-tuple
        self._pick: Callable[[dict[str, Any]], Any] | None = (
            pick if pick is None or len(self.order or ()) > 1 else (lambda params: (pick(params),))
        )

    def args(self, params: dict[str, Any]) -> Any:
        """The parameters of one execution, as the driver takes them."""
        if self._defaults:
            params = {**self._defaults, **params}
        return params if self._pick is None else self._pick(params)

    def many(self, rows: Iterable[dict[str, Any]]) -> list[Any]:
        """The parameters of an ``executemany``, one entry a row."""
        return [self.args(row) for row in rows]


class Statements:
    """The compiled statements of one dialect."""

    def __init__(self, dialect: Any) -> None:
        def c(statement: Any) -> Compiled:
            return Compiled(statement, dialect)

        self._dialect = dialect
        self._choosing: dict[int, Compiled] = {}
        self.load = c(_LOAD)
        self.state = c(_STATE)
        self.load_locked = c(_LOAD.with_for_update())
        self.body = c(_BODY)
        self.update = c(_UPDATE)
        self.insert_instance = c(_INSERT_INSTANCE)
        self.insert_event = c(_INSERT_EVENT)
        self.insert_outbox = c(_INSERT_OUTBOX)
        self.insert_event_and_outbox = (
            c(_INSERT_EVENT_AND_OUTBOX) if dialect.name == "postgresql" else None
        )
        self.insert_vote = c(_INSERT_VOTE)
        self.voters = c(_VOTERS)
        self.voted = c(_VOTED)
        # a secret ballot's vote: did the member return a ballot; record that they did, and a
        # sealed choice
        self.returned = c(_RETURNED)
        self.insert_returned = c(_INSERT_RETURNED)
        self.insert_sealed = c(_INSERT_SEALED)
        self.choices = c(_CHOICES)
        self.seat = c(_SEAT)
        self.seats = c(_SEATS)
        self.seat_counts = c(_SEAT_COUNTS)
        self.counts = c(_COUNTS)
        self.insert_seat = c(_INSERT_SEAT)
        self.update_view = c(_UPDATE_VIEW)
        self.update_attendance = c(_UPDATE_ATTENDANCE)
        # a timer's step: find the due timers, check the timer's entry and whether its key was used
        self.due = c(_DUE)
        self.due_of = c(_DUE_OF)
        self.drop_timer = c(_DROP_TIMER)
        self.entered = c(_ENTERED)
        self.find = c(_FIND)
        # a state entered replaces the instance's timers; a step may replace its index rows
        self.delete_timers = c(_DELETE_TIMERS)
        self.insert_timer = c(_INSERT_TIMER)
        self.delete_index = c(_DELETE_INDEX)
        self.insert_index = c(_INSERT_INDEX)

    def voters_choosing(self, n: int) -> Compiled:
        """Who voted for one of ``n`` choices (``c0`` … ``c{n-1}``) on a ballot, in voter order."""
        found = self._choosing.get(n)
        if found is None:
            choices: list[Any] = [bindparam(f"c{i}") for i in range(n)]
            found = self._choosing[n] = Compiled(
                select(_V.c.voter)
                .where(_V.c.ballot_id == bindparam("ballot_id"), _V.c.choice.in_(choices))
                .order_by(_V.c.voter),
                self._dialect,
            )
        return found

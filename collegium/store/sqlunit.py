"""One command's unit of work on a SQL database: its reads and its write on one connection and
transaction.

The statements a common step runs are compiled once per dialect (:mod:`.sqlstatements`) and run on
the connection's DBAPI cursor, inside the unit's transaction; the rare ones (a secret ballot's
count, a definition text first stored, reading a history) go through SQLAlchemy Core. How the unit
writes is :mod:`.sqlwrite`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import orjson
from sqlalchemy import Connection, select

from collegium._catalog import Message
from collegium._i18n import Text
from collegium.errors import NotFound
from collegium.store import schema as s
from collegium.store.bodies import Body, Member
from collegium.store.records import (
    EventRecord,
    InstanceRecord,
    Seat,
    SeatCounts,
    TimerRecord,
)
from collegium.store.sqlrows import (
    instance_row,
    stored_event,
)
from collegium.store.sqlstatements import Compiled, Statements
from collegium.store.sqlwrite import UnitWrite


class SqlUnit(UnitWrite):
    """Reads and the write of one command on one connection, in one transaction (the write:
    :class:`~collegium.store.sqlwrite.UnitWrite`).

    The hot statements run on ``dbapi_conn``; a SQLAlchemy :class:`Connection` on the same
    connection and transaction is made by ``connect`` when a Core statement first needs one (a vote
    needs none), or given."""

    def __init__(
        self,
        dbapi_conn: Any,
        connect: Callable[[], Connection],
        write: bool,
        parsed: dict[str, tuple[Any, Body]],
        statements: Statements,
        *,
        lock_rows: bool,
        conn: Connection | None = None,
        bodies: dict[str, Body | None] | None = None,
    ) -> None:
        self._dbapi = dbapi_conn
        self._connect = connect
        self._conn = conn
        self.sql = statements
        self._load = statements.load_locked if write and lock_rows else statements.load
        #: bodies read by this unit (or by its batch, which no other writer can change meanwhile)
        self._bodies: dict[str, Body | None] = {} if bodies is None else bodies
        self._parsed = parsed
        self._cursor: Any = None
        self.closed_secret = False
        #: the events this unit wrote: the store hands them to its subscribers once the transaction
        #: commits
        self.written: list[EventRecord] = []

    @property
    def conn(self) -> Connection:
        """The SQLAlchemy connection of this unit, made on first use."""
        if self._conn is None:
            self._conn = self._connect()
        return self._conn

    @property
    def joined(self) -> Connection | None:
        """The SQLAlchemy connection if one was made (it then owns the pooled connection)."""
        return self._conn

    def _run(self, raw: Compiled, params: dict[str, Any]) -> Any:
        if self._cursor is None:
            self._cursor = self._dbapi.cursor()
        self._cursor.execute(raw.sql, raw.args(params))
        return self._cursor

    def _many(self, raw: Compiled, rows: list[dict[str, Any]]) -> None:
        if rows:
            if self._cursor is None:
                self._cursor = self._dbapi.cursor()
            self._cursor.executemany(raw.sql, raw.many(rows))

    def close(self) -> None:
        if self._cursor is not None:
            self._cursor.close()

    def load(self, instance_id: str) -> InstanceRecord:
        row = self._run(self._load, {"id": instance_id}).fetchone()
        if row is None:
            raise NotFound(Message("no instance {id!r}", id=instance_id))
        return instance_row(row)

    def state_of(self, instance_id: str) -> str | None:
        row = self._run(self.sql.state, {"id": instance_id}).fetchone()
        return None if row is None else str(row[0])

    def find_event(self, instance_id: str, idempotency_key: str) -> EventRecord | None:
        row = self._run(self.sql.find, {"id": instance_id, "key": idempotency_key}).fetchone()
        return None if row is None else stored_event(row)

    def body(self, body_id: str) -> Body | None:
        if body_id not in self._bodies:
            rows = self._run(self.sql.body, {"id": body_id}).fetchall()
            self._bodies[body_id] = _parse_body(body_id, rows, self._parsed)
        return self._bodies[body_id]

    def sealed(self, ballot_id: str) -> list[str]:
        t = s.sealed_votes
        return [
            str(x)
            for x in self.conn.execute(
                select(t.c.sealed).where(t.c.ballot_id == ballot_id)
            ).scalars()
        ]

    def effects_since(self, instance_id: str, seq: int) -> list[dict[str, Any]]:
        e = s.events
        q = (
            select(e.c.effects)
            .where(e.c.instance_id == instance_id, e.c.seq > seq)
            .order_by(e.c.seq)
        )
        return [orjson.loads(text) for text in self.conn.execute(q).scalars()]

    def voters(self, ballot_id: str, secret: bool) -> list[str]:
        if not secret:
            return [
                str(row[0])
                for row in self._run(self.sql.voters, {"ballot_id": ballot_id}).fetchall()
            ]
        t = s.ballot_voters
        q = select(t.c.voter).where(t.c.ballot_id == ballot_id).order_by(t.c.voter)
        return [str(v) for v in self.conn.execute(q).scalars()]

    def counts(self, ballot_id: str, secret: bool) -> dict[str, int]:
        if secret:
            c = s.ballot_counts
            rows = self.conn.execute(
                select(c.c.choice, c.c.count).where(c.c.ballot_id == ballot_id)
            )
        else:
            rows = self._run(self.sql.counts, {"ballot_id": ballot_id}).fetchall()
        return {str(choice): int(n) for choice, n in rows}

    def choices(self, ballot_id: str) -> dict[str, str]:
        rows = self._run(self.sql.choices, {"ballot_id": ballot_id}).fetchall()
        return {str(voter): str(choice) for voter, choice in rows}

    def has_voted(self, ballot_id: str, voter: str, secret: bool) -> bool:
        found = self._run(
            self.sql.returned if secret else self.sql.voted,
            {"ballot_id": ballot_id, "voter": voter},
        )
        return found.fetchone() is not None

    def seat(self, meeting_id: str, person: str) -> Seat | None:
        row = self._run(self.sql.seat, {"meeting_id": meeting_id, "person": person}).fetchone()
        # positional, in Seat's order: one a seat read, and a named tuple built by keyword costs
        # three times as much
        return None if row is None else Seat(str(row[0]), bool(row[1]), str(row[2]), row[3])

    def seats(self, meeting_id: str) -> dict[str, Seat]:
        rows = self._run(self.sql.seats, {"meeting_id": meeting_id}).fetchall()
        # positional, as in seat()
        return {str(p): Seat(str(r), bool(v), str(a), w) for p, r, v, a, w in rows}

    def seat_counts(self, meeting_id: str) -> SeatCounts:
        row = self._run(self.sql.seat_counts, {"meeting_id": meeting_id}).fetchone()
        voting, recused, present, stated = (int(value or 0) for value in row)
        return SeatCounts(voting=voting, recused=recused, present=present, stated=stated)

    def voters_choosing(self, ballot_id: str, choices: tuple[str, ...]) -> list[str]:
        if not choices:
            return []
        params = {"ballot_id": ballot_id, **{f"c{i}": c for i, c in enumerate(choices)}}
        rows = self._run(self.sql.voters_choosing(len(choices)), params).fetchall()
        return [str(row[0]) for row in rows]

    def timer_entered(self, instance_id: str, trigger: str, lead: int = 0) -> int | None:
        row = self._run(
            self.sql.entered, {"id": instance_id, "trigger": trigger, "lead": lead}
        ).fetchone()
        return None if row is None else int(row[0])

    def due_timers(self, until: str, limit: int) -> list[TimerRecord]:
        rows = self._run(self.sql.due, {"until": until, "limit": limit, "offset": 0}).fetchall()
        return [
            TimerRecord(
                instance_id=iid,
                trigger=trigger,
                state=state,
                due_at=due_at,
                entered_seq=int(seq),
                lead=int(lead),
            )
            for iid, trigger, state, due_at, seq, lead in rows
        ]

    def due_timers_of(self, instance_id: str, until: str) -> list[TimerRecord]:
        rows = self._run(self.sql.due_of, {"id": instance_id, "until": until}).fetchall()
        return [
            TimerRecord(
                instance_id=iid,
                trigger=trigger,
                state=state,
                due_at=due_at,
                entered_seq=int(seq),
                lead=int(lead),
            )
            for iid, trigger, state, due_at, seq, lead in rows
        ]

    def drop_timer(self, timer: TimerRecord) -> None:
        """Delete one timer (its row as set when its state was entered)."""
        self._run(
            self.sql.drop_timer,
            {
                "b_instance": timer.instance_id,
                "b_trigger": timer.trigger,
                "b_lead": timer.lead,
                "b_entered": timer.entered_seq,
            },
        )


def _parse_body(body_id: str, rows: list[Any], parsed: dict[str, tuple[Any, Body]]) -> Body | None:
    """A body from its joined rows ``(id, kind, title, person, role, voting, name)``. The rows are
    read every time (so changes by other processes show at once); the parsed :class:`Body` is reused
    while they are the same. Rows were validated when written, so they are not validated again."""
    if not rows:
        return None
    key = tuple(tuple(r) for r in rows)
    hit = parsed.get(body_id)
    if hit is not None and hit[0] == key:
        return hit[1]
    _, kind, title_json, *_rest = rows[0]
    title = Text.model_validate(orjson.loads(title_json)) if title_json else None
    members = tuple(
        Member.model_construct(person=person, role=role, voting=bool(voting), name=name)
        for _, _, _, person, role, voting, name in rows
        if person is not None
    )
    body = Body.model_construct(id=body_id, kind=kind, title=title, members=members)
    parsed[body_id] = (key, body)
    return body

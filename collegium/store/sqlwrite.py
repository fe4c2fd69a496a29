"""A SQL unit's write: one command's :class:`~collegium.store.protocol.Write` put into the unit's
transaction (:class:`UnitWrite`, a part of :class:`~collegium.store.sqlunit.SqlUnit`).

The instance's version-guarded UPDATE, the new instances, the events and their outbox entries, the
seats, views and attendance of a meeting, the facts index, votes and a secret ballot's rows, the
definition texts first stored and the timers, in that order. The common statements are compiled
ones (:mod:`.sqlstatements`) on the unit's DBAPI cursor; the rare ones go through SQLAlchemy Core.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection, delete, insert, select, update
from sqlalchemy.dialects import mysql, postgresql, sqlite

from collegium._formats import canonical
from collegium.store import schema as s
from collegium.store.protocol import StaleVersion, Write
from collegium.store.records import EventRecord, VoteRecord
from collegium.store.sqlrows import event_values, instance_values
from collegium.store.sqlstatements import Compiled, Statements


class UnitWrite:
    """How a unit writes a command's :class:`Write`, on the unit's connection and transaction."""

    sql: Statements
    #: the events this unit wrote: the store hands them to its subscribers once the transaction
    #: commits
    written: list[EventRecord]
    #: whether this unit counted, discarded or closed a secret ballot (on SQLite the store then
    #: drops the write-ahead log once committed)
    closed_secret: bool

    @property
    def conn(self) -> Connection:
        raise NotImplementedError

    def _run(self, raw: Compiled, params: dict[str, Any]) -> Any:
        raise NotImplementedError

    def _many(self, raw: Compiled, rows: list[dict[str, Any]]) -> None:
        raise NotImplementedError

    def commit(self, write: Write) -> None:
        if write.update is not None:
            rec = write.update
            result = self._run(
                self.sql.update,
                {
                    "b_id": rec.id,
                    "b_expected": write.expected_version,
                    "state": rec.state,
                    "version": rec.version,
                    "facts": rec.facts_json or canonical(rec.facts),
                    "head_hash": rec.head_hash,
                    "event_count": rec.event_count,
                    "updated_at": rec.updated_at,
                },
            )
            if result.rowcount != 1:
                raise StaleVersion(rec.id)
        for created in write.create:
            self._run(self.sql.insert_instance, instance_values(created))
        both = self.sql.insert_event_and_outbox
        for e in write.events:
            # the outbox entry, in the same transaction: in the same statement where the database
            # takes one
            if both is not None:
                self._run(both, event_values(e))
                continue
            self._run(self.sql.insert_event, event_values(e))
            self._run(self.sql.insert_outbox, {"instance_id": e.instance_id, "seq": e.seq})
        self.written.extend(write.events)
        if write.seats:
            self._many(
                self.sql.insert_seat,
                [
                    {
                        "meeting_id": r.meeting,
                        "person": r.person,
                        "seat_no": i,
                        "role": r.role,
                        "voting": r.voting,
                        "attendance": r.attendance,
                    }
                    for i, r in enumerate(write.seats)
                ],
            )
        for stated in write.views:
            self._run(
                self.sql.update_view,
                {
                    "b_meeting": stated.meeting,
                    "b_person": stated.person,
                    "view": stated.view,
                    "view_at": stated.at,
                },
            )
        for changed in write.attendance:
            self._run(
                self.sql.update_attendance,
                {
                    "b_meeting": changed.meeting,
                    "b_person": changed.person,
                    "attendance": changed.attendance,
                },
            )
        for instance_id, index in write.index.items():
            self._run(self.sql.delete_index, {"b_instance": instance_id})
            self._many(
                self.sql.insert_index,
                [
                    {
                        "instance_id": instance_id,
                        "name": row.name,
                        "value": row.value,
                        "procedure": index.procedure,
                    }
                    for row in index.rows
                ],
            )
        c = s.ballot_counts
        for vote in write.votes:
            self._cast(vote)
        self._secret(write)
        for key in write.secret_closed:
            # written again at the close: on PostgreSQL no total keeps the transaction id of the
            # last vote
            self.conn.execute(update(c).where(c.c.ballot_id == key).values(count=c.c.count))
            self.closed_secret = True
        d = s.definitions
        for text in write.definitions:
            found = select(d.c.sha256).where(d.c.kind == text.kind, d.c.key == text.key)
            if self.conn.execute(found).first() is None:
                # another process's first step may store the same text at the same moment: its
                # row stands
                self.conn.execute(
                    _insert_absent(self.conn.dialect.name),
                    [
                        {
                            "kind": text.kind,
                            "key": text.key,
                            "sha256": text.sha256,
                            "text": text.text,
                        }
                    ],
                )
        for instance_id, timers in write.timers.items():
            self._run(self.sql.delete_timers, {"b_instance": instance_id})
            self._many(
                self.sql.insert_timer,
                [
                    {
                        "instance_id": t.instance_id,
                        "trigger": t.trigger,
                        "state": t.state,
                        "due_at": t.due_at,
                        "entered_seq": t.entered_seq,
                        "lead_seconds": t.lead,
                    }
                    for t in timers
                ],
            )

    def _cast(self, vote: VoteRecord) -> None:
        if not vote.secret:
            self._run(
                self.sql.insert_vote,
                {"ballot_id": vote.ballot_id, "voter": vote.voter, "choice": vote.choice},
            )
            return
        conn = self.conn
        # who took part, and a running total per choice: nothing in either row says who chose what
        conn.execute(insert(s.ballot_voters), {"ballot_id": vote.ballot_id, "voter": vote.voter})
        c = s.ballot_counts
        where = (c.c.ballot_id == vote.ballot_id) & (c.c.choice == vote.choice)
        if conn.execute(update(c).where(where).values(count=c.c.count + 1)).rowcount == 0:
            conn.execute(
                insert(c), {"ballot_id": vote.ballot_id, "choice": vote.choice, "count": 1}
            )

    def _secret(self, write: Write) -> None:
        """A secret ballot's rows: who returned a ballot and a vote's sealed choice, each in the
        voter's own transaction; the totals written and the sealed choices deleted by the count, in
        the tellers'."""
        for returned in write.returned:  # one a step: the compiled statement, on the DBAPI cursor
            self._run(
                self.sql.insert_returned, {"ballot_id": returned.ballot, "voter": returned.voter}
            )
        for choice in write.sealed:
            self._run(self.sql.insert_sealed, {"ballot_id": choice.ballot, "sealed": choice.sealed})
        for key, totals in write.counted.items():
            self.conn.execute(
                insert(s.ballot_counts),
                [{"ballot_id": key, "choice": choice, "count": n} for choice, n in totals.items()],
            )
        for key in (*write.counted, *write.discarded):
            self.conn.execute(delete(s.sealed_votes).where(s.sealed_votes.c.ballot_id == key))
            self.closed_secret = True


def _insert_absent(dialect: str) -> Any:
    """An INSERT of a definition text that leaves the row of the same key, if there is one, as it
    is."""
    d = s.definitions
    if dialect == "postgresql":
        return postgresql.insert(d).on_conflict_do_nothing()
    if dialect == "sqlite":
        return sqlite.insert(d).on_conflict_do_nothing()
    # MariaDB: a no-op update of the row found
    return mysql.insert(d).on_duplicate_key_update(sha256=d.c.sha256)

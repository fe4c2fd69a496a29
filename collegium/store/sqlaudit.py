"""The SQL store's reads for the audit: every instance, event, chain head, audited row and body as
stored, each read on one connection (:class:`AuditReads`, a part of
:class:`~collegium.store.sqlstore.SqlStore`)."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import AbstractContextManager
from typing import Any

from sqlalchemy import Connection, select
from sqlalchemy.exc import SQLAlchemyError

from collegium._catalog import Message
from collegium.errors import AuditError
from collegium.store import schema as s
from collegium.store import sqlbodies, sqlheads
from collegium.store.bodychain import BodyEvent, StoredBody
from collegium.store.heads import ChainHead, StoredHead
from collegium.store.protocol import AUDITED
from collegium.store.records import EventRecord, InstanceRecord
from collegium.store.sqlrows import event_row, instance_row


class AuditReads:
    """What the audit reads from a SQL store; a read that fails raises :class:`AuditError`."""

    def _connect(self) -> AbstractContextManager[Connection]:
        raise NotImplementedError

    def iter_instances(self) -> Iterator[InstanceRecord]:
        try:
            with self._connect() as conn:
                for row in conn.execute(select(s.instances).order_by(s.instances.c.id)):
                    yield instance_row(row)
        except (SQLAlchemyError, ValueError) as exc:
            raise AuditError(Message("cannot read instances: {error}", error=exc)) from None

    def iter_events(self) -> Iterator[EventRecord]:
        try:
            with self._connect() as conn:
                for row in conn.execute(select(s.events).order_by(s.events.c.id)):
                    yield event_row(row)
        except (SQLAlchemyError, ValueError) as exc:
            raise AuditError(Message("cannot read events: {error}", error=exc)) from None

    def chain_heads(self) -> Iterator[ChainHead]:
        try:
            with self._connect() as conn:
                yield from sqlheads.chain_heads(conn)
        except (SQLAlchemyError, ValueError) as exc:
            raise AuditError(Message("cannot read the chains' heads: {error}", error=exc)) from None

    def stored_heads(self, heads: Sequence[ChainHead]) -> list[StoredHead]:
        try:
            with self._connect() as conn:
                return sqlheads.stored_heads(conn, heads)
        except (SQLAlchemyError, ValueError) as exc:
            raise AuditError(
                Message("cannot look up the chains' heads: {error}", error=exc)
            ) from None

    def audit_rows(self, table: str) -> Iterator[tuple[Any, ...]]:
        t = s.metadata.tables[f"{s.PREFIX}{table}"]
        q = select(*(t.c[name] for name in AUDITED[table])).order_by(*t.primary_key.columns)
        try:
            with self._connect() as conn:
                for row in conn.execute(q):
                    yield tuple(row)
        except SQLAlchemyError as exc:
            raise AuditError(
                Message("cannot read {table}: {error}", table=t.name, error=exc)
            ) from None

    def body_events(self) -> Iterator[BodyEvent]:
        try:
            with self._connect() as conn:
                yield from sqlbodies.body_events(conn)
        except SQLAlchemyError as exc:
            raise AuditError(Message("cannot read body events: {error}", error=exc)) from None

    def stored_bodies(self) -> Iterator[StoredBody]:
        try:
            with self._connect() as conn:
                yield from sqlbodies.stored_bodies(conn)
        except (SQLAlchemyError, ValueError) as exc:
            raise AuditError(Message("cannot read bodies: {error}", error=exc)) from None

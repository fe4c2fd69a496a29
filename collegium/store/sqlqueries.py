"""The SQL store's queries over instances and their histories, each a short read of its own
(:class:`InstanceQueries`, a part of :class:`~collegium.store.sqlstore.SqlStore`): an instance's
events, the instances of a procedure or state, those found by their indexed facts, and a scan of
them all in keyset pages that holds no connection or lock between pages."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from contextlib import AbstractContextManager
from typing import Any

from sqlalchemy import Connection, select, tuple_

from collegium._catalog import Message
from collegium.errors import NotFound
from collegium.store import schema as s
from collegium.store.records import EventRecord, InstanceRecord
from collegium.store.sqlrows import event_row, instance_row


class InstanceQueries:
    """Instances and events as the engine's queries read them; a database error is reported as the
    store reports it."""

    def _reading(self) -> AbstractContextManager[Connection]:
        raise NotImplementedError

    def history(self, instance_id: str) -> list[EventRecord]:
        e = s.events
        with self._reading() as conn:
            rows = conn.execute(
                select(e).where(e.c.instance_id == instance_id).order_by(e.c.seq)
            ).all()
            found = (
                rows
                or conn.execute(
                    select(s.instances.c.id).where(s.instances.c.id == instance_id)
                ).first()
            )
            if not found:
                raise NotFound(Message("no instance {id!r}", id=instance_id))
        return [event_row(r) for r in rows]

    def instances(
        self, procedure: str | None = None, state: str | None = None, limit: int | None = None
    ) -> list[InstanceRecord]:
        t = s.instances
        q = select(t).order_by(t.c.created_at, t.c.id)
        if procedure is not None:
            q = q.where(t.c.procedure == procedure)
        if state is not None:
            q = q.where(t.c.state == state)
        if limit is not None:
            q = q.limit(limit)
        with self._reading() as conn:
            return [instance_row(r) for r in conn.execute(q)]

    def find(
        self,
        procedure: str,
        states: tuple[str, ...] | None = None,
        equals: Mapping[str, str] | None = None,
        before: tuple[str, str] | None = None,
    ) -> list[InstanceRecord]:
        t, fi = s.instances, s.facts_index
        q = select(t).where(t.c.procedure == procedure)
        if states is not None:
            q = q.where(t.c.state.in_(states))
        # joined, not correlated EXISTS: SQLite ran an EXISTS once per instance of the procedure,
        # each a range scan of the lookup index (before: 100,000 open tasks × the tasks past a
        # deadline); joined, the matching index rows drive the query and each instance is fetched
        # by id. (instance, name, value) is the index's key, so an equality matches at most once
        # per instance; a range may match several values of a list: DISTINCT.
        for name, value in (equals or {}).items():
            hit = (
                select(fi.c.instance_id)
                .where(fi.c.procedure == procedure, fi.c.name == name, fi.c.value == value)
                .subquery()
            )
            q = q.join(hit, hit.c.instance_id == t.c.id)
        if before is not None:
            below = (
                select(fi.c.instance_id)
                .distinct()
                .where(fi.c.procedure == procedure, fi.c.name == before[0], fi.c.value < before[1])
                .subquery()
            )
            q = q.join(below, below.c.instance_id == t.c.id)
        with self._reading() as conn:
            return [instance_row(r) for r in conn.execute(q.order_by(t.c.created_at, t.c.id))]

    def scan(
        self,
        procedure: str | None = None,
        state: str | None = None,
        batch: int = 1000,
        after: tuple[str, str, str] | None = None,
    ) -> Iterator[InstanceRecord]:
        # keyset pages, each its own short read (no connection or lock held between pages) and an
        # index range read whatever the table's size: by primary key, or by (procedure, state, id)
        # one group at a time; ``after`` starts past an earlier scan's last (procedure, state, id)
        t = s.instances
        if procedure is None and state is None:
            yield from self._pages(select(t), batch, after[2] if after else None)
            return
        groups = select(t.c.procedure, t.c.state).distinct().order_by(t.c.procedure, t.c.state)
        groups = groups.where(t.c.procedure == procedure) if procedure is not None else groups
        groups = groups.where(t.c.state == state) if state is not None else groups
        if after is not None:
            groups = groups.where(tuple_(t.c.procedure, t.c.state) >= tuple_(after[0], after[1]))
        with self._reading() as conn:
            found = [tuple(g) for g in conn.execute(groups)]
        for p, st in found:
            start = after[2] if after is not None and (p, st) == after[:2] else None
            yield from self._pages(
                select(t).where(t.c.procedure == p, t.c.state == st), batch, start
            )

    def _pages(self, q: Any, batch: int, after: str | None = None) -> Iterator[InstanceRecord]:
        t = s.instances
        q = q.order_by(t.c.id).limit(batch)
        while True:
            with self._reading() as conn:
                page = [
                    instance_row(r)
                    for r in conn.execute(q if after is None else q.where(t.c.id > after))
                ]
            if len(page) < batch:
                yield from page
                return
            after = page[-1].id
            yield from page
            page = []  # let this page go before the next one is read: one page in memory at a time

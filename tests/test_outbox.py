"""The outbox and subscribers (issue 7, point 3): every committed event is delivered once per
acknowledgement, in commit order, across a worker restart; subscribers are called after commit, and
their errors are reported."""

from __future__ import annotations

import logging

import pytest
import sqlalchemy as sa
from sqlalchemy.orm import Session

from collegium import Engine, EventRecord, InvalidInput, ManualClock, RuleViolation, SequentialIds
from collegium.store.outbox import OutboxEntry
from tests.conftest import consult_all, propose, standing_committee, to_deliberation


def _events(engine: Engine) -> list[tuple[str, int]]:
    """Every event in the store, in the order it was written."""
    return [(e.instance_id, e.seq) for e in engine.store.iter_events()]


def _work(engine: Engine) -> None:
    """Several instances, interleaved, a refused command (no event) and a step that starts a
    child."""
    a = to_deliberation(engine)
    b = propose(engine, title="Second matter")
    engine.fire(b, "prepare", "m1")
    with pytest.raises(RuleViolation):
        engine.fire(a, "schedule", "sec", {"meeting_at": "2026-03-10T09:00+08:00"})
    consult_all(engine, a)
    engine.fire(b, "withdraw", "sec")


def _worker_drains(engine: Engine, batch: int, crash_after: int | None = None) -> list[OutboxEntry]:
    """A worker: reads pending entries, 'sends' them and acknowledges each batch; with
    ``crash_after`` it dies after sending that many, before acknowledging the batch they are in."""
    sent: list[OutboxEntry] = []
    while entries := engine.outbox.pending(batch):
        for entry in entries:
            sent.append(entry)
            if crash_after is not None and len(sent) == crash_after:
                return sent
        assert engine.outbox.ack(entries) == len(entries)
    return sent


def test_every_event_delivered_once_per_ack_in_commit_order_across_a_restart(
    db_url: str, clock: ManualClock
) -> None:
    with Engine.open(db_url, clock=clock, ids=SequentialIds()) as engine:
        engine.define_body(standing_committee())
        _work(engine)
        committed = _events(engine)
        first_life = _worker_drains(
            engine, batch=4, crash_after=10
        )  # killed mid-batch: 8 acknowledged, 2 not
    with Engine.open(
        db_url, clock=clock
    ) as restarted:  # a new process: the store remembers what was acknowledged
        second_life = _worker_drains(restarted, batch=4)
        assert restarted.outbox.pending() == []
        assert (
            restarted.outbox.ack([e.id for e in first_life]) == 0
        )  # acknowledging again changes nothing
    delivered = [(e.event.instance_id, e.event.seq) for e in first_life + second_life]
    acknowledged = delivered[:8] + delivered[10:]
    assert acknowledged == committed  # each event once per acknowledgement, in commit order
    assert (
        delivered[8:10] == delivered[10:12]
    )  # the two sent but not acknowledged came again, first
    ids = [e.id for e in first_life[:8] + second_life]
    assert ids == sorted(ids) and len(set(ids)) == len(ids)
    assert all(isinstance(e.event, EventRecord) and e.event.hash for e in first_life + second_life)


def test_the_outbox_of_a_memory_store_and_after(engine: Engine) -> None:
    _work(engine)
    entries = engine.outbox.pending(1000)
    assert [(e.event.instance_id, e.event.seq) for e in entries] == _events(engine)
    assert [e.id for e in engine.outbox.pending(3, after=entries[1].id)] == [
        e.id for e in entries[2:5]
    ]
    assert engine.outbox.ack([entries[0], entries[1].id]) == 2
    assert engine.outbox.pending(1)[0] == entries[2]
    for bad in (0, -1, True, "3"):
        with pytest.raises(InvalidInput, match="limit of at least 1"):
            engine.outbox.pending(bad)  # type: ignore[arg-type]


def test_an_event_rolled_back_by_the_host_is_never_in_the_outbox(
    db_url: str, clock: ManualClock
) -> None:
    with Engine.open(db_url, clock=clock) as owned:
        owned.define_body(standing_committee())
    host = sa.create_engine(db_url)
    try:
        with host.connect() as conn:
            engine = Engine.open(conn, clock=clock, ids=SequentialIds())
            propose(engine)
            conn.rollback()
            kept = propose(engine, title="kept")
            conn.commit()
            engine.close()
    finally:
        host.dispose()
    with Engine.open(db_url, clock=clock) as worker:
        assert [(e.event.instance_id, e.event.seq) for e in worker.outbox.pending()] == [(kept, 1)]


def test_subscribers_are_called_after_commit_and_their_errors_logged(
    db_url: str, clock: ManualClock, caplog: pytest.LogCaptureFixture
) -> None:
    seen: list[tuple[str, int, int]] = []
    with (
        Engine.open(db_url, clock=clock, ids=SequentialIds()) as engine,
        Engine.open(db_url, clock=clock) as other,
    ):
        engine.define_body(standing_committee())

        def record(
            event: EventRecord,
        ) -> None:  # another connection already sees the event: it has committed
            seen.append((event.instance_id, event.seq, len(other.history(event.instance_id))))

        def broken(event: EventRecord) -> None:
            raise RuntimeError(f"mail server down for {event.trigger}")

        engine.subscribe(broken)
        unsubscribe = engine.subscribe(record)
        with caplog.at_level(logging.ERROR, logger="collegium"):
            iid = to_deliberation(engine)
            with pytest.raises(RuleViolation):  # no member consulted yet
                engine.fire(iid, "schedule", "sec", {"meeting_at": "2026-03-10T09:00+08:00"})
        unsubscribe()
        engine.fire(iid, "consult", "sec", {"member": "m1", "view": "agree"})
        assert seen == [
            (iid, 1, 1),
            (iid, 2, 2),
            (iid, 3, 3),
        ]  # refused and unsubscribed steps: not seen
        assert len(engine.history(iid)) == 4  # the broken subscriber undid nothing
    failures = [
        r for r in caplog.records if "mail server down" in str(r.exc_info and r.exc_info[1])
    ]
    assert len(failures) == 4 and all("stays committed" in r.getMessage() for r in failures)


def test_subscribers_of_a_memory_store(engine: Engine) -> None:
    seen: list[int] = []
    engine.subscribe(lambda e: seen.append(e.seq))
    iid = propose(engine)
    engine.fire(iid, "prepare", "m1")
    assert seen == [1, 2]


def test_subscribers_on_the_host_session_wait_for_its_commit(
    db_url: str, clock: ManualClock
) -> None:
    with Engine.open(db_url, clock=clock) as owned:
        owned.define_body(standing_committee())
    host = sa.create_engine(db_url)
    seen: list[tuple[str, int]] = []
    try:
        with Session(host) as session:
            engine = Engine.open(session, clock=clock, ids=SequentialIds())
            engine.subscribe(lambda e: seen.append((e.instance_id, e.seq)))
            propose(engine)
            assert seen == []  # not yet: the host has not committed
            session.rollback()
            iid = propose(engine, title="kept")
            engine.fire(iid, "prepare", "m1")
            assert seen == []
            session.commit()
            assert seen == [(iid, 1), (iid, 2)]
            engine.close()
    finally:
        host.dispose()


def test_an_acknowledged_id_is_never_given_again_so_a_repeated_ack_loses_nothing(
    db_url: str, clock: ManualClock
) -> None:
    with Engine.open(db_url, clock=clock, ids=SequentialIds()) as engine:
        engine.define_body(standing_committee())
        iid = propose(engine)
        [first] = engine.outbox.pending(10)
        assert (
            engine.outbox.ack([first]) == 1
        )  # the newest entry acknowledged: the table is empty now
        engine.fire(iid, "prepare", "m1")
        [second] = engine.outbox.pending(10)
        assert second.id != first.id and (second.event.instance_id, second.event.seq) == (iid, 2)
        assert (
            engine.outbox.ack([first]) == 0
        )  # a retried acknowledgement of the first touches nothing else
        assert engine.outbox.pending(10) == [second]


def test_on_postgresql_an_event_and_its_outbox_entry_are_one_statement(
    db_url: str, clock: ManualClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    """docs/architecture.md: one round trip on PostgreSQL, two statements on SQLite and MariaDB;
    the entry is in the outbox either way."""
    from collegium.store.sqlunit import SqlUnit

    sent: list[str] = []
    run = SqlUnit._run

    def recorded(self: SqlUnit, raw: object, params: dict[str, object]) -> object:
        sent.append(" ".join(str(getattr(raw, "sql", "")).split()))
        return run(self, raw, params)  # type: ignore[arg-type]

    with Engine.open(db_url, clock=clock, ids=SequentialIds()) as engine:
        engine.define_body(standing_committee())
        iid = propose(engine)
        before = len(engine.outbox.pending(1000))
        monkeypatch.setattr(SqlUnit, "_run", recorded)
        engine.fire(iid, "prepare", "m1")
        monkeypatch.undo()
        pending = engine.outbox.pending(1000)
        assert len(pending) == before + 1 and pending[-1].event.seq == 2
        dialect = engine.store.engine.dialect.name  # type: ignore[attr-defined]
    combined = [s for s in sent if s.startswith("WITH") and "INSERT INTO collegium_outbox" in s]
    alone = [s for s in sent if s.startswith("INSERT INTO collegium_outbox")]
    if dialect == "postgresql":
        assert (len(combined), len(alone)) == (1, 0)
    else:
        assert (len(combined), len(alone)) == (0, 1)

"""Tampering with the stored log by raw SQL is detected, and the first bad event is named."""

from __future__ import annotations

from collections.abc import Callable

import pytest
import sqlalchemy as sa

from collegium import Engine, ManualClock
from collegium.store.schema import events, instances, seats
from collegium.store.sqlstore import SqlStore
from tests.conftest import to_deliberation

Tamper = Callable[[sa.Connection, str], None]


def _id_of(conn: sa.Connection, iid: str, seq: int) -> int:
    return int(
        conn.execute(
            sa.text("SELECT id FROM collegium_events WHERE instance_id = :i AND seq = :s"),
            {"i": iid, "s": seq},
        ).scalar_one()
    )


def edit_payload(conn: sa.Connection, iid: str) -> None:
    conn.execute(
        sa.text("UPDATE collegium_events SET data = :d WHERE instance_id = :i AND seq = 4"),
        {"d": '{"member":"m2","view":"oppose"}', "i": iid},
    )


def edit_actor(conn: sa.Connection, iid: str) -> None:
    conn.execute(
        sa.text("UPDATE collegium_events SET actor = 'dep' WHERE instance_id = :i AND seq = 4"),
        {"i": iid},
    )


def delete_row(conn: sa.Connection, iid: str) -> None:
    conn.execute(
        sa.text("DELETE FROM collegium_events WHERE instance_id = :i AND seq = 4"), {"i": iid}
    )


def delete_last(conn: sa.Connection, iid: str) -> None:
    conn.execute(
        sa.text("DELETE FROM collegium_events WHERE instance_id = :i AND seq = 6"), {"i": iid}
    )


def swap_rows(conn: sa.Connection, iid: str) -> None:
    a, b = _id_of(conn, iid, 4), _id_of(conn, iid, 5)
    rows = {
        r.id: {k: v for k, v in r._mapping.items() if k not in ("id", "instance_id")}
        for r in conn.execute(sa.select(events).where(events.c.id.in_([a, b])))
    }
    # move both aside first: (instance_id, seq) is unique
    conn.execute(sa.update(events).where(events.c.id.in_([a, b])).values(seq=-events.c.seq))
    conn.execute(sa.update(events).where(events.c.id == a).values(**rows[b]))
    conn.execute(sa.update(events).where(events.c.id == b).values(**rows[a]))


def insert_row(conn: sa.Connection, iid: str) -> None:
    row = (
        conn.execute(sa.select(events).where(events.c.instance_id == iid, events.c.seq == 6))
        .mappings()
        .one()
    )
    values = {k: v for k, v in row.items() if k != "id"}
    values.update(seq=7, idempotency_key=None)
    conn.execute(sa.insert(events).values(**values))


def edit_state(conn: sa.Connection, iid: str) -> None:
    conn.execute(
        sa.text("UPDATE collegium_instances SET state = 'adopted' WHERE id = :i"), {"i": iid}
    )


def edit_facts(conn: sa.Connection, iid: str) -> None:
    conn.execute(
        sa.text("UPDATE collegium_instances SET facts = :f WHERE id = :i"),
        {"f": '{"title":"something else"}', "i": iid},
    )


def column_edit(column: str, value: object) -> Tamper:
    def edit(conn: sa.Connection, iid: str) -> None:
        conn.execute(sa.update(instances).where(instances.c.id == iid).values({column: value}))

    edit.__name__ = f"edit_{column}"
    return edit


CASES: list[tuple[Tamper, int | None, str]] = [
    (edit_payload, 4, "edited"),
    (edit_actor, 4, "edited"),
    (delete_row, 5, "missing"),
    (delete_last, 5, "removed"),
    (swap_rows, 5, "missing, inserted or out of order"),
    (insert_row, 7, "does not link to the event before it"),
    (edit_state, None, "instance row was edited"),
    (edit_facts, None, "instance row was edited"),
    (column_edit("pack_version", "2099.1"), 1, "instance's identity was edited"),
    (column_edit("procedure_version", 7), 1, "instance's identity was edited"),
    (column_edit("parent_id", "someone-else"), 1, "instance's identity was edited"),
    (column_edit("created_at", "2020-01-01T00:00:00.000000Z"), 1, "instance's identity was edited"),
    (column_edit("version", 99), None, "version or last-update time differs"),
    (
        column_edit("updated_at", "2030-01-01T00:00:00.000000Z"),
        None,
        "version or last-update time differs",
    ),
]


@pytest.mark.parametrize(("tamper", "seq", "reason"), CASES, ids=[c[0].__name__ for c in CASES])
def test_tampering_is_detected_and_named(
    sql_engine: Engine, tamper: Tamper, seq: int | None, reason: str
) -> None:
    iid = to_deliberation(sql_engine)
    for person in ("m1", "m2", "m3"):
        sql_engine.fire(iid, "consult", "sec", {"member": person, "view": "agree"})
    other = to_deliberation(sql_engine)
    assert sql_engine.verify_audit().ok
    store = sql_engine.store
    assert isinstance(store, SqlStore)
    with store.engine.begin() as conn:
        tamper(conn, iid)
    report = sql_engine.verify_audit()
    assert not report.ok and report.problem is not None
    assert report.problem.instance_id == iid != other
    assert report.problem.seq == seq
    assert reason in report.problem.reason


def test_untouched_store_verifies(sql_engine: Engine) -> None:
    to_deliberation(sql_engine)
    report = sql_engine.verify_audit()
    assert report.ok and report.instances == 1 and report.events == 3


@pytest.mark.parametrize(
    ("column", "value", "reason"),
    [
        (
            "attendance",
            "present",
            "differ from those recorded when it opened",
        ),  # an absent member made present
        (
            "role",
            "secretary",
            "differ from those recorded when it opened",
        ),  # a member made secretary
        ("view", "oppose", "views stated at meeting"),  # a stated view changed
    ],
)
def test_edited_meeting_seats_are_detected(
    sql_engine: Engine, clock: ManualClock, column: str, value: str, reason: str
) -> None:
    from tests.conftest import to_meeting

    iid = to_meeting(sql_engine, clock, present=10)  # the last member, m9, is absent
    sql_engine.fire(iid, "state_view", "m1", {"view": "agree"})
    meeting = sql_engine.meeting(iid)
    assert list(meeting.seats) == [
        m.person for m in sql_engine.body("sc").members
    ]  # the body's order, any store
    assert sql_engine.verify_audit().ok
    person = {"attendance": "m9", "role": "m1", "view": "m1"}[column]
    store = sql_engine.store
    assert isinstance(store, SqlStore)
    with store.engine.begin() as conn:
        conn.execute(
            sa.update(seats)
            .where(seats.c.meeting_id == meeting.id, seats.c.person == person)
            .values({column: value})
        )
    report = sql_engine.verify_audit()
    assert not report.ok and report.problem is not None
    assert report.problem.instance_id == iid and reason in report.problem.reason
    assert (
        report.problem.table == "collegium_seats"
        and report.problem.row == f"meeting_id={meeting.id!r}"
    )
    assert (
        report.problem.table == "collegium_seats"
        and report.problem.row == f"meeting_id={meeting.id!r}"
    )

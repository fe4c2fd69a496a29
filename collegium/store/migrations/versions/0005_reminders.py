"""Reminders before deadlines: a timer row may be a reminder, ``lead_seconds`` before its timer
falls due (0: the timer itself), so the key of a timer row becomes (instance, trigger, lead).
Pending timers are kept as timers.

The table is rebuilt rather than altered in place: changing a primary key is spelt differently on
each backend.

Revision ID: 0005
Revises: 0004
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

COLUMNS = ("instance_id", "trigger", "state", "due_at", "entered_seq")


def _table(name: str, *, lead: bool) -> sa.Table:
    columns: list[sa.Column[Any]] = [
        sa.Column("instance_id", sa.String(128), primary_key=True),
        sa.Column("trigger", sa.String(64), primary_key=True),
    ]
    if lead:
        columns.append(sa.Column("lead_seconds", sa.Integer, primary_key=True, autoincrement=False))
    columns += [
        sa.Column("state", sa.String(64), nullable=False),
        sa.Column("due_at", sa.String(32), nullable=False),
        sa.Column("entered_seq", sa.Integer, nullable=False),
    ]
    return op.create_table(name, *columns)


def _rebuild(*, lead: bool) -> None:
    op.execute(
        "DROP TABLE IF EXISTS collegium_timers_new"
    )  # left by a run that failed midway (MariaDB's DDL commits)
    new = _table("collegium_timers_new", lead=lead)
    old = sa.table("collegium_timers", *(sa.column(c) for c in (*COLUMNS, "lead_seconds")))
    picked = [old.c[c] for c in COLUMNS]
    if lead:
        # every pending timer is a timer (lead 0); quoted names: TRIGGER is a reserved word on
        # MariaDB
        query = sa.select(*picked, sa.literal(0).label("lead_seconds"))
        op.execute(sa.insert(new).from_select([*COLUMNS, "lead_seconds"], query))
    else:  # going back, reminders have nowhere to go
        op.execute(
            sa.insert(new).from_select(
                list(COLUMNS), sa.select(*picked).where(old.c.lead_seconds == 0)
            )
        )
    op.drop_index("ix_collegium_timers_due", table_name="collegium_timers")
    op.drop_table("collegium_timers")
    op.rename_table("collegium_timers_new", "collegium_timers")
    if op.get_bind().dialect.name == "postgresql":
        # the key keeps the name it was made with: give back the usual one
        op.execute(
            "ALTER TABLE collegium_timers RENAME CONSTRAINT collegium_timers_new_pkey "
            "TO collegium_timers_pkey"
        )
    op.create_index("ix_collegium_timers_due", "collegium_timers", ["due_at"])


def upgrade() -> None:
    _rebuild(lead=True)


def downgrade() -> None:
    _rebuild(lead=False)

"""Meetings and ballots: frozen seats with attendance and views; named votes; secret participation
and totals.

Revision ID: 0002
Revises: 0001
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "collegium_seats",
        sa.Column("meeting_id", sa.String(255), primary_key=True),
        sa.Column("person", sa.String(128), primary_key=True),
        sa.Column("seat_no", sa.Integer, nullable=False),
        sa.Column("role", sa.String(64), nullable=False),
        sa.Column("voting", sa.Boolean, nullable=False),
        sa.Column("attendance", sa.String(16), nullable=False),
        sa.Column("view", sa.String(32), nullable=True),
        sa.Column("view_at", sa.String(32), nullable=True),
    )
    op.create_table(
        "collegium_votes",
        sa.Column("ballot_id", sa.String(255), primary_key=True),
        sa.Column("voter", sa.String(128), primary_key=True),
        sa.Column("choice", sa.String(32), nullable=False),
        sqlite_with_rowid=False,
    )
    op.create_table(
        "collegium_ballot_voters",
        sa.Column("ballot_id", sa.String(255), primary_key=True),
        sa.Column("voter", sa.String(128), primary_key=True),
        sqlite_with_rowid=False,
    )
    op.create_table(
        "collegium_ballot_counts",
        sa.Column("ballot_id", sa.String(255), primary_key=True),
        sa.Column("choice", sa.String(32), primary_key=True),
        sa.Column("count", sa.Integer, nullable=False),
        sqlite_with_rowid=False,
    )


def downgrade() -> None:
    for table in (
        "collegium_ballot_counts",
        "collegium_ballot_voters",
        "collegium_votes",
        "collegium_seats",
    ):
        op.drop_table(table)

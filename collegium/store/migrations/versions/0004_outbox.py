"""The transactional outbox: every committed event is also queued here, in its own transaction,
until the host acknowledges it. Events committed before this revision are not queued (they were
never pending).

Revision ID: 0004
Revises: 0003
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "collegium_outbox",
        sa.Column(
            "id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            primary_key=True,
            autoincrement=True,
        ),
        # the same type (and on MariaDB the same default collation) as collegium_events.instance_id,
        # which it joins
        sa.Column("instance_id", sa.String(128), nullable=False),
        sa.Column("seq", sa.Integer, nullable=False),
        # SQLite would otherwise give the next entry the id of an acknowledged (deleted) newest one,
        # and a repeated acknowledgement would then delete an entry never delivered: ids are never
        # reused
        sqlite_autoincrement=True,
    )


def downgrade() -> None:
    op.drop_table("collegium_outbox")

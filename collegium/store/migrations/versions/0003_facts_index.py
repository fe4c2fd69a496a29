"""The facts index: the facts a procedure declares under ``index`` (a task's lead member,
departments, deadline), one row per value, so queries such as "overdue tasks by member" stay fast
with 100,000 instances.

Revision ID: 0003
Revises: 0002
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import mysql

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "collegium_facts_index",
        sa.Column("instance_id", sa.String(128), primary_key=True),
        sa.Column("name", sa.String(64), primary_key=True),
        # compared exactly on every backend (MariaDB's default collation ignores case and trailing
        # spaces)
        sa.Column(
            "value",
            sa.String(255).with_variant(
                mysql.VARCHAR(255, collation="utf8mb4_nopad_bin"), "mysql", "mariadb"
            ),
            primary_key=True,
        ),
        sa.Column("procedure", sa.String(64), nullable=False),
    )
    op.create_index(
        "ix_collegium_facts_index_lookup", "collegium_facts_index", ["procedure", "name", "value"]
    )


def downgrade() -> None:
    op.drop_index("ix_collegium_facts_index_lookup", table_name="collegium_facts_index")
    op.drop_table("collegium_facts_index")

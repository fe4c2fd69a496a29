"""Electronic secret ballots keep each vote's sealed choice until the tellers count them.

Revision ID: 0009
Revises: 0008
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "collegium_sealed_votes",
        sa.Column("ballot_id", sa.String(255), primary_key=True),
        sa.Column("sealed", sa.String(128), primary_key=True),
        sqlite_with_rowid=False,
        # exact text, as revision 0007 made every other table on MariaDB
        mysql_charset="utf8mb4",
        mysql_collate="utf8mb4_nopad_bin",
        mariadb_charset="utf8mb4",
        mariadb_collate="utf8mb4_nopad_bin",
    )


def downgrade() -> None:
    op.drop_table("collegium_sealed_votes")

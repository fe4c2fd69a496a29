"""Exact text on MariaDB: every Collegium table becomes utf8mb4 with the binary no-pad collation
(``utf8mb4_nopad_bin``), so every id, key, role, person, state, trigger and choice compares byte
for byte, as it does on SQLite and PostgreSQL. Before, only the facts index's values did; every
other column had the database's default collation, which ignores case (and, PAD SPACE, trailing
spaces): ``M3`` voted as ``m3``.

Whole tables are converted, not chosen columns: none of their text is compared as language (the
rest is JSON, hashes and canonical times), and the table's default then covers a column added
later. The conversion cannot clash on a unique key (binary text tells apart more than the old
collation did); it rebuilds each table. Going back can clash: two ids that differ only in case or
trailing spaces cannot both be kept under the old collation.

A no-op on SQLite and PostgreSQL, which compare text exactly already.

Revision ID: 0007
Revises: 0006
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None

#: every Collegium table at this revision (not the version table: Alembic's own)
TABLES = (
    "collegium_instances",
    "collegium_events",
    "collegium_bodies",
    "collegium_members",
    "collegium_timers",
    "collegium_seats",
    "collegium_votes",
    "collegium_ballot_voters",
    "collegium_ballot_counts",
    "collegium_facts_index",
    "collegium_definitions",
    "collegium_outbox",
)


def _mariadb() -> bool:
    return op.get_bind().dialect.name in ("mysql", "mariadb")


def upgrade() -> None:
    if not _mariadb():
        return
    for table in TABLES:
        op.execute(
            f"ALTER TABLE {table} CONVERT TO CHARACTER SET utf8mb4 COLLATE utf8mb4_nopad_bin"
        )


def downgrade() -> None:
    if not _mariadb():
        return
    charset, collation = (
        op.get_bind()
        .execute(
            sa.text(
                "SELECT DEFAULT_CHARACTER_SET_NAME, DEFAULT_COLLATION_NAME "
                "FROM information_schema.SCHEMATA WHERE SCHEMA_NAME = DATABASE()"
            )
        )
        .one()
    )
    for table in TABLES:
        op.execute(f"ALTER TABLE {table} CONVERT TO CHARACTER SET {charset} COLLATE {collation}")
    # as revision 0003 made it
    op.execute(
        "ALTER TABLE collegium_facts_index MODIFY value VARCHAR(255) CHARACTER SET utf8mb4 "
        "COLLATE utf8mb4_nopad_bin NOT NULL"
    )

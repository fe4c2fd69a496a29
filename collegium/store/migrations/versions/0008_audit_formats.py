"""Events carry their format version, and bodies get hash chains of their own.

Every event stored before this revision was written in format 1 (the column's default). Each body
already stored gets the first event of its chain — its definition as the rows hold it now, with no
time (nobody recorded when it was defined) — and its row the chain's length and head, so that from
here on every change of a body is chained.

Revision ID: 0008
Revises: 0007
"""

from __future__ import annotations

from typing import Any

import orjson
import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import mysql

from collegium.store.bodychain import body_hash, rows_definition
from collegium.store.heads import GENESIS

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None

LongText = sa.Text().with_variant(mysql.LONGTEXT(), "mysql", "mariadb")


def _first_events(conn: sa.Connection) -> list[dict[str, Any]]:
    """The first chained event of every stored body: its rows as a definition (format 1 of body
    events)."""
    bodies = sa.table("collegium_bodies", sa.column("id"), sa.column("kind"), sa.column("title"))
    members = sa.table(
        "collegium_members",
        sa.column("body_id"),
        sa.column("person"),
        sa.column("role"),
        sa.column("voting"),
        sa.column("name"),
        sa.column("position"),
    )
    out = []
    for body_id, kind, title in conn.execute(sa.select(bodies.c.id, bodies.c.kind, bodies.c.title)):
        seats = conn.execute(
            sa.select(members.c.person, members.c.role, members.c.voting, members.c.name)
            .where(members.c.body_id == body_id)
            .order_by(members.c.position)
        )
        definition = rows_definition(
            body_id, kind, orjson.loads(title) if title else None, seats.all()
        )
        out.append(
            {
                "body_id": body_id,
                "seq": 1,
                "at": None,
                "definition": definition,
                "prev_hash": GENESIS,
                "hash": body_hash(
                    format_version=1,
                    body_id=body_id,
                    seq=1,
                    at=None,
                    definition=definition,
                    prev_hash=GENESIS,
                ),
                "format_version": 1,
            }
        )
    return out


def upgrade() -> None:
    op.add_column(
        "collegium_events",
        sa.Column("format_version", sa.SmallInteger, nullable=False, server_default="1"),
    )
    table = op.create_table(
        "collegium_body_events",
        sa.Column("body_id", sa.String(128), primary_key=True),
        sa.Column("seq", sa.Integer, primary_key=True, autoincrement=False),
        sa.Column("at", sa.String(32), nullable=True),
        sa.Column("definition", LongText, nullable=False),
        sa.Column("prev_hash", sa.String(64), nullable=False),
        sa.Column("hash", sa.String(64), nullable=False),
        sa.Column("format_version", sa.SmallInteger, nullable=False),
        # exact text, as revision 0007 made every other table on MariaDB
        mysql_charset="utf8mb4",
        mysql_collate="utf8mb4_nopad_bin",
        mariadb_charset="utf8mb4",
        mariadb_collate="utf8mb4_nopad_bin",
    )
    op.add_column(
        "collegium_bodies", sa.Column("event_count", sa.Integer, nullable=False, server_default="0")
    )
    op.add_column(
        "collegium_bodies", sa.Column("head_hash", sa.String(64), nullable=False, server_default="")
    )
    first = _first_events(op.get_bind())
    if first:
        op.bulk_insert(table, first)
    bodies = sa.table(
        "collegium_bodies", sa.column("id"), sa.column("event_count"), sa.column("head_hash")
    )
    for event in first:
        op.execute(
            sa.update(bodies)
            .where(bodies.c.id == event["body_id"])
            .values(event_count=1, head_hash=event["hash"])
        )


def downgrade() -> None:
    op.drop_column("collegium_bodies", "head_hash")
    op.drop_column("collegium_bodies", "event_count")
    op.drop_table("collegium_body_events")
    op.drop_column("collegium_events", "format_version")

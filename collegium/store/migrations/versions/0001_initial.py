"""Initial schema: instances, hash-chained events, timers, bodies and members, definitions.

Revision ID: 0001
Revises:
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import mysql

revision = "0001"
down_revision = None
branch_labels = ("collegium",)
depends_on = None

LongText = sa.Text().with_variant(mysql.LONGTEXT(), "mysql", "mariadb")
EventId = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    op.create_table(
        "collegium_instances",
        sa.Column("id", sa.String(128), primary_key=True),
        sa.Column("procedure", sa.String(64), nullable=False),
        sa.Column("procedure_version", sa.Integer, nullable=False),
        sa.Column("pack", sa.String(64), nullable=False),
        sa.Column("pack_version", sa.String(64), nullable=False),
        sa.Column("state", sa.String(64), nullable=False),
        sa.Column("version", sa.Integer, nullable=False),
        sa.Column("facts", LongText, nullable=False),
        sa.Column("parent_id", sa.String(128), nullable=True),
        sa.Column("head_hash", sa.String(64), nullable=False),
        sa.Column("event_count", sa.Integer, nullable=False),
        sa.Column("created_at", sa.String(32), nullable=False),
        sa.Column("updated_at", sa.String(32), nullable=False),
    )
    op.create_index(
        "ix_collegium_instances_procedure_state", "collegium_instances", ["procedure", "state"]
    )
    op.create_index("ix_collegium_instances_parent", "collegium_instances", ["parent_id"])
    op.create_table(
        "collegium_events",
        sa.Column("id", EventId, primary_key=True, autoincrement=True),
        sa.Column("instance_id", sa.String(128), nullable=False),
        sa.Column("seq", sa.Integer, nullable=False),
        sa.Column("trigger", sa.String(64), nullable=False),
        sa.Column("actor", sa.String(128), nullable=False),
        sa.Column("source", sa.String(64), nullable=True),
        sa.Column("dest", sa.String(64), nullable=False),
        sa.Column("at", sa.String(32), nullable=False),
        sa.Column("data", LongText, nullable=False),
        sa.Column("verdict", LongText, nullable=False),
        sa.Column("effects", LongText, nullable=False),
        sa.Column("facts_sha", sa.String(64), nullable=False),
        sa.Column("prev_hash", sa.String(64), nullable=False),
        sa.Column("hash", sa.String(64), nullable=False),
        sa.Column("idempotency_key", sa.String(128), nullable=True),
        sa.UniqueConstraint("instance_id", "seq", name="uq_collegium_events_chain"),
        sa.UniqueConstraint(
            "instance_id", "idempotency_key", name="uq_collegium_events_idempotency"
        ),
    )
    op.create_table(
        "collegium_bodies",
        sa.Column("id", sa.String(128), primary_key=True),
        sa.Column("kind", sa.String(64), nullable=False),
        sa.Column("title", sa.Text, nullable=True),
    )
    op.create_table(
        "collegium_members",
        sa.Column("body_id", sa.String(128), primary_key=True),
        sa.Column("person", sa.String(128), primary_key=True),
        sa.Column("position", sa.Integer, nullable=False),
        sa.Column("role", sa.String(64), nullable=False),
        sa.Column("voting", sa.Boolean, nullable=False),
        sa.Column("name", sa.String(256), nullable=True),
    )
    op.create_table(
        "collegium_timers",
        sa.Column("instance_id", sa.String(128), primary_key=True),
        sa.Column("trigger", sa.String(64), primary_key=True),
        sa.Column("state", sa.String(64), nullable=False),
        sa.Column("due_at", sa.String(32), nullable=False),
        sa.Column("entered_seq", sa.Integer, nullable=False),
    )
    op.create_index("ix_collegium_timers_due", "collegium_timers", ["due_at"])
    op.create_table(
        "collegium_definitions",
        sa.Column("kind", sa.String(16), primary_key=True),
        sa.Column("key", sa.String(160), primary_key=True),
        sa.Column("sha256", sa.String(64), nullable=False),
        sa.Column("text", LongText, nullable=False),
    )


def downgrade() -> None:
    for table in (
        "collegium_definitions",
        "collegium_timers",
        "collegium_members",
        "collegium_bodies",
        "collegium_events",
        "collegium_instances",
    ):
        op.drop_table(table)

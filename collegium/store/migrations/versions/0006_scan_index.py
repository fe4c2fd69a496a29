"""The instances' (procedure, state) index gains the id, so that ``Engine.scan`` reads one
procedure's instances in a state page by page as index ranges, in id order, whatever the table's
size (before, each page sorted every instance in that state).

Revision ID: 0006
Revises: 0005
"""

from __future__ import annotations

from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

TABLE = "collegium_instances"


def upgrade() -> None:
    op.drop_index("ix_collegium_instances_procedure_state", table_name=TABLE)
    op.create_index(
        "ix_collegium_instances_procedure_state_id", TABLE, ["procedure", "state", "id"]
    )


def downgrade() -> None:
    op.drop_index("ix_collegium_instances_procedure_state_id", table_name=TABLE)
    op.create_index("ix_collegium_instances_procedure_state", TABLE, ["procedure", "state"])

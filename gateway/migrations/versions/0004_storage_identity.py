"""Storage identity (issues 15, 17): `gateway_meta`, where the id of the storage folder that holds the
originals is kept, so a gateway started on another storage folder than the database's refuses to run.

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-02 06:55:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "gateway_meta",
        sa.Column("key", sa.String(length=64), nullable=False),
        sa.Column("value", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("key"),
    )


def downgrade() -> None:
    op.drop_table("gateway_meta")

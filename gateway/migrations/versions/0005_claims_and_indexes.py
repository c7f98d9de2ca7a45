"""Claim before work (issue 16): a letter's lease and claimer; indexes for the rate limit and the register
look-up by notation, issuer and date, so a letter costs the same with 50,000 entries as with none.

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-02 06:20:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("letters") as batch:
        batch.add_column(sa.Column("lease_until", sa.DateTime(timezone=True), nullable=True))
        batch.add_column(sa.Column("claimed_by", sa.String(length=200), nullable=True))
    op.create_index("ix_outbox_recipient_created_at", "outbox", ["recipient", "created_at"])
    op.create_index(
        "ix_register_entries_notation_issuer_date", "register_entries", ["notation", "issuer", "document_date"]
    )


def downgrade() -> None:
    op.drop_index("ix_register_entries_notation_issuer_date", table_name="register_entries")
    op.drop_index("ix_outbox_recipient_created_at", table_name="outbox")
    with op.batch_alter_table("letters") as batch:
        batch.drop_column("claimed_by")
        batch.drop_column("lease_until")

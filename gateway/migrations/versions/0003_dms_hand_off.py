"""DMS hand-off (issue 13): the hand-off queue, destinations' health, status packages, recall requests;
register entries get the DMS's own number and the entry a replacement replaces.

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-02 02:11:53.625143
"""

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "dms_destinations",
        sa.Column("name", sa.String(length=32), nullable=False),
        sa.Column("down_since", sa.DateTime(timezone=True), nullable=True),
        sa.Column("last_error", sa.Text(), nullable=True),
        sa.Column("outage_alerted_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("next_attempt_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("failures", sa.Integer(), nullable=False),
        sa.Column("last_delivered_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("last_polled_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("name"),
    )
    op.create_table(
        "dms_handoffs",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("entry_id", sa.Integer(), nullable=False),
        sa.Column("destination", sa.String(length=32), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("reason", sa.Text(), nullable=True),
        sa.Column("related_entry_id", sa.Integer(), nullable=True),
        sa.Column("state", sa.String(length=16), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("next_attempt_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("last_error", sa.Text(), nullable=True),
        sa.Column("document_id", sa.Text(), nullable=True),
        sa.Column("dms_reference", sa.Text(), nullable=True),
        sa.Column("sent_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["entry_id"],
            ["register_entries.id"],
        ),
        sa.ForeignKeyConstraint(
            ["related_entry_id"],
            ["register_entries.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("entry_id", "destination", "kind"),
    )
    with op.batch_alter_table("dms_handoffs", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_dms_handoffs_entry_id"), ["entry_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_dms_handoffs_state"), ["state"], unique=False)

    op.create_table(
        "dms_statuses",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("destination", sa.String(length=32), nullable=False),
        sa.Column("package_sha256", sa.String(length=64), nullable=False),
        sa.Column("entry_id", sa.Integer(), nullable=True),
        sa.Column("document_id", sa.Text(), nullable=True),
        sa.Column("status_code", sa.String(length=4), nullable=False),
        sa.Column("description", sa.Text(), nullable=True),
        sa.Column("at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("received_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("notice", sa.String(length=32), nullable=True),
        sa.Column("problems", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(
            ["entry_id"],
            ["register_entries.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("destination", "package_sha256"),
    )
    with op.batch_alter_table("dms_statuses", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_dms_statuses_entry_id"), ["entry_id"], unique=False)

    op.create_table(
        "recall_requests",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("letter_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("notation", sa.Text(), nullable=True),
        sa.Column("document_date", sa.Date(), nullable=True),
        sa.Column("reason", sa.Text(), nullable=True),
        sa.Column("entry_id", sa.Integer(), nullable=True),
        sa.Column("replacement_entry_id", sa.Integer(), nullable=True),
        sa.Column("state", sa.String(length=16), nullable=False),
        sa.Column("refusal", sa.Text(), nullable=True),
        sa.Column("decided_by", sa.String(length=64), nullable=True),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["entry_id"],
            ["register_entries.id"],
        ),
        sa.ForeignKeyConstraint(
            ["letter_id"],
            ["letters.id"],
        ),
        sa.ForeignKeyConstraint(
            ["replacement_entry_id"],
            ["register_entries.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("letter_id"),
    )
    with op.batch_alter_table("recall_requests", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_recall_requests_entry_id"), ["entry_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_recall_requests_state"), ["state"], unique=False)

    with op.batch_alter_table("register_entries", schema=None) as batch_op:
        batch_op.add_column(sa.Column("dms_number", sa.String(length=32), nullable=True))
        batch_op.add_column(sa.Column("replaces_entry_id", sa.Integer(), nullable=True))
        batch_op.create_foreign_key("fk_register_entries_replaces", "register_entries", ["replaces_entry_id"], ["id"])


def downgrade() -> None:
    with op.batch_alter_table("register_entries", schema=None) as batch_op:
        batch_op.drop_constraint("fk_register_entries_replaces", type_="foreignkey")
        batch_op.drop_column("replaces_entry_id")
        batch_op.drop_column("dms_number")

    with op.batch_alter_table("recall_requests", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_recall_requests_state"))
        batch_op.drop_index(batch_op.f("ix_recall_requests_entry_id"))

    op.drop_table("recall_requests")
    with op.batch_alter_table("dms_statuses", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_dms_statuses_entry_id"))

    op.drop_table("dms_statuses")
    with op.batch_alter_table("dms_handoffs", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_dms_handoffs_state"))
        batch_op.drop_index(batch_op.f("ix_dms_handoffs_entry_id"))

    op.drop_table("dms_handoffs")
    op.drop_table("dms_destinations")

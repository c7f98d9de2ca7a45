"""the clerk's workplace: users, web sessions, audit log; assignment and search columns on entries

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-02 09:00:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "users",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("username", sa.String(length=64), nullable=False),
        sa.Column("full_name", sa.Text(), nullable=False),
        sa.Column("role", sa.String(length=16), nullable=False),
        sa.Column("password_hash", sa.Text(), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("password_changed_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("username"),
    )
    op.create_table(
        "web_sessions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("csrf_token", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("remote", sa.String(length=64), nullable=True),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("token_hash"),
    )
    with op.batch_alter_table("web_sessions", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_web_sessions_user_id"), ["user_id"], unique=False)
    op.create_table(
        "audit_log",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("actor", sa.String(length=64), nullable=False),
        sa.Column("action", sa.String(length=32), nullable=False),
        sa.Column("letter_id", sa.Integer(), nullable=True),
        sa.Column("entry_id", sa.Integer(), nullable=True),
        sa.Column("detail", sa.JSON(), nullable=True),
        sa.Column("remote", sa.String(length=64), nullable=True),
        sa.ForeignKeyConstraint(["entry_id"], ["register_entries.id"]),
        sa.ForeignKeyConstraint(["letter_id"], ["letters.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("audit_log", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_audit_log_actor"), ["actor"], unique=False)
        batch_op.create_index(batch_op.f("ix_audit_log_entry_id"), ["entry_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_audit_log_letter_id"), ["letter_id"], unique=False)
    with op.batch_alter_table("register_entries", schema=None) as batch_op:
        batch_op.add_column(sa.Column("assigned_to", sa.Text(), nullable=True))
        batch_op.add_column(sa.Column("assigned_at", sa.Date(), nullable=True))
        batch_op.add_column(sa.Column("search_text", sa.Text(), nullable=True))
        batch_op.add_column(sa.Column("search_issuer", sa.Text(), nullable=True))
        batch_op.add_column(sa.Column("search_notation", sa.Text(), nullable=True))
    _fill_search_text()


def _fill_search_text() -> None:
    """Entries registered before this revision get their search columns too."""
    from gateway.register.sql import search_columns

    entries = sa.table(
        "register_entries",
        sa.column("id", sa.Integer),
        sa.column("notation", sa.Text),
        sa.column("issuer", sa.Text),
        sa.column("subject", sa.Text),
        sa.column("sender_name", sa.Text),
        sa.column("sender_address", sa.Text),
        sa.column("filename", sa.Text),
        sa.column("signer_name", sa.Text),
        sa.column("search_text", sa.Text),
        sa.column("search_issuer", sa.Text),
        sa.column("search_notation", sa.Text),
    )
    conn = op.get_bind()
    rows = conn.execute(
        sa.select(
            entries.c.id,
            entries.c.notation,
            entries.c.issuer,
            entries.c.subject,
            entries.c.sender_name,
            entries.c.sender_address,
            entries.c.filename,
            entries.c.signer_name,
        )
    ).all()
    for row in rows:
        conn.execute(entries.update().where(entries.c.id == row.id).values(**search_columns(row)))


def downgrade() -> None:
    with op.batch_alter_table("register_entries", schema=None) as batch_op:
        batch_op.drop_column("search_notation")
        batch_op.drop_column("search_issuer")
        batch_op.drop_column("search_text")
        batch_op.drop_column("assigned_at")
        batch_op.drop_column("assigned_to")
    with op.batch_alter_table("audit_log", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_audit_log_letter_id"))
        batch_op.drop_index(batch_op.f("ix_audit_log_entry_id"))
        batch_op.drop_index(batch_op.f("ix_audit_log_actor"))
    op.drop_table("audit_log")
    with op.batch_alter_table("web_sessions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_web_sessions_user_id"))
    op.drop_table("web_sessions")
    op.drop_table("users")

"""Leads, their conversations, status history, consents and deletion requests.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-22
"""
from alembic import op
import sqlalchemy as sa

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "conversations",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("channel", sa.String(32), nullable=False),
        sa.Column("sender_id", sa.String(128), nullable=False),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("last_messages", sa.JSON(), nullable=False),
        sa.Column("programmes_asked", sa.JSON(), nullable=False),
        sa.Column("policies_asked", sa.JSON(), nullable=False),
    )
    op.create_index("ix_conversations_sender_id", "conversations", ["sender_id"])
    op.create_table(
        "leads",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("reference", sa.String(16), nullable=False, unique=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("status", sa.String(24), nullable=False, server_default="new"),
        sa.Column("name", sa.String(120)),
        sa.Column("phone", sa.String(16)),
        sa.Column("role", sa.String(32)),
        sa.Column("commune", sa.String(120)),
        sa.Column("programmes", sa.JSON(), nullable=False),
        sa.Column("contact_time", sa.String(32)),
        sa.Column("is_minor", sa.Boolean(), nullable=False, server_default=sa.false()),
        sa.Column("channel", sa.String(32), nullable=False),
        sa.Column("sender_id", sa.String(128), nullable=False),
        sa.Column("conversation_id", sa.Integer(), sa.ForeignKey("conversations.id", ondelete="SET NULL")),
        sa.Column("anonymised_at", sa.DateTime(timezone=True)),
    )
    op.create_index("ix_leads_created_at", "leads", ["created_at"])
    op.create_index("ix_leads_status", "leads", ["status"])
    op.create_index("ix_leads_phone", "leads", ["phone"])
    op.create_index("ix_leads_sender_id", "leads", ["sender_id"])
    op.create_table(
        "lead_status_changes",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("lead_id", sa.Integer(), sa.ForeignKey("leads.id", ondelete="CASCADE"), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("from_status", sa.String(24)),
        sa.Column("to_status", sa.String(24), nullable=False),
        sa.Column("by", sa.String(64), nullable=False),
        sa.Column("note", sa.Text()),
    )
    op.create_index("ix_lead_status_changes_lead_id", "lead_status_changes", ["lead_id"])
    op.create_table(
        "consents",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("lead_id", sa.Integer(), sa.ForeignKey("leads.id", ondelete="CASCADE"), nullable=False),
        sa.Column("text_version", sa.String(32), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("given_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("parent_consent", sa.Boolean(), nullable=False, server_default=sa.false()),
    )
    op.create_index("ix_consents_lead_id", "consents", ["lead_id"])
    op.create_table(
        "deletion_requests",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("channel", sa.String(32), nullable=False),
        sa.Column("sender_id", sa.String(128), nullable=False),
        sa.Column("requested_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("leads_anonymised", sa.Integer(), nullable=False, server_default="0"),
        sa.Column("questions_deleted", sa.Integer(), nullable=False, server_default="0"),
    )


def downgrade() -> None:
    for table in ("deletion_requests", "consents", "lead_status_changes", "leads", "conversations"):
        op.drop_table(table)

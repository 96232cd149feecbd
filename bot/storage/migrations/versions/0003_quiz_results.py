"""Anonymous career quiz results.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-22
"""
from alembic import op
import sqlalchemy as sa

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "quiz_results",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("completed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("channel", sa.String(32), nullable=False),
        sa.Column("commune", sa.String(120)),
        sa.Column("top_types", sa.String(3), nullable=False),
        sa.Column("scores", sa.JSON(), nullable=False),
        sa.Column("levels", sa.JSON(), nullable=False),
        sa.Column("place", sa.String(16), nullable=False),
        sa.Column("programmes", sa.JSON(), nullable=False),
        sa.Column("lead_reference", sa.String(16)),
    )
    op.create_index("ix_quiz_results_completed_at", "quiz_results", ["completed_at"])
    op.create_index("ix_quiz_results_commune", "quiz_results", ["commune"])
    op.create_index("ix_quiz_results_lead_reference", "quiz_results", ["lead_reference"])


def downgrade() -> None:
    op.drop_table("quiz_results")

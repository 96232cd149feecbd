"""A password an admin set (a new account in the console, a reset) must be changed by its owner.

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-04
"""
from alembic import op
import sqlalchemy as sa

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("staff_users") as table:  # batch: SQLite cannot ALTER with constraints
        table.add_column(sa.Column("must_change_password", sa.Boolean(), nullable=False, server_default=sa.false()))


def downgrade() -> None:
    with op.batch_alter_table("staff_users") as table:
        table.drop_column("must_change_password")

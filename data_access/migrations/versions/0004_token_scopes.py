"""API token scopes: expiry, report writing, data domains and 2025 wards

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-20
"""

from alembic import op
import sqlalchemy as sa


revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # batch mode: SQLite cannot add a NOT NULL column with a server default otherwise
    with op.batch_alter_table("api_token") as batch:
        batch.add_column(sa.Column("expires_at", sa.DateTime(), nullable=True))
        batch.add_column(
            sa.Column("write_reports", sa.Boolean(), nullable=False, server_default=sa.false())
        )
    op.create_table(
        "api_token_scope",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("token_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=8), nullable=False),
        sa.Column("value", sa.String(length=40), nullable=False),
        sa.ForeignKeyConstraint(["token_id"], ["api_token.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("token_id", "kind", "value"),
    )
    op.create_index("ix_api_token_scope_token_id", "api_token_scope", ["token_id"])


def downgrade() -> None:
    op.drop_index("ix_api_token_scope_token_id", table_name="api_token_scope")
    op.drop_table("api_token_scope")
    with op.batch_alter_table("api_token") as batch:
        batch.drop_column("write_reports")
        batch.drop_column("expires_at")

"""conversations

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-22 05:34:53.727439
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "conversations",
        sa.Column(
            "id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            autoincrement=True,
            nullable=False,
        ),
        sa.Column("chat", sa.String(length=10), nullable=False),
        sa.Column("conversation_id", sa.String(length=300), nullable=False),
        sa.Column("team_id", sa.String(length=300), nullable=True),
        sa.Column("tenant_id", sa.String(length=100), nullable=True),
        sa.Column("kind", sa.String(length=20), nullable=True),
        sa.Column("reference", sa.JSON(), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_conversations")),
        sa.UniqueConstraint("chat", "conversation_id", name="uq_conversations_conversation"),
    )
    with op.batch_alter_table("conversations", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_conversations_team_id"), ["team_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("conversations", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_conversations_team_id"))

    op.drop_table("conversations")

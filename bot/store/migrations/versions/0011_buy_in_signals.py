"""buy-in signals: reactions and replies from people on what winsbot posts (filled by the buy-in work)

Reactions on messages winsbot posted (one row per message, person and emoji; a removed
reaction keeps its row with ``removed_at``, so a late redelivery of the "added" event cannot
bring it back), the members of the channels subscribed to the leadership digest, and the
ledger of monthly buy-in notes (one per month).

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-07 01:15:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0011"
down_revision: str | None = "0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    op.create_table(
        "buy_in_signals",
        sa.Column("id", ID, autoincrement=True, nullable=False),
        sa.Column("posted_message_id", ID, nullable=False),
        sa.Column("chat", sa.String(length=10), nullable=False),
        sa.Column("user_id", sa.String(length=200), nullable=False),
        sa.Column("user_name", sa.String(length=200), nullable=True),
        sa.Column("reaction", sa.String(length=100), nullable=False),
        sa.Column("reacted_at", sa.DateTime(), nullable=False),
        sa.Column("removed_at", sa.DateTime(), nullable=True),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["posted_message_id"],
            ["posted_messages.id"],
            name=op.f("fk_buy_in_signals_posted_message_id_posted_messages"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_buy_in_signals")),
        sa.UniqueConstraint(
            "posted_message_id", "user_id", "reaction", name="uq_buy_in_signals_reaction"
        ),
    )
    with op.batch_alter_table("buy_in_signals", schema=None) as batch_op:
        batch_op.create_index("ix_buy_in_signals_reacted_at", ["reacted_at"], unique=False)
    op.create_table(
        "leadership_members",
        sa.Column("id", ID, autoincrement=True, nullable=False),
        sa.Column("chat", sa.String(length=10), nullable=False),
        sa.Column("channel_id", sa.String(length=300), nullable=False),
        sa.Column("user_id", sa.String(length=200), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=True),
        sa.Column("seen_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_leadership_members")),
        sa.UniqueConstraint(
            "chat", "channel_id", "user_id", name="uq_leadership_members_member"
        ),
    )
    op.create_table(
        "buy_in_notes",
        sa.Column("id", ID, autoincrement=True, nullable=False),
        sa.Column("period", sa.String(length=7), nullable=False),
        sa.Column("state", sa.String(length=10), nullable=False),
        sa.Column("claimed_by", sa.String(length=200), nullable=True),
        sa.Column("message_id", sa.String(length=300), nullable=True),
        sa.Column("error", sa.Text(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("sent_at", sa.DateTime(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_buy_in_notes")),
        sa.UniqueConstraint("period", name=op.f("uq_buy_in_notes_period")),
    )


def downgrade() -> None:
    op.drop_table("buy_in_notes")
    op.drop_table("leadership_members")
    with op.batch_alter_table("buy_in_signals", schema=None) as batch_op:
        batch_op.drop_index("ix_buy_in_signals_reacted_at")
    op.drop_table("buy_in_signals")

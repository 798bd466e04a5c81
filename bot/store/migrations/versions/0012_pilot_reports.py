"""pilot reports: asking a pilot's owners for learnings and posting its report once (filled by the pilot-report work)

``pilot_messages`` is the ledger of what a pilot's end sends (the learnings ask to each owner,
the report to each subscribed channel), one row per (campaign, kind, target), claimed and
leased like a story prompt; ``pilot_answers`` holds each owner's recommended next step and the
case study their learnings were stored as.

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-07 02:05:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0012"
down_revision: str | None = "0011"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    op.create_table(
        "pilot_messages",
        sa.Column("id", ID, autoincrement=True, nullable=False),
        sa.Column("campaign_id", ID, nullable=False),
        sa.Column("kind", sa.String(length=10), nullable=False),
        sa.Column("target", sa.String(length=300), nullable=False),
        sa.Column("state", sa.String(length=14), nullable=False),
        sa.Column("claimed_by", sa.String(length=200), nullable=True),
        sa.Column("lease_until", sa.DateTime(), nullable=True),
        sa.Column("sending_since", sa.DateTime(), nullable=True),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("message_ref", sa.JSON(), nullable=True),
        sa.Column("error", sa.Text(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("sent_at", sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(
            ["campaign_id"],
            ["campaigns.id"],
            name=op.f("fk_pilot_messages_campaign_id_campaigns"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_pilot_messages")),
        sa.UniqueConstraint("campaign_id", "kind", "target", name="uq_pilot_messages_target"),
    )
    with op.batch_alter_table("pilot_messages", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_pilot_messages_state"), ["state"], unique=False)
    op.create_table(
        "pilot_answers",
        sa.Column("id", ID, autoincrement=True, nullable=False),
        sa.Column("campaign_id", ID, nullable=False),
        sa.Column("user_id", sa.String(length=200), nullable=False),
        sa.Column("next_step", sa.String(length=10), nullable=False),
        sa.Column("case_study_id", ID, nullable=True),
        sa.Column("answered_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["campaign_id"],
            ["campaigns.id"],
            name=op.f("fk_pilot_answers_campaign_id_campaigns"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["case_study_id"],
            ["case_studies.id"],
            name=op.f("fk_pilot_answers_case_study_id_case_studies"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_pilot_answers")),
        sa.UniqueConstraint("campaign_id", "user_id", name="uq_pilot_answers_campaign_user"),
    )


def downgrade() -> None:
    op.drop_table("pilot_answers")
    with op.batch_alter_table("pilot_messages", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_pilot_messages_state"))
    op.drop_table("pilot_messages")

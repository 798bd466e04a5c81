"""pilot report responses: the pilot a posted message, a reply's story or its feedback is about

A pilot report is posted like a digest; remembering its campaign lets reactions and replies
under it count as leadership's response to that pilot, and an owner's reply there become one
of the pilot's stories.

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-07 03:55:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0015"
down_revision: str | None = "0014"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
TABLES = ("posted_messages", "case_studies", "win_feedback")


def upgrade() -> None:
    for table in TABLES:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.add_column(sa.Column("campaign_id", ID, nullable=True))
            batch_op.create_foreign_key(
                op.f(f"fk_{table}_campaign_id_campaigns"),
                "campaigns",
                ["campaign_id"],
                ["id"],
                ondelete="SET NULL",
            )


def downgrade() -> None:
    for table in reversed(TABLES):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_constraint(op.f(f"fk_{table}_campaign_id_campaigns"), type_="foreignkey")
            batch_op.drop_column("campaign_id")

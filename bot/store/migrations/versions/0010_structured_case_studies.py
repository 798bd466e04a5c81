"""structured case studies and feedback on wins (filled by the story-form work)

The "Add the story" form's three answers become columns of a case study, and replies under a
win from people who are not telling its story are kept apart, as feedback.

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-07 01:15:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0010"
down_revision: str | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    with op.batch_alter_table("case_studies", schema=None) as batch_op:
        batch_op.add_column(sa.Column("what_we_did", sa.Text(), nullable=True))
        batch_op.add_column(sa.Column("result", sa.Text(), nullable=True))
        batch_op.add_column(sa.Column("learned", sa.Text(), nullable=True))
    op.create_table(
        "win_feedback",
        sa.Column("id", ID, autoincrement=True, nullable=False),
        sa.Column("win_id", ID, nullable=True),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("author", sa.String(length=200), nullable=True),
        sa.Column("author_name", sa.String(length=200), nullable=True),
        sa.Column("source", sa.String(length=20), nullable=False),
        sa.Column("source_ref", sa.String(length=300), nullable=False),
        sa.Column("private_to", sa.String(length=200), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["win_id"], ["wins.id"], name=op.f("fk_win_feedback_win_id_wins"), ondelete="SET NULL"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_win_feedback")),
        sa.UniqueConstraint("source_ref", name=op.f("uq_win_feedback_source_ref")),
    )
    with op.batch_alter_table("win_feedback", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_win_feedback_win_id"), ["win_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("win_feedback", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_win_feedback_win_id"))
    op.drop_table("win_feedback")
    with op.batch_alter_table("case_studies", schema=None) as batch_op:
        batch_op.drop_column("learned")
        batch_op.drop_column("result")
        batch_op.drop_column("what_we_did")

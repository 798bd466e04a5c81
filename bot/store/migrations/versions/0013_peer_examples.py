"""peer examples: peers' standout posts saved with a note on what to learn (filled by the peer-examples work)

One row per peer post and person who saved it (saving again updates the note), so a retried
Slack submission cannot store the same example twice.

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-07 02:05:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0013"
down_revision: str | None = "0012"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    op.create_table(
        "peer_examples",
        sa.Column("id", ID, autoincrement=True, nullable=False),
        sa.Column("post_id", ID, nullable=False),
        sa.Column("win_id", ID, nullable=True),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("saved_by", sa.String(length=200), nullable=False),
        sa.Column("saved_by_name", sa.String(length=200), nullable=True),
        sa.Column("saved_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["post_id"],
            ["posts.id"],
            name=op.f("fk_peer_examples_post_id_posts"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["win_id"],
            ["wins.id"],
            name=op.f("fk_peer_examples_win_id_wins"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_peer_examples")),
        sa.UniqueConstraint("post_id", "saved_by", name="uq_peer_examples_post_saver"),
    )
    with op.batch_alter_table("peer_examples", schema=None) as batch_op:
        batch_op.create_index("ix_peer_examples_saved_at", ["saved_at"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("peer_examples", schema=None) as batch_op:
        batch_op.drop_index("ix_peer_examples_saved_at")
    op.drop_table("peer_examples")

"""post format: what a post is (video, image, text, link, carousel, reel) where the source says

Detection compares a post with earlier posts of its own format when the account has enough of
them: a video usually draws more than a text post on the same account. Posts stored before this
revision have no format and keep being compared with all of the account's posts.

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-07 01:30:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("posts", schema=None) as batch_op:
        batch_op.add_column(sa.Column("format", sa.String(length=16), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("posts", schema=None) as batch_op:
        batch_op.drop_column("format")

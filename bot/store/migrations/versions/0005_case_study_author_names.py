"""case study author names: readers see who wrote a story, not a user id

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-06 23:30:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("case_studies", schema=None) as batch_op:
        batch_op.add_column(sa.Column("author_name", sa.String(length=200), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("case_studies", schema=None) as batch_op:
        batch_op.drop_column("author_name")

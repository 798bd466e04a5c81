"""buy-in note lease: a killed worker's claim on the monthly note lapses, to be taken over

``lease_until`` bounds a claim; ``sending_since``, committed before the chat is asked, tells
whoever takes an expired claim over that the note may already be out; ``attempts`` makes each
takeover a compare-and-swap. Rows from before have no lease and are treated as lapsed; a
month they left claimed counts as possibly posted.

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-07 04:15:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0014"
down_revision: str | None = "0013"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("buy_in_notes") as batch:
        batch.add_column(sa.Column("lease_until", sa.DateTime(), nullable=True))
        batch.add_column(sa.Column("sending_since", sa.DateTime(), nullable=True))
        batch.add_column(
            sa.Column("attempts", sa.Integer(), nullable=False, server_default=sa.text("1"))
        )
    # A month left claimed by the code before this one may have been posted (it recorded
    # nothing before posting): taken over, it is settled as uncertain, never posted twice.
    op.execute("UPDATE buy_in_notes SET sending_since = created_at WHERE state = 'claimed'")


def downgrade() -> None:
    with op.batch_alter_table("buy_in_notes") as batch:
        batch.drop_column("attempts")
        batch.drop_column("sending_since")
        batch.drop_column("lease_until")

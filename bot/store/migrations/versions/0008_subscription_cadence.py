"""subscription cadence: weekly or monthly digests

A subscription's digest goes out every week (as before) or on the first <weekday> of each month,
covering the calendar month before. Existing subscriptions stay weekly: the server default fills
the new column, so no data migration is needed. Deliveries need no change: a month's period label
("2026-11") never equals a week's ("2026-W47"), so the (subscription, period) key stays unique.

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-07 01:15:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("subscriptions", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("cadence", sa.String(length=10), nullable=False, server_default="weekly")
        )


def downgrade() -> None:
    with op.batch_alter_table("subscriptions", schema=None) as batch_op:
        batch_op.drop_column("cadence")

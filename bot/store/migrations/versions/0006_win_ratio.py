"""win ratio: post wins rank and read by times their usual engagement

Adds ``ratio`` (actual / expected engagement at the same age) and ``expected`` to wins, and
moves stored scores onto the one ranking scale of ``bot.domain.wins`` (log2 of times the
usual): a post's score was its robust z-score, a milestone's 3 + log10(followers / 1000) and a
goal's 5 + overshoot. Post wins take their ratio and baseline from ``details``, where detection
has always written them.

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-06 23:55:00.000000
"""

import math
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_wins = sa.table(
    "wins",
    sa.column("id", sa.Integer),
    sa.column("kind", sa.String),
    sa.column("score", sa.Float),
    sa.column("ratio", sa.Float),
    sa.column("expected", sa.Float),
    sa.column("details", sa.JSON),
)


def upgrade() -> None:
    with op.batch_alter_table("wins", schema=None) as batch_op:
        batch_op.add_column(sa.Column("ratio", sa.Float(), nullable=True))
        batch_op.add_column(sa.Column("expected", sa.Float(), nullable=True))
    bind = op.get_bind()
    rows = bind.execute(sa.select(_wins.c.id, _wins.c.kind, _wins.c.score, _wins.c.details))
    for win_id, kind, score, details in rows.all():
        values: dict[str, float | None] = {}
        if kind == "post":
            ratio = (details or {}).get("ratio")
            if isinstance(ratio, int | float) and ratio > 0:
                values = {
                    "ratio": float(ratio),
                    "expected": (details or {}).get("baseline"),
                    "score": round(math.log2(ratio), 2),
                }
        elif kind == "milestone":
            values = {"score": round(score - 1.0, 2)}
        elif kind == "campaign":
            values = {"score": round(score - 2.0, 2)}
        if values:
            bind.execute(_wins.update().where(_wins.c.id == win_id).values(**values))


def downgrade() -> None:
    # Scores stay on the new scale: `winsbot detect --everything` rescores posts if needed.
    with op.batch_alter_table("wins", schema=None) as batch_op:
        batch_op.drop_column("expected")
        batch_op.drop_column("ratio")

"""Follower milestones: the round numbers an account's follower count crossed.

Apart from ``wins`` so that module stays about judging posts; ranked on its scale (``score``).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from itertools import pairwise

from bot.domain.models import Platform

# Round numbers people celebrate: 1k, 2k, 5k, 10k, 20k, 50k, ... up to a billion.
MILESTONES: tuple[int, ...] = tuple(
    base * 10**power for power in range(3, 10) for base in (1, 2, 5) if base * 10**power <= 10**9
)


@dataclass(frozen=True, slots=True)
class Milestone:
    followers: int
    reached: int
    previous: int
    occurred_at: datetime
    reason: str

    @property
    def score(self) -> float:
        # 1,000 followers ranks like a post at 4x its usual, each tenfold like twice that ratio.
        return round(2.0 + math.log10(self.followers / 1000), 2)


def follower_milestones(
    series: Sequence[tuple[datetime, int]], *, account: str, platform: Platform
) -> list[Milestone]:
    """Round numbers crossed between consecutive follower counts (only the highest per jump)."""
    found: list[Milestone] = []
    ordered = sorted(series)
    for (_, before), (at, after) in pairwise(ordered):
        crossed = [m for m in MILESTONES if before < m <= after]
        if crossed:
            mark = crossed[-1]
            found.append(
                Milestone(
                    followers=mark,
                    reached=after,
                    previous=before,
                    occurred_at=at,
                    reason=(
                        f"{account} passed {mark:,} followers on {platform.label} "
                        f"({after:,} on {at:%d %b %Y})"
                    ),
                )
            )
    return found

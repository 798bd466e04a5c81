"""A post's counts over its life, and how a count is read at a given age.

Apart from ``wins`` so that module stays about the rules; the store builds these series and
detection reads them, each at the ages the rules compare posts at.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime

from bot.domain.models import PostFormat

# The counts besides engagement a post can win on, in the order of ``PostSeries.exposure``.
EXPOSURE_METRICS: tuple[str, ...] = ("impressions", "reach", "video_views", "clicks")
NO_EXPOSURE: tuple[int | None, ...] = (None,) * len(EXPOSURE_METRICS)


@dataclass(slots=True)
class PostSeries:
    """A post's counts over its life: ages (seconds since publishing) with counts, sorted."""

    post_id: int
    published_at: datetime
    format: PostFormat | None = None
    ages: list[float] = field(default_factory=list)
    engagement: list[int] = field(default_factory=list)
    captured_at: list[datetime] = field(default_factory=list)
    # Per snapshot, the EXPOSURE_METRICS counts (None where the platform did not report one).
    exposure: list[tuple[int | None, ...]] = field(default_factory=list)

    def add(
        self,
        captured_at: datetime,
        engagement: int,
        exposure: tuple[int | None, ...] = NO_EXPOSURE,
    ) -> None:
        self.ages.append((captured_at - self.published_at).total_seconds())
        self.engagement.append(engagement)
        self.captured_at.append(captured_at)
        self.exposure.append(exposure)

    @property
    def latest_age(self) -> float:
        return self.ages[-1]

    def at_age(self, age: float) -> int:
        """Engagement at ``age``: read between the snapshots around it, else the nearest one.

        Between two snapshots the count is taken in proportion to the time between them: the
        last one before ``age`` undercounts a post still growing (a slow burner polled at three
        days and at eight is worth more at seven than its three-day count), and it undercounts
        young baseline posts most, which flattered every young post. Before the first snapshot,
        the first: exports hold one count per post at whatever age it had on export day, and
        using it overstates an old post's early count, which errs against wins.
        """
        count = self._read(self.engagement, age)
        return 0 if count is None else count

    def metric_at_age(self, metric: str, age: float) -> int | None:
        """Like ``at_age`` for any judged count; None when the snapshot(s) did not report it."""
        if metric == "engagement":
            return self.at_age(age)
        slot = EXPOSURE_METRICS.index(metric)
        return self._read([counts[slot] for counts in self.exposure], age)

    def _read(self, values: Sequence[int | None], age: float) -> int | None:
        index = bisect_right(self.ages, age)
        if index == 0:
            return values[0]
        before = values[index - 1]
        if index == len(self.ages) or self.ages[index - 1] == age:
            return before
        after = values[index]
        if before is None or after is None:
            return before
        share = (age - self.ages[index - 1]) / (self.ages[index] - self.ages[index - 1])
        return round(before + share * (after - before))

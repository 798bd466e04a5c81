"""Neutral replies that every renderer (terminal, Block Kit, Adaptive Cards) draws its own way.

Views hold facts and plain text only, never markup: each renderer escapes and formats.
"""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, ConfigDict

from bot.models import Audience, CampaignProgress, CaseStudy, Platform, Win


class Headline(BaseModel):
    """One headline number with the same figure for the previous period."""

    model_config = ConfigDict(frozen=True)

    label: str
    value: int
    previous: int

    @property
    def change(self) -> float | None:
        """Relative change (0.25 = +25%); None when there is nothing to compare against."""
        if self.previous == 0:
            return None
        return (self.value - self.previous) / self.previous


class PeriodStats(BaseModel):
    """What an audience's accounts did in one period; computed by the store, composed by digest."""

    posts: int = 0
    engagement: int = 0
    impressions: int = 0
    followers_gained: int = 0
    engagement_by_platform: dict[Platform, int] = {}


class DigestView(BaseModel):
    audience: Audience
    period_label: str  # 2026-W47
    period_text: str  # 16–22 Nov 2026
    timezone: str
    starts_at: datetime
    ends_at: datetime
    headlines: list[Headline]
    top_wins: list[Win]
    more_wins: int = 0
    campaigns: list[CampaignProgress] = []
    case_studies: list[CaseStudy] = []
    engagement_by_platform: dict[Platform, int] = {}
    quiet_message: str | None = None

    @property
    def is_quiet(self) -> bool:
        return self.quiet_message is not None

"""Neutral replies that every renderer (terminal, Block Kit, Adaptive Cards) draws its own way.

Views hold facts and plain text only, never markup: each renderer escapes and formats. A command
named in the core's own texts is written with the grammar's word, `` `wins help` ``: each chat
renderer puts its platform's way of invoking winsbot in front (``/wins``, ``@winsbot wins``).
"""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, ConfigDict

from bot.domain.models import Audience, CampaignProgress, CaseStudy, Platform, Subscription, Win


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
    clicks: int = 0
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
    # "What peers did well": competitors' and industry examples' standout posts of the week.
    peer_wins: list[Win] = []
    engagement_by_platform: dict[Platform, int] = {}
    quiet_message: str | None = None
    # The first line a leader reads: what changed and why it matters, from the numbers below.
    so_what: str | None = None

    @property
    def is_quiet(self) -> bool:
        return self.quiet_message is not None


class WinListView(BaseModel):
    """Wins answering a query; ``shareable`` asks renderers for a "Share to channel" action."""

    title: str  # e.g. "Top wins, last 7 days · LinkedIn · #recruiting"
    wins: list[Win]
    more: int = 0
    empty_message: str | None = None
    shareable: bool = True


class CaseStudyListView(BaseModel):
    title: str
    case_studies: list[CaseStudy]
    more: int = 0
    empty_message: str | None = None


class HelpView(BaseModel):
    """Usage lines (command, what it does) and a few examples people can copy."""

    title: str | None = None  # None: "How to use" and the command, as the chat spells it
    commands: list[tuple[str, str]]
    examples: list[str] = []


class ErrorView(BaseModel):
    """What was wrong, what to type instead; never a stack trace.

    ``usage`` is one usage line of the grammar ("top [platform] [7d|30d]"), drawn as code with
    the chat's command in front; ``hint`` is a sentence ("Type `wins help` to see ...").
    """

    message: str
    suggestion: str | None = None  # e.g. "did you mean `#recruiting`?"
    usage: str | None = None
    hint: str | None = None


class SubscriptionListView(BaseModel):
    title: str
    subscriptions: list[Subscription]
    empty_message: str | None = None


class NoticeView(BaseModel):
    """A short confirmation or refusal ("Saved as a case study for ...")."""

    text: str
    ok: bool = True


ChatView = (
    DigestView
    | WinListView
    | CaseStudyListView
    | HelpView
    | ErrorView
    | SubscriptionListView
    | NoticeView
)

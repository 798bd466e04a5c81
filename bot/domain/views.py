"""Neutral replies that every renderer (terminal, Block Kit, Adaptive Cards) draws its own way.

Views hold facts and plain text only, never markup: each renderer escapes and formats. A command
named in the core's own texts is written with the grammar's word, `` `wins help` ``: each chat
renderer puts its platform's way of invoking winsbot in front (``/wins``, ``@winsbot wins``).
"""

from __future__ import annotations

from datetime import date, datetime

from pydantic import BaseModel, ConfigDict

from bot.domain.models import (
    Audience,
    Cadence,
    CampaignProgress,
    CaseStudy,
    Platform,
    Subscription,
    Win,
)
from bot.domain.peer_examples import PeerExample


class Headline(BaseModel):
    """One headline number with the same figure for the previous period."""

    model_config = ConfigDict(frozen=True)

    label: str
    value: int
    previous: int
    # The weekly average over the 12 weeks before this one: last week alone is one noisy
    # point, the account's own trend is what "good for us" means. None: too little history.
    usual: float | None = None
    usual_weeks: int = 12  # how many weeks ``usual`` counts: its name says so

    @property
    def change(self) -> float | None:
        """Relative change (0.25 = +25%); None when there is nothing to compare against."""
        if self.previous == 0:
            return None
        return (self.value - self.previous) / self.previous

    @property
    def change_on_usual(self) -> float | None:
        """Relative change against the 12-week average; None without one (or when it is 0)."""
        if not self.usual:
            return None
        return (self.value - self.usual) / self.usual


class PeriodStats(BaseModel):
    """What an audience's accounts did in one period; computed by the store, composed by digest."""

    posts: int = 0
    engagement: int = 0
    impressions: int = 0
    clicks: int = 0
    followers_gained: int = 0
    engagement_by_platform: dict[Platform, int] = {}


class PlatformWeek(BaseModel):
    """One platform's headline numbers for one week, counted as ``PeriodStats`` counts them."""

    model_config = ConfigDict(frozen=True)

    posts: int = 0
    engagement: int = 0
    impressions: int = 0
    clicks: int = 0
    followers_gained: int = 0
    # winsbot began watching one of the platform's accounts this week: the counts its posts had
    # gathered before their first snapshot all landed here, so the week is no one's "usual".
    began: bool = False


class TrendWeek(BaseModel):
    """One week of an audience's trend: the numbers per platform and how many wins it had."""

    model_config = ConfigDict(frozen=True)

    label: str  # 2026-W47
    starts_on: date  # the Monday, in the digest's time zone
    platforms: dict[Platform, PlatformWeek] = {}
    wins: int = 0

    def total(self, metric: str) -> int:
        """The audience's total of one ``PlatformWeek`` field over its platforms."""
        return sum(int(getattr(week, metric)) for week in self.platforms.values())


class DigestView(BaseModel):
    audience: Audience
    period_label: str  # 2026-W47, or 2026-11 for a monthly digest
    period_text: str  # 16–22 Nov 2026, or November 2026
    cadence: Cadence = Cadence.WEEKLY  # what the texts call the period: "this week", "this month"
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
    # Our follower growth against the peers we follow, in one sentence (domain.peers).
    peer_growth: str | None = None
    # Peers' posts people saved with a note on what to learn, shown before peer_wins.
    peer_examples: list[PeerExample] = []
    engagement_by_platform: dict[Platform, int] = {}
    quiet_message: str | None = None
    # The first line a leader reads: what changed and why it matters, from the numbers below.
    so_what: str | None = None
    # The digest week and the 12 before it, oldest first (empty when the caller had none).
    trend: list[TrendWeek] = []
    # Plain lines owning up to numbers well below their 12-week usual (see domain.trend).
    misses: list[str] = []

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
    # Peers' wins: renderers offer "Save as example" (a note on what to learn) instead of sharing.
    peers: bool = False
    # Sentences under the title: a campaign's progress and pace, how to ask `wins why 7`.
    notes: list[str] = []


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


class WhyPost(BaseModel):
    """One post a win was compared with, as it stood at the same age as the win."""

    published_at: datetime | None  # None: the post is no longer stored
    engagement: int
    url: str | None = None
    text: str | None = None  # its first words
    label: str  # "3 Nov 2026 · 212 interactions · the median"
    median: bool = False


class WhyView(BaseModel):
    """`wins why 7`: the figures behind one win and the posts its baseline came from.

    ``facts`` are plain sentences in reading order; ``note`` is what is missing and how to get
    it (a win detected before the compared posts were recorded), or that it is a peer's post.
    """

    win: Win
    title: str  # "Why #7 is a win"
    facts: list[str]
    compared_heading: str | None = None
    compared: list[WhyPost] = []
    note: str | None = None


class NoticeView(BaseModel):
    """A short confirmation or refusal ("Saved as a case study for ...")."""

    text: str
    ok: bool = True


class StoryPromptView(BaseModel):
    """A direct message asking a win's owner for its story: the win, its numbers, a button.

    Not a ChatView: it goes to one person (``DirectMessages``), never into a channel thread.
    ``intro`` is the sentence above the win; ``reminder`` marks the one follow-up.
    """

    win: Win
    owner: str
    intro: str
    reminder: bool = False
    prompt_id: int | None = None  # names the prompt in the message, where the platform can


ChatView = (
    DigestView
    | WinListView
    | CaseStudyListView
    | HelpView
    | ErrorView
    | SubscriptionListView
    | NoticeView
    | WhyView
)

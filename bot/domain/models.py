"""Domain types the rest of the code passes around.

Pydantic models carry data across boundaries (config, views, JSON output). The one exception is
``SnapshotRecord``: importers stream millions of them, so it is a slotted dataclass that costs a
fraction of a validated model per row; parsers validate each field as they build it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field


class Platform(StrEnum):
    MASTODON = "mastodon"
    BLUESKY = "bluesky"
    X = "x"
    LINKEDIN = "linkedin"
    FACEBOOK = "facebook"
    INSTAGRAM = "instagram"
    YOUTUBE = "youtube"
    THREADS = "threads"
    TIKTOK = "tiktok"
    PINTEREST = "pinterest"
    REDDIT = "reddit"

    @property
    def label(self) -> str:
        return _PLATFORM_LABELS.get(self, self.value.capitalize())


_PLATFORM_LABELS = {
    Platform.X: "X",
    Platform.LINKEDIN: "LinkedIn",
    Platform.YOUTUBE: "YouTube",
    Platform.TIKTOK: "TikTok",
}

PLATFORM_ALIASES: dict[str, Platform] = {
    "twitter": Platform.X,
    "x (twitter)": Platform.X,
    "twitter/x": Platform.X,
    "fb": Platform.FACEBOOK,
    "facebook page": Platform.FACEBOOK,
    "ig": Platform.INSTAGRAM,
    "instagram business": Platform.INSTAGRAM,
    "linkedin company": Platform.LINKEDIN,
    "linkedin page": Platform.LINKEDIN,
    "yt": Platform.YOUTUBE,
    "bsky": Platform.BLUESKY,
}


def parse_platform(text: str) -> Platform:
    """Map what exports and people write ("Twitter", "LinkedIn Page") to a Platform."""
    key = text.strip().lower()
    if key in PLATFORM_ALIASES:
        return PLATFORM_ALIASES[key]
    try:
        return Platform(key)
    except ValueError:
        known = ", ".join(p.value for p in Platform)
        raise ValueError(f"unknown platform {text!r} (expected one of: {known})") from None


def normalise_tag(tag: str) -> str:
    """Tags are compared lower-case without the leading '#' people type in chat."""
    return tag.strip().lstrip("#").lower()


METRIC_NAMES: tuple[str, ...] = (
    "impressions",
    "reach",
    "likes",
    "comments",
    "shares",
    "quotes",
    "saves",
    "clicks",
    "video_views",
)
# Interactions that count as engagement; reach, impressions and views are exposure, not engagement.
ENGAGEMENT_METRICS: tuple[str, ...] = ("likes", "comments", "shares", "quotes", "saves", "clicks")


@dataclass(slots=True)
class Metrics:
    """Counts of one post at one moment; None means the platform did not report it."""

    impressions: int | None = None
    reach: int | None = None
    likes: int | None = None
    comments: int | None = None
    shares: int | None = None
    quotes: int | None = None
    saves: int | None = None
    clicks: int | None = None
    video_views: int | None = None

    @property
    def engagement(self) -> int:
        # Spelled out (not a loop over ENGAGEMENT_METRICS): it runs once per imported row.
        return (
            (self.likes or 0)
            + (self.comments or 0)
            + (self.shares or 0)
            + (self.quotes or 0)
            + (self.saves or 0)
            + (self.clicks or 0)
        )


class PostFormat(StrEnum):
    """What a post is, where the platform says: a video usually draws more than a text post."""

    TEXT = "text"
    IMAGE = "image"
    VIDEO = "video"
    LINK = "link"
    CAROUSEL = "carousel"
    REEL = "reel"

    @property
    def noun(self) -> str:
        """As a reason names it: "the last 12 video posts"."""
        return self.value


@dataclass(slots=True)
class SnapshotRecord:
    """One row from a source: a post, its counts at ``captured_at``, maybe the account's followers.

    ``captured_at`` is None when the source does not say (most exports); the importer then uses
    the import time, and skips the snapshot if its counts equal the post's latest ones, so
    re-importing the same export adds nothing.
    """

    platform: Platform
    account: str
    post_id: str
    published_at: datetime
    metrics: Metrics
    url: str | None = None
    text: str | None = None
    followers: int | None = None
    captured_at: datetime | None = None
    format: PostFormat | None = None


@dataclass(slots=True)
class FollowerRecord:
    """An account's follower count at one moment (from an API, an export or sample data)."""

    platform: Platform
    account: str
    captured_at: datetime
    followers: int


@dataclass(slots=True, frozen=True)
class RowProblem:
    """A row a source could not read: reported with its line number, the rest still imports."""

    line: int
    reason: str


SourceItem = SnapshotRecord | FollowerRecord | RowProblem


class AccountKind(StrEnum):
    OURS = "ours"
    PEER = "peer"


class WinKind(StrEnum):
    POST = "post"
    MILESTONE = "milestone"
    CAMPAIGN = "campaign"


class CampaignMetric(StrEnum):
    ENGAGEMENT = "engagement"
    IMPRESSIONS = "impressions"
    REACH = "reach"
    LIKES = "likes"
    COMMENTS = "comments"
    SHARES = "shares"
    CLICKS = "clicks"
    VIDEO_VIEWS = "video_views"
    POSTS = "posts"
    FOLLOWERS = "followers"


class SourceAccount(BaseModel):
    """An account to poll, as configured in winsbot.toml ([[accounts]])."""

    model_config = ConfigDict(frozen=True)

    platform: Platform
    handle: str = Field(min_length=1, max_length=200)
    # The platform's own id where its API needs one (X user id, LinkedIn organization id,
    # Facebook page id, Instagram user id, YouTube channel id); the handle is the display name.
    id: str | None = None
    kind: AccountKind = AccountKind.OURS
    tags: tuple[str, ...] = ()
    # Who is asked for the story behind this account's wins (Slack user ids, Teams AAD ids).
    owners: tuple[str, ...] = ()


class Audience(BaseModel):
    """Who a digest or query is for: leadership (no filter) or a department's selection."""

    model_config = ConfigDict(frozen=True)

    name: str = "leadership"
    tags: tuple[str, ...] = ()
    platforms: tuple[Platform, ...] = ()
    accounts: tuple[str, ...] = ()

    @property
    def is_leadership(self) -> bool:
        return not (self.tags or self.platforms or self.accounts)


class Win(BaseModel):
    """A highlight worth telling leadership about, with the numbers that justify it."""

    id: int
    kind: WinKind
    score: float  # rank on one scale for every kind: log2 of "times its usual"
    reason: str
    occurred_at: datetime
    detected_at: datetime
    # A post win's count over what the account usually gets at that age, and that usual; the
    # count is ``metric`` (engagement, reach, impressions, video_views or clicks).
    ratio: float | None = None
    expected: float | None = None
    metric: str | None = None
    platform: Platform | None = None
    account: str | None = None
    account_tags: tuple[str, ...] = ()
    post_external_id: str | None = None
    post_url: str | None = None
    post_text: str | None = None
    engagement: int | None = None
    impressions: int | None = None
    campaign: str | None = None


class CaseStudy(BaseModel):
    id: int
    body: str
    author: str | None = None  # the chat's user id (or what the CLI was given)
    author_name: str | None = None  # the name people know them by, when the chat told us
    win_id: int | None = None
    win_reason: str | None = None
    created_at: datetime
    source: str = "cli"
    private_to: str | None = Field(
        None, description="channel id a private-channel case study is limited to"
    )
    # The form's three answers (bot.domain.stories); a thread reply fills only the first.
    what_we_did: str | None = None
    result: str | None = None
    learned: str | None = None

    @property
    def byline(self) -> str | None:
        """Who wrote it, as readers know them: their name, else whatever identifies them."""
        return self.author_name or self.author


class Campaign(BaseModel):
    """A short SMART pilot: one metric, a target, a window and a rule for which posts count."""

    id: int | None = None
    name: str
    metric: CampaignMetric
    target: int = Field(gt=0)
    starts_on: date
    ends_on: date
    tag: str | None = None
    hashtag: str | None = None
    account: str | None = None
    platform: Platform | None = None


class CampaignProgress(BaseModel):
    campaign: Campaign
    value: int
    posts: int
    # The day the value was counted up to, so its pace can be said; None when not known.
    as_of: date | None = None

    @property
    def fraction(self) -> float:
        return self.value / self.campaign.target

    @property
    def reached(self) -> bool:
        return self.value >= self.campaign.target


class Chat(StrEnum):
    SLACK = "slack"
    TEAMS = "teams"


WEEKDAYS: tuple[str, ...] = (
    "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday",
)  # fmt: skip


class Cadence(StrEnum):
    """How often a digest goes out, and so the period it covers: a week or a calendar month."""

    WEEKLY = "weekly"
    MONTHLY = "monthly"

    @property
    def noun(self) -> str:
        """ "week" or "month": what a digest's texts call its period ("a quiet month")."""
        return "week" if self is Cadence.WEEKLY else "month"


class Schedule(BaseModel):
    """When a subscription's digest goes out: a weekday and local time in an IANA zone.

    Weekly: every such weekday. Monthly: the first such weekday of each month, covering the
    calendar month before (see ``bot.domain.schedules``).
    """

    model_config = ConfigDict(frozen=True)

    weekday: int = Field(0, ge=0, le=6)  # 0 = Monday
    time: str = "09:00"  # HH:MM, 24-hour
    timezone: str = "UTC"
    cadence: Cadence = Cadence.WEEKLY

    def describe(self) -> str:
        day = WEEKDAYS[self.weekday].capitalize()
        if self.cadence is Cadence.MONTHLY:
            return f"on the first {day} of every month at {self.time} ({self.timezone})"
        return f"every {day} at {self.time} ({self.timezone})"


class Subscription(BaseModel):
    id: int
    chat: Chat
    channel_id: str
    workspace_id: str | None = None
    audience: Audience
    schedule: Schedule
    active: bool = True
    broken_reason: str | None = None
    created_by: str | None = None
    created_at: datetime | None = None

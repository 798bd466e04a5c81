"""SQLAlchemy 2 typed tables: the only place the schema is spelled out (Alembic mirrors it)."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Date,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from bot.store.types import UTCDateTime

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

# Counts can pass 2**31 on big accounts (video views); BigInteger on PostgreSQL, INTEGER on SQLite
# (which must stay INTEGER for rowid aliasing on primary keys).
Count = BigInteger().with_variant(Integer(), "sqlite")
Id = BigInteger().with_variant(Integer(), "sqlite")


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)


class AccountRow(Base):
    __tablename__ = "accounts"
    __table_args__ = (UniqueConstraint("platform", "handle", name="uq_accounts_platform_handle"),)

    id: Mapped[int] = mapped_column(Id, primary_key=True, autoincrement=True)
    platform: Mapped[str] = mapped_column(String(20))
    handle: Mapped[str] = mapped_column(String(200))
    display_name: Mapped[str | None] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(10), default="ours")  # ours | peer
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())


class AccountTagRow(Base):
    __tablename__ = "account_tags"

    account_id: Mapped[int] = mapped_column(
        ForeignKey("accounts.id", ondelete="CASCADE"), primary_key=True
    )
    tag: Mapped[str] = mapped_column(String(80), primary_key=True, index=True)


class PostRow(Base):
    """A published item. Latest counts are denormalised here so queries never scan snapshots."""

    __tablename__ = "posts"
    __table_args__ = (
        UniqueConstraint("platform", "external_id", name="uq_posts_platform_external_id"),
        Index("ix_posts_account_published", "account_id", "published_at"),
        Index("ix_posts_needs_scoring", "needs_scoring"),
    )

    id: Mapped[int] = mapped_column(Id, primary_key=True, autoincrement=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("accounts.id", ondelete="CASCADE"))
    platform: Mapped[str] = mapped_column(String(20))
    external_id: Mapped[str] = mapped_column(String(200))
    url: Mapped[str | None] = mapped_column(Text)
    text: Mapped[str | None] = mapped_column(Text)
    published_at: Mapped[datetime] = mapped_column(UTCDateTime())
    # A PostFormat value where the source says (video, image, ...): detection's baseline.
    format: Mapped[str | None] = mapped_column(String(16))
    latest_captured_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    latest_engagement: Mapped[int] = mapped_column(Count, default=0)
    latest_impressions: Mapped[int | None] = mapped_column(Count)
    # Set when a snapshot arrives, cleared by detection: what makes detection incremental.
    needs_scoring: Mapped[bool] = mapped_column(Boolean, default=True)


class PostSnapshotRow(Base):
    __tablename__ = "post_snapshots"
    __table_args__ = (
        UniqueConstraint("post_id", "captured_at", name="uq_post_snapshots_post_captured"),
        Index("ix_post_snapshots_captured_at", "captured_at"),
    )

    id: Mapped[int] = mapped_column(Id, primary_key=True, autoincrement=True)
    post_id: Mapped[int] = mapped_column(ForeignKey("posts.id", ondelete="CASCADE"))
    captured_at: Mapped[datetime] = mapped_column(UTCDateTime())
    impressions: Mapped[int | None] = mapped_column(Count)
    reach: Mapped[int | None] = mapped_column(Count)
    likes: Mapped[int | None] = mapped_column(Count)
    comments: Mapped[int | None] = mapped_column(Count)
    shares: Mapped[int | None] = mapped_column(Count)
    quotes: Mapped[int | None] = mapped_column(Count)
    saves: Mapped[int | None] = mapped_column(Count)
    clicks: Mapped[int | None] = mapped_column(Count)
    video_views: Mapped[int | None] = mapped_column(Count)
    engagement: Mapped[int] = mapped_column(Count)


class FollowerSnapshotRow(Base):
    __tablename__ = "follower_snapshots"
    __table_args__ = (
        UniqueConstraint(
            "account_id", "captured_at", name="uq_follower_snapshots_account_captured"
        ),
    )

    id: Mapped[int] = mapped_column(Id, primary_key=True, autoincrement=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("accounts.id", ondelete="CASCADE"))
    captured_at: Mapped[datetime] = mapped_column(UTCDateTime())
    followers: Mapped[int] = mapped_column(Count)


class CampaignRow(Base):
    __tablename__ = "campaigns"

    id: Mapped[int] = mapped_column(Id, primary_key=True, autoincrement=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    metric: Mapped[str] = mapped_column(String(30))
    target: Mapped[int] = mapped_column(Count)
    starts_on: Mapped[date] = mapped_column(Date)
    ends_on: Mapped[date] = mapped_column(Date)
    tag: Mapped[str | None] = mapped_column(String(80))
    hashtag: Mapped[str | None] = mapped_column(String(140))
    account: Mapped[str | None] = mapped_column(String(200))
    platform: Mapped[str | None] = mapped_column(String(20))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())


class WinRow(Base):
    """A detected highlight. ``key`` makes detection idempotent: one win per post/milestone/goal."""

    __tablename__ = "wins"
    __table_args__ = (Index("ix_wins_occurred_at", "occurred_at"),)

    id: Mapped[int] = mapped_column(Id, primary_key=True, autoincrement=True)
    key: Mapped[str] = mapped_column(String(300), unique=True)
    kind: Mapped[str] = mapped_column(String(20))
    account_id: Mapped[int | None] = mapped_column(
        ForeignKey("accounts.id", ondelete="CASCADE"), index=True
    )
    post_id: Mapped[int | None] = mapped_column(ForeignKey("posts.id", ondelete="CASCADE"))
    campaign_id: Mapped[int | None] = mapped_column(ForeignKey("campaigns.id", ondelete="CASCADE"))
    score: Mapped[float] = mapped_column(Float)  # the ranking scale, see bot.domain.wins
    # A post win's actual / expected engagement at the same age, and the expectation.
    ratio: Mapped[float | None] = mapped_column(Float)
    expected: Mapped[float | None] = mapped_column(Float)
    reason: Mapped[str] = mapped_column(Text)
    details: Mapped[dict[str, object]] = mapped_column(JSON, default=dict)
    occurred_at: Mapped[datetime] = mapped_column(UTCDateTime())
    detected_at: Mapped[datetime] = mapped_column(UTCDateTime())
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime())


class CaseStudyRow(Base):
    """The story behind a win. ``source_ref`` (the chat message id) makes capture idempotent."""

    __tablename__ = "case_studies"

    id: Mapped[int] = mapped_column(Id, primary_key=True, autoincrement=True)
    win_id: Mapped[int | None] = mapped_column(ForeignKey("wins.id", ondelete="SET NULL"))
    body: Mapped[str] = mapped_column(Text)
    author: Mapped[str | None] = mapped_column(String(200))  # the chat's user id: who may share
    author_name: Mapped[str | None] = mapped_column(String(200))  # what readers see
    source: Mapped[str] = mapped_column(String(20), default="cli")  # slack | teams | cli
    source_ref: Mapped[str | None] = mapped_column(String(300), unique=True)
    private_to: Mapped[str | None] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), index=True)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime())
    # The "Add the story" form's answers; ``body`` holds them joined (search reads it).
    what_we_did: Mapped[str | None] = mapped_column(Text)
    result: Mapped[str | None] = mapped_column(Text)
    learned: Mapped[str | None] = mapped_column(Text)
    # Told under a pilot report: the pilot it is a story of (its goal win, if any, in win_id).
    campaign_id: Mapped[int | None] = mapped_column(ForeignKey("campaigns.id", ondelete="SET NULL"))


class WinFeedbackRow(Base):
    """A reply under a win, digest or pilot report from someone who is not telling its story
    (applause, a question): kept as feedback, not a case study. ``source_ref`` as for case
    studies."""

    __tablename__ = "win_feedback"

    id: Mapped[int] = mapped_column(Id, primary_key=True, autoincrement=True)
    win_id: Mapped[int | None] = mapped_column(
        ForeignKey("wins.id", ondelete="SET NULL"), index=True
    )
    body: Mapped[str] = mapped_column(Text)
    author: Mapped[str | None] = mapped_column(String(200))
    author_name: Mapped[str | None] = mapped_column(String(200))
    source: Mapped[str] = mapped_column(String(20))  # slack | teams
    source_ref: Mapped[str] = mapped_column(String(300), unique=True)
    private_to: Mapped[str | None] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime())
    # Given under a pilot report: the pilot it responds to.
    campaign_id: Mapped[int | None] = mapped_column(ForeignKey("campaigns.id", ondelete="SET NULL"))


class SubscriptionRow(Base):
    """A channel that receives a digest: the single source of truth for the scheduler."""

    __tablename__ = "subscriptions"
    __table_args__ = (
        UniqueConstraint(
            "chat", "channel_id", "audience_name", name="uq_subscriptions_chat_channel_audience"
        ),
    )

    id: Mapped[int] = mapped_column(Id, primary_key=True, autoincrement=True)
    chat: Mapped[str] = mapped_column(String(10))  # slack | teams
    workspace_id: Mapped[str | None] = mapped_column(String(200))
    channel_id: Mapped[str] = mapped_column(String(300))
    audience_name: Mapped[str] = mapped_column(String(200))
    audience: Mapped[dict[str, object]] = mapped_column(JSON, default=dict)
    weekday: Mapped[int] = mapped_column(Integer, default=0)  # 0 = Monday
    send_time: Mapped[str] = mapped_column(String(5), default="09:00")
    timezone: Mapped[str] = mapped_column(String(64), default="UTC")
    # weekly | monthly (the first <weekday> of the month, covering the month before)
    cadence: Mapped[str] = mapped_column(String(10), default="weekly", server_default="weekly")
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    broken_reason: Mapped[str | None] = mapped_column(Text)
    conversation_ref: Mapped[dict[str, object] | None] = mapped_column(JSON)
    created_by: Mapped[str | None] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())


class DeliveryRow(Base):
    """One digest for one subscription and period: the unit of exactly-once."""

    __tablename__ = "deliveries"
    __table_args__ = (
        UniqueConstraint("subscription_id", "period", name="uq_deliveries_subscription_period"),
    )

    id: Mapped[int] = mapped_column(Id, primary_key=True, autoincrement=True)
    subscription_id: Mapped[int] = mapped_column(ForeignKey("subscriptions.id", ondelete="CASCADE"))
    period: Mapped[str] = mapped_column(String(20))  # ISO week 2026-W47, or month 2026-11
    # claimed | sent | skipped | failed | uncertain (maybe posted; only a person can tell)
    state: Mapped[str] = mapped_column(String(10), index=True)
    claimed_by: Mapped[str | None] = mapped_column(String(200))
    lease_until: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # When an owner first began posting it (since it was last settled): a claim taken over
    # with this set may already be in the channel, so the new owner looks before posting.
    sending_since: Mapped[datetime | None] = mapped_column(UTCDateTime())
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    message_ref: Mapped[dict[str, object] | None] = mapped_column(JSON)
    error: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


class PostedMessageRow(Base):
    """Every message the bot posted (a shared win, a digest), so thread replies map back to it."""

    __tablename__ = "posted_messages"
    __table_args__ = (
        UniqueConstraint("chat", "channel_id", "message_id", name="uq_posted_messages_message"),
    )

    id: Mapped[int] = mapped_column(Id, primary_key=True, autoincrement=True)
    chat: Mapped[str] = mapped_column(String(10))  # slack | teams
    workspace_id: Mapped[str | None] = mapped_column(String(200))
    channel_id: Mapped[str] = mapped_column(String(300))
    message_id: Mapped[str] = mapped_column(String(300))  # Slack ts, Teams activity id
    kind: Mapped[str] = mapped_column(String(20))  # win | digest | pilot
    win_id: Mapped[int | None] = mapped_column(ForeignKey("wins.id", ondelete="SET NULL"))
    delivery_id: Mapped[int | None] = mapped_column(
        ForeignKey("deliveries.id", ondelete="SET NULL")
    )
    # A pilot report's pilot, so responses under it count for that pilot.
    campaign_id: Mapped[int | None] = mapped_column(ForeignKey("campaigns.id", ondelete="SET NULL"))
    posted_by: Mapped[str | None] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())


class ConversationRow(Base):
    """Where the bot is installed (a Teams team, chat or channel): how to reach it proactively."""

    __tablename__ = "conversations"
    __table_args__ = (
        UniqueConstraint("chat", "conversation_id", name="uq_conversations_conversation"),
    )

    id: Mapped[int] = mapped_column(Id, primary_key=True, autoincrement=True)
    chat: Mapped[str] = mapped_column(String(10))
    conversation_id: Mapped[str] = mapped_column(String(300))
    team_id: Mapped[str | None] = mapped_column(String(300), index=True)
    tenant_id: Mapped[str | None] = mapped_column(String(100))
    kind: Mapped[str | None] = mapped_column(String(20))  # channel | groupChat | personal
    reference: Mapped[dict[str, object]] = mapped_column(JSON)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime())


def table_of(model: type[Base]) -> Table:
    """A mapped class's Table, typed as one (``__table__`` is typed as a FromClause)."""
    table = model.__table__
    assert isinstance(table, Table)
    return table


# Core Table handles: bulk paths use Core statements, which skip ORM overhead per row.
accounts = table_of(AccountRow)
account_tags = table_of(AccountTagRow)
posts = table_of(PostRow)
post_snapshots = table_of(PostSnapshotRow)
follower_snapshots = table_of(FollowerSnapshotRow)
campaigns = table_of(CampaignRow)
wins = table_of(WinRow)
case_studies = table_of(CaseStudyRow)
win_feedback = table_of(WinFeedbackRow)
subscriptions = table_of(SubscriptionRow)
deliveries = table_of(DeliveryRow)
posted_messages = table_of(PostedMessageRow)
conversations = table_of(ConversationRow)

"""The buy-in loop's tables: owners, story prompts and how leadership responds.

Kept apart from ``bot.store.tables`` (the posts, wins and deliveries every install uses) so
each module stays readable; both share one ``Base``, so Alembic sees one schema.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from bot.store.tables import Base, Id, table_of
from bot.store.types import UTCDateTime


class OwnerRow(Base):
    """Who owns an account (by handle) or a tag, named from chat; winsbot.toml adds its own."""

    __tablename__ = "owners"
    __table_args__ = (
        UniqueConstraint("kind", "target", "user_id", name="uq_owners_kind_target_user"),
    )

    id: Mapped[int] = mapped_column(Id, primary_key=True, autoincrement=True)
    kind: Mapped[str] = mapped_column(String(10))  # account | tag
    target: Mapped[str] = mapped_column(String(200))  # a handle, or a tag without its #
    user_id: Mapped[str] = mapped_column(String(200))  # Slack user id, Teams AAD object id
    created_by: Mapped[str | None] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())


class PromptMuteRow(Base):
    """An owner who asked not to be prompted for stories (`wins mute prompts`)."""

    __tablename__ = "prompt_mutes"

    user_id: Mapped[str] = mapped_column(String(200), primary_key=True)
    muted_at: Mapped[datetime] = mapped_column(UTCDateTime())


class PromptRow(Base):
    """One story prompt (round 0) or its reminder (round 1) to one owner about one win.

    The unique (win, owner, round) key is the unit of exactly-once, claimed and leased like a
    digest delivery (see bot.store.deliveries).
    """

    __tablename__ = "prompts"
    __table_args__ = (
        UniqueConstraint("win_id", "user_id", "round", name="uq_prompts_win_user_round"),
    )

    id: Mapped[int] = mapped_column(Id, primary_key=True, autoincrement=True)
    win_id: Mapped[int] = mapped_column(ForeignKey("wins.id", ondelete="CASCADE"))
    user_id: Mapped[str] = mapped_column(String(200))
    round: Mapped[int] = mapped_column(Integer, default=0)  # 0 = prompt, 1 = reminder
    # claimed | sent | failed | uncertain | undeliverable
    state: Mapped[str] = mapped_column(String(14), index=True)
    claimed_by: Mapped[str | None] = mapped_column(String(200))
    lease_until: Mapped[datetime | None] = mapped_column(UTCDateTime())
    sending_since: Mapped[datetime | None] = mapped_column(UTCDateTime())
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    message_ref: Mapped[dict[str, object] | None] = mapped_column(JSON)
    error: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


class BuyInSignalRow(Base):
    """A person's reaction on a message winsbot posted: the evidence of leadership buy-in.

    One row per message, person and emoji. A removed reaction keeps its row (``removed_at``),
    so a redelivered "added" event older than the removal cannot bring it back.
    """

    __tablename__ = "buy_in_signals"
    __table_args__ = (
        UniqueConstraint(
            "posted_message_id", "user_id", "reaction", name="uq_buy_in_signals_reaction"
        ),
        Index("ix_buy_in_signals_reacted_at", "reacted_at"),
    )

    id: Mapped[int] = mapped_column(Id, primary_key=True, autoincrement=True)
    posted_message_id: Mapped[int] = mapped_column(
        ForeignKey("posted_messages.id", ondelete="CASCADE")
    )
    chat: Mapped[str] = mapped_column(String(10))
    user_id: Mapped[str] = mapped_column(String(200))
    user_name: Mapped[str | None] = mapped_column(String(200))
    reaction: Mapped[str] = mapped_column(String(100))
    reacted_at: Mapped[datetime] = mapped_column(UTCDateTime())
    removed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime())


class LeadershipMemberRow(Base):
    """A member of a channel subscribed to the leadership digest, as last read from the chat."""

    __tablename__ = "leadership_members"
    __table_args__ = (
        UniqueConstraint("chat", "channel_id", "user_id", name="uq_leadership_members_member"),
    )

    id: Mapped[int] = mapped_column(Id, primary_key=True, autoincrement=True)
    chat: Mapped[str] = mapped_column(String(10))
    channel_id: Mapped[str] = mapped_column(String(300))
    user_id: Mapped[str] = mapped_column(String(200))
    name: Mapped[str | None] = mapped_column(String(200))
    seen_at: Mapped[datetime] = mapped_column(UTCDateTime())


class BuyInNoteRow(Base):
    """One monthly buy-in note: the unique period is what makes it go out once."""

    __tablename__ = "buy_in_notes"

    id: Mapped[int] = mapped_column(Id, primary_key=True, autoincrement=True)
    period: Mapped[str] = mapped_column(String(7), unique=True)  # 2026-11
    state: Mapped[str] = mapped_column(String(10))  # claimed | sent | uncertain
    claimed_by: Mapped[str | None] = mapped_column(String(200))
    message_id: Mapped[str | None] = mapped_column(String(300))
    error: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    lease_until: Mapped[datetime | None] = mapped_column(UTCDateTime())  # None: lapsed
    sending_since: Mapped[datetime | None] = mapped_column(UTCDateTime())
    attempts: Mapped[int] = mapped_column(Integer, default=1, server_default="1")


class PilotMessageRow(Base):
    """One message a pilot's end sends: the learnings ask to an owner, or the report to a
    subscribed channel. The unique (campaign, kind, target) key is the unit of exactly-once,
    claimed and leased like a story prompt (see bot.store.prompts)."""

    __tablename__ = "pilot_messages"
    __table_args__ = (
        UniqueConstraint("campaign_id", "kind", "target", name="uq_pilot_messages_target"),
    )

    id: Mapped[int] = mapped_column(Id, primary_key=True, autoincrement=True)
    campaign_id: Mapped[int] = mapped_column(ForeignKey("campaigns.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(10))  # ask | report
    target: Mapped[str] = mapped_column(String(300))  # a user id, or "chat:channel id"
    # claimed | sent | failed | uncertain | undeliverable
    state: Mapped[str] = mapped_column(String(14), index=True)
    claimed_by: Mapped[str | None] = mapped_column(String(200))
    lease_until: Mapped[datetime | None] = mapped_column(UTCDateTime())
    sending_since: Mapped[datetime | None] = mapped_column(UTCDateTime())
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    message_ref: Mapped[dict[str, object] | None] = mapped_column(JSON)
    error: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


class PilotAnswerRow(Base):
    """An owner's answer to the learnings form: the next step and the case study it stored."""

    __tablename__ = "pilot_answers"
    __table_args__ = (
        UniqueConstraint("campaign_id", "user_id", name="uq_pilot_answers_campaign_user"),
    )

    id: Mapped[int] = mapped_column(Id, primary_key=True, autoincrement=True)
    campaign_id: Mapped[int] = mapped_column(ForeignKey("campaigns.id", ondelete="CASCADE"))
    user_id: Mapped[str] = mapped_column(String(200))
    next_step: Mapped[str] = mapped_column(String(10))  # extend | scale | stop
    case_study_id: Mapped[int | None] = mapped_column(
        ForeignKey("case_studies.id", ondelete="SET NULL")
    )
    answered_at: Mapped[datetime] = mapped_column(UTCDateTime())


owners = table_of(OwnerRow)
prompt_mutes = table_of(PromptMuteRow)
prompts = table_of(PromptRow)
buy_in_signals = table_of(BuyInSignalRow)
leadership_members = table_of(LeadershipMemberRow)
buy_in_notes = table_of(BuyInNoteRow)


class PeerExampleRow(Base):
    """A peer's post saved as an example to learn from, with the saver's note.

    One row per post and person: the same person saving the same post again (a Slack retry, a
    second thought) updates the note instead of adding a duplicate.
    """

    __tablename__ = "peer_examples"
    __table_args__ = (
        UniqueConstraint("post_id", "saved_by", name="uq_peer_examples_post_saver"),
        Index("ix_peer_examples_saved_at", "saved_at"),
    )

    id: Mapped[int] = mapped_column(Id, primary_key=True, autoincrement=True)
    post_id: Mapped[int] = mapped_column(ForeignKey("posts.id", ondelete="CASCADE"))
    win_id: Mapped[int | None] = mapped_column(ForeignKey("wins.id", ondelete="SET NULL"))
    note: Mapped[str] = mapped_column(Text)
    saved_by: Mapped[str] = mapped_column(String(200))  # chat user id, or "cli"
    saved_by_name: Mapped[str | None] = mapped_column(String(200))
    saved_at: Mapped[datetime] = mapped_column(UTCDateTime())
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime())


peer_examples = table_of(PeerExampleRow)
pilot_messages = table_of(PilotMessageRow)
pilot_answers = table_of(PilotAnswerRow)

"""Buy-in signals: reactions on what winsbot posted, who leadership is, and the monthly note.

Reactions are keyed on (posted message, person, emoji), so a redelivered event stores nothing
new. A removal keeps the row with ``removed_at``: Slack and Teams may redeliver an "added" event
after the "removed" one, and only the event times tell which came last.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import ColumnElement, Table, and_, select
from sqlalchemy.ext.asyncio import AsyncConnection

from bot.domain.buy_in import Member, Signal, SignalItem
from bot.domain.models import Audience, Chat, WinKind
from bot.store.tables import (
    campaigns,
    case_studies,
    deliveries,
    posted_messages,
    subscriptions,
    win_feedback,
    wins,
)
from bot.store.tables_loop import buy_in_signals, leadership_members
from bot.store.upsert import insert_ignore


@dataclass(frozen=True, slots=True)
class Reaction:
    """One reaction event on a message we posted (``posted_id`` is its posted_messages row)."""

    posted_id: int
    chat: Chat
    user_id: str
    reaction: str
    at: datetime
    user_name: str | None = None


async def add_reaction(conn: AsyncConnection, r: Reaction, *, now: datetime) -> bool:
    """Store a reaction; False when it was already there (a redelivery) or removed later."""
    inserted = await conn.execute(
        insert_ignore(conn, buy_in_signals, ("posted_message_id", "user_id", "reaction")).values(
            posted_message_id=r.posted_id, chat=r.chat.value, user_id=r.user_id,
            user_name=r.user_name, reaction=r.reaction, reacted_at=r.at, removed_at=None,
            updated_at=now,
        )
    )  # fmt: skip
    if inserted.rowcount:
        return True
    # Added again after a removal: only an event newer than the removal brings it back.
    revived = await conn.execute(
        buy_in_signals.update()
        .where(_key(r), buy_in_signals.c.removed_at.is_not(None))
        .where(buy_in_signals.c.removed_at < r.at)
        .values(reacted_at=r.at, removed_at=None, updated_at=now, user_name=r.user_name)
    )
    return bool(revived.rowcount)


async def remove_reaction(conn: AsyncConnection, r: Reaction, *, now: datetime) -> bool:
    """Mark a reaction removed; one never seen is stored removed, so a late "added" stays out."""
    changed = await conn.execute(
        buy_in_signals.update()
        .where(_key(r), buy_in_signals.c.removed_at.is_(None), buy_in_signals.c.reacted_at <= r.at)
        .values(removed_at=r.at, updated_at=now)
    )
    if changed.rowcount:
        return True
    await conn.execute(
        insert_ignore(conn, buy_in_signals, ("posted_message_id", "user_id", "reaction")).values(
            posted_message_id=r.posted_id, chat=r.chat.value, user_id=r.user_id,
            user_name=r.user_name, reaction=r.reaction, reacted_at=r.at, removed_at=r.at,
            updated_at=now,
        )
    )  # fmt: skip
    return False


def _key(r: Reaction) -> ColumnElement[bool]:
    return and_(
        buy_in_signals.c.posted_message_id == r.posted_id,
        buy_in_signals.c.user_id == r.user_id,
        buy_in_signals.c.reaction == r.reaction,
    )


# ------------------------------------------------------------------------- leadership


async def leadership_channels(conn: AsyncConnection, chat: Chat) -> list[str]:
    """Channels of ``chat`` with an active subscription to the leadership digest."""
    rows = await conn.execute(
        select(subscriptions.c.channel_id, subscriptions.c.audience).where(
            subscriptions.c.chat == chat.value, subscriptions.c.active.is_(True)
        )
    )
    found = {r.channel_id for r in rows if Audience.model_validate(r.audience).is_leadership}
    return sorted(found)


async def replace_members(
    conn: AsyncConnection,
    *,
    chat: Chat,
    channel_id: str,
    members: Sequence[Member],
    now: datetime,
) -> None:
    """The channel's members as just read: new ones added, names refreshed, leavers dropped."""
    where = (leadership_members.c.chat == chat.value, leadership_members.c.channel_id == channel_id)
    await conn.execute(leadership_members.delete().where(*where))
    if members:
        await conn.execute(
            leadership_members.insert(),
            [
                {"chat": chat.value, "channel_id": channel_id, "user_id": m.user_id,
                 "name": m.name, "seen_at": now}
                for m in {m.user_id: m for m in members}.values()
            ],
        )  # fmt: skip


async def drop_channels_except(conn: AsyncConnection, chat: Chat, keep: Sequence[str]) -> None:
    """Forget members of channels no longer subscribed to the leadership digest."""
    await conn.execute(
        leadership_members.delete().where(
            leadership_members.c.chat == chat.value,
            leadership_members.c.channel_id.not_in(list(keep)),
        )
    )


async def stored_leaders(conn: AsyncConnection) -> list[Member]:
    rows = await conn.execute(
        select(leadership_members.c.user_id, leadership_members.c.name).order_by(
            leadership_members.c.id
        )
    )
    return [Member(r.user_id, r.name) for r in rows]


# --------------------------------------------------------------------------- reading


def _item(kind: str, win_id: int | None, win_kind: str | None, label: str | None) -> SignalItem:
    if kind == "digest":
        return SignalItem(kind="digest", ref=None, label=label or "a digest")
    pilot = win_kind == WinKind.CAMPAIGN.value
    return SignalItem(kind="pilot" if pilot else "win", ref=win_id, label=label or "a win")


def _pilot_report(campaign_id: int, name: str | None) -> SignalItem:
    return SignalItem(kind="pilot_report", ref=campaign_id, label=f"Pilot report: {name}")


async def reactions_between(
    conn: AsyncConnection, since: datetime, until: datetime
) -> list[Signal]:
    """Reactions standing now (not removed) made in [since, until), with what they were on."""
    stmt = (
        select(
            buy_in_signals.c.user_id, buy_in_signals.c.user_name, buy_in_signals.c.reacted_at,
            buy_in_signals.c.posted_message_id, posted_messages.c.kind, posted_messages.c.win_id,
            wins.c.kind.label("win_kind"), wins.c.reason, deliveries.c.period,
            subscriptions.c.audience_name, posted_messages.c.campaign_id,
            campaigns.c.name.label("campaign_name"),
        )
        .join(posted_messages, posted_messages.c.id == buy_in_signals.c.posted_message_id)
        .outerjoin(wins, wins.c.id == posted_messages.c.win_id)
        .outerjoin(campaigns, campaigns.c.id == posted_messages.c.campaign_id)
        .outerjoin(deliveries, deliveries.c.id == posted_messages.c.delivery_id)
        .outerjoin(subscriptions, subscriptions.c.id == deliveries.c.subscription_id)
        .where(
            buy_in_signals.c.removed_at.is_(None),
            buy_in_signals.c.reacted_at >= since,
            buy_in_signals.c.reacted_at < until,
        )
        .order_by(buy_in_signals.c.reacted_at, buy_in_signals.c.id)
    )  # fmt: skip
    signals = []
    for r in await conn.execute(stmt):
        if r.kind == "digest":
            label = f"{r.audience_name or 'a'} digest {r.period or ''}".strip()
            item = SignalItem(kind="digest", ref=r.posted_message_id, label=label)
        elif r.campaign_id is not None:
            item = _pilot_report(r.campaign_id, r.campaign_name)
        else:
            item = _item("win", r.win_id, r.win_kind, r.reason)
        signals.append(Signal(r.user_id, r.user_name, "reaction", r.reacted_at, item))
    return signals


async def replies_between(conn: AsyncConnection, since: datetime, until: datetime) -> list[Signal]:
    """Replies under our posts: case studies and feedback, by author and time."""
    signals = await _replies(conn, case_studies, since, until, only_chat=True)
    signals += await _replies(conn, win_feedback, since, until, only_chat=False)
    return sorted(signals, key=lambda s: s.at)


async def _replies(
    conn: AsyncConnection, table: Table, since: datetime, until: datetime, *, only_chat: bool
) -> list[Signal]:
    stmt = (
        select(
            table.c.author,
            table.c.author_name,
            table.c.created_at,
            table.c.win_id,
            wins.c.kind.label("win_kind"),
            wins.c.reason,
            table.c.campaign_id,
            campaigns.c.name.label("campaign_name"),
        )
        .outerjoin(wins, wins.c.id == table.c.win_id)
        .outerjoin(campaigns, campaigns.c.id == table.c.campaign_id)
        .where(
            table.c.author.is_not(None),
            table.c.created_at >= since,
            table.c.created_at < until,
        )
    )
    if only_chat:  # stories typed in the CLI are the social team's, not a response
        stmt = stmt.where(table.c.source.in_([c.value for c in Chat]))
    signals = []
    for r in await conn.execute(stmt):
        if r.campaign_id is not None:
            item = _pilot_report(r.campaign_id, r.campaign_name)
        else:
            kind = "win" if r.win_id is not None else "digest"
            label = r.reason if r.win_id is not None else "replies under digests"
            item = _item(kind, r.win_id, r.win_kind, label)
        signals.append(Signal(r.author, r.author_name, "reply", r.created_at, item))
    return signals

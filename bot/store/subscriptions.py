"""Subscriptions (the scheduler's source of truth) and the messages the bot has posted."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncConnection

from bot.domain.models import Audience, Cadence, Chat, Schedule, Subscription
from bot.store.tables import posted_messages, subscriptions
from bot.store.upsert import insert_ignore


def _audience_json(audience: Audience) -> dict[str, Any]:
    return audience.model_dump(mode="json")


def _subscription(row: Any) -> Subscription:
    return Subscription(
        id=row.id,
        chat=Chat(row.chat),
        channel_id=row.channel_id,
        workspace_id=row.workspace_id,
        audience=Audience.model_validate(row.audience),
        schedule=Schedule(
            weekday=row.weekday,
            time=row.send_time,
            timezone=row.timezone,
            cadence=Cadence(row.cadence),
        ),
        active=row.active,
        broken_reason=row.broken_reason,
        created_by=row.created_by,
        created_at=row.created_at,
    )


async def subscribe(
    conn: AsyncConnection,
    *,
    chat: Chat,
    workspace_id: str | None,
    channel_id: str,
    audience: Audience,
    schedule: Schedule,
    created_by: str | None,
    now: datetime,
) -> tuple[Subscription, bool]:
    """Create or update (schedule, cadence, filters) this channel's subscription for an audience.

    Returns (subscription, created). Re-subscribing also revives a broken or inactive one. One
    subscription per channel and audience: subscribing again with another cadence changes it.
    """
    values = {
        "chat": chat.value,
        "workspace_id": workspace_id,
        "channel_id": channel_id,
        "audience_name": audience.name,
        "audience": _audience_json(audience),
        "weekday": schedule.weekday,
        "send_time": schedule.time,
        "timezone": schedule.timezone,
        "cadence": schedule.cadence.value,
        "active": True,
        "broken_reason": None,
        "created_by": created_by,
        "created_at": now,
    }
    key = ("chat", "channel_id", "audience_name")
    inserted = await conn.execute(insert_ignore(conn, subscriptions, key).values(**values))
    created = bool(inserted.rowcount)
    if not created:
        await conn.execute(
            subscriptions.update()
            .where(
                subscriptions.c.chat == chat.value,
                subscriptions.c.channel_id == channel_id,
                subscriptions.c.audience_name == audience.name,
            )
            .values(
                audience=values["audience"],
                weekday=schedule.weekday,
                send_time=schedule.time,
                timezone=schedule.timezone,
                cadence=schedule.cadence.value,
                active=True,
                broken_reason=None,
            )
        )
    row = (
        await conn.execute(
            select(subscriptions).where(
                subscriptions.c.chat == chat.value,
                subscriptions.c.channel_id == channel_id,
                subscriptions.c.audience_name == audience.name,
            )
        )
    ).one()
    return _subscription(row), created


async def unsubscribe(
    conn: AsyncConnection, *, chat: Chat, channel_id: str, audience_name: str | None
) -> list[Subscription]:
    """Remove this channel's subscriptions (one audience, or all); returns what was removed."""
    where = [subscriptions.c.chat == chat.value, subscriptions.c.channel_id == channel_id]
    if audience_name is not None:
        where.append(subscriptions.c.audience_name == audience_name)
    removed = [_subscription(r) for r in await conn.execute(select(subscriptions).where(*where))]
    if removed:
        await conn.execute(subscriptions.delete().where(*where))
    return removed


async def list_subscriptions(
    conn: AsyncConnection, *, chat: Chat | None = None, channel_id: str | None = None
) -> list[Subscription]:
    stmt = select(subscriptions).order_by(subscriptions.c.id)
    if chat is not None:
        stmt = stmt.where(subscriptions.c.chat == chat.value)
    if channel_id is not None:
        stmt = stmt.where(subscriptions.c.channel_id == channel_id)
    return [_subscription(r) for r in await conn.execute(stmt)]


async def record_posted(
    conn: AsyncConnection,
    *,
    chat: Chat,
    workspace_id: str | None,
    channel_id: str,
    message_id: str,
    kind: str,
    now: datetime,
    win_id: int | None = None,
    delivery_id: int | None = None,
    posted_by: str | None = None,
    campaign_id: int | None = None,
) -> None:
    """Remember a message we posted, so replies in its thread find what it showed."""
    await conn.execute(
        insert_ignore(conn, posted_messages, ("chat", "channel_id", "message_id")).values(
            chat=chat.value,
            workspace_id=workspace_id,
            channel_id=channel_id,
            message_id=message_id,
            kind=kind,
            win_id=win_id,
            delivery_id=delivery_id,
            campaign_id=campaign_id,
            posted_by=posted_by,
            created_at=now,
        )
    )


async def find_posted(
    conn: AsyncConnection, *, chat: Chat, channel_id: str, message_id: str
) -> Any | None:
    """The posted message a thread hangs under, or None when the thread is not ours."""
    return (
        await conn.execute(
            select(posted_messages).where(
                posted_messages.c.chat == chat.value,
                posted_messages.c.channel_id == channel_id,
                posted_messages.c.message_id == message_id,
            )
        )
    ).first()


async def shared_win_message(
    conn: AsyncConnection, *, chat: Chat, channel_id: str, win_id: int
) -> str | None:
    """The message id of this win already shared in this channel, if any."""
    row = (
        await conn.execute(
            select(posted_messages.c.message_id)
            .where(
                posted_messages.c.chat == chat.value,
                posted_messages.c.channel_id == channel_id,
                posted_messages.c.kind == "win",
                posted_messages.c.win_id == win_id,
            )
            .limit(1)
        )
    ).first()
    return None if row is None else str(row.message_id)

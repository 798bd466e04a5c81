"""Conversation references: how to reach a Teams team, chat or channel without being asked."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, or_, select
from sqlalchemy.ext.asyncio import AsyncConnection

from bot.domain.models import Chat
from bot.ports import Clock
from bot.store.db import Database
from bot.store.tables import conversations, subscriptions
from bot.store.upsert import insert_ignore


async def remember_conversation(
    conn: AsyncConnection,
    *,
    chat: Chat,
    conversation_id: str,
    reference: dict[str, Any],
    now: datetime,
    team_id: str | None = None,
    tenant_id: str | None = None,
    kind: str | None = None,
) -> None:
    """Store or refresh a reference (service URLs change; the newest one is kept)."""
    values = {
        "chat": chat.value,
        "conversation_id": conversation_id,
        "team_id": team_id,
        "tenant_id": tenant_id,
        "kind": kind,
        "reference": reference,
        "active": True,
        "updated_at": now,
    }
    inserted = await conn.execute(
        insert_ignore(conn, conversations, ("chat", "conversation_id")).values(**values)
    )
    if not inserted.rowcount:
        await conn.execute(
            conversations.update()
            .where(
                conversations.c.chat == chat.value,
                conversations.c.conversation_id == conversation_id,
            )
            .values(
                reference=reference,
                active=True,
                updated_at=now,
                **({"team_id": team_id} if team_id else {}),
            )
        )


async def conversation_reference(
    conn: AsyncConnection, *, chat: Chat, conversation_id: str
) -> dict[str, Any] | None:
    row = (
        await conn.execute(
            select(conversations.c.reference).where(
                conversations.c.chat == chat.value,
                conversations.c.conversation_id == conversation_id,
                conversations.c.active.is_(True),
            )
        )
    ).first()
    return None if row is None else dict(row.reference)


async def forget_installation(
    conn: AsyncConnection, *, chat: Chat, team_id: str | None, conversation_id: str
) -> int:
    """The bot was removed: deactivate its references and the subscriptions they fed.

    Returns how many subscriptions stopped. Nothing is deleted, so reinstalling and subscribing
    again brings the history back.
    """
    where_conv = [conversations.c.chat == chat.value]
    if team_id:
        where_conv.append(
            or_(
                conversations.c.team_id == team_id,
                conversations.c.conversation_id == conversation_id,
            )
        )
    else:
        where_conv.append(conversations.c.conversation_id == conversation_id)
    ids = [r.conversation_id for r in await conn.execute(select(conversations).where(*where_conv))]
    ids.append(conversation_id)
    await conn.execute(conversations.update().where(*where_conv).values(active=False))
    channel_ids = {i.split(";", 1)[0] for i in ids}
    reached: ColumnElement[bool] = subscriptions.c.channel_id.in_(sorted(channel_ids))
    if team_id:
        reached = or_(reached, subscriptions.c.workspace_id == team_id)
    stmt = (
        subscriptions.update()
        .where(subscriptions.c.chat == chat.value, subscriptions.c.active.is_(True), reached)
        .values(active=False, broken_reason="winsbot was removed from this team or chat")
    )
    return int((await conn.execute(stmt)).rowcount or 0)


class StoredConversations:
    """The ConversationReferences port over the conversations table, for one chat platform."""

    def __init__(self, db: Database, clock: Clock, chat: Chat = Chat.TEAMS) -> None:
        self.db = db
        self.clock = clock
        self.chat = chat

    async def remember(
        self,
        conversation_id: str,
        reference: dict[str, Any],
        *,
        team_id: str | None,
        tenant_id: str | None,
        kind: str | None,
    ) -> None:
        async with self.db.engine.begin() as conn:
            await remember_conversation(
                conn,
                chat=self.chat,
                conversation_id=conversation_id,
                reference=reference,
                now=self.clock.now(),
                team_id=team_id,
                tenant_id=tenant_id,
                kind=kind,
            )

    async def reference(self, conversation_id: str) -> dict[str, Any] | None:
        async with self.db.engine.connect() as conn:
            return await conversation_reference(
                conn, chat=self.chat, conversation_id=conversation_id
            )

    async def forget_installation(self, *, team_id: str | None, conversation_id: str) -> int:
        async with self.db.engine.begin() as conn:
            return await forget_installation(
                conn, chat=self.chat, team_id=team_id, conversation_id=conversation_id
            )

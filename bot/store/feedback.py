"""Feedback on wins: replies under a win or digest that are not its story (applause, questions).

Kept apart from case studies so digests and ``wins cases`` hold stories only, while the people
who reacted are still on record. Keyed on the chat message, like case studies, so a redelivered
reply is stored once and an edit or a deletion finds it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncConnection

from bot.store.tables import win_feedback
from bot.store.upsert import insert_ignore


@dataclass(frozen=True, slots=True)
class Feedback:
    id: int
    win_id: int | None
    body: str
    author: str | None
    author_name: str | None
    created_at: datetime


async def save_feedback(
    conn: AsyncConnection,
    *,
    body: str,
    now: datetime,
    source: str,
    source_ref: str,
    author: str | None = None,
    author_name: str | None = None,
    win_id: int | None = None,
    private_to: str | None = None,
    campaign_id: int | None = None,
) -> tuple[int, bool]:
    """Store a reply as feedback; the same ``source_ref`` again changes nothing. (id, created)."""
    inserted = await conn.execute(
        insert_ignore(conn, win_feedback, ("source_ref",)).values(
            body=body,
            author=author,
            author_name=author_name,
            win_id=win_id,
            campaign_id=campaign_id,
            source=source,
            source_ref=source_ref,
            private_to=private_to,
            created_at=now,
            updated_at=now,
        )
    )
    row = (
        await conn.execute(select(win_feedback.c.id).where(win_feedback.c.source_ref == source_ref))
    ).one()
    return int(row.id), bool(inserted.rowcount)


async def update_feedback_body(
    conn: AsyncConnection, source_ref: str, *, body: str, now: datetime
) -> bool:
    """Replace the text of the feedback a chat message holds; False when none has that key."""
    result = await conn.execute(
        win_feedback.update()
        .where(win_feedback.c.source_ref == source_ref)
        .values(body=body, updated_at=now)
    )
    return bool(result.rowcount)


async def delete_feedback(conn: AsyncConnection, source_ref: str) -> bool:
    result = await conn.execute(
        win_feedback.delete().where(win_feedback.c.source_ref == source_ref)
    )
    return bool(result.rowcount)


async def list_feedback(conn: AsyncConnection, win_id: int | None = None) -> list[Feedback]:
    """Feedback on one win (or all of it, newest first)."""
    stmt = select(win_feedback)
    if win_id is not None:
        stmt = stmt.where(win_feedback.c.win_id == win_id)
    stmt = stmt.order_by(win_feedback.c.created_at.desc(), win_feedback.c.id.desc())
    return [
        Feedback(r.id, r.win_id, r.body, r.author, r.author_name, r.created_at)
        for r in await conn.execute(stmt)
    ]

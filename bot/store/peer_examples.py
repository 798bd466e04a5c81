"""Saved peer examples: peers' posts with a note, one per post and person who saved it."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import and_, or_, select
from sqlalchemy.ext.asyncio import AsyncConnection

from bot.domain.models import Platform
from bot.domain.peer_examples import PeerExample
from bot.store.tables import accounts, posts, wins
from bot.store.tables_loop import peer_examples
from bot.store.upsert import insert_ignore


async def peer_post_of_win(conn: AsyncConnection, win_id: int) -> int | None:
    """The post of a peer's post win, or None (no such win, not a post, or one of ours)."""
    row = (
        await conn.execute(
            select(wins.c.post_id)
            .join(accounts, accounts.c.id == wins.c.account_id)
            .where(wins.c.id == win_id, wins.c.post_id.is_not(None), accounts.c.kind == "peer")
        )
    ).first()
    return int(row.post_id) if row is not None else None


async def find_peer_post(conn: AsyncConnection, ref: str) -> tuple[int, int | None] | None:
    """A peer's post by its URL or external id, with its win if it has one; None if unknown.

    Ambiguous ids across platforms are rare; the newest post wins so the answer is stable.
    """
    ref = ref.strip()
    row = (
        await conn.execute(
            select(posts.c.id, wins.c.id.label("win_id"))
            .join(accounts, accounts.c.id == posts.c.account_id)
            .outerjoin(wins, wins.c.post_id == posts.c.id)
            .where(
                accounts.c.kind == "peer",
                or_(posts.c.url == ref, posts.c.external_id == ref),
            )
            .order_by(posts.c.published_at.desc(), wins.c.id.desc())
            .limit(1)
        )
    ).first()
    if row is None:
        return None
    return int(row.id), (int(row.win_id) if row.win_id is not None else None)


async def save_peer_example(
    conn: AsyncConnection,
    *,
    post_id: int,
    note: str,
    saved_by: str,
    now: datetime,
    win_id: int | None = None,
    saved_by_name: str | None = None,
) -> tuple[int, bool]:
    """Store the example; the same post saved by the same person updates its note.

    Returns (id, created). An insert that skips on the unique key is what makes a retried
    submission store once on both databases.
    """
    values = {
        "post_id": post_id,
        "win_id": win_id,
        "note": note,
        "saved_by": saved_by,
        "saved_by_name": saved_by_name,
        "saved_at": now,
        "updated_at": now,
    }
    inserted = await conn.execute(
        insert_ignore(conn, peer_examples, ("post_id", "saved_by")).values(**values)
    )
    created = bool(inserted.rowcount)
    key = and_(peer_examples.c.post_id == post_id, peer_examples.c.saved_by == saved_by)
    row = (await conn.execute(select(peer_examples.c.id, peer_examples.c.note).where(key))).one()
    if not created and row.note != note:
        changes: dict[str, object] = {"note": note, "updated_at": now}
        if saved_by_name:
            changes["saved_by_name"] = saved_by_name
        await conn.execute(peer_examples.update().where(key).values(**changes))
    return int(row.id), created


async def list_peer_examples(
    conn: AsyncConnection,
    *,
    since: datetime | None = None,
    until: datetime | None = None,
    platforms: tuple[Platform, ...] = (),
    limit: int = 20,
) -> list[PeerExample]:
    """Saved examples, newest first; ``since``/``until`` bound when they were saved or edited."""
    stmt = (
        select(
            peer_examples,
            accounts.c.handle,
            posts.c.platform,
            posts.c.external_id,
            posts.c.url,
            posts.c.text,
        )
        .join(posts, posts.c.id == peer_examples.c.post_id)
        .join(accounts, accounts.c.id == posts.c.account_id)
        .order_by(peer_examples.c.updated_at.desc(), peer_examples.c.id.desc())
        .limit(limit)
    )
    if since is not None:
        stmt = stmt.where(peer_examples.c.updated_at >= since)
    if until is not None:
        stmt = stmt.where(peer_examples.c.updated_at < until)
    if platforms:
        stmt = stmt.where(posts.c.platform.in_([p.value for p in platforms]))
    return [
        PeerExample(
            id=r.id,
            note=r.note,
            saved_by=r.saved_by,
            saved_by_name=r.saved_by_name,
            saved_at=r.saved_at,
            win_id=r.win_id,
            platform=Platform(r.platform),
            account=r.handle,
            post_external_id=r.external_id,
            post_url=r.url,
            post_text=r.text,
        )
        for r in await conn.execute(stmt)
    ]

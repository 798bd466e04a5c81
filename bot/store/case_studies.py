"""Case studies: the stories behind wins, keyed on the chat message that carried them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import or_, select
from sqlalchemy.ext.asyncio import AsyncConnection

from bot.domain.models import CaseStudy
from bot.store.tables import case_studies, wins
from bot.store.upsert import insert_ignore


@dataclass(frozen=True, slots=True)
class CaseStudyFilter:
    since: datetime | None = None
    until: datetime | None = None
    words: tuple[str, ...] = ()
    # A private-channel story shows only in that channel; None means "public ones only".
    visible_in: str | None = None
    limit: int = 20


async def save_case_study(
    conn: AsyncConnection,
    *,
    body: str,
    now: datetime,
    author: str | None = None,
    author_name: str | None = None,
    win_id: int | None = None,
    source: str = "cli",
    source_ref: str | None = None,
    private_to: str | None = None,
) -> tuple[int, bool]:
    """Store a story; the same ``source_ref`` again updates it. Returns (id, created)."""
    values = {
        "body": body,
        "author": author,
        "author_name": author_name,
        "win_id": win_id,
        "source": source,
        "source_ref": source_ref,
        "private_to": private_to,
        "created_at": now,
        "updated_at": now,
    }
    if source_ref is None:
        result = await conn.execute(case_studies.insert().values(**values))
        key = result.inserted_primary_key
        assert key is not None
        return int(key[0]), True
    # rowcount tells a first delivery from a redelivery even when both carry the same time.
    inserted = await conn.execute(
        insert_ignore(conn, case_studies, ("source_ref",)).values(**values)
    )
    created = bool(inserted.rowcount)
    row = (
        await conn.execute(
            select(case_studies.c.id, case_studies.c.body).where(
                case_studies.c.source_ref == source_ref
            )
        )
    ).one()
    if not created and row.body != body:
        await conn.execute(
            case_studies.update()
            .where(case_studies.c.id == row.id)
            .values(body=body, updated_at=now)
        )
    return int(row.id), created


async def update_case_study_body(
    conn: AsyncConnection, source_ref: str, *, body: str, now: datetime
) -> bool:
    """Replace the text of the story a chat message holds; False when no story has that key."""
    result = await conn.execute(
        case_studies.update()
        .where(case_studies.c.source_ref == source_ref)
        .values(body=body, updated_at=now)
    )
    return bool(result.rowcount)


async def delete_case_study(conn: AsyncConnection, source_ref: str) -> bool:
    result = await conn.execute(
        case_studies.delete().where(case_studies.c.source_ref == source_ref)
    )
    return bool(result.rowcount)


async def set_case_study_public(conn: AsyncConnection, case_id: int, *, author: str) -> bool:
    """Lift a private-channel story's restriction; only the person who wrote it may."""
    result = await conn.execute(
        case_studies.update()
        .where(case_studies.c.id == case_id, case_studies.c.author == author)
        .values(private_to=None)
    )
    return bool(result.rowcount)


async def list_case_studies(conn: AsyncConnection, f: CaseStudyFilter) -> list[CaseStudy]:
    stmt = select(case_studies, wins.c.reason.label("win_reason")).outerjoin(
        wins, wins.c.id == case_studies.c.win_id
    )
    if f.visible_in is None:
        stmt = stmt.where(case_studies.c.private_to.is_(None))
    else:
        stmt = stmt.where(
            or_(case_studies.c.private_to.is_(None), case_studies.c.private_to == f.visible_in)
        )
    if f.since is not None:
        stmt = stmt.where(case_studies.c.created_at >= f.since)
    if f.until is not None:
        stmt = stmt.where(case_studies.c.created_at < f.until)
    for word in f.words:
        pattern = f"%{word.lower()}%"
        stmt = stmt.where(
            or_(
                case_studies.c.body.ilike(pattern),
                wins.c.reason.ilike(pattern),
            )
        )
    stmt = stmt.order_by(case_studies.c.created_at.desc(), case_studies.c.id.desc()).limit(f.limit)
    return [
        CaseStudy(
            id=r.id,
            body=r.body,
            author=r.author,
            author_name=r.author_name,
            win_id=r.win_id,
            win_reason=r.win_reason,
            created_at=r.created_at,
            source=r.source,
            private_to=r.private_to,
        )
        for r in await conn.execute(stmt)
    ]

"""Case studies: the stories behind wins, keyed on the chat message that carried them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import or_, select
from sqlalchemy.ext.asyncio import AsyncConnection

from bot.domain.models import CaseStudy
from bot.domain.stories import StoryParts
from bot.store.tables import case_studies, wins
from bot.store.upsert import insert_ignore


@dataclass(frozen=True, slots=True)
class CaseStudyFilter:
    since: datetime | None = None
    until: datetime | None = None
    words: tuple[str, ...] = ()
    # A private-channel story shows only in that channel; None means "public ones only".
    visible_in: str | None = None
    win_ids: tuple[int, ...] | None = None  # only stories about these wins (a pilot's)
    limit: int = 20


stored_answers = (case_studies.c.what_we_did, case_studies.c.result, case_studies.c.learned)


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
    parts: StoryParts | None = None,
    campaign_id: int | None = None,
) -> tuple[int, bool]:
    """Store a story; the same ``source_ref`` again updates it. Returns (id, created).

    ``parts`` are the form's answers; without them (a reply) the body is "what we did".
    """
    parts = parts or StoryParts(what_we_did=body)
    answers = {"what_we_did": parts.what_we_did, "result": parts.result, "learned": parts.learned}
    values = {
        "body": body,
        "author": author,
        "author_name": author_name,
        "win_id": win_id,
        "campaign_id": campaign_id,
        "source": source,
        "source_ref": source_ref,
        "private_to": private_to,
        "created_at": now,
        "updated_at": now,
        **answers,
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
            select(case_studies.c.id, case_studies.c.body, *stored_answers).where(
                case_studies.c.source_ref == source_ref
            )
        )
    ).one()
    changed = row.body != body or any(getattr(row, k) != v for k, v in answers.items())
    if not created and changed:  # the form sent again with new answers, or an edited reply
        await conn.execute(
            case_studies.update()
            .where(case_studies.c.id == row.id)
            .values(body=body, updated_at=now, **answers)
        )
    return int(row.id), created


async def story_answers(conn: AsyncConnection, source_ref: str) -> StoryParts | None:
    """The answers stored under a key: what the form shows again when it is reopened."""
    row = (
        await conn.execute(select(*stored_answers).where(case_studies.c.source_ref == source_ref))
    ).first()
    return None if row is None else StoryParts(row.what_we_did, row.result, row.learned)


async def update_case_study_body(
    conn: AsyncConnection, source_ref: str, *, body: str, now: datetime
) -> bool:
    """Replace the text of the story a chat message holds; False when no story has that key.

    A reply is one free text, "what we did", so that answer follows the edit too.
    """
    result = await conn.execute(
        case_studies.update()
        .where(case_studies.c.source_ref == source_ref)
        .values(body=body, what_we_did=body, updated_at=now)
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
    if f.win_ids is not None:
        stmt = stmt.where(case_studies.c.win_id.in_(f.win_ids))
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
            what_we_did=r.what_we_did,
            result=r.result,
            learned=r.learned,
        )
        for r in await conn.execute(stmt)
    ]

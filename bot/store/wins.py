"""Stored wins: idempotent upserts keyed on what each win is about, and the queries for them."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Select, and_, or_, select
from sqlalchemy.ext.asyncio import AsyncConnection

from bot.domain.models import Platform, Win, WinKind
from bot.store.tables import account_tags, accounts, campaigns, posts, wins
from bot.store.upsert import insert_ignore


@dataclass(frozen=True, slots=True)
class WinDraft:
    """A win as detection sees it, before it has an id."""

    key: str
    kind: WinKind
    score: float
    reason: str
    occurred_at: datetime
    account_id: int | None = None
    post_id: int | None = None
    campaign_id: int | None = None
    details: dict[str, Any] | None = None
    # A post win's engagement over its expected engagement at the same age, and that expectation.
    ratio: float | None = None
    expected: float | None = None


async def save_wins(
    conn: AsyncConnection, drafts: Sequence[WinDraft], *, now: datetime
) -> tuple[int, int]:
    """Insert new wins and refresh the numbers of known ones; returns (added, updated).

    A known win keeps its id, first detection time and moment, so case studies and messages
    that point at it stay valid while its numbers keep growing.
    """
    if not drafts:
        return 0, 0
    keys = [d.key for d in drafts]
    known: set[str] = set()
    for start in range(0, len(keys), 500):
        rows = await conn.execute(
            select(wins.c.key).where(wins.c.key.in_(keys[start : start + 500]))
        )
        known.update(r.key for r in rows)
    fresh = [
        {
            "key": d.key,
            "kind": d.kind.value,
            "account_id": d.account_id,
            "post_id": d.post_id,
            "campaign_id": d.campaign_id,
            "score": d.score,
            "ratio": d.ratio,
            "expected": d.expected,
            "reason": d.reason,
            "details": d.details or {},
            "occurred_at": d.occurred_at,
            "detected_at": now,
            "updated_at": now,
        }
        for d in drafts
        if d.key not in known
    ]
    if fresh:
        await conn.execute(insert_ignore(conn, wins, ("key",)), fresh)
    updated = 0
    for d in drafts:
        if d.key in known:
            await conn.execute(
                wins.update()
                .where(wins.c.key == d.key)
                .values(
                    score=d.score,
                    ratio=d.ratio,
                    expected=d.expected,
                    reason=d.reason,
                    details=d.details or {},
                    updated_at=now,
                )
            )
            updated += 1
    return len(fresh), updated


@dataclass(frozen=True, slots=True)
class WinFilter:
    """What a /wins query or a digest audience asks for; empty fields mean "any"."""

    since: datetime | None = None
    until: datetime | None = None
    platforms: tuple[Platform, ...] = ()
    tags: tuple[str, ...] = ()
    accounts: tuple[str, ...] = ()
    campaign: str | None = None
    peers: bool = False
    win_id: int | None = None
    limit: int = 20


def _win_query(f: WinFilter) -> Select[Any]:
    stmt = (
        select(
            wins,
            accounts.c.platform,
            accounts.c.handle,
            posts.c.external_id,
            posts.c.url,
            posts.c.text,
            posts.c.latest_engagement,
            posts.c.latest_impressions,
            campaigns.c.name.label("campaign_name"),
        )
        .select_from(wins)
        .outerjoin(accounts, accounts.c.id == wins.c.account_id)
        .outerjoin(posts, posts.c.id == wins.c.post_id)
        .outerjoin(campaigns, campaigns.c.id == wins.c.campaign_id)
    )
    kind = "peer" if f.peers else "ours"
    stmt = stmt.where(or_(accounts.c.kind == kind, wins.c.account_id.is_(None)))
    if f.peers:
        stmt = stmt.where(wins.c.account_id.is_not(None))
    if f.since is not None:
        stmt = stmt.where(wins.c.occurred_at >= f.since)
    if f.until is not None:
        stmt = stmt.where(wins.c.occurred_at < f.until)
    if f.platforms:
        stmt = stmt.where(accounts.c.platform.in_([p.value for p in f.platforms]))
    if f.accounts:
        stmt = stmt.where(accounts.c.handle.in_(f.accounts))
    if f.tags:
        tagged = select(account_tags.c.account_id).where(account_tags.c.tag.in_(f.tags))
        stmt = stmt.where(
            or_(
                wins.c.account_id.in_(tagged),
                and_(wins.c.kind == "campaign", campaigns.c.tag.in_(f.tags)),
            )
        )
    if f.campaign is not None:
        stmt = stmt.where(campaigns.c.name == f.campaign)
    if f.win_id is not None:
        stmt = stmt.where(wins.c.id == f.win_id)
    return stmt.order_by(wins.c.score.desc(), wins.c.id).limit(f.limit)


async def list_wins(conn: AsyncConnection, f: WinFilter) -> list[Win]:
    rows = (await conn.execute(_win_query(f))).all()
    tags = await tags_of(conn, {r.account_id for r in rows if r.account_id is not None})
    return [
        Win(
            id=r.id,
            kind=WinKind(r.kind),
            score=r.score,
            ratio=r.ratio,
            expected=r.expected,
            metric=_metric(r.details),
            reason=r.reason,
            occurred_at=r.occurred_at,
            detected_at=r.detected_at,
            platform=Platform(r.platform) if r.platform else None,
            account=r.handle,
            account_tags=tuple(tags.get(r.account_id, ())),
            post_external_id=r.external_id,
            post_url=r.url,
            post_text=r.text,
            engagement=r.latest_engagement,
            impressions=r.latest_impressions,
            campaign=r.campaign_name,
        )
        for r in rows
    ]


def _metric(details: object) -> str | None:
    """The count a post win was judged on; wins stored before it was recorded were engagement's."""
    if not isinstance(details, dict):
        return None
    metric = details.get("metric", "engagement" if "engagement" in details else None)
    return metric if isinstance(metric, str) else None


async def win_moments(conn: AsyncConnection, f: WinFilter) -> list[datetime]:
    """When each win ``f`` selects occurred: the digest's trend marks its weeks with wins."""
    chosen = _win_query(f).subquery()
    return [moment for (moment,) in await conn.execute(select(chosen.c.occurred_at))]


async def tags_of(conn: AsyncConnection, account_ids: set[int]) -> dict[int, list[str]]:
    if not account_ids:
        return {}
    rows = await conn.execute(
        select(account_tags.c.account_id, account_tags.c.tag)
        .where(account_tags.c.account_id.in_(sorted(account_ids)))
        .order_by(account_tags.c.tag)
    )
    found: dict[int, list[str]] = {}
    for account_id, tag in rows:
        found.setdefault(account_id, []).append(tag)
    return found

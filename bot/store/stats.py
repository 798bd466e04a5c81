"""Period statistics for an audience: what the digest's headline numbers are made of."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, and_, case, func, select
from sqlalchemy.ext.asyncio import AsyncConnection

from bot.domain.models import Audience, Platform
from bot.domain.views import PeriodStats
from bot.store.tables import account_tags, accounts, posts
from bot.store.tables import follower_snapshots as followers
from bot.store.tables import post_snapshots as snapshots


def audience_accounts(audience: Audience) -> list[ColumnElement[bool]]:
    """SQL conditions on ``accounts`` selecting our accounts in an audience."""
    conditions: list[ColumnElement[bool]] = [accounts.c.kind == "ours"]
    if audience.tags:
        conditions.append(
            accounts.c.id.in_(
                select(account_tags.c.account_id).where(account_tags.c.tag.in_(audience.tags))
            )
        )
    if audience.platforms:
        conditions.append(accounts.c.platform.in_([p.value for p in audience.platforms]))
    if audience.accounts:
        conditions.append(accounts.c.handle.in_(audience.accounts))
    return conditions


async def period_stats(
    conn: AsyncConnection, audience: Audience, start: datetime, end: datetime
) -> PeriodStats:
    """Posts published, and interactions, impressions and followers *earned* in [start, end).

    Earned means the growth of each post's counts within the period, so an old post that keeps
    collecting likes counts too and nothing is counted twice across weeks.
    """
    in_audience = select(accounts.c.id).where(*audience_accounts(audience))
    published = await conn.execute(
        select(func.count())
        .select_from(posts)
        .where(
            posts.c.account_id.in_(in_audience),
            posts.c.published_at >= start,
            posts.c.published_at < end,
        )
    )
    per_post = (
        select(
            snapshots.c.post_id,
            func.max(case((snapshots.c.captured_at < start, snapshots.c.engagement))).label("e0"),
            func.max(snapshots.c.engagement).label("e1"),
            func.max(case((snapshots.c.captured_at < start, snapshots.c.impressions))).label("i0"),
            func.max(snapshots.c.impressions).label("i1"),
            func.max(case((snapshots.c.captured_at < start, snapshots.c.clicks))).label("c0"),
            func.max(snapshots.c.clicks).label("c1"),
        )
        .join(posts, posts.c.id == snapshots.c.post_id)
        .where(
            posts.c.account_id.in_(in_audience),
            posts.c.latest_captured_at >= start,
            snapshots.c.captured_at < end,
        )
        .group_by(snapshots.c.post_id)
        .subquery()
    )
    gains = await conn.execute(
        select(
            posts.c.platform,
            func.sum(per_post.c.e1 - func.coalesce(per_post.c.e0, 0)),
            func.sum(func.coalesce(per_post.c.i1, 0) - func.coalesce(per_post.c.i0, 0)),
            func.sum(func.coalesce(per_post.c.c1, 0) - func.coalesce(per_post.c.c0, 0)),
        )
        .join(per_post, per_post.c.post_id == posts.c.id)
        .group_by(posts.c.platform)
    )
    by_platform: dict[Platform, int] = {}
    impressions = clicks = 0
    for platform, engagement, imps, link_clicks in gains:
        by_platform[Platform(platform)] = int(engagement or 0)
        impressions += int(imps or 0)
        clicks += int(link_clicks or 0)
    return PeriodStats(
        posts=int(published.scalar_one()),
        engagement=sum(by_platform.values()),
        impressions=impressions,
        clicks=clicks,
        followers_gained=await _followers_gained(conn, in_audience, start, end),
        engagement_by_platform=by_platform,
    )


async def _followers_gained(
    conn: AsyncConnection, in_audience: Any, start: datetime, end: datetime
) -> int:
    rows = await conn.execute(
        select(
            followers.c.account_id,
            func.max(case((followers.c.captured_at < start, followers.c.captured_at))).label("t0"),
            func.max(followers.c.captured_at).label("t1"),
        )
        .where(followers.c.account_id.in_(in_audience), followers.c.captured_at < end)
        .group_by(followers.c.account_id)
    )
    gained = 0
    for account_id, t0, t1 in rows.all():
        if t0 is None:
            continue  # no count before the period: growth unknown, not "everything is new"
        counts = dict(
            (
                await conn.execute(
                    select(followers.c.captured_at, followers.c.followers).where(
                        and_(
                            followers.c.account_id == account_id,
                            followers.c.captured_at.in_([t0, t1]),
                        )
                    )
                )
            ).all()
        )
        gained += counts.get(t1, 0) - counts.get(t0, 0)
    return gained

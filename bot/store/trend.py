"""An audience's weekly trend: the digest's headline numbers per platform for several weeks.

Counted exactly as ``stats.period_stats`` counts one week (a post's earned growth is its latest
count before the week ends less its latest count before the week starts; followers gained is the
same difference between an account's last counts before each edge, skipped with no count before
the week), but for every week in one pass: each count is read once per week *edge*, and a
week's gain is the difference of its two edges. Thirteen calls of ``period_stats`` would read the
same snapshots thirteen times, and its follower count asks once per account per week.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from datetime import datetime
from itertools import pairwise
from typing import Any

from sqlalchemy import ColumnElement, and_, case, func, select
from sqlalchemy.ext.asyncio import AsyncConnection

from bot.domain.models import Audience, Platform
from bot.domain.periods import Period
from bot.domain.views import PeriodStats, PlatformWeek, TrendWeek
from bot.store.stats import audience_accounts
from bot.store.tables import accounts, posts
from bot.store.tables import follower_snapshots as followers
from bot.store.tables import post_snapshots as snapshots
from bot.store.wins import WinFilter, win_moments

_GROWTH = ("engagement", "impressions", "clicks")


async def weekly_series(
    conn: AsyncConnection, audience: Audience, weeks: Sequence[Period]
) -> list[TrendWeek]:
    """The audience's numbers for each of ``weeks`` (consecutive, oldest first), per platform.

    Five statements whatever the number of weeks or accounts: posts published, growth per post,
    followers at each edge, each account's first snapshot, and the wins' moments.
    """
    if not weeks:
        return []
    edges = [week.start for week in weeks] + [weeks[-1].end]
    in_audience = select(accounts.c.id).where(*audience_accounts(audience))
    table: dict[Platform, list[dict[str, int]]] = defaultdict(
        lambda: [defaultdict(int) for _ in weeks]
    )
    await _published(conn, in_audience, edges, table)
    await _growth(conn, in_audience, edges, table)
    await _followers(conn, in_audience, edges, table)
    await _began(conn, in_audience, edges, table)
    wins = await _wins_per_week(conn, audience, edges)
    return [
        TrendWeek(
            label=week.label,
            starts_on=week.first_day,
            platforms={
                platform: PlatformWeek(**counts[i]) for platform, counts in sorted(table.items())
            },
            wins=wins[i],
        )
        for i, week in enumerate(weeks)
    ]


def period_stats_of(week: TrendWeek) -> PeriodStats:
    """One week of the series as the ``PeriodStats`` the digest composes (same numbers)."""
    return PeriodStats(
        posts=week.total("posts"),
        engagement=week.total("engagement"),
        impressions=week.total("impressions"),
        clicks=week.total("clicks"),
        followers_gained=week.total("followers_gained"),
        engagement_by_platform={p: w.engagement for p, w in week.platforms.items()},
    )


def _buckets(column: Any, edges: Sequence[datetime]) -> list[ColumnElement[Any]]:
    return [
        func.sum(case((and_(column >= start, column < end), 1), else_=0))
        for start, end in pairwise(edges)
    ]


async def _published(
    conn: AsyncConnection, in_audience: Any, edges: list[datetime], table: Any
) -> None:
    rows = await conn.execute(
        select(posts.c.platform, *_buckets(posts.c.published_at, edges))
        .where(
            posts.c.account_id.in_(in_audience),
            posts.c.published_at >= edges[0],
            posts.c.published_at < edges[-1],
        )
        .group_by(posts.c.platform)
    )
    for platform, *counts in rows:
        for i, count in enumerate(counts):
            table[Platform(platform)][i]["posts"] += int(count or 0)


async def _growth(
    conn: AsyncConnection, in_audience: Any, edges: list[datetime], table: Any
) -> None:
    # Per post, its latest count before each edge (NULL: none yet); per platform, the sum of
    # each week's difference. A NULL at the later edge means no snapshot before the week ended,
    # which period_stats leaves out and which adds 0 here.
    columns = [
        func.max(case((snapshots.c.captured_at < edge, getattr(snapshots.c, metric)))).label(
            f"{metric}_{i}"
        )
        for metric in _GROWTH
        for i, edge in enumerate(edges)
    ]
    per_post = (
        select(posts.c.platform, *columns)
        .join(posts, posts.c.id == snapshots.c.post_id)
        .where(
            posts.c.account_id.in_(in_audience),
            posts.c.latest_captured_at >= edges[0],
            snapshots.c.captured_at < edges[-1],
        )
        .group_by(snapshots.c.post_id, posts.c.platform)
        .subquery()
    )
    sums = [
        func.sum(
            func.coalesce(per_post.c[f"{metric}_{i + 1}"], 0)
            - func.coalesce(per_post.c[f"{metric}_{i}"], 0)
        )
        for metric in _GROWTH
        for i in range(len(edges) - 1)
    ]
    rows = await conn.execute(select(per_post.c.platform, *sums).group_by(per_post.c.platform))
    weeks = len(edges) - 1
    for platform, *gains in rows:
        for m, metric in enumerate(_GROWTH):
            for i in range(weeks):
                table[Platform(platform)][i][metric] += int(gains[m * weeks + i] or 0)


async def _began(
    conn: AsyncConnection, in_audience: Any, edges: list[datetime], table: Any
) -> None:
    # Each account's first post snapshot: the week it falls in holds its posts' earlier counts.
    first = func.min(snapshots.c.captured_at)
    rows = await conn.execute(
        select(accounts.c.platform, first)
        .join(posts, posts.c.id == snapshots.c.post_id)
        .join(accounts, accounts.c.id == posts.c.account_id)
        .where(posts.c.account_id.in_(in_audience))
        .group_by(posts.c.account_id, accounts.c.platform)
        .having(and_(first >= edges[0], first < edges[-1]))
    )
    for platform, moment in rows:
        for i, (start, end) in enumerate(pairwise(edges)):
            if start <= moment < end:
                table[Platform(platform)][i]["began"] = True


async def _followers(
    conn: AsyncConnection, in_audience: Any, edges: list[datetime], table: Any
) -> None:
    # Each account's last capture before each edge, then the counts at those moments.
    latest = [
        func.max(case((followers.c.captured_at < edge, followers.c.captured_at))) for edge in edges
    ]
    moments = (
        await conn.execute(
            select(followers.c.account_id, accounts.c.platform, *latest)
            .join(accounts, accounts.c.id == followers.c.account_id)
            .where(followers.c.account_id.in_(in_audience), followers.c.captured_at < edges[-1])
            .group_by(followers.c.account_id, accounts.c.platform)
        )
    ).all()
    wanted = {(row[0], moment) for row in moments for moment in row[2:] if moment is not None}
    if not wanted:
        return
    counts: dict[tuple[int, datetime], int] = {}
    found = await conn.execute(
        select(followers.c.account_id, followers.c.captured_at, followers.c.followers).where(
            followers.c.account_id.in_(sorted({account for account, _ in wanted})),
            followers.c.captured_at.in_(sorted({moment for _, moment in wanted})),
        )
    )
    for account_id, captured_at, count in found:
        counts[(account_id, captured_at)] = int(count)
    for account_id, platform, *at in moments:
        for i in range(len(edges) - 1):
            if at[i] is None or at[i + 1] is None:
                continue  # no count before the week: growth unknown, not "everything is new"
            gained = counts.get((account_id, at[i + 1]), 0) - counts.get((account_id, at[i]), 0)
            table[Platform(platform)][i]["followers_gained"] += gained


async def _wins_per_week(
    conn: AsyncConnection, audience: Audience, edges: list[datetime]
) -> list[int]:
    # The same selection as the digest's own wins (store.wins), so a marked week has wins to show.
    window = WinFilter(
        since=edges[0],
        until=edges[-1],
        platforms=audience.platforms,
        tags=audience.tags,
        accounts=audience.accounts,
        limit=100_000,
    )
    counts = [0] * (len(edges) - 1)
    for moment in await win_moments(conn, window):
        for i in range(len(counts)):
            if edges[i] <= moment < edges[i + 1]:
                counts[i] += 1
                break
    return counts

"""Reading what detection needs: posts flagged for scoring and engagement series per post."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import BindParameter, bindparam, literal, select, tuple_, update
from sqlalchemy.ext.asyncio import AsyncConnection

from bot.models import Platform
from bot.store.tables import accounts, posts
from bot.store.tables import follower_snapshots as followers
from bot.store.tables import post_snapshots as snapshots
from bot.wins import PostSeries

CHUNK = 500


@dataclass(frozen=True, slots=True)
class AccountRef:
    id: int
    platform: Platform
    handle: str


@dataclass(frozen=True, slots=True)
class PostStub:
    id: int
    published_at: datetime
    latest_captured_at: datetime | None


async def flagged_posts(conn: AsyncConnection, *, everything: bool) -> dict[int, list[int]]:
    """Post ids to score, by account: those with new snapshots, or all with ``everything``."""
    stmt = select(posts.c.account_id, posts.c.id).where(posts.c.latest_captured_at.is_not(None))
    if not everything:
        stmt = stmt.where(posts.c.needs_scoring.is_(True))
    by_account: dict[int, list[int]] = {}
    for row in await conn.execute(stmt):
        by_account.setdefault(row.account_id, []).append(row.id)
    return by_account


async def account_refs(conn: AsyncConnection, ids: Sequence[int]) -> dict[int, AccountRef]:
    refs: dict[int, AccountRef] = {}
    for start in range(0, len(ids), CHUNK):
        rows = await conn.execute(
            select(accounts.c.id, accounts.c.platform, accounts.c.handle).where(
                accounts.c.id.in_(ids[start : start + CHUNK])
            )
        )
        refs.update({r.id: AccountRef(r.id, Platform(r.platform), r.handle) for r in rows})
    return refs


async def account_posts(
    conn: AsyncConnection, account_id: int, targets: set[int], depth: int
) -> list[PostStub]:
    """The account's posts from the oldest target on, plus the ``depth`` posts before it.

    Oldest first. That is all scoring the targets needs: reading only the recent end of a long
    history is what keeps incremental detection cheap.
    """
    stub = select(posts.c.id, posts.c.published_at, posts.c.latest_captured_at).where(
        posts.c.account_id == account_id, posts.c.latest_captured_at.is_not(None)
    )
    first = (
        await conn.execute(
            select(posts.c.published_at, posts.c.id)
            .where(posts.c.id.in_(sorted(targets)))
            .order_by(posts.c.published_at, posts.c.id)
            .limit(1)
        )
    ).one()
    position = tuple_(posts.c.published_at, posts.c.id)
    marker = tuple_(literal(first.published_at, posts.c.published_at.type), literal(first.id))
    later = await conn.execute(
        stub.where(position >= marker).order_by(posts.c.published_at, posts.c.id)
    )
    earlier = await conn.execute(
        stub.where(position < marker)
        .order_by(posts.c.published_at.desc(), posts.c.id.desc())
        .limit(depth)
    )
    rows = [*reversed(earlier.all()), *later.all()]
    return [PostStub(r.id, r.published_at, r.latest_captured_at) for r in rows]


async def load_series(conn: AsyncConnection, stubs: Sequence[PostStub]) -> dict[int, PostSeries]:
    series = {s.id: PostSeries(s.id, s.published_at) for s in stubs}
    ids = list(series)
    for start in range(0, len(ids), CHUNK):
        rows = await conn.execute(
            select(snapshots.c.post_id, snapshots.c.captured_at, snapshots.c.engagement)
            .where(snapshots.c.post_id.in_(ids[start : start + CHUNK]))
            .order_by(snapshots.c.post_id, snapshots.c.captured_at)
        )
        for post_id, captured_at, engagement in rows:
            series[post_id].add(captured_at, engagement)
    return series


async def clear_flags(conn: AsyncConnection, stubs: Sequence[PostStub]) -> None:
    """Unflag scored posts, unless a snapshot arrived meanwhile (then the next run rescores)."""
    await conn.execute(
        update(posts)
        .where(posts.c.id == _param("p_id"), posts.c.latest_captured_at == _param("p_at"))
        .values(needs_scoring=False),
        [{"p_id": s.id, "p_at": s.latest_captured_at} for s in stubs],
    )


def _param(name: str) -> BindParameter[Any]:

    column = posts.c.id if name == "p_id" else posts.c.latest_captured_at
    return bindparam(name, type_=column.type)


async def follower_series(conn: AsyncConnection) -> dict[int, list[tuple[datetime, int]]]:
    rows = await conn.execute(
        select(followers.c.account_id, followers.c.captured_at, followers.c.followers).order_by(
            followers.c.account_id, followers.c.captured_at
        )
    )
    series: dict[int, list[tuple[datetime, int]]] = {}
    for account_id, captured_at, count in rows:
        series.setdefault(account_id, []).append((captured_at, count))
    return series

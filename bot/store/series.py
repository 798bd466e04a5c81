"""Reading what detection needs: posts flagged for scoring and engagement series per post."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from functools import cache
from typing import Any

from sqlalchemy import (
    BindParameter,
    Select,
    and_,
    bindparam,
    func,
    literal,
    select,
    tuple_,
    union_all,
    update,
)
from sqlalchemy.ext.asyncio import AsyncConnection

from bot.domain.models import Platform, PostFormat
from bot.domain.post_series import EXPOSURE_METRICS, PostSeries
from bot.store.tables import accounts, posts
from bot.store.tables import follower_snapshots as followers
from bot.store.tables import post_snapshots as snapshots

CHUNK = 500
# What detection judges, per snapshot: engagement, then the EXPOSURE_METRICS in their order.
_COUNTS = (snapshots.c.engagement, *(snapshots.c[name] for name in EXPOSURE_METRICS))
# (post, age) pairs per lookup: each is one SELECT in a UNION ALL, and SQLite allows 500 of those.
AGES_CHUNK = 200
# The moments a cutoff may name: all that a datetime can hold.
_FIRST_MOMENT = datetime.min.replace(tzinfo=UTC)
_LAST_MOMENT = datetime.max.replace(tzinfo=UTC)


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
    format: PostFormat | None = None


async def flagged_posts(conn: AsyncConnection, *, everything: bool) -> dict[int, list[PostStub]]:
    """Posts to score, by account: those with new snapshots, or all with ``everything``."""
    stmt = select(
        posts.c.account_id,
        posts.c.id,
        posts.c.published_at,
        posts.c.latest_captured_at,
        posts.c.format,
    ).where(posts.c.latest_captured_at.is_not(None))
    if not everything:
        stmt = stmt.where(posts.c.needs_scoring.is_(True))
    by_account: dict[int, list[PostStub]] = {}
    for row in await conn.execute(stmt):
        stub = PostStub(row.id, row.published_at, row.latest_captured_at, _format(row.format))
        by_account.setdefault(row.account_id, []).append(stub)
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
    conn: AsyncConnection, account_id: int, targets: Sequence[PostStub], depth: int
) -> list[PostStub]:
    """The account's posts from the oldest target on, plus the ``depth`` posts before it.

    Oldest first. That is all scoring the targets needs: reading only the recent end of a long
    history is what keeps incremental detection cheap. The stubs are read again rather than
    taken from ``targets`` because ``latest_captured_at`` may have moved since they were listed.
    """
    stub = select(
        posts.c.id, posts.c.published_at, posts.c.latest_captured_at, posts.c.format
    ).where(posts.c.account_id == account_id, posts.c.latest_captured_at.is_not(None))
    first = min(targets, key=lambda t: (t.published_at, t.id))
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
    return [PostStub(r.id, r.published_at, r.latest_captured_at, _format(r.format)) for r in rows]


def _format(value: str | None) -> PostFormat | None:
    """A stored format; one this version does not know (a newer one wrote it) is no format."""
    try:
        return None if value is None else PostFormat(value)
    except ValueError:
        return None


async def load_series(conn: AsyncConnection, stubs: Sequence[PostStub]) -> dict[int, PostSeries]:
    """Every snapshot of each post: what judging a post itself needs (its latest age and count)."""
    series = {s.id: PostSeries(s.id, s.published_at, s.format) for s in stubs}
    ids = list(series)
    for start in range(0, len(ids), CHUNK):
        rows = await conn.execute(
            select(snapshots.c.post_id, snapshots.c.captured_at, *_COUNTS)
            .where(snapshots.c.post_id.in_(ids[start : start + CHUNK]))
            .order_by(snapshots.c.post_id, snapshots.c.captured_at)
        )
        for post_id, captured_at, engagement, *exposure in rows:
            series[post_id].add(captured_at, engagement, tuple(exposure))
    return series


async def load_at_ages(
    conn: AsyncConnection, wanted: Iterable[tuple[PostStub, timedelta]]
) -> dict[int, PostSeries]:
    """Each post's series cut down to what ``PostSeries.at_age`` reads at the ages given.

    A post in a baseline is only ever read at the age of the post it is compared with, between
    the last snapshot by then (else its first one) and the first one after. Those two rows per
    (post, age) make ``at_age`` answer at each of those ages exactly as the whole series would:
    no other snapshot lies between them. Fetching them by index seeks instead of every snapshot
    of ~30 history posts is what makes rescoring a few posts cheap.
    Every post asked for gets a series, empty when it has no snapshots, as with load_series.
    """
    pairs = list(dict.fromkeys((stub, _cutoff(stub.published_at, age)) for stub, age in wanted))
    series = {stub.id: PostSeries(stub.id, stub.published_at, stub.format) for stub, _ in pairs}
    points: dict[int, dict[datetime, tuple[int, tuple[int | None, ...]]]] = {
        post_id: {} for post_id in series
    }
    for start in range(0, len(pairs), AGES_CHUNK):
        chunk = pairs[start : start + AGES_CHUNK]
        params: dict[str, Any] = {}
        for n, (stub, cutoff) in enumerate(chunk):
            params[f"post_{n}"], params[f"cutoff_{n}"] = stub.id, cutoff
        for post_id, captured_at, engagement, *exposure in await conn.execute(
            _at_or_before(len(chunk)), params
        ):
            points[post_id][captured_at] = (engagement, tuple(exposure))
    for post_id, found in points.items():
        for captured_at in sorted(found):
            series[post_id].add(captured_at, *found[captured_at])
    return series


def _cutoff(published_at: datetime, age: timedelta) -> datetime:
    """The moment a post was ``age`` old, held inside the years a datetime can name.

    A post stored with an absurd date (published in 9999, captured in 2026: minus eight
    thousand years old) asks for its history at cutoffs before year 1 or after 9999, which
    overflowed and made every later detection fail. Held at the edge, the cutoff still picks
    what ``PostSeries.at_age`` picks from the whole series: the first snapshot, or the last.
    """
    try:
        return published_at + age
    except OverflowError:
        return _LAST_MOMENT if age > timedelta(0) else _FIRST_MOMENT


@cache
def _at_or_before(size: int) -> Select[Any]:
    """Per pair (post_n, cutoff_n), n < size: the last snapshot by the cutoff, else the first,
    and the first snapshot after the cutoff (``PostSeries.at_age`` reads between the two).

    The pairs travel as a UNION ALL of one-row SELECTs because SQLite cannot name the columns of
    a VALUES list; each pick is a MIN or MAX on the (post_id, captured_at) unique index, and the
    join back on that index fetches the count: index seeks on both databases. Built once per
    size because building a union of a few hundred selects costs more than running it.
    """
    wanted = union_all(
        *(
            select(
                bindparam(f"post_{n}", type_=snapshots.c.post_id.type).label("post_id"),
                bindparam(f"cutoff_{n}", type_=snapshots.c.captured_at.type).label("cutoff"),
            )
            for n in range(size)
        )
    ).cte("wanted")
    seen = snapshots.alias("seen")
    last_by_cutoff = (
        select(func.max(seen.c.captured_at))
        .where(seen.c.post_id == wanted.c.post_id, seen.c.captured_at <= wanted.c.cutoff)
        .scalar_subquery()
    )
    first = select(func.min(seen.c.captured_at)).where(seen.c.post_id == wanted.c.post_id)
    next_after = (
        select(func.min(seen.c.captured_at))
        .where(seen.c.post_id == wanted.c.post_id, seen.c.captured_at > wanted.c.cutoff)
        .scalar_subquery()
    )
    picked = union_all(
        select(
            wanted.c.post_id,
            func.coalesce(last_by_cutoff, first.scalar_subquery()).label("captured_at"),
        ),
        select(wanted.c.post_id, next_after.label("captured_at")),
    ).subquery("picked")
    return select(snapshots.c.post_id, snapshots.c.captured_at, *_COUNTS).join(
        picked,
        and_(
            snapshots.c.post_id == picked.c.post_id,
            snapshots.c.captured_at == picked.c.captured_at,
        ),
    )


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

"""Bulk ingest of source records: batched, idempotent, memory bounded by the batch size.

Every batch is its own transaction, so a file that fails half-way keeps what was imported and a
second run picks up the rest without duplicating anything.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from itertools import islice
from typing import Any

from sqlalchemy import and_, bindparam, func, select, tuple_
from sqlalchemy.ext.asyncio import AsyncConnection

from bot.models import METRIC_NAMES, FollowerRecord, RowProblem, SnapshotRecord, SourceItem
from bot.store.accounts import ensure_accounts
from bot.store.bulk import SnapshotTuple, insert_snapshot_rows
from bot.store.db import Database
from bot.store.tables import follower_snapshots as followers
from bot.store.tables import post_snapshots as snapshots
from bot.store.tables import posts
from bot.store.upsert import insert_ignore

DEFAULT_BATCH = 5000
_AT = bindparam("b_at", type_=posts.c.latest_captured_at.type)
MAX_REPORTED_PROBLEMS = 100


@dataclass
class IngestReport:
    rows: int = 0
    posts_added: int = 0
    snapshots_added: int = 0
    snapshots_unchanged: int = 0
    followers_added: int = 0
    problems: list[RowProblem] = field(default_factory=list)
    problem_count: int = 0

    def add_problem(self, problem: RowProblem) -> None:
        # Keep the first problems for the report; count the rest so a broken file cannot
        # exhaust memory with error messages.
        self.problem_count += 1
        if len(self.problems) < MAX_REPORTED_PROBLEMS:
            self.problems.append(problem)


async def ingest(
    db: Database,
    items: Iterable[SourceItem],
    *,
    now: datetime | None = None,
    batch_size: int = DEFAULT_BATCH,
    on_batch: Callable[[IngestReport], None] | None = None,
) -> IngestReport:
    """Store records from any source; returns what changed. Safe to repeat with the same data."""
    report = IngestReport()
    captured_default = now or datetime.now(UTC)
    iterator = iter(items)
    while batch := list(islice(iterator, batch_size)):
        snaps: list[SnapshotRecord] = []
        follows: list[FollowerRecord] = []
        for item in batch:
            if isinstance(item, SnapshotRecord):
                snaps.append(item)
            elif isinstance(item, FollowerRecord):
                follows.append(item)
            else:
                report.add_problem(item)
        report.rows += len(snaps) + len(follows)
        async with db.engine.begin() as conn:
            await _ingest_batch(conn, snaps, follows, captured_default, report)
        if on_batch is not None:
            on_batch(report)
    return report


async def _ingest_batch(
    conn: AsyncConnection,
    snaps: list[SnapshotRecord],
    follows: list[FollowerRecord],
    captured_default: datetime,
    report: IngestReport,
) -> None:
    # Platform is a StrEnum: members hash and compare like their values, so keys skip `.value`.
    account_keys: set[tuple[str, str]] = {(r.platform, r.account) for r in snaps}
    account_keys.update((r.platform, r.account) for r in follows)
    account_ids = await ensure_accounts(conn, account_keys)
    follower_rows: dict[tuple[int, datetime], int] = {}
    implicit_follower_keys: set[tuple[int, datetime]] = set()
    for f in follows:
        follower_rows[(account_ids[(f.platform, f.account)], f.captured_at)] = f.followers
    if snaps:
        post_ids = await _ensure_posts(conn, snaps, account_ids, report)
        await _insert_snapshots(conn, snaps, post_ids, captured_default, report)
        for r in snaps:
            if r.followers is not None:
                key = (
                    account_ids[(r.platform.value, r.account)],
                    r.captured_at or captured_default,
                )
                follower_rows[key] = r.followers
                if r.captured_at is None:
                    implicit_follower_keys.add(key)
    if follower_rows:
        await _insert_followers(conn, follower_rows, implicit_follower_keys, report)


async def _ensure_posts(
    conn: AsyncConnection,
    snaps: list[SnapshotRecord],
    account_ids: dict[tuple[str, str], int],
    report: IngestReport,
) -> dict[tuple[str, str], int]:
    new_posts: dict[tuple[str, str], dict[str, Any]] = {}
    for r in snaps:
        key = (r.platform, r.post_id)
        if key not in new_posts:
            new_posts[key] = {
                "account_id": account_ids[(r.platform, r.account)],
                "platform": r.platform.value,
                "external_id": r.post_id,
                "url": r.url,
                "text": r.text,
                "published_at": r.published_at,
                "latest_engagement": 0,
                "needs_scoring": True,
            }
    keys = list(new_posts)
    known = await _post_ids(conn, keys)
    missing = [new_posts[k] for k in keys if k not in known]
    if missing:
        await conn.execute(insert_ignore(conn, posts, ("platform", "external_id")), missing)
        known.update(await _post_ids(conn, [k for k in keys if k not in known]))
        report.posts_added += len(missing)
    return known


async def _post_ids(
    conn: AsyncConnection, keys: list[tuple[str, str]]
) -> dict[tuple[str, str], int]:
    found: dict[tuple[str, str], int] = {}
    for start in range(0, len(keys), 500):  # stay under SQLite's bound-parameter limit
        chunk = keys[start : start + 500]
        rows = await conn.execute(
            select(posts.c.platform, posts.c.external_id, posts.c.id).where(
                tuple_(posts.c.platform, posts.c.external_id).in_(chunk)
            )
        )
        found.update({(r.platform, r.external_id): r.id for r in rows})
    return found


async def _insert_snapshots(
    conn: AsyncConnection,
    snaps: list[SnapshotRecord],
    post_ids: dict[tuple[str, str], int],
    captured_default: datetime,
    report: IngestReport,
) -> None:
    # Rows are plain tuples in SNAPSHOT_COLUMNS order: this loop runs once per imported row.
    rows: dict[tuple[int, datetime], SnapshotTuple] = {}
    implicit: set[int] = set()  # posts whose snapshot had no capture time of its own
    for r in snaps:
        post_id = post_ids[(r.platform, r.post_id)]
        captured = r.captured_at
        if captured is None:
            captured = captured_default
            implicit.add(post_id)
        m = r.metrics
        rows[(post_id, captured)] = (  # the last row for the same moment wins
            post_id, captured, m.impressions, m.reach, m.likes, m.comments, m.shares,
            m.quotes, m.saves, m.clicks, m.video_views, m.engagement,
        )  # fmt: skip
    ids = sorted({k[0] for k in rows})
    existing = await _existing_snapshot_keys(conn, ids, [k[1] for k in rows])
    latest = await _latest_counts(conn, sorted(implicit)) if implicit else {}
    fresh: list[SnapshotTuple] = []
    for key, row in rows.items():
        if key in existing:
            continue
        if key[0] in implicit and latest.get(key[0]) == row[2:11]:
            # An export without capture times, seen before with the same counts: nothing new.
            continue
        fresh.append(row)
    report.snapshots_unchanged += len(rows) - len(fresh)
    if not fresh:
        return
    await insert_snapshot_rows(conn, fresh)
    report.snapshots_added += len(fresh)
    await _refresh_latest(conn, fresh)


async def _existing_snapshot_keys(
    conn: AsyncConnection, post_ids: list[int], moments: list[datetime]
) -> set[tuple[int, datetime]]:
    if not post_ids:
        return set()
    low, high = min(moments), max(moments)
    found: set[tuple[int, datetime]] = set()
    for start in range(0, len(post_ids), 500):
        rows = await conn.execute(
            select(snapshots.c.post_id, snapshots.c.captured_at).where(
                snapshots.c.post_id.in_(post_ids[start : start + 500]),
                snapshots.c.captured_at.between(low, high),
            )
        )
        found.update((r.post_id, r.captured_at) for r in rows)
    return found


async def _latest_counts(
    conn: AsyncConnection, post_ids: list[int]
) -> dict[int, tuple[int | None, ...]]:
    found: dict[int, tuple[int | None, ...]] = {}
    for start in range(0, len(post_ids), 500):
        chunk = post_ids[start : start + 500]
        rows = await conn.execute(
            select(snapshots.c.post_id, *(snapshots.c[name] for name in METRIC_NAMES))
            .join(
                posts,
                and_(
                    posts.c.id == snapshots.c.post_id,
                    posts.c.latest_captured_at == snapshots.c.captured_at,
                ),
            )
            .where(posts.c.id.in_(chunk))
        )
        for r in rows:
            found[r.post_id] = tuple(r[1:])
    return found


async def _refresh_latest(conn: AsyncConnection, fresh: list[SnapshotTuple]) -> None:
    """Move each post's denormalised latest counts forward and flag it for detection."""
    newest: dict[int, SnapshotTuple] = {}
    for row in fresh:
        current = newest.get(row[0])
        if current is None or row[1] > current[1]:
            newest[row[0]] = row
    stmt = (
        posts.update()
        .where(posts.c.id == bindparam("b_id", type_=posts.c.id.type))
        .where(posts.c.latest_captured_at.is_(None) | (posts.c.latest_captured_at <= _AT))
        .values(
            latest_captured_at=_AT,
            latest_engagement=bindparam("b_eng", type_=posts.c.latest_engagement.type),
            latest_impressions=bindparam("b_imp", type_=posts.c.latest_impressions.type),
            needs_scoring=True,
        )
    )
    await conn.execute(
        stmt,
        [
            {
                "b_id": pid,
                "b_at": row[1],
                "b_eng": row[11],
                "b_imp": row[2],
            }
            for pid, row in newest.items()
        ],
    )
    # A snapshot older than the latest (a backfill) still changes the series: rescore too.
    await conn.execute(
        posts.update().where(posts.c.id.in_(list(newest))).values(needs_scoring=True)
    )


async def _insert_followers(
    conn: AsyncConnection,
    rows: dict[tuple[int, datetime], int],
    implicit: set[tuple[int, datetime]],
    report: IngestReport,
) -> None:
    account_ids = sorted({k[0] for k in rows})
    latest = await _latest_followers(conn, account_ids)
    existing = {
        (r.account_id, r.captured_at)
        for r in await conn.execute(
            select(followers.c.account_id, followers.c.captured_at).where(
                followers.c.account_id.in_(account_ids),
                followers.c.captured_at.between(min(k[1] for k in rows), max(k[1] for k in rows)),
            )
        )
    }
    fresh = [
        {"account_id": aid, "captured_at": at, "followers": count}
        for (aid, at), count in rows.items()
        if (aid, at) not in existing and not ((aid, at) in implicit and latest.get(aid) == count)
    ]
    if fresh:
        await conn.execute(insert_ignore(conn, followers, ("account_id", "captured_at")), fresh)
        report.followers_added += len(fresh)


async def _latest_followers(conn: AsyncConnection, account_ids: list[int]) -> dict[int, int]:
    newest = (
        select(followers.c.account_id, func.max(followers.c.captured_at).label("at"))
        .where(followers.c.account_id.in_(account_ids))
        .group_by(followers.c.account_id)
        .subquery()
    )
    rows = await conn.execute(
        select(followers.c.account_id, followers.c.followers).join(
            newest,
            and_(
                followers.c.account_id == newest.c.account_id,
                followers.c.captured_at == newest.c.at,
            ),
        )
    )
    return {r.account_id: r.followers for r in rows}

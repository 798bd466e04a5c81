"""Bulk ingest of source records: batched, idempotent, memory bounded by the batch size.

Every batch is its own transaction, so a file that fails half-way keeps what was imported and a
second run picks up the rest without duplicating anything. The work is done on packed batches
(``bot.domain.batches``): a million-row import pays one tuple build per row here, not per field.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from operator import itemgetter
from typing import Any

from sqlalchemy import and_, bindparam, func, select, update
from sqlalchemy.ext.asyncio import AsyncConnection

from bot.domain.batches import BATCH_SIZE, RecordBatch, from_utc_text, packed, utc_text
from bot.domain.models import METRIC_NAMES, RowProblem, SourceItem
from bot.store.accounts import ensure_accounts
from bot.store.bulk import (
    SnapshotTuple,
    existing_snapshot_keys,
    insert_indexed_snapshot_rows,
    insert_snapshot_rows,
    with_post_ids,
)
from bot.store.db import Database
from bot.store.lookup import ids_by_platform
from bot.store.tables import follower_snapshots as followers
from bot.store.tables import post_snapshots as snapshots
from bot.store.tables import posts
from bot.store.upsert import insert_ignore

MAX_REPORTED_PROBLEMS = 100
_MOMENT = itemgetter(1)  # a snapshot row's captured_at, packed or not


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
    batch_size: int = BATCH_SIZE,
    on_batch: Callable[[IngestReport], None] | None = None,
) -> IngestReport:
    """Store records from any source; returns what changed. Safe to repeat with the same data."""
    return await ingest_batches(db, packed(items, batch_size), now=now, on_batch=on_batch)


async def ingest_batches(
    db: Database,
    batches: Iterable[RecordBatch],
    *,
    now: datetime | None = None,
    on_batch: Callable[[IngestReport], None] | None = None,
) -> IngestReport:
    """Store batches already packed (by a background parser, say); one transaction each."""
    report = IngestReport()
    captured_default = utc_text(now or datetime.now(UTC))
    # Account ids, learned once per import: a file names a handful of accounts in every batch.
    account_ids: dict[tuple[str, str], int] = {}
    for batch in batches:
        for problem in batch.problems:
            report.add_problem(problem)
        report.rows += batch.rows
        if batch.rows:
            async with db.engine.begin() as conn:
                await _ingest_batch(conn, batch, account_ids, captured_default, report)
        if on_batch is not None:
            on_batch(report)
    return report


async def _ingest_batch(
    conn: AsyncConnection,
    batch: RecordBatch,
    account_ids: dict[tuple[str, str], int],
    captured_default: str,
    report: IngestReport,
) -> None:
    account_keys = {(facts[0], facts[2]) for facts in batch.posts}
    account_keys.update((f.platform.value, f.account) for f in batch.followers)
    account_keys.difference_update(account_ids)
    if account_keys:
        account_ids.update(await ensure_accounts(conn, account_keys))
    follower_rows: dict[tuple[int, datetime], int] = {}
    implicit_follower_keys: set[tuple[int, datetime]] = set()
    for f in batch.followers:
        follower_rows[(account_ids[(f.platform.value, f.account)], f.captured_at)] = f.followers
    if batch.snapshots:
        post_ids = await _ensure_posts(conn, batch, account_ids, report)
        await _insert_snapshots(conn, batch, post_ids, captured_default, report)
        for index, captured, count in batch.post_followers:
            facts = batch.posts[index]
            key = (
                account_ids[(facts[0], facts[2])],
                from_utc_text(captured or captured_default),
            )
            follower_rows[key] = count
            if captured is None:
                implicit_follower_keys.add(key)
    if follower_rows:
        await _insert_followers(conn, follower_rows, implicit_follower_keys, report)


async def _ensure_posts(
    conn: AsyncConnection,
    batch: RecordBatch,
    account_ids: dict[tuple[str, str], int],
    report: IngestReport,
) -> list[int]:
    """The database id of each of the batch's posts, in batch order; unknown posts are added."""
    keys = [(facts[0], facts[1]) for facts in batch.posts]
    known = await ids_by_platform(conn, posts, "external_id", keys)
    missing: list[dict[str, Any]] = [
        {
            "account_id": account_ids[(platform, account)],
            "platform": platform,
            "external_id": external_id,
            "url": url,
            "text": text,
            "published_at": published_at,
            "format": post_format,
            "latest_engagement": 0,
            "needs_scoring": True,
        }
        for platform, external_id, account, published_at, url, text, post_format in batch.posts
        if (platform, external_id) not in known
    ]
    # A post first stored without its format (an export that does not say) takes it from the
    # first source that does; a known format is never changed.
    formats = [
        {"post_id": known[(facts[0], facts[1])], "format": facts[6]}
        for facts in batch.posts
        if facts[6] is not None and (facts[0], facts[1]) in known
    ]
    if missing:
        inserted = await conn.execute(
            insert_ignore(conn, posts, ("platform", "external_id")).returning(
                posts.c.platform, posts.c.external_id, posts.c.id
            ),
            missing,
        )
        added = {(r.platform, r.external_id): r.id for r in inserted}
        known.update(added)
        report.posts_added += len(added)
        # A post another import added since the lookup was skipped by the insert: look it up.
        if late := [key for key in keys if key not in known]:
            known.update(await ids_by_platform(conn, posts, "external_id", late))
    if formats:
        await conn.execute(
            update(posts)
            .where(posts.c.id == bindparam("post_id"), posts.c.format.is_(None))
            .values(format=bindparam("format")),
            formats,
        )
    return [known[key] for key in keys]


async def _insert_snapshots(
    conn: AsyncConnection,
    batch: RecordBatch,
    post_ids: list[int],
    captured_default: str,
    report: IngestReport,
) -> None:
    snapshots = batch.snapshots
    existing: set[tuple[int, str]] | None = None
    if not batch.undated:
        low, high = min(map(_MOMENT, snapshots)), max(map(_MOMENT, snapshots))
        existing = await existing_snapshot_keys(conn, sorted(post_ids), low, high)
        if not existing:
            # Nothing stored for these posts at these moments (a first import): the rows go
            # in as they came, still naming their post by its index in the batch. A new tuple
            # per row to put the post's id in would be most of what an import costs here.
            added = await insert_indexed_snapshot_rows(conn, snapshots, post_ids)
            report.snapshots_added += added
            report.snapshots_unchanged += len(snapshots) - added
            if added:  # every post of a batch came with a snapshot, so each has a new one
                await _refresh_latest(conn, sorted(post_ids))
            return
    implicit: set[int] = set()  # posts whose snapshot had no capture time of its own
    rows: list[SnapshotTuple]
    if batch.undated:
        implicit = {post_ids[r[0]] for r in snapshots if r[1] is None}
        rows = [(post_ids[r[0]], r[1] or captured_default, *r[2:]) for r in snapshots]
    else:
        rows = with_post_ids(snapshots, post_ids)
    if existing is None:
        low, high = min(map(_MOMENT, rows)), max(map(_MOMENT, rows))
        existing = await existing_snapshot_keys(conn, sorted(post_ids), low, high)
    latest = await _latest_counts(conn, sorted(implicit)) if implicit else {}
    fresh = [
        row
        for row in rows
        if (row[0], row[1]) not in existing
        # An export without capture times, seen before with the same counts: nothing new.
        and not (row[0] in implicit and latest.get(row[0]) == row[2:11])
    ]
    added = await insert_snapshot_rows(conn, fresh) if fresh else 0
    report.snapshots_added += added
    report.snapshots_unchanged += len(rows) - added
    if added:
        await _refresh_latest(conn, sorted({row[0] for row in fresh}))


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


async def _refresh_latest(conn: AsyncConnection, post_ids: list[int]) -> None:
    """Copy each post's newest stored counts onto it and flag it for detection.

    Read back from the snapshots rather than from the batch, so a backfilled older snapshot
    leaves the latest counts alone, yet still flags the post: it changes the series that
    detection reads. Each newest snapshot is one seek on the (post_id, captured_at) index.
    """

    def newest(column: str) -> Any:
        return (
            select(snapshots.c[column])
            .where(snapshots.c.post_id == posts.c.id)
            .order_by(snapshots.c.captured_at.desc())
            .limit(1)
            .scalar_subquery()
        )

    for start in range(0, len(post_ids), 500):
        await conn.execute(
            posts.update()
            .where(posts.c.id.in_(post_ids[start : start + 500]))
            .values(
                latest_captured_at=newest("captured_at"),
                latest_engagement=newest("engagement"),
                latest_impressions=newest("impressions"),
                needs_scoring=True,
            )
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

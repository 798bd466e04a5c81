"""Ingest on a real database (SQLite, and PostgreSQL when configured)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select

from bot.domain.models import (
    FollowerRecord,
    Metrics,
    Platform,
    PostFormat,
    RowProblem,
    SnapshotRecord,
    SourceItem,
)
from bot.store.db import Database
from bot.store.ingest import ingest
from bot.store.tables import follower_snapshots, post_snapshots, posts

T0 = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)


def snap(
    post: str, hours: int, likes: int, *, captured: bool = True, **kw: object
) -> SnapshotRecord:
    return SnapshotRecord(
        platform=Platform.LINKEDIN,
        account="acme",
        post_id=post,
        published_at=T0,
        metrics=Metrics(likes=likes, comments=1, impressions=likes * 30),
        captured_at=T0 + timedelta(hours=hours) if captured else None,
        **kw,  # type: ignore[arg-type]
    )


async def count(db: Database, table: object) -> int:
    async with db.engine.connect() as conn:
        return int((await conn.execute(select(func.count()).select_from(table))).scalar_one())  # type: ignore[arg-type]


async def test_reimporting_the_same_records_adds_nothing(db: Database) -> None:
    records = [snap("p1", 1, 10), snap("p1", 2, 20), snap("p2", 1, 5)]
    first = await ingest(db, records, now=T0 + timedelta(days=1))
    second = await ingest(db, records, now=T0 + timedelta(days=2))
    assert (first.posts_added, first.snapshots_added) == (2, 3)
    assert (second.posts_added, second.snapshots_added, second.snapshots_unchanged) == (0, 0, 3)
    assert await count(db, posts) == 2
    assert await count(db, post_snapshots) == 3


async def test_export_without_capture_time_is_idempotent_but_keeps_new_counts(db: Database) -> None:
    await ingest(db, [snap("p1", 0, 10, captured=False)], now=T0 + timedelta(days=1))
    again = await ingest(db, [snap("p1", 0, 10, captured=False)], now=T0 + timedelta(days=2))
    grown = await ingest(db, [snap("p1", 0, 15, captured=False)], now=T0 + timedelta(days=3))
    assert again.snapshots_added == 0
    assert grown.snapshots_added == 1
    async with db.engine.connect() as conn:
        row = (
            await conn.execute(select(posts.c.latest_engagement, posts.c.latest_captured_at))
        ).one()
    assert row.latest_engagement == 16  # 15 likes + 1 comment
    assert row.latest_captured_at == T0 + timedelta(days=3)


async def test_latest_counts_do_not_move_back_for_an_older_snapshot(db: Database) -> None:
    await ingest(db, [snap("p1", 5, 50)])
    await ingest(db, [snap("p1", 1, 10)])  # a backfilled earlier count
    async with db.engine.connect() as conn:
        row = (await conn.execute(select(posts.c.latest_engagement, posts.c.needs_scoring))).one()
    assert row.latest_engagement == 51
    assert row.needs_scoring is True
    assert await count(db, post_snapshots) == 2


async def test_problems_are_reported_and_the_rest_is_stored(db: Database) -> None:
    items: list[SourceItem] = [
        snap("p1", 1, 10),
        RowProblem(3, "column 'likes': expected a number"),
        snap("p2", 1, 4),
    ]
    report = await ingest(db, items, batch_size=1)
    assert report.problem_count == 1
    assert report.problems[0].line == 3
    assert report.snapshots_added == 2


async def test_followers_from_records_and_from_rows(db: Database) -> None:
    items: list[SourceItem] = [
        FollowerRecord(Platform.LINKEDIN, "acme", T0, 9_990),
        FollowerRecord(Platform.LINKEDIN, "acme", T0 + timedelta(days=1), 10_020),
        snap("p1", 1, 10, followers=10_050),
    ]
    report = await ingest(db, items)
    again = await ingest(db, items)
    assert report.followers_added == 3
    assert again.followers_added == 0
    assert await count(db, follower_snapshots) == 3


async def test_batches_commit_separately_so_a_later_failure_keeps_earlier_rows(
    db: Database,
) -> None:
    def items() -> object:
        yield snap("p1", 1, 10)
        yield snap("p2", 1, 10)
        raise RuntimeError("disk vanished")

    with pytest.raises(RuntimeError, match="disk vanished"):
        await ingest(db, items(), batch_size=1)  # type: ignore[arg-type]
    assert await count(db, posts) == 2  # both batches before the failure were committed


async def test_the_same_moment_twice_keeps_the_first_count_within_and_across_batches(
    db: Database,
) -> None:
    records = [snap("p1", 1, 10), snap("p1", 1, 99), snap("p1", 2, 20), snap("p1", 2, 77)]
    together = await ingest(db, records[:2])
    apart = await ingest(db, records[2:], batch_size=1)
    assert (together.snapshots_added, together.snapshots_unchanged) == (1, 1)
    assert (apart.snapshots_added, apart.snapshots_unchanged) == (1, 1)
    async with db.engine.connect() as conn:
        likes = (
            await conn.execute(
                select(post_snapshots.c.likes).order_by(post_snapshots.c.captured_at)
            )
        ).scalars()
        latest = (await conn.execute(select(posts.c.latest_engagement))).scalar_one()
    assert list(likes) == [10, 20]
    assert latest == 21  # 20 likes + 1 comment: the stored count, not the ignored 77


async def test_a_large_import_in_many_batches_stores_every_row_once(db: Database) -> None:
    records = [snap(f"p{i % 7}", i // 7, i) for i in range(200)]
    first = await ingest(db, records, batch_size=13)
    again = await ingest(db, records, batch_size=29)
    assert (first.rows, first.posts_added, first.snapshots_added) == (200, 7, 200)
    assert (again.posts_added, again.snapshots_added, again.snapshots_unchanged) == (0, 0, 200)
    async with db.engine.connect() as conn:
        newest = dict(
            (await conn.execute(select(posts.c.external_id, posts.c.latest_engagement))).all()
        )
    # p0's newest snapshot is record 196 (hour 28): 196 likes + 1 comment.
    assert newest["p0"] == 197


@pytest.mark.parametrize("order", [["p1", "p2", "p3"], ["p3", "p1", "p2"], ["p2", "p3", "p1"]])
async def test_new_snapshots_land_on_their_own_posts_whatever_order_the_posts_come_in(
    db: Database, order: list[str]
) -> None:
    """Posts met in the order their ids were given, or in any other, get their own rows (a
    batch of posts with consecutive ids takes a shortcut; any other order the general path)."""
    await ingest(db, [snap("p1", 0, 1), snap("p2", 0, 2), snap("p3", 0, 3)])
    likes = {"p1": 10, "p2": 20, "p3": 30}
    later = [snap(post, hour, likes[post] + hour) for hour in (5, 6) for post in order]
    report = await ingest(db, later)
    assert (report.snapshots_added, report.snapshots_unchanged) == (6, 0)
    async with db.engine.connect() as conn:
        stored = (
            await conn.execute(
                select(posts.c.external_id, post_snapshots.c.likes)
                .join(posts, posts.c.id == post_snapshots.c.post_id)
                .order_by(posts.c.external_id, post_snapshots.c.captured_at)
            )
        ).all()
        newest = dict(
            (await conn.execute(select(posts.c.external_id, posts.c.latest_engagement))).all()
        )
    assert [tuple(row) for row in stored] == [
        ("p1", 1), ("p1", 15), ("p1", 16),
        ("p2", 2), ("p2", 25), ("p2", 26),
        ("p3", 3), ("p3", 35), ("p3", 36),
    ]  # fmt: skip
    assert newest == {"p1": 17, "p2": 27, "p3": 37}  # the hour-6 likes + 1 comment


async def test_counts_an_export_does_not_report_are_stored_as_null(db: Database) -> None:
    """Not 0 and not the text 'None': SQLite gets None through winsbot's adapter for it."""
    await ingest(db, [snap("p1", 1, 10), snap("p1", 2, 20)])
    async with db.engine.connect() as conn:
        nulls = (
            await conn.execute(
                select(func.count()).where(
                    post_snapshots.c.reach.is_(None), post_snapshots.c.saves.is_(None)
                )
            )
        ).scalar_one()
        types = (
            (await conn.exec_driver_sql("SELECT DISTINCT typeof(reach) FROM post_snapshots")).all()
            if db.is_sqlite
            else [("null",)]
        )
    assert nulls == 2
    assert types == [("null",)]


async def test_a_post_keeps_the_first_format_a_source_tells(db: Database) -> None:
    """An export that does not say a post's format, then an API round that does; a later
    source saying otherwise does not move it (detection's baselines stay put)."""
    await ingest(db, [snap("p1", 1, 10), snap("p2", 1, 10, format=PostFormat.IMAGE)])
    await ingest(db, [snap("p1", 2, 12, format=PostFormat.VIDEO), snap("p3", 2, 5)])
    await ingest(db, [snap("p1", 3, 14, format=PostFormat.TEXT)])
    async with db.engine.connect() as conn:
        rows = await conn.execute(select(posts.c.external_id, posts.c.format))
        stored = {row.external_id: row.format for row in rows}
    assert stored == {"p1": "video", "p2": "image", "p3": None}

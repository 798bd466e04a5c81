"""Detection and query benchmark on N posts x M snapshots (default 10,000 x 100 = 1,000,000).

- detect: full detection over every post, then incremental detection after 1% new snapshots
  (the 1% of posts published last each get one new, higher count: what a polling round adds).
  Floor: reading every snapshot's (post, time, engagement) once, in the same run.
  Target: incremental under a tenth of full.
- wins query: top wins for a week, and for a tag, through the service. p50 and p99.
  Floor: a `SELECT 1` round trip through the same engine. Target: p99 under 20 ms.

    python bench/bench_wins.py [--posts 10000] [--snapshots 100] [--queries 300]
"""

from __future__ import annotations

import argparse
import asyncio
import shutil
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from sqlalchemy import select, text

from adapters.sources.sample import benchmark_records
from bench.common import END, percentile
from bot.config import Settings
from bot.domain.models import Metrics, Platform, SnapshotRecord
from bot.ports import FixedClock
from bot.store.accounts import register_account
from bot.store.db import Database
from bot.store.tables import accounts, post_snapshots, posts
from bot.store.wins import WinFilter
from bot.usecases.results import WinsService

TAGS = ("recruiting", "product", "customer-care", "brand")


async def timed_queries(service: WinsService, query: WinFilter, n: int) -> list[float]:
    samples = []
    for _ in range(n):
        started = time.perf_counter()
        await service.wins(query)
        samples.append((time.perf_counter() - started) * 1000)
    return samples


async def main(args: argparse.Namespace) -> None:
    work = Path(tempfile.mkdtemp(prefix="winsbot-bench-"))
    db = Database(f"sqlite+aiosqlite:///{work / 'bench.db'}")
    service = WinsService(db, Settings(), FixedClock(END + timedelta(hours=1)))
    try:
        await db.upgrade()
        started = time.perf_counter()
        report = await service.ingest(benchmark_records(args.posts, args.snapshots, end=END))
        print(
            f"built {report.snapshots_added:,} snapshots in {time.perf_counter() - started:.1f} s"
        )
        async with db.engine.begin() as conn:
            handles = (await conn.execute(select(accounts.c.platform, accounts.c.handle))).all()
            for i, (platform, handle) in enumerate(sorted(handles)):
                await register_account(conn, Platform(platform), handle, tags=[TAGS[i % len(TAGS)]])

        started = time.perf_counter()
        async with db.engine.connect() as conn:
            result = await conn.execute(
                select(
                    post_snapshots.c.post_id,
                    post_snapshots.c.captured_at,
                    post_snapshots.c.engagement,
                )
            )
            read = len(result.all())
        floor = time.perf_counter() - started

        started = time.perf_counter()
        full = await service.detect()
        full_seconds = time.perf_counter() - started

        newest = max(1, args.posts // 100)
        async with db.engine.connect() as conn:
            recent = (
                await conn.execute(
                    select(
                        posts.c.platform,
                        posts.c.external_id,
                        posts.c.published_at,
                        posts.c.latest_captured_at,
                        posts.c.latest_engagement,
                    )
                    .order_by(posts.c.published_at.desc())
                    .limit(newest)
                )
            ).all()
        fresh = [
            SnapshotRecord(
                platform=Platform(r.platform),
                account="",
                post_id=r.external_id,
                published_at=r.published_at,
                metrics=Metrics(likes=r.latest_engagement * 3),
                captured_at=r.latest_captured_at + timedelta(minutes=30),
            )
            for r in recent
        ]
        # Records name their account; reuse each post's own so no new account appears.
        async with db.engine.connect() as conn:
            owners = dict(
                (
                    await conn.execute(
                        select(posts.c.external_id, accounts.c.handle)
                        .join(accounts, accounts.c.id == posts.c.account_id)
                        .where(posts.c.external_id.in_([r.post_id for r in fresh]))
                    )
                ).all()
            )
        for record in fresh:
            record.account = owners[record.post_id]
        await service.ingest(fresh)
        started = time.perf_counter()
        incremental = await service.detect()
        inc_seconds = time.perf_counter() - started

        print(f"detect benchmark: {args.posts:,} posts x {args.snapshots} snapshots")
        print(f"  floor: read every snapshot once       {floor:.2f} s ({read:,} rows)")
        print(
            f"  full detection                        {full_seconds:.2f} s "
            f"({full.posts_scored:,} posts, {full.wins_added} wins) = {full_seconds / floor:.1f}x floor"
        )
        print(
            f"  incremental after {len(fresh)} new snapshots    {inc_seconds:.3f} s "
            f"({incremental.posts_scored} posts rescored)"
        )
        print(
            f"  incremental / full                    {inc_seconds / full_seconds:.3f}  (target < 0.10)"
        )

        week = WinFilter(since=END - timedelta(days=7), until=END, limit=10)
        tagged = WinFilter(since=END - timedelta(days=30), tags=("recruiting",), limit=10)
        await timed_queries(service, week, 20)  # warm the connection pool and statement cache
        floor_samples = []
        for _ in range(args.queries):
            started = time.perf_counter()
            async with db.engine.connect() as conn:
                await conn.execute(text("SELECT 1"))
            floor_samples.append((time.perf_counter() - started) * 1000)
        print(f"wins query benchmark ({args.queries} runs each)")
        print(
            f"  floor: SELECT 1 round trip  p50 {percentile(floor_samples, 50):.2f} ms  "
            f"p99 {percentile(floor_samples, 99):.2f} ms"
        )
        for name, query in (("top wins, one week", week), ("top wins, tag, 30 days", tagged)):
            samples = await timed_queries(service, query, args.queries)
            p50, p99 = percentile(samples, 50), percentile(samples, 99)
            print(
                f"  {name:<24}    p50 {p50:.2f} ms  p99 {p99:.2f} ms  "
                f"({p99 / percentile(floor_samples, 99):.1f}x floor p99; target p99 < 20 ms)"
            )
    finally:
        await db.dispose()
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--posts", type=int, default=10_000)
    parser.add_argument("--snapshots", type=int, default=100)
    parser.add_argument("--queries", type=int, default=300)
    asyncio.run(main(parser.parse_args()))

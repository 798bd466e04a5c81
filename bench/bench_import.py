"""Import benchmark: N posts x M snapshots from a canonical CSV into SQLite.

Floor: stdlib sqlite3 ``executemany`` inserting the same snapshot rows (pre-built tuples, no
parsing) into the same migrated schema, in the same run. Target: at least half the floor's
rate, and peak memory of the import (its parser process included) under 300 MB. Floor and
import run alternately ``--runs`` times and the best of each is compared: on a shared machine
the best run is the one least disturbed by others.

winsbot registers an adapter for None with sqlite3 (``bot.store.db.bind_none_directly``),
which halves what binding a snapshot row costs. The plain floor is the target's; a second
floor with the same adapter is printed beside it, so the figures show how much of the ratio
that one line buys.

    python bench/bench_import.py [--posts 10000] [--snapshots 100] [--runs 3]
"""

from __future__ import annotations

import argparse
import asyncio
import csv
import shutil
import sqlite3
import statistics
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.common import run_winsbot, write_canonical_csv
from bot.store.db import Database, bind_none_directly

METRICS = ("impressions", "reach", "likes", "comments", "shares", "saves", "clicks", "video_views")


def _int(text: str) -> int | None:
    return int(text) if text else None


def _stamp(text: str) -> str:
    # The text SQLAlchemy stores for a naive UTC datetime on SQLite.
    return (
        datetime.fromisoformat(text)
        .replace(tzinfo=None)
        .isoformat(sep=" ", timespec="microseconds")
    )


FloorRows = tuple[list[tuple[object, ...]], list[tuple[object, ...]]]


def floor_rows(csv_path: Path) -> FloorRows:
    """The posts and snapshot rows as the floor inserts them: parsed up front, not timed."""
    post_ids: dict[str, int] = {}
    posts: list[tuple[object, ...]] = []
    rows: list[tuple[object, ...]] = []
    with csv_path.open(newline="", encoding="utf-8") as handle:
        reader = csv.DictReader(handle)
        for r in reader:
            pid = post_ids.get(r["post_id"])
            if pid is None:
                pid = post_ids[r["post_id"]] = len(post_ids) + 1
                posts.append((pid, 1, r["platform"], r["post_id"], _stamp(r["published_at"])))
            counts = [_int(r[m]) for m in METRICS]
            engagement = sum(c or 0 for c in counts[2:7])
            rows.append((pid, _stamp(r["captured_at"]), *counts, engagement))
    return posts, rows


@contextmanager
def none_adapter(registered: bool) -> Iterator[None]:
    """sqlite3's adapter for None registered, or not, for the time of the block."""
    key = (type(None), sqlite3.PrepareProtocol)
    before = sqlite3.adapters.get(key)
    if registered:
        bind_none_directly()
    else:
        sqlite3.adapters.pop(key, None)
    try:
        yield
    finally:
        sqlite3.adapters.pop(key, None)
        if before is not None:
            sqlite3.adapters[key] = before


def floor_seconds(data: FloorRows, db_path: Path, *, none_adapted: bool = False) -> float:
    """Seconds of plain sqlite3 executemany into post_snapshots (posts inserted first)."""
    with none_adapter(none_adapted):
        return _floor_seconds(data, db_path)


def _floor_seconds(data: FloorRows, db_path: Path) -> float:
    posts, rows = data
    con = sqlite3.connect(db_path)
    con.execute("PRAGMA journal_mode=WAL")
    con.execute("PRAGMA synchronous=NORMAL")
    con.execute(
        "INSERT INTO accounts (id, platform, handle, kind, created_at) "
        "VALUES (1, 'x', 'floor', 'ours', '2026-01-01 00:00:00.000000')"
    )
    con.executemany(
        "INSERT INTO posts (id, account_id, platform, external_id, published_at, "
        "latest_engagement, needs_scoring) VALUES (?, ?, ?, ?, ?, 0, 1)",
        posts,
    )
    con.commit()
    started = time.perf_counter()
    for start in range(0, len(rows), 5000):
        con.executemany(
            "INSERT INTO post_snapshots (post_id, captured_at, impressions, reach, likes, comments,"
            " shares, saves, clicks, video_views, engagement) VALUES (?,?,?,?,?,?,?,?,?,?,?)",
            rows[start : start + 5000],
        )
        con.commit()
    elapsed = time.perf_counter() - started
    con.close()
    return elapsed


async def _migrate(path: Path) -> None:
    db = Database(f"sqlite+aiosqlite:///{path}")
    await db.upgrade()
    await db.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--posts", type=int, default=10_000)
    parser.add_argument("--snapshots", type=int, default=100)
    parser.add_argument(
        "--runs", type=int, default=3, help="floor and import, alternately; the best of each"
    )
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="winsbot-bench-"))
    try:
        csv_path = work / "snapshots.csv"
        total = write_canonical_csv(csv_path, args.posts, args.snapshots)
        template = work / "template.db"
        asyncio.run(_migrate(template))
        data = floor_rows(csv_path)
        floors: list[float] = []
        adapted: list[float] = []
        imports: list[float] = []
        peaks: list[float] = []
        for run in range(args.runs):
            # Each run on fresh copies; alternating keeps a slow spell of this shared machine
            # from landing on one side only.
            shutil.copy(template, work / f"floor{run}.db")
            shutil.copy(template, work / f"adapted{run}.db")
            shutil.copy(template, work / f"import{run}.db")
            floors.append(floor_seconds(data, work / f"floor{run}.db"))
            adapted.append(floor_seconds(data, work / f"adapted{run}.db", none_adapted=True))
            seconds, peak_mb = run_winsbot(
                ["import", str(csv_path), "--no-detect"],
                {
                    "DATABASE_URL": f"sqlite:///{work / f'import{run}.db'}",
                    "WINSBOT_LOG_LEVEL": "WARNING",
                },
            )
            imports.append(seconds)
            peaks.append(peak_mb)
        floor = len(data[1]) / min(floors)
        ours = total / min(imports)
        paired = sorted(f / i for f, i in zip(floors, imports, strict=True))
        print(f"import benchmark: {args.posts:,} posts x {args.snapshots} = {total:,} snapshots")
        print(f"  file size                 {csv_path.stat().st_size / 1e6:,.1f} MB")
        print(f"  runs (best of each taken) {args.runs}")
        print(
            f"  floor (sqlite3 executemany, no parsing)  {floor:,.0f} rows/s "
            f"(best {min(floors):.2f} s; all {_seconds(floors)})"
        )
        print(
            f"  winsbot import (CSV -> SQLite, whole CLI) {ours:,.0f} rows/s "
            f"(best {min(imports):.2f} s; all {_seconds(imports)})"
        )
        print(
            f"  floor, None bound directly (as winsbot)  {len(data[1]) / min(adapted):,.0f} rows/s "
            f"(best {min(adapted):.2f} s; all {_seconds(adapted)})"
        )
        print(f"  ratio to floor, best/best {ours / floor:.2f}  (target >= 0.50)")
        print(
            f"  ratio to the floor binding None directly, best/best {min(adapted) / min(imports):.2f}"
        )
        print(
            f"  ratio per run (floor s / import s, paired)  "
            f"{', '.join(f'{r:.2f}' for r in paired)}; median {statistics.median(paired):.2f}"
        )
        print(
            f"  peak RSS of the import    {max(peaks):,.0f} MB  (target < 300 MB; with its parser)"
        )
    finally:
        shutil.rmtree(work, ignore_errors=True)


def _seconds(values: list[float]) -> str:
    return ", ".join(f"{value:.2f}" for value in values)


if __name__ == "__main__":
    main()

"""The one hot write path: snapshot rows straight to the driver's executemany.

An import of a million rows spends most of its time here; SQLAlchemy's per-row parameter
processing alone cost more than SQLite's insert (measured by bench/bench_import.py), so on
SQLite the rows go to the driver as tuples. PostgreSQL keeps the Core path: asyncpg is not the
bottleneck there.
"""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy.ext.asyncio import AsyncConnection

from bot.models import METRIC_NAMES
from bot.store.tables import post_snapshots
from bot.store.upsert import insert_ignore

# The counts sit at [2:11] in METRIC_NAMES order; ingest compares exactly that slice.
SNAPSHOT_COLUMNS = ("post_id", "captured_at", *METRIC_NAMES, "engagement")
SnapshotTuple = tuple[
    int, datetime, int | None, int | None, int | None, int | None, int | None, int | None,
    int | None, int | None, int | None, int,
]  # fmt: skip

_SQLITE_INSERT = (
    f"INSERT INTO post_snapshots ({', '.join(SNAPSHOT_COLUMNS)}) "
    f"VALUES ({', '.join('?' for _ in SNAPSHOT_COLUMNS)}) "
    "ON CONFLICT (post_id, captured_at) DO NOTHING"
)


def sqlite_stamp(moment: datetime) -> str:
    """The exact text SQLAlchemy's SQLite DATETIME stores, so raw and Core rows compare equal."""
    if moment.tzinfo is not UTC:  # sources hand over UTC already; convert only the odd one
        moment = moment.astimezone(UTC)
    return moment.replace(tzinfo=None).isoformat(" ", "microseconds")


async def insert_snapshot_rows(conn: AsyncConnection, rows: list[SnapshotTuple]) -> None:
    """Insert snapshot tuples (SNAPSHOT_COLUMNS order), skipping (post, moment) already stored."""
    if conn.dialect.name == "sqlite":
        await conn.exec_driver_sql(
            _SQLITE_INSERT, [(r[0], sqlite_stamp(r[1]), *r[2:]) for r in rows]
        )
        return
    await conn.execute(
        insert_ignore(conn, post_snapshots, ("post_id", "captured_at")),
        [dict(zip(SNAPSHOT_COLUMNS, r, strict=True)) for r in rows],
    )

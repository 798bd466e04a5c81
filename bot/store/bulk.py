"""The one hot write path: snapshot rows straight to the driver's executemany.

An import of a million rows spends most of its time here; SQLAlchemy's per-row parameter
processing alone cost more than SQLite's insert (measured by bench/bench_import.py), so on
SQLite the rows go to the driver as tuples, their moments already in the text SQLite stores
(``bot.domain.batches.utc_text``). PostgreSQL keeps the Core path: asyncpg is not the
bottleneck there.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncConnection

from bot.domain.batches import PackedSnapshot, from_utc_text, utc_text
from bot.domain.models import METRIC_NAMES
from bot.store.tables import post_snapshots
from bot.store.upsert import insert_ignore

# The counts sit at [2:11] in METRIC_NAMES order; ingest compares exactly that slice.
SNAPSHOT_COLUMNS = ("post_id", "captured_at", *METRIC_NAMES, "engagement")
# A post_snapshots row: (post id, captured_at as utc_text, the nine counts, engagement).
SnapshotTuple = tuple[
    int, str, int | None, int | None, int | None, int | None, int | None, int | None,
    int | None, int | None, int | None, int,
]  # fmt: skip

_SQLITE_INSERT = (
    f"INSERT INTO post_snapshots ({', '.join(SNAPSHOT_COLUMNS)}) "
    f"VALUES ({', '.join('?' for _ in SNAPSHOT_COLUMNS)}) "
    "ON CONFLICT (post_id, captured_at) DO NOTHING"
)
_CHUNK = 500  # ids per IN (...): under SQLite's bound-parameter limit


async def insert_snapshot_rows(conn: AsyncConnection, rows: list[SnapshotTuple]) -> int:
    """Insert snapshot tuples (SNAPSHOT_COLUMNS order); returns how many were new.

    A (post, moment) already stored, or met earlier in ``rows``, is skipped: the first count
    recorded for a moment stands.
    """
    if conn.dialect.name == "sqlite":
        # sqlite3 sums the changes of every row of an executemany, and a skipped row is none.
        result = await conn.exec_driver_sql(_SQLITE_INSERT, rows)
        return result.rowcount
    inserted = await conn.execute(
        insert_ignore(conn, post_snapshots, ("post_id", "captured_at")).returning(
            post_snapshots.c.id
        ),
        [
            dict(zip(SNAPSHOT_COLUMNS, (r[0], from_utc_text(r[1]), *r[2:]), strict=True))
            for r in rows
        ],
    )
    return len(inserted.all())


async def insert_indexed_snapshot_rows(
    conn: AsyncConnection, rows: list[PackedSnapshot], post_ids: list[int]
) -> int:
    """Insert packed snapshots, whose first field is an index into ``post_ids``; as above.

    When the batch's posts have consecutive ids (new posts, inserted in batch order, or the
    same posts imported again), SQLite adds the offset itself and the rows go to the driver
    exactly as they were unpickled: no Python work per row at all.
    """
    first = post_ids[0] if post_ids else 0
    if conn.dialect.name == "sqlite" and post_ids == list(range(first, first + len(post_ids))):
        # first is an int the database gave us, so it is safe to write into the SQL.
        result = await conn.exec_driver_sql(_SQLITE_INSERT.replace("?", f"? + {first}", 1), rows)
        return result.rowcount
    return await insert_snapshot_rows(conn, with_post_ids(rows, post_ids))


def with_post_ids(rows: list[PackedSnapshot], post_ids: list[int]) -> list[SnapshotTuple]:
    """Packed snapshots as post_snapshots rows: each post's index replaced by its id."""
    return [(post_ids[r[0]], *r[1:]) for r in rows]  # type: ignore[misc]


async def existing_snapshot_keys(
    conn: AsyncConnection, post_ids: list[int], low: str, high: str
) -> set[tuple[int, str]]:
    """(post id, utc_text moment) of the stored snapshots of these posts between low and high."""
    found: set[tuple[int, str]] = set()
    raw = conn.dialect.name == "sqlite"
    for start in range(0, len(post_ids), _CHUNK):
        chunk = post_ids[start : start + _CHUNK]
        if raw:  # the stored text is already utc_text: no conversion per row
            marks = ", ".join("?" for _ in chunk)
            stored = await conn.exec_driver_sql(
                "SELECT post_id, captured_at FROM post_snapshots "
                f"WHERE post_id IN ({marks}) AND captured_at BETWEEN ? AND ?",
                (*chunk, low, high),
            )
            found.update(tuple(r) for r in stored)
            continue
        result = await conn.execute(
            select(post_snapshots.c.post_id, post_snapshots.c.captured_at).where(
                post_snapshots.c.post_id.in_(chunk),
                post_snapshots.c.captured_at.between(from_utc_text(low), from_utc_text(high)),
            )
        )
        found.update((r.post_id, utc_text(r.captured_at)) for r in result)
    return found

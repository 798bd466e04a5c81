"""Finding rows by (platform, name): accounts by handle, posts by their platform's id."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import Table, select
from sqlalchemy.ext.asyncio import AsyncConnection

_CHUNK = 500  # names per IN (...): under SQLite's bound-parameter limit


async def ids_by_platform(
    conn: AsyncConnection, table: Table, name: str, keys: Iterable[tuple[str, str]]
) -> dict[tuple[str, str], int]:
    """The ``id`` of each row whose (platform, ``name`` column) is one of ``keys``.

    One platform per query: SQLite answers "platform = ? AND name IN (...)" from the unique
    (platform, name) index, but a row-value "(platform, name) IN (...)" scans the whole table.
    """
    by_platform: dict[str, list[str]] = {}
    for platform, value in keys:
        by_platform.setdefault(platform, []).append(value)
    column = table.c[name]
    found: dict[tuple[str, str], int] = {}
    for platform, values in by_platform.items():
        for start in range(0, len(values), _CHUNK):
            rows = await conn.execute(
                select(column, table.c.id).where(
                    table.c.platform == platform, column.in_(values[start : start + _CHUNK])
                )
            )
            found.update({(platform, value): row_id for value, row_id in rows})
    return found

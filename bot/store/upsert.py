"""INSERT ... ON CONFLICT DO NOTHING for both databases: the basis of every idempotent write."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import Table
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncSession


def insert_ignore(
    conn: AsyncConnection | AsyncSession, table: Table, conflict: Sequence[str]
) -> postgresql.Insert | sqlite.Insert:
    """An insert that silently skips rows clashing with the unique key ``conflict``."""
    dialect = conn.get_bind().dialect if isinstance(conn, AsyncSession) else conn.dialect
    if dialect.name == "postgresql":
        return postgresql.insert(table).on_conflict_do_nothing(index_elements=list(conflict))
    return sqlite.insert(table).on_conflict_do_nothing(index_elements=list(conflict))

"""Migrations: the Alembic history builds exactly the schema the code declares."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, inspect

import bot.store.tables_loop  # noqa: F401  (its tables are part of the schema too)
from bot.store.db import Database, alembic_config
from bot.store.tables import Base


async def test_migrated_schema_matches_the_tables_in_code(db: Database) -> None:
    def diff(connection: Connection) -> list[object]:
        context = MigrationContext.configure(connection, opts={"compare_type": False})
        return list(compare_metadata(context, Base.metadata))

    async with db.engine.connect() as conn:
        assert await conn.run_sync(diff) == []
    head = ScriptDirectory.from_config(alembic_config(db.url)).get_current_head()
    assert await db.current_revision() == head


async def test_upgrade_is_repeatable_and_creates_every_table(tmp_path: object) -> None:
    database = Database(f"sqlite+aiosqlite:///{tmp_path}/fresh.db")
    await database.upgrade()
    await database.upgrade()

    def tables(connection: Connection) -> set[str]:
        return set(inspect(connection).get_table_names())

    async with database.engine.connect() as conn:
        found = await conn.run_sync(tables)
    await database.dispose()
    assert set(Base.metadata.tables) <= found
    assert "alembic_version" in found

"""Revision 0008 on a database that already has subscriptions: they stay weekly digests.

A fresh SQLite file (the shared PostgreSQL schema stays at head for the other store tests;
the column and its server default are the same DDL on both)."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from sqlalchemy import Connection, inspect, text

from bot.store.db import Database, alembic_config

_ROW = (
    "INSERT INTO subscriptions (chat, workspace_id, channel_id, audience_name, audience, weekday,"
    " send_time, timezone, active, created_at) VALUES ('slack', 'T1', 'C1', 'leadership', '{}',"
    " 0, '09:00', 'UTC', 1, '2026-11-01 00:00:00')"
)


def _columns(connection: Connection) -> set[str]:
    return {c["name"] for c in inspect(connection).get_columns("subscriptions")}


async def test_existing_subscriptions_become_weekly_and_downgrade_drops_the_column(
    tmp_path: Path,
) -> None:
    db = Database(f"sqlite+aiosqlite:///{tmp_path / 'old.db'}")
    await db.upgrade("0007")
    async with db.engine.begin() as conn:
        await conn.execute(text(_ROW))
    await db.upgrade("0008")
    async with db.engine.connect() as conn:
        cadence = (await conn.execute(text("SELECT cadence FROM subscriptions"))).scalar_one()
    assert cadence == "weekly"

    def downgrade(connection: Connection) -> None:
        cfg = alembic_config(db.url)
        cfg.attributes["connection"] = connection
        command.downgrade(cfg, "0007")

    async with db.engine.begin() as conn:
        await conn.run_sync(downgrade)
    async with db.engine.connect() as conn:
        assert "cadence" not in await conn.run_sync(_columns)
        assert (await conn.execute(text("SELECT count(*) FROM subscriptions"))).scalar_one() == 1
    await db.dispose()

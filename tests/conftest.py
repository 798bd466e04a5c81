"""Shared fixtures: a migrated database on SQLite always, and on PostgreSQL when configured.

Store tests take the ``db`` fixture and run once per backend, so the same code and the same
tests cover both. PostgreSQL runs when WINSBOT_TEST_DATABASE_URL is set (CI always sets it).
"""

from __future__ import annotations

import asyncio
import os
import shutil
from collections.abc import AsyncIterator, Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import text

from bot.config import Settings, normalise_database_url
from bot.ports import FixedClock
from bot.store.db import Database
from bot.store.tables import Base
from bot.usecases.results import WinsService

PG_ENV = "WINSBOT_TEST_DATABASE_URL"
PG_SKIP_REASON = "PostgreSQL not configured"
NOW = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)  # a Monday morning


def _postgres_url() -> str | None:
    raw = os.environ.get(PG_ENV)
    return normalise_database_url(raw) if raw else None


async def _reset_postgres(url: str) -> None:
    db = Database(url)
    async with db.engine.begin() as conn:
        await conn.execute(text("DROP SCHEMA IF EXISTS public CASCADE"))
        await conn.execute(text("CREATE SCHEMA public"))
    await db.upgrade()
    await db.dispose()


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One migrated SQLite file, copied per test: migrations run once, tests stay isolated."""
    path = tmp_path_factory.mktemp("template") / "template.db"
    db = Database(f"sqlite+aiosqlite:///{path}")

    async def build() -> None:
        await db.upgrade()
        async with db.engine.begin() as conn:
            await conn.execute(text("PRAGMA wal_checkpoint(TRUNCATE)"))
        await db.dispose()

    asyncio.run(build())
    return path


@pytest.fixture(scope="session")
def postgres_ready() -> str | None:
    url = _postgres_url()
    if url is not None:
        asyncio.run(_reset_postgres(url))
    return url


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(
    request: pytest.FixtureRequest,
    sqlite_template: Path,
    postgres_ready: str | None,
    tmp_path: Path,
) -> Iterator[str]:
    if request.param == "sqlite":
        path = tmp_path / "winsbot.db"
        shutil.copy(sqlite_template, path)
        yield f"sqlite+aiosqlite:///{path}"
        return
    if postgres_ready is None:
        if os.environ.get("WINSBOT_REQUIRE_POSTGRES"):
            pytest.fail(f"WINSBOT_REQUIRE_POSTGRES is set but {PG_ENV} is not")
        pytest.skip(f"{PG_SKIP_REASON}: set {PG_ENV}=postgresql://postgres@127.0.0.1/test")
    yield postgres_ready


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    """Say once that the PostgreSQL half of the store tests did not run, and how to run it.

    Every store test skips its PostgreSQL run without WINSBOT_TEST_DATABASE_URL: listed one by
    one (``-rs``) they were 80 lines burying the result, so ``addopts`` reports only failures
    and errors, and this hook names the skips: the PostgreSQL ones in one line, any other one
    with its reason. (CI sets WINSBOT_REQUIRE_POSTGRES, which fails instead of skipping.)
    """
    postgres = 0
    others: list[str] = []
    for report in terminalreporter.stats.get("skipped", []):
        longrepr = report.longrepr
        reason = str(longrepr[2]) if isinstance(longrepr, tuple) else str(longrepr)
        if PG_SKIP_REASON in reason:
            postgres += 1
        else:
            others.append(f"SKIPPED {report.nodeid}: {reason.removeprefix('Skipped: ')}")
    if postgres:
        tests = "test" if postgres == 1 else "tests"
        terminalreporter.write_line(
            f"{postgres} PostgreSQL {tests} skipped: set "
            f"{PG_ENV}=postgresql://postgres@127.0.0.1/test to run them too"
        )
    for line in others:
        terminalreporter.write_line(line)


@pytest.fixture
async def db(database_url: str) -> AsyncIterator[Database]:
    database = Database(database_url)
    if not database.is_sqlite:
        tables = ", ".join(t.name for t in reversed(Base.metadata.sorted_tables))
        async with database.engine.begin() as conn:
            await conn.execute(text(f"TRUNCATE {tables} RESTART IDENTITY CASCADE"))
    yield database
    await database.dispose()


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock(NOW)


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return Settings(output_dir=tmp_path / "out")


@pytest.fixture
def service(db: Database, settings: Settings, clock: FixedClock) -> WinsService:
    return WinsService(db, settings, clock)

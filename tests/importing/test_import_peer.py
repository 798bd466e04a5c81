"""`winsbot import --peer`: an export of a competitor's (or an example's) account is stored as a
peer's, so its posts are compared with ours but never reported as our wins."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest
from sqlalchemy import select
from typer.testing import CliRunner

from bot.cli import app
from bot.domain.models import AccountKind, Platform
from bot.store.accounts import register_account
from bot.store.db import Database
from bot.store.tables import account_tags, accounts

DATA = Path(__file__).parent / "data"
runner = CliRunner()


@pytest.fixture
def database(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> str:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'cli.db'}")
    monkeypatch.delenv("WINSBOT_CONFIG", raising=False)
    return f"sqlite+aiosqlite:///{tmp_path / 'cli.db'}"


def stored(url: str) -> dict[tuple[str, str], tuple[str, list[str]]]:
    """(platform, handle) -> (kind, tags) of every stored account."""

    async def query() -> dict[tuple[str, str], tuple[str, list[str]]]:
        db = Database(url)
        try:
            async with db.engine.connect() as conn:
                rows = (await conn.execute(select(accounts))).all()
                tags = (await conn.execute(select(account_tags))).all()
        finally:
            await db.dispose()
        return {
            (row.platform, row.handle): (
                row.kind,
                sorted(tag.tag for tag in tags if tag.account_id == row.id),
            )
            for row in rows
        }

    return asyncio.run(query())


def test_import_with_peer_stores_the_files_accounts_as_peers(database: str) -> None:
    result = runner.invoke(
        app, ["import", "--peer", "--no-detect", str(DATA / "meta_instagram_pt.csv")]
    )

    assert result.exit_code == 0, result.output
    assert stored(database) == {("instagram", "cafe.acme"): ("peer", [])}


def test_import_without_peer_stores_our_accounts(database: str) -> None:
    result = runner.invoke(app, ["import", "--no-detect", str(DATA / "meta_instagram_pt.csv")])

    assert result.exit_code == 0, result.output
    assert stored(database) == {("instagram", "cafe.acme"): ("ours", [])}


def test_peer_import_of_a_known_account_keeps_its_tags(database: str) -> None:
    async def known_account() -> None:
        db = Database(database)
        try:
            await db.upgrade()
            async with db.engine.begin() as conn:
                await register_account(
                    conn, Platform.X, "acme", kind=AccountKind.OURS, tags=["recruiting"]
                )
        finally:
            await db.dispose()

    asyncio.run(known_account())

    result = runner.invoke(app, ["import", "--peer", "--no-detect", str(DATA / "x_legacy.csv")])

    assert result.exit_code == 0, result.output
    assert stored(database) == {("x", "acme"): ("peer", ["recruiting"])}

"""Revision 0014 on a database where the earlier code left a month's note claimed.

That code recorded nothing before posting, so the month may be out: after the upgrade the
next run settles it as uncertain rather than posting a second note. A fresh SQLite file, as
for the other data migrations."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import text

from bot.config import Settings
from bot.domain.models import Chat
from bot.ports import FixedClock
from bot.store.buy_in_notes import note_state
from bot.store.db import Database
from bot.usecases.buy_in import BuyInSignals
from bot.usecases.results import WinsService
from tests.store.test_buy_in_signals import RecordingSender

_CLAIMED = (
    "INSERT INTO buy_in_notes (period, state, claimed_by, created_at) "
    "VALUES ('2026-11', 'claimed', 'old-worker', '2026-12-01 09:00:00')"
)


async def test_a_month_left_claimed_before_the_lease_is_not_posted_again(tmp_path: Path) -> None:
    db = Database(f"sqlite+aiosqlite:///{tmp_path / 'old.db'}")
    await db.upgrade("0013")
    async with db.engine.begin() as conn:
        await conn.execute(text(_CLAIMED))
    await db.upgrade("head")
    settings = Settings(output_dir=tmp_path, buy_in_channel="C0SOCIAL", timezone="UTC")
    service = WinsService(db, settings, FixedClock(datetime(2026, 12, 2, 9, 0, tzinfo=UTC)))
    sender = RecordingSender()
    assert await BuyInSignals(service).send_monthly_note({Chat.SLACK: sender}) == "uncertain"
    assert sender.posted == []
    async with db.engine.connect() as conn:
        assert await note_state(conn, "2026-11") == "uncertain"
    await db.dispose()

"""The monthly buy-in note's job: the 1st of the month at 09:00 in the configured zone, then
hourly through the month's first week, so a failed post or a killed worker's claim is retried."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from apscheduler.schedulers.asyncio import AsyncIOScheduler

from bot.config import Settings
from bot.store.db import Database
from bot.usecases.buy_in import BuyInSignals
from bot.usecases.results import WinsService
from jobs.buy_in import JOB_ID, schedule_buy_in_note


def test_the_note_is_scheduled_on_the_first_of_each_month_at_nine(tmp_path: Path) -> None:
    service = WinsService(Database(f"sqlite+aiosqlite:///{tmp_path}/x.db"), Settings())
    scheduler = AsyncIOScheduler(timezone=UTC)
    schedule_buy_in_note(scheduler, BuyInSignals(service), {}, timezone="Europe/London")
    job = scheduler.get_job(JOB_ID)
    assert job is not None
    zone = ZoneInfo("Europe/London")
    after = datetime(2026, 12, 7, 18, 0, tzinfo=UTC)
    first = job.trigger.get_next_fire_time(None, after)
    assert first == datetime(2027, 1, 1, 9, 0, tzinfo=zone)
    retry = job.trigger.get_next_fire_time(first, first)
    assert retry == datetime(2027, 1, 1, 10, 0, tzinfo=zone)
    evening = datetime(2027, 1, 1, 17, 0, tzinfo=zone)
    assert job.trigger.get_next_fire_time(evening, evening) == datetime(
        2027, 1, 2, 9, 0, tzinfo=zone
    )
    last = datetime(2027, 1, 7, 17, 0, tzinfo=zone)
    assert job.trigger.get_next_fire_time(last, last) == datetime(2027, 2, 1, 9, 0, tzinfo=zone)

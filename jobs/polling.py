"""APScheduler wiring for polling: each source on its own interval, wins detected after a round."""

from __future__ import annotations

import logging
from datetime import UTC, datetime, timedelta

from apscheduler.schedulers.asyncio import AsyncIOScheduler
from apscheduler.triggers.interval import IntervalTrigger

from bot.domain.models import Platform
from bot.usecases.polling import Poller

log = logging.getLogger("winsbot.jobs")


async def poll_round(poller: Poller, platform: Platform) -> None:
    report = await poller.poll(platform)
    found = report.detection.wins_added if report.detection else 0
    log.info(
        "%s: %d accounts, %d new snapshots, %d problems, %d failed, %d new wins",
        platform.value, report.accounts, report.snapshots_added, len(report.problems),
        len(report.failed), found,
    )  # fmt: skip


def schedule_polling(
    scheduler: AsyncIOScheduler,
    poller: Poller,
    *,
    minutes: float,
    by_source: dict[Platform, float] | None = None,
) -> None:
    """One job per source on its own interval, staggered so they do not start together."""
    now = datetime.now(UTC)
    for index, platform in enumerate(sorted(poller.sources)):
        interval = (by_source or {}).get(platform, minutes)
        scheduler.add_job(
            poll_round, IntervalTrigger(minutes=interval), args=[poller, platform],
            id=f"poll:{platform.value}", max_instances=1, coalesce=True,
            next_run_time=now + timedelta(seconds=5 + 20 * index),
        )  # fmt: skip

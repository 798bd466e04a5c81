"""APScheduler wiring for the monthly buy-in note to the social team's channel.

One cron job at 09:00 on the 1st of each month (WINSBOT_TIMEZONE) that runs again every hour
until 17:00 through the 7th, and one run at start-up during the month's first week. Once the
note is out each run is one read; until then, a post that failed, or a claim left by a killed
worker whose lease is over, is taken up within the hour. Any number of schedulers may fire it:
the note's month is claimed under a unique key and a lease, so it goes out once.
"""

from __future__ import annotations

import logging
import os
import socket
from collections.abc import Mapping
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from apscheduler.schedulers.asyncio import AsyncIOScheduler
from apscheduler.triggers.cron import CronTrigger

from bot.domain.models import Chat
from bot.ports import ChatSender
from bot.usecases.buy_in import BuyInSignals

log = logging.getLogger("winsbot.jobs")

JOB_ID = "buy-in-note"
CATCH_UP_DAYS = 7  # a note missed at the start of the month is still worth sending this late


async def send_note(
    signals: BuyInSignals, senders: Mapping[Chat, ChatSender], *, worker: str
) -> None:
    try:
        outcome = await signals.send_monthly_note(senders, worker=worker)
    except Exception as exc:  # the database is down: the next start-up or month tries again
        log.warning("the buy-in note failed: %s: %s", type(exc).__name__, exc)
        return
    log.info("buy-in note: %s", outcome)


def schedule_buy_in_note(
    scheduler: AsyncIOScheduler,
    signals: BuyInSignals,
    senders: Mapping[Chat, ChatSender],
    *,
    timezone: str,
) -> None:
    worker = f"{socket.gethostname()}:{os.getpid()}"
    zone = ZoneInfo(timezone)
    scheduler.add_job(
        send_note, CronTrigger(day=f"1-{CATCH_UP_DAYS}", hour="9-17", minute=0, timezone=zone),
        args=[signals, senders], kwargs={"worker": worker}, id=JOB_ID,
        max_instances=1, coalesce=True, misfire_grace_time=3000,
    )  # fmt: skip
    local = datetime.now(UTC).astimezone(zone)
    if local.day <= CATCH_UP_DAYS and (local.day > 1 or local.hour >= 9):
        scheduler.add_job(
            send_note, args=[signals, senders], kwargs={"worker": worker},
            id=f"{JOB_ID}:catch-up", next_run_time=datetime.now(UTC),
        )  # fmt: skip

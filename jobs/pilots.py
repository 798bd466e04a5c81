"""APScheduler wiring for pilot ends: one pass every WINSBOT_PILOT_SECONDS (300).

Every `serve` and `worker` runs it; the pilot ledger lets one of them through per (pilot,
owner) ask and per (pilot, channel) report, so running several is harmless. The first pass
runs at start-up, so a restart picks up a stopped worker's lapsed claims.
"""

from __future__ import annotations

import logging
from collections import Counter
from datetime import UTC, datetime

from apscheduler.schedulers.asyncio import AsyncIOScheduler
from apscheduler.triggers.interval import IntervalTrigger

from bot.usecases.pilot_end import PilotRunner

log = logging.getLogger("winsbot.jobs")

JOB_ID = "pilot-ends"


async def pilot_pass(runner: PilotRunner) -> None:
    outcomes = await runner.run()
    if outcomes:
        counts = Counter(f"{o.kind} {o.result}" for o in outcomes)
        log.info("pilot ends: %s", ", ".join(f"{n} {r}" for r, n in sorted(counts.items())))


def schedule_pilots(scheduler: AsyncIOScheduler, runner: PilotRunner, *, seconds: float) -> None:
    scheduler.add_job(
        pilot_pass,
        IntervalTrigger(seconds=seconds),
        args=[runner],
        id=JOB_ID,
        max_instances=1,
        coalesce=True,
        next_run_time=datetime.now(UTC),
    )

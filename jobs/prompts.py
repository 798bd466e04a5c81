"""APScheduler wiring for story prompts: one pass a minute (WINSBOT_PROMPT_SECONDS).

Every `serve` and `worker` runs it; the prompt ledger lets one of them through per (win, owner),
so running several is harmless. The first pass runs at start-up, so a restart picks up a
stopped worker's lapsed claims and anything that came in while nothing was running.
"""

from __future__ import annotations

import logging
from collections import Counter
from datetime import UTC, datetime

from apscheduler.schedulers.asyncio import AsyncIOScheduler
from apscheduler.triggers.interval import IntervalTrigger

from bot.usecases.prompts import PromptRunner

log = logging.getLogger("winsbot.jobs")

JOB_ID = "story-prompts"


async def prompt_pass(runner: PromptRunner) -> None:
    outcomes = await runner.run()
    if outcomes:
        counts = Counter(o.result for o in outcomes)
        log.info("story prompts: %s", ", ".join(f"{n} {r}" for r, n in sorted(counts.items())))


def schedule_prompts(scheduler: AsyncIOScheduler, runner: PromptRunner, *, seconds: float) -> None:
    scheduler.add_job(
        prompt_pass,
        IntervalTrigger(seconds=seconds),
        args=[runner],
        id=JOB_ID,
        max_instances=1,
        coalesce=True,
        next_run_time=datetime.now(UTC),
    )

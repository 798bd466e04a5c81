"""APScheduler wiring for digests: one cron job per subscription (weekly, or the first weekday of
each month), derived from the table.

The subscriptions table is the truth. A reconcile job re-reads it every minute, so subscribing,
changing or unsubscribing takes effect without a restart; a catch-up job sends anything due and
unsent within the grace window (after a restart, a crash or a failed send); a takeover loop,
every third of a delivery lease, takes over the claims of a worker that stopped renewing them
(killed mid-pass), so its digests go out about a lease later. APScheduler 3 keeps jobs in
memory only; two processes scheduling the same digest is harmless because the delivery ledger
lets one send through.
"""

from __future__ import annotations

import asyncio
import logging
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from apscheduler.schedulers.asyncio import AsyncIOScheduler
from apscheduler.triggers.cron import CronTrigger
from apscheduler.triggers.interval import IntervalTrigger

from bot.domain.models import Cadence, Subscription
from bot.usecases.delivery import DigestRunner

log = logging.getLogger("winsbot.jobs")

PREFIX = "digest:"


# APScheduler's weekday names, for its "1st mon" (first Monday of the month) day expression.
_CRON_DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


def cron_for(subscription: Subscription) -> CronTrigger:
    """Weekday and local time in the channel's own zone: DST moves UTC, not the wall clock.

    A monthly digest fires on the first such weekday of each month (``day="1st mon"``), the
    same moments ``bot.domain.schedules`` computes for catch-up and `digest status`.
    """
    schedule = subscription.schedule
    hour, minute = (int(part) for part in schedule.time.split(":"))
    zone = ZoneInfo(schedule.timezone)
    if schedule.cadence is Cadence.MONTHLY:
        day = f"1st {_CRON_DAYS[schedule.weekday]}"
        return CronTrigger(day=day, hour=hour, minute=minute, timezone=zone)
    return CronTrigger(day_of_week=schedule.weekday, hour=hour, minute=minute, timezone=zone)


async def deliver_due(runner: DigestRunner, subscription_id: int) -> None:
    outcome = await runner.deliver_due(subscription_id)
    if outcome is not None:
        log.info("subscription %s %s: %s", subscription_id, outcome.period, outcome.result)


async def catch_up(runner: DigestRunner) -> None:
    for outcome in await runner.catch_up():
        log.info("catch-up %s %s: %s", outcome.subscription_id, outcome.period, outcome.result)


async def take_over(runner: DigestRunner) -> None:
    for outcome in await runner.take_over_stalled():
        log.info("takeover %s %s: %s", outcome.subscription_id, outcome.period, outcome.result)


async def take_over_forever(runner: DigestRunner) -> None:
    """Every third of a lease: a plain loop, not an APScheduler job, which would log two lines
    at each run (three runs a minute) for what is almost always nothing to do."""
    while True:
        await asyncio.sleep(runner.lease.total_seconds() / 3)
        try:
            await take_over(runner)
        except Exception as exc:  # the database is busy or down: the next round tries again
            log.warning("takeover of stalled digests failed: %s: %s", type(exc).__name__, exc)


class DigestScheduler:
    def __init__(
        self,
        runner: DigestRunner,
        *,
        reconcile_seconds: float = 60,
        catch_up_seconds: float = 300,
    ) -> None:
        self.runner = runner
        self.scheduler = AsyncIOScheduler(timezone=UTC)
        self.reconcile_seconds = reconcile_seconds
        self.catch_up_seconds = catch_up_seconds
        self._take_over: asyncio.Task[None] | None = None

    async def start(self) -> None:
        self.scheduler.start()
        await self.reconcile()
        self.scheduler.add_job(
            self.reconcile, IntervalTrigger(seconds=self.reconcile_seconds),
            id="reconcile", max_instances=1, coalesce=True,
        )  # fmt: skip
        self.scheduler.add_job(
            catch_up, IntervalTrigger(seconds=self.catch_up_seconds), args=[self.runner],
            id="catch-up", max_instances=1, coalesce=True,
            next_run_time=datetime.now(UTC),  # at start-up: missed runs first
        )  # fmt: skip
        self._take_over = asyncio.create_task(take_over_forever(self.runner), name="take-over")

    async def reconcile(self) -> None:
        """Make the jobs match the subscriptions table."""
        wanted = {f"{PREFIX}{s.id}": s for s in await self.runner.subscriptions()}
        for job in self.scheduler.get_jobs():
            if job.id.startswith(PREFIX) and job.id not in wanted:
                job.remove()
                log.info("unscheduled %s", job.id)
        for job_id, subscription in wanted.items():
            trigger = cron_for(subscription)
            job = self.scheduler.get_job(job_id)
            if job is None:
                self.scheduler.add_job(
                    deliver_due, trigger, args=[self.runner, subscription.id], id=job_id,
                    max_instances=1, coalesce=True, misfire_grace_time=3600,
                )  # fmt: skip
                log.info("scheduled %s: %s", job_id, subscription.schedule.describe())
            elif str(job.trigger) != str(trigger):
                job.reschedule(trigger)
                log.info("rescheduled %s: %s", job_id, subscription.schedule.describe())

    def next_run(self, subscription_id: int) -> datetime | None:
        job = self.scheduler.get_job(f"{PREFIX}{subscription_id}")
        return None if job is None else job.next_run_time

    async def shutdown(self) -> None:
        self.scheduler.shutdown(wait=False)
        if self._take_over is not None:
            self._take_over.cancel()
            await asyncio.gather(self._take_over, return_exceptions=True)
        await self.runner.close()

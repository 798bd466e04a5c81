"""Monthly subscriptions in APScheduler: the first <weekday> of the month at local time, the
same moments the domain computes, and a weekly job turned monthly without a restart."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import time_machine

from bot.domain.models import Audience, Cadence, Chat, Schedule, Subscription
from bot.domain.schedules import next_due
from bot.store.subscriptions import subscribe
from bot.usecases.delivery import DigestRunner
from bot.usecases.results import WinsService
from jobs.digests import DigestScheduler, cron_for


async def add(service: WinsService, channel: str, schedule: Schedule) -> Subscription:
    async with service.db.engine.begin() as conn:
        sub, _ = await subscribe(
            conn, chat=Chat.SLACK, workspace_id="T1", channel_id=channel, audience=Audience(),
            schedule=schedule, created_by="U1", now=service.clock.now(),
        )  # fmt: skip
    return sub


@time_machine.travel(datetime(2026, 3, 25, 12, 0, tzinfo=UTC), tick=False)
async def test_monthly_jobs_fire_on_the_first_weekday_at_local_time(service: WinsService) -> None:
    monthly = Schedule(weekday=0, time="09:00", timezone="Europe/London", cadence=Cadence.MONTHLY)
    london = await add(service, "C1", monthly)
    tokyo = await add(
        service, "C2", Schedule(weekday=1, time="09:00", timezone="Asia/Tokyo", cadence="monthly")
    )
    scheduler = DigestScheduler(DigestRunner(service, {}))
    await scheduler.start()
    try:
        # Monday 6 April, 09:00 BST; Tuesday 7 April, 09:00 in Tokyo (00:00 UTC).
        assert scheduler.next_run(london.id) == datetime(2026, 4, 6, 8, 0, tzinfo=UTC)
        assert scheduler.next_run(tokyo.id) == datetime(2026, 4, 7, 0, 0, tzinfo=UTC)
        weekly = await add(service, "C1", monthly.model_copy(update={"cadence": Cadence.WEEKLY}))
        assert weekly.id == london.id  # one subscription per channel and audience: changed
        await scheduler.reconcile()
        assert scheduler.next_run(london.id) == datetime(2026, 3, 30, 8, 0, tzinfo=UTC)
    finally:
        await scheduler.shutdown()


def test_the_cron_trigger_and_the_domain_agree_for_a_year() -> None:
    schedule = Schedule(weekday=4, time="17:30", timezone="America/Toronto", cadence="monthly")
    trigger = cron_for(
        Subscription(id=1, chat=Chat.SLACK, channel_id="C1", audience=Audience(), schedule=schedule)
    )
    moment = datetime(2026, 1, 1, tzinfo=UTC)
    for _ in range(13):
        # APScheduler counts a fire time equal to "now"; next_due is strictly after it.
        fired = trigger.get_next_fire_time(None, moment + timedelta(seconds=1))
        due = next_due(schedule, moment)
        assert fired == due and due.day <= 7
        moment = due

"""The APScheduler wiring: one cron job per subscription, following the table without restarts."""

from __future__ import annotations

from datetime import UTC, datetime

import time_machine

from bot.domain.models import Audience, Chat, Schedule
from bot.store.subscriptions import subscribe, unsubscribe
from bot.usecases.delivery import DigestRunner
from bot.usecases.results import WinsService
from jobs.digests import DigestScheduler


async def add(service: WinsService, channel: str, schedule: Schedule) -> int:
    async with service.db.engine.begin() as conn:
        sub, _ = await subscribe(
            conn, chat=Chat.SLACK, workspace_id="T1", channel_id=channel, audience=Audience(),
            schedule=schedule, created_by="U1", now=service.clock.now(),
        )  # fmt: skip
    return sub.id


@time_machine.travel(datetime(2026, 3, 25, 12, 0, tzinfo=UTC), tick=False)
async def test_jobs_follow_the_table_and_fire_at_local_time_across_dst(
    service: WinsService,
) -> None:
    london = await add(service, "C1", Schedule(weekday=0, time="09:00", timezone="Europe/London"))
    tokyo = await add(service, "C2", Schedule(weekday=4, time="17:30", timezone="Asia/Tokyo"))
    scheduler = DigestScheduler(DigestRunner(service, {}))
    await scheduler.start()
    try:
        # Monday 30 March is after the clocks went forward: 09:00 BST is 08:00 UTC.
        assert scheduler.next_run(london) == datetime(2026, 3, 30, 8, 0, tzinfo=UTC)
        assert scheduler.next_run(tokyo) == datetime(2026, 3, 27, 8, 30, tzinfo=UTC)
        async with service.db.engine.begin() as conn:
            await subscribe(
                conn, chat=Chat.SLACK, workspace_id="T1", channel_id="C1", audience=Audience(),
                schedule=Schedule(weekday=1, time="10:15", timezone="Europe/London"),
                created_by="U1", now=service.clock.now(),
            )  # fmt: skip
            await unsubscribe(conn, chat=Chat.SLACK, channel_id="C2", audience_name="leadership")
        await scheduler.reconcile()
        assert scheduler.next_run(london) == datetime(2026, 3, 31, 9, 15, tzinfo=UTC)
        assert scheduler.next_run(tokyo) is None
    finally:
        await scheduler.shutdown()

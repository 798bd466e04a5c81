"""Polling wired as `winsbot serve` wires it: configured accounts, real sources, fake APIs."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import func, select

from bot.app import build_poller, build_server, start_scheduler
from bot.config import Settings
from bot.domain.models import Platform, SourceAccount
from bot.ports import FixedClock
from bot.store.db import Database
from bot.store.tables import posts
from tests.fakes.social.mastodon import FakeMastodon

NOW = datetime(2026, 8, 2, 9, 0, tzinfo=UTC)  # the day after the recorded Mastodon timeline


async def test_serve_polls_the_configured_accounts_and_stores_their_posts(
    db: Database, tmp_path: Path
) -> None:
    async with FakeMastodon() as mastodon:
        settings = Settings(
            database_url=db.url,
            output_dir=tmp_path,
            mastodon_base_url=mastodon.url,
            accounts=[
                SourceAccount(platform=Platform.MASTODON, handle="mastodonpy_test", tags=("brand",))
            ],
            poll_minutes_by_source={Platform.MASTODON: 10},
        )
        server = await build_server(settings, clock=FixedClock(NOW))
        try:
            poller = build_poller(server)
            await poller.register_accounts()
            report = await poller.poll()
            assert report.failed == {} and report.accounts == 1
            async with server.service.db.engine.connect() as conn:
                stored = (await conn.execute(select(func.count()).select_from(posts))).scalar_one()
            assert stored == 5  # the recorded page of five statuses
            await start_scheduler(server)
            assert server.scheduler is not None
            jobs = {job.id for job in server.scheduler.scheduler.get_jobs()}
            assert {"poll:mastodon", "reconcile", "catch-up"} <= jobs
            poll_job = server.scheduler.scheduler.get_job("poll:mastodon")
            assert poll_job.trigger.interval.total_seconds() == 600  # its own interval
        finally:
            for close in server.on_stop:
                await close()

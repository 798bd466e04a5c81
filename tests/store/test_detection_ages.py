"""Counts at the same age on a real database (SQLite and PostgreSQL): a baseline post that is not
rescored is read between the snapshots around the age, as its whole series would be read."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from bot.domain.models import Metrics, Platform, SnapshotRecord
from bot.store.wins import WinFilter
from bot.usecases.results import WinsService

T0 = datetime(2026, 10, 1, 9, 0, tzinfo=UTC)


def snapshot(n: int, hours: int, likes: int) -> SnapshotRecord:
    published = T0 + timedelta(days=n)
    return SnapshotRecord(
        platform=Platform.LINKEDIN,
        account="acme",
        post_id=f"acme-{n}",
        published_at=published,
        metrics=Metrics(likes=likes),
        captured_at=published + timedelta(hours=hours),
    )


async def test_history_posts_are_read_between_the_snapshots_around_the_age(
    service: WinsService,
) -> None:
    # Ten posts polled at 24 and 48 hours: 100 then 200 interactions. At 36 hours that is 150;
    # the 24-hour count alone would make the usual 100 and a 450 at 36 hours 4.5x, not 3x.
    history = [snapshot(n, hours, 100 * hours // 24) for n in range(10) for hours in (24, 48)]
    await service.ingest(history)
    await service.detect()  # scores the history, so the next pass reads it via load_at_ages
    await service.ingest([snapshot(10, 36, 450)])
    report = await service.detect()
    assert report.posts_scored == 1
    [win] = await service.wins(WinFilter())
    assert win.post_external_id == "acme-10"
    assert (win.expected, win.ratio) == (150, 3.0)
    assert win.reason.endswith("in the first 2 days (450 vs 150 interactions)")

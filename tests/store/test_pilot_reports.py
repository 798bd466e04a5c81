"""A pilot's report from the store: its posts with their counts, and the stories about its wins."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from bot.domain.models import Campaign, CampaignMetric, Metrics, Platform, SnapshotRecord
from bot.ports import FixedClock
from bot.store.accounts import register_account
from bot.store.wins import WinFilter
from bot.usecases.pilot_reports import pilot_report
from bot.usecases.results import WinsService

T0 = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)


def snap(n: int, clicks: int, text: str, *, account: str = "acme-careers") -> SnapshotRecord:
    published = T0 + timedelta(days=n)
    return SnapshotRecord(
        Platform.LINKEDIN, account, f"{account}-{n}", published,
        Metrics(likes=clicks // 2 + 100, clicks=clicks), text=text,
        url=f"https://example.com/{n}", captured_at=published + timedelta(days=1),
    )  # fmt: skip


async def test_the_report_counts_the_pilots_posts_and_gathers_its_stories(
    service: WinsService, clock: FixedClock
) -> None:
    async with service.db.engine.begin() as conn:
        await register_account(conn, Platform.LINKEDIN, "acme-careers", tags=["recruiting"])
    ordinary = [snap(n, 10, "Life at Acme") for n in range(10)]
    pilot = [
        snap(11, 120, "Open day #GradPilot"),
        snap(12, 900, "Live Q&A #GradPilot"),
        snap(13, 40, "Apply now #gradpilot"),
        snap(14, 500, "Not in the pilot #GradPilotX"),  # another hashtag
    ]
    await service.ingest([*ordinary, *pilot])
    pilot_campaign = Campaign(
        name="Graduate hiring pilot", metric=CampaignMetric.CLICKS, target=1_000,
        starts_on=date(2026, 11, 12), ends_on=date(2026, 11, 20), tag="recruiting",
        hashtag="GradPilot",
    )  # fmt: skip
    campaign_id = await service.add_campaign(pilot_campaign)
    assert campaign_id
    clock.moment = datetime(2026, 11, 30, 9, tzinfo=UTC)
    await service.detect()
    [win] = [
        w
        for w in await service.wins(WinFilter(limit=100))
        if w.post_external_id == "acme-careers-12"
    ]
    await service.add_case_study("We ran a live Q&A with two graduates.", win_id=win.id)
    await service.add_case_study("A story about another win.", win_id=None)

    report = await pilot_report(service, "graduate HIRING pilot")
    assert report is not None
    assert report.result == "1,060 clicks from 3 posts: 106% of the goal. Goal reached."
    assert [(p.value, p.text) for p in report.best_posts] == [
        (900, "Live Q&A #GradPilot"), (120, "Open day #GradPilot"), (40, "Apply now #gradpilot")
    ]  # fmt: skip
    assert [s.body for s in report.stories] == ["We ran a live Q&A with two graduates."]
    assert await pilot_report(service, "no such pilot") is None

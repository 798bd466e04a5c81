"""The digest's weekly series on a real database: the same numbers ``period_stats`` gives for
each week, per platform, with the weeks that had wins, on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import datetime, timedelta

from adapters.sources.sample import sample_accounts, sample_records
from bot.domain.models import Audience, FollowerRecord, Metrics, Platform, SnapshotRecord
from bot.domain.periods import Period, parse_week
from bot.store.accounts import register_account
from bot.store.stats import period_stats
from bot.store.trend import period_stats_of, weekly_series
from bot.usecases.results import TREND_WEEKS, WinsService

WEEK = parse_week("2026-W47", "Europe/London")  # 16-22 Nov 2026
MON = WEEK.start
RECRUITING = Audience(name="recruiting", tags=("recruiting",))


def thirteen_weeks(last: Period) -> list[Period]:
    weeks = [last]
    while len(weeks) < TREND_WEEKS:
        weeks.insert(0, weeks[0].previous())
    return weeks


def snap(post: str, published: datetime, at: datetime, likes: int, platform: Platform,
         account: str = "acme") -> SnapshotRecord:  # fmt: skip
    metrics = Metrics(likes=likes, impressions=likes * 10, clicks=likes // 10)
    return SnapshotRecord(platform, account, post, published, metrics, captured_at=at)


async def test_each_week_of_the_series_is_what_period_stats_counts(service: WinsService) -> None:
    end = datetime(2026, 11, 23, 9, tzinfo=MON.tzinfo)
    async with service.db.engine.begin() as conn:
        for account in sample_accounts():
            await register_account(
                conn, account.platform, account.handle, kind=account.kind,
                display_name=account.display_name, tags=account.tags,
            )  # fmt: skip
    await service.ingest(sample_records(end))
    await service.detect()
    weeks = thirteen_weeks(WEEK)
    for audience in (Audience(), RECRUITING):
        async with service.db.engine.connect() as conn:
            series = await weekly_series(conn, audience, weeks)
            expected = [await period_stats(conn, audience, w.start, w.end) for w in weeks]
        assert [w.label for w in series] == [w.label for w in weeks]
        assert [period_stats_of(w) for w in series] == expected
        assert sum(w.total("impressions") for w in series) > 0
    view = await service.digest(Audience(), WEEK)
    assert len(view.trend) == TREND_WEEKS and sum(w.wins for w in view.trend) > 0


async def test_series_splits_platforms_and_marks_weeks_with_wins(service: WinsService) -> None:
    old = MON - timedelta(days=5)  # in the week before
    await service.ingest(
        [
            snap("a", old, old + timedelta(hours=1), 100, Platform.LINKEDIN),
            snap("a", old, MON + timedelta(days=1), 160, Platform.LINKEDIN),  # +60 this week
            snap("b", MON, MON + timedelta(days=2), 30, Platform.BLUESKY, "acme.bsky.social"),
            FollowerRecord(Platform.LINKEDIN, "acme", old, 1_000),
            FollowerRecord(Platform.LINKEDIN, "acme", MON - timedelta(hours=2), 1_040),
            FollowerRecord(Platform.LINKEDIN, "acme", MON + timedelta(days=3), 1_100),
        ]
    )
    async with service.db.engine.connect() as conn:
        series = await weekly_series(conn, Audience(), [WEEK.previous(), WEEK])
    before, this = series
    assert before.platforms[Platform.LINKEDIN].engagement == 110  # 100 likes and 10 clicks
    assert before.platforms[Platform.LINKEDIN].posts == 1
    assert before.platforms[Platform.LINKEDIN].followers_gained == 0  # no count before it
    assert this.platforms[Platform.LINKEDIN].engagement == 66
    assert this.platforms[Platform.LINKEDIN].impressions == 600
    assert this.platforms[Platform.LINKEDIN].followers_gained == 60
    assert this.platforms[Platform.BLUESKY].engagement == 33
    assert this.platforms[Platform.BLUESKY].posts == 1
    assert this.total("engagement") == 99
    assert before.wins == this.wins == 0
    # The weeks winsbot began watching each account: their posts' earlier counts landed there.
    assert before.platforms[Platform.LINKEDIN].began and not this.platforms[Platform.LINKEDIN].began
    assert this.platforms[Platform.BLUESKY].began


async def test_an_empty_audience_has_empty_weeks(service: WinsService) -> None:
    async with service.db.engine.connect() as conn:
        series = await weekly_series(conn, RECRUITING, thirteen_weeks(WEEK))
        assert await weekly_series(conn, RECRUITING, []) == []
    assert len(series) == TREND_WEEKS
    assert all(not w.platforms and w.wins == 0 for w in series)

"""Detection end to end on a real database: incremental, idempotent, and filtered queries."""

from __future__ import annotations

import random
from datetime import UTC, date, datetime, timedelta

from sqlalchemy import select

from bot.config import Settings
from bot.domain.formatting import win_strength
from bot.domain.models import (
    AccountKind,
    Campaign,
    CampaignMetric,
    FollowerRecord,
    Metrics,
    Platform,
    SnapshotRecord,
    WinKind,
)
from bot.ports import FixedClock
from bot.store.accounts import register_account
from bot.store.db import Database
from bot.store.tables import wins
from bot.store.wins import WinFilter
from bot.usecases.results import WinsService

T0 = datetime(2026, 10, 1, 9, 0, tzinfo=UTC)


def post(
    n: int,
    likes: int,
    *,
    account: str = "acme",
    platform: Platform = Platform.LINKEDIN,
    age_hours: int = 24,
    text: str = "hello",
    clicks: int = 0,
) -> SnapshotRecord:
    published = T0 + timedelta(days=n)
    return SnapshotRecord(
        platform=platform,
        account=account,
        post_id=f"{account}-{n}",
        published_at=published,
        metrics=Metrics(likes=likes, comments=2, clicks=clicks),
        text=text,
        url=f"https://example.com/{account}/{n}",
        captured_at=published + timedelta(hours=age_hours),
    )


STEADY = [post(n, 100 + (n % 3) * 5) for n in range(12)]


async def test_outlier_becomes_one_win_and_rerunning_adds_nothing(service: WinsService) -> None:
    await service.ingest([*STEADY, post(12, 900)])
    first = await service.detect()
    again = await service.detect()
    assert first.wins_added == 1
    assert (again.posts_scored, again.wins_added) == (0, 0)
    [win] = await service.wins(WinFilter())
    assert win.kind is WinKind.POST
    assert win.post_external_id == "acme-12"
    assert "the median engagement of acme's last 12 LinkedIn posts" in win.reason


async def test_only_posts_with_new_snapshots_are_rescored(service: WinsService) -> None:
    await service.ingest([*STEADY, post(12, 900)])
    await service.detect()
    await service.ingest([post(12, 1500, age_hours=48)])
    report = await service.detect()
    assert report.posts_scored == 1
    assert (report.wins_added, report.wins_updated) == (0, 1)
    [win] = await service.wins(WinFilter())
    assert win.engagement == 1502


async def test_full_rescore_reads_every_post_but_creates_no_duplicate(service: WinsService) -> None:
    await service.ingest([*STEADY, post(12, 900)])
    await service.detect()
    report = await service.detect(everything=True)
    assert report.posts_scored == 13
    assert report.wins_added == 0
    assert len(await service.wins(WinFilter())) == 1


async def test_follower_milestone_is_a_win_once(service: WinsService) -> None:
    counts = [9_900, 9_960, 10_010, 10_070]
    records = [
        FollowerRecord(Platform.LINKEDIN, "acme", T0 + timedelta(days=i), c)
        for i, c in enumerate(counts)
    ]
    await service.ingest(records)
    assert (await service.detect()).milestones_added == 1
    assert (await service.detect()).milestones_added == 0
    [win] = await service.wins(WinFilter())
    assert win.kind is WinKind.MILESTONE
    assert "passed 10,000 followers" in win.reason


async def test_campaign_goal_reached_becomes_a_win(service: WinsService) -> None:
    await service.add_campaign(
        Campaign(
            name="Grad pilot",
            metric=CampaignMetric.CLICKS,
            target=300,
            starts_on=date(2026, 10, 3),
            ends_on=date(2026, 10, 10),
            hashtag="GradPilot",
        )
    )
    records = [post(n, 50, text="Join us #GradPilot", clicks=120) for n in (3, 5, 8)] + [
        post(4, 50, text="#GradPilots is not it", clicks=999)
    ]
    await service.ingest(records)
    [progress] = await service.campaigns()
    assert (progress.value, progress.posts, progress.reached) == (360, 3, True)
    assert (await service.detect()).goals_added == 1
    [win] = await service.wins(WinFilter(campaign="Grad pilot"))
    assert win.kind is WinKind.CAMPAIGN
    assert "360 clicks against a target of 300 (120%)" in win.reason


async def test_wins_filter_by_tag_and_platform_and_leave_peers_out(service: WinsService) -> None:
    async with service.db.engine.begin() as conn:
        await register_account(conn, Platform.LINKEDIN, "acme-careers", tags=["#Recruiting"])
        await register_account(conn, Platform.X, "rival", kind=AccountKind.PEER)
    careers = [post(n, 100, account="acme-careers") for n in range(10)]
    rival = [post(n, 100, account="rival", platform=Platform.X) for n in range(10)]
    await service.ingest(
        [
            *STEADY,
            post(12, 900),
            *careers,
            post(11, 1200, account="acme-careers"),
            *rival,
            post(11, 5000, account="rival", platform=Platform.X),
        ]
    )
    await service.detect()
    assert {w.account for w in await service.wins(WinFilter())} == {"acme", "acme-careers"}
    recruiting = await service.wins(WinFilter(tags=("recruiting",)))
    assert [w.account for w in recruiting] == ["acme-careers"]
    assert recruiting[0].account_tags == ("recruiting",)
    assert await service.wins(WinFilter(platforms=(Platform.X,))) == []
    peers = await service.peer_wins(WinFilter())
    assert [w.account for w in peers] == ["rival"]


async def test_incremental_rescoring_reads_exactly_the_baseline_window(db: Database) -> None:
    service = WinsService(db, Settings(baseline_posts=5), FixedClock(T0 + timedelta(days=60)))
    later = [post(n, 100) for n in range(13, 16)]  # newer posts must not count as history
    await service.ingest([*STEADY, post(12, 900), *later])
    await service.detect()
    await service.ingest([post(12, 1500, age_hours=48)])
    report = await service.detect()
    assert report.posts_scored == 1
    [win] = await service.wins(WinFilter())
    assert "acme's last 5 LinkedIn posts" in win.reason
    assert "(1,502 vs 107 interactions)" in win.reason  # median of posts 7-11


async def test_incremental_baseline_reads_history_at_the_new_posts_age(
    service: WinsService,
) -> None:
    # Each earlier post is small an hour in, ordinary at 24 hours and huge four days on: only the
    # 24-hour count is a fair baseline for a post that is 24 hours old.
    history = [
        post(n, likes, age_hours=hours)
        for n in range(12)
        for hours, likes in ((1, 10), (24, 100 + (n % 3) * 5), (100, 50_000))
    ]
    await service.ingest([*history, post(12, 20, age_hours=1)])
    assert (await service.detect()).wins_added == 0
    await service.ingest([post(12, 900, age_hours=24)])
    report = await service.detect()
    assert (report.posts_scored, report.wins_added) == (1, 1)
    [win] = await service.wins(WinFilter())
    assert win.reason.endswith("in the first 24 hours (902 vs 107 interactions)")


async def test_history_without_a_count_by_that_age_falls_back_to_its_first(
    service: WinsService,
) -> None:
    # Exports give one count per post at whatever age it had: compare with the earliest we have.
    history = [
        post(n, likes, age_hours=hours)
        for n in range(12)
        for hours, likes in ((48, 100 + (n % 3) * 5), (240, 50_000))
    ]
    await service.ingest([*history, post(12, 20, age_hours=1)])
    await service.detect()
    await service.ingest([post(12, 900, age_hours=24)])
    assert (await service.detect()).wins_added == 1
    [win] = await service.wins(WinFilter())
    assert win.reason.endswith("(902 vs 107 interactions)")


def _varied_posts(rng: random.Random, count: int) -> list[SnapshotRecord]:
    """Posts with hourly-to-weekly series, single export-style counts and a few outliers."""
    records: list[SnapshotRecord] = []
    for n in range(count):
        size = rng.randint(80, 120) * (10 if rng.random() < 0.1 else 1)
        ages = sorted(rng.sample(range(1, 400), rng.choice((1, 2, 5, 12))))
        records += [post(n, int(size * (1 - 0.97**age)), age_hours=age) for age in ages]
    return records


async def _stored_wins(db: Database) -> list[tuple[object, ...]]:
    async with db.engine.connect() as conn:
        rows = await conn.execute(
            select(wins.c.key, wins.c.score, wins.c.reason, wins.c.details, wins.c.occurred_at)
        )
        return sorted(tuple(r) for r in rows)


async def test_incremental_detection_agrees_with_a_full_rescore(service: WinsService) -> None:
    rng = random.Random(7)
    newest = range(52, 60)
    await service.ingest([*_varied_posts(rng, 52), *(post(n, 30, age_hours=1) for n in newest)])
    await service.detect()
    # Counts for the newest posts up to ages either side of the seven-day cap, an outlier at
    # each: their history is read at several ages, some before that history's first count.
    fresh = [
        post(n, 5_000 if n % 2 else 100, age_hours=age)
        for n in newest
        for age in ((2,), (30,), (100,), (150, 500))[n // 2 % 4]
    ]
    await service.ingest(fresh)
    incremental = await service.detect()
    after_incremental = await _stored_wins(service.db)
    full = await service.detect(everything=True)
    assert (incremental.posts_scored, incremental.wins_added) == (8, 4)
    assert full.wins_added == 0
    assert await _stored_wins(service.db) == after_incremental


async def test_a_post_that_reached_many_more_people_is_a_win_named_by_its_reach(
    service: WinsService,
) -> None:
    """Ordinary likes, ten times the usual reach: the win says reach, and keeps its numbers."""
    steady = [post(n, 100 + (n % 3) * 5) for n in range(12)]
    for n, record in enumerate(steady):
        record.metrics.reach = 4_000 + (n % 3) * 200
    viral = post(12, 104)
    viral.metrics.reach = 42_000
    await service.ingest([*steady, viral])
    await service.detect()
    [win] = await service.wins(WinFilter())
    assert (win.post_external_id, win.metric) == ("acme-12", "reach")
    assert win_strength(win) == "10x its usual reach"
    assert win.reason.endswith("(42,000 vs 4,200 people reached)")
    async with service.db.engine.connect() as conn:
        details = (await conn.execute(select(wins.c.details))).scalar_one()
    assert (details["metric"], details["value"], details["baseline"]) == ("reach", 42_000, 4_200)
    assert len(details["compared"]) == 12

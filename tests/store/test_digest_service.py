"""The digest use case on a real database: numbers earned in the week, filtered by audience."""

from __future__ import annotations

from datetime import datetime, timedelta

from bot.domain.models import (
    AccountKind,
    Audience,
    FollowerRecord,
    Metrics,
    Platform,
    SnapshotRecord,
)
from bot.domain.periods import parse_week
from bot.store.accounts import register_account
from bot.store.case_studies import CaseStudyFilter, delete_case_study, save_case_study
from bot.usecases.results import WinsService

WEEK = parse_week("2026-W47", "Europe/London")  # 16-22 Nov 2026
MON = WEEK.start


def snap(
    post: str, published: datetime, at: datetime, likes: int, account: str = "acme"
) -> SnapshotRecord:
    return SnapshotRecord(
        Platform.LINKEDIN,
        account,
        post,
        published,
        Metrics(likes=likes, impressions=likes * 10, clicks=likes // 10),
        captured_at=at,
    )


async def test_digest_counts_what_was_earned_in_the_week(service: WinsService) -> None:
    old = MON - timedelta(days=10)
    await service.ingest(
        [
            snap("old", old, old + timedelta(days=1), 100),
            snap("old", old, MON - timedelta(hours=1), 150),  # before the week: 150
            snap("old", old, MON + timedelta(days=2), 190),  # +40 earned this week
            snap("new", MON + timedelta(days=1), MON + timedelta(days=2), 60),  # +60
            snap("new", MON + timedelta(days=1), WEEK.end + timedelta(hours=1), 99),  # next week
            FollowerRecord(Platform.LINKEDIN, "acme", MON - timedelta(days=1), 1_000),
            FollowerRecord(Platform.LINKEDIN, "acme", MON + timedelta(days=3), 1_080),
        ]
    )
    view = await service.digest(Audience(), WEEK)
    numbers = {h.label: h.value for h in view.headlines}
    assert numbers["Posts published"] == 1
    assert numbers["Engagement"] == 110  # 100 likes and 10 clicks earned in the week
    assert numbers["Impressions"] == 1000
    # Link clicks earned too: 19 - 15 on the old post, 6 on the new one.
    assert numbers["Link clicks"] == 10
    assert numbers["Followers gained"] == 80
    assert view.engagement_by_platform == {Platform.LINKEDIN: 110}
    assert view.period_label == "2026-W47"
    assert not view.is_quiet


async def test_department_digest_sees_only_its_accounts(service: WinsService) -> None:
    async with service.db.engine.begin() as conn:
        await register_account(conn, Platform.LINKEDIN, "careers", tags=["recruiting"])
    await service.ingest(
        [
            snap("a", MON + timedelta(days=1), MON + timedelta(days=2), 60),
            snap("b", MON + timedelta(days=1), MON + timedelta(days=2), 7, account="careers"),
        ]
    )
    view = await service.digest(Audience(name="recruiting", tags=("recruiting",)), WEEK)
    assert {h.label: h.value for h in view.headlines}["Engagement"] == 7


async def test_quiet_week_says_so(service: WinsService) -> None:
    view = await service.digest(Audience(), WEEK)
    assert view.is_quiet
    assert view.top_wins == []


async def test_case_study_reply_is_idempotent_editable_and_private_where_written(
    service: WinsService,
) -> None:
    now = MON + timedelta(days=1)
    async with service.db.engine.begin() as conn:
        first = await save_case_study(
            conn,
            body="We replied within 5 minutes",
            now=now,
            source="slack",
            source_ref="slack:C1:111.1",
            private_to="G-private",
        )
        retry = await save_case_study(
            conn,
            body="We replied within 5 minutes",
            now=now + timedelta(seconds=3),
            source="slack",
            source_ref="slack:C1:111.1",
            private_to="G-private",
        )
        edited = await save_case_study(
            conn,
            body="We replied within 4 minutes",
            now=now + timedelta(minutes=5),
            source="slack",
            source_ref="slack:C1:111.1",
            private_to="G-private",
        )
    assert first[1] is True and retry == (first[0], False) and edited[0] == first[0]
    assert await service.case_studies(CaseStudyFilter()) == []
    [story] = await service.case_studies(CaseStudyFilter(visible_in="G-private"))
    assert story.body == "We replied within 4 minutes"
    async with service.db.engine.begin() as conn:
        assert await delete_case_study(conn, "slack:C1:111.1") is True
    assert await service.case_studies(CaseStudyFilter(visible_in="G-private")) == []


async def test_digest_lists_public_case_studies_of_the_week(service: WinsService) -> None:
    async with service.db.engine.begin() as conn:
        await save_case_study(conn, body="Pilot story", now=MON + timedelta(days=2))
        await save_case_study(conn, body="Last week's", now=MON - timedelta(days=2))
    view = await service.digest(Audience(), WEEK)
    assert [c.body for c in view.case_studies] == ["Pilot story"]


async def test_the_digest_compares_our_follower_growth_with_the_peers_we_follow(
    service: WinsService,
) -> None:
    """Rates from the last count before the week to the last in it; peers on other platforms,
    and accounts without a count before the week, are left out."""
    async with service.db.engine.begin() as conn:
        await register_account(conn, Platform.LINKEDIN, "globex", kind=AccountKind.PEER)
        await register_account(conn, Platform.YOUTUBE, "initech", kind=AccountKind.PEER)
        await register_account(conn, Platform.LINKEDIN, "newco", kind=AccountKind.PEER)
    before, during = MON - timedelta(days=2), MON + timedelta(days=3)
    await service.ingest(
        [
            FollowerRecord(Platform.LINKEDIN, "acme", before - timedelta(days=3), 900),
            FollowerRecord(Platform.LINKEDIN, "acme", before, 1_000),
            FollowerRecord(Platform.LINKEDIN, "acme", during, 1_020),
            FollowerRecord(Platform.LINKEDIN, "globex", before, 50_000),
            FollowerRecord(Platform.LINKEDIN, "globex", during, 50_250),
            FollowerRecord(Platform.YOUTUBE, "initech", before, 100),
            FollowerRecord(Platform.YOUTUBE, "initech", during, 200),
            FollowerRecord(Platform.LINKEDIN, "newco", during, 10),
        ]
    )
    view = await service.digest(Audience(), WEEK)
    assert view.peer_growth == (
        "Followers this week: ours up 2.0% on LinkedIn, ahead of the peers we follow there "
        "(up 0.50%: globex +0.50%)."
    )
    # A department on YouTube only has no LinkedIn peers to compare with, nor accounts there.
    youtube = await service.digest(Audience(name="video", platforms=(Platform.YOUTUBE,)), WEEK)
    assert youtube.peer_growth is None

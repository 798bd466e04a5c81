"""The digest's first line says what changed, what drove it and what stood out, from its numbers."""

from __future__ import annotations

from datetime import UTC, date, datetime

from bot.domain.digest import compose_digest
from bot.domain.models import (
    Audience,
    Campaign,
    CampaignMetric,
    CampaignProgress,
    Platform,
    Win,
    WinKind,
)
from bot.domain.periods import Period
from bot.domain.so_what import so_what
from bot.domain.views import PeriodStats

WEEK = Period(2026, 47, "Europe/London")
MONDAY = datetime(2026, 11, 16, 12, tzinfo=UTC)


def stats(impressions: int, engagement: int, **by_platform: int) -> PeriodStats:
    return PeriodStats(
        posts=5,
        impressions=impressions,
        engagement=engagement,
        engagement_by_platform={Platform(name): count for name, count in by_platform.items()},
    )


def post_win(id: int, ratio: float, platform: Platform = Platform.LINKEDIN) -> Win:
    return Win(
        id=id, kind=WinKind.POST, score=1.0, ratio=ratio, reason="r", occurred_at=MONDAY,
        detected_at=MONDAY, platform=platform, account="acme",
    )  # fmt: skip


def pilot(name: str, value: int, target: int = 1_000) -> CampaignProgress:
    campaign = Campaign(
        name=name, metric=CampaignMetric.CLICKS, target=target,
        starts_on=date(2026, 11, 2), ends_on=date(2026, 11, 20),
    )  # fmt: skip
    return CampaignProgress(
        campaign=campaign, value=value, fraction=value / target, reached=value >= target, posts=3
    )


def test_it_says_what_moved_what_drove_it_what_stood_out_and_which_pilot_landed() -> None:
    line = so_what(
        stats(393_000, 11_200, linkedin=9_000, bluesky=2_200),
        stats(171_000, 6_200, linkedin=4_000, bluesky=2_200),
        [post_win(1, 16.1), post_win(2, 11.0, Platform.BLUESKY), post_win(3, 2.5)],
        [pilot("Graduate hiring pilot", 1_474), pilot("Open day", 300)],
    )
    assert line == (
        "Impressions up 130% and engagement up 81% on last week, driven by LinkedIn; "
        "2 posts did 10x or more their usual; the Graduate hiring pilot hit its goal."
    )


def test_small_moves_and_spread_out_rises_are_not_claimed() -> None:
    line = so_what(
        stats(105_000, 1_300, linkedin=650, x=650),  # impressions +5%: noise
        stats(100_000, 1_000, linkedin=500, x=500),  # engagement +30%, split evenly
        [post_win(1, 12.4, Platform.X)],
        [pilot("Spring Open House", 900)],  # not reached
    )
    assert line == "Engagement up 30% on last week; an X post did 12x its usual."


def test_a_fall_is_said_plainly_and_a_week_with_nothing_to_say_says_nothing() -> None:
    assert so_what(stats(80_000, 500), stats(100_000, 1_000), [], []) == (
        "Impressions down 20% and engagement down 50% on last week."
    )
    assert so_what(stats(0, 0), stats(0, 0), [], []) is None
    assert so_what(stats(1_000, 10), stats(0, 0), [], []) is None  # no base to compare with


def test_the_digest_carries_it_and_a_quiet_week_does_not() -> None:
    busy = compose_digest(
        Audience(), WEEK, stats(200, 20), stats(100, 10), [post_win(1, 20.0)], [], []
    )
    assert busy.so_what == (
        "Impressions up 100% and engagement up 100% on last week; "
        "a LinkedIn post did 20x its usual."
    )
    quiet = compose_digest(Audience(), WEEK, PeriodStats(), PeriodStats(impressions=5), [], [], [])
    assert quiet.is_quiet and quiet.so_what is None

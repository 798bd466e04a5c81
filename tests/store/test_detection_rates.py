"""Engagement-rate wins on a real database (SQLite and PostgreSQL): a post with ordinary counts
but a very high rate becomes a win that names the rate, stored with what `wins why` shows."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import select

from bot.domain.formatting import win_strength
from bot.domain.models import Metrics, Platform, SnapshotRecord
from bot.domain.rates import RATE_METRIC
from bot.domain.views import WhyView
from bot.store.tables import wins
from bot.store.wins import WinFilter
from bot.usecases.results import WinsService

T0 = datetime(2026, 10, 1, 9, 0, tzinfo=UTC)


def post(n: int, likes: int, impressions: int | None, *, account: str = "acme") -> SnapshotRecord:
    published = T0 + timedelta(days=n)
    return SnapshotRecord(
        platform=Platform.LINKEDIN,
        account=account,
        post_id=f"{account}-{n}",
        published_at=published,
        metrics=Metrics(likes=likes, comments=4, impressions=impressions),
        url=f"https://example.com/{account}/{n}",
        captured_at=published + timedelta(hours=24),
    )


# Twelve posts of about 100 interactions on about 4,000 impressions: 2.4% to 2.6%.
STEADY = [post(n, 92 + n % 3 * 4, 4_000) for n in range(12)]


async def test_a_high_rate_on_ordinary_counts_is_a_win_that_names_the_rate(
    service: WinsService,
) -> None:
    # 110 interactions, as usual; on 1,100 impressions (fewer than usual) that is 10%.
    await service.ingest([*STEADY, post(12, 106, 1_100)])
    report = await service.detect()
    assert report.wins_added == 1
    [win] = await service.wins(WinFilter())
    assert win.post_external_id == "acme-12"
    assert win.metric == RATE_METRIC
    assert win.reason == (
        "an engagement rate of 10%, 4.0x acme's usual 2.5% on its last 12 LinkedIn posts "
        "in the first 24 hours (110 interactions on 1,100 impressions)"
    )
    assert win.ratio == 4.0 and win.expected == 0.025
    assert win_strength(win) == "4x its usual engagement rate"
    async with service.db.engine.connect() as conn:
        details = (await conn.execute(select(wins.c.details))).scalar_one()
    assert details["metric"] == RATE_METRIC
    assert (details["engagement"], details["impressions"]) == (110, 1_100)
    assert details["compared"][0] == [details["compared"][0][0], 96, 4_000]
    assert len(details["compared"]) == 12


async def test_wins_why_explains_a_rate_win_with_the_compared_rates(
    service: WinsService,
) -> None:
    await service.ingest([*STEADY, post(12, 106, 1_100)])
    await service.detect()
    [win] = await service.wins(WinFilter())
    view = await service.why(win.id)
    assert isinstance(view, WhyView)
    assert view.facts[0] == (
        "An engagement rate of 10% in the first 24 hours: 110 interactions on 1,100 impressions."
    )
    assert view.facts[1].startswith("Its usual: 2.5%, the median rate of acme's last 12 LinkedIn")
    assert len(view.compared) == 12
    assert view.compared[0].label.endswith("2.6% (104 interactions on 4,000 impressions)")
    assert [p.label.split(" · ")[1] for p in view.compared if p.median] == [
        "2.5% (100 interactions on 4,000 impressions)",
        "2.5% (100 interactions on 4,000 impressions)",
    ]
    assert {p.url for p in view.compared} == {f"https://example.com/acme/{n}" for n in range(12)}


async def test_no_impressions_means_no_rate_and_an_ordinary_post_stays_quiet(
    service: WinsService,
) -> None:
    quiet = [post(n, 92 + n % 3 * 4, None, account="quiet") for n in range(13)]
    await service.ingest([*STEADY, post(12, 106, 4_100), *quiet])
    assert (await service.detect()).wins_added == 0

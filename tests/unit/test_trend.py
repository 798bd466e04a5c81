"""The 12-week yardstick, the honest-miss rule and the trend the charts draw: pure rules."""

from __future__ import annotations

from datetime import date, timedelta

from bot.domain.digest import compose_digest
from bot.domain.formatting import headline_value
from bot.domain.layout import digest_layout
from bot.domain.models import Audience, Platform
from bot.domain.periods import Period
from bot.domain.trend import (
    MAX_MISSES,
    chart_metric,
    chart_series,
    honest_misses,
    sparkline,
    usual,
)
from bot.domain.views import Headline, PeriodStats, PlatformWeek, TrendWeek

WEEK = Period(2026, 47, "Europe/London")
LEADERSHIP = Audience()
RECRUITING = Audience(name="recruiting", tags=("recruiting",))


def weeks(*per_week: dict[Platform, PlatformWeek], wins: int = 0) -> list[TrendWeek]:
    first = date(2026, 11, 16) - timedelta(weeks=len(per_week) - 1)
    return [
        TrendWeek(label=f"W{i}", starts_on=first + timedelta(weeks=i), platforms=numbers, wins=wins)
        for i, numbers in enumerate(per_week)
    ]


def steady(this_week: int, usual_value: int = 1_000, history: int = 12) -> list[TrendWeek]:
    """Instagram engagement at ``usual_value`` every week, then ``this_week``."""
    past = [{Platform.INSTAGRAM: PlatformWeek(engagement=usual_value)}] * history
    return weeks(*past, {Platform.INSTAGRAM: PlatformWeek(engagement=this_week)})


def test_usual_is_the_weekly_average_of_the_weeks_before_this_one() -> None:
    trend = weeks(
        *[{Platform.X: PlatformWeek(impressions=n)} for n in (100, 200, 300, 400)],
        {Platform.X: PlatformWeek(impressions=10_000)},
    )
    assert usual(trend, "impressions") == 250
    assert usual(trend, "impressions", Platform.X) == 250
    assert usual(trend, "impressions", Platform.LINKEDIN) is None  # never active


def test_usual_ignores_weeks_before_the_first_activity_and_needs_four_weeks() -> None:
    quiet = {Platform.X: PlatformWeek()}
    active = {Platform.X: PlatformWeek(engagement=80)}
    trend = weeks(*[quiet] * 8, *[active] * 4, active)
    assert usual(trend, "engagement") == 80  # not 80 * 4 / 12
    assert usual(weeks(*[quiet] * 9, *[active] * 3, active), "engagement") is None


def test_the_week_watching_began_is_nobodys_usual() -> None:
    """An import's old counts all land in its first week: 90,000 there is not a usual week."""
    began = {Platform.X: PlatformWeek(engagement=90_000, began=True)}
    active = {Platform.X: PlatformWeek(engagement=80)}
    trend = weeks(began, *[active] * 4, active)
    assert usual(trend, "engagement") == 80
    assert usual(trend, "engagement", Platform.X) == 80
    # A second account starting later on another platform takes that week out of the total,
    # not out of the first platform's own usual.
    added = {Platform.X: PlatformWeek(engagement=80), Platform.BLUESKY: PlatformWeek(
        engagement=5_000, began=True)}  # fmt: skip
    trend = weeks(*[active] * 4, added, active)
    assert usual(trend, "engagement") == 80
    assert usual(trend, "engagement", Platform.X) == 80
    assert usual(weeks(began, *[active] * 3, active), "engagement") is None  # 3 weeks left


def test_usual_counts_at_most_twelve_weeks() -> None:
    old = {Platform.X: PlatformWeek(engagement=1_000_000)}
    recent = {Platform.X: PlatformWeek(engagement=10)}
    assert usual(weeks(old, *[recent] * 12, recent), "engagement") == 10


def test_a_platform_well_below_its_usual_says_so_in_one_plain_line() -> None:
    assert honest_misses(steady(550), LEADERSHIP) == [
        "Instagram engagement 45% below its 12-week average (550 this week, usually 1k)"
    ]


def test_a_drop_under_forty_percent_is_noise_not_a_miss() -> None:
    assert honest_misses(steady(610), LEADERSHIP) == []  # 39% below
    assert honest_misses(steady(600), LEADERSHIP) != []  # 40% below


def test_tiny_numbers_are_never_flagged() -> None:
    # 90% below, but the usual is 50 interactions a week: under the 100 floor.
    assert honest_misses(steady(5, usual_value=50), LEADERSHIP) == []


def test_a_new_account_is_not_below_its_usual() -> None:
    assert honest_misses(steady(100, history=7), LEADERSHIP) == []
    assert honest_misses(steady(100, history=8), LEADERSHIP) != []


def test_a_department_hears_about_its_accounts_as_a_whole() -> None:
    trend = weeks(
        *[
            {
                Platform.X: PlatformWeek(engagement=600),
                Platform.BLUESKY: PlatformWeek(engagement=600),
            }
        ]
        * 12,
        {Platform.X: PlatformWeek(engagement=100), Platform.BLUESKY: PlatformWeek(engagement=900)},
    )
    # X alone fell 83%, but the department's engagement is 17% down: not a miss for it...
    assert honest_misses(trend, RECRUITING) == []
    # ...while leadership hears about the platform.
    assert honest_misses(trend, LEADERSHIP)[0].startswith("X engagement 83% below")
    whole = steady(300)
    assert honest_misses(whole, RECRUITING) == [
        "Engagement 70% below its 12-week average (300 this week, usually 1k)"
    ]


def test_one_line_per_platform_worst_first_and_at_most_three() -> None:
    platforms = [Platform.X, Platform.BLUESKY, Platform.LINKEDIN, Platform.MASTODON]
    usual_week = {p: PlatformWeek(engagement=1_000, impressions=50_000) for p in platforms}
    this_week = {
        p: PlatformWeek(engagement=500 - 100 * i, impressions=10_000)
        for i, p in enumerate(platforms)
    }
    lines = honest_misses(weeks(*[usual_week] * 12, this_week), LEADERSHIP)
    assert len(lines) == MAX_MISSES
    # Impressions fell 80% on every platform, engagement less: each line is the platform's worst.
    assert all("impressions 80% below" in line for line in lines)


def test_the_chart_shows_impressions_when_reported_else_engagement() -> None:
    with_reach = weeks({Platform.X: PlatformWeek(engagement=5, impressions=90)})
    without = weeks({Platform.X: PlatformWeek(engagement=5)})
    assert chart_metric(with_reach) == "impressions"
    assert chart_metric(without) == "engagement"


def test_chart_series_keeps_the_biggest_platforms_and_sums_the_rest() -> None:
    sizes = {Platform.X: 50, Platform.BLUESKY: 40, Platform.LINKEDIN: 30, Platform.MASTODON: 20,
             Platform.THREADS: 10}  # fmt: skip
    trend = weeks({p: PlatformWeek(engagement=n) for p, n in sizes.items()})
    assert chart_series(trend, "engagement") == [
        ("X", [50]), ("Bluesky", [40]), ("LinkedIn", [30]), ("Other", [30]),
    ]  # fmt: skip


def test_sparkline_spans_the_eight_steps() -> None:
    assert sparkline([0, 7, 14]) == "▁▅█"
    assert sparkline([3, 3]) == "██"  # bars start at zero: a steady week is not a flat zero
    assert sparkline([0, 0]) == "▁▁"
    assert sparkline([]) == ""


def test_headlines_compare_with_last_week_and_the_twelve_week_average() -> None:
    trend = steady(550)
    current = PeriodStats(posts=2, engagement=550, engagement_by_platform={Platform.INSTAGRAM: 550})
    previous = PeriodStats(engagement=1_000, engagement_by_platform={Platform.INSTAGRAM: 1_000})
    view = compose_digest(LEADERSHIP, WEEK, current, previous, [], [], [], trend=trend)

    engagement = next(h for h in view.headlines if h.label == "Engagement")
    assert engagement.usual == 1_000
    assert headline_value(engagement) == "550 (−45% on last week, −45% on the 12-week average)"
    assert view.misses == [
        "Instagram engagement 45% below its 12-week average (550 this week, usually 1k)"
    ]
    layout = digest_layout(view)
    assert layout.misses == tuple(view.misses)
    assert layout.trend is not None and layout.trend.totals[-1] == 550
    assert layout.trend.sentence.startswith("Engagement, last 13 weeks: ████████████▅")


def test_an_average_over_fewer_weeks_is_named_by_the_weeks_it_counts() -> None:
    """Nine weeks of history (the first one watching began) make an 8-week average, and every
    place that names it says so: the headline, the miss line, the sentence and the alt text."""
    began = {Platform.INSTAGRAM: PlatformWeek(engagement=90_000, began=True)}
    usual_week = {Platform.INSTAGRAM: PlatformWeek(engagement=1_000)}
    trend = weeks(began, *[usual_week] * 8, {Platform.INSTAGRAM: PlatformWeek(engagement=550)})
    current = PeriodStats(posts=2, engagement=550, engagement_by_platform={Platform.INSTAGRAM: 550})
    previous = PeriodStats(engagement=1_000, engagement_by_platform={Platform.INSTAGRAM: 1_000})
    view = compose_digest(LEADERSHIP, WEEK, current, previous, [], [], [], trend=trend)

    engagement = next(h for h in view.headlines if h.label == "Engagement")
    assert (engagement.usual, engagement.usual_weeks) == (1_000, 8)
    assert headline_value(engagement) == "550 (−45% on last week, −45% on the 8-week average)"
    assert view.misses == [
        "Instagram engagement 45% below its 8-week average (550 this week, usually 1k)"
    ]
    layout = digest_layout(view)
    assert layout.trend is not None and layout.trend.usual_weeks == 8
    assert layout.trend.sentence.endswith("this week 550, 8-week average 1k")
    assert "8-week average 1k." in layout.chart_alt and "12-week" not in layout.chart_alt


def test_without_a_trend_the_digest_reads_as_before() -> None:
    stats = PeriodStats(engagement=5, engagement_by_platform={Platform.X: 5})
    view = compose_digest(LEADERSHIP, WEEK, stats, stats, [], [], [])
    assert all(h.usual is None for h in view.headlines)
    assert headline_value(Headline(label="Engagement", value=5, previous=5)) == "5 (0%)"
    assert digest_layout(view).trend is None and view.misses == []


def test_a_quiet_week_lists_no_misses() -> None:
    view = compose_digest(LEADERSHIP, WEEK, PeriodStats(), PeriodStats(), [], [], [],
                          trend=steady(0))  # fmt: skip
    assert view.is_quiet and view.misses == []

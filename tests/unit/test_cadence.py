"""Monthly digests, purely: calendar months in a zone, the first <weekday> schedule, the texts.

The rule a leader can state: a monthly digest goes out on the first Monday of the month (or the
weekday chosen) at the chosen local time and covers the calendar month before, in the
subscription's own time zone. Weekly digests are unchanged.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from bot.domain.digest import compose_digest
from bot.domain.layout import QuietSection, WinsSection, digest_layout
from bot.domain.models import Audience, Cadence, Schedule
from bot.domain.periods import (
    Period,
    last_complete,
    last_complete_month,
    month,
    month_containing,
    parse_month,
    parse_period,
)
from bot.domain.schedules import first_weekday, last_due, next_due, period_for
from bot.domain.views import PeriodStats, TrendWeek

NOVEMBER = month(2026, 11, "Europe/London")


# --- periods ------------------------------------------------------------------------------------


def test_a_month_is_named_plainly_and_labelled_apart_from_any_week() -> None:
    assert NOVEMBER.describe() == "November 2026"
    assert NOVEMBER.label == "2026-11"
    assert NOVEMBER.noun == "month" and Period(2026, 47, "UTC").noun == "week"
    # The ledger key: a month's label can never equal a week's, whatever the numbers.
    assert {month(2026, n, "UTC").label for n in range(1, 13)}.isdisjoint(
        {Period(2026, w, "UTC").label for w in range(1, 53)}
    )


def test_weeks_read_as_before() -> None:
    week = Period(2026, 47, "Europe/London")
    assert (week.label, week.describe(), week.cadence) == ("2026-W47", "16–22 Nov 2026", "weekly")
    assert week.previous() == Period(2026, 46, "Europe/London")


@pytest.mark.parametrize(
    ("year", "number", "last"),
    [(2026, 1, 31), (2026, 2, 28), (2028, 2, 29), (2026, 4, 30), (2026, 12, 31)],
)
def test_month_ends_including_leap_years(year: int, number: int, last: int) -> None:
    period = month(year, number, "UTC")
    assert period.first_day == date(year, number, 1)
    assert period.last_day == date(year, number, last)
    assert period.end - period.start == timedelta(days=last)


def test_december_to_january_and_back() -> None:
    january = month(2027, 1, "America/Toronto")
    assert january.previous() == month(2026, 12, "America/Toronto")
    assert january.previous().end == january.start  # consecutive: no gap, no overlap
    assert month(2026, 12, "UTC").end == datetime(2027, 1, 1, tzinfo=UTC)


def test_a_month_starts_and_ends_at_local_midnight_in_its_zone() -> None:
    # Toronto is UTC-5 in November and December: the month runs 05:00 UTC to 05:00 UTC.
    toronto = month(2026, 11, "America/Toronto")
    assert toronto.start == datetime(2026, 11, 1, 4, 0, tzinfo=UTC)  # still EDT on 1 Nov
    assert toronto.end == datetime(2026, 12, 1, 5, 0, tzinfo=UTC)
    assert month(2026, 11, "Asia/Tokyo").start == datetime(2026, 10, 31, 15, 0, tzinfo=UTC)


def test_a_month_with_a_dst_change_is_an_hour_short_or_long() -> None:
    march = month(2026, 3, "Europe/London")  # clocks go forward on 29 March
    assert march.start == datetime(2026, 3, 1, 0, 0, tzinfo=UTC)
    assert march.end == datetime(2026, 3, 31, 23, 0, tzinfo=UTC)  # midnight BST
    assert march.end - march.start == timedelta(days=31, hours=-1)
    october = month(2026, 10, "Europe/London")  # clocks go back on 25 October
    assert october.end - october.start == timedelta(days=31, hours=1)


def test_the_last_complete_month_is_the_readers_not_the_servers() -> None:
    # 03:00 UTC on 1 December is still 30 November in Toronto: November is not over there.
    moment = datetime(2026, 12, 1, 3, 0, tzinfo=UTC)
    assert last_complete_month(moment, "UTC") == month(2026, 11, "UTC")
    assert last_complete_month(moment, "America/Toronto") == month(2026, 10, "America/Toronto")
    assert month_containing(moment, "Asia/Tokyo") == month(2026, 12, "Asia/Tokyo")
    assert last_complete(Cadence.MONTHLY, datetime(2027, 1, 4, 9, tzinfo=UTC), "UTC").label == (
        "2026-12"
    )
    assert last_complete(Cadence.WEEKLY, datetime(2026, 11, 23, 9, tzinfo=UTC), "UTC").label == (
        "2026-W47"
    )


def test_months_parse_and_mistakes_say_what_to_type() -> None:
    assert parse_month("2026-11", "UTC") == month(2026, 11, "UTC")
    assert parse_period(" 2026-11 ", "UTC") == month(2026, 11, "UTC")
    assert parse_period("2026-W47", "UTC") == Period(2026, 47, "UTC")
    with pytest.raises(ValueError, match="months are 1 to 12"):
        parse_month("2026-13", "UTC")
    with pytest.raises(ValueError, match="a month like 2026-11"):
        parse_month("Nov 2026", "UTC")
    with pytest.raises(ValueError, match="2026-W47 or a month like 2026-11"):
        parse_period("last month", "UTC")


# --- schedules ----------------------------------------------------------------------------------

MONTHLY_LONDON = Schedule(timezone="Europe/London", cadence=Cadence.MONTHLY)


def test_monthly_is_the_first_monday_at_the_time_covering_the_month_before() -> None:
    due = next_due(MONTHLY_LONDON, datetime(2026, 11, 23, tzinfo=UTC))
    assert due == datetime(2026, 12, 7, 9, 0, tzinfo=UTC)  # Monday 7 December, 09:00 GMT
    assert period_for(MONTHLY_LONDON, due) == month(2026, 11, "Europe/London")
    assert last_due(MONTHLY_LONDON, due) == due
    assert last_due(MONTHLY_LONDON, due - timedelta(seconds=1)) == datetime(
        2026, 11, 2, 9, 0, tzinfo=UTC
    )
    assert next_due(MONTHLY_LONDON, due) == datetime(2027, 1, 4, 9, 0, tzinfo=UTC)


def test_the_first_weekday_can_be_the_first_of_the_month() -> None:
    assert first_weekday(2026, 12, 1) == date(2026, 12, 1)  # a Tuesday
    assert first_weekday(2026, 12, 0) == date(2026, 12, 7)
    assert first_weekday(2027, 2, 0) == date(2027, 2, 1)
    tuesday = Schedule(weekday=1, time="09:00", timezone="UTC", cadence=Cadence.MONTHLY)
    due = next_due(tuesday, datetime(2026, 11, 30, tzinfo=UTC))
    assert due == datetime(2026, 12, 1, 9, 0, tzinfo=UTC)
    assert period_for(tuesday, due).label == "2026-11"  # the month that ended hours before


def test_december_to_january_rolls_the_year() -> None:
    december = datetime(2026, 12, 20, tzinfo=UTC)
    assert next_due(MONTHLY_LONDON, december) == datetime(2027, 1, 4, 9, 0, tzinfo=UTC)
    assert period_for(MONTHLY_LONDON, datetime(2027, 1, 4, 9, tzinfo=UTC)).label == "2026-12"
    january = datetime(2027, 1, 2, tzinfo=UTC)  # before January's first Monday
    assert last_due(MONTHLY_LONDON, january) == datetime(2026, 12, 7, 9, 0, tzinfo=UTC)


def test_monthly_keeps_the_wall_clock_across_dst() -> None:
    march = next_due(MONTHLY_LONDON, datetime(2026, 2, 10, tzinfo=UTC))
    april = next_due(MONTHLY_LONDON, march)
    assert march == datetime(2026, 3, 2, 9, 0, tzinfo=UTC)  # 09:00 GMT
    assert april == datetime(2026, 4, 6, 8, 0, tzinfo=UTC)  # 09:00 BST


def test_a_zone_ahead_of_utc_reports_its_own_month() -> None:
    tokyo = Schedule(weekday=0, time="08:00", timezone="Asia/Tokyo", cadence=Cadence.MONTHLY)
    due = next_due(tokyo, datetime(2026, 11, 30, tzinfo=UTC))
    assert due == datetime(2026, 12, 6, 23, 0, tzinfo=UTC)  # Monday 7 Dec 08:00 in Tokyo
    assert period_for(tokyo, due) == month(2026, 11, "Asia/Tokyo")


def test_schedules_describe_their_cadence() -> None:
    assert Schedule().describe() == "every Monday at 09:00 (UTC)"
    assert Schedule(weekday=1, time="08:30", cadence=Cadence.MONTHLY).describe() == (
        "on the first Tuesday of every month at 08:30 (UTC)"
    )


# --- the monthly digest -------------------------------------------------------------------------


def _trend(*values: int) -> list[TrendWeek]:
    return [
        TrendWeek(label=f"w{i}", starts_on=date(2026, 8, 1) + timedelta(weeks=i), wins=0)
        for i, _ in enumerate(values)
    ]


def test_a_monthly_digest_compares_with_the_month_before_and_has_no_weekly_trend() -> None:
    view = compose_digest(
        Audience(), NOVEMBER, PeriodStats(posts=4, impressions=2_000, engagement=300),
        PeriodStats(posts=3, impressions=1_000, engagement=100), [], [], [],
        trend=_trend(*range(13)),
    )  # fmt: skip
    assert (view.period_label, view.period_text, view.cadence) == (
        "2026-11", "November 2026", Cadence.MONTHLY,
    )  # fmt: skip
    assert view.trend == [] and view.misses == []
    assert all(h.usual is None for h in view.headlines)
    assert view.so_what is not None and view.so_what.startswith("Impressions up 100%")
    assert "on last month" in view.so_what and "week" not in view.so_what
    layout = digest_layout(view)
    assert layout.trend is None and layout.period.noun == "month"
    [wins] = [s for s in layout.sections if isinstance(s, WinsSection)]
    assert wins.empty_text == "No wins this month: no post beat its account's usual numbers."


def test_an_empty_month_says_so_briefly_in_its_own_words() -> None:
    view = compose_digest(Audience(), NOVEMBER, PeriodStats(), PeriodStats(), [], [], [])
    assert view.quiet_message is not None
    assert view.quiet_message.startswith("A quiet month (November 2026): no posts from our")
    [quiet] = [s for s in digest_layout(view).sections if isinstance(s, QuietSection)]
    assert quiet.heading == "Quiet month"
    weekly = compose_digest(
        Audience(), Period(2026, 47, "UTC"), PeriodStats(), PeriodStats(), [], [], []
    )
    [quiet] = [s for s in digest_layout(weekly).sections if isinstance(s, QuietSection)]
    assert quiet.heading == "Quiet week"


def test_the_terminal_names_the_month_in_its_numbers_table() -> None:
    from rich.console import Console

    from bot.cli.render import render_digest

    view = compose_digest(
        Audience(), NOVEMBER, PeriodStats(posts=2, engagement=50), PeriodStats(posts=1), [], [], []
    )
    console = Console(record=True, width=160, color_system=None)
    render_digest(view, console)
    text = console.export_text()
    assert "November 2026 (2026-11)" in text
    assert "This month in numbers" in text and "Last month" in text
    assert "week" not in text.lower()

"""Reporting periods: ISO weeks in the reader's time zone, across DST changes."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from bot.domain.periods import last_complete_week, parse_span, parse_week, week_containing


def test_iso_week_in_a_time_zone_starts_at_local_midnight() -> None:
    week = parse_week("2026-W47", "America/Toronto")
    assert week.start == datetime(2026, 11, 16, 5, 0, tzinfo=UTC)
    assert week.end - week.start == timedelta(days=7)
    assert week.describe() == "16–22 Nov 2026"


def test_week_with_a_dst_change_is_one_hour_shorter() -> None:
    week = parse_week("2026-W13", "Europe/London")  # clocks go forward on 29 March 2026
    assert week.end - week.start == timedelta(days=7) - timedelta(hours=1)


def test_monday_morning_reports_on_the_previous_week() -> None:
    monday = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)
    assert last_complete_week(monday, "UTC").label == "2026-W47"
    # Still Sunday evening in Toronto: the week being reported is the one before.
    early = datetime(2026, 11, 23, 3, 0, tzinfo=UTC)
    assert week_containing(early, "America/Toronto").label == "2026-W47"
    assert last_complete_week(early, "America/Toronto").label == "2026-W46"


def test_previous_week_crosses_the_year() -> None:
    assert parse_week("2027-W01", "UTC").previous().label == "2026-W53"


@pytest.mark.parametrize("bad", ["2026-47", "W47", "2026-W54", "last week"])
def test_bad_weeks_say_what_to_type(bad: str) -> None:
    with pytest.raises(ValueError, match=r"2026-W47|no ISO week"):
        parse_week(bad, "UTC")


def test_spans() -> None:
    assert parse_span("7d") == timedelta(days=7)
    assert parse_span("24h") == timedelta(hours=24)
    assert parse_span("2w") == timedelta(days=14)
    with pytest.raises(ValueError, match="7d, 30d"):
        parse_span("seven days")

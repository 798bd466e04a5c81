"""Digest schedules: due times in each channel's zone, stable across daylight-saving changes."""

from __future__ import annotations

from datetime import UTC, datetime

from bot.domain.models import Schedule
from bot.domain.schedules import last_due, next_due, period_for

MONDAY_9_TORONTO = Schedule(weekday=0, time="09:00", timezone="America/Toronto")


def test_monday_nine_in_toronto_is_fourteen_utc_in_winter() -> None:
    now = datetime(2026, 11, 23, 14, 30, tzinfo=UTC)  # Monday 09:30 in Toronto
    assert last_due(MONDAY_9_TORONTO, now) == datetime(2026, 11, 23, 14, 0, tzinfo=UTC)
    assert next_due(MONDAY_9_TORONTO, now) == datetime(2026, 11, 30, 14, 0, tzinfo=UTC)
    assert period_for(MONDAY_9_TORONTO, last_due(MONDAY_9_TORONTO, now)).label == "2026-W47"


def test_just_before_the_time_the_last_one_was_a_week_ago() -> None:
    now = datetime(2026, 11, 23, 13, 59, tzinfo=UTC)
    assert last_due(MONDAY_9_TORONTO, now) == datetime(2026, 11, 16, 14, 0, tzinfo=UTC)


def test_nine_local_stays_nine_local_across_the_dst_change() -> None:
    london = Schedule(weekday=0, time="09:00", timezone="Europe/London")
    winter = next_due(london, datetime(2026, 3, 20, tzinfo=UTC))  # clocks go forward 29 March
    summer = next_due(london, winter)
    assert winter == datetime(2026, 3, 23, 9, 0, tzinfo=UTC)  # 09:00 GMT
    assert summer == datetime(2026, 3, 30, 8, 0, tzinfo=UTC)  # 09:00 BST
    assert (summer - winter).total_seconds() == 7 * 86400 - 3600


def test_other_weekdays_and_times() -> None:
    friday = Schedule(weekday=4, time="17:30", timezone="Asia/Tokyo")
    now = datetime(2026, 11, 23, 0, 0, tzinfo=UTC)  # Monday 09:00 in Tokyo
    assert last_due(friday, now) == datetime(2026, 11, 20, 8, 30, tzinfo=UTC)

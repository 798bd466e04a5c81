"""When digests are due: a weekday and a local time in an IANA zone, DST included.

Computed from local calendar dates, not by adding hours to UTC, so a Monday 09:00 digest stays
at 09:00 local across a daylight-saving change.
"""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

from bot.domain.models import Schedule
from bot.domain.periods import Period, last_complete_week


def _local_time(schedule: Schedule) -> time:
    hours, minutes = (int(part) for part in schedule.time.split(":"))
    return time(hours, minutes)


def occurrence_on(day: datetime, schedule: Schedule) -> datetime:
    """The schedule's moment on ``day``'s local date, as a UTC instant."""
    zone = ZoneInfo(schedule.timezone)
    local = datetime.combine(day.astimezone(zone).date(), _local_time(schedule), tzinfo=zone)
    # A time inside a spring-forward gap does not exist; ZoneInfo resolves it like the wall
    # clock does (one hour later), which is what a person would expect.
    return local.astimezone(UTC)


def last_due(schedule: Schedule, now: datetime) -> datetime:
    """The most recent scheduled moment at or before ``now``."""
    zone = ZoneInfo(schedule.timezone)
    local_now = now.astimezone(zone)
    days_back = (local_now.weekday() - schedule.weekday) % 7
    candidate_day = local_now - timedelta(days=days_back)
    candidate = occurrence_on(candidate_day, schedule)
    if candidate > now:
        candidate = occurrence_on(candidate_day - timedelta(days=7), schedule)
    return candidate


def next_due(schedule: Schedule, now: datetime) -> datetime:
    """The next scheduled moment strictly after ``now``."""
    zone = ZoneInfo(schedule.timezone)
    local_now = now.astimezone(zone)
    days_ahead = (schedule.weekday - local_now.weekday()) % 7
    candidate = occurrence_on(local_now + timedelta(days=days_ahead), schedule)
    if candidate <= now:
        candidate = occurrence_on(local_now + timedelta(days=days_ahead + 7), schedule)
    return candidate


def period_for(schedule: Schedule, due: datetime) -> Period:
    """The week a digest due at ``due`` reports on: the last complete week, in its own zone."""
    return last_complete_week(due, schedule.timezone)

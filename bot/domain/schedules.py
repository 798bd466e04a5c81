"""When digests are due: a weekday and a local time in an IANA zone, DST included.

Weekly: every such weekday. Monthly: the first such weekday of each month (the first Monday by
default), covering the calendar month before. The first Monday, not the 1st: a leader's
monthly digest should arrive on a working morning, as the weekly one does, never on a
Saturday; and the first weekday of a month always falls after the month it reports on ended.

Computed from local calendar dates, not by adding hours to UTC, so a Monday 09:00 digest stays
at 09:00 local across a daylight-saving change.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from bot.domain.models import Cadence, Schedule
from bot.domain.periods import Period, last_complete


def _local_time(schedule: Schedule) -> time:
    hours, minutes = (int(part) for part in schedule.time.split(":"))
    return time(hours, minutes)


def occurrence_on(day: datetime, schedule: Schedule) -> datetime:
    """The schedule's moment on ``day``'s local date, as a UTC instant."""
    zone = ZoneInfo(schedule.timezone)
    return _at(day.astimezone(zone).date(), schedule)


def _at(day: date, schedule: Schedule) -> datetime:
    local = datetime.combine(day, _local_time(schedule), tzinfo=ZoneInfo(schedule.timezone))
    # A time inside a spring-forward gap does not exist; ZoneInfo resolves it like the wall
    # clock does (one hour later), which is what a person would expect.
    return local.astimezone(UTC)


def first_weekday(year: int, month: int, weekday: int) -> date:
    """The first ``weekday`` (0 = Monday) of a month: always one of its first seven days."""
    first = date(year, month, 1)
    return first + timedelta(days=(weekday - first.weekday()) % 7)


def _monthly(schedule: Schedule, year: int, month: int) -> datetime:
    """A monthly schedule's moment in a month (``month`` may run past 12 or below 1)."""
    year, index = divmod(year * 12 + month - 1, 12)
    return _at(first_weekday(year, index + 1, schedule.weekday), schedule)


def last_due(schedule: Schedule, now: datetime) -> datetime:
    """The most recent scheduled moment at or before ``now``."""
    local_now = now.astimezone(ZoneInfo(schedule.timezone))
    if schedule.cadence is Cadence.MONTHLY:
        candidate = _monthly(schedule, local_now.year, local_now.month)
        if candidate > now:
            candidate = _monthly(schedule, local_now.year, local_now.month - 1)
        return candidate
    days_back = (local_now.weekday() - schedule.weekday) % 7
    candidate_day = local_now - timedelta(days=days_back)
    candidate = occurrence_on(candidate_day, schedule)
    if candidate > now:
        candidate = occurrence_on(candidate_day - timedelta(days=7), schedule)
    return candidate


def next_due(schedule: Schedule, now: datetime) -> datetime:
    """The next scheduled moment strictly after ``now``."""
    local_now = now.astimezone(ZoneInfo(schedule.timezone))
    if schedule.cadence is Cadence.MONTHLY:
        candidate = _monthly(schedule, local_now.year, local_now.month)
        if candidate <= now:
            candidate = _monthly(schedule, local_now.year, local_now.month + 1)
        return candidate
    days_ahead = (schedule.weekday - local_now.weekday()) % 7
    candidate = occurrence_on(local_now + timedelta(days=days_ahead), schedule)
    if candidate <= now:
        candidate = occurrence_on(local_now + timedelta(days=days_ahead + 7), schedule)
    return candidate


def period_for(schedule: Schedule, due: datetime) -> Period:
    """What a digest due at ``due`` reports on: the last complete week, or calendar month, in
    the schedule's own zone."""
    return last_complete(schedule.cadence, due, schedule.timezone)

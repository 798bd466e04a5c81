"""Reporting periods: ISO weeks in a time zone, so "last week" means the reader's week."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

_WEEK = re.compile(r"^\s*(\d{4})-?W(\d{1,2})\s*$", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class Period:
    """One ISO week in one time zone; ``start``/``end`` are UTC instants, end exclusive."""

    year: int
    week: int
    tz: str

    @property
    def label(self) -> str:
        return f"{self.year}-W{self.week:02d}"

    @property
    def first_day(self) -> date:
        return date.fromisocalendar(self.year, self.week, 1)

    @property
    def last_day(self) -> date:
        return self.first_day + timedelta(days=6)

    @property
    def start(self) -> datetime:
        return _local_midnight(self.first_day, self.tz)

    @property
    def end(self) -> datetime:
        return _local_midnight(self.first_day + timedelta(days=7), self.tz)

    def previous(self) -> Period:
        year, week, _ = (self.first_day - timedelta(days=7)).isocalendar()
        return Period(year, week, self.tz)

    def describe(self) -> str:
        first, last = self.first_day, self.last_day
        if first.month == last.month:
            return f"{first:%-d}–{last:%-d} {last:%b %Y}"
        return f"{first:%-d %b}–{last:%-d %b %Y}"


def _local_midnight(day: date, tz: str) -> datetime:
    # Midnight in the zone, converted to UTC: a DST change inside the week stays correct.
    return datetime.combine(day, time(0), tzinfo=ZoneInfo(tz)).astimezone(UTC)


def parse_week(text: str, tz: str) -> Period:
    """Parse ``2026-W47`` (or ``2026W47``); the error says what to type instead."""
    match = _WEEK.match(text)
    if not match:
        raise ValueError(f"expected an ISO week like 2026-W47, got {text!r}")
    year, week = int(match.group(1)), int(match.group(2))
    try:
        date.fromisocalendar(year, week, 1)
    except ValueError:
        raise ValueError(f"{year} has no ISO week {week}") from None
    return Period(year, week, tz)


def week_containing(moment: datetime, tz: str) -> Period:
    year, week, _ = moment.astimezone(ZoneInfo(tz)).isocalendar()
    return Period(year, week, tz)


def last_complete_week(now: datetime, tz: str) -> Period:
    """The week a Monday-morning digest reports on: the one before the current local week."""
    return week_containing(now, tz).previous()


_SPAN = re.compile(r"^\s*(\d{1,4})\s*([hdwm])\s*$", re.IGNORECASE)
_SPAN_UNITS = {"h": timedelta(hours=1), "d": timedelta(days=1), "w": timedelta(weeks=1)}


def parse_span(text: str) -> timedelta:
    """``24h``, ``7d``, ``2w``, ``3m`` (30-day months) -> a timedelta; errors say what works."""
    match = _SPAN.match(text)
    if not match:
        raise ValueError(f"expected a span like 7d, 30d, 2w or 24h, got {text!r}")
    count, unit = int(match.group(1)), match.group(2).lower()
    if count == 0:
        raise ValueError("a span must be at least 1 (e.g. 7d)")
    return count * (_SPAN_UNITS[unit] if unit != "m" else timedelta(days=30))

"""Reporting periods: ISO weeks or calendar months in a time zone, so "last week" and "last
month" mean the reader's week and month, whatever the server's clock says."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from bot.domain.models import Cadence

_WEEK = re.compile(r"^\s*(\d{4})-?W(\d{1,2})\s*$", re.IGNORECASE)
_MONTH = re.compile(r"^\s*(\d{4})-(\d{1,2})\s*$")


@dataclass(frozen=True, slots=True)
class Period:
    """One ISO week, or one calendar month, in one time zone.

    ``number`` is the ISO week (weekly) or the month, 1-12 (monthly). ``start``/``end`` are
    UTC instants of local midnights, end exclusive, so a month or week spanning a DST change
    still starts and ends at midnight on the reader's clock. One type for both cadences: the
    digest, the store and the delivery ledger only need the edges, the label and the text.
    """

    year: int
    number: int
    tz: str
    cadence: Cadence = Cadence.WEEKLY

    @property
    def weekly(self) -> bool:
        return self.cadence is Cadence.WEEKLY

    @property
    def label(self) -> str:
        """ "2026-W47" or "2026-11": unique per cadence, so it keys the delivery ledger."""
        if self.weekly:
            return f"{self.year}-W{self.number:02d}"
        return f"{self.year}-{self.number:02d}"

    @property
    def noun(self) -> str:
        return self.cadence.noun

    @property
    def first_day(self) -> date:
        if self.weekly:
            return date.fromisocalendar(self.year, self.number, 1)
        return date(self.year, self.number, 1)

    @property
    def last_day(self) -> date:
        return self._next_first_day - timedelta(days=1)

    @property
    def _next_first_day(self) -> date:
        if self.weekly:
            return self.first_day + timedelta(days=7)
        year, month = divmod(self.year * 12 + self.number, 12)  # number is 1-12: no -1 needed
        return date(year, month + 1, 1)

    @property
    def start(self) -> datetime:
        return _local_midnight(self.first_day, self.tz)

    @property
    def end(self) -> datetime:
        return _local_midnight(self._next_first_day, self.tz)

    def previous(self) -> Period:
        if self.weekly:
            year, week, _ = (self.first_day - timedelta(days=7)).isocalendar()
            return Period(year, week, self.tz)
        before = self.first_day - timedelta(days=1)
        return Period(before.year, before.month, self.tz, Cadence.MONTHLY)

    def describe(self) -> str:
        """ "16–22 Nov 2026" for a week, "November 2026" for a month: as people name them."""
        if not self.weekly:
            return f"{self.first_day:%B %Y}"
        first, last = self.first_day, self.last_day
        if first.month == last.month:
            return f"{first:%-d}–{last:%-d} {last:%b %Y}"
        return f"{first:%-d %b}–{last:%-d %b %Y}"


def month(year: int, number: int, tz: str) -> Period:
    """A calendar month, checked: ``month(2026, 11, "Europe/London")``."""
    if not 1 <= number <= 12:
        raise ValueError(f"there is no month {number}; months are 1 to 12")
    return Period(year, number, tz, Cadence.MONTHLY)


def _local_midnight(day: date, tz: str) -> datetime:
    # Midnight in the zone, converted to UTC: a DST change inside the period stays correct.
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


def parse_month(text: str, tz: str) -> Period:
    """Parse ``2026-11``; the error says what to type instead."""
    match = _MONTH.match(text)
    if not match:
        raise ValueError(f"expected a month like 2026-11, got {text!r}")
    return month(int(match.group(1)), int(match.group(2)), tz)


def parse_period(text: str, tz: str) -> Period:
    """A week (``2026-W47``) or a month (``2026-11``), as `digest send --period` takes them."""
    if _WEEK.match(text):
        return parse_week(text, tz)
    if _MONTH.match(text):
        return parse_month(text, tz)
    raise ValueError(f"expected an ISO week like 2026-W47 or a month like 2026-11, got {text!r}")


def week_containing(moment: datetime, tz: str) -> Period:
    year, week, _ = moment.astimezone(ZoneInfo(tz)).isocalendar()
    return Period(year, week, tz)


def month_containing(moment: datetime, tz: str) -> Period:
    local = moment.astimezone(ZoneInfo(tz))
    return Period(local.year, local.month, tz, Cadence.MONTHLY)


def last_complete_week(now: datetime, tz: str) -> Period:
    """The week a Monday-morning digest reports on: the one before the current local week."""
    return week_containing(now, tz).previous()


def last_complete_month(now: datetime, tz: str) -> Period:
    """The month a monthly digest reports on: the one before the current local month."""
    return month_containing(now, tz).previous()


def last_complete(cadence: Cadence, now: datetime, tz: str) -> Period:
    """The last complete week or month at ``now`` in ``tz``."""
    if cadence is Cadence.MONTHLY:
        return last_complete_month(now, tz)
    return last_complete_week(now, tz)


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

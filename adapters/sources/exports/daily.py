"""Exports that hold an account's totals per day rather than one row per post.

X's overview export (account_overview_analytics.csv), its older daily tweet activity export
(daily_tweet_activity_metrics_*.csv) and LinkedIn's content metrics sheet look like post
exports (a date, impressions, likes) but each row is a day of the whole account. Their counts
cannot become posts, and winsbot's model has no account-level daily figures besides followers
(which these files do not hold: "New follows" is a day's gain, not a count of followers). So
such a file is recognised and refused with a message that says what it is and which export to
take instead, rather than "not an export winsbot recognises".
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from .aliases import normalise
from .errors import UnknownFormatError


class DailyTotalsError(UnknownFormatError):
    """The file holds per-day account totals, not posts: nothing in it can be imported."""


@dataclass(frozen=True)
class DailyTotals:
    """One kind of per-day export, known by columns that only it has together."""

    title: str
    instead: str  # which export to take instead, in the tool's own words
    # Any one of these sets of headers, all present, marks the export.
    signatures: tuple[frozenset[str], ...]

    def matches(self, header: Iterable[str]) -> bool:
        cells = {normalise(cell) for cell in header}
        return any(signature <= cells for signature in self.signatures)


def _signature(*headers: str) -> frozenset[str]:
    return frozenset(normalise(header) for header in headers)


DAILY_EXPORTS: tuple[DailyTotals, ...] = (
    DailyTotals(
        title="X's account overview (account_overview_analytics.csv)",
        instead=(
            "In X analytics, export the Content (posts) table instead: "
            "account_analytics_content_<from>_<to>.csv."
        ),
        signatures=(
            _signature("Date", "Impressions", "New follows", "Unfollows"),
            _signature("Date", "インプレッション数", "新しいフォロー", "フォロー解除"),
        ),
    ),
    DailyTotals(
        title="X/Twitter's daily tweet activity (daily_tweet_activity_metrics_*.csv)",
        instead=(
            "In the tweet activity dashboard, export the data by Tweet instead of by day: "
            "tweet_activity_metrics_<handle>_<from>_<to>_en.csv."
        ),
        signatures=(
            _signature("Date", "Tweets published", "impressions"),
            _signature("日付", "Tweets published", "インプレッション"),
        ),
    ),
    DailyTotals(
        title="LinkedIn's daily page metrics (the Metrics or Update metrics sheet)",
        instead=(
            "Export the page's content (posts) from LinkedIn and import the workbook as it is: "
            "its All posts sheet has one row per post."
        ),
        signatures=(
            _signature("Date", "Impressions (organic)"),
            _signature("Date", "Impressions (total)"),
            _signature("Fecha", "Impresiones (orgánicas)"),
        ),
    ),
)


def daily_totals_error(path: Path, headers: Sequence[Sequence[str]]) -> DailyTotalsError | None:
    """The error for a file whose header is one of a per-day export's, else None."""
    for daily in DAILY_EXPORTS:
        if any(daily.matches(header) for header in headers):
            return DailyTotalsError(
                f"{path.name} holds {daily.title}: one row per day with the whole account's "
                "totals, not one row per post. winsbot keeps each post's numbers, so there is "
                f"nothing in this file it can import.\n{daily.instead}"
            )
    return None

"""What the store will hold: the bounds every record from outside must keep, whatever its source.

Exports check these cell by cell as they parse (``adapters/sources/exports/values.py`` reads the
same constants). API sources parse documented JSON with pydantic, but a platform's JSON is still
outside input: a NUL in a post's text sinks the whole batch on PostgreSQL, a count past 64 bits
sinks it everywhere, and a stored year-9999 date once made every later detection overflow.
``admit`` holds every record to the bounds before it is stored, so no source can poison the
store, and turns the ones that cannot be kept into problems the poll report names.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace
from datetime import UTC, datetime, timedelta

from bot.domain.models import FollowerRecord, Metrics, RowProblem, SnapshotRecord, SourceItem

# The largest count a record may hold: fifty times the most any post has been seen (the
# most-watched video has under 2e10 views), and small enough that what is built from counts
# stays far inside 64 bits: engagement adds six counts per row, and a digest adds a week's
# engagement with SQL SUM, which stops with "integer overflow" on SQLite past 2**63 - 1.
MAX_COUNT = 10**12
# Account handles and post ids are String(200) in bot/store/tables.py (the domain does not
# import the store; tests/importing/test_bad_input.py checks the two agree). PostgreSQL refuses
# a longer one, and would refuse its whole batch with it.
MAX_NAME_LENGTH = 200
# No network winsbot reads existed before 2003 (LinkedIn, the oldest, launched in May 2003): an
# earlier date is not the date it claims to be.
EARLIEST = datetime(2003, 1, 1, tzinfo=UTC)
# How far after now a date may lie: a local time read as UTC, or a clock a little fast.
# Further on it is a typo (9999-12-31 is a spreadsheet's "no date").
FUTURE_SLACK = timedelta(days=1)
_SHOWN = 40


def admit(items: Iterable[SourceItem], *, now: datetime) -> list[SourceItem]:
    """The items with each record inside the bounds, or replaced by the problem that stops it.

    Free text (a post's text and link) loses its NUL characters rather than the record: a NUL
    there is damage, not meaning, and the counts are still good. An id, a date or a count out of
    bounds cannot be repaired without guessing, so that record becomes a ``RowProblem``.
    """
    latest = now + FUTURE_SLACK
    admitted: list[SourceItem] = []
    for item in items:
        if isinstance(item, SnapshotRecord):
            admitted.append(_snapshot(item, latest))
        elif isinstance(item, FollowerRecord):
            admitted.append(_followers(item, latest))
        else:
            admitted.append(item)
    return admitted


def _snapshot(record: SnapshotRecord, latest: datetime) -> SnapshotRecord | RowProblem:
    where = f"{record.platform.label} {_shown(record.account)} post {_shown(record.post_id)}"
    problem = (
        _name_problem("account", record.account)
        or _name_problem("post id", record.post_id)
        or _date_problem("published", record.published_at, latest)
        or (record.captured_at and _date_problem("captured", record.captured_at, latest))
        or _metrics_problem(record.metrics)
        or _count_problem("followers", record.followers)
    )
    if problem:
        return RowProblem(line=0, reason=f"{where}: {problem}")
    text, url = _without_nul(record.text), _without_nul(record.url)
    if text is record.text and url is record.url:
        return record
    return replace(record, text=text, url=url)


def _followers(record: FollowerRecord, latest: datetime) -> FollowerRecord | RowProblem:
    problem = (
        _name_problem("account", record.account)
        or _date_problem("captured", record.captured_at, latest)
        or _count_problem("followers", record.followers)
    )
    if problem:
        where = f"{record.platform.label} {_shown(record.account)} followers"
        return RowProblem(line=0, reason=f"{where}: {problem}")
    return record


def _name_problem(what: str, value: str) -> str | None:
    if not value:
        return f"the {what} is empty"
    if len(value) > MAX_NAME_LENGTH:
        return f"the {what} is longer than the {MAX_NAME_LENGTH} characters winsbot keeps"
    if "\x00" in value:
        return f"the {what} contains a NUL character"
    return None


def _date_problem(what: str, moment: datetime, latest: datetime) -> str | None:
    if moment.tzinfo is None:
        return f"the {what} time has no time zone"
    if not EARLIEST <= moment <= latest:
        return f"{what} {moment.isoformat()}, which is not a date a post can have"
    return None


def _metrics_problem(metrics: Metrics) -> str | None:
    for name in Metrics.__slots__:
        problem = _count_problem(name.replace("_", " "), getattr(metrics, name))
        if problem:
            return problem
    return None


def _count_problem(what: str, value: int | None) -> str | None:
    if value is None or 0 <= value <= MAX_COUNT:
        return None
    return f"{what} {value} is not a count (0 to {MAX_COUNT:,})"


def _without_nul(text: str | None) -> str | None:
    return text.replace("\x00", "") if text is not None and "\x00" in text else text


def _shown(text: str) -> str:
    return repr(text) if len(text) <= _SHOWN else f"{text[:_SHOWN]!r}…"

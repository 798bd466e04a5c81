"""Turning one export row into a record.

Everything that depends only on the header (which column feeds which field, the platform when
the file implies it, the date parser) is worked out once per file in ``RowBuilder.__init__``;
``build`` then does the least per row, because a canonical import may stream a million rows.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from bot.models import (
    METRIC_NAMES,
    FollowerRecord,
    Metrics,
    Platform,
    RowProblem,
    SnapshotRecord,
    SourceItem,
    parse_platform,
)

from .errors import MissingAccountError
from .formats import Column, Columns, ExportFormat, normalise
from .values import CellError, DateParser, parse_count

_SLOTS = {name: slot for slot, name in enumerate(METRIC_NAMES)}


class RowBuilder:
    """Builds the records of one file, whose header was matched to ``fmt``."""

    def __init__(
        self,
        fmt: ExportFormat,
        columns: Columns,
        account: str | None = None,
        platform: Platform | None = None,
    ) -> None:
        self._columns = columns
        self._width = 1 + max(column.index for found in columns.values() for column in found)
        self._dates = DateParser(fmt.date_formats, fmt.date_example)
        self._metric_columns = [
            (_SLOTS[name], column.index, column.header)
            for name in METRIC_NAMES
            for column in columns.get(name, ())
        ]
        self._metric_headers = ", ".join(repr(header) for _, _, header in self._metric_columns)
        self._post_id = self._indexes("post_id")
        self._url = self._indexes("url")
        self._text = self._indexes("text")
        self._published = self._indexes("published_at")
        self._captured = self._indexes("captured_at")
        self._followers = self._indexes("followers")
        self._post_id_from_url = fmt.post_id_from_url

        self._account = account
        self._account_columns = () if account else self._indexes("account")
        self._account_from_url = None if account or self._account_columns else fmt.account_from_url
        self._missing_account = fmt.missing_account
        if not (account or self._account_columns or (self._account_from_url and self._url)):
            raise MissingAccountError(fmt.missing_account)

        implied = [
            fmt.platform_by_header[key]
            for key in (normalise(column.header) for found in columns.values() for column in found)
            if key in fmt.platform_by_header
        ]
        self._platform = platform or (implied[0] if implied else fmt.platform)
        self._platform_columns = () if platform else self._indexes("platform")
        self._platform_by_url = () if platform or implied else fmt.platform_by_url
        self._known_platforms: dict[str, Platform] = {}

    def _indexes(self, name: str) -> tuple[int, ...]:
        return tuple(column.index for column in self._columns.get(name, ()))

    def _header(self, name: str) -> str:
        found: Sequence[Column] = self._columns.get(name, ())
        return found[0].header if found else name

    def build(self, row: list[str], line: int) -> SourceItem | None:
        """The row's record, a RowProblem saying what is wrong with it, or None for a blank row."""
        if len(row) < self._width:
            if not any(row):
                return None
            row = row + [""] * (self._width - len(row))
        try:
            return self._build(row, line)
        except CellError as problem:
            return RowProblem(line, str(problem))

    def _build(self, row: list[str], line: int) -> SourceItem | None:
        values: list[int | None] = [None] * len(METRIC_NAMES)
        for slot, index, header in self._metric_columns:
            if values[slot] is None:
                text = row[index]
                if text:
                    value: int | None
                    try:
                        value = int(text)
                        if value < 0:
                            raise ValueError(text)
                    except ValueError:
                        value = _count(text, header)
                    values[slot] = value
        url = _first(row, self._url)
        post_id = _first(row, self._post_id)
        if not post_id and url and self._post_id_from_url:
            post_id = self._post_id_from_url(url) or ""
        if not post_id:
            if not any(cell.strip() for cell in row):
                return None
            return self._without_post_id(row, line)
        if "E+" in post_id:
            return RowProblem(
                line,
                f"column {self._header('post_id')!r}: the id {post_id!r} was rounded by a "
                "spreadsheet; export again and import the file without opening it in Excel",
            )
        account = self._account_of(row, url)
        if account is None:
            return RowProblem(line, self._missing_account)
        platform = self._platform_of(row, url)
        published = _first(row, self._published)
        if not published:
            return RowProblem(line, f"column {self._header('published_at')!r} is empty")
        published_at = self._date(published, "published_at")
        if values.count(None) == len(values):
            return RowProblem(line, f"no metric reported: {self._metric_headers} are all empty")
        captured = _first(row, self._captured)
        return SnapshotRecord(
            platform,
            account,
            post_id,
            published_at,
            Metrics(*values),
            url or None,
            _first(row, self._text) or None,
            self._count_of(row, "followers", self._followers),
            self._date(captured, "captured_at") if captured else None,
        )

    def _without_post_id(self, row: list[str], line: int) -> SourceItem:
        """A canonical row with followers but no post is the account's follower count."""
        followers = self._count_of(row, "followers", self._followers)
        when = _first(row, self._captured) or _first(row, self._published)
        account = self._account_of(row, None)
        if followers is not None and when and account:
            captured_at = self._date(when, "captured_at" if self._captured else "published_at")
            return FollowerRecord(self._platform_of(row, None), account, captured_at, followers)
        return RowProblem(line, f"no post id: column {self._header('post_id')!r} is empty")

    def _date(self, text: str, name: str) -> datetime:
        try:
            return self._dates(text)
        except CellError as problem:
            raise CellError(f"column {self._header(name)!r}: {problem}") from None

    def _count_of(self, row: list[str], name: str, indexes: tuple[int, ...]) -> int | None:
        for index in indexes:
            text = row[index]
            if text:
                value = _count(text, self._header(name))
                if value is not None:
                    return value
        return None

    def _account_of(self, row: list[str], url: str | None) -> str | None:
        if self._account:
            return self._account
        account = _first(row, self._account_columns)
        if not account and url and self._account_from_url:
            account = self._account_from_url(url) or ""
        return account or None

    def _platform_of(self, row: list[str], url: str | None) -> Platform:
        if self._platform_columns:
            name = _first(row, self._platform_columns)
            known = self._known_platforms.get(name)
            if known is None:
                try:
                    known = self._known_platforms[name] = parse_platform(name)
                except ValueError as problem:
                    header = self._header("platform")
                    raise CellError(f"column {header!r}: {problem}") from None
            return known
        if url:
            for marker, platform in self._platform_by_url:
                if marker in url:
                    return platform
        if self._platform is None:
            raise CellError("the row does not say which platform it is from: pass --platform")
        return self._platform


def _first(row: list[str], indexes: tuple[int, ...]) -> str:
    for index in indexes:
        text = row[index].strip()
        if text:
            return text
    return ""


def _count(text: str, header: str) -> int | None:
    try:
        return parse_count(text)
    except CellError as problem:
        raise CellError(f"column {header!r}: {problem}") from None

"""Turning one export row into a record.

Everything that depends only on the header (which column feeds which field, the platform when
the file implies it, the date parser) is worked out once per file in ``RowBuilder.__init__``;
``build`` then does the least per row, because a canonical import may stream a million rows.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from operator import itemgetter
from typing import Any

from bot.domain.admission import MAX_COUNT
from bot.domain.batches import PACKED, BatchBuilder, Packed, SourcePost
from bot.domain.models import (
    METRIC_NAMES,
    FollowerRecord,
    Metrics,
    Platform,
    RowProblem,
    SnapshotRecord,
    SourceItem,
    parse_platform,
)

from .aliases_linkedin import part_kind
from .errors import MissingAccountError
from .formats import ADDED, PART, Column, Columns, ExportFormat, normalise
from .post_formats import post_format
from .values import (
    COUNT_DIGITS,
    CellError,
    DateParser,
    check_name,
    parse_count,
    without_nul,
)

# The cells that name a row's post, fetched from a row with one itemgetter call.
_FIELDS = ("url", "post_id", "account", "platform", "published_at", "text", "format")

_ABSENT = -1  # index of the empty cell appended to every row, for fields the file lacks


class RowBuilder:
    """Builds the records of one file, whose header was matched to ``fmt``."""

    def __init__(
        self,
        fmt: ExportFormat,
        columns: Columns,
        account: str | None = None,
        platform: Platform | None = None,
    ) -> None:
        if account:
            columns = {name: found for name, found in columns.items() if name != "account"}
        if platform:
            columns = {name: found for name, found in columns.items() if name != "platform"}
        self._columns = columns
        self._width = 1 + max(column.index for found in columns.values() for column in found)
        self._post_cells = itemgetter(*(self._index(name) for name in _FIELDS))
        self._captured_index = self._index("captured_at")
        self._captured_fallbacks = tuple(c.index for c in columns.get("captured_at", ())[1:])
        self._fallbacks = [
            (position, tuple(column.index for column in columns[name][1:]))
            for position, name in enumerate(_FIELDS)
            if len(columns.get(name, ())) > 1
        ]
        self._metric_cells = itemgetter(*(self._index(name) for name in METRIC_NAMES))
        self._metric_headers = tuple(self._header(name) for name in METRIC_NAMES)
        self._metric_fallbacks = [
            (slot, columns[name][1:])
            for slot, name in enumerate(METRIC_NAMES)
            if len(columns.get(name, ())) > 1
        ]
        # Paid parts the export keeps out of a count's own column (X's "promoted impressions").
        self._additions = [
            (slot, tuple(columns[ADDED + name]))
            for slot, name in enumerate(METRIC_NAMES)
            if ADDED + name in columns
        ]
        self._parts = tuple(column.index for column in columns.get(PART, ()))
        self.part_header = columns[PART][0].header if PART in columns else ""
        self._key_cells = tuple(self._index(name) for name in ("url", "post_id"))
        self._no_metric = "no metric reported: {} are all empty".format(
            ", ".join(repr(self._header(name)) for name in METRIC_NAMES if name in columns)
        )
        self._followers = self._index("followers")
        self._published = DateParser(
            fmt.date_formats, fmt.date_example, self._header("published_at")
        )
        self._captured = DateParser(fmt.date_formats, fmt.date_example, self._header("captured_at"))
        self._post_id_from_url = fmt.post_id_from_url

        self._account = account
        self._account_from_url = None if account or "account" in columns else fmt.account_from_url
        self._missing_account = fmt.missing_account
        if not (account or "account" in columns or (self._account_from_url and "url" in columns)):
            raise MissingAccountError(fmt.missing_account)

        implied = [
            fmt.platform_by_header[key]
            for key in (normalise(column.header) for found in columns.values() for column in found)
            if key in fmt.platform_by_header
        ]
        self._platform = platform or (implied[0] if implied else fmt.platform)
        self._platform_in_rows = "platform" in columns
        self._platform_by_url = () if platform or implied else fmt.platform_by_url
        self._known_platforms: dict[str, Platform] = {}
        self._sink: BatchBuilder | None = None
        self._last_cells: tuple[str, ...] | None = None
        self._last_post: SourcePost  # set with _last_cells, and only read when they match

    @property
    def has_parts(self) -> bool:
        """True if the file says which part of a post each row holds (see parts.py)."""
        return bool(self._parts)

    def part_of(self, row: list[str]) -> str:
        """What the row's part columns say: the first known part word, else the first text."""
        said = [text for index in self._parts if index < len(row) and (text := row[index].strip())]
        return next((text for text in said if part_kind(text)), said[0] if said else "")

    def post_key(self, row: list[str]) -> str:
        """The post a row names, as written (its link and id), before anything is parsed."""
        return "\x00".join(row[i].strip() if 0 <= i < len(row) else "" for i in self._key_cells)

    def _index(self, name: str) -> int:
        found = self._columns.get(name)
        return found[0].index if found else _ABSENT

    def _header(self, name: str) -> str:
        found = self._columns.get(name)
        return found[0].header if found else name

    def build(self, row: list[str], line: int) -> SourceItem | None:
        """The row's record, a RowProblem saying what is wrong with it, or None for a blank row."""
        self._sink = None
        return self._guarded(row, line)  # type: ignore[return-value]

    def packer(self, into: BatchBuilder) -> Callable[[list[str], int], SourceItem | Packed | None]:
        """Like ``build``, but a snapshot goes straight into ``into`` and PACKED is returned.

        A million-row import skips building a SnapshotRecord only to take it apart again. A file
        is read once, so a builder either builds or packs.
        """
        self._sink = into
        return self._guarded

    def _guarded(self, row: list[str], line: int) -> SourceItem | Packed | None:
        if len(row) < self._width:
            if not any(row):
                return None
            row.extend([""] * (self._width - len(row)))
        row.append("")  # the _ABSENT cell
        try:
            return self._build(row, line)
        except CellError as problem:
            return RowProblem(line, str(problem))

    def _build(self, row: list[str], line: int) -> SourceItem | Packed | None:
        metric_cells: tuple[str, ...] = self._metric_cells(row)
        values: list[Any]
        try:
            # int() takes what parse_count would make of a plain number (" 12", "+12", "1_000")
            # but also "-12", which it rejects: a minus sign anywhere takes the slow path too.
            written = "".join(metric_cells)
            if "-" in written:
                raise ValueError("a minus sign")
            values = [int(c) if c else None for c in metric_cells]
            # A count past MAX_COUNT has more digits than all the cells of most rows together.
            if len(written) > COUNT_DIGITS and sum(filter(None, values)) > MAX_COUNT:
                raise ValueError("maybe a count too large: the slow path looks closer")
        except ValueError:  # "12,345", "n/a", "abc": the slow path explains or reads them
            values = [
                _count(cell, header) if cell else None
                for cell, header in zip(metric_cells, self._metric_headers, strict=True)
            ]
        for slot, more in self._metric_fallbacks:
            if values[slot] is None:
                values[slot] = _first_count(row, more)
        if self._additions:
            for slot, paid in self._additions:
                extra = _sum_counts(row, paid)
                if extra is not None:
                    values[slot] = extra if values[slot] is None else values[slot] + extra

        # A history export repeats a post's cells on each of its rows: when they are the
        # previous row's, so is the post (without fallback columns, its cells decide it).
        cells: tuple[str, ...] = self._post_cells(row)
        post: SourcePost
        if cells == self._last_cells:
            post = self._last_post
        else:
            found = self._post(row, line, cells)
            if not isinstance(found, tuple):  # records are dataclasses, never tuples
                return found
            post = found
            if not self._fallbacks:
                self._last_cells, self._last_post = cells, post
        if values.count(None) == len(values):
            return RowProblem(line, self._no_metric)
        followers = _first_count(row, self._columns["followers"]) if row[self._followers] else None
        captured = self._captured_cell(row)
        if self._sink is not None:
            self._sink.add_snapshot(
                post, values, followers, self._captured.utc_text(captured) if captured else None
            )
            return PACKED
        platform, account, post_id, published_at, url, text, post_format = post
        return SnapshotRecord(
            platform,
            account,
            post_id,
            published_at,
            Metrics(*values),
            url,
            text,
            followers,
            self._captured(captured) if captured else None,
            post_format,
        )

    def _post(
        self, row: list[str], line: int, cells: tuple[str, ...]
    ) -> SourcePost | SourceItem | None:
        """The post a row is about, or what the row is instead (a problem, a follower count)."""
        if self._fallbacks:
            cells = self._fill(row, cells)
        url, post_id, account, platform_name, published, text, format_cell = cells
        url = url.strip()
        post_id = post_id.strip()
        if not post_id and url and self._post_id_from_url:
            post_id = self._post_id_from_url(url) or ""
        if not post_id:
            if not any(cell.strip() for cell in row):
                return None
            return self._without_post_id(
                row, line, account, platform_name, published, self._captured_cell(row)
            )
        if "E+" in post_id:
            return RowProblem(
                line,
                f"column {self._header('post_id')!r}: the id {post_id!r} was rounded by a "
                "spreadsheet; export again and import the file without opening it in Excel",
            )
        account = self._account_of(account, url)
        if not account:
            return RowProblem(line, self._missing_account)
        check_name(account, self._header("account"))
        check_name(post_id, self._header("post_id"))
        if self._platform_in_rows:
            platform = self._known_platforms.get(platform_name) or self._parse(platform_name)
        else:
            platform = self._platform_of(url)
        if not published:
            return RowProblem(line, f"column {self._header('published_at')!r} is empty")
        return (
            platform,
            account,
            post_id,
            self._published(published),
            without_nul(url) or None,
            (without_nul(text.strip()) or None),
            post_format(format_cell),
        )

    def _captured_cell(self, row: list[str]) -> str:
        """The capture time as written, from the export's other spelling of it if blank."""
        captured = row[self._captured_index]
        if self._captured_fallbacks and not captured.strip():
            return _first(row, self._captured_fallbacks)
        return captured

    def _fill(self, row: list[str], fields: tuple[str, ...]) -> tuple[str, ...]:
        """Fill an empty field from the export's other spelling of it (Meta: Title, Description)."""
        filled = list(fields)
        for position, more in self._fallbacks:
            if not filled[position].strip():
                filled[position] = _first(row, more)
        return tuple(filled)

    def _without_post_id(
        self, row: list[str], line: int, account: str, platform: str, published: str, captured: str
    ) -> SourceItem:
        """A canonical row with followers but no post is the account's follower count."""
        followers = _first_count(row, self._columns.get("followers", ()))
        account = self._account_of(account, "")
        if followers is not None and account and (captured or published):
            check_name(account, self._header("account"))
            captured_at = self._captured(captured) if captured else self._published(published)
            if self._platform_in_rows:
                platform_of = self._known_platforms.get(platform) or self._parse(platform)
            else:
                platform_of = self._platform_of("")
            return FollowerRecord(platform_of, account, captured_at, followers)
        return RowProblem(line, f"no post id: column {self._header('post_id')!r} is empty")

    def _account_of(self, account: str, url: str) -> str:
        if self._account:
            return self._account
        account = account.strip()
        if not account and url and self._account_from_url:
            account = self._account_from_url(url) or ""
        return account

    def _parse(self, name: str) -> Platform:
        try:
            platform = parse_platform(name)
        except ValueError as problem:
            raise CellError(f"column {self._header('platform')!r}: {problem}") from None
        self._known_platforms[name] = platform
        return platform

    def _platform_of(self, url: str) -> Platform:
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


def _first_count(row: list[str], columns: Sequence[Column]) -> int | None:
    for column in columns:
        text = row[column.index]
        if text:
            value = _count(text, column.header)
            if value is not None:
                return value
    return None


def _sum_counts(row: list[str], columns: Sequence[Column]) -> int | None:
    """The columns' counts added up, None if none of them reports one."""
    total: int | None = None
    for column in columns:
        text = row[column.index]
        if text:
            value = _count(text, column.header)
            if value is not None:
                total = value if total is None else total + value
    return total


def _count(text: str, header: str) -> int | None:
    # isdecimal, not isdigit: int() refuses "²"; a longer number may be past MAX_COUNT.
    if text.isdecimal() and len(text) <= COUNT_DIGITS:
        return int(text)
    try:
        return parse_count(text)
    except CellError as problem:
        raise CellError(f"column {header!r}: {problem}") from None

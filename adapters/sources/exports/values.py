"""Cell values as analytics exports write them.

Counts arrive as "12345", "12,345", "12.345" (in `;` locales), "12 345" or "12.0" (a CSV that
went through a spreadsheet); "-", "n/a", an empty cell or a percentage mean the tool did not
report the count. Dates come in each tool's own format, sometimes without a time zone.

Callers try ``int()`` on the raw text first and only come here when it fails, so the million-row
canonical import never pays for the checks below.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime

from bot.domain.batches import utc_text

# Written by exports (and by people) for "not reported".
_MISSING = frozenset({"", "-", "--", "–", "—", "n/a", "na", "null", "none", "nan"})
# A count with its thousands grouped by one separator used consistently: 12,345 / 1.234.567.
_GROUPED = re.compile(r"\d{1,3}([,.' \u00a0\u202f\u2009])\d{3}(?:\1\d{3})*")
# A spreadsheet's "12.0" or "1,234.00": a whole number written with a zero fraction.
_ZERO_FRACTION = re.compile(r"(.*\d)([.,])0{1,2}")
_NON_DIGITS = re.compile(r"\D")
# ISO 8601 texts in UTC ("Z", "+00:00" or no zone) with 0, 3 or 6 digits of a second, by
# length: (their ending, where their seconds and fraction end, the zeros utc_text adds).
_UTC_SHAPES = {
    19: ("", 19, ".000000"), 20: ("Z", 19, ".000000"), 25: ("+00:00", 19, ".000000"),
    23: ("", 23, "000"), 24: ("Z", 23, "000"), 29: ("+00:00", 23, "000"),
    26: ("", 26, ""), 27: ("Z", 26, ""), 32: ("+00:00", 26, ""),
}  # fmt: skip
_from_iso = datetime.fromisoformat


class CellError(ValueError):
    """A cell that cannot be read; the message says what was expected and what was found."""


def parse_count(text: str) -> int | None:
    """Read a count that ``int()`` rejected; None when the export did not report it."""
    stripped = text.strip()
    if stripped.lower() in _MISSING or stripped.endswith("%"):
        return None
    try:
        value = int(stripped)
    except ValueError:
        value = _grouped_count(stripped, text)
    if value < 0:
        raise CellError(f"expected a whole number of at least 0, got {text!r}")
    return value


def _grouped_count(stripped: str, text: str) -> int:
    if _GROUPED.fullmatch(stripped):
        # "12.000" is twelve thousand, never twelve: a count is never fractional, so a group of
        # exactly three digits is always read as thousands.
        return int(_NON_DIGITS.sub("", stripped))
    zero_fraction = _ZERO_FRACTION.fullmatch(stripped)
    if zero_fraction:
        whole, decimal_mark = zero_fraction.group(1), zero_fraction.group(2)
        if whole.isdigit():
            return int(whole)
        grouped = _GROUPED.fullmatch(whole)
        if grouped and grouped.group(1) != decimal_mark:
            return int(_NON_DIGITS.sub("", whole))
    raise CellError(f"expected a whole number, got {text!r}")


class DateParser:
    """Reads one export's dates: ISO 8601 first (canonical CSV, Excel cells), then its formats.

    The format that worked last is tried first, since a file writes every date the same way.
    Day-first dates such as 14/07/2026 are not guessed: the month-first reading used by the
    US-English exports would silently swap day and month for the first twelve days of a month.
    """

    __slots__ = ("_example", "_formats", "_header", "_last", "_last_text")

    def __init__(self, formats: tuple[str, ...], example: str, header: str) -> None:
        self._formats = list(formats)
        self._example = example
        self._header = header
        # Rows of one post repeat its publication date: the last answer is kept.
        self._last_text = ""
        self._last = datetime.min.replace(tzinfo=UTC)

    def __call__(self, text: str) -> datetime:
        if text == self._last_text:
            return self._last
        try:
            moment = datetime.fromisoformat(text)
        except ValueError:
            moment = self._parse_slowly(text)
        zone = moment.tzinfo
        if zone is not UTC:
            moment = moment.replace(tzinfo=UTC) if zone is None else moment.astimezone(UTC)
        self._last_text, self._last = text, moment
        return moment

    def utc_text(self, text: str) -> str:
        """The moment as ``utc_text`` (bot.domain.batches) writes it, read off the text if it can.

        Canonical exports write "2026-07-14T09:30:00Z", "...+00:00" or the same with a fraction
        of a second (".123Z" from JavaScript, ".123456+00:00" from Python): for those the answer
        is the same characters rearranged, which costs a third of formatting a datetime.
        """
        shape = _UTC_SHAPES.get(len(text))
        if (
            shape is not None
            and text.endswith(shape[0])
            and text[4] == "-"
            and text[7] == "-"
            and text[13] == ":"
            and text[16] == ":"
            and text[11:13] != "24"  # Python 3.14 reads 24:00 as the next day's midnight
            and (shape[1] == 19 or (text[19] == "." and text[20 : shape[1]].isdigit()))
        ):
            try:
                _from_iso(text)  # checks the numbers: no 14th month, no 25th hour
            except ValueError:
                pass  # the general path explains what is wrong
            else:
                return f"{text[:10]} {text[11 : shape[1]]}{shape[2]}"
        return utc_text(self(text))

    def _parse_slowly(self, text: str) -> datetime:
        stripped = " ".join(text.split())
        try:
            return datetime.fromisoformat(stripped)
        except ValueError:
            pass
        for position, pattern in enumerate(self._formats):
            try:
                moment = datetime.strptime(stripped, pattern)
            except ValueError:
                continue
            if position:
                self._formats.insert(0, self._formats.pop(position))
            return moment
        raise CellError(
            f"column {self._header!r}: expected a date like {self._example!r}, got {text!r}"
        )

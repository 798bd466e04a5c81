"""Cell values as analytics exports write them.

Counts arrive as "12345", "12,345", "12.345" (in `;` locales), "12 345" or "12.0" (a CSV that
went through a spreadsheet); "-", "n/a", an empty cell or a percentage mean the tool did not
report the count. Dates come in each tool's own format, sometimes without a time zone.

Callers try ``int()`` on the raw text first and only come here when it fails, so the million-row
canonical import never pays for the checks below.

What a cell may hold is bounded so that nothing an export says can break the store or a later
command: a count is at most ``MAX_COUNT``, a date lies between ``EARLIEST`` and a day after the
import, an account handle or post id fits its column and holds no NUL. A cell outside those
bounds makes its row a bad row (a ``CellError``), reported with its line; the rest imports.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime

from bot.domain.admission import EARLIEST, FUTURE_SLACK, MAX_COUNT, MAX_NAME_LENGTH
from bot.domain.batches import utc_text

# The bounds themselves (and why they are where they are) live in bot/domain/admission.py, which
# holds records from API sources to them too. Digits a plain number can have and still be at
# most MAX_COUNT, so a caller can skip the bound check for shorter texts.
COUNT_DIGITS = len(str(MAX_COUNT)) - 1
# A count written with more characters than this ("1,000,000,000,000.00" has 20) is not a count.
_LONGEST_COUNT_TEXT = 32
# How much of a bad cell a message quotes: one bad cell must not flood the report.
_SHOWN_CHARACTERS = 40

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


def shown(text: str) -> str:
    """A cell as a message quotes it: its repr (a NUL shows as \\x00), cut short if long."""
    if len(text) <= _SHOWN_CHARACTERS:
        return repr(text)
    return f"{text[:_SHOWN_CHARACTERS]!r}… ({len(text):,} characters)"


def parse_count(text: str) -> int | None:
    """Read a count that ``int()`` rejected or that may be too large; None when not reported."""
    stripped = text.strip()
    if stripped.lower() in _MISSING or stripped.endswith("%"):
        return None
    if len(stripped) > _LONGEST_COUNT_TEXT:  # int() would read 4,300 digits, slowly
        raise CellError(f"expected a count of at most {MAX_COUNT:,}, got {shown(text)}")
    try:
        value = int(stripped)
    except ValueError:
        value = _grouped_count(stripped, text)
    if value < 0:
        raise CellError(f"expected a whole number of at least 0, got {shown(text)}")
    if value > MAX_COUNT:
        raise CellError(f"expected a count of at most {MAX_COUNT:,}, got {shown(text)}")
    return value


def check_name(value: str, header: str) -> None:
    """Refuse an account handle or post id the store cannot hold, or that names nothing real.

    A NUL is refused rather than dropped: the id is what a post is known by, and a damaged id
    with its NUL taken out could name another post.
    """
    if len(value) > MAX_NAME_LENGTH:
        raise CellError(
            f"column {header!r}: {shown(value)} is longer than the {MAX_NAME_LENGTH} characters "
            "winsbot keeps for an account or a post id"
        )
    if "\x00" in value:
        raise CellError(f"column {header!r}: {shown(value)} contains a NUL character")


def without_nul(text: str) -> str:
    """Free text (a post's text, its link) without NUL characters, which PostgreSQL refuses.

    Dropped rather than refused: a NUL in a post's text is damage, not meaning, and the row's
    counts are still good.
    """
    return text.replace("\x00", "") if "\x00" in text else text


def _grouped_count(stripped: str, text: str) -> int:
    if _GROUPED.fullmatch(stripped):
        # "12.000" is twelve thousand, never twelve: a count is never fractional, so a group of
        # exactly three digits is always read as thousands.
        return int(_NON_DIGITS.sub("", stripped))
    zero_fraction = _ZERO_FRACTION.fullmatch(stripped)
    if zero_fraction:
        whole, decimal_mark = zero_fraction.group(1), zero_fraction.group(2)
        if whole.isdecimal():  # not isdigit(): "²" is a digit that int() refuses
            return int(whole)
        grouped = _GROUPED.fullmatch(whole)
        if grouped and grouped.group(1) != decimal_mark:
            return int(_NON_DIGITS.sub("", whole))
    raise CellError(f"expected a whole number, got {shown(text)}")


class DateParser:
    """Reads one export's dates: ISO 8601 first (canonical CSV, Excel cells), then its formats.

    The format that worked last is tried first, since a file writes every date the same way.
    Day-first dates such as 14/07/2026 are not guessed: the month-first reading used by the
    US-English exports would silently swap day and month for the first twelve days of a month.

    A date before ``earliest`` or after ``latest`` (by default ``EARLIEST`` and a day after the
    parser was made, that is the import) is refused: see ``EARLIEST`` and ``FUTURE_SLACK``.
    """

    __slots__ = (
        "_earliest",
        "_earliest_text",
        "_example",
        "_formats",
        "_header",
        "_last",
        "_last_text",
        "_latest",
        "_latest_text",
    )

    def __init__(
        self,
        formats: tuple[str, ...],
        example: str,
        header: str,
        *,
        earliest: datetime = EARLIEST,
        latest: datetime | None = None,
    ) -> None:
        self._formats = list(formats)
        self._example = example
        self._header = header
        self._earliest = earliest
        self._latest = latest or datetime.now(UTC) + FUTURE_SLACK
        # The bounds as utc_text: texts of that shape compare as the moments they name.
        self._earliest_text = utc_text(self._earliest)
        self._latest_text = utc_text(self._latest)
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
            try:
                moment = moment.replace(tzinfo=UTC) if zone is None else moment.astimezone(UTC)
            except OverflowError:  # 0001-01-01T00:00+01:00 is a moment before year 1
                raise self._out_of_range(text) from None
        if not self._earliest <= moment <= self._latest:
            raise self._out_of_range(text)
        self._last_text, self._last = text, moment
        return moment

    def _out_of_range(self, text: str) -> CellError:
        return CellError(
            f"column {self._header!r}: {shown(text)} is outside the dates winsbot takes, "
            f"{self._earliest:%Y-%m-%d} to {self._latest:%Y-%m-%d} (a day after the import)"
        )

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
                moment = f"{text[:10]} {text[11 : shape[1]]}{shape[2]}"
                if self._earliest_text <= moment <= self._latest_text:
                    return moment
                raise self._out_of_range(text)
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
            f"column {self._header!r}: expected a date like {self._example!r}, got {shown(text)}"
        )

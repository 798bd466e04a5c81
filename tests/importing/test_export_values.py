"""Counts and dates as exports write them."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest
from hypothesis import given
from hypothesis import strategies as st

from adapters.sources.exports.formats import LINKEDIN, META, SPROUT, X_LEGACY, ExportFormat, X
from adapters.sources.exports.links import linkedin_post_id, x_handle
from adapters.sources.exports.values import CellError, DateParser, parse_count
from bot.domain.batches import from_utc_text, utc_text


@pytest.mark.parametrize(
    ("text", "count"),
    [
        ("12,345", 12345),
        ("12.345", 12345),  # `;` locales group thousands with dots
        ("12 345", 12345),
        ("12\u00a0345", 12345),  # no-break space, as French exports write it
        ("1'234", 1234),
        ("1,234,567", 1234567),
        ("12.000", 12000),
        ("4521.0", 4521),  # legacy X export
        ("1,234.00", 1234),
        ("12.345,00", 12345),
        (" 7 ", 7),
    ],
)
def test_counts_accept_thousands_separators_and_zero_fractions(text: str, count: int) -> None:
    assert parse_count(text) == count


@pytest.mark.parametrize("text", ["", "  ", "-", "—", "n/a", "N/A", "4.5%", "4,5 %"])
def test_dashes_blanks_and_percentages_mean_not_reported(text: str) -> None:
    assert parse_count(text) is None


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("abc", "expected a whole number, got 'abc'"),
        ("12.5", "expected a whole number, got '12.5'"),
        ("1,23", "expected a whole number, got '1,23'"),
        ("1,234.567", "expected a whole number, got '1,234.567'"),
        ("-5", "expected a whole number of at least 0, got '-5'"),
    ],
)
def test_counts_that_are_not_whole_numbers_say_what_was_found(text: str, reason: str) -> None:
    with pytest.raises(CellError) as raised:
        parse_count(text)

    assert str(raised.value) == reason


def parser(fmt: ExportFormat) -> DateParser:
    return DateParser(fmt.date_formats, fmt.date_example, "Date")


@pytest.mark.parametrize(
    ("fmt", "text", "moment"),
    [
        (X, "Tue, Jul 14, 2026", datetime(2026, 7, 14, tzinfo=UTC)),
        (X_LEGACY, "2019-03-05 14:02 +0000", datetime(2019, 3, 5, 14, 2, tzinfo=UTC)),
        (X_LEGACY, "2019-03-05 14:02 +0100", datetime(2019, 3, 5, 13, 2, tzinfo=UTC)),
        (META, "07/14/2026 09:30", datetime(2026, 7, 14, 9, 30, tzinfo=UTC)),
        (META, "14.07.2026 09:30", datetime(2026, 7, 14, 9, 30, tzinfo=UTC)),
        (SPROUT, "07/14/2026 9:30 pm", datetime(2026, 7, 14, 21, 30, tzinfo=UTC)),
        (LINKEDIN, "07/14/2026", datetime(2026, 7, 14, tzinfo=UTC)),
        (LINKEDIN, "2026-07-14 15:20:00", datetime(2026, 7, 14, 15, 20, tzinfo=UTC)),
        (LINKEDIN, " 2026-07-14T15:20:00-04:00 ", datetime(2026, 7, 14, 19, 20, tzinfo=UTC)),
    ],
)
def test_dates_in_each_exports_format_become_utc_aware(
    fmt: ExportFormat, text: str, moment: datetime
) -> None:
    parsed = parser(fmt)(text)

    assert parsed == moment
    assert parsed.tzinfo is UTC


def test_day_first_slashed_dates_are_rejected_rather_than_guessed() -> None:
    with pytest.raises(CellError) as raised:
        parser(META)("14/07/2026 09:30")

    assert str(raised.value) == (
        "column 'Date': expected a date like '07/14/2026 09:30', got '14/07/2026 09:30'"
    )


@pytest.mark.parametrize(
    ("url", "post_id"),
    [
        (
            "https://www.linkedin.com/feed/update/urn:li:activity:7350000000000000001/",
            "urn:li:activity:7350000000000000001",
        ),
        (
            "https://www.linkedin.com/feed/update/urn%3Ali%3AugcPost%3A7350000000000000002",
            "urn:li:ugcPost:7350000000000000002",
        ),
        (
            "https://www.linkedin.com/posts/acme_launch-share-7350000000000000003-abCD",
            "urn:li:share:7350000000000000003",
        ),
    ],
)
def test_linkedin_post_ids_are_the_urn_in_the_link(url: str, post_id: str) -> None:
    assert linkedin_post_id(url) == post_id


def test_linkedin_links_without_a_urn_hash_to_the_same_id_each_time() -> None:
    first = linkedin_post_id("https://lnkd.in/abc123")

    assert first == linkedin_post_id(" https://lnkd.in/abc123/ ")
    assert first != linkedin_post_id("https://lnkd.in/xyz789")


@pytest.mark.parametrize(
    ("url", "handle"),
    [
        ("https://x.com/acme/status/1944000000000000001", "acme"),
        ("https://twitter.com/Acme_Co/status/1", "Acme_Co"),
        ("https://x.com/i/web/status/1944000000000000001", None),
        ("https://example.com/acme/status/1", None),
    ],
)
def test_x_handles_come_from_status_links(url: str, handle: str | None) -> None:
    assert x_handle(url) == handle


@given(
    moment=st.datetimes(
        min_value=datetime(1970, 1, 2), max_value=datetime(9998, 12, 30), timezones=st.just(UTC)
    ),
    offset_minutes=st.sampled_from([0, 0, 60, -300, 330]),
    separator=st.sampled_from(["T", " "]),
    ending=st.sampled_from(["Z", "+00:00", "", "offset"]),
    digits=st.integers(min_value=0, max_value=6),
)
def test_a_date_as_utc_text_is_what_formatting_the_parsed_moment_gives(
    moment: datetime, offset_minutes: int, separator: str, ending: str, digits: int
) -> None:
    """The shortcut for canonical ISO texts must agree with the general path, byte for byte:
    the text is what a snapshot's uniqueness is keyed on in SQLite."""
    zone = timezone(timedelta(minutes=offset_minutes))
    local = moment.astimezone(zone)
    # Seconds with 0 to 6 digits of their fraction: none, JavaScript's 3, Python's 6, others.
    fraction = f"{moment.microsecond:06d}"[:digits]
    text = local.replace(tzinfo=None).isoformat(separator, "seconds")
    if digits:
        text += "." + fraction
    if ending == "offset":
        text += local.strftime("%z")[:3] + ":" + local.strftime("%z")[3:]
    elif offset_minutes == 0:
        text += ending
    else:
        return  # a local time without its offset names a different moment
    parser = DateParser(
        ("%Y-%m-%d %H:%M",),
        "2026-07-14T09:30:00Z",
        "captured_at",
        earliest=datetime.min.replace(tzinfo=UTC),  # every year, not just those an import takes
        latest=datetime.max.replace(tzinfo=UTC),
    )
    assert parser.utc_text(text) == utc_text(parser(text))
    assert from_utc_text(parser.utc_text(text)) == moment.replace(
        microsecond=int(fraction.ljust(6, "0"))
    )


def test_unusual_iso_shapes_take_the_general_path() -> None:
    parser = DateParser((), "2026-07-14T09:30:00Z", "captured_at")
    # A week date and a basic-format time are ISO too, but not the shape the shortcut reads.
    assert parser.utc_text("2026-W29-2T09:30:00Z") == "2026-07-14 09:30:00.000000"
    assert parser.utc_text("2026-07-14T093000Z") == "2026-07-14 09:30:00.000000"
    assert parser.utc_text("2026-07-14T09:30:00.5+02:00") == "2026-07-14 07:30:00.500000"


@pytest.mark.parametrize(
    ("text", "stored"),
    [
        ("2026-07-14T09:30:00.123Z", "2026-07-14 09:30:00.123000"),
        ("2026-07-14 09:30:00.600000+00:00", "2026-07-14 09:30:00.600000"),
        # Seven digits are cut to six, a comma is a decimal mark, a bare "." is no fraction:
        # all of them through the general path.
        ("2026-07-14T09:30:00.1234567Z", "2026-07-14 09:30:00.123456"),
        ("2026-07-14T09:30:00,5Z", "2026-07-14 09:30:00.500000"),
        ("2026-07-14T09:30:00.Z", "2026-07-14 09:30:00.000000"),
    ],
)
def test_fractions_of_a_second_are_kept_to_the_microsecond(text: str, stored: str) -> None:
    assert DateParser((), "2026-07-14T09:30:00Z", "captured_at").utc_text(text) == stored


def test_hour_24_is_read_as_the_general_path_reads_it() -> None:
    """Python 3.14 reads "24:00" as the next day's midnight and older versions refuse it; the
    shortcut must never keep "24" where the general path would move to the next day."""
    parser = DateParser((), "2026-07-14T09:30:00Z", "captured_at")
    text = "2026-07-14T24:00:00Z"
    try:
        expected = utc_text(parser(text))
    except CellError:
        with pytest.raises(CellError):
            parser.utc_text(text)
    else:
        assert parser.utc_text(text) == expected == "2026-07-15 00:00:00.000000"

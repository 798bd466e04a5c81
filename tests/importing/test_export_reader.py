"""Reading export files as a whole: recognition, errors people see, bad rows, streaming."""

from __future__ import annotations

import csv
import tracemalloc
from datetime import UTC, datetime
from pathlib import Path

import pytest

from adapters.sources.exports import (
    FORMATS,
    EmptyExportError,
    ExportFormat,
    MissingAccountError,
    UnknownFormatError,
    open_export,
)
from bot.domain.batches import packed
from bot.domain.models import (
    FollowerRecord,
    Metrics,
    Platform,
    RowProblem,
    SnapshotRecord,
    SourceItem,
)

DATA = Path(__file__).parent / "data"


def read(path: Path, **options: str) -> list[SourceItem]:
    with open_export(path, **options) as reader:
        return list(reader)


def test_bad_rows_are_reported_by_physical_line_and_the_rest_still_import() -> None:
    items = read(DATA / "bad_rows.csv")

    # row 1 spans lines 2-3 (a quoted line break), line 7 is blank
    assert [item.post_id for item in items if isinstance(item, SnapshotRecord)] == ["1", "6"]
    assert [item for item in items if isinstance(item, RowProblem)] == [
        RowProblem(4, "column 'impressions': expected a whole number, got 'abc'"),
        RowProblem(
            5,
            "column 'published_at': expected a date like '2026-07-14T09:30:00Z', got 'yesterday'",
        ),
        RowProblem(6, "no post id: column 'post_id' is empty"),
        RowProblem(8, "no metric reported: 'impressions', 'likes' are all empty"),
    ]


def test_unrecognised_file_lists_every_format_with_its_columns_and_the_header_found() -> None:
    with pytest.raises(UnknownFormatError) as raised:
        open_export(DATA / "unrecognised.csv")

    message = str(raised.value)
    assert "Found header: Name, Email, Signup date" in message
    for fmt in FORMATS:
        assert fmt.describe() in message
    assert "platform, account, post_id, url, published_at" in message
    assert "Tweet id, Tweet permalink, time" in message
    assert "--format" in message


def test_unrecognised_file_points_at_the_nearest_format_and_what_it_lacks(tmp_path: Path) -> None:
    export = tmp_path / "almost.csv"
    export.write_text("Tweet id,Tweet permalink,impressions\n1,https://x.com/a/status/1,5\n")

    with pytest.raises(UnknownFormatError, match="closest to x-legacy, which also needs time"):
        open_export(export)


def test_empty_file_is_a_clear_error(tmp_path: Path) -> None:
    for content in ("", "\n\n  \n"):
        export = tmp_path / "empty.csv"
        export.write_text(content)
        with pytest.raises(EmptyExportError, match=r"empty.csv is empty"):
            open_export(export)


def test_forcing_a_format_reads_a_header_that_also_fits_another(tmp_path: Path) -> None:
    # Both Sprout and canonical columns: auto-detection prefers canonical.
    export = tmp_path / "both.csv"
    export.write_text(
        "platform,account,post_id,url,published_at,Date,Post ID,Network,Profile,Impressions\n"
        "x,acme,99,,2026-07-01,07/14/2026 9:30 am,99,LinkedIn,acme-corp,500\n"
    )

    with open_export(export) as reader:
        assert reader.format.name == "canonical"
    with open_export(export, fmt="sprout") as reader:
        assert reader.format.name == "sprout"
        assert isinstance(reader.format, ExportFormat)
        items = list(reader)

    # The canonical columns are not Sprout's: said once, and the row is still read as Sprout.
    note, *records = items
    assert isinstance(note, RowProblem)
    assert note.line == 1
    assert note.reason.startswith(
        "columns 'platform', 'account', 'url', 'published_at' were not imported: winsbot does "
        "not know them as a column of the Sprout Social post performance"
    )
    assert records == [
        SnapshotRecord(
            platform=Platform.LINKEDIN,
            account="acme-corp",
            post_id="99",
            published_at=datetime(2026, 7, 14, 9, 30, tzinfo=UTC),
            metrics=Metrics(impressions=500),
        )
    ]


def test_forcing_a_format_the_file_is_not_says_which_columns_are_missing() -> None:
    with pytest.raises(UnknownFormatError) as raised:
        open_export(DATA / "x_account_analytics.csv", fmt="meta")

    message = str(raised.value)
    assert "lacks Publish time" in message
    assert "Found header: Post id, Date, Post text, Post Link" in message


def test_an_unknown_format_name_lists_the_names() -> None:
    with pytest.raises(UnknownFormatError, match="choose one of canonical, sprout, meta, x"):
        open_export(DATA / "canonical.csv", fmt="tiktok")


def test_linkedin_export_without_an_account_says_to_pass_one() -> None:
    with pytest.raises(MissingAccountError) as raised:
        open_export(DATA / "linkedin_posts.csv")

    assert str(raised.value).startswith(
        "this LinkedIn export does not say which page it belongs to: pass --account"
    )
    assert isinstance(raised.value, ValueError)


def test_x_rows_whose_links_have_no_handle_need_the_account_argument(tmp_path: Path) -> None:
    export = tmp_path / "x.csv"
    export.write_text(
        'Post id,Date,Post Link,Impressions\n1,"Tue, Jul 14, 2026",https://x.com/i/web/status/1,5\n'
    )

    (problem,) = read(export)
    (record,) = read(export, account="acme")

    assert isinstance(problem, RowProblem)
    assert problem.line == 2
    assert problem.reason.startswith("this X export does not say which account it belongs to")
    assert "pass --account" in problem.reason
    assert isinstance(record, SnapshotRecord)
    assert (record.account, record.post_id) == ("acme", "1")


def test_platform_argument_overrides_the_format_default(tmp_path: Path) -> None:
    items = read(DATA / "meta_facebook.csv", platform="Instagram")

    assert {item.platform for item in items if isinstance(item, SnapshotRecord)} == {
        Platform.INSTAGRAM
    }


def test_unknown_network_in_a_row_is_a_row_problem_not_a_crash(tmp_path: Path) -> None:
    export = tmp_path / "sprout.csv"
    export.write_text(
        "Date,Post ID,Network,Profile,Impressions\n"
        "07/14/2026,1,Myspace,acme,5\n"
        "07/14/2026,2,LinkedIn,acme,6\n"
    )

    items = read(export)

    assert isinstance(items[0], RowProblem)
    assert items[0].line == 2
    assert items[0].reason.startswith("column 'Network': unknown platform 'Myspace'")
    assert isinstance(items[1], SnapshotRecord)


def test_tab_separated_utf16_export_is_read(tmp_path: Path) -> None:
    export = tmp_path / "meta.tsv"
    export.write_text(
        "Post ID\tPage name\tPublish time\tViews\n1\tAcme\t14.07.2026 09:30\t1.234\n",
        encoding="utf-16",
    )

    assert read(export) == [
        SnapshotRecord(
            platform=Platform.FACEBOOK,
            account="Acme",
            post_id="1",
            published_at=datetime(2026, 7, 14, 9, 30, tzinfo=UTC),
            metrics=Metrics(impressions=1234),
        )
    ]


def test_ids_rounded_by_a_spreadsheet_are_reported(tmp_path: Path) -> None:
    export = tmp_path / "meta.csv"
    export.write_text("Post ID,Page name,Publish time,Views\n1.23457E+17,Acme,07/14/2026 09:30,5\n")

    (problem,) = read(export)

    assert isinstance(problem, RowProblem)
    assert "rounded by a spreadsheet" in problem.reason


def test_progress_reaches_the_file_size_and_the_file_is_closed_at_the_end() -> None:
    path = DATA / "sprout.csv"
    reader = open_export(path)
    assert reader.total_bytes == path.stat().st_size
    assert 0 <= reader.bytes_read <= reader.total_bytes

    list(reader)

    assert reader.bytes_read == reader.total_bytes
    reader.close()  # closing twice is harmless


def write_canonical(path: Path, rows: int) -> None:
    with path.open("w", newline="") as file:
        writer = csv.writer(file)
        writer.writerow(["platform", "account", "post_id", "url", "published_at", "likes"])
        for number in range(rows):
            writer.writerow(["mastodon", "acme", number, "", "2026-07-14T09:30:00Z", number])


def peak_memory_while_reading(path: Path) -> int:
    tracemalloc.start()
    try:
        with open_export(path) as reader:
            for _ in reader:
                pass
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def test_memory_does_not_grow_with_the_number_of_rows(tmp_path: Path) -> None:
    small, large = tmp_path / "small.csv", tmp_path / "large.csv"
    write_canonical(small, 2_000)
    write_canonical(large, 40_000)

    peak_small = peak_memory_while_reading(small)
    peak_large = peak_memory_while_reading(large)

    # 20 times the rows, about the same peak (a read-everything parser would need 20 times more)
    assert peak_large < peak_small * 2 + 64_000


def test_a_row_the_csv_module_cannot_read_is_reported_and_reading_goes_on(
    tmp_path: Path,
) -> None:
    export = tmp_path / "huge.csv"
    export.write_text(
        "platform,account,post_id,url,published_at,text,likes\n"
        "x,acme,1,,2026-07-14,ok,5\n"
        f'x,acme,2,,2026-07-14,"{"a" * 200_000}",5\n'
        "x,acme,3,,2026-07-14,ok,7\n"
    )

    items = read(export)

    assert [getattr(item, "post_id", None) for item in items] == ["1", None, "3"]
    assert items[1] == RowProblem(3, "unreadable row: field larger than field limit (131072)")


def test_rows_of_one_post_each_read_as_their_own_row_whatever_comes_between(
    tmp_path: Path,
) -> None:
    """A history repeats a post's cells row after row, and the reader reuses what it made of
    the previous row: a problem row, another post or a changed cell must not leak into it."""
    path = tmp_path / "history.csv"
    header = "platform,account,post_id,url,published_at,text,impressions,likes,captured_at\n"
    rows = [
        "linkedin,acme,1,,2026-07-01T09:00:00Z,Launch,100,5,2026-07-01T10:00:00Z",
        "linkedin,acme,1,,2026-07-01T09:00:00Z,Launch,200,9,2026-07-01T11:00:00.5Z",
        "linkedin,acme,1,,2026-07-01T09:00:00Z,Launch,,,2026-07-01T12:00:00Z",
        "x,acme,1,,2026-07-02T09:00:00Z,Same id elsewhere,50,1,2026-07-02T10:00:00Z",
        "linkedin,acme,1,,2026-07-01T09:00:00Z,Launch,300,12,2026-07-01T13:00:00+00:00",
        "linkedin,acme,1,,2026-07-01T09:00:00Z,Launch (edited),310,12,2026-07-01T14:00:00Z",
    ]
    path.write_text(header + "\n".join(rows) + "\n", encoding="utf-8")

    items = read(path)
    assert items[2] == RowProblem(4, "no metric reported: 'impressions', 'likes' are all empty")
    records = [item for item in items if isinstance(item, SnapshotRecord)]
    assert [(r.platform, r.text, r.metrics.impressions, r.captured_at) for r in records] == [
        (Platform.LINKEDIN, "Launch", 100, datetime(2026, 7, 1, 10, tzinfo=UTC)),
        (Platform.LINKEDIN, "Launch", 200, datetime(2026, 7, 1, 11, 0, 0, 500000, tzinfo=UTC)),
        (Platform.X, "Same id elsewhere", 50, datetime(2026, 7, 2, 10, tzinfo=UTC)),
        (Platform.LINKEDIN, "Launch", 300, datetime(2026, 7, 1, 13, tzinfo=UTC)),
        (Platform.LINKEDIN, "Launch (edited)", 310, datetime(2026, 7, 1, 14, tzinfo=UTC)),
    ]
    # Packed straight from the rows, batches hold what packing those records gives.
    for size in (1, 2, 6):
        with open_export(path) as reader:
            assert list(reader.batches(size)) == list(packed(items, size))


def test_a_blank_capture_time_falls_back_to_the_second_capture_column_on_follower_rows(
    tmp_path: Path,
) -> None:
    """Spaces are as empty as nothing, on a post's row and on an account's follower row."""
    path = tmp_path / "two_capture_columns.csv"
    path.write_text(
        "platform,account,post_id,url,published_at,impressions,followers,captured_at,captured_at\n"
        'x,acme,,,2026-07-14T09:30:00Z,,10,"  ",2026-07-15T00:00:00Z\n'
        'x,acme,7,,2026-07-14T09:30:00Z,5,,"  ",2026-07-15T00:00:00Z\n',
        encoding="utf-8",
    )
    followers, post = read(path)
    assert followers == FollowerRecord(Platform.X, "acme", datetime(2026, 7, 15, tzinfo=UTC), 10)
    assert isinstance(post, SnapshotRecord)
    assert post.captured_at == datetime(2026, 7, 15, tzinfo=UTC)

"""Bad input stops at the edge: a bad cell is a bad row with its line, an unreadable file is one
message, and nothing an export holds is stored in a shape that breaks a later command.

Each case here was measured to break something before it was refused: a year-9999 date made
every later detection overflow, a count past 64 bits or a 201-character handle sank its whole
batch (on PostgreSQL), a NUL sank it on PostgreSQL, a damaged workbook ended in a traceback.
"""

from __future__ import annotations

import asyncio
import csv
import io
import multiprocessing
import os
import pickle
import subprocess
import sys
import zipfile
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from pathlib import Path

import openpyxl
import pytest
from sqlalchemy import select

from adapters.sources.exports import (
    BackgroundExport,
    ExportError,
    ParserStoppedError,
    open_export,
    parse_child,
)
from bot.domain.admission import MAX_COUNT, MAX_NAME_LENGTH
from bot.domain.models import (
    FollowerRecord,
    Metrics,
    Platform,
    RowProblem,
    SnapshotRecord,
    SourceItem,
)
from bot.store.db import Database
from bot.store.ingest import ingest
from bot.store.tables import accounts, posts, wins
from bot.usecases.results import WinsService

HEADER = [
    "platform", "account", "post_id", "url", "published_at", "text", "impressions", "likes",
    "followers", "captured_at",
]  # fmt: skip
GOOD = {
    "platform": "mastodon",
    "account": "acme",
    "url": "",
    "published_at": "2026-07-14T09:30:00Z",
    "text": "ok",
    "impressions": "100",
    "likes": "5",
    "followers": "",
    "captured_at": "2026-07-15T08:00:00Z",
}
LONG = "a" * (MAX_NAME_LENGTH + 1)
OUTSIDE = "is outside the dates winsbot takes, 2003-01-01 to"


def row(post_id: str, **cells: str) -> list[str]:
    values = {**GOOD, "post_id": post_id, **cells}
    return [values[name] for name in HEADER]


def write_csv(path: Path, rows: Sequence[Sequence[str]]) -> Path:
    with path.open("w", newline="", encoding="utf-8") as handle:
        out = csv.writer(handle)
        out.writerow(HEADER)
        out.writerows(rows)
    return path


def read(path: Path) -> list[SourceItem]:
    with open_export(path) as reader:
        return list(reader)


def problems(items: Sequence[SourceItem]) -> list[RowProblem]:
    return [item for item in items if isinstance(item, RowProblem)]


def post_ids(items: Sequence[SourceItem]) -> list[str]:
    return [item.post_id for item in items if isinstance(item, SnapshotRecord)]


@pytest.mark.parametrize(
    ("cells", "reason"),
    [
        (
            {"likes": str(2**63)},
            "column 'likes': expected a count of at most 1,000,000,000,000, got "
            "'9223372036854775808'",
        ),
        ({"likes": str(2**64)}, "expected a count of at most 1,000,000,000,000"),
        ({"impressions": str(MAX_COUNT + 1)}, "column 'impressions': expected a count of at most"),
        ({"followers": str(2**63)}, "column 'followers': expected a count of at most"),
        ({"likes": "-1"}, "column 'likes': expected a whole number of at least 0, got '-1'"),
        # "²" is a digit to str.isdigit() and not a number to int().
        ({"likes": "²"}, "column 'likes': expected a whole number, got '²'"),
        ({"followers": "²"}, "column 'followers': expected a whole number, got '²'"),
        (
            {"likes": "9" * 5000},
            "got '9999999999999999999999999999999999999999'… (5,000 characters)",
        ),
        (
            {"published_at": "9999-12-31T23:59:59Z"},
            f"column 'published_at': '9999-12-31T23:59:59Z' {OUTSIDE}",
        ),
        (
            {"captured_at": "9999-12-31T23:59:59Z"},
            f"column 'captured_at': '9999-12-31T23:59:59Z' {OUTSIDE}",
        ),
        ({"captured_at": "9999-12-31 23:59"}, f"'9999-12-31 23:59' {OUTSIDE}"),
        ({"published_at": "0001-01-01T00:00:00+01:00"}, OUTSIDE),  # before year 1 in UTC
        ({"published_at": "9999-12-31T23:00:00-05:00"}, OUTSIDE),  # after year 9999 in UTC
        ({"published_at": "2002-12-31T23:59:59Z"}, OUTSIDE),
        ({"published_at": "2100-01-01T00:00:00Z"}, OUTSIDE),
        (
            {"account": LONG},
            "column 'account': 'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa'… (201 characters) is "
            "longer than the 200 characters winsbot keeps for an account or a post id",
        ),
        ({"post_id": "p" * 201}, "column 'post_id': 'pppp"),
        ({"account": "ac\x00me"}, "column 'account': 'ac\\x00me' contains a NUL character"),
        ({"post_id": "2\x00"}, "column 'post_id': '2\\x00' contains a NUL character"),
    ],
)
def test_each_kind_of_bad_cell_is_a_bad_row_with_its_line_and_the_rest_reads(
    tmp_path: Path, cells: dict[str, str], reason: str
) -> None:
    post_id = cells.pop("post_id", "2")
    export = write_csv(tmp_path / "bad.csv", [row("1"), row(post_id, **cells), row("3")])

    items = read(export)

    assert post_ids(items) == ["1", "3"]
    [problem] = problems(items)
    assert problem.line == 3
    assert reason in problem.reason
    assert len(problem.reason) < 300  # one readable line, however long the cell


def test_a_nul_in_a_posts_text_or_link_is_dropped_and_the_row_kept(tmp_path: Path) -> None:
    export = write_csv(
        tmp_path / "nul.csv", [row("1", text="Launch\x00 day", url="https://x.test/\x001")]
    )

    [record] = read(export)

    assert isinstance(record, SnapshotRecord)
    assert (record.text, record.url) == ("Launch day", "https://x.test/1")


def test_names_the_columns_can_hold_are_kept_and_the_limit_is_the_columns() -> None:
    assert accounts.c.handle.type.length == MAX_NAME_LENGTH  # type: ignore[attr-defined]
    assert posts.c.external_id.type.length == MAX_NAME_LENGTH  # type: ignore[attr-defined]


def test_the_longest_names_and_largest_counts_allowed_are_read(tmp_path: Path) -> None:
    longest = "a" * MAX_NAME_LENGTH
    export = write_csv(
        tmp_path / "edge.csv",
        [
            row("p" * MAX_NAME_LENGTH, account=longest, likes=str(MAX_COUNT)),
            # Each count is allowed though together they pass the limit.
            row("2", impressions=str(MAX_COUNT), likes=str(MAX_COUNT), followers=str(MAX_COUNT)),
            row("3", likes=f"{MAX_COUNT:,}"),
        ],
    )

    first, second, third = read(export)

    assert isinstance(first, SnapshotRecord) and first.account == longest
    assert isinstance(second, SnapshotRecord) and second.followers == MAX_COUNT
    assert second.metrics == Metrics(impressions=MAX_COUNT, likes=MAX_COUNT)
    assert isinstance(third, SnapshotRecord) and third.metrics.likes == MAX_COUNT


def test_dates_from_2003_to_a_day_after_the_import_are_read(tmp_path: Path) -> None:
    soon = (datetime.now(UTC) + timedelta(hours=12)).isoformat()
    late = (datetime.now(UTC) + timedelta(days=2)).isoformat()
    export = write_csv(
        tmp_path / "dates.csv",
        [
            row("1", published_at="2003-01-01T00:00:00Z", captured_at="2003-01-01T00:00:00Z"),
            row("2", published_at=soon, captured_at=soon),
            row("3", published_at=late),
        ],
    )

    items = read(export)

    assert post_ids(items) == ["1", "2"]
    assert [problem.line for problem in problems(items)] == [4]


def test_a_header_with_a_cell_past_the_csv_field_limit_is_still_found(tmp_path: Path) -> None:
    export = tmp_path / "wide.csv"
    export.write_text(
        ",".join(HEADER) + ',"' + "x" * 140_000 + '"\n' + ",".join(row("1")) + ",\n",
        encoding="utf-8",
    )

    items = read(export)

    assert post_ids(items) == ["1"]


def test_a_line_past_the_csv_field_limit_is_a_bad_row(tmp_path: Path) -> None:
    export = write_csv(tmp_path / "long.csv", [row("1"), row("2", text="x" * 140_000), row("3")])

    items = read(export)

    assert post_ids(items) == ["1", "3"]
    assert problems(items) == [
        RowProblem(3, "unreadable row: field larger than field limit (131072)")
    ]


def workbook_with_rows(path: Path, rows: int) -> Path:
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(HEADER)
    for n in range(rows):
        sheet.append(row(str(n)))
    book.save(path)
    return path


def damaged(path: Path, keep: float) -> Path:
    """The workbook with its sheet cut off at ``keep`` of its length, as a failed copy leaves it."""
    sheet_name = "xl/worksheets/sheet1.xml"
    with zipfile.ZipFile(path) as source:
        parts = {name: source.read(name) for name in source.namelist()}
    parts[sheet_name] = parts[sheet_name][: int(len(parts[sheet_name]) * keep)]
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as target:
        for name, data in parts.items():
            target.writestr(name, data)
    path.write_bytes(buffer.getvalue())
    return path


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        (
            "fake.xlsx",
            b"PK\x03\x04" + b"not a zip" * 20,
            "fake.xlsx cannot be read as an Excel workbook (File is not a zip file). Export it "
            "again, or open it in Excel and save it as .xlsx or CSV, and import that file.",
        ),
        ("old.xls", b"\xd0\xcf\x11\xe0" + bytes(200), "old.xls is an Excel 97-2003 workbook"),
    ],
)
def test_a_file_that_is_not_the_workbook_it_looks_like_is_one_message(
    tmp_path: Path, name: str, content: bytes, message: str
) -> None:
    path = tmp_path / name
    path.write_bytes(content)

    with pytest.raises(ExportError) as refused:
        open_export(path)

    assert str(refused.value).startswith(message)


def test_a_zip_that_is_not_a_workbook_is_one_message(tmp_path: Path) -> None:
    path = tmp_path / "photos.xlsx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("photo.txt", "not a workbook")

    with pytest.raises(ExportError) as refused:
        open_export(path)

    assert str(refused.value).startswith("photos.xlsx cannot be read as an Excel workbook (")


def test_a_folder_or_a_missing_file_is_one_message(tmp_path: Path) -> None:
    folder = tmp_path / "exports"
    folder.mkdir()
    with pytest.raises(ExportError) as folder_refused:
        open_export(folder)
    with pytest.raises(ExportError) as missing_refused:
        open_export(tmp_path / "gone.csv")

    assert str(folder_refused.value) == "cannot read exports: Is a directory"
    assert str(missing_refused.value) == "cannot read gone.csv: No such file or directory"


def test_a_workbook_damaged_part_way_stops_with_one_message(tmp_path: Path) -> None:
    path = damaged(workbook_with_rows(tmp_path / "posts.xlsx", 3000), keep=0.9)

    with open_export(path) as reader:
        read_rows = 0
        with pytest.raises(ExportError) as stopped:
            for _ in reader:
                read_rows += 1

    assert str(stopped.value).startswith("posts.xlsx cannot be read as an Excel workbook (")
    assert read_rows > 100  # the rows before the damage were read


def test_a_workbook_damaged_part_way_in_the_parser_process_stops_with_the_same_message(
    tmp_path: Path, capfd: pytest.CaptureFixture[str]
) -> None:
    path = damaged(workbook_with_rows(tmp_path / "posts.xlsx", 3000), keep=0.9)

    with BackgroundExport(path, batch_size=100) as export:
        batches = 0
        with pytest.raises(ExportError) as stopped:
            for _ in export.batches():
                batches += 1

    assert not isinstance(stopped.value, ParserStoppedError)  # the file, not the parser
    assert str(stopped.value).startswith("posts.xlsx cannot be read as an Excel workbook")
    assert batches > 1
    assert "Traceback" not in capfd.readouterr().err  # the child reports bad input quietly


def test_a_bug_in_the_parser_process_comes_back_as_an_error_not_as_bad_input(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("a bug")

    monkeypatch.setattr(parse_child, "open_export", broken)
    receiver, sender = multiprocessing.Pipe(duplex=False)  # what the child is given, in-process
    parse_child.parse(str(tmp_path / "any.csv"), "canonical", None, None, 100, sender)

    assert pickle.loads(receiver.recv_bytes()) == ("error", 0, "a bug")


# ---------------------------------------------------------------- nothing stored breaks a command

T0 = datetime(2026, 7, 1, 9, 0, tzinfo=UTC)


def history(posts_: int) -> list[SnapshotRecord]:
    return [
        SnapshotRecord(
            Platform.MASTODON, "acme", f"h{n}", T0 + timedelta(days=n), Metrics(likes=20 + n),
            captured_at=T0 + timedelta(days=n, hours=6),
        )
        for n in range(posts_)
    ]  # fmt: skip


async def test_dates_stored_at_the_ends_of_time_do_not_break_detection(
    db: Database, service: WinsService
) -> None:
    """Stored before the edge refused them (or by a source that does not check): a post
    published in 9999 but captured in 2026 asks for its history at minus eight thousand years,
    which overflowed; a capture in 9999 dated its win there."""
    end_of_time = datetime(9999, 12, 31, 23, 0, tzinfo=UTC)
    start_of_time = datetime(1, 1, 1, 0, 0, tzinfo=UTC)
    extreme: list[SnapshotRecord | FollowerRecord] = [
        SnapshotRecord(Platform.MASTODON, "acme", "from-9999", end_of_time, Metrics(likes=900),
                       captured_at=T0 + timedelta(days=40)),
        SnapshotRecord(Platform.MASTODON, "acme", "seen-in-9999", T0 + timedelta(days=41),
                       Metrics(likes=900), captured_at=end_of_time),
        SnapshotRecord(Platform.MASTODON, "acme", "from-year-1", start_of_time,
                       Metrics(likes=900), captured_at=T0 + timedelta(days=42)),
        FollowerRecord(Platform.MASTODON, "acme", T0, 900),
        FollowerRecord(Platform.MASTODON, "acme", end_of_time, 1200),
    ]  # fmt: skip
    await ingest(db, [*history(12), *extreme], now=T0 + timedelta(days=50))

    first = await service.detect()
    again = await service.detect(everything=True)
    await ingest(db, history(14), now=T0 + timedelta(days=60))
    later = await service.detect()

    assert first.posts_scored == 15 and first.wins_added >= 1
    assert again.posts_scored == 15 and later.posts_scored == 2
    async with db.engine.connect() as conn:
        moments = (await conn.execute(select(wins.c.occurred_at))).all()
    assert moments and all(moment <= service.clock.now() for (moment,) in moments)


def bad_export(path: Path) -> Path:
    """Good rows (a history with one outlier, a follower count) and every kind of bad row."""
    good = [
        row(f"g{n}", published_at=f"2026-07-{n + 1:02d}T09:30:00Z",
            captured_at=f"2026-07-{n + 2:02d}T09:30:00Z", likes=str(500 if n == 9 else 20 + n))
        for n in range(10)
    ]  # fmt: skip
    bad = [
        row("b1", likes=str(2**63)),
        row("b2", likes=str(2**64), impressions="-3"),
        row("b3", followers="²"),
        row("b4", published_at="9999-12-31T23:59:59Z"),
        row("b5", captured_at="9999-12-31T23:59:59Z"),
        row("b6", published_at="0001-01-01T00:00:00+01:00"),
        row("b7", published_at="1999-01-01T00:00:00Z"),
        row("b8", account=LONG),
        row("p" * 201),
        row("b10", account="ac\x00me"),
        row("b11\x00"),
        row("b12", text="x" * 140_000),
        row("", account="acme"),
    ]
    follower = row("", followers="1500", published_at="", captured_at="2026-07-12T00:00:00Z")
    nul_text = row("g-nul", text="launch\x00day")
    return write_csv(path, [*good[:5], *bad, follower, nul_text, *good[5:]])


REPO = Path(__file__).resolve().parents[2]


def winsbot(*args: str, database_url: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    """The real command line in a process of its own, as a person (or cron) runs it."""
    env = {key: value for key, value in os.environ.items() if key != "WINSBOT_CONFIG"}
    return subprocess.run(
        [sys.executable, "-c", "from bot.cli import main; main()", *args],
        env={**env, "DATABASE_URL": database_url, "COLUMNS": "200", "PYTHONPATH": str(REPO)},
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


async def test_an_export_with_every_kind_of_bad_row_cannot_break_a_later_command(
    db: Database, tmp_path: Path
) -> None:
    export = bad_export(tmp_path / "everything.csv")

    def run(*args: str) -> subprocess.CompletedProcess[str]:
        return winsbot(*args, database_url=db.url, cwd=tmp_path)

    first = await asyncio.to_thread(run, "import", str(export))
    assert first.returncode == 0, first.stdout + first.stderr
    assert "Read 12 rows: 11 new posts, 11 new snapshots" in first.stdout
    assert "13 rows skipped; the rest were imported" in first.stdout
    for line in range(7, 20):
        assert f"  line {line}: " in first.stdout, line
    for args in (["detect"], ["detect", "--all"], ["wins", "--since", "3650d"],
                 ["digest", "preview"], ["import", str(export)]):  # fmt: skip
        later = await asyncio.to_thread(run, *args)
        assert later.returncode == 0, (args, later.stdout + later.stderr)
        assert "Traceback" not in later.stderr + later.stdout
    assert "0 new posts, 0 new snapshots, 11 already known" in later.stdout

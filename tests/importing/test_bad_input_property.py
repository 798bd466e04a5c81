"""Generated exports, good and mangled, through the real import into a real SQLite store.

Whatever a row holds (counts past 64 bits, dates at the ends of time, NULs, names longer than
their columns, any Unicode), the import must not raise, every row must be either stored or
reported with the line it starts on, and detection afterwards must still succeed.

One allowance: a cell past the csv module's field limit (128 KiB, twice the longest post any
network allows) ends its row as "unreadable" part-way, and the csv module cannot tell where
that row ends: the rest of it may come out as more bad rows, and the lines of the rows after it
be counted from there. So rows are checked line by line up to the first unreadable one; after
it, only that nothing was stored that no row named. (The limit stays: an unclosed quote makes
one field of the rest of a file, and the limit is what stops it there.)
"""

from __future__ import annotations

import asyncio
import csv
import io
import shutil
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from adapters.sources.exports import open_export
from bot.domain.wins import DetectionRules
from bot.store.db import Database
from bot.store.ingest import IngestReport, ingest_batches
from bot.store.tables import posts
from bot.usecases.detection import detect

HEADER = [
    "platform", "account", "post_id", "url", "published_at", "text", "impressions", "likes",
    "followers", "captured_at",
]  # fmt: skip

# Any character but a carriage return (the test counts lines by "\n") and surrogates (which
# no file can hold).
_CHARACTERS = st.characters(exclude_characters="\r", exclude_categories=["Cs"])
_TEXT = st.text(_CHARACTERS, max_size=12)

counts = st.one_of(
    st.integers(0, 10**6).map(str),
    st.integers(2**62, 2**70).map(str),
    st.integers(-(10**6), -1).map(str),
    st.sampled_from(["", "-", "n/a", "12,345", "1.234.567", "12.0", " 7 ", "1_000", "4.5%"]),
    st.sampled_from(["²", "١٢", "1e5", "9" * 5000, "１２"]),
    _TEXT,
)
dates = st.one_of(
    st.datetimes(datetime(2004, 1, 1), datetime(2026, 11, 1), timezones=st.just(UTC)).map(
        datetime.isoformat
    ),
    st.datetimes(timezones=st.sampled_from([UTC, None])).map(datetime.isoformat),
    st.sampled_from(
        [
            "9999-12-31T23:59:59Z",
            "9999-12-31T23:00:00-05:00",
            "0001-01-01T00:00:00+01:00",
            "1999-12-31",
            "2100-01-01",
            "2026-02-30",
            "07/14/2026 09:30",
            "yesterday",
            "",
        ]
    ),
    _TEXT,
)
names = st.one_of(
    st.sampled_from(["acme", "rival", "ac\x00me", "a" * 200, "a" * 201, ""]),
    st.text(_CHARACTERS, min_size=1, max_size=8),
    st.text(_CHARACTERS, min_size=195, max_size=210),
)
texts = st.one_of(_TEXT, st.sampled_from(["launch\x00day", "two\nlines"]))
# A post's text past the csv field limit: rare, since the rows after it are checked less.
TOO_LONG = "x" * 140_000
platforms = st.sampled_from(["mastodon", "x", "Twitter", "linkedin", "myspace", ""])
id_endings = st.one_of(st.just(""), _TEXT, st.just("\x00"), st.just("p" * 201), st.just("E+17"))


@st.composite
def rows(draw: st.DrawFn, number: int) -> list[str]:
    # "r{number}-" starts every id, so no two rows name one post whatever the rest says.
    text = TOO_LONG if draw(st.integers(0, 40)) == 0 else draw(texts)
    return [
        draw(platforms), draw(names), f"r{number}-{draw(id_endings)}", draw(texts.map(_link)),
        draw(dates), text, draw(counts), draw(counts), draw(counts), draw(dates),
    ]  # fmt: skip


def _link(text: str) -> str:
    return f"https://example.com/{text}" if text else ""


@st.composite
def exports(draw: st.DrawFn) -> list[list[str]]:
    size = draw(st.integers(1, 25))
    return [draw(rows(number)) for number in range(size)]


@dataclass
class Written:
    path: Path
    lines: list[int]  # the line each row starts on
    end: int  # the line after the last


def write(path: Path, table: list[list[str]]) -> Written:
    buffer = io.StringIO(newline="")
    out = csv.writer(buffer)
    out.writerow(HEADER)
    lines = []
    for cells in table:
        lines.append(buffer.getvalue().count("\n") + 1)
        out.writerow(cells)
    path.write_text(buffer.getvalue(), encoding="utf-8", newline="")
    return Written(path, lines, buffer.getvalue().count("\n") + 1)


async def import_and_detect(path: Path, url: str) -> tuple[IngestReport, set[str]]:
    db = Database(url)
    try:
        with open_export(path) as reader:
            report = await ingest_batches(db, reader.batches(), now=datetime.now(UTC))
        await detect(db, DetectionRules())
        await detect(db, DetectionRules(), everything=True)
        async with db.engine.connect() as conn:
            stored = set((await conn.execute(select(posts.c.external_id))).scalars())
    finally:
        await db.dispose()
    return report, stored


@pytest.fixture(scope="module")
def workdir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("generated")


@settings(
    max_examples=50,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.large_base_example],
)
@given(table=exports())
def test_any_export_imports_without_raising_and_accounts_for_every_row(
    table: list[list[str]], workdir: Path, sqlite_template: Path
) -> None:
    database = workdir / "store.db"
    shutil.copy(sqlite_template, database)
    written = write(workdir / "export.csv", table)

    report, stored = asyncio.run(import_and_detect(written.path, f"sqlite+aiosqlite:///{database}"))

    reported = [problem.line for problem in report.problems]
    assert len(reported) == len(set(reported)), "a line reported twice"
    assert stored <= {cells[2].strip() for cells in table}, "a post no row named was stored"
    lost_track = min(
        (p.line for p in report.problems if p.reason.startswith("unreadable row")),
        default=written.end,
    )
    checked = [
        (line, cells)
        for line, cells in zip(written.lines, table, strict=True)
        if line <= lost_track
    ]
    for line, cells in checked:
        if line not in reported:
            assert cells[2].strip() in stored, f"line {line} neither stored nor reported"
    assert {line for line in reported if line <= lost_track} <= set(written.lines)
    if lost_track == written.end:
        assert report.rows + report.problem_count == len(table)

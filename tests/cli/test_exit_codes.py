"""Exit codes as scripts and schedulers see them: a command that did not do its job exits
non-zero with one clear line, never a traceback; one that did exits 0, warning about the rest.

The commands run as people run them, in a process of their own, so what is checked is what a
terminal or a cron mail shows.
"""

from __future__ import annotations

import asyncio
import csv
import io
import os
import sys
import zipfile
from dataclasses import dataclass
from pathlib import Path

import openpyxl
import pytest
from typer.testing import CliRunner

from bot.cli import app, data
from tests.fakes.social.mastodon import FakeMastodon

REPO = Path(__file__).resolve().parents[2]
HEADER = "platform,account,post_id,url,published_at,text,impressions,likes,captured_at\n"
GOOD = "mastodon,acme,{id},,2026-07-14T09:30:00Z,ok,100,5,2026-07-15T08:00:00Z\n"


@dataclass
class Ran:
    code: int
    out: str
    err: str


async def winsbot(*args: str, cwd: Path, **env: str) -> Ran:
    """``winsbot ARGS`` in its own process (the event loop stays free for fake servers)."""
    base = {key: value for key, value in os.environ.items() if key != "WINSBOT_CONFIG"}
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-c", "from bot.cli import main; main()", *args,
        cwd=cwd,
        env={
            **base, "PYTHONPATH": str(REPO), "COLUMNS": "200",
            "DATABASE_URL": f"sqlite:///{cwd / 'winsbot.db'}", **env,
        },
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )  # fmt: skip
    out, err = await asyncio.wait_for(process.communicate(), timeout=120)
    assert process.returncode is not None
    return Ran(process.returncode, out.decode(), err.decode())


def no_traceback(ran: Ran) -> None:
    assert "Traceback" not in ran.err + ran.out, ran.err


def red_lines(ran: Ran) -> list[str]:
    return [line for line in ran.err.splitlines() if line.startswith("winsbot: ")]


async def test_an_import_that_refuses_every_row_exits_1(tmp_path: Path) -> None:
    export = tmp_path / "all_bad.csv"
    export.write_text(
        HEADER
        + "mastodon,acme,1,,yesterday,ok,100,5,\n"
        + f"mastodon,acme,2,,2026-07-14T09:30:00Z,ok,{2**63},5,\n"
    )

    ran = await winsbot("import", str(export), cwd=tmp_path)

    assert ran.code == 1
    no_traceback(ran)
    assert red_lines(ran) == [
        "winsbot: nothing was imported from all_bad.csv: every row was refused (reasons above)"
    ]
    assert "2 rows skipped:" in ran.out
    assert "line 2: column 'published_at': expected a date" in ran.out
    assert "line 3: column 'impressions': expected a count of at most 1,000,000,000,000" in ran.out


async def test_an_import_with_some_bad_rows_exits_0_with_one_warning(tmp_path: Path) -> None:
    export = tmp_path / "some_bad.csv"
    export.write_text(
        HEADER + GOOD.format(id=1) + "mastodon,acme,2,,9999-12-31T23:59:59Z,ok,1,5,\n"
    )

    ran = await winsbot("import", str(export), cwd=tmp_path)

    assert ran.code == 0, ran.err
    no_traceback(ran)
    assert red_lines(ran) == []
    warnings = [line for line in ran.err.splitlines() if "WARNING" in line]
    assert len(warnings) == 1
    assert "import of some_bad.csv skipped 1 bad row(s), the first at line 3" in warnings[0]
    assert "1 row skipped; the rest were imported:" in ran.out


def zip_of(files: dict[str, str]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, text in files.items():
            archive.writestr(name, text)
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("name", "content", "says"),
    [
        (
            "fake.xlsx",
            b"PK\x03\x04" + b"\x00" * 64,
            "fake.xlsx cannot be read as an Excel workbook",
        ),
        ("photos.xlsx", zip_of({"a.txt": "hi"}), "photos.xlsx cannot be read as an Excel workbook"),
        ("old.xls", b"\xd0\xcf\x11\xe0" + bytes(64), "old.xls is an Excel 97-2003 workbook"),
        ("empty.csv", b"", "empty.csv is empty"),
        ("people.csv", b"Name,Email\nAda,ada@example.com\n", "people.csv is not an export"),
    ],
)
async def test_a_file_that_cannot_be_imported_exits_2_with_its_reason(
    tmp_path: Path, name: str, content: bytes, says: str
) -> None:
    export = tmp_path / name
    export.write_bytes(content)

    ran = await winsbot("import", str(export), cwd=tmp_path)

    assert ran.code == 2
    no_traceback(ran)
    assert red_lines(ran)[0].startswith(f"winsbot: {says}")


def damaged_workbook(path: Path) -> Path:
    """A workbook of 3,000 posts whose sheet was cut off near its end (a copy that failed)."""
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(next(csv.reader([HEADER])))
    for n in range(3000):
        sheet.append(next(csv.reader([GOOD.format(id=n)])))
    book.save(path)
    with zipfile.ZipFile(path) as source:
        parts = {name: source.read(name) for name in source.namelist()}
    part = "xl/worksheets/sheet1.xml"
    parts[part] = parts[part][: len(parts[part]) * 9 // 10]
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as target:
        for name, content in parts.items():
            target.writestr(name, content)
    path.write_bytes(buffer.getvalue())
    return path


async def test_a_workbook_damaged_part_way_exits_1_keeping_the_rows_before(tmp_path: Path) -> None:
    export = damaged_workbook(tmp_path / "posts.xlsx")

    ran = await winsbot("import", str(export), cwd=tmp_path)
    again = await winsbot("import", str(export), cwd=tmp_path)

    assert (ran.code, again.code) == (1, 1)
    no_traceback(ran)
    [line] = red_lines(ran)
    assert line.startswith("winsbot: posts.xlsx cannot be read as an Excel workbook (")


def test_a_workbook_damaged_part_way_exits_1_from_the_parser_process_too(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    export = damaged_workbook(tmp_path / "posts.xlsx")
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'cli.db'}")
    monkeypatch.delenv("WINSBOT_CONFIG", raising=False)
    monkeypatch.setattr(data, "BACKGROUND_FROM_BYTES", 0)

    result = CliRunner().invoke(app, ["import", str(export)])

    assert result.exit_code == 1
    assert isinstance(result.exception, SystemExit)  # typer.Exit, not an error escaping
    assert "posts.xlsx cannot be read as an Excel workbook (" in result.output


def accounts_toml(path: Path, handles: list[str]) -> None:
    path.write_text(
        "".join(f'[[accounts]]\nplatform = "mastodon"\nhandle = "{h}"\n\n' for h in handles)
    )


async def test_a_poll_that_could_not_read_an_account_exits_1_naming_it(tmp_path: Path) -> None:
    accounts_toml(tmp_path / "winsbot.toml", ["mastodonpy_test", "nobody"])
    async with FakeMastodon() as mastodon:
        ran = await winsbot("sources", "poll", cwd=tmp_path, MASTODON_BASE_URL=mastodon.url)

    assert ran.code == 1
    no_traceback(ran)
    assert red_lines(ran) == ["winsbot: 1 of 2 accounts not polled: mastodon:nobody"]
    assert ran.out.startswith("1 account, ")  # the other account's posts were stored


async def test_a_poll_that_read_every_account_exits_0(tmp_path: Path) -> None:
    accounts_toml(tmp_path / "winsbot.toml", ["mastodonpy_test"])
    async with FakeMastodon() as mastodon:
        ran = await winsbot("sources", "poll", cwd=tmp_path, MASTODON_BASE_URL=mastodon.url)
        only_youtube = await winsbot(
            "sources", "poll", "--source", "youtube", cwd=tmp_path, MASTODON_BASE_URL=mastodon.url
        )

    assert ran.code == 0, ran.err
    no_traceback(ran)
    assert red_lines(ran) == []
    assert only_youtube.code == 2
    assert red_lines(only_youtube) == ["winsbot: no account in winsbot.toml is on YouTube"]


async def test_a_poll_of_a_platform_winsbot_cannot_read_exits_2_with_what_to_do(
    tmp_path: Path,
) -> None:
    (tmp_path / "winsbot.toml").write_text('[[accounts]]\nplatform = "tiktok"\nhandle = "acme"\n')

    ran = await winsbot("sources", "poll", cwd=tmp_path)

    assert ran.code == 2
    no_traceback(ran)
    assert red_lines(ran) == [
        "winsbot: no API source for tiktok: import their exports with `winsbot import`"
    ]

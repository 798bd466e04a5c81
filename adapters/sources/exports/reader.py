"""Opening an export file, finding its header and streaming its rows.

Files are read as they are iterated (the csv module over the open file, openpyxl in read-only
mode for .xlsx), so memory stays flat however many rows an export has. The header is looked for
in the first few rows because some exports (LinkedIn's) put a description row above it, and in
a workbook on every sheet in turn, because the sheet with the posts is known by its columns,
not its name ("All posts", "Update engagement", "Todas las publicaciones"...).

Before the rows come the file's own problems (columns the export is not known to have), and
for exports that list a post on several rows the rows are merged by post (parts.py).
"""

from __future__ import annotations

import csv
import io
import itertools
from collections.abc import Callable, Iterable, Iterator, Sequence
from datetime import datetime
from functools import partial
from pathlib import Path
from typing import IO, Any

from bot.domain.batches import BATCH_SIZE, PACKED, BatchBuilder, Packed, RecordBatch
from bot.domain.models import RowProblem, SourceItem, parse_platform

from .closing import Closing
from .daily import daily_totals_error
from .errors import EmptyExportError, ExportError, UnknownFormatError
from .formats import FORMATS, ExportFormat
from .parts import PartMerger
from .rows import RowBuilder

# How far down a header may sit: LinkedIn's has one description row above it.
_HEADER_SCAN_ROWS = 10
_DELIMITERS = (",", ";", "\t")
_XLSX_MAGIC = b"PK\x03\x04"
_XLS_MAGIC = b"\xd0\xcf\x11\xe0"  # Excel 97-2003 (an OLE2 file), which openpyxl cannot read
# What of a header cell past the csv module's field limit is kept: it names no column anyway.
_LONGEST_HEADER_CELL = 100

# A header candidate split one way: (delimiter, cells); workbooks have one reading per row.
Reading = tuple[str, list[str]]
# Turns a row (cells, line number) into an item: RowBuilder.build, or a packer's PACKED.
Build = Callable[[list[str], int], "SourceItem | Packed | None"]
# Reads the file's rows through a Build, once.
Read = Callable[[Build], Iterator[Any]]


class ExportReader(Closing):
    """One open export: iterate it for records, ask it how far it got for a progress bar."""

    format: ExportFormat
    sheet: str | None = None  # the workbook sheet the posts were read from
    _builder: RowBuilder

    def __init__(
        self, path: Path, wanted: Sequence[ExportFormat], account: str | None, platform: str | None
    ) -> None:
        self.path = path
        self._account = account.strip() if account and account.strip() else None
        self._platform = parse_platform(platform) if platform else None
        try:
            self.total_bytes = path.stat().st_size
            self._binary: IO[bytes] = path.open("rb")
        except OSError as problem:  # a folder, no permission, a file gone since it was named
            raise ExportError(f"cannot read {path.name}: {problem.strerror or problem}") from None
        self._bytes_at_close: int | None = None
        self._text: IO[str] | None = None
        self._workbook: Any = None
        self._seen: list[list[str]] = []  # header candidates that matched no format
        self._notes: list[RowProblem] = []  # the file's own problems, before its rows
        try:
            magic = self._binary.read(4)
            self._binary.seek(0)
            if magic == _XLSX_MAGIC:
                read = self._open_workbook(wanted)
            elif magic == _XLS_MAGIC:
                raise ExportError(
                    f"{path.name} is an Excel 97-2003 workbook (.xls), which winsbot cannot "
                    "read: open it in Excel, save it as .xlsx or CSV, and import that file."
                )
            else:
                read = self._open_csv(wanted, magic)
            if self._builder.has_parts:
                read = partial(_merged, read, self._builder)
            # Wrapped only when there is something to say: a wrapper is a frame more per row.
            self._read: Read = partial(_after, self._notes, read) if self._notes else read
        except BaseException:
            self.close()
            raise

    @property
    def bytes_read(self) -> int:
        if self._bytes_at_close is not None:
            return self._bytes_at_close
        return min(self._binary.tell(), self.total_bytes)

    def __iter__(self) -> Iterator[SourceItem]:
        """The records, one per row. An export is read once: iterate it or take ``batches``."""
        items: Iterator[SourceItem] = self._read(self._builder.build)
        return items

    def batches(self, size: int = BATCH_SIZE) -> Iterator[RecordBatch]:
        """The records packed in batches of ``size`` rows (bad rows included), for bulk ingest."""
        into = BatchBuilder()
        rows = 0
        for item in self._read(self._builder.packer(into)):
            if item is not PACKED:
                into.add(item)
            rows += 1
            if rows == size:
                yield into.take()
                rows = 0
        if rows:
            yield into.take()

    def close(self) -> None:
        if self._bytes_at_close is None:
            self._bytes_at_close = self.bytes_read
        if self._workbook is not None:
            self._workbook.close()
            self._workbook = None
        if self._text is not None:
            self._text.close()  # closes the binary file under it too
        self._binary.close()

    def _recognise(
        self, rows: Iterable[tuple[int, list[Reading]]], wanted: Sequence[ExportFormat]
    ) -> tuple[int, str] | None:
        """The header's line and the delimiter it was read with (and the builder for the rows
        below), or None when no candidate row is a wanted export's header.

        Each candidate row comes with several readings (one per plausible delimiter), because
        the delimiter is only known once a reading's cells match an export's columns.
        """
        for line, readings in rows:
            if not any(cell.strip() for _, cells in readings for cell in cells):
                continue
            for delimiter, cells in readings:
                for fmt in wanted:
                    columns = fmt.match(cells)
                    if columns is not None:
                        self.format = fmt
                        self._builder = RowBuilder(fmt, columns, self._account, self._platform)
                        self._note_unknown_columns(line, cells)
                        return line, delimiter
            self._seen.append(max((cells for _, cells in readings), key=len))
        return None

    def _note_unknown_columns(self, line: int, header: Sequence[str]) -> None:
        """One problem for the file naming the columns its export is not known to have.

        A column winsbot does not know may hold a count people expect to see (a new name for
        likes, say): dropping it unannounced would make the import look complete when it is not.
        """
        unknown = self.format.unrecognised(header)
        if not unknown:
            return
        names = ", ".join(repr(name) for name in unknown)
        where = f"sheet {self.sheet!r}: " if self.sheet else ""
        one = len(unknown) == 1
        self._notes.append(
            RowProblem(
                line,
                f"{where}{'column' if one else 'columns'} {names} {'was' if one else 'were'} "
                f"not imported: winsbot does not know {'it' if one else 'them'} as a column of "
                f"the {self.format.title}, so it cannot tell what "
                f"{'it holds' if one else 'they hold'}. The rest of each row was imported; if "
                "one is a count winsbot keeps, rename it to the export's name for that count "
                f"({self.format.metrics()}) and import the file again.",
            )
        )

    def _failure(self, wanted: Sequence[ExportFormat]) -> UnknownFormatError:
        return daily_totals_error(self.path, self._seen) or _unrecognised(
            self.path, self._seen, wanted
        )

    def _open_csv(self, wanted: Sequence[ExportFormat], magic: bytes) -> Read:
        # Excel's "Unicode text" and some older exports are UTF-16; everything else is UTF-8,
        # maybe with a BOM. A stray byte becomes U+FFFD rather than aborting a long import.
        encoding = "utf-16" if magic[:2] in (b"\xff\xfe", b"\xfe\xff") else "utf-8-sig"
        text = io.TextIOWrapper(self._binary, encoding=encoding, errors="replace", newline="")
        self._text = text
        found = self._recognise(_csv_header_candidates(text), wanted)
        if found is None:
            raise self._failure(wanted)
        header_line, delimiter = found
        return partial(_csv_items, csv.reader(text, delimiter=delimiter), header_line, self)

    def _open_workbook(self, wanted: Sequence[ExportFormat]) -> Read:
        """The first sheet whose header is a wanted export's, whatever the sheet is called.

        LinkedIn's workbook starts with a sheet of daily totals and keeps the posts on another
        (named in the exporting account's language); other tools' workbooks have one sheet.
        """
        import openpyxl  # only .xlsx imports pay for loading it

        self._workbook = _load_workbook(openpyxl.load_workbook, self._binary, self.path)
        for sheet in self._workbook.worksheets:
            self.sheet = sheet.title if len(self._workbook.worksheets) > 1 else None
            cells = ([_cell_text(value) for value in row] for row in _sheet_rows(sheet, self.path))
            rows = enumerate(cells, start=1)
            candidates = (
                (line, [("", row)]) for line, row in itertools.islice(rows, _HEADER_SCAN_ROWS)
            )
            if self._recognise(candidates, wanted) is not None:
                return partial(_workbook_items, rows, self)
        self.sheet = None
        raise self._failure(wanted)


def _csv_header_candidates(text: IO[str]) -> Iterator[tuple[int, list[Reading]]]:
    """The first lines, each split by every delimiter it contains, the most frequent first.

    Lines are read one at a time with readline so the csv reader can carry on from the header.
    """
    for line in range(1, _HEADER_SCAN_ROWS + 1):
        raw = text.readline()
        if not raw:
            return
        if not raw.strip():
            continue
        delimiters = sorted(_DELIMITERS, key=raw.count, reverse=True)
        yield line, [(delimiter, _split(raw, delimiter)) for delimiter in delimiters]


def _split(raw: str, delimiter: str) -> list[str]:
    try:
        return next(csv.reader([raw], delimiter=delimiter), [])
    except csv.Error:  # a cell past the field limit (128 KiB): the line read plainly, cut short
        return [cell[:_LONGEST_HEADER_CELL] for cell in raw.split(delimiter)]


def _load_workbook(load: Callable[..., Any], binary: IO[bytes], path: Path) -> Any:
    """The workbook openpyxl reads from ``binary``, or one message for a file it cannot read.

    Any failure here is the file's (a zip cut short, a zip of something else, a damaged part),
    and openpyxl's exception for each differs, so all of them become one ExportError.
    """
    try:
        return load(binary, read_only=True, data_only=True)
    except Exception as problem:
        raise _unreadable_workbook(path, problem) from None


def _sheet_rows(sheet: Any, path: Path) -> Iterator[tuple[object, ...]]:
    """A sheet's rows as openpyxl reads them; a sheet damaged part-way is one ExportError."""
    try:
        yield from sheet.iter_rows(values_only=True)
    except Exception as problem:
        raise _unreadable_workbook(path, problem) from None


def _unreadable_workbook(path: Path, problem: Exception) -> ExportError:
    # args[0], not str(): a KeyError's str() is its message in quotes.
    said = str(problem.args[0]) if len(problem.args) == 1 else str(problem)
    reason = said.strip().splitlines()[0] if said.strip() else type(problem).__name__
    return ExportError(
        f"{path.name} cannot be read as an Excel workbook ({reason}). Export it again, or open "
        "it in Excel and save it as .xlsx or CSV, and import that file."
    )


def _cell_text(value: object) -> str:
    """Excel cells hold numbers and dates; rows are built from text like a CSV's."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, datetime):
        return value.isoformat(sep=" ")
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _unrecognised(
    path: Path, seen: list[list[str]], wanted: Sequence[ExportFormat]
) -> UnknownFormatError:
    if not seen:
        return EmptyExportError(
            f"{path.name} is empty: it has no header row. Check you picked the exported file, "
            "or export the posts again."
        )
    header = max(seen, key=lambda cells: sum(1 for cell in cells if cell.strip()))
    found = ", ".join(cell.strip() for cell in header if cell.strip())
    if len(wanted) == 1:
        (fmt,) = wanted
        return UnknownFormatError(
            f"{path.name} is not a {fmt.title} export: its header lacks "
            f"{', '.join(fmt.missing_in(header))}.\n"
            f"Found header: {found}\n"
            f"Expected: {fmt.describe()}\n"
            "Leave out --format to let winsbot recognise the file."
        )
    known = "\n".join(f"  - {fmt.describe()}" for fmt in wanted)
    closest = max(wanted, key=lambda fmt: fmt.recognised_in(header))
    hint = (
        f"It looks closest to {closest.name}, which also needs "
        f"{', '.join(closest.missing_in(header))}. "
        if closest.recognised_in(header)
        else ""
    )
    return UnknownFormatError(
        f"{path.name} is not an export winsbot recognises.\n"
        f"Found header: {found}\n"
        f"Known formats (name, then the columns each needs):\n{known}\n"
        f"{hint}Rename the columns to match a format, or pass --format NAME."
    )


def _csv_items(
    reader: Any, header_line: int, owner: ExportReader, build: Build
) -> Iterator[SourceItem | Packed]:
    start = header_line + 1
    try:
        while True:
            try:
                for row in reader:
                    item = build(row, start)
                    start = header_line + reader.line_num + 1
                    if item is not None:
                        yield item
                return
            except csv.Error as problem:
                # Mostly a cell past the csv module's field limit (128 KiB, twice the longest
                # post any network allows). The limit stays: it is what ends the one field an
                # unclosed quote makes of the rest of a file. The row's lines after the cell
                # may come out as more bad rows; they are never stored as good ones.
                yield RowProblem(start, f"unreadable row: {problem}")
                start = header_line + reader.line_num + 1
    finally:
        owner.close()


def _after(notes: list[RowProblem], read: Read, build: Build) -> Iterator[SourceItem | Packed]:
    """The file's own problems, then its rows."""
    yield from notes
    yield from read(build)


def _merged(read: Read, builder: RowBuilder, _: Build) -> Iterator[SourceItem]:
    """The rows of an export that lists a post on several rows, one record per post.

    Records are built here whatever ``build`` the caller passed: a post's rows must be seen
    together before any of them can be stored, so there is nothing to pack row by row.
    """
    merger = PartMerger(builder)
    yield from read(merger.add)
    yield from merger.results()


def _workbook_items(
    rows: Iterator[tuple[int, list[str]]], owner: ExportReader, build: Build
) -> Iterator[SourceItem | Packed]:
    try:
        for line, row in rows:
            item = build(row, line)
            if item is not None:
                yield item
    finally:
        owner.close()


def open_export(
    path: Path | str,
    fmt: str | None = None,
    account: str | None = None,
    platform: str | None = None,
) -> ExportReader:
    """Open an export and recognise its format from the header (or check it is ``fmt``).

    ``account`` and ``platform``, when given, override what the file says: they are how a
    person tells winsbot whose export this is when the file does not (LinkedIn's never does).
    Raises an ``ExportError`` (a ValueError) whose message says what to pass or fix.
    """
    wanted = FORMATS
    if fmt is not None:
        by_name = {known.name: known for known in FORMATS}
        chosen = by_name.get(fmt.strip().lower())
        if chosen is None:
            names = ", ".join(by_name)
            raise UnknownFormatError(f"unknown format {fmt!r}: choose one of {names}")
        wanted = (chosen,)
    return ExportReader(Path(path), wanted, account, platform)

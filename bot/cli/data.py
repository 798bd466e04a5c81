"""`winsbot import` and `winsbot detect`: getting results in and turning them into wins."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import typer
from rich.progress import BarColumn, DownloadColumn, Progress, TextColumn, TimeRemainingColumn

from adapters.sources.exports import (
    BACKGROUND_FROM_BYTES,
    FORMATS,
    BackgroundExport,
    ExportError,
    ExportReader,
    UnknownFormatError,
    open_export,
)
from bot.cli.context import console, errors, fail, open_service, run, settings
from bot.domain.formatting import plural
from bot.domain.models import AccountKind

if TYPE_CHECKING:
    from bot.domain.batches import RecordBatch
    from bot.store.ingest import IngestReport
    from bot.usecases.detection import DetectionReport

log = logging.getLogger("winsbot.import")
SHOWN_PROBLEMS = 20
FORMAT_NAMES = ", ".join(export.name for export in FORMATS)


def import_file(
    file: Path = typer.Argument(..., help="A CSV or XLSX export.", exists=False),
    fmt: str | None = typer.Option(
        None, "--format", "-f", help=f"Skip format detection: one of {FORMAT_NAMES}."
    ),
    account: str | None = typer.Option(
        None, "--account", "-a", help="Account handle, for exports that do not name it."
    ),
    platform: str | None = typer.Option(None, "--platform", help="Platform, if ambiguous."),
    no_detect: bool = typer.Option(False, "--no-detect", help="Import only; find wins later."),
    peer: bool = typer.Option(
        False, "--peer", help="The file's accounts are peers (competitors, examples), not ours."
    ),
) -> None:
    """Import posts and their numbers from an export; re-importing the same file changes nothing."""
    if not file.is_file():
        raise fail(f"{file}: no such file")
    config = settings()
    try:
        reader = _open(file, fmt, account, platform)
    except (UnknownFormatError, ValueError) as exc:
        log.warning("import of %s refused: %s", file.name, str(exc).splitlines()[0])
        raise fail(str(exc)) from None

    async def go() -> tuple[IngestReport, DetectionReport | None]:
        async with open_service(config) as service:
            with reader, _bytes_progress() as progress:
                task = progress.add_task(f"Importing {file.name}", total=reader.total_bytes)

                def advance(_: IngestReport) -> None:
                    progress.update(task, completed=reader.bytes_read)

                named: set[tuple[str, str]] = set()
                batches = _naming(reader.batches(), named) if peer else reader.batches()
                report = await service.ingest_batches(batches, on_batch=advance)
                progress.update(task, completed=reader.total_bytes)
            if named:  # before detection, which judges peers' posts apart from ours
                await service.set_account_kind(named, AccountKind.PEER)
                log.info("marked %d imported account(s) as peers", len(named))
            found = None if no_detect or not report.rows else await service.detect()
            return report, found

    console.print(f"[dim]Format: {reader.format.title}[/dim]")
    try:
        report, found = run(go())
    except ExportError as exc:  # unreadable part-way (a damaged sheet), or the parser stopped
        log.warning("import of %s stopped: %s", file.name, str(exc).splitlines()[0])
        raise fail(str(exc), code=1) from None
    finally:
        reader.close()  # also when the database could not be opened: no parser left running
    _print_import(report)
    if report.problem_count and not report.rows:
        # Every row refused: the command did not do its job, whatever the reasons listed above.
        raise fail(
            f"nothing was imported from {file.name}: every row was refused (reasons above)", 1
        )
    if report.problem_count:
        first = report.problems[0]
        log.warning(
            "import of %s skipped %d bad row(s), the first at line %d: %s",
            file.name, report.problem_count, first.line, first.reason,
        )  # fmt: skip
    if found is not None:
        _print_detection(found)


def _open(
    file: Path, fmt: str | None, account: str | None, platform: str | None
) -> ExportReader | BackgroundExport:
    """A large file is parsed in a second process while this one stores what it has read."""
    if file.stat().st_size >= BACKGROUND_FROM_BYTES:
        return BackgroundExport(file, fmt, account, platform)
    return open_export(file, fmt=fmt, account=account, platform=platform)


def _naming(batches: Iterator[RecordBatch], named: set[tuple[str, str]]) -> Iterator[RecordBatch]:
    """The batches as they are, noting each (platform, handle) they hold into ``named``."""
    for batch in batches:
        named.update((platform, account) for platform, _, account, *_ in batch.posts)
        named.update((f.platform.value, f.account) for f in batch.followers)
        yield batch


def detect(
    rescore_all: bool = typer.Option(False, "--all", help="Rescore every post."),
) -> None:
    """Find wins among posts with new numbers (or all posts with --all)."""

    async def go() -> DetectionReport:
        async with open_service(settings()) as service:
            return await service.detect(everything=rescore_all)

    _print_detection(run(go()))


def _bytes_progress() -> Progress:
    return Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        DownloadColumn(),
        TimeRemainingColumn(),
        console=errors,
        transient=False,
    )


def _print_import(report: IngestReport) -> None:
    console.print(
        f"Read {_count(report.rows, 'row')}: {_count(report.posts_added, 'new post')}, "
        f"{_count(report.snapshots_added, 'new snapshot')}, "
        f"{report.snapshots_unchanged:,} already known, "
        f"{_count(report.followers_added, 'follower count')}."
    )
    if report.problem_count:
        rest = "; the rest were imported" if report.rows else ""
        skipped = _count(report.problem_count, "row")
        console.print(f"[yellow]{skipped} skipped{rest}:[/yellow]")
        for problem in report.problems[:SHOWN_PROBLEMS]:
            console.print(f"  line {problem.line}: {problem.reason}", highlight=False, markup=False)
        if report.problem_count > SHOWN_PROBLEMS:
            console.print(f"  … and {report.problem_count - SHOWN_PROBLEMS:,} more")


def _print_detection(report: DetectionReport) -> None:
    console.print(
        f"Scored {_count(report.posts_scored, 'post')}: {_count(report.wins_added, 'new win')} "
        f"({report.wins_updated:,} updated), "
        f"{_count(report.milestones_added, 'follower milestone')}, "
        f"{_count(report.goals_added, 'campaign goal')} reached."
    )


def _count(number: int, noun: str) -> str:
    """ "1 row", "2 rows": a count with its noun, as people write it."""
    return f"{number:,} {plural(number, noun)}"

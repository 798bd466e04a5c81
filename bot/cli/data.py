"""`winsbot import` and `winsbot detect`: getting results in and turning them into wins."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import TYPE_CHECKING

import typer
from rich.progress import BarColumn, DownloadColumn, Progress, TextColumn, TimeRemainingColumn

from adapters.sources.exports import (
    BACKGROUND_FROM_BYTES,
    FORMATS,
    BackgroundExport,
    ExportReader,
    ParserStoppedError,
    UnknownFormatError,
    open_export,
)
from bot.cli.context import console, errors, fail, open_service, run, settings

if TYPE_CHECKING:
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

                report = await service.ingest_batches(reader.batches(), on_batch=advance)
                progress.update(task, completed=reader.total_bytes)
            found = None if no_detect else await service.detect()
            return report, found

    console.print(f"[dim]Format: {reader.format.title}[/dim]")
    try:
        report, found = run(go())
    except ParserStoppedError as exc:
        log.warning("import of %s stopped: %s", file.name, exc)
        raise fail(str(exc), code=1) from None
    _print_import(report)
    if found is not None:
        _print_detection(found)


def _open(
    file: Path, fmt: str | None, account: str | None, platform: str | None
) -> ExportReader | BackgroundExport:
    """A large file is parsed in a second process while this one stores what it has read."""
    if file.stat().st_size >= BACKGROUND_FROM_BYTES:
        return BackgroundExport(file, fmt, account, platform)
    return open_export(file, fmt=fmt, account=account, platform=platform)


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
        f"Read {report.rows:,} rows: {report.posts_added:,} new posts, "
        f"{report.snapshots_added:,} new snapshots, {report.snapshots_unchanged:,} already known, "
        f"{report.followers_added:,} follower counts."
    )
    if report.problem_count:
        console.print(
            f"[yellow]{report.problem_count:,} row(s) skipped; the rest were imported:[/yellow]"
        )
        for problem in report.problems[:SHOWN_PROBLEMS]:
            console.print(f"  line {problem.line}: {problem.reason}", highlight=False, markup=False)
        if report.problem_count > SHOWN_PROBLEMS:
            console.print(f"  … and {report.problem_count - SHOWN_PROBLEMS:,} more")
        log.info("import skipped %d bad rows", report.problem_count)


def _print_detection(report: DetectionReport) -> None:
    console.print(
        f"Scored {report.posts_scored:,} posts: {report.wins_added} new wins "
        f"({report.wins_updated} updated), {report.milestones_added} follower milestones, "
        f"{report.goals_added} campaign goals reached."
    )

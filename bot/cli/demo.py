"""`winsbot demo`: the whole path on bundled sample data, no credentials and no server."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

from adapters.sources.sample import sample_accounts, sample_campaigns, sample_records
from bot.cli.context import console, errors, open_service, run, settings
from bot.cli.digest import audience_from, build_digest
from bot.cli.render import render_digest
from bot.domain.formatting import plural
from bot.domain.models import Audience
from bot.domain.periods import last_complete_week
from bot.ports import FixedClock

DEPARTMENT = "recruiting"


def last_monday_morning(now: datetime, tz: str) -> datetime:
    """The most recent Monday 09:00 in ``tz``: the moment a Monday digest goes out."""
    local = now.astimezone(ZoneInfo(tz))
    monday = local.date() - timedelta(days=local.weekday())
    moment = datetime.combine(monday, time(9), tzinfo=ZoneInfo(tz))
    return moment if moment <= local else moment - timedelta(days=7)


def demo(
    database: Path | None = typer.Option(
        None, "--database", help="SQLite file to (re)create (default: <output dir>/demo.db)."
    ),
    department: str = typer.Option(DEPARTMENT, "--department", help="Department digest to show."),
) -> None:
    """Import 90 days of sample results, detect wins and print this Monday's digests."""
    from bot.store.accounts import register_account
    from bot.store.campaigns import add_campaign

    base = settings()
    base.output_dir.mkdir(parents=True, exist_ok=True)
    path = database or base.output_dir / "demo.db"
    for leftover in (path, Path(f"{path}-wal"), Path(f"{path}-shm")):
        leftover.unlink(missing_ok=True)
    config = base.model_copy(update={"database_url": f"sqlite+aiosqlite:///{path}"})
    moment = last_monday_morning(datetime.now(ZoneInfo(config.timezone)), config.timezone)
    clock = FixedClock(moment)

    async def go() -> list[Path | None]:
        async with open_service(config, clock=clock) as service:
            async with service.db.engine.begin() as conn:
                for account in sample_accounts():
                    await register_account(
                        conn,
                        account.platform,
                        account.handle,
                        kind=account.kind,
                        display_name=account.display_name,
                        tags=account.tags,
                    )
                for campaign in sample_campaigns(moment):
                    await add_campaign(conn, campaign, now=moment)
            records = list(sample_records(moment))
            with Progress(
                TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), console=errors
            ) as progress:
                task = progress.add_task("Importing sample data", total=len(records))
                await service.ingest(
                    records, on_batch=lambda r: progress.update(task, completed=r.rows)
                )
                progress.update(task, completed=len(records))
                scoring = progress.add_task("Detecting wins", total=None)
                found = await service.detect(
                    on_account=lambda done, total: progress.update(
                        scoring, completed=done, total=total
                    )
                )
            console.print(
                f"Imported {len(records):,} sample records.\nFound "
                f"{found.wins_added} post {plural(found.wins_added, 'win')}, "
                f"{found.milestones_added} follower "
                f"{plural(found.milestones_added, 'milestone')}, "
                f"{found.goals_added} {plural(found.goals_added, 'goal')} reached."
            )
            period = last_complete_week(moment, config.timezone)
            charts = []
            for audience in (Audience(), audience_from(department)):
                view, chart = await build_digest(service, audience, period, config.output_dir)
                console.rule(f"Monday digest, {moment:%a %d %b %Y %H:%M %Z}")
                render_digest(view, console)
                charts.append(chart)
            return charts

    charts = run(go())
    for chart in charts:
        console.print(f"Chart written to [bold]{chart}[/bold]")
    console.print(f"Demo database: {path}. Explore it (the README's guided tour):")
    # On a line of its own and never folded: a command broken in two cannot be pasted.
    console.print(
        f"  DATABASE_URL=sqlite:///{path} winsbot wins --since 30d",
        soft_wrap=True,
        highlight=False,
        markup=False,
    )

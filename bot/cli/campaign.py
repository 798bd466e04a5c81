"""`winsbot campaign add/list`: SMART pilots and their progress."""

from __future__ import annotations

import json
from datetime import date

import typer
from pydantic import ValidationError
from rich.table import Table

from bot.cli.context import console, fail, open_service, run, settings
from bot.cli.pilot_report import print_report, report_json
from bot.domain.campaigns import progress_reason, validate_campaign
from bot.domain.models import Campaign, CampaignMetric, CampaignProgress, parse_platform
from bot.domain.pilot_report import PilotReport

app = typer.Typer(help="Campaigns: short pilots with one metric, a target and a window.")


@app.command("add")
def add(
    name: str = typer.Argument(..., help='e.g. "Graduate hiring pilot"'),
    metric: CampaignMetric = typer.Option(..., "--metric", help="What the target counts."),
    target: int = typer.Option(..., "--target", min=1, help="The number that means success."),
    start: str = typer.Option(..., "--start", help="First day, YYYY-MM-DD."),
    end: str = typer.Option(..., "--end", help="Last day, YYYY-MM-DD."),
    tag: str | None = typer.Option(None, "--tag", help="Count posts of accounts with this tag."),
    hashtag: str | None = typer.Option(None, "--hashtag", help="Count posts with this hashtag."),
    account: str | None = typer.Option(None, "--account", help="Count posts of this account."),
    platform: str | None = typer.Option(None, "--platform", help="Count posts on this platform."),
) -> None:
    """Add a campaign; its progress is measured from the posts that match its rule."""
    from bot.store.campaigns import CampaignExistsError

    config = settings()
    try:
        campaign = Campaign(
            name=name.strip(),
            metric=metric,
            target=target,
            starts_on=_day(start, "--start"),
            ends_on=_day(end, "--end"),
            tag=tag,
            hashtag=hashtag,
            account=account,
            platform=parse_platform(platform) if platform else None,
        )
    except (ValueError, ValidationError) as exc:
        raise fail(str(exc)) from None
    problems = validate_campaign(campaign)
    if problems:
        raise fail("cannot add this campaign:\n  " + "\n  ".join(problems))

    async def go() -> int:
        async with open_service(config) as service:
            return await service.add_campaign(campaign)

    try:
        campaign_id = run(go())
    except CampaignExistsError as exc:
        raise fail(str(exc)) from None
    console.print(f"Added campaign #{campaign_id} [bold]{campaign.name}[/bold].")


@app.command("list")
def list_(
    as_json: bool = typer.Option(False, "--json", help="Machine-readable output with stable keys."),
) -> None:
    """Every campaign with its progress against the target."""
    config = settings()

    async def go() -> list[CampaignProgress]:
        async with open_service(config) as service:
            return await service.campaigns()

    found = run(go())
    if as_json:
        typer.echo(json.dumps([_progress_json(p) for p in found], indent=2))
        return
    if not found:
        console.print("No campaigns yet. Add one with `winsbot campaign add NAME --metric ...`.")
        return
    table = Table("Campaign", "Window", "Progress", "Status")
    today = date.today()
    for p in found:
        c = p.campaign
        table.add_row(
            c.name,
            f"{c.starts_on} → {c.ends_on}",
            f"{p.value:,} / {c.target:,} {c.metric.value} ({p.fraction:.0%})",
            progress_reason(p, today=today).rsplit(". ", 1)[-1] if p.reached else "in progress",
        )
    console.print(table)


@app.command("report")
def report(
    name: str = typer.Argument(..., help='The campaign\'s name, e.g. "Graduate hiring pilot".'),
    as_json: bool = typer.Option(False, "--json", help="Machine-readable output with stable keys."),
) -> None:
    """A pilot's report: its SMART goal against the result, best posts, stories and learnings."""
    from bot.usecases.pilot_reports import pilot_report

    config = settings()

    async def go() -> PilotReport | None:
        async with open_service(config) as service:
            return await pilot_report(service, name)

    found = run(go())
    if found is None:
        raise fail(f"no campaign is called {name!r}; `winsbot campaign list` shows them", 1)
    if as_json:
        typer.echo(json.dumps(report_json(found), indent=2, ensure_ascii=False))
        return
    print_report(found, console)


def _day(text: str, option: str) -> date:
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        raise ValueError(f"{option}: expected a date like 2026-11-02, got {text!r}") from None


def _progress_json(p: CampaignProgress) -> dict[str, object]:
    c = p.campaign
    return {
        "id": c.id,
        "name": c.name,
        "metric": c.metric.value,
        "target": c.target,
        "starts_on": c.starts_on.isoformat(),
        "ends_on": c.ends_on.isoformat(),
        "value": p.value,
        "posts": p.posts,
        "reached": p.reached,
    }

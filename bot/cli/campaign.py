"""`winsbot campaign add/edit/list/report`: SMART pilots, their owners and their progress."""

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

_OWNER_HELP = "Who owns the pilot: a Slack user id or Teams AAD object id; repeat for more."
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
    owner: list[str] = typer.Option([], "--owner", help=_OWNER_HELP),
) -> None:
    """Add a campaign; its progress is measured from the posts that match its rule."""
    from bot.store.campaigns import CampaignExistsError
    from bot.usecases.pilot_editing import save_pilot

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
    owners = _owners(owner)

    async def go() -> int:
        async with open_service(config) as service:
            return await save_pilot(service, campaign, owners, by=None)

    try:
        campaign_id = run(go())
    except CampaignExistsError as exc:
        raise fail(str(exc)) from None
    console.print(f"Added campaign #{campaign_id} [bold]{campaign.name}[/bold].")


@app.command("edit")
def edit(
    name: str = typer.Argument(..., help="The campaign's name as it is now."),
    new_name: str | None = typer.Option(None, "--name", help="A new name."),
    metric: CampaignMetric | None = typer.Option(None, "--metric", help="What the target counts."),
    target: int | None = typer.Option(None, "--target", min=1, help="A new target."),
    start: str | None = typer.Option(None, "--start", help="First day, YYYY-MM-DD."),
    end: str | None = typer.Option(None, "--end", help="Last day, YYYY-MM-DD."),
    tag: str | None = typer.Option(None, "--tag", help='Count posts of this tag ("" for none).'),
    hashtag: str | None = typer.Option(None, "--hashtag", help='This hashtag ("" for none).'),
    account: str | None = typer.Option(None, "--account", help='This account ("" for none).'),
    platform: str | None = typer.Option(None, "--platform", help='This platform ("" for none).'),
    owner: list[str] = typer.Option([], "--owner", help=_OWNER_HELP + " Replaces the owners."),
) -> None:
    """Change a campaign: only what is given changes, and the result is checked again.

    Editing an ended pilot never posts its report twice (see bot.usecases.pilot_editing).
    """
    from bot.store.campaigns import CampaignExistsError, find_campaign
    from bot.usecases.pilot_editing import PilotGoneError, save_pilot

    config = settings()
    owners = _owners(owner) if owner else None

    async def go() -> tuple[int, Campaign] | None:
        async with open_service(config) as service:
            async with service.db.engine.connect() as conn:
                found = await find_campaign(conn, name=name)
            if found is None:
                return None
            changed = _changed(found, new_name, metric, target, start, end, tag, hashtag,
                               account, platform)  # fmt: skip
            return await save_pilot(service, changed, owners, by=None), changed

    try:
        done = run(go())
    except (ValueError, ValidationError) as exc:
        if isinstance(exc, CampaignExistsError):
            raise fail(str(exc), 1) from None
        if isinstance(exc, PilotGoneError):
            raise fail(str(exc), 1) from None
        raise fail(str(exc)) from None
    if done is None:
        raise fail(f"no campaign is called {name!r}; `winsbot campaign list` shows them", 1)
    console.print(f"Changed campaign #{done[0]} [bold]{done[1].name}[/bold].")


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


def _owners(given: list[str]) -> tuple[str, ...]:
    """The ``--owner`` ids, checked as the chat form checks them."""
    from bot.domain.owners import chat_of, normalise_owner

    for user in given:
        if chat_of(user.strip()) is None:
            raise fail(f"--owner: {user!r} is neither a Slack user id nor an AAD object id")
    return tuple(dict.fromkeys(normalise_owner(u) for u in given))


def _changed(
    found: Campaign,
    name: str | None,
    metric: CampaignMetric | None,
    target: int | None,
    start: str | None,
    end: str | None,
    tag: str | None,
    hashtag: str | None,
    account: str | None,
    platform: str | None,
) -> Campaign:
    """``found`` with what was given; raises ValueError saying what makes it unmeasurable."""
    update: dict[str, object] = {}
    if name is not None:
        update["name"] = name.strip()
    if metric is not None:
        update["metric"] = metric
    if target is not None:
        update["target"] = target
    if start is not None:
        update["starts_on"] = _day(start, "--start")
    if end is not None:
        update["ends_on"] = _day(end, "--end")
    for key, given in (("tag", tag), ("hashtag", hashtag), ("account", account)):
        if given is not None:
            update[key] = given.strip() or None
    if platform is not None:
        update["platform"] = parse_platform(platform) if platform.strip() else None
    changed = Campaign.model_validate({**found.model_dump(), **update})
    problems = validate_campaign(changed)
    if problems:
        raise ValueError("cannot change this campaign:\n  " + "\n  ".join(problems))
    return changed


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

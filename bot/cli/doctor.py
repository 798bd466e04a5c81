"""`winsbot doctor`: check a deployment the way a support engineer would, item by item.

Configuration, database and schema, Slack (token, scopes, signing secret, manifest URLs), Teams
(app id and password, a Bot Framework token, the package), the public URL (https, reachable),
each social source's credentials, the next digests, and disk space. Each item says OK or what
to do; the exit code is 1 when any item failed, so a deploy script can stop on it (`--json`
for scripts that want the items).
"""

from __future__ import annotations

import json
from pathlib import Path

import httpx
import typer
from rich.markup import escape
from rich.table import Table

from bot.cli.checks import (
    Check,
    check_database,
    check_disk,
    check_public_url,
    check_schedule,
    check_social_sources,
)
from bot.cli.checks_chat import check_slack, check_teams
from bot.cli.context import configure_logging, console, run
from bot.config import ConfigError, Settings, load_settings
from bot.domain.formatting import plural

SLACK_MANIFEST = Path(__file__).resolve().parents[2] / "manifest" / "slack.yml"
TEAMS_PACKAGE = Path("winsbot-teams.zip")  # where `winsbot teams-package` writes by default

_LABELS = {
    "ok": "[green]OK[/green]",
    "warn": "[yellow]WARN[/yellow]",
    "fail": "[red]FAIL[/red]",
    "skip": "[dim]SKIP[/dim]",
}


async def diagnose(
    config: Settings, *, slack_manifest: Path = SLACK_MANIFEST, teams_package: Path = TEAMS_PACKAGE
) -> list[Check]:
    """Every check, in the order someone setting up winsbot meets the parts."""
    checks = [Check("configuration", "ok", "the environment and winsbot.toml are valid")]
    database = await check_database(config)
    checks.append(database)
    async with httpx.AsyncClient(follow_redirects=False) as client:
        checks += await check_slack(config, client, slack_manifest)
        checks += await check_teams(config, client, teams_package)
        checks += await check_public_url(config, client)
    checks += await check_social_sources(config)
    if database.status == "ok":
        checks += await check_schedule(config)
    else:
        checks.append(Check("digests", "skip", "the database must work first"))
    checks.append(check_disk(config))
    return checks


def doctor(
    as_json: bool = typer.Option(False, "--json", help="Machine-readable output, one item each."),
    slack_manifest: Path = typer.Option(
        SLACK_MANIFEST, "--slack-manifest", help="The Slack app manifest you pasted in Slack."
    ),
    teams_package: Path = typer.Option(
        TEAMS_PACKAGE, "--teams-package", help="The Teams app package you uploaded."
    ),
) -> None:
    """Check this deployment: each item OK or what to do; exits 1 if anything failed."""
    try:
        config = load_settings()
    except ConfigError as exc:
        checks = [Check("configuration", "fail", str(exc))]
    else:
        configure_logging(config)
        checks = run(diagnose(config, slack_manifest=slack_manifest, teams_package=teams_package))
    failed = sum(check.status == "fail" for check in checks)
    if as_json:
        items = [{"name": c.name, "status": c.status, "detail": c.detail} for c in checks]
        typer.echo(json.dumps({"ok": not failed, "checks": items}, indent=2))
    else:
        print_report(checks)
    if failed:
        raise typer.Exit(1)


def print_report(checks: list[Check]) -> None:
    """A line per item, detail wrapped in its own column so it stays readable at 80 columns."""
    table = Table(box=None, show_header=False, padding=(0, 1), expand=False)
    table.add_column(no_wrap=True)
    table.add_column(no_wrap=True, style="bold")
    table.add_column(overflow="fold")
    for check in checks:
        table.add_row(_LABELS[check.status], escape(check.name), escape(check.detail))
    console.print(table)
    failed = sum(check.status == "fail" for check in checks)
    warned = sum(check.status == "warn" for check in checks)
    if failed:
        console.print(
            f"[red]{failed} {plural(failed, 'problem')} to fix[/red]"
            + (f", {warned} {plural(warned, 'warning')}" if warned else "")
        )
    elif warned:
        console.print(f"[yellow]No failures; {warned} {plural(warned, 'warning')}[/yellow]")
    else:
        console.print("[green]All good.[/green]")

"""`winsbot teams-package`: the zip an admin uploads to Teams (manifest and icons)."""

from __future__ import annotations

from pathlib import Path

import typer

from bot.cli.context import console, fail, settings


def teams_package(
    app_id: str | None = typer.Option(
        None, "--app-id", help="The bot's Microsoft app id (default: MICROSOFT_APP_ID)."
    ),
    out: Path = typer.Option(Path("winsbot-teams.zip"), "--out", help="Zip file to write."),
    name: str = typer.Option("winsbot", "--name", help="The app's short name in Teams."),
    manifest: Path | None = typer.Option(
        None, "--manifest", help="Base manifest (default: manifest/teams/manifest.json)."
    ),
) -> None:
    """Build the Teams app package: upload it in Teams → Apps → Manage your apps."""
    from adapters.chat.teams.package import build_package

    chosen = app_id or settings().microsoft_app_id
    if not chosen:
        raise fail("pass --app-id GUID or set MICROSOFT_APP_ID (the Azure Bot's app id)")
    try:
        path = build_package(out, app_id=chosen, name=name, base_manifest=manifest)
    except (ValueError, FileNotFoundError) as exc:
        raise fail(str(exc)) from None
    console.print(f"Wrote [bold]{path}[/bold]: upload it in Teams (Apps → Manage your apps).")

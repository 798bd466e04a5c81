"""winsbot's command-line interface (typer): the composition root for humans."""

from __future__ import annotations

import typer

from bot.cli import (
    campaign,
    data,
    db,
    demo,
    digest,
    query,
    server,
    sources,
    subscriptions,
    teams,
)

app = typer.Typer(
    name="winsbot",
    help="Share your social media wins where leaders already talk (Slack and Microsoft Teams).",
    no_args_is_help=True,
    pretty_exceptions_show_locals=False,
)
app.command("demo")(demo.demo)
app.command("serve")(server.serve)
app.command("worker")(server.worker)
app.command("teams-package")(teams.teams_package)
app.command("import")(data.import_file)
app.command("detect")(data.detect)
app.command("wins")(query.wins)
app.command("cases")(query.cases)
app.command("subscriptions")(subscriptions.subscriptions)
app.add_typer(campaign.app, name="campaign")
app.add_typer(digest.app, name="digest")
app.add_typer(db.app, name="db")
app.add_typer(sources.app, name="sources")


def main() -> None:
    app()

"""winsbot's command-line interface (typer): the composition root for humans."""

from __future__ import annotations

from typing import Any

import typer
from typer.core import TyperOption

from bot.cli import (
    buy_in,
    campaign,
    data,
    db,
    demo,
    digest,
    doctor,
    query,
    server,
    sources,
    subscriptions,
    teams,
)


def _no_type_for_flags() -> None:
    """Show no ``<bool>`` after a flag in ``--help``: ``--all`` takes no value to describe.

    typer's rich help prints every option's type, flags included (``--all <bool>``), which
    reads as if the flag wanted an argument. Options keep their types.
    """
    shown = TyperOption.display_type_rich

    def display_type_rich(self: TyperOption, ctx: Any) -> str | None:
        return None if self.is_flag and self.metavar is None else shown(self, ctx)

    TyperOption.display_type_rich = display_type_rich  # type: ignore[method-assign]


_no_type_for_flags()

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
app.command("doctor")(doctor.doctor)
app.command("wins")(query.wins)
app.command("cases")(query.cases)
app.command("subscriptions")(subscriptions.subscriptions)
app.command("buy-in")(buy_in.buy_in)
app.add_typer(campaign.app, name="campaign")
app.add_typer(digest.app, name="digest")
app.add_typer(db.app, name="db")
app.add_typer(sources.app, name="sources")


def main() -> None:
    app()

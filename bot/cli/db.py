"""`winsbot db ...`: schema migrations (Alembic) without needing an alembic.ini."""

from __future__ import annotations

import typer

from bot.cli.context import console, open_service, run, settings

app = typer.Typer(help="Database schema: upgrade to the latest version, show the current one.")


@app.command()
def upgrade() -> None:
    """Apply every pending migration (serve and demo do this on their own)."""

    async def go() -> str | None:
        async with open_service(settings()) as service:
            return await service.db.current_revision()

    console.print(f"Database is at revision [bold]{run(go())}[/bold] (latest).")


@app.command()
def current() -> None:
    """Show the schema revision of the configured database."""

    async def go() -> str | None:
        async with open_service(settings(), upgrade=False) as service:
            return await service.db.current_revision()

    revision = run(go())
    console.print(f"Database revision: {revision or 'none (run `winsbot db upgrade`)'}")

"""The composition root for CLI commands: settings, logging, database and service, built once."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator, Coroutine
from contextlib import asynccontextmanager
from typing import TYPE_CHECKING, Any, TypeVar

import typer
from rich.console import Console
from rich.logging import RichHandler

from bot.config import ConfigError, Settings, load_settings
from bot.ports import Clock

if TYPE_CHECKING:
    from bot.usecases.results import WinsService

T = TypeVar("T")

console = Console()
errors = Console(stderr=True)
log = logging.getLogger("winsbot")


def settings(**overrides: Any) -> Settings:
    """Load configuration or stop with a message naming the bad fields (exit code 2)."""
    try:
        loaded = load_settings(**overrides)
    except ConfigError as exc:
        errors.print(f"[red]winsbot: {exc}[/red]", highlight=False)
        raise typer.Exit(2) from None
    logging.basicConfig(
        level=loaded.log_level,
        format="%(message)s",
        handlers=[RichHandler(console=errors, show_path=False, markup=False)],
        force=True,
    )
    # httpx logs every request URL at INFO, and some APIs (Graph, YouTube) take the token or key
    # as a query parameter: those lines must never reach the log.
    for noisy in ("httpx", "httpcore"):
        logging.getLogger(noisy).setLevel(logging.WARNING)
    # Alembic narrates every migration at INFO; people running a command only need failures.
    logging.getLogger("alembic").setLevel(
        max(logging.WARNING, logging.getLevelName(loaded.log_level))
    )
    return loaded


@asynccontextmanager
async def open_service(
    config: Settings, *, clock: Clock | None = None, upgrade: bool = True
) -> AsyncIterator[WinsService]:
    """A migrated database and a service on it; the engine is disposed on the way out."""
    # Imported when a command opens the database, not when the CLI starts: SQLAlchemy and
    # Alembic are most of the start-up, which `--help` and a typo should not wait for, nor an
    # import's parser process, started before the database is opened.
    from bot.store.db import Database
    from bot.usecases.results import WinsService

    db = Database(config.database_url)
    try:
        if upgrade:
            await db.upgrade()
        yield WinsService(db, config, clock)
    finally:
        await db.dispose()


def run(coroutine: Coroutine[Any, Any, T]) -> T:
    """Run a command's coroutine; turn a database that cannot be reached into a clear message."""
    try:
        return asyncio.run(coroutine)
    except OSError as exc:
        log.debug("database connection failed", exc_info=True)
        errors.print(
            f"[red]winsbot: cannot reach the database ({exc.strerror or exc}). "
            "Check DATABASE_URL.[/red]",
            highlight=False,
        )
        raise typer.Exit(1) from None


def fail(message: str, code: int = 2) -> typer.Exit:
    errors.print(f"[red]winsbot: {message}[/red]", highlight=False)
    return typer.Exit(code)

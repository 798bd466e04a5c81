"""The composition root for CLI commands: settings, logging, database and service, built once."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator, Coroutine, Iterator
from contextlib import asynccontextmanager, contextmanager
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
    configure_logging(loaded)
    return loaded


def configure_logging(loaded: Settings) -> None:
    """Log at the configured level, without what a command's user cannot act on."""
    logging.basicConfig(level=loaded.log_level, handlers=[_log_handler()], force=True)
    # httpx logs every request URL at INFO, and some APIs (Graph, YouTube) take the token or key
    # as a query parameter: those lines must never reach the log.
    for noisy in ("httpx", "httpcore"):
        logging.getLogger(noisy).setLevel(logging.WARNING)
    # Alembic narrates every migration at INFO; people running a command only need failures.
    logging.getLogger("alembic").setLevel(
        max(logging.WARNING, logging.getLevelName(loaded.log_level))
    )


def _log_handler() -> logging.Handler:
    """Rich lines for a person at a terminal; plain, unwrapped lines for a log file or journal.

    Rich wraps to the console's width (80 columns when stderr is not a terminal), which split
    one log record over several lines of a file and broke grep.
    """
    handler: logging.Handler
    if errors.is_terminal:
        handler = RichHandler(console=errors, show_path=False, markup=False)
    else:
        handler = logging.StreamHandler()
        handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(message)s"))
    handler.addFilter(_unrelated_warnings)
    return handler


def _unrelated_warnings(record: logging.LogRecord) -> bool:
    """Drop log lines that concern nothing a person running a command can act on.

    slack-bolt warns that ``token`` is unused whenever the environment has SLACK_BOT_TOKEN and
    the app is given a ready client (which winsbot always does, with its retry handlers).
    """
    return not (record.name.startswith("slack_bolt") and str(record.msg).startswith("As you gave"))


@contextmanager
def quiet_chat_setup() -> Iterator[None]:
    """Build a server without its "Slack/Teams is not configured" notes.

    Commands that build the server only for the database and senders (``sources poll``) have
    nothing to do with answering chat; the note belongs to ``serve``, and to ``doctor``.
    """

    def drop(record: logging.LogRecord) -> bool:
        return "is not configured" not in record.getMessage()

    logger = logging.getLogger("winsbot.server")
    logger.addFilter(drop)
    try:
        yield
    finally:
        logger.removeFilter(drop)


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

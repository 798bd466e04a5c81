"""`winsbot serve`: the Slack (and later Teams) server on one port."""

from __future__ import annotations

import typer

from bot.cli.context import run, settings


def serve(
    host: str = typer.Option("127.0.0.1", "--host", help="Interface to listen on."),
    port: int = typer.Option(3000, "--port", min=1, max=65535, help="Port to listen on."),
    scheduler: bool = typer.Option(
        True, "--scheduler/--no-scheduler", help="Also send scheduled digests (default)."
    ),
) -> None:
    """Answer Slack (/slack/events or Socket Mode) and Teams (/api/messages); send digests."""
    from bot.app import serve as run_server

    run(run_server(settings(), host, port, scheduler=scheduler))


def worker(
    host: str = typer.Option(
        "127.0.0.1", "--host", help="Interface for --port's health check (0.0.0.0 in a container)."
    ),
    port: int | None = typer.Option(
        None, "--port", min=1, max=65535, help="Answer GET /healthz on this port (default: off)."
    ),
) -> None:
    """Only the scheduled work: digests, prompts, pilot reports (beside `serve --no-scheduler`)."""
    from bot.app import work

    run(work(settings(), host=host, port=port))

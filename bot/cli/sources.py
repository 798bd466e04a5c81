"""`winsbot sources check/poll`: connect each configured platform, or run one round by hand."""

from __future__ import annotations

import typer
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn
from rich.table import Table

from bot.cli.context import console, errors, fail, quiet_chat_setup, run, settings
from bot.config import Settings
from bot.domain.formatting import plural
from bot.domain.models import SourceAccount, parse_platform
from bot.ports import SourceAuthError, SourceError

app = typer.Typer(help="Social sources: the accounts in winsbot.toml and their platforms.")


NO_ACCOUNTS = escape("no accounts configured: add [[accounts]] to winsbot.toml (see the README)")


async def check_sources(config: Settings) -> list[tuple[str, bool, str]]:
    """Each configured platform: (label, answered, what it said or what failed).

    Shared by `winsbot sources check` and `winsbot doctor`. Raises ValueError for an account
    on a platform winsbot has no API source for.
    """
    from adapters.sources.registry import build_sources

    sources = build_sources(config)
    results = []
    for platform, source in sources.items():
        try:
            results.append((platform.label, True, await source.check()))
        except SourceAuthError as exc:
            results.append((platform.label, False, f"credentials: {exc}"))
        except SourceError as exc:
            results.append((platform.label, False, str(exc)))
        finally:
            await source.close()  # type: ignore[attr-defined]
    return results


@app.command()
def check() -> None:
    """Connect to every configured platform and say precisely what answered or what failed."""
    config = settings()
    if not config.accounts:
        raise fail(NO_ACCOUNTS, 1)

    async def go() -> list[tuple[str, bool, str]]:
        try:
            return await check_sources(config)
        except ValueError as exc:
            raise fail(escape(str(exc))) from None

    table = Table("source", "", "detail")
    failed = 0
    for label, ok, detail in run(go()):
        failed += not ok
        table.add_row(label, "[green]ok[/green]" if ok else "[red]failed[/red]", escape(detail))
    console.print(table)
    if failed:
        raise typer.Exit(1)


@app.command()
def poll(
    source: str | None = typer.Option(None, "--source", help="Only this platform, e.g. mastodon."),
) -> None:
    """Run one polling round now, with progress, then detect wins.

    Exits with 1 when any account could not be polled, naming each: a round that read only
    some accounts did not do its job, and a scheduler or script running it must hear so.
    """
    from bot.app import build_poller, build_server

    config = settings()
    if not config.accounts:
        raise fail(NO_ACCOUNTS, 1)
    try:
        only = parse_platform(source) if source else None
    except ValueError as exc:
        raise fail(str(exc)) from None
    todo = [a for a in config.accounts if only is None or a.platform is only]
    if not todo:
        raise fail(f"no account in winsbot.toml is on {only.label if only else 'any platform'}")

    async def go() -> tuple[str, list[str]]:
        with quiet_chat_setup():
            server = await build_server(config)
        try:
            try:
                poller = build_poller(server)
            except ValueError as exc:  # a platform winsbot has no API source for
                raise fail(str(exc)) from None
            await poller.register_accounts()
            polled: set[str] = set()
            with Progress(
                TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), console=errors
            ) as progress:
                task = progress.add_task("Polling", total=len(todo))

                def advance(account: SourceAccount, items: int) -> None:
                    polled.add(_name(account))
                    progress.update(task, advance=1, description=f"{account.handle}: {items} items")

                report = await poller.poll(only, on_account=advance)
            lines = [
                f"{report.accounts} {plural(report.accounts, 'account')}, "
                f"{report.snapshots_added} new {plural(report.snapshots_added, 'snapshot')}, "
                f"{len(report.problems)} {plural(len(report.problems), 'item')} skipped, "
                f"{report.detection.wins_added if report.detection else 0} new wins"
            ]
            failures = report.failed.items()
            lines += [f"[red]{name}: {escape(reason)}[/red]" for name, reason in failures]
            # Once a platform refuses its credentials its other accounts are not tried.
            missed = [
                name
                for name in map(_name, todo)
                if name not in polled and name not in report.failed
            ]
            if missed:
                lines.append(f"[red]not tried after a failure: {', '.join(missed)}[/red]")
            return "\n".join(lines), [*report.failed, *missed]
        finally:
            for close in server.on_stop:
                await close()

    summary, failed = run(go())
    console.print(summary)
    if failed:
        raise fail(f"{len(failed)} of {len(todo)} accounts not polled: {', '.join(failed)}", 1)


def _name(account: SourceAccount) -> str:
    """An account as the poll report names it: platform:handle."""
    return f"{account.platform.value}:{account.handle}"

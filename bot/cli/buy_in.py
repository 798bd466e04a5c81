"""`winsbot buy-in`: which of our posts leaders responded to, who, and the trend.

The evidence the social team asked for: not that digests went out, but that leadership read
them. Read-only; works on the database alone (no chat credentials needed).
"""

from __future__ import annotations

import json
from typing import Any

import typer
from rich.table import Table

from bot.cli.context import console, fail, open_service, run, settings
from bot.domain.periods import parse_span


def buy_in(
    since: str = typer.Option("90d", "--since", help="How far back: 30d, 90d, 12w."),
    as_json: bool = typer.Option(False, "--json", help="Machine-readable output with stable keys."),
) -> None:
    """Leaders' reactions and replies on digests, shared wins and pilots, and the trend."""
    from bot.usecases.buy_in import BuyInSignals

    config = settings()
    try:
        span = parse_span(since)
    except ValueError as exc:
        raise fail(str(exc)) from None

    async def go() -> dict[str, Any]:
        async with open_service(config) as service:
            now = service.clock.now()
            report = await BuyInSignals(service).report(since=now - span, until=now)
            return report.as_json()

    found = run(go())
    if as_json:
        typer.echo(json.dumps(found, indent=2))
        return
    _render(found)


def _render(report: dict[str, Any]) -> None:
    trend = report["trend"]
    change = trend["change_percent"]
    versus = f"{change:+g}%" if change is not None else "no earlier responses to compare"
    console.print(
        f"[bold]Leadership buy-in, last {report['days']} days[/bold]: "
        f"{report['responses']} responses from {len(report['leaders'])} of "
        f"{report['leaders_known']} known leaders "
        f"(previous {report['days']} days: {trend['previous_period']}, {versus})",
        highlight=False,
    )
    for note in report["notes"]:
        console.print(f"[yellow]{note}[/yellow]", highlight=False)
    if report["items"]:
        items = Table("what", "reactions", "replies", "leaders", title="What leaders responded to")
        for item in report["items"]:
            label = f"{item['kind']}: {item['label']}"
            items.add_row(
                label, str(item["reactions"]), str(item["replies"]), ", ".join(item["leaders"])
            )
        console.print(items)
    if report["leaders"]:
        people = Table("who", "reactions", "replies", "last", title="Who engaged")
        for person in report["leaders"]:
            people.add_row(
                person["name"],
                str(person["reactions"]),
                str(person["replies"]),
                person["last_at"][:10],
            )
        console.print(people)
    weeks = " ".join(f"{w['week'][5:]}:{w['responses']}" for w in report["weeks"])
    console.print(f"Per week: {weeks}", highlight=False)
    if report["other_responses"]:
        console.print(
            f"{report['other_responses']} more responses from people not known as leadership.",
            highlight=False,
        )

"""`winsbot digest preview`: the Monday (or monthly) digest in the terminal, or as Slack or Teams
get it."""

from __future__ import annotations

import json
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Any

import typer

from bot.charts.drawing import render_trend_chart
from bot.cli import subscriptions
from bot.cli.context import console, fail, open_service, run, settings
from bot.cli.render import render_digest
from bot.config import Settings
from bot.domain.models import Audience, Cadence, normalise_tag, parse_platform
from bot.domain.periods import Period, last_complete, parse_month, parse_week
from bot.domain.views import DigestView

if TYPE_CHECKING:
    from bot.usecases.results import WinsService

app = typer.Typer(help="Digests: what an audience hears about one week, or one month.")


class Rendering(StrEnum):
    TERMINAL = "terminal"
    SLACK = "slack"
    TEAMS = "teams"


def chat_rendering(view: DigestView, rendering: Rendering) -> dict[str, Any]:
    """The digest exactly as winsbot would post it: Block Kit for Slack (paste it into Slack's
    Block Kit Builder), an Adaptive Card for Teams (paste it into the Adaptive Cards Designer)."""
    if rendering is Rendering.SLACK:
        from adapters.chat.slack.blocks import render_digest as slack_digest

        return slack_digest(view)
    from adapters.chat.teams.cards import render_digest as teams_digest

    return teams_digest(view)


def audience_from(
    name: str, tags: list[str] | None = None, platforms: list[str] | None = None
) -> Audience:
    """``leadership`` sees everything; any other name is a department, by default its own tag."""
    clean = name.strip().lstrip("#").lower()
    if clean == "leadership" and not tags and not platforms:
        return Audience()
    chosen = tuple(normalise_tag(t) for t in (tags or [clean]))
    return Audience(
        name=clean,
        tags=chosen,
        platforms=tuple(parse_platform(p) for p in platforms or []),
    )


async def build_digest(
    service: WinsService, audience: Audience, period: Period, chart_dir: Path | None
) -> tuple[DigestView, Path | None]:
    view = await service.digest(audience, period)
    chart = None
    # A monthly digest has no trend chart: it compares with the month before only.
    if chart_dir is not None and period.weekly:
        chart = render_trend_chart(
            view, chart_dir / f"digest-{view.period_label}-{audience.name}.png"
        )
    return view, chart


async def _subscription_audience(
    config: Settings, subscription_id: int
) -> tuple[Audience, str, Cadence]:
    from bot.store.subscriptions import list_subscriptions

    async with open_service(config) as service, service.db.engine.connect() as conn:
        for sub in await list_subscriptions(conn):
            if sub.id == subscription_id:
                return sub.audience, sub.schedule.timezone, sub.schedule.cadence
    raise fail(f"no subscription {subscription_id} (see `winsbot subscriptions`)")


@app.command()
def preview(
    audience: str = typer.Option("leadership", "--audience", help="leadership or a department."),
    tag: list[str] = typer.Option([], "--tag", help="Department tags (default: its name)."),
    platform: list[str] = typer.Option([], "--platform", help="Only these platforms."),
    week: str | None = typer.Option(None, "--week", help="ISO week, e.g. 2026-W47."),
    month: str | None = typer.Option(None, "--month", help="A monthly digest's month: 2026-11."),
    tz: str | None = typer.Option(
        None, "--tz", help="Time zone of the week or month (default: settings)."
    ),
    chart: bool = typer.Option(True, "--chart/--no-chart", help="Write the chart PNG."),
    subscription: int | None = typer.Option(
        None, "--subscription", help="Preview what this subscription's channel will get."
    ),
    rendering: Rendering = typer.Option(
        Rendering.TERMINAL, "--as", help="terminal, or the JSON winsbot posts to slack or teams."
    ),
) -> None:
    """Print the digest an audience (or a subscription's channel) would get for a week, or for
    a month (``--month``, or a monthly subscription's last complete month)."""
    if week and month:
        raise fail("give --week or --month, not both")
    config: Settings = settings(**({"timezone": tz} if tz else {}))
    try:
        chosen = audience_from(audience, tag, platform)
    except ValueError as exc:
        raise fail(str(exc)) from None
    cadence = Cadence.MONTHLY if month else Cadence.WEEKLY
    if subscription is not None:
        chosen, zone, cadence = run(_subscription_audience(config, subscription))
        config = config.model_copy(update={"timezone": tz or zone})

    async def go() -> tuple[DigestView, Path | None]:
        async with open_service(config) as service:
            try:
                if week:
                    period = parse_week(week, config.timezone)
                elif month:
                    period = parse_month(month, config.timezone)
                else:
                    period = last_complete(cadence, service.clock.now(), config.timezone)
            except ValueError as exc:
                raise fail(str(exc)) from None
            return await build_digest(service, chosen, period, config.output_dir if chart else None)

    view, path = run(go())
    if rendering is not Rendering.TERMINAL:
        typer.echo(json.dumps(chat_rendering(view, rendering), indent=2, ensure_ascii=False))
        return
    render_digest(view, console)
    if path is not None:
        console.print(f"Chart: {path}")


app.command("send")(subscriptions.send)
app.command("status")(subscriptions.status)

"""`winsbot subscriptions` and `winsbot digest send/status`: the scheduler's view, for admins."""

from __future__ import annotations

import json
from datetime import datetime
from typing import TYPE_CHECKING

import typer
from rich.table import Table

from bot.cli.context import console, fail, open_service, run, settings
from bot.domain.models import Subscription
from bot.domain.schedules import next_due

if TYPE_CHECKING:
    from bot.store.deliveries import Delivery


async def _load() -> tuple[list[Subscription], dict[int, Delivery], datetime]:
    from bot.store.deliveries import latest_deliveries
    from bot.store.subscriptions import list_subscriptions

    async with open_service(settings()) as service:
        async with service.db.engine.connect() as conn:
            found = await list_subscriptions(conn)
            latest = await latest_deliveries(conn)
        return found, latest, service.clock.now()


def state_of(sub: Subscription) -> str:
    if sub.broken_reason:
        return "broken"
    return "active" if sub.active else "stopped"


def subscriptions(
    as_json: bool = typer.Option(False, "--json", help="Machine-readable output with stable keys."),
) -> None:
    """Every subscription: id, platform, channel, audience, schedule and state."""
    found, latest, now = run(_load())
    if as_json:
        typer.echo(
            json.dumps([subscription_json(s, latest.get(s.id), now) for s in found], indent=2)
        )
        return
    if not found:
        console.print("No subscriptions yet. In a channel type `/wins subscribe leadership`.")
        return
    table = Table("id", "chat", "channel", "audience", "schedule", "state")
    for s in found:
        table.add_row(
            str(s.id), s.chat.value, s.channel_id, s.audience.name, s.schedule.describe(),
            f"[red]broken: {s.broken_reason}[/red]" if s.broken_reason else state_of(s),
        )  # fmt: skip
    console.print(table)


def subscription_json(sub: Subscription, last: Delivery | None, now: datetime) -> dict[str, object]:
    return {
        "id": sub.id,
        "chat": sub.chat.value,
        "workspace": sub.workspace_id,
        "channel": sub.channel_id,
        "audience": sub.audience.name,
        "tags": list(sub.audience.tags),
        "platforms": [p.value for p in sub.audience.platforms],
        "accounts": list(sub.audience.accounts),
        "weekday": sub.schedule.weekday,
        "time": sub.schedule.time,
        "timezone": sub.schedule.timezone,
        "state": state_of(sub),
        "broken_reason": sub.broken_reason,
        "last_period": last.period if last else None,
        "last_state": last.state if last else None,
        "next_run": next_due(sub.schedule, now).isoformat() if state_of(sub) == "active" else None,
    }


def status() -> None:
    """Last and next run per subscription; broken ones highlighted."""
    found, latest, now = run(_load())
    if not found:
        console.print("No subscriptions yet.")
        return
    table = Table("id", "channel", "audience", "last", "next run (UTC)")
    for s in found:
        last = latest.get(s.id)
        last_text = f"{last.period} {last.state}" if last else "never"
        if last and last.error and last.state != "sent":
            last_text += f" ({last.error[:60]})"
        next_text = (
            f"{next_due(s.schedule, now):%a %d %b %H:%M}" if state_of(s) == "active" else "-"
        )
        style = "red" if s.broken_reason else ""
        table.add_row(str(s.id), s.channel_id, s.audience.name, last_text, next_text, style=style)
    console.print(table)


def send(
    subscription: int = typer.Option(..., "--subscription", help="Subscription id."),
    period: str | None = typer.Option(None, "--period", help="ISO week, e.g. 2026-W47."),
    force: bool = typer.Option(False, "--force", help="Send again even if already sent."),
) -> None:
    """Send one digest now (only if not sent yet, unless --force)."""
    from bot.app import build_server
    from bot.domain.periods import parse_week
    from bot.domain.schedules import last_due, period_for
    from bot.usecases.delivery import DigestRunner

    async def go() -> str:
        server = await build_server(settings())
        try:
            runner = DigestRunner(server.service, server.senders)
            subs = {s.id: s for s in await runner.subscriptions()}
            sub = subs.get(subscription)
            if sub is None:
                raise fail(f"no active subscription {subscription} (see `winsbot subscriptions`)")
            try:
                chosen = (
                    parse_week(period, sub.schedule.timezone)
                    if period
                    else period_for(
                        sub.schedule, last_due(sub.schedule, server.service.clock.now())
                    )
                )
            except ValueError as exc:
                raise fail(str(exc)) from None
            outcome = await runner.deliver_period(sub, chosen, force=force)
            return f"{outcome.period}: {outcome.result}" + (
                f" ({outcome.detail})" if outcome.detail else ""
            )
        finally:
            for close in server.on_stop:
                await close()

    console.print(run(go()))

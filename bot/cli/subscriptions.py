"""`winsbot subscriptions` and `winsbot digest send/status`: the scheduler's view, for admins."""

from __future__ import annotations

import json
from datetime import datetime
from typing import TYPE_CHECKING

import typer
from rich.markup import escape
from rich.table import Table

from bot.cli.context import console, fail, open_service, run, settings
from bot.domain.models import Subscription
from bot.domain.schedules import next_due

if TYPE_CHECKING:
    from bot.store.deliveries import Delivery
    from bot.usecases.delivery import Outcome


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
        "cadence": sub.schedule.cadence.value,
        "weekday": sub.schedule.weekday,
        "time": sub.schedule.time,
        "timezone": sub.schedule.timezone,
        "state": state_of(sub),
        "broken_reason": sub.broken_reason,
        "last_period": last.period if last else None,
        "last_state": last.state if last else None,
        "next_run": next_due(sub.schedule, now).isoformat() if state_of(sub) == "active" else None,
    }


def describe(last: Delivery | None, now: datetime) -> tuple[str, str]:
    """The current (or last) period's delivery in words, and how to colour it."""
    if last is None:
        return "never", ""
    text, style = f"{last.period} {last.state}", ""
    if last.state == "sent" and last.sent_at is not None:
        text += f" {last.sent_at:%a %d %b %H:%M}"
    elif last.state == "claimed" and last.error:
        text, style = f"{last.period} retrying ({last.error[:60]})", "yellow"
    elif last.state == "claimed" and last.lease_until is not None and last.lease_until >= now:
        text = f"{last.period} sending ({last.claimed_by})"
    elif last.state == "claimed":
        text, style = f"{last.period} stalled: {last.claimed_by} stopped; taken over soon", "yellow"
    elif last.state == "uncertain":
        text, style = f"{last.period} UNCERTAIN: may already be in the channel", "bold red"
    elif last.error:
        text += f" ({last.error[:60]})"
        style = "red" if last.state == "failed" else ""
    return text, style


def status() -> None:
    """Per subscription: the current or last period's digest (sent, sending, failed, uncertain,
    ...) and the next run; broken and uncertain ones highlighted, with what to type."""
    found, latest, now = run(_load())
    if not found:
        console.print("No subscriptions yet.")
        return
    table = Table("id", "chat", "channel", "audience", "digest", "next run (UTC)")
    uncertain = []
    for s in found:
        last = latest.get(s.id)
        last_text, style = describe(last, now)
        if last is not None and last.state == "uncertain":
            uncertain.append((s, last))
        next_text = (
            f"{next_due(s.schedule, now):%a %d %b %H:%M}" if state_of(s) == "active" else "-"
        )
        table.add_row(
            str(s.id), s.chat.value, s.channel_id, s.audience.name, escape(last_text), next_text,
            style="red" if s.broken_reason else style,
        )  # fmt: skip
    console.print(table)
    for s, last in uncertain:
        console.print(
            f"Subscription {s.id}, {last.period}: {last.error or 'the worker stopped'}.\n"
            f"  Look in {s.channel_id}; if the digest is not there, post it with\n"
            f"  winsbot digest send --subscription {s.id} --period {last.period} --force",
            highlight=False,
            markup=False,
        )


def send(
    subscription: int = typer.Option(..., "--subscription", help="Subscription id."),
    period: str | None = typer.Option(
        None, "--period", help="ISO week, e.g. 2026-W47, or a month for a monthly one: 2026-11."
    ),
    force: bool = typer.Option(
        False, "--force", help="Send again even if sent, skipped or uncertain."
    ),
) -> None:
    """Send one digest now (only if not sent yet, unless --force); exits 1 if it was not sent."""
    from bot.app import build_server
    from bot.domain.periods import parse_period
    from bot.domain.schedules import last_due, period_for
    from bot.store.deliveries import delivery_for
    from bot.usecases.delivery import DigestRunner

    async def go() -> tuple[Outcome, Delivery | None]:
        server = await build_server(settings())
        runner = DigestRunner(server.service, server.senders)
        try:
            subs = {s.id: s for s in await runner.subscriptions()}
            sub = subs.get(subscription)
            if sub is None:
                raise fail(f"no active subscription {subscription} (see `winsbot subscriptions`)")
            try:
                chosen = (
                    parse_period(period, sub.schedule.timezone)
                    if period
                    else period_for(
                        sub.schedule, last_due(sub.schedule, server.service.clock.now())
                    )
                )
            except ValueError as exc:
                raise fail(str(exc)) from None
            if chosen.cadence is not sub.schedule.cadence:  # its ledger holds only its own kind
                example = "2026-11" if chosen.weekly else "2026-W47"
                raise fail(
                    f"subscription {sub.id} is {sub.schedule.cadence.value}: give a "
                    f"{sub.schedule.cadence.noun} like {example}"
                )
            outcome = await runner.deliver_period(sub, chosen, force=force)
            ledger = None
            if outcome.result == "already-handled":
                async with server.service.db.engine.connect() as conn:
                    ledger = await delivery_for(conn, sub.id, chosen.label)
            return outcome, ledger
        finally:
            await runner.close()
            for close in server.on_stop:
                await close()

    outcome, ledger = run(go())
    line, done = explain(outcome, ledger)
    if not done:
        raise fail(escape(line), code=1)
    console.print(line, highlight=False, markup=False)


def explain(outcome: Outcome, ledger: Delivery | None) -> tuple[str, bool]:
    """One line saying what `digest send` did, and whether the digest is (or is being) out."""
    head = f"{outcome.period}: {outcome.result}"
    match outcome.result:
        case "sent":
            return f"{head} (message {outcome.message_id})", True
        case "recovered":
            return (
                f"{head}: already in the channel (message {outcome.message_id}), posted by a "
                "worker that stopped before recording it; recorded, not posted again",
                True,
            )
        case "already-handled":
            return _already(outcome.period, ledger)
        case "no-sender":
            return (
                f"{head}: {str(outcome.detail).capitalize()} is not configured here, nothing was "
                "sent (set its credentials, see the README)",
                False,
            )
        case "uncertain":
            return (
                f"{head}: a worker stopped while posting it and {outcome.detail}; look in the "
                "channel, and add --force to post it if it is missing",
                False,
            )
        case "broken":
            return f"{head}: not sent, the channel cannot be reached ({outcome.detail})", False
        case "skipped":  # nothing to report and WINSBOT_EMPTY_PERIOD=skip: as configured
            return f"{head}: {outcome.detail}; add --force to post the quiet note", True
        case _:
            return (
                f"{head}: not sent ({outcome.detail}); run this again, or let a worker retry it",
                False,
            )


def _already(period: str, ledger: Delivery | None) -> tuple[str, bool]:
    if ledger is None or ledger.state == "claimed":
        who = ledger.claimed_by if ledger else "another worker"
        return (
            f"{period}: being sent by {who}; if it never arrives, run this again once its claim "
            "lapses (or add --force to send it regardless)",
            True,
        )
    if ledger.state == "sent":
        return f"{period}: already sent; add --force to send it again", True
    if ledger.state == "uncertain":
        return (
            f"{period}: uncertain ({ledger.error}); look in the channel, and add --force to post "
            "it if it is missing",
            False,
        )
    return f"{period}: {ledger.state} ({ledger.error}); add --force to send it now", False

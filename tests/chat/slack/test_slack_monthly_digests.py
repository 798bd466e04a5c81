"""Monthly digests through Slack, end to end: subscribed in chat, posted once on the first
Monday for the month before, next to a weekly digest of the same channel, through restarts,
a killed worker and empty months (posted briefly, or skipped and settled)."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from bot.domain.models import Audience, Cadence, Chat, Schedule, Subscription
from bot.domain.periods import month
from bot.ports import FixedClock
from bot.store.deliveries import delivery_for
from bot.store.subscriptions import list_subscriptions, subscribe
from bot.usecases.delivery import DigestRunner
from bot.usecases.results import WinsService
from tests.chat.slack.conftest import SlackHarness
from tests.chat.slack.test_slack_delivery_takeover import DiesWhilePosting, Killed

FIRST_MONDAY = datetime(2026, 12, 7, 9, 0, tzinfo=UTC)  # Monday 7 December, 09:00 UTC
NOVEMBER = "2026-11"


def text_of(reply: dict[str, Any]) -> str:
    return json.dumps(reply.get("blocks", []), ensure_ascii=False) + str(reply.get("text", ""))


def at(harness: SlackHarness, moment: datetime) -> None:
    clock = harness.server.service.clock
    assert isinstance(clock, FixedClock)
    clock.moment = moment


def runner(harness: SlackHarness, worker: str = "w1", **settings: Any) -> DigestRunner:
    """A worker; ``settings`` override the server's (e.g. ``empty_period="skip"``)."""
    service = harness.server.service
    if settings:
        service = WinsService(
            service.db, service.settings.model_copy(update=settings), service.clock
        )
    return DigestRunner(service, harness.server.senders, worker=worker)


def posted(harness: SlackHarness, channel: str) -> list[str]:
    return [
        json.dumps(c.params.get("blocks", []), ensure_ascii=False) + str(c.params.get("text"))
        for c in harness.slack.calls_to("chat.postMessage")
        if c.params["channel"] == channel
    ]


async def monthly(harness: SlackHarness, channel: str, audience: Audience) -> Subscription:
    async with harness.server.service.db.engine.begin() as conn:
        sub, _ = await subscribe(
            conn, chat=Chat.SLACK, workspace_id="T0001", channel_id=channel, audience=audience,
            schedule=Schedule(timezone="UTC", cadence=Cadence.MONTHLY), created_by="U0SAM",
            now=FIRST_MONDAY - timedelta(days=30),
        )  # fmt: skip
    return sub


async def test_subscribed_in_chat_a_month_is_posted_once_beside_a_weekly_digest(
    harness: SlackHarness,
) -> None:
    # UADMIN is in London (GMT in winter): the times below are the same in UTC.
    _, reply = await harness.command("subscribe leadership monthly", user="UADMIN")
    assert (
        "leadership digest on the first Monday of every month at 09:00 (Europe/London), covering "
        in (text_of(reply))
    )
    _, weekly = await harness.command("subscribe recruiting", user="UADMIN")  # a known tag
    assert "recruiting digest every Monday at 09:00 (Europe/London)" in text_of(weekly)
    _, listed = await harness.command("subscriptions")
    assert "on the first Monday of every month at 09:00 (Europe/London)" in text_of(listed)
    assert "every Monday at 09:00 (Europe/London)" in text_of(listed)

    at(harness, FIRST_MONDAY + timedelta(minutes=1))
    outcomes = sorted((o.period, o.result) for o in await runner(harness).catch_up())
    # One channel, two subscriptions, two ledger rows: a month's key never meets a week's.
    assert outcomes == [("2026-11", "sent"), ("2026-W49", "sent")]
    month_digest, week_digest = sorted(posted(harness, "C1"), key=lambda p: "November" not in p)
    assert "November 2026" in month_digest and "Social media wins" in month_digest
    assert "30 Nov–6 Dec 2026" in week_digest
    # The monthly digest has no weekly trend picture; the weekly one keeps its chart.
    assert len(harness.slack.uploads) == 1

    # A restart (a new worker), later passes, a second scheduler: nothing is posted again.
    at(harness, FIRST_MONDAY + timedelta(hours=2))
    assert await runner(harness, "w2").catch_up() == []
    [sub] = [s for s in await runner(harness).subscriptions() if s.audience.is_leadership]
    again = await runner(harness, "w3").deliver(sub, FIRST_MONDAY)
    assert (again.period, again.result) == (NOVEMBER, "already-handled")
    assert len(posted(harness, "C1")) == 2
    # A week later the weekly digest goes out; the monthly one waits for January.
    at(harness, FIRST_MONDAY + timedelta(days=7, minutes=1))
    assert [(o.period, o.result) for o in await runner(harness).catch_up()] == [
        ("2026-W50", "sent")
    ]
    at(harness, datetime(2027, 1, 4, 9, 1, tzinfo=UTC))
    outcomes = sorted((o.period, o.result) for o in await runner(harness).catch_up())
    assert outcomes == [("2026-12", "sent"), ("2026-W53", "sent")]


async def test_a_monthly_subscription_in_the_subscribers_zone_on_the_day_chosen(
    harness: SlackHarness,
) -> None:
    _, reply = await harness.command("subscribe recruiting monthly on tuesday 9am", channel="C2")
    assert "on the first Tuesday of every month at 09:00 (America/Toronto)" in text_of(reply)
    async with harness.server.service.db.engine.connect() as conn:
        [sub] = await list_subscriptions(conn, chat=Chat.SLACK, channel_id="C2")
    assert sub.schedule == Schedule(
        weekday=1, time="09:00", timezone="America/Toronto", cadence=Cadence.MONTHLY
    )
    # Tuesday 1 December 09:00 in Toronto is 14:00 UTC.
    at(harness, datetime(2026, 12, 1, 14, 5, tzinfo=UTC))
    [outcome] = await runner(harness).catch_up()
    assert (outcome.period, outcome.result) == (NOVEMBER, "sent")
    [digest] = posted(harness, "C2")
    assert "November 2026" in digest


async def test_a_killed_worker_s_monthly_digest_is_found_not_posted_twice(
    harness: SlackHarness,
) -> None:
    harness.slack.ts_clock = FIRST_MONDAY.timestamp
    sub = await monthly(harness, "C7", Audience())
    at(harness, FIRST_MONDAY)
    dying = DigestRunner(
        harness.server.service,
        {Chat.SLACK: DiesWhilePosting(harness.server.senders[Chat.SLACK])},
        worker="dead",
    )
    with pytest.raises(Killed):
        await dying.deliver(sub, FIRST_MONDAY)
    assert len(posted(harness, "C7")) == 1
    at(harness, FIRST_MONDAY + timedelta(seconds=30))  # the lease still runs
    assert await runner(harness, "w2").take_over_stalled() == []
    at(harness, FIRST_MONDAY + timedelta(seconds=61))
    [taken] = await runner(harness, "w2").take_over_stalled()
    assert (taken.period, taken.result) == (NOVEMBER, "recovered")
    assert await runner(harness, "w3").catch_up() == []
    assert len(posted(harness, "C7")) == 1
    async with harness.server.service.db.engine.connect() as conn:
        delivery = await delivery_for(conn, sub.id, NOVEMBER)
    assert delivery is not None and delivery.state == "sent"


async def test_an_empty_month_is_brief_by_default(harness: SlackHarness) -> None:
    await monthly(harness, "C9", Audience(name="alumni", tags=("alumni",)))  # no accounts
    at(harness, FIRST_MONDAY + timedelta(minutes=1))
    [outcome] = await runner(harness).catch_up()
    assert outcome.result == "sent"
    [digest] = posted(harness, "C9")
    assert "Quiet month" in digest and "A quiet month (November 2026)" in digest


async def test_an_empty_month_is_skipped_settled_and_never_retried_when_configured(
    harness: SlackHarness,
) -> None:
    sub = await monthly(harness, "C9", Audience(name="alumni", tags=("alumni",)))
    busy = await monthly(harness, "C10", Audience())
    at(harness, FIRST_MONDAY + timedelta(minutes=1))
    outcomes = {o.subscription_id: o for o in await runner(harness, empty_period="skip").catch_up()}
    assert outcomes[sub.id].result == "skipped"
    assert outcomes[sub.id].detail == (
        "nothing to report this month: not posted (WINSBOT_EMPTY_PERIOD=skip)"
    )
    assert outcomes[busy.id].result == "sent"  # a month with something to say still goes out
    assert posted(harness, "C9") == []
    async with harness.server.service.db.engine.connect() as conn:
        ledger = await delivery_for(conn, sub.id, NOVEMBER)
    assert ledger is not None and ledger.state == "skipped"
    at(harness, FIRST_MONDAY + timedelta(hours=1))  # later passes and restarts leave it be
    assert await runner(harness, "w2", empty_period="skip").catch_up() == []
    assert await runner(harness, "w3").catch_up() == []
    assert posted(harness, "C9") == []
    # A person can still post the quiet note on purpose.
    forced = await runner(harness, empty_period="skip").deliver_period(
        sub, month(2026, 11, "UTC"), force=True
    )
    assert forced.result == "sent"
    [digest] = posted(harness, "C9")
    assert "A quiet month (November 2026)" in digest

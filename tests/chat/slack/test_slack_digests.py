"""Scheduled digests into Slack: on time, once, through crashes, two workers and faults."""

from __future__ import annotations

import asyncio
import json
from datetime import timedelta

from bot.domain.models import Audience, Chat, Schedule, Subscription
from bot.domain.schedules import last_due
from bot.ports import FixedClock
from bot.store.case_studies import CaseStudyFilter
from bot.store.deliveries import claim, delivery_for
from bot.store.subscriptions import list_subscriptions, subscribe, unsubscribe
from bot.usecases.delivery import DigestRunner
from tests.chat.slack.conftest import NOW, SlackHarness

MONDAY_9_UTC = Schedule(weekday=0, time="09:00", timezone="UTC")


async def subscribed(
    harness: SlackHarness, channel: str = "C7", schedule: Schedule = MONDAY_9_UTC
) -> Subscription:
    async with harness.server.service.db.engine.begin() as conn:
        subscription, _ = await subscribe(
            conn, chat=Chat.SLACK, workspace_id="T0001", channel_id=channel,
            audience=Audience(), schedule=schedule, created_by="U0SAM",
            now=NOW - timedelta(days=30),
        )  # fmt: skip
    return subscription


def runner(harness: SlackHarness, worker: str = "w1") -> DigestRunner:
    return DigestRunner(harness.server.service, harness.server.senders, worker=worker)


def clock(harness: SlackHarness) -> FixedClock:
    assert isinstance(harness.server.service.clock, FixedClock)
    return harness.server.service.clock


def digests(harness: SlackHarness) -> list[dict[str, object]]:
    return [c.params for c in harness.slack.calls_to("chat.postMessage")]


async def test_digest_is_posted_once_with_its_chart_in_the_thread(harness: SlackHarness) -> None:
    sub = await subscribed(harness)
    first = await runner(harness).deliver(sub, NOW)
    again = await runner(harness).deliver(sub, NOW)
    assert (first.result, first.period, again.result) == ("sent", "2026-W47", "already-handled")
    [posted] = digests(harness)
    assert posted["channel"] == "C7"
    assert "Social media wins" in json.dumps(posted["blocks"])
    [upload] = harness.slack.uploads.values()
    assert upload.completed and upload.thread_ts == first.message_id and upload.size > 1000
    # The picture in the thread says its numbers for screen readers: the trend's weekly totals.
    (complete,) = harness.slack.calls_to("files.completeUploadExternal")
    [chart] = complete.params["files"]
    assert chart["title"].endswith(" per week, 16–22 Nov 2026")
    (announced,) = harness.slack.calls_to("files.getUploadURLExternal")
    alt = announced.params["alt_txt"]  # Slack takes a file's alt text when the upload starts
    assert alt.startswith(chart["title"].split(",")[0] + ", ") and " 13 weeks to " in alt
    async with harness.server.service.db.engine.connect() as conn:
        delivery = await delivery_for(conn, sub.id, "2026-W47")
    assert delivery is not None and delivery.state == "sent"
    assert delivery.message_ref == {"chat": "slack", "channel": "C7", "id": first.message_id}


async def test_replies_in_the_digest_thread_become_case_studies(harness: SlackHarness) -> None:
    sub = await subscribed(harness)
    outcome = await runner(harness).deliver(sub, NOW)
    await harness.event(
        {"type": "message", "channel": "C7", "user": "U0ALEX", "channel_type": "channel",
         "text": "The pilot worked because we posted at 8am", "ts": "1800000001.000001",
         "thread_ts": outcome.message_id}
    )  # fmt: skip
    [story] = await harness.server.service.case_studies(CaseStudyFilter())
    assert story.body == "The pilot worked because we posted at 8am"


async def test_a_crash_between_claim_and_send_is_retried_after_the_lease(
    harness: SlackHarness,
) -> None:
    sub = await subscribed(harness)
    async with harness.server.service.db.engine.begin() as conn:
        await claim(conn, subscription_id=sub.id, period="2026-W47", worker="dead",
                    now=NOW, lease=timedelta(minutes=10))  # fmt: skip
    clock(harness).moment = NOW + timedelta(minutes=5)
    assert (await runner(harness).catch_up())[0].result == "already-handled"
    assert digests(harness) == []
    clock(harness).moment = NOW + timedelta(minutes=11)
    assert [o.result for o in await runner(harness).catch_up()] == ["sent"]
    assert [o.result for o in await runner(harness).catch_up()] == []
    assert len(digests(harness)) == 1


async def test_two_workers_at_once_post_exactly_once(harness: SlackHarness) -> None:
    sub = await subscribed(harness)
    outcomes = await asyncio.gather(*(runner(harness, f"w{i}").deliver(sub, NOW) for i in range(4)))
    assert sorted(o.result for o in outcomes) == ["already-handled"] * 3 + ["sent"]
    assert len(digests(harness)) == 1


async def test_missed_runs_are_caught_up_within_grace_and_skipped_after(
    harness: SlackHarness,
) -> None:
    on_time = await subscribed(harness, "C7")
    late = await subscribed(harness, "C8", Schedule(weekday=6, time="08:00", timezone="UTC"))
    clock(harness).moment = NOW + timedelta(hours=3)  # Monday 12:00: 3 h after C7's digest
    outcomes = {o.subscription_id: o.result for o in await runner(harness).catch_up()}
    # C8 was due Sunday 08:00, 28 h ago: past the 12 h grace, recorded, never sent late.
    assert outcomes == {on_time.id: "sent", late.id: "skipped"}
    assert [p["channel"] for p in digests(harness)] == ["C7"]


async def test_rate_limits_are_waited_out_and_permanent_errors_break_once(
    harness: SlackHarness,
) -> None:
    ok = await subscribed(harness, "C7")
    gone = await subscribed(harness, "C404")
    harness.slack.fail_next("chat.postMessage", status=429, retry_after=0)
    harness.slack.fail_next("chat.postMessage", status=500)
    assert (await runner(harness).deliver(ok, NOW)).result == "sent"
    assert len([p for p in digests(harness) if p["channel"] == "C7"]) == 3  # 429, 500, sent
    harness.slack.error_next("chat.postMessage", "channel_not_found")
    broken = await runner(harness).deliver(gone, NOW)
    assert broken.result == "broken"
    async with harness.server.service.db.engine.connect() as conn:
        stored = {s.channel_id: s for s in await list_subscriptions(conn)}
    assert stored["C404"].broken_reason == "Slack answered channel_not_found"
    dms = [p for p in digests(harness) if p["channel"] == "U0SAM"]
    assert len(dms) == 1 and "paused" in json.dumps(dms[0])
    # Broken subscriptions are left alone: no retries, no second message.
    clock(harness).moment = NOW + timedelta(hours=1)
    assert await runner(harness).catch_up() == []
    assert len([p for p in digests(harness) if p["channel"] == "U0SAM"]) == 1


async def test_unsubscribing_stops_the_digest(harness: SlackHarness) -> None:
    sub = await subscribed(harness)
    async with harness.server.service.db.engine.begin() as conn:
        await unsubscribe(conn, chat=Chat.SLACK, channel_id="C7", audience_name="leadership")
    assert await runner(harness).deliver_due(sub.id) is None
    assert await runner(harness).catch_up() == []
    assert digests(harness) == []


async def test_digest_is_due_at_nine_in_each_channel_zone(harness: SlackHarness) -> None:
    toronto = await subscribed(
        harness, "C9", Schedule(weekday=0, time="09:00", timezone="America/Toronto")
    )
    clock(harness).moment = NOW  # 09:00 UTC = 04:00 in Toronto: last week's digest is old news
    assert last_due(toronto.schedule, NOW).isoformat() == "2026-11-16T14:00:00+00:00"
    clock(harness).moment = NOW + timedelta(hours=5, minutes=1)  # 09:01 in Toronto
    [outcome] = await runner(harness).catch_up()
    assert (outcome.result, outcome.period) == ("sent", "2026-W47")

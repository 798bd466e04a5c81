"""Slack digests taken over from a worker that stopped: found by their metadata, never doubled."""

from __future__ import annotations

import asyncio
import json
import time
from datetime import datetime, timedelta
from typing import Any

import pytest

from adapters.chat.slack import sender as slack_sender
from adapters.chat.slack.sender import DIGEST_EVENT, SlackChatSender
from bot.domain.models import Audience, Chat, Schedule, Subscription
from bot.domain.periods import Period
from bot.domain.views import ChatView, DigestView
from bot.ports import ChatSender, DigestLookupError, FixedClock
from bot.store.case_studies import CaseStudyFilter
from bot.store.deliveries import delivery_for
from bot.store.subscriptions import subscribe
from bot.usecases.delivery import DigestRunner
from tests.chat.slack.conftest import NOW, SlackHarness

WEEK = "2026-W47"


class Killed(BaseException):
    """SIGKILL as seen from inside: nothing after it runs, not even `except Exception`."""


class DiesWhilePosting:
    """A ChatSender whose worker is killed just after (or just before) Slack gets the digest."""

    def __init__(self, sender: ChatSender, *, after_posting: bool = True) -> None:
        self.sender = sender
        self.after_posting = after_posting

    async def post(self, channel_id: str, view: ChatView, *, thread_id: str | None = None) -> str:
        return await self.sender.post(channel_id, view, thread_id=thread_id)

    async def post_digest(
        self,
        channel_id: str,
        view: DigestView,
        *,
        chart_png: bytes | None = None,
        delivery_id: int | None = None,
    ) -> str:
        if self.after_posting:
            await self.sender.post_digest(channel_id, view, delivery_id=delivery_id)
        raise Killed

    async def find_digest(self, channel_id: str, delivery_id: int, since: datetime) -> str | None:
        return await self.sender.find_digest(channel_id, delivery_id, since)


class DiesComposing(DigestRunner):
    async def _compose(
        self, subscription: Subscription, period: Period
    ) -> tuple[DigestView, bytes | None]:
        raise Killed


@pytest.fixture(autouse=True)
def real_timestamps(harness: SlackHarness) -> None:
    """Message ts near NOW (the service's clock), as Slack's are near the real clock."""
    harness.slack.ts_clock = NOW.timestamp


async def subscribed(harness: SlackHarness, channel: str = "C7") -> Subscription:
    async with harness.server.service.db.engine.begin() as conn:
        sub, _ = await subscribe(
            conn, chat=Chat.SLACK, workspace_id="T0001", channel_id=channel,
            audience=Audience(), schedule=Schedule(weekday=0, time="09:00", timezone="UTC"),
            created_by="U0SAM", now=NOW - timedelta(days=30),
        )  # fmt: skip
    return sub


def runner(harness: SlackHarness, worker: str, sender: ChatSender | None = None) -> DigestRunner:
    senders = harness.server.senders if sender is None else {Chat.SLACK: sender}
    return DigestRunner(harness.server.service, senders, worker=worker)


def digests(harness: SlackHarness, channel: str = "C7") -> list[dict[str, Any]]:
    return [
        c.params
        for c in harness.slack.calls_to("chat.postMessage")
        if c.params["channel"] == channel
    ]


def later(harness: SlackHarness, seconds: float) -> None:
    clock = harness.server.service.clock
    assert isinstance(clock, FixedClock)
    clock.moment = NOW + timedelta(seconds=seconds)


async def test_a_digest_a_killed_worker_posted_is_found_and_recorded_not_posted_again(
    harness: SlackHarness,
) -> None:
    sub = await subscribed(harness)
    with pytest.raises(Killed):
        await runner(harness, "dead", DiesWhilePosting(harness.server.senders[Chat.SLACK])).deliver(
            sub, NOW
        )
    [posted] = digests(harness)
    async with harness.server.service.db.engine.connect() as conn:
        stuck = await delivery_for(conn, sub.id, WEEK)
    assert stuck is not None and (stuck.state, stuck.sending_since) == ("claimed", NOW)
    assert posted["metadata"] == {
        "event_type": DIGEST_EVENT,
        "event_payload": {"delivery_id": stuck.id},
    }
    message_ts = next(ts for (channel, ts) in harness.slack.messages if channel == "C7")

    later(harness, 30)  # the lease still runs: nobody takes over a live claim
    assert await runner(harness, "w2").take_over_stalled() == []
    later(harness, 61)
    [outcome] = await runner(harness, "w2").take_over_stalled()

    assert (outcome.result, outcome.message_id) == ("recovered", message_ts)
    assert len(digests(harness)) == 1
    [looked] = harness.slack.calls_to("conversations.history")
    assert looked.params["include_all_metadata"] == "1" and looked.params["channel"] == "C7"
    assert float(looked.params["oldest"]) <= NOW.timestamp()
    async with harness.server.service.db.engine.connect() as conn:
        recorded = await delivery_for(conn, sub.id, WEEK)
    assert recorded is not None and recorded.state == "sent"
    assert recorded.message_ref == {"chat": "slack", "channel": "C7", "id": message_ts}
    # Nothing is owed any more, and replies in its thread still become case studies.
    assert await runner(harness, "w3").catch_up() == []
    await harness.event(
        {"type": "message", "channel": "C7", "user": "U0ALEX", "channel_type": "channel",
         "text": "We posted the pilot at 8am", "ts": f"{NOW.timestamp() + 60:.6f}",
         "thread_ts": message_ts}
    )  # fmt: skip
    [story] = await harness.server.service.case_studies(CaseStudyFilter())
    assert story.body == "We posted the pilot at 8am"


async def test_a_worker_killed_before_slack_got_it_is_replaced_by_one_post(
    harness: SlackHarness,
) -> None:
    sub = await subscribed(harness)
    dying = DiesWhilePosting(harness.server.senders[Chat.SLACK], after_posting=False)
    with pytest.raises(Killed):
        await runner(harness, "dead", dying).deliver(sub, NOW)
    later(harness, 61)
    [outcome] = await runner(harness, "w2").take_over_stalled()
    assert outcome.result == "sent"
    assert len(harness.slack.calls_to("conversations.history")) == 1  # looked, found nothing
    assert len(digests(harness)) == 1


async def test_a_worker_killed_before_sending_is_replaced_without_looking(
    harness: SlackHarness,
) -> None:
    sub = await subscribed(harness)
    with pytest.raises(Killed):
        await DiesComposing(harness.server.service, harness.server.senders, worker="dead").deliver(
            sub, NOW
        )
    later(harness, 61)
    [outcome] = await runner(harness, "w2").take_over_stalled()
    assert outcome.result == "sent"
    assert harness.slack.calls_to("conversations.history") == []  # it never reached Slack
    assert len(digests(harness)) == 1


async def test_without_history_access_it_is_uncertain_the_admins_hear_once_and_force_settles(
    harness: SlackHarness,
) -> None:
    sub = await subscribed(harness)
    with pytest.raises(Killed):
        await runner(harness, "dead", DiesWhilePosting(harness.server.senders[Chat.SLACK])).deliver(
            sub, NOW
        )
    harness.slack.error_next("conversations.history", "missing_scope")
    later(harness, 61)
    [outcome] = await runner(harness, "w2").take_over_stalled()
    assert outcome.result == "uncertain"
    [told] = digests(harness, "UBOSS")  # WINSBOT_ADMINS=UBOSS in the harness
    text = json.dumps(told)
    assert (
        "may or may not be" in text and f"--subscription {sub.id} --period {WEEK} --force" in text
    )
    # Nobody posts it again, nor tells the admins twice.
    later(harness, 3600)
    assert await runner(harness, "w3").take_over_stalled() == []
    assert await runner(harness, "w3").catch_up() == []
    assert len(digests(harness)) == 1 and len(digests(harness, "UBOSS")) == 1
    async with harness.server.service.db.engine.connect() as conn:
        parked = await delivery_for(conn, sub.id, WEEK)
    assert parked is not None and parked.state == "uncertain" and "dead" in (parked.error or "")

    settled = await runner(harness, "admin").deliver(sub, NOW, force=True)
    assert settled.result == "sent" and len(digests(harness)) == 2
    async with harness.server.service.db.engine.connect() as conn:
        done = await delivery_for(conn, sub.id, WEEK)
    assert done is not None and done.state == "sent"


async def test_the_heartbeat_keeps_a_slow_send_from_being_taken_over(
    harness: SlackHarness,
) -> None:
    """A real clock and a 1 s lease, renewed every 0.33 s: unrenewed, it would lapse mid-send."""
    sub = await subscribed(harness)
    start = time.monotonic()

    class Ticking:
        def now(self) -> datetime:
            return NOW + timedelta(seconds=time.monotonic() - start)

    harness.server.service.clock = Ticking()

    class Slow(DiesWhilePosting):
        async def post_digest(
            self,
            channel_id: str,
            view: DigestView,
            *,
            chart_png: bytes | None = None,
            delivery_id: int | None = None,
        ) -> str:
            await asyncio.sleep(2.0)
            return await self.sender.post_digest(channel_id, view, delivery_id=delivery_id)

    slow = DigestRunner(
        harness.server.service, {Chat.SLACK: Slow(harness.server.senders[Chat.SLACK])},
        worker="slow", lease=timedelta(seconds=1.0),
    )  # fmt: skip
    sending = asyncio.create_task(slow.deliver(sub, NOW))
    rival = runner(harness, "rival")
    for _ in range(6):
        await asyncio.sleep(0.3)
        assert await rival.take_over_stalled() == []
    assert (await sending).result == "sent"
    assert len(digests(harness)) == 1


async def test_find_digest_pages_through_a_busy_channel_and_gives_up_past_its_limit(
    harness: SlackHarness, monkeypatch: pytest.MonkeyPatch
) -> None:
    sender = harness.server.senders[Chat.SLACK]
    assert isinstance(sender, SlackChatSender)
    client = sender.client
    metadata = {"event_type": DIGEST_EVENT, "event_payload": {"delivery_id": 41}}
    target = await client.chat_postMessage(channel="C9", text="digest", metadata=metadata)
    for i in range(250):
        await client.chat_postMessage(channel="C9", text=f"chatter {i}")
    since = NOW - timedelta(minutes=1)

    assert await sender.find_digest("C9", 41, since) == target["ts"]
    assert len(harness.slack.calls_to("conversations.history")) == 2  # 200 a page, newest first
    assert await sender.find_digest("C9", 42, since) is None
    assert await sender.find_digest("C9", 41, NOW + timedelta(minutes=1)) is None
    monkeypatch.setattr(slack_sender, "HISTORY_PAGES", 1)
    with pytest.raises(DigestLookupError):
        await sender.find_digest("C9", 42, since)


async def test_when_slack_cannot_answer_the_lookup_it_looks_again_later_never_posts_blindly(
    harness: SlackHarness,
) -> None:
    sub = await subscribed(harness)
    with pytest.raises(Killed):
        await runner(harness, "dead", DiesWhilePosting(harness.server.senders[Chat.SLACK])).deliver(
            sub, NOW
        )
    harness.slack.error_next("conversations.history", "internal_error")
    later(harness, 61)
    [first] = await runner(harness, "w2").take_over_stalled()
    assert first.result == "failed" and len(digests(harness)) == 1
    async with harness.server.service.db.engine.connect() as conn:
        waiting = await delivery_for(conn, sub.id, WEEK)
    assert (
        waiting is not None
        and waiting.state == "claimed"
        and "internal_error" in (waiting.error or "")
    )
    [held] = await runner(harness, "w3").catch_up()  # not before that lease runs out
    assert held.result == "already-handled" and len(digests(harness)) == 1
    later(harness, 61 + 61)  # one more lease: looked for again, found, recorded
    [second] = await runner(harness, "w3").take_over_stalled()
    assert second.result == "recovered" and len(digests(harness)) == 1

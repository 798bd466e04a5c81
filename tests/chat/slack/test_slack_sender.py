"""Posting into Slack for the core: ts back, transient faults retried, permanent ones named."""

from __future__ import annotations

import pytest

from bot.domain.models import Chat
from bot.domain.views import NoticeView
from bot.ports import PermanentDeliveryError
from tests.chat.slack.conftest import SlackHarness


async def test_post_returns_the_ts_that_threads_hang_under(harness: SlackHarness) -> None:
    sender = harness.server.senders[Chat.SLACK]
    root = await sender.post("C9", NoticeView(text="Digest"))
    reply = await sender.post("C9", NoticeView(text="Chart"), thread_id=root)
    [first, second] = harness.slack.calls_to("chat.postMessage")
    assert first.params["channel"] == "C9" and "thread_ts" not in first.params
    assert second.params["thread_ts"] == root and reply != root


async def test_rate_limit_is_retried_and_a_missing_channel_is_permanent(
    harness: SlackHarness,
) -> None:
    sender = harness.server.senders[Chat.SLACK]
    harness.slack.fail_next("chat.postMessage", status=429, retry_after=0)
    assert await sender.post("C9", NoticeView(text="Digest"))
    harness.slack.error_next("chat.postMessage", "channel_not_found")
    with pytest.raises(PermanentDeliveryError, match="channel_not_found"):
        await sender.post("C404", NoticeView(text="Digest"))

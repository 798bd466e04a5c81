"""Proactive Teams posts from a stored conversation reference, with back-off."""

from __future__ import annotations

import pytest

from bot.domain.models import Chat
from bot.domain.views import NoticeView
from bot.ports import PermanentDeliveryError
from tests.chat.teams.conftest import CHANNEL, TeamsHarness
from tests.fakes.bot_connector import BOT_ID


async def install(teams: TeamsHarness) -> None:
    activity = teams.activity("", mention=False)
    activity.update({"type": "conversationUpdate", "text": None, "membersAdded": [{"id": BOT_ID}]})
    await teams.send(activity)


async def test_post_starts_a_thread_then_replies_into_it(teams: TeamsHarness) -> None:
    await install(teams)
    sender = teams.server.senders[Chat.TEAMS]
    root = await sender.post(CHANNEL, NoticeView(text="This week's digest"))
    reply = await sender.post(CHANNEL, NoticeView(text="Chart"), thread_id=root)
    assert root and reply and root != reply
    threads = {r.conversation_id for r in teams.connector.requests if r.method == "POST"}
    assert f"{CHANNEL};messageid={root}" in threads


async def test_throttling_is_waited_out_and_the_message_sent_once(teams: TeamsHarness) -> None:
    await install(teams)
    teams.connector.fail_next(status=429, retry_after=0)
    teams.connector.fail_next(status=502)
    root = await teams.server.senders[Chat.TEAMS].post(CHANNEL, NoticeView(text="Digest"))
    created = [r for r in teams.connector.requests if r.path.rstrip("/").endswith("/conversations")]
    assert len(created) == 3  # 429, 502, then success
    assert root


async def test_forbidden_or_unknown_conversations_are_permanent(teams: TeamsHarness) -> None:
    sender = teams.server.senders[Chat.TEAMS]
    with pytest.raises(PermanentDeliveryError, match="not installed"):
        await sender.post(CHANNEL, NoticeView(text="Digest"))
    await install(teams)
    teams.connector.fail_next(status=403)
    with pytest.raises(PermanentDeliveryError, match="403"):
        await sender.post(CHANNEL, NoticeView(text="Digest"))

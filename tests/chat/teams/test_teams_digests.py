"""Scheduled digests into Teams: a new channel thread, the trend drawn by Teams itself."""

from __future__ import annotations

import json
import re

from bot.domain.models import Audience, Chat, Schedule
from bot.store.case_studies import CaseStudyFilter
from bot.store.subscriptions import subscribe
from bot.usecases.delivery import DigestRunner
from tests.chat.teams.conftest import CHANNEL, NOW, TEAM, TeamsHarness
from tests.fakes.bot_connector import BOT_ID


async def test_teams_digest_starts_a_thread_with_a_native_chart_and_collects_replies(
    teams: TeamsHarness,
) -> None:
    install = teams.activity("", mention=False)
    install.update({"type": "conversationUpdate", "text": None, "membersAdded": [{"id": BOT_ID}]})
    await teams.send(install)
    async with teams.server.service.db.engine.begin() as conn:
        sub, _ = await subscribe(
            conn, chat=Chat.TEAMS, workspace_id=TEAM, channel_id=CHANNEL,
            audience=Audience(name="recruiting", tags=("recruiting",)),
            schedule=Schedule(timezone="Europe/Paris"), created_by="aad-boss", now=NOW,
        )  # fmt: skip
    runner = DigestRunner(teams.server.service, teams.server.senders)
    outcome = await runner.deliver(sub, NOW)
    assert outcome.result == "sent"
    card = json.dumps(teams.cards()[-1])
    assert "recruiting" in card
    # Teams draws the trend itself: a Chart.Line with the numbers as its fallback, and no
    # image from winsbot's public URL (nothing needs serving over https any more).
    assert card.count('"type": "Chart.Line"') == 1
    assert '"fallback": {"type": "RichTextBlock"' in card
    assert not re.findall(r"https://winsbot\.example\.com/charts/", card)
    async with teams.http.get(f"{teams.url}/charts/..%2F..%2Fetc%2Fpasswd.png") as response:
        assert response.status == 404

    reply = teams.activity("Recruiting got 40 applications from this", mention=False,
                           thread=outcome.message_id)  # fmt: skip
    await teams.send(reply)
    [story] = await teams.server.service.case_studies(CaseStudyFilter())
    assert story.body == "Recruiting got 40 applications from this"

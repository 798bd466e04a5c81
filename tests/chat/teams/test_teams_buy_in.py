"""Leadership buy-in from Teams: messageReaction activities on a digest, the roster read from
the Bot Connector (GET /v3/conversations/{id}/members)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import func, select

from bot.domain.models import Audience, Chat, Schedule
from bot.store.subscriptions import subscribe
from bot.store.tables_loop import buy_in_signals
from bot.usecases.buy_in import BuyInSignals
from bot.usecases.delivery import DigestRunner
from tests.chat.teams.conftest import CHANNEL, NOW, TEAM, TeamsHarness
from tests.chat.teams.test_teams_edge import problems
from tests.fakes.bot_connector import BOT_ID, _account


def reaction(
    teams: TeamsHarness, message_id: str, *, added: bool = True, user: str = "aad-lead",
    at: str = "2026-11-23T09:00:00.000Z",
) -> dict[str, Any]:  # fmt: skip
    """A messageReaction as Teams sends it: the reacted-to message in ``replyToId``."""
    body = teams.activity("", mention=False, thread=message_id, user=user)
    body.pop("text")
    body.update(
        type="messageReaction",
        timestamp=at,
        replyToId=message_id,
        **{"reactionsAdded" if added else "reactionsRemoved": [{"type": "like"}]},
    )
    return body


async def digest_in_leadership_channel(teams: TeamsHarness) -> str:
    install = teams.activity("", mention=False)
    install.update({"type": "conversationUpdate", "text": None, "membersAdded": [{"id": BOT_ID}]})
    await teams.send(install)
    async with teams.server.service.db.engine.begin() as conn:
        sub, _ = await subscribe(
            conn, chat=Chat.TEAMS, workspace_id=TEAM, channel_id=CHANNEL, audience=Audience(),
            schedule=Schedule(timezone="Europe/Paris"), created_by="aad-boss", now=NOW,
        )  # fmt: skip
    outcome = await DigestRunner(teams.server.service, teams.server.senders).deliver(sub, NOW)
    assert outcome.result == "sent" and outcome.message_id is not None
    teams.connector.members[CHANNEL] = [
        _account("29:1-lead", "Lee Leader", "lee@example.com", "aad-lead"),
        _account("29:1-sam", "Sam Lee", "sam@example.com", "aad-sam"),
    ]
    return outcome.message_id


async def report(teams: TeamsHarness) -> dict[str, Any]:
    found = await BuyInSignals(teams.server.service).report(
        since=NOW - timedelta(days=90), until=NOW + timedelta(hours=1)
    )
    return found.as_json()


async def test_a_leaders_teams_reaction_on_a_digest_is_recorded_and_removed(
    teams: TeamsHarness, caplog: pytest.LogCaptureFixture
) -> None:
    digest = await digest_in_leadership_channel(teams)
    sent_before = len(teams.connector.activities_sent)
    assert 200 <= await teams.send(reaction(teams, digest)) < 300
    assert 200 <= await teams.send(reaction(teams, digest)) < 300  # redelivered: stored once
    assert 200 <= await teams.send(reaction(teams, digest, user="aad-guest")) < 300
    [roster] = teams.connector.requests_to("GET")
    assert roster.conversation_id == CHANNEL
    found = await report(teams)
    assert (found["responses"], found["other_responses"]) == (1, 1)
    [item] = found["items"]
    assert (item["kind"], item["reactions"], item["leaders"]) == ("digest", 1, ["Lee Leader"])
    assert found["leaders"][0]["user_id"] == "aad-lead"
    assert len(teams.connector.activities_sent) == sent_before  # nothing said back

    removed = reaction(teams, digest, added=False, at="2026-11-23T09:05:00.000Z")
    assert 200 <= await teams.send(removed) < 300
    assert (await report(teams))["responses"] == 0
    assert problems(caplog) == []


async def test_a_teams_reaction_on_someone_elses_message_is_acknowledged_and_ignored(
    teams: TeamsHarness,
) -> None:
    await digest_in_leadership_channel(teams)
    assert 200 <= await teams.send(reaction(teams, "1700000000777")) < 300
    async with teams.server.service.db.engine.connect() as conn:
        count = await conn.execute(select(func.count()).select_from(buy_in_signals))
        assert count.scalar_one() == 0
    assert teams.connector.requests_to("GET") == []


@pytest.mark.parametrize(
    "change",
    [
        {"replyToId": None},
        {"replyToId": 17},
        {"reactionsAdded": "like"},
        {"reactionsAdded": [{"type": None}]},
        {"reactionsAdded": [{"type": "a b"}]},
        {"reactionsRemoved": [{}]},
        {"reactionsAdded": [{"type": "x" * 500}]},
    ],
)
async def test_a_malformed_messagereaction_is_a_400_with_one_warning(
    teams: TeamsHarness, caplog: pytest.LogCaptureFixture, change: dict[str, Any]
) -> None:
    body = {**reaction(teams, "1700000000777"), **change}
    body = {key: value for key, value in body.items() if value is not None}
    caplog.clear()
    assert await teams.send(body) == 400
    assert len([r for r in caplog.records if r.levelname == "WARNING"]) == 1
    assert problems(caplog) == []

"""Bad input at POST /api/messages gets a clear 4xx and one WARNING line, never a 500 or a
traceback: with an app id (a request without a valid token is a 401 whatever its body) and in
dev mode (a malformed activity is a 400; a well-formed one winsbot ignores, a 2xx)."""

from __future__ import annotations

import json
import logging
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import aiohttp
import pytest
from sqlalchemy import func, select

from adapters.chat.teams.cards import SHARE_CASE, SHARE_WIN
from bot.config import Settings
from bot.store.case_studies import CaseStudyFilter
from bot.store.db import Database
from bot.store.tables import case_studies, conversations, posted_messages, subscriptions
from bot.store.wins import WinFilter
from tests.chat.teams.conftest import TeamsHarness, start
from tests.fakes.bot_connector import BOT_ID, FakeBotConnector

APP_ID = "7d0e2c4a-1b2c-4d5e-8f90-123456789abc"
FORGED = "Bearer eyJhbGciOiJub25lIn0.eyJhdWQiOiI3ZDBlMmM0YSJ9."


async def stored(teams: TeamsHarness) -> dict[str, int]:
    """Rows in the tables a Teams request can write to."""
    async with teams.server.service.db.engine.connect() as conn:
        return {
            table.name: (await conn.execute(select(func.count()).select_from(table))).scalar_one()
            for table in (case_studies, subscriptions, posted_messages, conversations)
        }


def problems(caplog: pytest.LogCaptureFixture) -> list[str]:
    """Log records that would mean a bug: a traceback, or anything at ERROR."""
    return [
        f"{r.levelname} {r.name}: {r.getMessage()}"
        for r in caplog.records
        if r.exc_info or r.levelno >= logging.ERROR
    ]


def warnings(caplog: pytest.LogCaptureFixture) -> list[str]:
    return [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING]


async def post_raw(
    teams: TeamsHarness, body: bytes | str, headers: dict[str, str] | None = None
) -> tuple[int, Any]:
    data = body.encode() if isinstance(body, str) else body
    request = {"Content-Type": "application/json", **teams.headers, **(headers or {})}
    async with teams.http.post(f"{teams.url}/api/messages", data=data, headers=request) as r:
        text = await r.text()
        try:
            return r.status, json.loads(text) if text else None
        except ValueError:
            return r.status, text


@pytest.fixture
async def secured(db: Database, tmp_path: Path) -> AsyncIterator[TeamsHarness]:
    """The server with an app id: Bot Framework authentication on."""
    async with FakeBotConnector() as connector:
        settings = Settings(
            database_url=db.url, microsoft_app_id=APP_ID, microsoft_app_password="not-real",
            output_dir=tmp_path,
        )  # fmt: skip
        server, runner, url = await start(settings)
        async with aiohttp.ClientSession() as http:
            yield TeamsHarness(server, connector, url, http)
        await runner.cleanup()
        for close in server.on_stop:
            await close()


def malformed(teams: TeamsHarness) -> dict[str, bytes | str | dict[str, Any]]:
    """Bodies that are not activities winsbot can read, by what is wrong with them."""
    good = teams.activity("wins")
    return {
        "null": "null",
        "a list": "[]",
        "a string": '"message"',
        "not JSON": "{not json",
        "not UTF-8": b"\xff\xfe{}",
        "nested 100,000 deep": "[" * 100_000 + "]" * 100_000,
        "an object nested 50,000 deep": '{"a":' * 50_000 + "1" + "}" * 50_000,
        "an empty object": {},
        "a number for the type": {**good, "type": 5},
        "no serviceUrl": {k: v for k, v in good.items() if k != "serviceUrl"},
        "a null conversation": {**good, "conversation": None},
        "a conversation without id": {**good, "conversation": {"conversationType": "channel"}},
        "from as a string": {**good, "from": "29:sam"},
        "no recipient": {k: v for k, v in good.items() if k != "recipient"},
        "an entity that is a number": {**good, "entities": [5]},
        "a mention of a string": {**good, "entities": [{"type": "mention", "mentioned": "x"}]},
        "channelData as a list": {**good, "channelData": []},
        "a team that is a string": {**good, "channelData": {"team": "19:team"}},
        "membersAdded as a number": {**good, "type": "conversationUpdate", "membersAdded": 5},
        "a message without id": {k: v for k, v in good.items() if k != "id"},
        "a timestamp that is no time": {**good, "timestamp": "last tuesday"},
        "a conversation id of 10,000 characters": {
            **good, "conversation": {**good["conversation"], "id": "19:" + "x" * 10_000},
        },
        "a time zone of 500 characters": {**good, "localTimezone": "Europe/" + "x" * 500},
        "a control character in an id": {**good, "from": {"id": "29:sam\x00"}},
        "text that is a number": {**good, "text": 5},
        "a share click with an oversized id": {
            **good, "value": {"winsbot": SHARE_WIN, "win_id": 99999999999999999999},
        },
        "a share click with a word for an id": {
            **good, "value": {"winsbot": SHARE_CASE, "case_id": "abc"},
        },
        "a share click without its id": {**good, "value": {"winsbot": SHARE_WIN}},
        "an unknown card action": {**good, "value": {"winsbot": "delete_everything", "win_id": 1}},
    }  # fmt: skip


async def test_malformed_activities_get_400_with_one_warning_and_store_nothing(
    teams: TeamsHarness, caplog: pytest.LogCaptureFixture
) -> None:
    for name, body in malformed(teams).items():
        caplog.clear()
        before = await stored(teams)
        raw = body if isinstance(body, (bytes, str)) else json.dumps(body)
        status, answer = await post_raw(teams, raw)
        assert status == 400, name
        assert answer["error"], name
        assert len(warnings(caplog)) == 1, (name, warnings(caplog))
        assert problems(caplog) == [], name
        assert await stored(teams) == before, name
    assert teams.connector.activities_sent == []


def ignored(teams: TeamsHarness) -> dict[str, dict[str, Any]]:
    """Well-formed activities Teams sends that winsbot does not act on (shapes from Microsoft's
    Bot Framework and Teams activity references)."""
    base = teams.activity("", mention=False)
    base.pop("text")
    channel_data = base["channelData"]
    return {
        "typing": {**base, "type": "typing"},
        "messageReaction": {
            **base,
            "type": "messageReaction",
            "reactionsAdded": [{"type": "like"}],
            "replyToId": "1700000000001",
        },
        "invoke task/fetch": {
            **base,
            "type": "invoke",
            "name": "task/fetch",
            "value": {"data": {"type": "task/fetch"}},
        },
        "invoke adaptiveCard/action": {
            **base,
            "type": "invoke",
            "name": "adaptiveCard/action",
            "value": {"action": {"type": "Action.Execute"}},
        },
        "installationUpdate": {**base, "type": "installationUpdate", "action": "add"},
        "meeting start event": {
            **base,
            "type": "event",
            "name": "application/vnd.microsoft.meetingStart",
            "value": {"Id": "meeting-1", "StartTime": "2026-11-23T09:00:00Z"},
        },
        "endOfConversation": {**base, "type": "endOfConversation", "code": "completedSuccessfully"},
        "a channel created": {
            **base,
            "type": "conversationUpdate",
            "channelData": {
                **channel_data,
                "eventType": "channelCreated",
                "channel": {"id": "19:new@thread.tacv2", "name": "wins"},
            },
        },
        "someone else added to the team": {
            **base,
            "type": "conversationUpdate",
            "membersAdded": [{"id": "29:1-new-person", "aadObjectId": "aad-new"}],
            "channelData": {**channel_data, "eventType": "teamMemberAdded"},
        },
        "a message with an unknown activity type": {**base, "type": "somethingTeamsAddsNextYear"},
    }


async def test_activities_winsbot_does_not_act_on_are_acknowledged(
    teams: TeamsHarness, caplog: pytest.LogCaptureFixture
) -> None:
    for name, activity in ignored(teams).items():
        caplog.clear()
        status = await teams.send(activity)
        assert 200 <= status < 300, name
        assert problems(caplog) == [], name
    assert teams.connector.activities_sent == []
    assert teams.connector.requests == []  # not even a roster lookup for a new member


async def test_text_no_database_can_store_is_answered_not_refused(
    teams: TeamsHarness, caplog: pytest.LogCaptureFixture
) -> None:
    [win] = await teams.server.service.wins(WinFilter(limit=1))
    click = {"winsbot": SHARE_WIN, "win_id": win.id}
    await teams.send(teams.activity("", mention=False, value=click))
    async with teams.server.service.db.engine.connect() as conn:
        root = (await conn.execute(select(posted_messages.c.message_id))).scalar_one()
    raw = json.dumps(teams.activity("We won\x00 big \ud800", mention=False, thread=root))
    assert (await post_raw(teams, raw))[0] in (200, 201)
    [story] = await teams.server.service.case_studies(CaseStudyFilter())
    assert story.body == "We won\ufffd big \ufffd"
    assert problems(caplog) == []


async def test_with_an_app_id_no_request_without_a_valid_token_gets_past_401(
    secured: TeamsHarness, caplog: pytest.LogCaptureFixture
) -> None:
    bodies = malformed(secured)
    bodies["a good activity"] = secured.activity("wins")
    for name, body in bodies.items():
        raw = body if isinstance(body, (bytes, str)) else json.dumps(body)
        for headers in ({}, {"Authorization": FORGED}, {"Authorization": "Basic c2FtOnNhbQ=="}):
            caplog.clear()
            status, _ = await post_raw(secured, raw, headers)
            assert status == 401, (name, headers)
            assert len(warnings(caplog)) == 1, (name, warnings(caplog))
            assert problems(caplog) == [], name
    assert secured.connector.requests == []
    assert await stored(secured) == dict.fromkeys(
        ("case_studies", "subscriptions", "posted_messages", "conversations"), 0
    )


async def test_a_bot_added_to_a_team_with_other_members_is_remembered_without_lookups(
    teams: TeamsHarness, caplog: pytest.LogCaptureFixture
) -> None:
    install = teams.activity("", mention=False)
    install.update(
        type="conversationUpdate", text=None,
        membersAdded=[{"id": "29:1-unknown-to-the-roster"}, {"id": BOT_ID}],
        channelData={**install["channelData"], "eventType": "teamMemberAdded"},
    )  # fmt: skip
    assert await teams.send(install) in (200, 201)
    assert (await stored(teams))["conversations"] == 1
    assert teams.connector.requests == []
    assert problems(caplog) == []


async def test_a_body_over_the_size_limit_gets_413_without_a_trace(
    teams: TeamsHarness, caplog: pytest.LogCaptureFixture
) -> None:
    status, _ = await post_raw(teams, json.dumps(teams.activity("x" * 2**21)))
    assert status == 413
    assert problems(caplog) == []

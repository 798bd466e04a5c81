"""A running winsbot server answering Teams at /api/messages, a fake Bot Connector behind it."""

from __future__ import annotations

import itertools
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import aiohttp
import pytest
from aiohttp import web

from bot.app import Server, build_server
from bot.config import Settings
from bot.domain.models import Metrics, Platform, SnapshotRecord
from bot.ports import FixedClock
from bot.store.accounts import register_account
from bot.store.db import Database
from tests.fakes.bot_connector import BOT_ID, BOT_NAME, TENANT_ID, FakeBotConnector

NOW = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)
TEAM = "19:team-acme@thread.tacv2"
CHANNEL = "19:general-acme@thread.tacv2"
_ids = itertools.count(1800000000001)


def post(n: int, likes: int, account: str = "acme-careers") -> SnapshotRecord:
    published = NOW - timedelta(days=40 - n)
    return SnapshotRecord(
        Platform.LINKEDIN, account, f"{account}-{n}", published,
        Metrics(likes=likes, comments=3, impressions=likes * 40),
        url=f"https://www.linkedin.com/feed/update/urn:li:activity:{7000 + n}/",
        text=f"Post number {n} **bold** [link](https://evil.example)",
        captured_at=published + timedelta(days=1),
    )  # fmt: skip


@dataclass
class TeamsHarness:
    server: Server
    connector: FakeBotConnector
    url: str
    http: aiohttp.ClientSession
    headers: dict[str, str] = field(default_factory=dict)

    def activity(
        self,
        text: str,
        *,
        kind: str = "channel",
        mention: bool = True,
        thread: str | None = None,
        user: str = "aad-sam",
        **extra: Any,
    ) -> dict[str, Any]:
        """A message activity shaped like the ones Teams sends."""
        activity_id = str(next(_ids))
        if kind == "channel":
            conversation_id = f"{CHANNEL};messageid={thread or activity_id}"
        elif kind == "groupChat":
            conversation_id = "19:group-chat@thread.v2"
        else:
            conversation_id = "a:1personal-chat-id"
        body: dict[str, Any] = {
            "type": "message", "id": activity_id, "timestamp": "2026-11-23T09:00:00.000Z",
            "serviceUrl": self.connector.service_url, "channelId": "msteams",
            "from": {"id": f"29:{user}", "name": "Sam Lee", "aadObjectId": user},
            "conversation": {"isGroup": kind != "personal", "conversationType": kind,
                             "tenantId": TENANT_ID, "id": conversation_id},
            "recipient": {"id": BOT_ID, "name": BOT_NAME},
            "text": f"<at>{BOT_NAME}</at> {text}" if mention else text,
            "textFormat": "plain", "locale": "en-US", "localTimezone": "Europe/Paris",
            "channelData": {"tenant": {"id": TENANT_ID}},
            "entities": [],
        }  # fmt: skip
        if mention:
            body["entities"].append(
                {
                    "type": "mention",
                    "text": f"<at>{BOT_NAME}</at>",
                    "mentioned": {"id": BOT_ID, "name": BOT_NAME},
                }
            )
        if kind == "channel":
            body["channelData"].update(
                {
                    "teamsChannelId": CHANNEL,
                    "teamsTeamId": TEAM,
                    "channel": {"id": CHANNEL},
                    "team": {"id": TEAM},
                }
            )
        body.update(extra)
        return body

    async def send(self, activity: dict[str, Any], headers: dict[str, str] | None = None) -> int:
        async with self.http.post(
            f"{self.url}/api/messages", json=activity, headers={**self.headers, **(headers or {})}
        ) as response:
            await response.read()
            return response.status

    def cards(self) -> list[dict[str, Any]]:
        return [
            a["content"]
            for body in self.connector.activities_sent
            for a in body.get("attachments") or []
        ]


async def start(
    settings: Settings, *, reply_budget: float | None = None
) -> tuple[Server, web.AppRunner, str]:
    server = await build_server(settings, clock=FixedClock(NOW), ack_budget=reply_budget)
    runner = web.AppRunner(server.web, access_log=None)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    return server, runner, f"http://127.0.0.1:{runner.addresses[0][1]}"


@pytest.fixture
async def teams(
    db: Database, tmp_path: Path, request: pytest.FixtureRequest
) -> AsyncIterator[TeamsHarness]:
    """Mark a test ``@pytest.mark.ack_budget(0)`` to force the proactive follow-up path."""
    marker = request.node.get_closest_marker("ack_budget")
    async with FakeBotConnector() as connector:
        settings = Settings(
            database_url=db.url, teams_dev=True, admins="aad-boss", output_dir=tmp_path,
            public_url="https://winsbot.example.com",
        )  # fmt: skip
        server, runner, url = await start(settings, reply_budget=marker.args[0] if marker else None)
        async with server.service.db.engine.begin() as conn:
            await register_account(conn, Platform.LINKEDIN, "acme-careers", tags=["recruiting"])
        await server.service.ingest([post(n, 100 + n % 3) for n in range(30)] + [post(35, 2400)])
        await server.service.detect()
        async with aiohttp.ClientSession() as http:
            yield TeamsHarness(server, connector, url, http)
        await runner.cleanup()
        for close in server.on_stop:
            await close()

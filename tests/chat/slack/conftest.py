"""A running winsbot server on 127.0.0.1 wired to a fake Slack Web API, with signed requests."""

from __future__ import annotations

import hashlib
import hmac
import json
import time
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import aiohttp
import pytest
from aiohttp import web

from bot.app import Server, build_server
from bot.config import Settings
from bot.domain.models import Metrics, Platform, SnapshotRecord
from bot.ports import FixedClock
from bot.store.accounts import register_account
from bot.store.db import Database
from tests.fakes.slack_api import FakeSlackApi

SECRET = "8f742231b10e8888abcd99yyyzzz85a5"
NOW = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)


def sign(body: str, timestamp: int | None = None, secret: str = SECRET) -> dict[str, str]:
    """Headers exactly as Slack signs a request (v0 HMAC-SHA256 of "v0:ts:body")."""
    ts = str(int(time.time()) if timestamp is None else timestamp)
    digest = hmac.new(secret.encode(), f"v0:{ts}:{body}".encode(), hashlib.sha256).hexdigest()
    return {"X-Slack-Request-Timestamp": ts, "X-Slack-Signature": f"v0={digest}"}


@dataclass
class SlackHarness:
    server: Server
    slack: FakeSlackApi
    url: str
    http: aiohttp.ClientSession

    async def post(
        self, body: str, content_type: str, headers: dict[str, str] | None = None
    ) -> tuple[int, Any]:
        signed = {**sign(body), "Content-Type": content_type, **(headers or {})}
        async with self.http.post(f"{self.url}/slack/events", data=body, headers=signed) as r:
            text = await r.text()
            try:
                return r.status, json.loads(text) if text else None
            except json.JSONDecodeError:
                return r.status, text

    async def command(self, text: str, *, user: str = "U0SAM", channel: str = "C1", **extra: str):  # type: ignore[no-untyped-def]
        form = {
            "token": "legacy", "team_id": "T0001", "team_domain": "acme",
            "channel_id": channel, "channel_name": extra.pop("channel_name", "general"),
            "user_id": user, "user_name": "sam", "command": "/wins", "text": text,
            "api_app_id": "A0001", "response_url": f"{self.slack.url}/response/1",
            "trigger_id": "1.2.3",
        }  # fmt: skip
        form.update(extra)
        return await self.post(urlencode(form), "application/x-www-form-urlencoded")

    async def event(self, event: dict[str, Any], *, event_id: str = "Ev1", retry: int = 0):  # type: ignore[no-untyped-def]
        envelope = {
            "token": "legacy", "team_id": "T0001", "api_app_id": "A0001",
            "event": event, "type": "event_callback", "event_id": event_id,
            "event_time": int(time.time()),
            "authorizations": [{"team_id": "T0001", "user_id": "U0BOT", "is_bot": True}],
        }  # fmt: skip
        headers = {"X-Slack-Retry-Num": str(retry), "X-Slack-Retry-Reason": "http_timeout"}
        return await self.post(json.dumps(envelope), "application/json", headers if retry else None)

    async def action(self, action_id: str, value: str, *, user: str = "U0SAM", channel: str = "C1"):  # type: ignore[no-untyped-def]
        payload = {
            "type": "block_actions", "team": {"id": "T0001", "domain": "acme"},
            "user": {"id": user, "name": "sam", "team_id": "T0001"},
            "api_app_id": "A0001", "token": "legacy",
            "container": {"type": "message", "message_ts": "1700000000.000001",
                          "channel_id": channel, "is_ephemeral": True},
            "trigger_id": "1.2.3", "channel": {"id": channel, "name": "general"},
            "response_url": f"{self.slack.url}/response/2",
            "actions": [{"action_id": action_id, "block_id": "b1", "value": value,
                         "type": "button", "action_ts": "1700000001.000001",
                         "text": {"type": "plain_text", "text": "Share to channel"}}],
        }  # fmt: skip
        return await self.post(
            urlencode({"payload": json.dumps(payload)}), "application/x-www-form-urlencoded"
        )


def post(n: int, likes: int, account: str = "acme-careers") -> SnapshotRecord:
    published = NOW - timedelta(days=40 - n)
    return SnapshotRecord(
        Platform.LINKEDIN, account, f"{account}-{n}", published,
        Metrics(likes=likes, comments=3, impressions=likes * 40),
        url=f"https://www.linkedin.com/feed/update/urn:li:activity:{7000 + n}/",
        text=f"Post number {n} <!channel> *not bold*",
        captured_at=published + timedelta(days=1),
    )  # fmt: skip


@pytest.fixture
async def harness(
    db: Database, request: pytest.FixtureRequest, tmp_path: Path
) -> AsyncIterator[SlackHarness]:
    """``db`` gives a clean database (a fresh SQLite file, or truncated PostgreSQL).

    Mark a test ``@pytest.mark.ack_budget(0)`` to force the slow path (ack, then response_url).
    """
    marker = request.node.get_closest_marker("ack_budget")
    async with FakeSlackApi() as slack:
        slack.users["UADMIN"] = {"is_admin": True}
        slack.users["U0SAM"] = {"is_admin": False, "tz": "America/Toronto"}
        settings = Settings(
            database_url=db.url,
            slack_bot_token="xoxb-test-token",
            slack_signing_secret=SECRET,
            slack_api_url=slack.base_url,
            admins="UBOSS",
            slack_post_interval=0,
            output_dir=tmp_path,
        )
        server = await build_server(
            settings, clock=FixedClock(NOW), ack_budget=marker.args[0] if marker else None
        )
        async with server.service.db.engine.begin() as conn:
            await register_account(conn, Platform.LINKEDIN, "acme-careers", tags=["recruiting"])
        await server.service.ingest([post(n, 100 + n % 3) for n in range(30)] + [post(35, 2400)])
        await server.service.detect()
        runner = web.AppRunner(server.web, access_log=None)
        await runner.setup()
        site = web.TCPSite(runner, "127.0.0.1", 0)
        await site.start()
        port = runner.addresses[0][1]
        async with aiohttp.ClientSession() as http:
            yield SlackHarness(server, slack, f"http://127.0.0.1:{port}", http)
        await runner.cleanup()
        for close in server.on_stop:
            await close()

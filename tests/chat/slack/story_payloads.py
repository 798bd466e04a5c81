"""The story form's bodies as Slack sends them, and a server whose replies are sorted.

Shapes follow Slack's interaction payload reference (block_actions from a message button,
view_submission of a modal) as bolt-python's scenario tests carry them. ``story_harness``
is the usual harness with a social team and an account owner configured in Settings, so
replies under a win are sorted into stories and feedback.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator, Callable, Mapping
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import aiohttp
import pytest
from aiohttp import web

from adapters.chat.slack.blocks import SHARE_WIN_ACTION
from adapters.chat.slack.story_form import ADD_STORY_ACTION
from bot.app import build_server
from bot.config import Settings
from bot.domain.models import Platform, SourceAccount
from bot.ports import FixedClock
from bot.store.accounts import register_account
from bot.store.db import Database
from bot.store.wins import WinFilter
from tests.chat.slack.conftest import NOW, SECRET, SlackHarness, post
from tests.fakes.slack_api import BOT_ID, BOT_USER_ID, TEAM_ID, FakeSlackApi

FORM = "application/x-www-form-urlencoded"
OWNER, SOCIAL, LEADER = "U0OWNER", "U0SOCIAL", "U0BOSS"


def click(win_id: int, *, root: str, trigger: str = "12345.98765.abcd2358fdea",
          user: str = "U0SAM", channel: str = "C1") -> dict[str, Any]:  # fmt: skip
    """A click on "Add the story" under a win the bot shared in ``channel`` (``root``: its ts)."""
    return {
        "type": "block_actions", "team": {"id": TEAM_ID, "domain": "acme"},
        "user": {"id": user, "username": "sam", "name": "sam", "team_id": TEAM_ID},
        "api_app_id": "A0001", "token": "legacy", "trigger_id": trigger,
        "container": {"type": "message", "message_ts": root, "channel_id": channel,
                      "is_ephemeral": False},
        "channel": {"id": channel, "name": "general"},
        "message": {"type": "message", "ts": root, "user": BOT_USER_ID, "bot_id": BOT_ID,
                    "text": "A social media win", "blocks": []},
        "response_url": "https://hooks.slack.com/actions/T0001/1/abc",
        "actions": [{"action_id": ADD_STORY_ACTION, "block_id": "story", "value": str(win_id),
                     "type": "button", "style": "primary", "action_ts": "1700000001.000001",
                     "text": {"type": "plain_text", "text": "Add the story", "emoji": False}}],
        "is_enterprise_install": False, "enterprise": None,
    }  # fmt: skip


def submission(
    view: dict[str, Any], answers: Mapping[str, str | None], *, user: str = "U0SAM"
) -> dict[str, Any]:
    """The ``view_submission`` Slack sends when ``view`` (as views.open returned it) is saved."""
    values = {
        f"story_{name}": {name: {"type": "plain_text_input", "value": value}}
        for name, value in answers.items()
    }
    return {
        "type": "view_submission", "team": {"id": TEAM_ID, "domain": "acme"},
        "user": {"id": user, "username": "sam", "name": "sam", "team_id": TEAM_ID},
        "api_app_id": "A0001", "token": "legacy", "trigger_id": "12345.98766.abcd2358fdeb",
        "view": {**view, "state": {"values": values}, "app_installed_team_id": TEAM_ID},
        "response_urls": [], "is_enterprise_install": False, "enterprise": None,
    }  # fmt: skip


async def send(harness: SlackHarness, payload: dict[str, Any]) -> tuple[int, Any]:
    """Post an interaction payload as Slack does: a signed form with a ``payload`` field."""
    return await harness.post(urlencode({"payload": json.dumps(payload)}), FORM)


async def eventually(check: Callable[[], bool], seconds: float = 5.0) -> None:
    """Wait for work the server does after its ack (views.open, the confirmation)."""
    for _ in range(int(seconds / 0.02)):
        if check():
            return
        await asyncio.sleep(0.02)
    raise AssertionError("timed out waiting for the server")


async def shared_win(harness: SlackHarness) -> tuple[int, str]:
    """Share the top win to C1 (once); its id and the ts of its message, the thread root."""
    [win] = await harness.server.service.wins(WinFilter(limit=1))
    if not any(channel == "C1" for channel, _ in harness.slack.messages):
        await harness.action(SHARE_WIN_ACTION, str(win.id))
    root = next(ts for (channel, ts) in harness.slack.messages if channel == "C1")
    return win.id, root


async def open_form(harness: SlackHarness, trigger: str = "12345.98765.abcd2358fdea") -> Any:
    """Click "Add the story" under the shared win; the view Slack opened."""
    win_id, root = await shared_win(harness)
    opened = len(harness.slack.views.opened)
    status, _ = await send(harness, click(win_id, root=root, trigger=trigger))
    assert status == 200
    await eventually(lambda: len(harness.slack.views.opened) > opened)
    return harness.slack.views.opened[-1]


@pytest.fixture
async def story_harness(db: Database, tmp_path: Path) -> AsyncIterator[SlackHarness]:
    """The Slack harness with an owner of acme-careers and a social team configured."""
    async with FakeSlackApi() as slack:
        settings = Settings(
            database_url=db.url, slack_bot_token="xoxb-test-token", slack_signing_secret=SECRET,
            slack_api_url=slack.base_url, slack_post_interval=0, output_dir=tmp_path,
            social_team=SOCIAL,
            accounts=[SourceAccount(platform=Platform.LINKEDIN, handle="acme-careers",
                                    owners=(OWNER,))],
        )  # fmt: skip
        server = await build_server(settings, clock=FixedClock(NOW))
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

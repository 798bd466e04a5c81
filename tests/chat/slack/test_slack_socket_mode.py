"""Socket Mode: with SLACK_APP_TOKEN set, /wins arrives over a WebSocket, not HTTP."""

from __future__ import annotations

import asyncio

import aiohttp
from aiohttp import web

from bot.app import build_server, start_socket_mode
from bot.config import Settings
from bot.ports import FixedClock
from bot.store.db import Database
from tests.chat.slack.conftest import NOW
from tests.fakes.slack_api import FakeSlackApi


async def test_socket_mode_answers_wins_over_the_websocket_and_mounts_no_http_route(
    db: Database,
) -> None:
    async with FakeSlackApi() as slack:
        settings = Settings(
            database_url=db.url,
            slack_bot_token="xoxb-test-token",
            slack_app_token="xapp-1-A0001-test",
            slack_api_url=slack.base_url,
        )
        server = await build_server(settings, clock=FixedClock(NOW))
        runner = web.AppRunner(server.web, access_log=None)
        await runner.setup()
        site = web.TCPSite(runner, "127.0.0.1", 0)
        await site.start()
        port = runner.addresses[0][1]
        try:
            url = f"http://127.0.0.1:{port}/slack/events"
            async with aiohttp.ClientSession() as http, http.post(url, data="x") as r:
                assert r.status in (404, 405)  # no public endpoint in Socket Mode
            await start_socket_mode(server, "xapp-1-A0001-test")
            await asyncio.wait_for(slack.socket_connected.wait(), 10)
            assert slack.calls_to("apps.connections.open")
            await slack.socket_send(
                {
                    "envelope_id": "env-1",
                    "type": "slash_commands",
                    "accepts_response_payload": True,
                    "payload": {
                        "team_id": "T0001",
                        "channel_id": "C1",
                        "user_id": "U0SAM",
                        "command": "/wins",
                        "text": "help",
                        "api_app_id": "A0001",
                        "response_url": f"{slack.url}/response/1",
                        "trigger_id": "1.2.3",
                    },
                }
            )
            for _ in range(100):
                if slack.socket_received:
                    break
                await asyncio.sleep(0.05)
            [ack] = slack.socket_received
            assert ack["envelope_id"] == "env-1"
            assert "subscribe" in str(ack["payload"]["blocks"])
        finally:
            await runner.cleanup()
            for close in server.on_stop:
                await close()

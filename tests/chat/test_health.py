"""GET /healthz says whether a process can do its job, and SIGTERM stops it cleanly, whatever
Slack is doing: `winsbot serve` in Socket Mode while the WebSocket is refused or dropped, and
`winsbot worker` with its --port. Real processes, real signals."""

from __future__ import annotations

import asyncio
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import aiohttp
import pytest
from aiohttp import web

from bot.app import build_server, start_scheduler, start_socket_mode
from bot.config import Settings
from bot.store.db import Database
from tests.fakes.slack_api import FakeSlackApi

START = "import sys; from bot.cli import main; sys.argv[0] = 'winsbot'; main()"
STOP_WITHIN_SECONDS = 5.0


@dataclass
class UnreachableSocket:
    """A Slack Web API whose Socket Mode never stays up: it refuses to hand out a WebSocket URL
    (an HTML error page from a proxy), or hands one out and drops each connection at once."""

    mode: str  # "refuse" | "drop"
    opened: int = 0  # apps.connections.open calls
    dropped: int = 0  # WebSockets accepted, then closed
    runner: web.AppRunner | None = None
    port: int = 0
    seen: asyncio.Event = field(default_factory=asyncio.Event)

    async def start(self) -> None:
        app = web.Application()
        app.router.add_post("/api/auth.test", self._auth_test)
        app.router.add_post("/api/apps.connections.open", self._open)
        app.router.add_get("/socket", self._socket)
        self.runner = web.AppRunner(app, access_log=None)
        await self.runner.setup()
        site = web.TCPSite(self.runner, "127.0.0.1", 0)
        await site.start()
        self.port = self.runner.addresses[0][1]

    async def stop(self) -> None:
        if self.runner is not None:
            await self.runner.cleanup()

    @property
    def api_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/api/"

    async def _auth_test(self, _: web.Request) -> web.Response:
        return web.json_response({"ok": True, "team_id": "T0001", "user_id": "U0BOT"})

    async def _open(self, _: web.Request) -> web.Response:
        self.opened += 1
        if self.mode == "refuse":
            self.seen.set()
            return web.Response(status=503, text="<html>Service Unavailable</html>",
                                content_type="text/html")  # fmt: skip
        return web.json_response({"ok": True, "url": f"ws://127.0.0.1:{self.port}/socket"})

    async def _socket(self, request: web.Request) -> web.WebSocketResponse:
        ws = web.WebSocketResponse()
        await ws.prepare(request)
        await ws.close()
        self.dropped += 1
        self.seen.set()
        return ws


@pytest.fixture(params=["refuse", "drop"])
async def unreachable(request: pytest.FixtureRequest) -> AsyncIterator[UnreachableSocket]:
    fake = UnreachableSocket(request.param)
    await fake.start()
    yield fake
    await fake.stop()


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def winsbot(args: list[str], tmp_path: Path, **env: str) -> subprocess.Popen[bytes]:
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("WINSBOT_", "SLACK_"))}
    clean.pop("DATABASE_URL", None)
    clean.pop("MICROSOFT_APP_ID", None)
    return subprocess.Popen(
        [sys.executable, "-c", START, *args],
        env={**clean, "DATABASE_URL": f"sqlite:///{tmp_path / 'winsbot.db'}",
             "WINSBOT_OUTPUT_DIR": str(tmp_path / "out"), **env},
        cwd=tmp_path, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
    )  # fmt: skip


async def health(port: int, process: subprocess.Popen[bytes]) -> tuple[int, Any]:
    """The first /healthz answer once the process listens (start-up runs migrations)."""
    deadline = time.monotonic() + 60
    async with aiohttp.ClientSession() as http:
        while time.monotonic() < deadline:
            assert process.poll() is None, process.communicate()
            try:
                async with http.get(f"http://127.0.0.1:{port}/healthz") as response:
                    return response.status, await response.json()
            except aiohttp.ClientConnectionError:
                await asyncio.sleep(0.1)
    raise AssertionError("winsbot never answered /healthz")


async def stop(process: subprocess.Popen[bytes]) -> tuple[int, float, str]:
    """SIGTERM; (exit code, seconds it took, stderr)."""
    started = time.monotonic()
    process.send_signal(signal.SIGTERM)
    try:
        await asyncio.wait_for(asyncio.to_thread(process.wait), 30)
    except TimeoutError:
        process.kill()
    took = time.monotonic() - started
    _, stderr = process.communicate()
    return int(process.returncode), took, stderr.decode(errors="replace")


async def test_serve_in_socket_mode_reports_the_socket_and_stops_on_sigterm_while_reconnecting(
    unreachable: UnreachableSocket, tmp_path: Path
) -> None:
    port = free_port()
    process = winsbot(
        ["serve", "--port", str(port), "--no-scheduler"], tmp_path,
        SLACK_BOT_TOKEN="xoxb-test", SLACK_APP_TOKEN="xapp-1-A0001-test",
        SLACK_API_URL=unreachable.api_url,
    )  # fmt: skip
    try:
        status, report = await health(port, process)
        assert status == 503
        assert report["ok"] is False
        assert "Socket Mode" in report["reason"]
        await asyncio.wait_for(unreachable.seen.wait(), 30)  # it is trying, and failing
        await asyncio.sleep(0.3)
        code, took, stderr = await stop(process)
    finally:
        if process.poll() is None:
            process.kill()
    assert code == 0, stderr
    assert took < STOP_WITHIN_SECONDS, (took, stderr)
    assert "Traceback" not in stderr, stderr
    assert "Task was destroyed" not in stderr, stderr


async def test_worker_answers_healthz_on_its_port_and_stops_on_sigterm(tmp_path: Path) -> None:
    port = free_port()
    process = winsbot(["worker", "--port", str(port)], tmp_path)
    try:
        status, report = await health(port, process)
        assert (status, report) == (200, {"ok": True, "checks": {"scheduler": "ok"}})
        code, took, stderr = await stop(process)
    finally:
        if process.poll() is None:
            process.kill()
    assert code == 0, stderr
    assert took < STOP_WITHIN_SECONDS, (took, stderr)
    assert "Traceback" not in stderr, stderr


async def test_socket_mode_health_turns_200_once_the_socket_is_up(db: Database) -> None:
    async with FakeSlackApi() as slack:
        settings = Settings(
            database_url=db.url, slack_bot_token="xoxb-test-token",
            slack_app_token="xapp-1-A0001-test", slack_api_url=slack.base_url,
        )  # fmt: skip
        server = await build_server(settings)
        runner = web.AppRunner(server.web, access_log=None)
        await runner.setup()
        site = web.TCPSite(runner, "127.0.0.1", 0)
        await site.start()
        url = f"http://127.0.0.1:{runner.addresses[0][1]}/healthz"
        try:
            async with aiohttp.ClientSession() as http:
                async with http.get(url) as r:
                    assert r.status == 200  # nothing to check yet: Socket Mode not started
                await start_socket_mode(server, "xapp-1-A0001-test")  # returns at once
                await asyncio.wait_for(slack.socket_connected.wait(), 10)
                for _ in range(100):
                    async with http.get(url) as r:
                        if r.status == 200:
                            assert await r.json() == {
                                "ok": True, "checks": {"slack_socket_mode": "ok"}
                            }  # fmt: skip
                            break
                    await asyncio.sleep(0.05)
                else:
                    raise AssertionError("health never turned 200 once the socket was up")
        finally:
            await runner.cleanup()
            for close in server.on_stop:
                await close()


async def test_at_shutdown_running_jobs_finish_or_stop_in_one_line(
    db: Database, caplog: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A job still running when the process stops gets a grace period to finish; one that
    outlasts it is cancelled and logged as one WARNING line, not a traceback."""
    import logging

    import bot.app

    monkeypatch.setattr(bot.app, "JOB_GRACE_SECONDS", 0.5)
    caplog.set_level(logging.INFO)
    server = await build_server(Settings(database_url=db.url))
    await start_scheduler(server)
    assert server.scheduler is not None
    finished: list[str] = []

    async def job(name: str, seconds: float) -> None:
        await asyncio.sleep(seconds)
        finished.append(name)

    for name, seconds in (("quick", 0.1), ("endless", 60.0)):
        server.scheduler.scheduler.add_job(job, args=(name, seconds), id=name, name=name)
    await asyncio.sleep(0.05)  # both are running
    started = time.monotonic()
    for close in server.on_stop:
        await close()
    assert time.monotonic() - started < 2
    assert finished == ["quick"]
    assert [r for r in caplog.records if r.exc_info or r.levelno >= logging.ERROR] == []
    [stopped] = [r.getMessage() for r in caplog.records if "stopped at shutdown" in r.getMessage()]
    assert "endless" in stopped

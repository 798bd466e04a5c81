"""Signed `/wins` slash commands against `winsbot serve` on the 10,000-post sample database.

- Load: 1 and 50 concurrent clients send signed, form-encoded slash commands (the text cycles
  through realistic queries) to POST /slack/events; time to the full HTTP response, p50/p99,
  and requests/s.
- Floor, measured in the same run: a bare slack-bolt `AsyncApp` on aiohttp whose `/wins`
  handler only acks, in its fastest configuration (`process_before_response=True`; bolt's
  default mode polls for the ack every 10 ms, so it is no floor), in its own process like
  winsbot. Floor and winsbot runs alternate so they share the machine's noise.
- Target: winsbot p99 at most 3x the floor's at 1 client and 1.5x at 50 clients.

Both servers talk to a fake Slack Web API in this process (bolt calls auth.test once).

    python bench/bench_slack.py [--posts 10000] [--snapshots 10] [--requests-1 300]
                                [--requests-50 2000] [--warmup 20]
"""

from __future__ import annotations

import argparse
import asyncio
import hashlib
import hmac
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from urllib.parse import urlencode

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import aiohttp
from sqlalchemy import select

from bench.common import END, percentile
from bot.config import Settings
from bot.models import Platform
from bot.ports import FixedClock
from bot.sample_data import benchmark_records
from bot.service import WinsService
from bot.store.accounts import register_account
from bot.store.db import Database
from bot.store.tables import accounts
from tests.fakes.slack_api import FakeSlackApi

HERE = Path(__file__).resolve()
TAGS = ("recruiting", "product", "customer-care", "brand")
TEXTS = ("", "30d", "linkedin 30d", "#recruiting 30d", "cases", "help", "linkdin")
SECRET = "bench0signing0secret0000000000000"
TOKEN = "xoxb-bench"
SLACK_PATH = "/slack/events"
TARGETS = {1: 3.0, 50: 1.5}
START_TIMEOUT = 30.0


# ---------------------------------------------------------------------------- the floor server


def floor_server(port: int) -> None:
    """A bare slack-bolt AsyncApp on aiohttp whose /wins handler only acks (run in a child)."""
    from aiohttp import web
    from slack_bolt.adapter.aiohttp import to_aiohttp_response, to_bolt_request
    from slack_bolt.async_app import AsyncApp
    from slack_sdk.web.async_client import AsyncWebClient

    async def run() -> None:
        bolt = AsyncApp(
            client=AsyncWebClient(token=TOKEN, base_url=os.environ["SLACK_API_URL"]),
            signing_secret=os.environ["SLACK_SIGNING_SECRET"],
            process_before_response=True,
        )

        @bolt.command("/wins")
        async def wins(ack):  # type: ignore[no-untyped-def]
            await ack()

        async def events(request: web.Request) -> web.StreamResponse:
            response = await bolt.async_dispatch(await to_bolt_request(request))
            return await to_aiohttp_response(response)

        async def healthz(_: web.Request) -> web.Response:
            return web.json_response({"ok": True})

        app = web.Application()
        app.router.add_post(SLACK_PATH, events)
        app.router.add_get("/healthz", healthz)
        runner = web.AppRunner(app, access_log=None)
        await runner.setup()
        await web.TCPSite(runner, "127.0.0.1", port).start()
        await asyncio.Event().wait()  # until the parent terminates us

    asyncio.run(run())


# ----------------------------------------------------------------------------- data and servers


def data_end() -> datetime:
    """bench.common.END, or now once END is past: `winsbot serve` runs on the real clock, so
    "/wins 30d" only finds wins while the data reaches up to today."""
    return max(END, datetime.now(UTC).replace(minute=0, second=0, microsecond=0))


async def build_database(path: Path, posts: int, snapshots: int, end: datetime) -> tuple[int, int]:
    """The sample database: posts x snapshots, accounts tagged, detection run; (snapshots, wins)."""
    db = Database(f"sqlite+aiosqlite:///{path}")
    service = WinsService(db, Settings(), FixedClock(end + timedelta(hours=1)))
    try:
        await db.upgrade()
        report = await service.ingest(benchmark_records(posts, snapshots, end=end))
        async with db.engine.begin() as conn:
            handles = (await conn.execute(select(accounts.c.platform, accounts.c.handle))).all()
            for i, (platform, handle) in enumerate(sorted(handles)):
                await register_account(conn, Platform(platform), handle, tags=[TAGS[i % len(TAGS)]])
        detected = await service.detect()
        return report.snapshots_added, detected.wins_added
    finally:
        await db.dispose()


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class Child:
    name: str
    process: subprocess.Popen[bytes]
    url: str
    log: Path

    def stderr(self) -> str:
        return self.log.read_text(errors="replace")[-4000:]


def start_child(name: str, argv: list[str], port: int, env: dict[str, str], work: Path) -> Child:
    log = work / f"{name}.log"
    with log.open("wb") as err:
        process = subprocess.Popen(
            argv, env={**os.environ, **env}, stdout=subprocess.DEVNULL, stderr=err
        )
    return Child(name, process, f"http://127.0.0.1:{port}", log)


async def wait_healthy(child: Child, http: aiohttp.ClientSession) -> None:
    deadline = time.monotonic() + START_TIMEOUT
    while time.monotonic() < deadline:
        if child.process.poll() is not None:
            raise RuntimeError(
                f"{child.name} exited with {child.process.returncode}:\n{child.stderr()}"
            )
        try:
            async with http.get(f"{child.url}/healthz") as response:
                if response.status == 200:
                    return
        except aiohttp.ClientError:
            pass
        await asyncio.sleep(0.1)
    raise RuntimeError(
        f"{child.name} did not answer /healthz in {START_TIMEOUT:.0f} s:\n{child.stderr()}"
    )


def stop_child(child: Child) -> None:
    if child.process.poll() is None:
        child.process.terminate()
        try:
            child.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            child.process.kill()
            child.process.wait()


# ------------------------------------------------------------------------------------ the load


def slash_command(text: str, response_url: str) -> tuple[str, dict[str, str]]:
    """A form-encoded /wins request signed as Slack signs it (v0 HMAC-SHA256 of "v0:ts:body")."""
    body = urlencode(
        {
            "token": "legacy", "team_id": "T0001", "team_domain": "acme",
            "channel_id": "C1", "channel_name": "general", "user_id": "U0SAM",
            "user_name": "sam", "command": "/wins", "text": text, "api_app_id": "A0001",
            "response_url": response_url, "trigger_id": "1.2.3",
        }
    )  # fmt: skip
    ts = str(int(time.time()))
    digest = hmac.new(SECRET.encode(), f"v0:{ts}:{body}".encode(), hashlib.sha256).hexdigest()
    headers = {
        "Content-Type": "application/x-www-form-urlencoded",
        "X-Slack-Request-Timestamp": ts,
        "X-Slack-Signature": f"v0={digest}",
    }
    return body, headers


@dataclass
class Result:
    samples: list[float]  # ms to the full response, successful requests only
    failures: int
    seconds: float

    @property
    def rate(self) -> float:
        return (len(self.samples) + self.failures) / self.seconds


async def load(url: str, response_url: str, concurrency: int, requests: int) -> Result:
    """`requests` signed commands from `concurrency` clients over one keep-alive pool each."""
    samples: list[float] = []
    failures = 0
    issued = 0

    async def client(http: aiohttp.ClientSession) -> None:
        nonlocal failures, issued
        while issued < requests:
            text = TEXTS[issued % len(TEXTS)]
            issued += 1
            body, headers = slash_command(text, response_url)
            started = time.perf_counter()
            async with http.post(f"{url}{SLACK_PATH}", data=body, headers=headers) as response:
                await response.read()
                ok = response.status == 200
            elapsed = (time.perf_counter() - started) * 1000
            if ok:
                samples.append(elapsed)
            else:
                failures += 1

    connector = aiohttp.TCPConnector(limit=concurrency)
    async with aiohttp.ClientSession(connector=connector) as http:
        started = time.perf_counter()
        await asyncio.gather(*(client(http) for _ in range(concurrency)))
        seconds = time.perf_counter() - started
    return Result(samples, failures, seconds)


async def check_answers(url: str, response_url: str, http: aiohttp.ClientSession) -> list[str]:
    """One request per query text: what winsbot answers (so the bench measures real wins)."""
    lines = []
    for text in TEXTS:
        body, headers = slash_command(text, response_url)
        async with http.post(f"{url}{SLACK_PATH}", data=body, headers=headers) as response:
            status, raw = response.status, await response.read()
        answer = json.loads(raw) if status == 200 and raw else {}
        blocks = answer.get("blocks") or []
        summary = str(answer.get("text") or "").replace("\n", " ")[:60]
        lines.append(
            f"  /wins {text!r:<18} -> {status}, {len(blocks):>2} blocks, "
            f"{len(raw):>5} bytes: {summary}"
        )
    return lines


# ------------------------------------------------------------------------------------------ main


def ms(result: Result) -> tuple[float, float]:
    return percentile(result.samples, 50), percentile(result.samples, 99)


async def main(args: argparse.Namespace) -> None:
    work = Path(tempfile.mkdtemp(prefix="winsbot-bench-slack-"))
    children: list[Child] = []
    try:
        started = time.perf_counter()
        end = data_end()
        snapshots, wins = await build_database(work / "bench.db", args.posts, args.snapshots, end)
        print(
            f"built {args.posts:,} posts x {args.snapshots} snapshots per post ({snapshots:,} "
            f"snapshots; the full sample has 100 per post: --snapshots 100) ending "
            f"{end:%Y-%m-%d %H:%M} UTC, {wins:,} wins detected, in "
            f"{time.perf_counter() - started:.1f} s"
        )
        async with FakeSlackApi() as slack:
            env = {
                "SLACK_BOT_TOKEN": TOKEN,
                "SLACK_SIGNING_SECRET": SECRET,
                "SLACK_API_URL": slack.base_url,
                "WINSBOT_LOG_LEVEL": "WARNING",
                "DATABASE_URL": f"sqlite:///{work / 'bench.db'}",
            }
            winsbot_cli = str(Path(sys.executable).with_name("winsbot"))
            port = free_port()
            children.append(
                start_child(
                    "winsbot",
                    [winsbot_cli, "serve", "--host", "127.0.0.1", "--port", str(port)],
                    port,
                    env,
                    work,
                )
            )
            port = free_port()
            children.append(
                start_child(
                    "floor",
                    [sys.executable, str(HERE), "--floor-server", str(port)],
                    port,
                    env,
                    work,
                )
            )
            winsbot, floor = children
            response_url = f"{slack.url}/response/bench"
            async with aiohttp.ClientSession() as http:
                for child in children:
                    await wait_healthy(child, http)
                print("winsbot answers (one request each):")
                for line in await check_answers(winsbot.url, response_url, http):
                    print(line)

            results: dict[tuple[str, int], Result] = {}
            for concurrency, requests in ((1, args.requests_1), (50, args.requests_50)):
                for child in (floor, winsbot):
                    await load(child.url, response_url, concurrency, args.warmup)
                    results[child.name, concurrency] = await load(
                        child.url, response_url, concurrency, requests
                    )
            for child in children:
                if child.process.poll() is not None:
                    raise RuntimeError(f"{child.name} died during the run:\n{child.stderr()}")
            auth_calls = len(slack.calls_to("auth.test"))

        print(
            f"\n/wins over HTTP: time to the full response, ms "
            f"(warm-up {args.warmup} per run; fake Web API saw {auth_calls} auth.test calls)"
        )
        print(
            f"  {'clients':>7}  {'requests':>8}  {'floor p50':>9}  {'p99':>6}  {'req/s':>7}  "
            f"{'winsbot p50':>11}  {'p99':>6}  {'req/s':>7}  {'non-200':>7}  p99 ratio (target)"
        )
        for concurrency, requests in ((1, args.requests_1), (50, args.requests_50)):
            base, ours = results["floor", concurrency], results["winsbot", concurrency]
            (f50, f99), (w50, w99) = ms(base), ms(ours)
            ratio = w99 / f99
            verdict = "ok" if ratio <= TARGETS[concurrency] else "MISSED"
            print(
                f"  {concurrency:>7}  {requests:>8}  {f50:>9.2f}  {f99:>6.2f}  {base.rate:>7.0f}  "
                f"{w50:>11.2f}  {w99:>6.2f}  {ours.rate:>7.0f}  "
                f"{base.failures:>3}/{ours.failures:<3}  "
                f"{ratio:.2f}x (<= {TARGETS[concurrency]}x) {verdict}"
            )
    finally:
        for child in children:
            stop_child(child)
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--posts", type=int, default=10_000)
    parser.add_argument("--snapshots", type=int, default=10, help="per post (the full sample: 100)")
    parser.add_argument("--requests-1", type=int, default=300, help="requests at 1 client")
    parser.add_argument("--requests-50", type=int, default=2000, help="requests at 50 clients")
    parser.add_argument("--warmup", type=int, default=20, help="requests before each measured run")
    parser.add_argument("--floor-server", type=int, metavar="PORT", help=argparse.SUPPRESS)
    parsed = parser.parse_args()
    if parsed.floor_server is not None:
        floor_server(parsed.floor_server)
    else:
        asyncio.run(main(parsed))

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
import sys
import time
from pathlib import Path
from urllib.parse import urlencode

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import aiohttp
from aiohttp import web

from bench.chat_load import (
    TEXTS,
    Child,
    Column,
    Comparison,
    Post,
    Result,
    alternate,
    comparison_table,
    load,
    loads,
    run,
    sample_database,
    send,
    serve_floor,
    winsbot_and_floor,
)
from tests.fakes.slack_api import FakeSlackApi

HERE = Path(__file__).resolve()
SECRET = "bench0signing0secret0000000000000"
TOKEN = "xoxb-bench"
SLACK_PATH = "/slack/events"
TARGETS = {1: 3.0, 50: 1.5}


# ---------------------------------------------------------------------------- the floor server


def floor_server(port: int) -> None:
    """A bare slack-bolt AsyncApp on aiohttp whose /wins handler only acks (run in a child)."""
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

        await serve_floor(port, SLACK_PATH, events)

    asyncio.run(run())


# ------------------------------------------------------------------------------------ the load


def slash_command(text: str, response_url: str) -> Post:
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
    return Post(SLACK_PATH, body, headers)


async def commands(url: str, response_url: str, clients: int, requests: int) -> Result:
    """`requests` signed commands; Slack wants 200 (bolt's ack), anything else failed."""
    return await load(
        url,
        clients,
        requests,
        lambda text: slash_command(text, response_url),
        lambda status: status == 200,
    )


async def check_answers(url: str, response_url: str) -> list[str]:
    """One request per query text: what winsbot answers (so the bench measures real wins)."""
    lines = []
    async with aiohttp.ClientSession() as http:
        for text in TEXTS:
            status, raw = await send(http, url, slash_command(text, response_url))
            answer = json.loads(raw) if status == 200 and raw else {}
            blocks = answer.get("blocks") or []
            summary = str(answer.get("text") or "").replace("\n", " ")[:60]
            lines.append(
                f"  /wins {text!r:<18} -> {status}, {len(blocks):>2} blocks, "
                f"{len(raw):>5} bytes: {summary}"
            )
    return lines


# ------------------------------------------------------------------------------------------ main


def verdict(c: Comparison) -> str:
    """Printed, never asserted: on a noisy machine a miss is a figure to look at, not a failure."""
    target = TARGETS[c.clients]
    return f"{c.ratio:.2f}x (<= {target}x) {'ok' if c.ratio <= target else 'MISSED'}"


async def main(args: argparse.Namespace) -> None:
    async with sample_database(args, "winsbot-bench-slack-") as work, FakeSlackApi() as slack:
        env = {
            "SLACK_BOT_TOKEN": TOKEN,
            "SLACK_SIGNING_SECRET": SECRET,
            "SLACK_API_URL": slack.base_url,
        }
        response_url = f"{slack.url}/response/bench"
        async with winsbot_and_floor(HERE, work, env) as (winsbot, floor):
            print("winsbot answers (one request each):")
            for line in await check_answers(winsbot.url, response_url):
                print(line)

            async def measure(child: Child, clients: int, requests: int) -> Result:
                await commands(child.url, response_url, clients, args.warmup)
                return await commands(child.url, response_url, clients, requests)

            comparisons = await alternate(floor, winsbot, loads(args), measure)
        auth_calls = len(slack.calls_to("auth.test"))

    print(
        f"\n/wins over HTTP: time to the full response, ms "
        f"(warm-up {args.warmup} per run; fake Web API saw {auth_calls} auth.test calls)"
    )
    for line in comparison_table(comparisons, "non-200", Column("p99 ratio (target)", verdict)):
        print(line)


if __name__ == "__main__":
    run(__doc__, floor_server, main)

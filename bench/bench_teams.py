"""Teams channel @mentions (`@winsbot wins ...`) against `winsbot serve` on the 10,000-post sample.

- Load: 1 and 50 concurrent clients POST channel @mention activities shaped as Teams sends them
  (unique activity ids; the text cycles through the Slack benchmark's queries) to
  POST /api/messages, with `WINSBOT_TEAMS_DEV=1` and no app id (no authentication); time to the
  full HTTP response, p50/p99, and requests/s. botbuilder sends the reply card to the Bot
  Connector before it answers 201, so the time includes that outbound reply. After each run the
  fake connector must have received one reply per request.
- Floor, measured in the same run: a bare botbuilder `CloudAdapter` on aiohttp whose
  `on_message_activity` only sends "ok" (one outbound reply too, to the same fake connector), in
  its own process like winsbot. Floor and winsbot runs alternate so they share the machine's
  noise.
- No fixed target (the Teams issue asks for the command path's p99 under the Slack benchmark's
  load shape): the p99 ratio is printed as a figure for the note.

Both servers reply to a fake Bot Connector in this process (each activity's serviceUrl).

    python bench/bench_teams.py [--posts 10000] [--snapshots 10] [--requests-1 300]
                                [--requests-50 2000] [--warmup 20]
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import json
import os
import shutil
import sys
import tempfile
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import aiohttp

from bench.bench_slack import (
    TEXTS,
    Child,
    Result,
    build_database,
    data_end,
    free_port,
    ms,
    start_child,
    stop_child,
    wait_healthy,
)
from tests.fakes.bot_connector import BOT_ID, BOT_NAME, TENANT_ID, FakeBotConnector

HERE = Path(__file__).resolve()
TEAMS_PATH = "/api/messages"
HEADERS = {"Content-Type": "application/json"}
TEAM = "19:team-bench@thread.tacv2"
CHANNEL = "19:general-bench@thread.tacv2"
# Settings the children must not inherit from this shell: Slack would be mounted too, and an
# app id would make /api/messages demand a Bot Framework token.
FOREIGN_ENV = ("SLACK_", "MICROSOFT_APP_", "WINSBOT_CONFIG")
_ids = itertools.count(1_800_000_000_001)


# ---------------------------------------------------------------------------- the floor server


def floor_server(port: int) -> None:
    """A bare botbuilder CloudAdapter on aiohttp that only replies "ok" (run in a child)."""
    from aiohttp import web
    from botbuilder.core import ActivityHandler, TurnContext
    from botbuilder.integration.aiohttp import (
        CloudAdapter,
        ConfigurationBotFrameworkAuthentication,
    )

    class Config:  # what ConfigurationBotFrameworkAuthentication reads; no app id: no auth
        APP_ID = ""
        APP_PASSWORD = ""
        APP_TYPE = "MultiTenant"
        APP_TENANTID = ""

    class Floor(ActivityHandler):  # type: ignore[misc]  # botbuilder is untyped
        async def on_message_activity(self, turn_context: TurnContext) -> None:
            await turn_context.send_activity("ok")

    async def run() -> None:
        adapter = CloudAdapter(ConfigurationBotFrameworkAuthentication(Config()))
        bot = Floor()

        async def messages(request: web.Request) -> web.StreamResponse:
            response = await adapter.process(request, bot)
            return response or web.Response(status=201)

        async def healthz(_: web.Request) -> web.Response:
            return web.json_response({"ok": True})

        app = web.Application()
        app.router.add_post(TEAMS_PATH, messages)
        app.router.add_get("/healthz", healthz)
        runner = web.AppRunner(app, access_log=None)
        await runner.setup()
        await web.TCPSite(runner, "127.0.0.1", port).start()
        await asyncio.Event().wait()  # until the parent terminates us

    asyncio.run(run())


# ------------------------------------------------------------------------------------ the load


def command(text: str) -> str:
    """The query after the mention, as the Slack benchmark's /wins texts: "wins 30d", "help"."""
    return text if text == "help" else f"wins {text}".strip()


def mention_activity(text: str, service_url: str) -> tuple[str, str]:
    """A channel @mention activity as Teams sends it (a new top-level post); (id, JSON body)."""
    activity_id = str(next(_ids))
    body: dict[str, Any] = {
        "type": "message", "id": activity_id, "timestamp": "2026-11-23T09:00:00.000Z",
        "serviceUrl": service_url, "channelId": "msteams",
        "from": {"id": "29:aad-sam", "name": "Sam Lee", "aadObjectId": "aad-sam"},
        "conversation": {"isGroup": True, "conversationType": "channel", "tenantId": TENANT_ID,
                         "id": f"{CHANNEL};messageid={activity_id}"},
        "recipient": {"id": BOT_ID, "name": BOT_NAME},
        "text": f"<at>{BOT_NAME}</at> {command(text)}",
        "textFormat": "plain", "locale": "en-US", "localTimezone": "Europe/Paris",
        "channelData": {"tenant": {"id": TENANT_ID}, "teamsChannelId": CHANNEL,
                        "teamsTeamId": TEAM, "channel": {"id": CHANNEL}, "team": {"id": TEAM}},
        "entities": [{"type": "mention", "text": f"<at>{BOT_NAME}</at>",
                      "mentioned": {"id": BOT_ID, "name": BOT_NAME}}],
    }  # fmt: skip
    return activity_id, json.dumps(body)


async def load(
    url: str, service_url: str, concurrency: int, requests: int
) -> tuple[Result, list[str]]:
    """`requests` activities from `concurrency` clients over one keep-alive pool; and their ids."""
    samples: list[float] = []
    failures = 0
    issued = 0
    ids: list[str] = []

    async def client(http: aiohttp.ClientSession) -> None:
        nonlocal failures, issued
        while issued < requests:
            text = TEXTS[issued % len(TEXTS)]
            issued += 1
            activity_id, body = mention_activity(text, service_url)
            ids.append(activity_id)
            started = time.perf_counter()
            async with http.post(f"{url}{TEAMS_PATH}", data=body, headers=HEADERS) as response:
                await response.read()
                ok = 200 <= response.status < 300
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
    return Result(samples, failures, seconds), ids


@dataclass
class Replies:
    """What the fake connector received during one measured run."""

    requests: int
    answered: int  # requests with at least one reply to their activity id
    duplicates: int  # replies beyond the first to the same activity
    other: int  # connector requests that answer none of the run's activities

    def cell(self) -> str:
        extra = f"+{self.duplicates}d" if self.duplicates else ""
        extra += f"+{self.other}o" if self.other else ""
        return f"{self.answered}/{self.requests}{extra}"

    @property
    def ok(self) -> bool:
        return self.answered == self.requests and not self.duplicates and not self.other


def replies_since(connector: FakeBotConnector, first: int, ids: list[str]) -> Replies:
    new = connector.requests[first:]
    per_id = Counter(r.activity_id for r in new if r.method == "POST" and r.activity_id)
    answered = sum(1 for i in ids if per_id[i])
    matched = sum(per_id[i] for i in ids)
    return Replies(len(ids), answered, matched - answered, len(new) - matched)


async def measured(
    child: Child, connector: FakeBotConnector, concurrency: int, requests: int, warmup: int
) -> tuple[Result, Replies]:
    await load(child.url, connector.service_url, concurrency, warmup)
    first = len(connector.requests)
    result, ids = await load(child.url, connector.service_url, concurrency, requests)
    return result, replies_since(connector, first, ids)


async def check_answers(
    url: str, connector: FakeBotConnector, http: aiohttp.ClientSession
) -> list[str]:
    """One activity per query text: the card winsbot replies with (so the bench measures wins)."""
    lines = []
    for text in TEXTS:
        activity_id, body = mention_activity(text, connector.service_url)
        async with http.post(f"{url}{TEAMS_PATH}", data=body, headers=HEADERS) as response:
            status = response.status
            await response.read()
        replies = [
            r.body
            for r in connector.requests
            if r.method == "POST" and r.activity_id == activity_id
        ]
        reply = replies[0] if replies else {}
        cards = [a.get("content") or {} for a in reply.get("attachments") or []]
        elements = sum(len(card.get("body") or []) for card in cards)
        summary = str(reply.get("summary") or reply.get("text") or "").replace("\n", " ")[:60]
        lines.append(
            f"  {command(text)!r:<22} -> {status}, {len(replies)} reply, {len(cards)} card, "
            f"{elements:>2} elements, {len(json.dumps(reply)) if reply else 0:>5} bytes: {summary}"
        )
    return lines


# ------------------------------------------------------------------------------------------ main


async def main(args: argparse.Namespace) -> None:
    for key in [k for k in os.environ if k.startswith(FOREIGN_ENV)]:
        del os.environ[key]  # start_child passes this process's environment on
    work = Path(tempfile.mkdtemp(prefix="winsbot-bench-teams-"))
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
        async with FakeBotConnector() as connector:
            env = {
                "WINSBOT_TEAMS_DEV": "1",
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
            async with aiohttp.ClientSession() as http:
                for child in children:
                    await wait_healthy(child, http)
                print("winsbot answers (one activity each; the reply card the connector got):")
                for line in await check_answers(winsbot.url, connector, http):
                    print(line)

            results: dict[tuple[str, int], tuple[Result, Replies]] = {}
            for concurrency, requests in ((1, args.requests_1), (50, args.requests_50)):
                for child in (floor, winsbot):
                    results[child.name, concurrency] = await measured(
                        child, connector, concurrency, requests, args.warmup
                    )
            for child in children:
                if child.process.poll() is not None:
                    raise RuntimeError(f"{child.name} died during the run:\n{child.stderr()}")

        print(
            f"\n@winsbot wins over HTTP (channel @mention activity -> 201 once the reply reached "
            f"the fake connector): time to the full response, ms (warm-up {args.warmup} per run)"
        )
        print(
            f"  {'clients':>7}  {'requests':>8}  {'floor p50':>9}  {'p99':>6}  {'req/s':>7}  "
            f"{'replies':>9}  {'winsbot p50':>11}  {'p99':>7}  {'req/s':>7}  {'replies':>9}  "
            f"{'non-2xx':>7}  p99 ratio"
        )
        problems = []
        for concurrency, requests in ((1, args.requests_1), (50, args.requests_50)):
            (base, base_replies) = results["floor", concurrency]
            (ours, our_replies) = results["winsbot", concurrency]
            (f50, f99), (w50, w99) = ms(base), ms(ours)
            print(
                f"  {concurrency:>7}  {requests:>8}  {f50:>9.2f}  {f99:>6.2f}  {base.rate:>7.0f}  "
                f"{base_replies.cell():>9}  {w50:>11.2f}  {w99:>7.2f}  {ours.rate:>7.0f}  "
                f"{our_replies.cell():>9}  {base.failures:>3}/{ours.failures:<3}  "
                f"{w99 / f99:.2f}x (no target: figure for the note)"
            )
            for name, got, result in (
                ("floor", base_replies, base),
                ("winsbot", our_replies, ours),
            ):
                if not got.ok or result.failures:
                    problems.append(
                        f"{name} at {concurrency} clients: {result.failures} non-2xx, "
                        f"replies {got.cell()}"
                    )
        print(
            "  replies: requests the fake connector got a reply to / requests "
            "(+Nd duplicate replies, +No other connector requests; non-2xx: floor/winsbot)"
        )
        for problem in problems:
            print(f"  PROBLEM: {problem}")
        if problems:
            for child in children:
                print(f"\n{child.name} stderr (last 4000 characters):\n{child.stderr().strip()}")
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

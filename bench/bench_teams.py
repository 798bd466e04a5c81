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
import sys
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import aiohttp
from aiohttp import web

from bench.chat_load import (
    TEXTS,
    Child,
    Column,
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

        await serve_floor(port, TEAMS_PATH, messages)

    asyncio.run(run())


# ------------------------------------------------------------------------------------ the load


def command(text: str) -> str:
    """The query after the mention, as the Slack benchmark's /wins texts: "wins 30d", "help"."""
    return text if text == "help" else f"wins {text}".strip()


def mention_activity(text: str, service_url: str) -> tuple[str, Post]:
    """A channel @mention activity as Teams sends it (a new top-level post); (id, the post)."""
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
    return activity_id, Post(TEAMS_PATH, json.dumps(body), HEADERS)


async def mentions(
    url: str, service_url: str, clients: int, requests: int
) -> tuple[Result, list[str]]:
    """`requests` activities, any 2xx accepted (botbuilder answers 201); and their ids, which
    the replies the connector received are matched against."""
    ids: list[str] = []

    def prepare(text: str) -> Post:
        activity_id, post = mention_activity(text, service_url)
        ids.append(activity_id)
        return post

    result = await load(url, clients, requests, prepare, lambda status: 200 <= status < 300)
    return result, ids


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


async def check_answers(url: str, connector: FakeBotConnector) -> list[str]:
    """One activity per query text: the card winsbot replies with (so the bench measures wins)."""
    lines = []
    async with aiohttp.ClientSession() as http:
        for text in TEXTS:
            activity_id, post = mention_activity(text, connector.service_url)
            status, _ = await send(http, url, post)
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
                f"{elements:>2} elements, {len(json.dumps(reply)) if reply else 0:>5} bytes: "
                f"{summary}"
            )
    return lines


# ------------------------------------------------------------------------------------------ main


async def main(args: argparse.Namespace) -> None:
    for key in [k for k in os.environ if k.startswith(FOREIGN_ENV)]:
        del os.environ[key]  # the children inherit this process's environment
    replies: dict[tuple[str, int], Replies] = {}
    async with sample_database(args, "winsbot-bench-teams-") as work:
        async with FakeBotConnector() as connector:
            env = {"WINSBOT_TEAMS_DEV": "1"}
            async with winsbot_and_floor(HERE, work, env) as (winsbot, floor):
                print("winsbot answers (one activity each; the reply card the connector got):")
                for line in await check_answers(winsbot.url, connector):
                    print(line)

                async def measure(child: Child, clients: int, requests: int) -> Result:
                    await mentions(child.url, connector.service_url, clients, args.warmup)
                    first = len(connector.requests)
                    result, ids = await mentions(
                        child.url, connector.service_url, clients, requests
                    )
                    replies[child.name, clients] = replies_since(connector, first, ids)
                    return result

                comparisons = await alternate(floor, winsbot, loads(args), measure)

        print(
            f"\n@winsbot wins over HTTP (channel @mention activity -> 201 once the reply reached "
            f"the fake connector): time to the full response, ms (warm-up {args.warmup} per run)"
        )

        def replied(name: str) -> Column:
            return Column("replies", lambda c: replies[name, c.clients].cell(), 9)

        for line in comparison_table(
            comparisons,
            "non-2xx",
            Column("p99 ratio", lambda c: f"{c.ratio:.2f}x (no target: figure for the note)"),
            floor_extra=[replied("floor")],
            winsbot_extra=[replied("winsbot")],
        ):
            print(line)
        print(
            "  replies: requests the fake connector got a reply to / requests "
            "(+Nd duplicate replies, +No other connector requests; non-2xx: floor/winsbot)"
        )
        problems = []
        for c in comparisons:
            for name, result in (("floor", c.floor), ("winsbot", c.winsbot)):
                got = replies[name, c.clients]
                if not got.ok or result.failures:
                    problems.append(
                        f"{name} at {c.clients} clients: {result.failures} non-2xx, "
                        f"replies {got.cell()}"
                    )
        for problem in problems:
            print(f"  PROBLEM: {problem}")
        if problems:
            for child in (winsbot, floor):
                print(f"\n{child.name} stderr (last 4000 characters):\n{child.stderr().strip()}")


if __name__ == "__main__":
    run(__doc__, floor_server, main)

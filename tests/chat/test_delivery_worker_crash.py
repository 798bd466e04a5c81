"""Exactly one digest per channel when a worker is killed (SIGKILL) in the middle of a pass.

Two real `winsbot worker` processes share a PostgreSQL database and a slow fake Slack Web API
on 127.0.0.1. Once both are posting, the first worker is killed while Slack is answering its
posts (the messages are in the channels, the worker never hears so and never records them),
then restarted. Every channel must end up with exactly one digest, and the ones Slack was
answering must be recognised by their message metadata and recorded, not posted again.
"""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
import time
from collections import Counter
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import select

from bot.domain.models import Audience, Chat, Schedule
from bot.store.db import Database
from bot.store.subscriptions import subscribe
from bot.store.tables import deliveries, subscriptions
from tests.fakes.slack_api import Call, FakeSlackApi, Params

pytestmark = pytest.mark.postgres

CHANNELS = 30
LEASE_SECONDS = 2
START = "import sys; from bot.cli import main; sys.argv[0] = 'winsbot'; main()"


class Workers:
    """`winsbot worker` processes, each with its own token so Slack can tell them apart."""

    def __init__(self, tmp_path: Path, database_url: str, slack_url: str) -> None:
        self.tmp_path = tmp_path
        self.env = {
            **{k: v for k, v in os.environ.items() if not k.startswith(("WINSBOT_", "SLACK_"))},
            "DATABASE_URL": database_url,
            "SLACK_SIGNING_SECRET": "not-used-by-a-worker",
            "SLACK_API_URL": slack_url,
            "WINSBOT_DELIVERY_LEASE_SECONDS": str(LEASE_SECONDS),
            "WINSBOT_DELIVERY_CONCURRENCY": "4",
            "WINSBOT_SLACK_POST_INTERVAL": "0",
            "WINSBOT_SLACK_WORKSPACE_RATE": "0",
            "WINSBOT_OUTPUT_DIR": str(tmp_path / "out"),
        }
        self.running: dict[str, subprocess.Popen[bytes]] = {}

    def start(self, name: str) -> subprocess.Popen[bytes]:
        log = (self.tmp_path / f"{name}.log").open("wb")
        process = subprocess.Popen(
            [sys.executable, "-c", START, "worker"],
            env={**self.env, "SLACK_BOT_TOKEN": f"xoxb-{name}"},
            cwd=self.tmp_path,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        log.close()
        self.running[name] = process
        return process

    def logs(self) -> str:
        return "\n".join(
            f"--- {path.name}\n{path.read_text(errors='replace')[-3000:]}"
            for path in sorted(self.tmp_path.glob("*.log"))
        )

    def stop_all(self) -> None:
        for process in self.running.values():
            if process.poll() is None:
                process.send_signal(signal.SIGTERM)
        for process in self.running.values():
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


async def subscribe_channels(db: Database) -> None:
    """CHANNELS subscriptions whose digest fell due two minutes ago (wall clock: real workers)."""
    now = datetime.now(UTC)
    due = now - timedelta(minutes=2)
    schedule = Schedule(weekday=due.weekday(), time=f"{due:%H:%M}", timezone="UTC")
    async with db.engine.begin() as conn:
        for i in range(CHANNELS):
            await subscribe(
                conn, chat=Chat.SLACK, workspace_id="T0001", channel_id=f"C{i:03d}",
                audience=Audience(), schedule=schedule, created_by="U0ADMIN",
                now=now - timedelta(days=8),
            )  # fmt: skip


async def ledger(db: Database) -> dict[str, tuple[str, str | None]]:
    """channel -> (delivery state, recorded message id)."""
    async with db.engine.connect() as conn:
        rows = await conn.execute(
            select(subscriptions.c.channel_id, deliveries.c.state, deliveries.c.message_ref).join(
                deliveries, deliveries.c.subscription_id == subscriptions.c.id
            )
        )
        return {row.channel_id: (row.state, (row.message_ref or {}).get("id")) for row in rows}


@pytest.mark.parametrize("database_url", ["postgresql"], indirect=True)
async def test_killing_a_worker_mid_pass_leaves_exactly_one_digest_per_channel(
    db: Database, tmp_path: Path
) -> None:
    await subscribe_channels(db)
    killed: dict[str, str] = {}  # channel -> ts of a post the killed worker never heard about
    second_posting, first_killed = asyncio.Event(), asyncio.Event()
    async with FakeSlackApi(ts_clock=time.time, latency=0.3) as slack:
        workers = Workers(tmp_path, db.url.replace("+asyncpg", ""), slack.base_url)
        first = workers.start("w1")

        async def kill_first_worker(call: Call, answer: Params) -> None:
            """Hold w1's answers until w2 is posting too, then kill w1 before it hears them."""
            token = call.headers.get("authorization")
            if call.method != "chat.postMessage" or token not in (
                "Bearer xoxb-w1",
                "Bearer xoxb-w2",
            ):
                return
            if token == "Bearer xoxb-w2":
                second_posting.set()
                return
            await asyncio.wait_for(second_posting.wait(), timeout=150)
            if first.poll() is None:
                first.send_signal(signal.SIGKILL)  # Slack holds the message; w1 never hears
            killed[str(answer["channel"])] = str(answer["ts"])
            first_killed.set()

        slack.before_answer = kill_first_worker
        try:
            workers.start("w2")
            deadline = time.monotonic() + 90
            try:
                await asyncio.wait_for(first_killed.wait(), timeout=150)
            except TimeoutError:
                pytest.fail("the workers never both posted:\n" + workers.logs())
            first.wait(timeout=10)
            workers.start("w1-restarted")
            while time.monotonic() < deadline:
                states = await ledger(db)
                if len(states) == CHANNELS and all(s == "sent" for s, _ in states.values()):
                    break
                await asyncio.sleep(0.2)
            await asyncio.sleep(LEASE_SECONDS)  # room for a late duplicate to show up
            states = await ledger(db)
        finally:
            workers.stop_all()

    digests = Counter(p.channel for p in slack.accepted_posts if p.thread_ts is None)
    report = f"ledger {states}\nposts {sorted(digests.items())}\n{workers.logs()}"
    assert {s for s, _ in states.values()} == {"sent"} and len(states) == CHANNELS, report
    assert digests == Counter({f"C{i:03d}": 1 for i in range(CHANNELS)}), report
    # Found by their metadata, recorded with the message Slack holds, never posted again.
    assert killed and all(states[channel] == ("sent", ts) for channel, ts in killed.items()), report
    looked = {c.params.get("channel") for c in slack.calls_to("conversations.history")}
    assert set(killed) <= looked, report

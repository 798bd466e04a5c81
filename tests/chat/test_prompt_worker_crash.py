"""Exactly one story prompt per (win, owner) when a worker is killed (SIGKILL) mid-pass.

Two real `winsbot worker` processes share a PostgreSQL database and a slow fake Slack Web API
on 127.0.0.1, as in the digest test (test_delivery_worker_crash.py). Once both are sending
prompts, the first worker is killed while Slack is answering one of its posts (the DM is sent,
the worker never hears so), then restarted. Every (win, owner) must end up with exactly one
prompt in the owner's DM, and the one Slack was answering must be found by its message
metadata and recorded, not sent again.
"""

from __future__ import annotations

import asyncio
import signal
import time
from collections import Counter
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from bot.config import Settings
from bot.domain.models import Metrics, Platform, SnapshotRecord
from bot.store.accounts import register_account
from bot.store.db import Database
from bot.store.owners import StoredOwner, add_owner
from bot.store.prompts import prompt_ledger
from bot.usecases.results import WinsService
from tests.chat.test_delivery_worker_crash import LEASE_SECONDS, Workers
from tests.fakes.slack_api import Call, FakeSlackApi, Params

pytestmark = pytest.mark.postgres

ACCOUNTS = 8
OWNERS = ("U0ANA", "U0BEN", "U0CAT")  # each owns every account through the tag
EXPECTED = ACCOUNTS * len(OWNERS)


def posts(account: str, now: datetime) -> list[SnapshotRecord]:
    """30 ordinary posts and one that beats them all, published in the last few days."""
    records = []
    for n in range(31):
        published = now - timedelta(days=40 - n) if n < 30 else now - timedelta(days=2)
        likes = 100 + n % 3 if n < 30 else 2400
        records.append(
            SnapshotRecord(
                Platform.LINKEDIN,
                account,
                f"{account}-{n}",
                published,
                Metrics(likes=likes, comments=3, impressions=likes * 40),
                url=f"https://www.linkedin.com/feed/update/urn:li:activity:{n}/",
                text=f"Post {n}",
                captured_at=published + timedelta(days=1),
            )
        )
    return records


async def owned_wins(db: Database, tmp_path: Path) -> int:
    """ACCOUNTS accounts tagged recruiting, each with one win detected now (wall clock)."""
    service = WinsService(db, Settings(database_url=db.url, output_dir=tmp_path / "seed"))
    now = datetime.now(UTC)
    async with db.engine.begin() as conn:
        for i in range(ACCOUNTS):
            await register_account(conn, Platform.LINKEDIN, f"acme-{i}", tags=["recruiting"])
        for user in OWNERS:
            await add_owner(conn, StoredOwner("tag", "recruiting", user), created_by=None, now=now)
    await service.ingest([r for i in range(ACCOUNTS) for r in posts(f"acme-{i}", now)])
    report = await service.detect()
    return report.wins_added


def prompts_by_win_and_owner(slack: FakeSlackApi) -> Counter[tuple[int, str]]:
    owner_of = {channel: user for user, channel in slack.ims.items()}
    found: Counter[tuple[int, str]] = Counter()
    for (channel, _), message in slack.messages.items():
        metadata = message.get("metadata") or {}
        if metadata.get("event_type") == "winsbot_prompt":
            found[(int(metadata["event_payload"]["win_id"]), owner_of[channel])] += 1
    return found


@pytest.mark.parametrize("trial", [1, 2, 3])
@pytest.mark.parametrize("database_url", ["postgresql"], indirect=True)
async def test_killing_a_worker_mid_pass_leaves_exactly_one_prompt_per_win_and_owner(
    db: Database, tmp_path: Path, trial: int
) -> None:
    assert await owned_wins(db, tmp_path) == ACCOUNTS
    killed: list[str] = []  # DM channels holding a prompt the killed worker never heard about
    second_posting, first_killed = asyncio.Event(), asyncio.Event()
    async with FakeSlackApi(ts_clock=time.time, latency=0.3) as slack:
        workers = Workers(tmp_path, db.url.replace("+asyncpg", ""), slack.base_url)
        workers.env["WINSBOT_PROMPT_SECONDS"] = "1"
        first = workers.start("w1")

        async def kill_first_worker(call: Call, answer: Params) -> None:
            token = call.headers.get("authorization")
            if call.method != "chat.postMessage":
                return
            if token == "Bearer xoxb-w2":
                second_posting.set()
                return
            if token != "Bearer xoxb-w1" or first_killed.is_set():
                return
            await asyncio.wait_for(second_posting.wait(), timeout=150)
            if first.poll() is None:
                first.send_signal(signal.SIGKILL)  # Slack holds the DM; w1 never hears
            killed.append(str(answer["channel"]))
            first_killed.set()

        slack.before_answer = kill_first_worker
        try:
            workers.start("w2")
            try:
                await asyncio.wait_for(first_killed.wait(), timeout=150)
            except TimeoutError:
                pytest.fail("the workers never both sent prompts:\n" + workers.logs())
            first.wait(timeout=10)
            workers.start("w1-restarted")
            deadline = time.monotonic() + 90
            while time.monotonic() < deadline:
                async with db.engine.connect() as conn:
                    ledger = await prompt_ledger(conn)
                if len(ledger) == EXPECTED and all(p.state == "sent" for p in ledger):
                    break
                await asyncio.sleep(0.2)
            await asyncio.sleep(LEASE_SECONDS + 1)  # room for a late duplicate to show up
            async with db.engine.connect() as conn:
                ledger = await prompt_ledger(conn)
        finally:
            workers.stop_all()

    sent = prompts_by_win_and_owner(slack)
    report = (
        f"trial {trial}: ledger {[(p.win_id, p.user_id, p.state, p.attempts) for p in ledger]}\n"
        f"prompts {sorted(sent.items())}\n{workers.logs()}"
    )
    print(
        f"trial {trial}: {len(sent)} (win, owner) pairs, prompts per pair {Counter(sent.values())}"
    )
    assert len(ledger) == EXPECTED and {p.state for p in ledger} == {"sent"}, report
    assert len(sent) == EXPECTED and set(sent.values()) == {1}, report
    # The prompt w1 was killed sending was looked for in its DM and recorded, not sent again.
    looked = {c.params.get("channel") for c in slack.calls_to("conversations.history")}
    assert killed and set(killed) <= looked, report
    assert any(p.attempts > 1 for p in ledger), report

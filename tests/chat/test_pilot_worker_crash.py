"""Exactly one learnings ask per (pilot, owner) and one report per (pilot, channel) when a
worker is killed (SIGKILL) mid-pass.

Two real `winsbot worker` processes share a PostgreSQL database and a slow fake Slack Web API
on 127.0.0.1, as in the prompt test (test_prompt_worker_crash.py). Pilots ended ten days ago,
so their reports are due at once (two working days passed without learnings). Once both
workers are posting, the first is killed while Slack is answering one of its posts (the
message is out, the worker never hears so), then restarted. Every (pilot, owner) must end with
exactly one ask and every (pilot, channel) with exactly one report, and the message Slack was
answering must be found by its metadata in the history and recorded, not sent again.
"""

from __future__ import annotations

import asyncio
import signal
import time
from collections import Counter
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from bot.domain.models import Audience, Campaign, CampaignMetric, Chat, Schedule
from bot.store.campaigns import add_campaign
from bot.store.db import Database
from bot.store.owners import StoredOwner, add_owner
from bot.store.pilot_messages import pilot_ledger
from bot.store.subscriptions import subscribe
from tests.chat.test_delivery_worker_crash import LEASE_SECONDS, Workers
from tests.fakes.slack_api import Call, FakeSlackApi, Params

pytestmark = pytest.mark.postgres

PILOTS = 6
OWNERS = ("U0ANA", "U0BEN")
CHANNELS = {"C0LEAD1": Audience(), "C0LEAD2": Audience(),
            "C0REC1": Audience(name="recruiting", tags=("recruiting",)),
            "C0REC2": Audience(name="recruiting", tags=("recruiting",)),
            "C0BRAND": Audience(name="brand", tags=("brand",))}  # fmt: skip
REPORT_CHANNELS = 4  # leadership's two and recruiting's two; brand's gets none
EXPECTED = PILOTS * (len(OWNERS) + REPORT_CHANNELS)


async def ended_pilots(db: Database) -> None:
    """PILOTS recruiting pilots that ended ten days ago (wall clock: real workers)."""
    now = datetime.now(UTC)
    today = now.date()
    later = Schedule(weekday=(today.weekday() + 3) % 7)  # no digest falls due during the test
    async with db.engine.begin() as conn:
        for i in range(PILOTS):
            await add_campaign(
                conn,
                Campaign(
                    name=f"Pilot {i}", metric=CampaignMetric.LIKES, target=100, tag="recruiting",
                    starts_on=today - timedelta(days=40), ends_on=today - timedelta(days=10),
                ),
                now=now,
            )  # fmt: skip
        for user in OWNERS:
            await add_owner(conn, StoredOwner("tag", "recruiting", user), created_by=None, now=now)
        for channel, audience in CHANNELS.items():
            await subscribe(
                conn, chat=Chat.SLACK, workspace_id="T0001", channel_id=channel,
                audience=audience, schedule=later, created_by="U0ADMIN", now=now,
            )  # fmt: skip


def sent_by_row(slack: FakeSlackApi) -> Counter[int]:
    """How many messages Slack holds for each ledger row (their metadata names it)."""
    found: Counter[int] = Counter()
    for message in slack.messages.values():
        metadata = message.get("metadata") or {}
        if metadata.get("event_type") == "winsbot_pilot":
            found[int(metadata["event_payload"]["pilot_message_id"])] += 1
    return found


def reports_by_channel_and_pilot(slack: FakeSlackApi) -> Counter[tuple[str, str]]:
    found: Counter[tuple[str, str]] = Counter()
    for (channel, _), message in slack.messages.items():
        if str(message.get("text", "")).startswith("Pilot report: "):
            name = message["text"].removeprefix("Pilot report: ").split(".")[0]
            found[(channel, name)] += 1
    return found


@pytest.mark.parametrize("trial", [1, 2, 3])
@pytest.mark.parametrize("database_url", ["postgresql"], indirect=True)
async def test_killing_a_worker_mid_pass_leaves_exactly_one_ask_and_one_report_each(
    db: Database, tmp_path: Path, trial: int
) -> None:
    await ended_pilots(db)
    killed: list[str] = []  # channels holding a message the killed worker never heard about
    second_posting, first_killed = asyncio.Event(), asyncio.Event()
    async with FakeSlackApi(ts_clock=time.time, latency=0.3) as slack:
        workers = Workers(tmp_path, db.url.replace("+asyncpg", ""), slack.base_url)
        workers.env["WINSBOT_PILOT_SECONDS"] = "1"
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
                first.send_signal(signal.SIGKILL)  # Slack holds the message; w1 never hears
            killed.append(str(answer["channel"]))
            first_killed.set()

        slack.before_answer = kill_first_worker
        try:
            workers.start("w2")
            try:
                await asyncio.wait_for(first_killed.wait(), timeout=150)
            except TimeoutError:
                pytest.fail("the workers never both posted:\n" + workers.logs())
            first.wait(timeout=10)
            workers.start("w1-restarted")
            deadline = time.monotonic() + 90
            while time.monotonic() < deadline:
                async with db.engine.connect() as conn:
                    ledger = await pilot_ledger(conn)
                if len(ledger) == EXPECTED and all(m.state == "sent" for m in ledger):
                    break
                await asyncio.sleep(0.2)
            await asyncio.sleep(LEASE_SECONDS + 1)  # room for a late duplicate to show up
            async with db.engine.connect() as conn:
                ledger = await pilot_ledger(conn)
        finally:
            workers.stop_all()

    by_row = sent_by_row(slack)
    reports = reports_by_channel_and_pilot(slack)
    report = (
        f"trial {trial}: ledger {[(m.id, m.kind, m.target, m.state, m.attempts) for m in ledger]}"
        f"\nsent {sorted(by_row.items())}\nreports {sorted(reports.items())}\n{workers.logs()}"
    )
    print(
        f"trial {trial}: {len(ledger)} ledger rows; messages per row {Counter(by_row.values())}; "
        f"reports per (channel, pilot) {Counter(reports.values())} over {len(reports)} pairs"
    )
    assert len(ledger) == EXPECTED and {m.state for m in ledger} == {"sent"}, report
    assert set(by_row) == {m.id for m in ledger} and set(by_row.values()) == {1}, report
    assert len(reports) == PILOTS * REPORT_CHANNELS and set(reports.values()) == {1}, report
    assert not any(channel == "C0BRAND" for channel, _ in reports), report
    # What w1 was killed sending was looked for in its history and recorded, not sent again.
    looked = {c.params.get("channel") for c in slack.calls_to("conversations.history")}
    assert killed and set(killed) <= looked, report
    assert any(m.attempts > 1 for m in ledger), report

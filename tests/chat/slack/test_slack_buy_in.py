"""Leadership buy-in from Slack: signed reaction events in, `winsbot buy-in --json` out.

Leadership is read with conversations.members from the fake Slack Web API; the CLI runs as a
user runs it, against the database the server wrote.
"""

from __future__ import annotations

import asyncio
import json
import logging
import time
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from slack_sdk.web.async_client import AsyncWebClient
from sqlalchemy import func, select
from typer.testing import CliRunner

from adapters.chat.slack.members import SlackMembers
from bot.cli import app
from bot.store.tables_loop import buy_in_signals
from tests.chat.edge_strategies import broken, mutated
from tests.chat.slack.conftest import NOW, SlackHarness
from tests.chat.slack.slack_payloads import envelope
from tests.chat.slack.test_slack_digests import runner, subscribed
from tests.chat.slack.test_slack_edge import problems, warnings
from tests.chat.slack.test_slack_edge_properties import FUZZ, ROOT, check, shared_root
from tests.fakes.slack_api import FakeSlackApi

LEADER, OTHER = "U0LEAD", "U0INTERN"


def reaction(ts: str, *, user: str = LEADER, added: bool = True, at: float | None = None,
             channel: str = "C7", name: str = "tada") -> dict[str, Any]:  # fmt: skip
    """A reaction event as Slack sends it (docs.slack.dev/reference/events/reaction_added)."""
    moment = time.time() - 600 if at is None else at
    return {
        "type": "reaction_added" if added else "reaction_removed",
        "user": user,
        "reaction": name,
        "item": {"type": "message", "channel": channel, "ts": ts},
        "item_user": "U0BOT",
        "event_ts": f"{moment:.6f}",
    }


def buy_in_json(harness: SlackHarness, workdir: Path) -> dict[str, Any]:
    """`winsbot buy-in --json` against the server's database, as a user runs it.

    The CLI sets up logging for its terminal; the test's own handlers are put back after.
    """
    handlers, level = logging.root.handlers[:], logging.root.level
    try:
        result = CliRunner().invoke(
            app,
            ["buy-in", "--json", "--since", "90d"],
            env={"DATABASE_URL": harness.server.service.db.url, "WINSBOT_CONFIG": None},
        )
    finally:
        logging.root.handlers[:], logging.root.level = handlers, level
    assert result.exit_code == 0, result.output
    parsed: dict[str, Any] = json.loads(result.output)
    return parsed


async def signals(harness: SlackHarness) -> int:
    async with harness.server.service.db.engine.connect() as conn:
        count = await conn.execute(select(func.count()).select_from(buy_in_signals))
        return int(count.scalar_one())


@pytest.fixture
def leadership(harness: SlackHarness) -> SlackHarness:
    harness.slack.channel_members["C7"] = [LEADER, "U0BOT", "U0SAM"]
    harness.slack.users[LEADER] = {"real_name": "Lee Leader", "profile": {"display_name": "Lee"}}
    harness.slack.users[OTHER] = {"real_name": "Ida Intern"}
    return harness


async def test_a_leaders_reaction_on_a_digest_and_its_removal_show_in_buy_in(
    leadership: SlackHarness, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    harness = leadership
    monkeypatch.chdir(tmp_path)
    digest = await runner(harness).deliver(await subscribed(harness), NOW)
    assert digest.message_id is not None
    status, _ = await harness.event(reaction(digest.message_id), event_id="EvR1")
    assert status == 200
    status, _ = await harness.event(reaction(digest.message_id, user=OTHER), event_id="EvR2")
    assert status == 200
    assert harness.slack.calls_to("conversations.members")[0].params["channel"] == "C7"

    report = await asyncio.to_thread(buy_in_json, harness, tmp_path)
    assert report["responses"] == 1 and report["other_responses"] == 1
    [item] = report["items"]
    assert item["kind"] == "digest" and item["reactions"] == 1 and item["leaders"] == ["Lee"]
    assert item["label"] == "leadership digest 2026-W47"
    [leader] = report["leaders"]
    assert (leader["user_id"], leader["name"], leader["reactions"]) == (LEADER, "Lee", 1)
    assert report["trend"] == {
        "this_period": 1, "previous_period": 0, "change_percent": None, "direction": "up",
    }  # fmt: skip
    assert sum(week["responses"] for week in report["weeks"]) == 1
    assert set(report) == {
        "since", "until", "days", "leaders_known", "responses", "other_responses", "items",
        "leaders", "weeks", "trend", "notes",
    }  # fmt: skip

    removed = reaction(digest.message_id, added=False, at=time.time() - 60)
    status, _ = await harness.event(removed, event_id="EvR3")
    assert status == 200
    report = await asyncio.to_thread(buy_in_json, harness, tmp_path)
    assert report["responses"] == 0 and report["items"] == [] and report["leaders"] == []


async def test_a_redelivered_reaction_is_stored_once_and_a_late_add_stays_removed(
    leadership: SlackHarness,
) -> None:
    harness = leadership
    digest = await runner(harness).deliver(await subscribed(harness), NOW)
    assert digest.message_id is not None
    added = reaction(digest.message_id, at=time.time() - 600)
    for retry in (0, 1, 2):  # Slack retries with X-Slack-Retry-Num and the same event_id
        status, _ = await harness.event(added, event_id="EvSAME", retry=retry)
        assert status == 200
    assert await signals(harness) == 1
    assert len(harness.slack.calls_to("conversations.members")) == 1  # read once, then cached
    removed = reaction(digest.message_id, added=False, at=time.time() - 300)
    assert (await harness.event(removed, event_id="EvGONE"))[0] == 200
    # The "added" event delivered once more after its removal: still removed.
    assert (await harness.event(added, event_id="EvSAME", retry=3))[0] == 200
    async with harness.server.service.db.engine.connect() as conn:
        row = (await conn.execute(select(buy_in_signals))).one()
    assert row.removed_at is not None


async def test_a_reaction_on_a_message_winsbot_did_not_post_is_acknowledged_and_ignored(
    leadership: SlackHarness, caplog: pytest.LogCaptureFixture
) -> None:
    harness = leadership
    await runner(harness).deliver(await subscribed(harness), NOW)
    for event in (
        reaction("1700000999.000100"),
        reaction("1700000999.000100", added=False),
        {**reaction("x"), "item": {"type": "file", "file": "F0001"}},
        {**reaction("x"), "item": {"type": "file_comment", "file_comment": "Fc01", "file": "F1"}},
    ):
        status, _ = await harness.event(event)
        assert status == 200
    assert await signals(harness) == 0
    assert harness.slack.calls_to("conversations.members") == []
    assert harness.slack.calls_to("users.info") == []
    assert problems(caplog) == []


REACTION = envelope(reaction(ROOT, channel="C1", user="U0ALEX", at=1_800_000_000.0))


async def checked(harness: SlackHarness, caplog: pytest.LogCaptureFixture, body: Any) -> int:
    """Never a 5xx or a traceback; a refusal is one WARNING line and stores nothing."""
    await shared_root(harness)
    before = await signals(harness)
    status = await check(harness, caplog, "event", body)
    if status >= 400:
        assert len(warnings(caplog)) == 1, warnings(caplog)
        assert await signals(harness) == before
    return status


@FUZZ
@given(body=mutated(REACTION))
async def test_mutated_reaction_events_never_fail_the_server(
    harness: SlackHarness, caplog: pytest.LogCaptureFixture, body: Any
) -> None:
    await checked(harness, caplog, body)


@FUZZ
@given(
    body=broken(
        REACTION,
        required=(("event", "user"), ("event", "item"), ("event", "item", "ts"),
                  ("event", "item", "channel")),
        typed=(("event", "event_ts"),),
    )
)  # fmt: skip
async def test_a_reaction_without_a_field_it_needs_is_refused_with_one_warning(
    harness: SlackHarness, caplog: pytest.LogCaptureFixture, body: Any
) -> None:
    assert await checked(harness, caplog, body) == 400


async def test_channel_members_are_read_page_by_page_without_the_bot() -> None:
    async with FakeSlackApi() as slack:
        slack.channel_members["C7"] = [f"U{n:04d}" for n in range(450)] + ["U0BOT"]
        client = AsyncWebClient(token="xoxb-test", base_url=slack.base_url)
        found = await SlackMembers(client, bot_user_id="U0BOT").members("C7")
        assert found is not None and len(found) == 450
        assert len(slack.calls_to("conversations.members")) == 3
        slack.error_next("conversations.members", "missing_scope")
        assert await SlackMembers(client).members("C7") is None  # unknown, not "nobody"

"""`winsbot digest send` and `digest status` as an admin runs them, against a fake Slack."""

from __future__ import annotations

import asyncio
import json
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from typer.testing import CliRunner

from bot.cli import app
from bot.domain.models import Audience, Chat, Schedule
from bot.store.db import Database
from bot.store.deliveries import claim, delivery_for, mark_uncertain, start_sending
from bot.store.subscriptions import subscribe
from tests.fakes.slack_api import FakeSlackApi

runner = CliRunner()
WEEK = "2026-W47"


@contextmanager
def slack_in_a_thread() -> Iterator[FakeSlackApi]:
    """The fake on its own event loop: the CLI runs asyncio.run() on this thread."""
    loop = asyncio.new_event_loop()
    thread = threading.Thread(target=loop.run_forever, daemon=True)
    thread.start()
    fake = FakeSlackApi()
    asyncio.run_coroutine_threadsafe(fake.start(), loop).result(10)
    try:
        yield fake
    finally:
        asyncio.run_coroutine_threadsafe(fake.stop(), loop).result(10)
        loop.call_soon_threadsafe(loop.stop)
        thread.join(10)
        loop.close()


@pytest.fixture
def slack(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[FakeSlackApi]:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'cli.db'}")
    monkeypatch.delenv("WINSBOT_CONFIG", raising=False)
    monkeypatch.setenv("COLUMNS", "200")
    with slack_in_a_thread() as fake:
        monkeypatch.setenv("SLACK_BOT_TOKEN", "xoxb-cli")
        monkeypatch.setenv("SLACK_SIGNING_SECRET", "secret")
        monkeypatch.setenv("SLACK_API_URL", fake.base_url)
        yield fake


def prepare(tmp_path: Path, *, uncertain: bool = False) -> int:
    """A Slack subscription; with ``uncertain``, its 2026-W47 digest parked by a takeover."""

    async def go() -> int:
        db = Database(f"sqlite+aiosqlite:///{tmp_path / 'cli.db'}")
        await db.upgrade()
        now = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)
        async with db.engine.begin() as conn:
            sub, _ = await subscribe(
                conn, chat=Chat.SLACK, workspace_id="T1", channel_id="C1", audience=Audience(),
                schedule=Schedule(timezone="UTC"), created_by="U1", now=now - timedelta(days=9),
            )  # fmt: skip
            if uncertain:
                lease = timedelta(seconds=60)
                held = await claim(
                    conn, subscription_id=sub.id, period=WEEK, worker="w1", now=now, lease=lease
                )
                assert held is not None
                await start_sending(conn, held.id, worker="w1", now=now, lease=lease)
                taken = await claim(
                    conn, subscription_id=sub.id, period=WEEK, worker="w2",
                    now=now + timedelta(minutes=2), lease=lease,
                )  # fmt: skip
                assert taken is not None
                await mark_uncertain(
                    conn, taken.id, worker="w2",
                    reason="w1 stopped while posting it; Teams cannot tell",
                )  # fmt: skip
        await db.dispose()
        return sub.id

    return asyncio.run(go())


def state(tmp_path: Path, sub_id: int) -> str | None:
    async def go() -> str | None:
        db = Database(f"sqlite+aiosqlite:///{tmp_path / 'cli.db'}")
        async with db.engine.connect() as conn:
            found = await delivery_for(conn, sub_id, WEEK)
        await db.dispose()
        return None if found is None else found.state

    return asyncio.run(go())


def test_a_failed_send_exits_1_with_one_line_and_no_traceback(
    slack: FakeSlackApi, tmp_path: Path
) -> None:
    sub_id = prepare(tmp_path)
    slack.error_next("chat.postMessage", "fatal_error")

    result = runner.invoke(app, ["digest", "send", "--subscription", str(sub_id), "--period", WEEK])

    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output
    said = " ".join(result.output.split())  # the terminal wraps long lines
    assert said.count(f"WARNING digest {WEEK} for subscription {sub_id} failed") == 1
    assert "'error': 'fatal_error'" in said
    assert f"winsbot: {WEEK}: failed: not sent (SlackApiError)" in said
    assert state(tmp_path, sub_id) == "failed"


def test_status_shows_an_uncertain_digest_and_only_force_posts_it(
    slack: FakeSlackApi, tmp_path: Path
) -> None:
    sub_id = prepare(tmp_path, uncertain=True)

    status = runner.invoke(app, ["digest", "status"])
    refused = runner.invoke(
        app, ["digest", "send", "--subscription", str(sub_id), "--period", WEEK]
    )
    assert slack.calls_to("chat.postMessage") == []
    forced = runner.invoke(
        app, ["digest", "send", "--subscription", str(sub_id), "--period", WEEK, "--force"]
    )

    assert status.exit_code == 0, status.output
    assert f"{WEEK} UNCERTAIN" in status.output
    assert f"winsbot digest send --subscription {sub_id} --period {WEEK} --force" in status.output
    assert refused.exit_code == 1 and "add --force to post it" in refused.output
    assert forced.exit_code == 0, forced.output
    assert f"{WEEK}: sent" in forced.output
    [posted] = slack.calls_to("chat.postMessage")
    assert posted.params["metadata"]["event_type"] == "winsbot_digest"
    assert state(tmp_path, sub_id) == "sent"
    again = runner.invoke(app, ["digest", "send", "--subscription", str(sub_id), "--period", WEEK])
    assert again.exit_code == 0 and "already sent" in again.output
    listed = json.loads(runner.invoke(app, ["subscriptions", "--json"]).output)
    assert listed[0]["last_state"] == "sent"

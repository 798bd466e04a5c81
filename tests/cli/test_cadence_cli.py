"""Monthly subscriptions from the terminal: listed with their cadence, previewed by month,
and sent for a month (never for a week, which is not in a monthly subscription's ledger)."""

from __future__ import annotations

import asyncio
import json
from datetime import UTC, datetime
from pathlib import Path

import pytest
from typer.testing import CliRunner

from bot.cli import app
from bot.domain.models import Audience, Cadence, Chat, Schedule
from bot.store.db import Database
from bot.store.subscriptions import subscribe

runner = CliRunner()


@pytest.fixture(autouse=True)
def workdir(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'cli.db'}")
    monkeypatch.delenv("WINSBOT_CONFIG", raising=False)
    monkeypatch.setenv("COLUMNS", "160")
    return tmp_path


def _subscribe_monthly(workdir: Path) -> int:
    async def go() -> int:
        db = Database(f"sqlite+aiosqlite:///{workdir / 'cli.db'}")
        await db.upgrade()
        async with db.engine.begin() as conn:
            sub, _ = await subscribe(
                conn, chat=Chat.SLACK, workspace_id="T1", channel_id="C1", audience=Audience(),
                schedule=Schedule(weekday=1, timezone="Europe/London", cadence=Cadence.MONTHLY),
                created_by="U1", now=datetime(2026, 11, 1, tzinfo=UTC),
            )  # fmt: skip
        await db.dispose()
        return sub.id

    return asyncio.run(go())


def test_monthly_subscriptions_are_listed_previewed_and_sent_by_month(workdir: Path) -> None:
    sub_id = _subscribe_monthly(workdir)
    listed = runner.invoke(app, ["subscriptions", "--json"])
    assert listed.exit_code == 0, listed.output
    [sub] = json.loads(listed.output)
    assert (sub["cadence"], sub["weekday"], sub["time"]) == ("monthly", 1, "09:00")
    next_run = datetime.fromisoformat(sub["next_run"])
    assert next_run.day <= 7 and next_run.weekday() == 1  # a first Tuesday
    table = runner.invoke(app, ["subscriptions"])
    assert "on the first Tuesday of every month at 09:00" in table.output

    preview = runner.invoke(app, ["digest", "preview", "--subscription", str(sub_id), "--month",
                                  "2026-11"])  # fmt: skip
    assert preview.exit_code == 0, preview.output
    assert "November 2026 (2026-11)" in preview.output
    assert "A quiet month (November 2026)" in preview.output
    assert not list((workdir / "winsbot-out").glob("*.png"))  # no weekly trend chart for a month
    slack = runner.invoke(app, ["digest", "preview", "--month", "2026-11", "--as", "slack"])
    assert slack.exit_code == 0, slack.output
    assert "November 2026" in json.loads(slack.output)["text"]

    both = runner.invoke(app, ["digest", "preview", "--week", "2026-W47", "--month", "2026-11"])
    assert both.exit_code == 2 and "--week or --month, not both" in both.output
    bad = runner.invoke(app, ["digest", "preview", "--month", "2026-13"])
    assert bad.exit_code == 2 and "months are 1 to 12" in bad.output

    week = runner.invoke(
        app, ["digest", "send", "--subscription", str(sub_id), "--period", "2026-W47"]
    )
    assert week.exit_code == 2
    assert f"subscription {sub_id} is monthly: give a month like 2026-11" in week.output
    send = runner.invoke(
        app, ["digest", "send", "--subscription", str(sub_id), "--period", "2026-11"]
    )
    assert send.exit_code == 1 and "2026-11: no-sender" in send.output  # Slack not configured

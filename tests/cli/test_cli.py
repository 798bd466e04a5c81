"""The CLI as a user runs it: real commands on a real SQLite file, output read back."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner, Result

from adapters.sources.exports import BackgroundExport
from bot.cli import app, data

DATA = Path(__file__).parents[1] / "importing" / "data"
runner = CliRunner()


@pytest.fixture(autouse=True)
def workdir(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'cli.db'}")
    monkeypatch.delenv("WINSBOT_CONFIG", raising=False)
    monkeypatch.setenv("COLUMNS", "120")
    return tmp_path


def test_demo_prints_the_monday_digests_and_writes_the_charts(workdir: Path) -> None:
    result = runner.invoke(app, ["demo"])
    assert result.exit_code == 0, result.output
    assert "Social media wins: Leadership" in result.output
    assert "Social media wins: recruiting" in result.output
    assert "the median engagement of" in result.output
    assert "Graduate hiring pilot" in result.output
    charts = sorted((workdir / "winsbot-out").glob("digest-*.png"))
    assert len(charts) == 2
    assert charts[0].read_bytes().startswith(b"\x89PNG")


def test_import_twice_changes_nothing_and_wins_json_has_stable_keys() -> None:
    first = runner.invoke(app, ["import", str(DATA / "canonical.csv")])
    assert first.exit_code == 0, first.output
    assert "Format: winsbot CSV" in first.output
    second = runner.invoke(app, ["import", str(DATA / "canonical.csv")])
    assert second.exit_code == 0, second.output
    assert "0 new posts, 0 new snapshots" in second.output
    listed = runner.invoke(app, ["wins", "--json", "--since", "3650d"])
    assert listed.exit_code == 0, listed.output
    assert json.loads(listed.output) == []  # four posts are too little history for a win


def test_bad_rows_are_reported_with_line_numbers_and_the_rest_imported() -> None:
    result = runner.invoke(app, ["import", str(DATA / "bad_rows.csv")])
    assert result.exit_code == 0, result.output
    assert "skipped; the rest were imported" in result.output
    # Line 2-3 is one row whose quoted text spans two lines, so the bad cell is on line 4.
    assert "line 4: column 'impressions': expected a whole number, got 'abc'" in result.output
    assert "line 6: no post id" in result.output
    assert "Read 2 rows: 2 new posts" in result.output


def test_a_large_file_is_read_in_a_second_process_with_the_same_report(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    started: list[Path] = []

    class Recorded(BackgroundExport):
        def __init__(self, path: Path, *args: str | None) -> None:
            started.append(path)
            super().__init__(path, *args)

    monkeypatch.setattr(data, "BACKGROUND_FROM_BYTES", 0)
    monkeypatch.setattr(data, "BackgroundExport", Recorded)
    result = runner.invoke(app, ["import", str(DATA / "bad_rows.csv")])
    assert result.exit_code == 0, result.output
    assert started == [DATA / "bad_rows.csv"]
    assert "line 4: column 'impressions': expected a whole number, got 'abc'" in result.output
    assert "Read 2 rows: 2 new posts" in result.output


def test_unrecognised_file_lists_the_formats() -> None:
    result = runner.invoke(app, ["import", str(DATA / "unrecognised.csv")])
    assert result.exit_code == 2
    for name in ("canonical", "linkedin", "x-legacy", "meta", "sprout"):
        assert name in result.output


def test_missing_file_is_a_clear_error() -> None:
    result = runner.invoke(app, ["import", "nowhere.csv"])
    assert result.exit_code == 2
    assert "nowhere.csv: no such file" in result.output


def test_invalid_configuration_names_the_variable(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DATABASE_URL", "mysql://nope")
    result = runner.invoke(app, ["wins"])
    assert result.exit_code == 2
    assert "DATABASE_URL: expected a SQLite or PostgreSQL URL" in result.output


def add_campaign(start: str, end: str) -> Result:
    return runner.invoke(
        app,
        ["campaign", "add", "Pilot", "--metric", "clicks", "--target", "10",
         "--start", start, "--end", end, "--hashtag", "#Pilot"],
    )  # fmt: skip


def test_campaign_add_validates_and_lists_progress() -> None:
    bad = add_campaign("2026-11-10", "2026-11-01")
    assert bad.exit_code == 2
    assert "is before start" in bad.output
    good = add_campaign("2026-11-01", "2026-11-10")
    assert good.exit_code == 0, good.output
    again = add_campaign("2026-11-01", "2026-11-10")
    assert again.exit_code == 2
    assert "already exists" in again.output
    listed = runner.invoke(app, ["campaign", "list", "--json"])
    [campaign] = json.loads(listed.output)
    assert campaign["name"] == "Pilot" and campaign["value"] == 0 and campaign["reached"] is False


def test_digest_preview_rejects_a_bad_week() -> None:
    result = runner.invoke(app, ["digest", "preview", "--week", "last-week", "--no-chart"])
    assert result.exit_code == 2
    assert "2026-W47" in result.output


def test_digest_preview_of_an_empty_database_is_a_quiet_week() -> None:
    result = runner.invoke(app, ["digest", "preview", "--week", "2026-W47", "--no-chart"])
    assert result.exit_code == 0, result.output
    assert "quiet week" in result.output.lower()


def test_teams_package_writes_the_zip_and_refuses_a_bad_app_id(workdir: Path) -> None:
    import zipfile

    good = runner.invoke(
        app,
        [
            "teams-package",
            "--app-id",
            "7d0e2c4a-1b2c-4d5e-8f90-123456789abc",
            "--out",
            "teams.zip",
        ],
    )
    assert good.exit_code == 0, good.output
    with zipfile.ZipFile(workdir / "teams.zip") as archive:
        assert sorted(archive.namelist()) == ["color.png", "manifest.json", "outline.png"]
        manifest = json.loads(archive.read("manifest.json"))
    assert manifest["bots"][0]["botId"] == "7d0e2c4a-1b2c-4d5e-8f90-123456789abc"
    bad = runner.invoke(app, ["teams-package", "--app-id", "not-a-guid"])
    assert bad.exit_code == 2
    assert "GUID" in bad.output


def _subscribe_leadership(workdir: Path) -> int:
    import asyncio
    from datetime import UTC, datetime

    from bot.domain.models import Audience, Chat, Schedule
    from bot.store.db import Database
    from bot.store.subscriptions import subscribe

    async def go() -> int:
        db = Database(f"sqlite+aiosqlite:///{workdir / 'cli.db'}")
        await db.upgrade()
        async with db.engine.begin() as conn:
            sub, _ = await subscribe(
                conn, chat=Chat.SLACK, workspace_id="T1", channel_id="C1", audience=Audience(),
                schedule=Schedule(timezone="Europe/London"), created_by="U1",
                now=datetime(2026, 11, 1, tzinfo=UTC),
            )  # fmt: skip
        await db.dispose()
        return sub.id

    return asyncio.run(go())


def test_subscriptions_json_status_preview_and_send(workdir: Path) -> None:
    sub_id = _subscribe_leadership(workdir)
    listed = runner.invoke(app, ["subscriptions", "--json"])
    assert listed.exit_code == 0, listed.output
    [sub] = json.loads(listed.output)
    assert sorted(sub) == sorted(
        ["id", "chat", "workspace", "channel", "audience", "tags", "platforms", "accounts",
         "cadence", "weekday", "time", "timezone", "state", "broken_reason", "last_period",
         "last_state", "next_run"]
    )  # fmt: skip
    assert (sub["id"], sub["channel"], sub["state"], sub["time"]) == (
        sub_id,
        "C1",
        "active",
        "09:00",
    )
    status = runner.invoke(app, ["digest", "status"])
    assert status.exit_code == 0 and "never" in status.output
    preview = runner.invoke(
        app,
        ["digest", "preview", "--subscription", str(sub_id), "--week", "2026-W47", "--no-chart"],
    )
    assert preview.exit_code == 0, preview.output
    assert "Europe/London" in preview.output
    week = ["--subscription", str(sub_id), "--week", "2026-W47", "--no-chart"]
    slack = runner.invoke(app, ["digest", "preview", *week, "--as", "slack"])
    assert slack.exit_code == 0, slack.output
    message = json.loads(slack.output)  # the Block Kit message itself, nothing around it
    assert message["blocks"][0]["type"] == "header"
    assert "Social media wins: Leadership" in message["text"]
    teams = runner.invoke(app, ["digest", "preview", *week, "--as", "teams"])
    assert teams.exit_code == 0, teams.output
    assert json.loads(teams.output)["type"] == "AdaptiveCard"
    send = runner.invoke(app, ["digest", "send", "--subscription", str(sub_id)])
    # Slack is not configured in this test: nothing was sent, and scripts must hear it.
    assert send.exit_code == 1, send.output
    assert "no-sender" in send.output
    missing = runner.invoke(app, ["digest", "send", "--subscription", "999"])
    assert missing.exit_code == 2 and "no active subscription 999" in missing.output


def test_the_cli_starts_without_the_database_stack() -> None:
    """`--help`, a typo and an import's parser process (started before the database is opened)
    do not wait for SQLAlchemy and Alembic, which are most of a cold start."""
    probe = (
        "import sys, bot.cli\n"
        "print(sorted(m for m in ('sqlalchemy', 'alembic', 'matplotlib', 'slack_bolt', "
        "'botbuilder', 'apscheduler') if m in sys.modules))"
    )
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[]"

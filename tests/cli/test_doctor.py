"""`winsbot doctor` against fakes: each failure mode says what is wrong and what to do."""

from __future__ import annotations

import json
import shutil
import sqlite3
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from pydantic import SecretStr
from typer.testing import CliRunner

from adapters.chat.teams.package import build_package
from bot.cli import app
from bot.cli.checks import Check
from bot.cli.doctor import SLACK_MANIFEST, diagnose
from bot.config import Settings
from bot.domain.models import Audience, Chat, Platform, Schedule, SourceAccount
from bot.store.db import Database
from bot.store.subscriptions import subscribe
from tests.fakes.slack_scopes import MANIFEST_BOT_SCOPES, FakeSlackWithScopes
from tests.fakes.social.mastodon import FakeMastodon
from tests.fakes.token_endpoint import APP_ID, APP_PASSWORD, FakeHealthz, FakeTokenEndpoint

runner = CliRunner()
PUBLIC = "https://wins.example.com"


@pytest.fixture(autouse=True)
def workdir(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("WINSBOT_CONFIG", raising=False)
    monkeypatch.setenv("COLUMNS", "80")
    return tmp_path


@pytest.fixture
def migrated(sqlite_template: Path, tmp_path: Path) -> str:
    path = tmp_path / "winsbot.db"
    shutil.copy(sqlite_template, path)
    return f"sqlite+aiosqlite:///{path}"


@pytest.fixture
async def slack() -> AsyncIterator[FakeSlackWithScopes]:
    async with FakeSlackWithScopes() as fake:
        yield fake


@pytest.fixture
async def token_endpoint() -> AsyncIterator[FakeTokenEndpoint]:
    async with FakeTokenEndpoint() as fake:
        yield fake


def config(database_url: str, tmp_path: Path, **values: Any) -> Settings:
    return Settings(database_url=database_url, output_dir=tmp_path / "out", **values)


def by_name(checks: list[Check]) -> dict[str, Check]:
    return {check.name: check for check in checks}


def slack_manifest(tmp_path: Path, host: str = "wins.example.com") -> Path:
    path = tmp_path / "slack.yml"
    path.write_text(SLACK_MANIFEST.read_text().replace("YOUR-HOST", host))
    return path


def slack_config(db: str, tmp_path: Path, slack: FakeSlackWithScopes, **values: Any) -> Settings:
    values = {
        "slack_bot_token": SecretStr("xoxb-good"),
        "slack_signing_secret": SecretStr("secret"),
        "slack_api_url": slack.base_url,
        "public_url": PUBLIC,
    } | values
    return config(db, tmp_path, **values)


async def test_a_bare_deployment_with_a_migrated_database_passes(
    migrated: str, tmp_path: Path
) -> None:
    checks = await diagnose(config(migrated, tmp_path))
    assert not [c for c in checks if c.status == "fail"], checks
    found = by_name(checks)
    assert found["database"].status == "ok" and "latest revision" in found["database"].detail
    assert found["slack"].status == "skip" and found["teams"].status == "skip"
    assert found["digests"].status == "warn" and "/wins subscribe" in found["digests"].detail
    assert found["disk"].status == "ok"


async def test_a_database_that_is_not_migrated_says_to_upgrade(tmp_path: Path) -> None:
    empty = tmp_path / "empty.db"
    sqlite3.connect(empty).close()
    found = by_name(await diagnose(config(f"sqlite+aiosqlite:///{empty}", tmp_path)))
    assert found["database"].status == "fail"
    assert "no schema yet: run `winsbot db upgrade`" in found["database"].detail
    assert found["digests"].status == "skip"


async def test_a_missing_database_file_is_reported_not_created(tmp_path: Path) -> None:
    missing = tmp_path / "nowhere.db"
    found = by_name(await diagnose(config(f"sqlite+aiosqlite:///{missing}", tmp_path)))
    assert found["database"].status == "fail" and "no file at" in found["database"].detail
    assert not missing.exists()


async def test_an_older_schema_names_both_revisions(migrated: str, tmp_path: Path) -> None:
    db = Database(migrated)
    async with db.engine.begin() as conn:
        await conn.exec_driver_sql("UPDATE alembic_version SET version_num = 'old0001'")
    await db.dispose()
    found = by_name(await diagnose(config(migrated, tmp_path)))
    assert "at revision old0001" in found["database"].detail
    assert found["database"].status == "fail"


async def test_a_working_slack_app_passes_every_slack_item(
    migrated: str, tmp_path: Path, slack: FakeSlackWithScopes
) -> None:
    settings = slack_config(migrated, tmp_path, slack)
    found = by_name(await diagnose(settings, slack_manifest=slack_manifest(tmp_path)))
    for name in ("slack token", "slack scopes", "slack secret", "slack URLs"):
        assert found[name].status == "ok", found[name]
    assert found["slack token"].detail == "winsbot in Acme"
    assert slack.calls_to("auth.test")


async def test_a_bad_slack_token_says_where_to_copy_the_right_one(
    migrated: str, tmp_path: Path, slack: FakeSlackWithScopes
) -> None:
    settings = slack_config(migrated, tmp_path, slack, slack_bot_token=SecretStr("nope"))
    found = by_name(await diagnose(settings))
    assert found["slack token"].status == "fail"
    assert "invalid_auth" in found["slack token"].detail
    assert "Bot User OAuth Token" in found["slack token"].detail


async def test_a_missing_scope_is_named(migrated: str, tmp_path: Path) -> None:
    granted = [s for s in MANIFEST_BOT_SCOPES if s != "files:write"]
    async with FakeSlackWithScopes(granted) as slack:
        settings = slack_config(migrated, tmp_path, slack)
        found = by_name(await diagnose(settings, slack_manifest=slack_manifest(tmp_path)))
    assert found["slack scopes"].status == "fail"
    assert found["slack scopes"].detail.startswith("the token lacks files:write:")
    assert "reinstall" in found["slack scopes"].detail


async def test_no_signing_secret_and_a_manifest_elsewhere_fail(
    migrated: str, tmp_path: Path, slack: FakeSlackWithScopes
) -> None:
    settings = slack_config(migrated, tmp_path, slack, slack_signing_secret=None)
    manifest = slack_manifest(tmp_path, host="old.example.com")
    found = by_name(await diagnose(settings, slack_manifest=manifest))
    assert found["slack secret"].status == "fail"
    assert "SLACK_SIGNING_SECRET" in found["slack secret"].detail
    assert found["slack URLs"].status == "fail"
    assert "https://old.example.com/slack/events, not https://wins.example.com/slack/events" in (
        found["slack URLs"].detail
    )


async def test_the_shipped_manifest_placeholder_is_a_warning(
    migrated: str, tmp_path: Path, slack: FakeSlackWithScopes
) -> None:
    found = by_name(await diagnose(slack_config(migrated, tmp_path, slack)))
    assert found["slack URLs"].status == "warn" and "YOUR-HOST" in found["slack URLs"].detail
    assert found["slack scopes"].status == "ok"


async def test_teams_token_and_package_pass_with_the_right_app(
    migrated: str, tmp_path: Path, token_endpoint: FakeTokenEndpoint
) -> None:
    package = build_package(tmp_path / "teams.zip", app_id=APP_ID)
    settings = config(
        migrated, tmp_path, microsoft_app_id=APP_ID,
        microsoft_app_password=SecretStr(APP_PASSWORD),
        microsoft_token_url=token_endpoint.token_url,
    )  # fmt: skip
    found = by_name(await diagnose(settings, teams_package=package))
    assert found["teams token"].status == "ok"
    assert found["teams package"].status == "ok"
    assert token_endpoint.requests[0]["client_id"] == APP_ID


async def test_a_wrong_teams_password_and_a_foreign_package_fail(
    migrated: str, tmp_path: Path, token_endpoint: FakeTokenEndpoint
) -> None:
    other = "0b1c2d3e-4f50-4617-8293-a4b5c6d7e8f9"
    package = build_package(tmp_path / "teams.zip", app_id=other)
    settings = config(
        migrated, tmp_path, microsoft_app_id=APP_ID,
        microsoft_app_password=SecretStr("wrong"),
        microsoft_token_url=token_endpoint.token_url,
    )  # fmt: skip
    found = by_name(await diagnose(settings, teams_package=package))
    assert found["teams token"].status == "fail"
    assert "AADSTS7000215" in found["teams token"].detail
    assert "Trace ID" not in found["teams token"].detail
    assert found["teams package"].status == "fail"
    assert f"is for app {other}, not {APP_ID}" in found["teams package"].detail


async def test_teams_without_a_password_says_where_to_make_one(
    migrated: str, tmp_path: Path
) -> None:
    found = by_name(await diagnose(config(migrated, tmp_path, microsoft_app_id=APP_ID)))
    assert found["teams app"].status == "fail"
    assert "MICROSOFT_APP_PASSWORD is not set" in found["teams app"].detail


async def test_an_http_public_url_fails_and_a_reachable_one_is_checked(
    migrated: str, tmp_path: Path
) -> None:
    async with FakeHealthz() as health:
        found = by_name(await diagnose(config(migrated, tmp_path, public_url=health.url)))
        assert health.hits == 1
    assert found["public URL"].status == "fail" and "not https" in found["public URL"].detail
    assert found["reachable"].status == "ok"


async def test_an_unreachable_or_unhealthy_public_url_fails(migrated: str, tmp_path: Path) -> None:
    async with FakeHealthz(503, "the digest scheduler is not running") as health:
        unhealthy = by_name(await diagnose(config(migrated, tmp_path, public_url=health.url)))
        closed = health.url
    unwell = unhealthy["reachable"].detail
    assert unwell.endswith("answered 503 (the digest scheduler is not running)")
    found = by_name(await diagnose(config(migrated, tmp_path, public_url=closed)))
    assert found["reachable"].status == "fail"
    assert "is `winsbot serve` running" in found["reachable"].detail


async def test_each_source_is_checked_with_its_credentials(migrated: str, tmp_path: Path) -> None:
    account = SourceAccount(platform=Platform.MASTODON, handle="acme")
    async with FakeMastodon() as mastodon:
        settings = config(
            migrated, tmp_path, accounts=[account], mastodon_base_url=mastodon.url,
            mastodon_token=SecretStr("token"),
        )  # fmt: skip
        healthy = by_name(await diagnose(settings))
        mastodon.expired_token()
        expired = by_name(await diagnose(settings))
    assert healthy["source Mastodon"].status == "ok"
    assert expired["source Mastodon"].status == "fail"
    assert expired["source Mastodon"].detail.startswith("credentials:")


async def test_the_next_digest_of_each_subscription_is_listed(
    migrated: str, tmp_path: Path
) -> None:
    db = Database(migrated)
    async with db.engine.begin() as conn:
        await subscribe(
            conn, chat=Chat.SLACK, workspace_id="T1", channel_id="C1", audience=Audience(),
            schedule=Schedule(timezone="Europe/London"), created_by="U1",
            now=datetime(2026, 11, 20, tzinfo=UTC),
        )  # fmt: skip
    await db.dispose()
    found = by_name(await diagnose(config(migrated, tmp_path)))
    assert found["digest #1"].status == "ok"
    assert "slack C1, leadership: next Mon" in found["digest #1"].detail
    assert "09:00 Europe/London" in found["digest #1"].detail


async def test_a_full_disk_fails(
    migrated: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(
        "bot.cli.checks.shutil.disk_usage", lambda _: shutil._ntuple_diskusage(10, 10, 5)
    )
    found = by_name(await diagnose(config(migrated, tmp_path)))
    assert found["disk"].status == "fail" and "WINSBOT_OUTPUT_DIR" in found["disk"].detail


def test_the_command_exits_1_on_a_failure_and_reports_json(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'missing.db'}")
    result = runner.invoke(app, ["doctor", "--json"])
    assert result.exit_code == 1, result.output
    report = json.loads(result.output)
    assert report["ok"] is False
    assert {"name": "configuration", "status": "ok"}.items() <= report["checks"][0].items()
    assert [c["name"] for c in report["checks"] if c["status"] == "fail"] == ["database"]


def test_the_command_passes_a_healthy_deployment_at_80_columns(
    monkeypatch: pytest.MonkeyPatch, migrated: str
) -> None:
    monkeypatch.setenv("DATABASE_URL", migrated)
    result = runner.invoke(app, ["doctor"])
    assert result.exit_code == 0, result.output
    assert "OK    database" in result.output
    assert all(len(line) <= 80 for line in result.output.splitlines())


def test_invalid_configuration_is_the_first_failed_item(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("WINSBOT_TIMEZONE", "Mars/Olympus")
    result = runner.invoke(app, ["doctor", "--json"])
    assert result.exit_code == 1
    [item] = json.loads(result.output)["checks"]
    assert item["name"] == "configuration" and "WINSBOT_TIMEZONE" in item["detail"]


async def test_start_up_warns_once_when_the_public_url_is_not_https(
    migrated: str, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    from bot.app import build_server

    assert config(migrated, tmp_path, public_url=PUBLIC).public_url_problem is None
    settings = config(migrated, tmp_path, public_url="http://wins.example.com", teams_dev=True)
    server = await build_server(settings)
    for close in server.on_stop:
        await close()
    warned = [r.getMessage() for r in caplog.records if "not https" in r.getMessage()]
    assert warned == [settings.public_url_problem]
    assert "Slack and Teams only send events to https" in warned[0]

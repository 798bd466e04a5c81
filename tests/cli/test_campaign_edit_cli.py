"""`winsbot campaign add --owner` and `winsbot campaign edit`: a pilot's owners and changes."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner, Result

from bot.cli import app
from bot.config import normalise_database_url
from bot.store.db import Database
from bot.store.owners import pilot_owner_ids

runner = CliRunner()
AAD = "6F1C2B7E-0D3A-4C55-9A1E-2B8F3C4D5E6F"


@pytest.fixture(autouse=True)
def workdir(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'cli.db'}")
    monkeypatch.delenv("WINSBOT_CONFIG", raising=False)
    monkeypatch.setenv("COLUMNS", "120")
    return tmp_path


def add(name: str, *extra: str) -> Result:
    return runner.invoke(
        app,
        ["campaign", "add", name, "--metric", "clicks", "--target", "1000",
         "--start", "2026-12-01", "--end", "2026-12-14", "--tag", "recruiting", *extra],
    )  # fmt: skip


def listed() -> list[dict[str, object]]:
    result = runner.invoke(app, ["campaign", "list", "--json"])
    assert result.exit_code == 0, result.output
    found: list[dict[str, object]] = json.loads(result.output)
    return found


def owners_of(workdir: Path, campaign_id: int) -> list[str]:
    async def read() -> list[str]:
        db = Database(normalise_database_url(f"sqlite:///{workdir / 'cli.db'}"))
        try:
            async with db.engine.connect() as conn:
                return await pilot_owner_ids(conn, campaign_id)
        finally:
            await db.dispose()

    return asyncio.run(read())


def test_add_with_owners_stores_them_as_the_pilots_own(workdir: Path) -> None:
    result = add("Graduate hiring pilot", "--owner", "U0DANA", "--owner", AAD)
    assert result.exit_code == 0, result.output
    [pilot] = listed()
    assert owners_of(workdir, int(str(pilot["id"]))) == ["U0DANA", AAD.lower()]


def test_add_refuses_an_owner_that_is_no_one(workdir: Path) -> None:
    result = add("Graduate hiring pilot", "--owner", "dana")
    assert result.exit_code == 2
    assert "neither a Slack user id" in result.output
    assert listed() == []


def test_edit_changes_only_what_is_given_and_checks_again(workdir: Path) -> None:
    assert add("Graduate hiring pilot", "--owner", "U0DANA").exit_code == 0
    result = runner.invoke(
        app, ["campaign", "edit", "graduate hiring pilot", "--target", "2000", "--end",
              "2026-12-20", "--name", "Grad pilot"],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    [pilot] = listed()
    assert (pilot["name"], pilot["target"], pilot["ends_on"]) == ("Grad pilot", 2000, "2026-12-20")
    assert (pilot["metric"], pilot["starts_on"]) == ("clicks", "2026-12-01")  # untouched
    assert owners_of(workdir, int(str(pilot["id"]))) == ["U0DANA"]  # no --owner: kept
    bad = runner.invoke(app, ["campaign", "edit", "Grad pilot", "--end", "2026-11-01"])
    assert bad.exit_code == 2 and "is before start" in bad.output
    swapped = runner.invoke(app, ["campaign", "edit", "Grad pilot", "--owner", "U0SAM"])
    assert swapped.exit_code == 0, swapped.output
    assert owners_of(workdir, int(str(pilot["id"]))) == ["U0SAM"]  # --owner replaces them


def test_renaming_to_a_name_that_exists_fails_with_exit_1() -> None:
    assert add("Graduate hiring pilot").exit_code == 0
    assert add("Open house").exit_code == 0
    result = runner.invoke(
        app, ["campaign", "edit", "Open house", "--name", "Graduate hiring pilot"]
    )
    assert result.exit_code == 1
    assert "already exists" in result.output
    assert sorted(str(p["name"]) for p in listed()) == ["Graduate hiring pilot", "Open house"]


def test_editing_a_pilot_that_does_not_exist_fails_with_exit_1() -> None:
    result = runner.invoke(app, ["campaign", "edit", "Nope", "--target", "5"])
    assert result.exit_code == 1 and "no campaign is called" in result.output

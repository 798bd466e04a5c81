"""`winsbot cases` shows a story told with the form by its parts, in the terminal and in JSON."""

from __future__ import annotations

import asyncio
import json
from datetime import UTC, datetime
from pathlib import Path

import pytest
from typer.testing import CliRunner

from bot.cli import app
from bot.domain.stories import StoryParts
from bot.store.case_studies import save_case_study
from bot.store.db import Database

runner = CliRunner()


@pytest.fixture(autouse=True)
def stories(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'cli.db'}")
    monkeypatch.delenv("WINSBOT_CONFIG", raising=False)
    monkeypatch.setenv("COLUMNS", "120")

    async def store() -> None:
        db = Database(f"sqlite+aiosqlite:///{tmp_path / 'cli.db'}")
        await db.upgrade()
        parts = StoryParts.of("We filmed it with the graduates", "38 applications", None)
        async with db.engine.begin() as conn:
            await save_case_study(conn, body=parts.body(), now=datetime.now(UTC),
                                  author_name="Sam Lee", source="slack", parts=parts)  # fmt: skip
            await save_case_study(conn, body="We replied in 5 minutes", now=datetime.now(UTC))
        await db.dispose()

    asyncio.run(store())


def test_cases_json_has_the_three_parts() -> None:
    result = runner.invoke(app, ["cases", "--json"])
    assert result.exit_code == 0, result.output
    by_body = {c["body"][:11]: c for c in json.loads(result.output)}
    form, reply = by_body["What we did"], by_body["We replied "]
    assert (form["what_we_did"], form["result"], form["learned"]) == (
        "We filmed it with the graduates", "38 applications", None
    )  # fmt: skip
    assert reply["what_we_did"] == "We replied in 5 minutes" and reply["result"] is None


def test_cases_prints_each_answer_after_its_label() -> None:
    result = runner.invoke(app, ["cases"])
    assert result.exit_code == 0, result.output
    assert "What we did: We filmed it with the graduates" in result.output
    assert "The result: 38 applications" in result.output
    assert "We replied in 5 minutes" in result.output

"""`winsbot cases add --peer` and `winsbot cases --peers`, on a real SQLite file."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from bot.cli import app

DATA = Path(__file__).parents[1] / "importing" / "data"
URL = "https://mastodon.social/@acme/112800000000000001"
runner = CliRunner()


@pytest.fixture(autouse=True)
def workdir(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'cli.db'}")
    monkeypatch.delenv("WINSBOT_CONFIG", raising=False)
    monkeypatch.setenv("COLUMNS", "120")
    return tmp_path


def test_add_by_url_or_id_then_list_and_json() -> None:
    assert runner.invoke(app, ["import", str(DATA / "canonical.csv"), "--peer"]).exit_code == 0
    added = runner.invoke(app, ["cases", "add", "--peer", URL, "--note", "Launch posts at 9:30"])
    assert added.exit_code == 0, added.output
    assert "Saved peer example #1" in added.output
    again = runner.invoke(
        app, ["cases", "add", "--peer", "112800000000000001", "--note", "Launch at 9:30 works"]
    )
    assert again.exit_code == 0 and "Updated peer example #1" in again.output
    listed = runner.invoke(app, ["cases", "--peers"])
    assert listed.exit_code == 0
    assert "Launch at 9:30 works" in listed.output and "@acme@mastodon.social" in listed.output
    [example] = json.loads(runner.invoke(app, ["cases", "--peers", "--json"]).output)
    assert list(example) == [
        "id", "note", "saved_by", "saved_by_name", "saved_at", "win_id", "platform",
        "account", "post_id", "url", "text",
    ]  # fmt: skip
    assert example["note"] == "Launch at 9:30 works" and example["url"] == URL
    assert example["platform"] == "mastodon" and example["saved_by"] == "cli"


def test_add_refuses_unknown_posts_our_posts_and_empty_notes() -> None:
    assert runner.invoke(app, ["import", str(DATA / "canonical.csv")]).exit_code == 0
    ours = runner.invoke(app, ["cases", "add", "--peer", URL, "--note", "Ours"])
    assert ours.exit_code == 2 and "No peer post" in ours.output
    runner.invoke(app, ["import", str(DATA / "canonical.csv"), "--peer"])
    empty = runner.invoke(app, ["cases", "add", "--peer", URL, "--note", "  "])
    assert empty.exit_code == 2 and "what to learn" in empty.output
    missing = runner.invoke(app, ["cases", "add", "--peer", URL])
    assert missing.exit_code == 2 and "--note" in missing.output
    assert json.loads(runner.invoke(app, ["cases", "--peers", "--json"]).output) == []


def test_cases_words_still_search_stories() -> None:
    result = runner.invoke(app, ["cases", "add", "graduates"])  # no --peer: words to search
    assert result.exit_code == 0
    assert "No case studies yet" in result.output
    empty = runner.invoke(app, ["cases", "--peers"])
    assert "No peer examples yet" in empty.output

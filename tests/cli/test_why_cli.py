"""`winsbot wins why N` as a user runs it on the demo data: the numbers behind a win, the ids
`winsbot wins` shows to ask about, and clear refusals for a number that is no win."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from bot.cli import app

runner = CliRunner()


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory: pytest.TempPathFactory) -> str:
    """The demo's database, built once: each test only reads it."""
    folder = tmp_path_factory.mktemp("demo")
    with pytest.MonkeyPatch.context() as patch:
        patch.chdir(folder)
        patch.delenv("WINSBOT_CONFIG", raising=False)
        patch.delenv("DATABASE_URL", raising=False)
        assert runner.invoke(app, ["demo"]).exit_code == 0
    return f"sqlite:///{folder / 'winsbot-out' / 'demo.db'}"


@pytest.fixture(autouse=True)
def reader(monkeypatch: pytest.MonkeyPatch, tmp_path: Path, demo_db: str) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("DATABASE_URL", demo_db)
    monkeypatch.delenv("WINSBOT_CONFIG", raising=False)
    monkeypatch.setenv("COLUMNS", "120")


def listed() -> list[dict[str, object]]:
    result = runner.invoke(app, ["wins", "--json", "--since", "3650d", "--limit", "100"])
    assert result.exit_code == 0, result.output
    found: list[dict[str, object]] = json.loads(result.output)
    return found


def test_wins_shows_each_wins_id_and_how_to_ask_about_it() -> None:
    top = listed()[0]["id"]
    result = runner.invoke(app, ["wins", "--since", "3650d"])
    assert result.exit_code == 0
    assert f"#{top}" in result.output
    assert f"`winsbot wins why {top}` shows the numbers behind #{top}." in result.output


def test_why_shows_the_count_the_baseline_and_the_compared_posts() -> None:
    post = next(w for w in listed() if w["kind"] == "post")
    result = runner.invoke(app, ["wins", "why", str(post["id"])])
    assert result.exit_code == 0, result.output
    out = " ".join(result.output.split())
    assert f"Why #{post['id']} is a win" in out
    # The count it won on, with its unit: "3,217 interactions in the first 3 days."
    assert re.search(r"[0-9,]+ (interactions|impressions|people reached|views|clicks) "
                     r"(in the first [0-9]+ (hours|days)|after 7 days)\.", out)  # fmt: skip
    assert "Its usual: " in out and "the median of " in out
    assert "posts it was compared with, highest first" in out
    assert "· the median" in out


def test_why_explains_milestones_and_pilot_goals() -> None:
    kinds = {w["kind"]: w["id"] for w in listed()}
    goal = runner.invoke(app, ["wins", "why", f"#{kinds['campaign']}"])
    assert goal.exit_code == 0 and "of the goal" in goal.output
    milestone = runner.invoke(app, ["wins", "why", str(kinds["milestone"])])
    assert milestone.exit_code == 0 and "follower count" in milestone.output


def test_why_as_json_carries_the_compared_posts() -> None:
    post = next(w for w in listed() if w["kind"] == "post")
    result = runner.invoke(app, ["wins", "why", str(post["id"]), "--json"])
    assert result.exit_code == 0
    answer = json.loads(result.output)
    assert answer["compared"] and sum(p["median"] for p in answer["compared"]) in (1, 2)


def test_why_refuses_no_win_and_a_word_that_is_no_number() -> None:
    missing = runner.invoke(app, ["wins", "why", "99999"])
    assert missing.exit_code == 1
    assert "There is no win #99999." in missing.output
    typo = runner.invoke(app, ["wins", "why", "seven"])
    assert typo.exit_code == 2 and "takes a win's number" in typo.output
    bare = runner.invoke(app, ["wins", "why"])
    assert bare.exit_code == 2 and "Which win?" in bare.output
    other = runner.invoke(app, ["wins", "huh"])
    assert other.exit_code == 2 and "winsbot wins why N" in other.output

"""`winsbot campaign report NAME [--json]` on the demo's Graduate hiring pilot."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from bot.cli import app

runner = CliRunner()


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory: pytest.TempPathFactory) -> str:
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


def test_the_json_report_has_stable_keys_and_the_pilots_numbers() -> None:
    result = runner.invoke(app, ["campaign", "report", "Graduate hiring pilot", "--json"])
    assert result.exit_code == 0, result.output
    report = json.loads(result.output)
    assert set(report) == {
        "name", "goal", "result", "status", "pace", "unit", "best_posts", "stories",
        "learnings", "next_step",
    }  # fmt: skip
    assert report["status"] == "reached" and report["unit"] == "clicks"
    assert report["result"].endswith("of the goal. Goal reached.")
    values = [p["value"] for p in report["best_posts"]]
    assert values == sorted(values, reverse=True) and 1 <= len(values) <= 3
    assert all("#GradPilot" in (p["text"] or "") for p in report["best_posts"])


def test_the_terminal_report_leads_with_goal_and_result() -> None:
    result = runner.invoke(app, ["campaign", "report", "graduate hiring pilot"])
    assert result.exit_code == 0, result.output
    lines = [line for line in result.output.splitlines() if line.strip()]
    assert lines[0] == "Pilot report: Graduate hiring pilot"
    assert lines[1].startswith("Goal: 1,000 clicks from ")
    assert lines[2].startswith("Result: ") or lines[3].startswith("Result: ")


def test_an_unknown_pilot_exits_1_and_says_where_to_look() -> None:
    result = runner.invoke(app, ["campaign", "report", "No such pilot"])
    assert result.exit_code == 1
    assert "winsbot campaign list" in result.output

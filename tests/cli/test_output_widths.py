"""The terminal output laid out for 80 columns first, and still right at 120."""

from __future__ import annotations

import logging
import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from bot.cli import app
from bot.cli.context import _unrelated_warnings

runner = CliRunner()
URL = re.compile(r"https://\S+")


@pytest.fixture(autouse=True)
def workdir(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("WINSBOT_CONFIG", raising=False)
    return tmp_path


@pytest.fixture(scope="module")
def demo_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("demo")


@pytest.fixture(scope="module")
def demo_output(demo_dir: Path) -> dict[int, str]:
    """The demo at 80 and 120 columns (run once: it imports 90 days of sample data)."""
    outputs = {}
    with pytest.MonkeyPatch.context() as patch:
        patch.chdir(demo_dir)
        patch.delenv("WINSBOT_CONFIG", raising=False)
        for columns in (80, 120):
            patch.setenv("COLUMNS", str(columns))
            result = runner.invoke(app, ["demo"])
            assert result.exit_code == 0, result.output
            outputs[columns] = result.output
    return outputs


@pytest.mark.parametrize("columns", [80, 120])
def test_the_demo_fits_the_terminal(demo_output: dict[int, str], columns: int) -> None:
    lines = demo_output[columns].splitlines()
    assert max(len(line.rstrip()) for line in lines) <= columns


def test_wrapped_reasons_keep_their_indent_at_80_columns(demo_output: dict[int, str]) -> None:
    lines = [line.rstrip() for line in demo_output[80].splitlines()]
    start = lines.index("Top wins")
    block = lines[start + 1 : lines.index("", start)]
    assert len(block) > 5
    assert all(re.match(r"\d+\. |   \S|…and", line) for line in block), block


def test_the_closing_command_is_whole_on_one_line(demo_output: dict[int, str]) -> None:
    for output in demo_output.values():
        assert "\n  DATABASE_URL=sqlite:///winsbot-out/demo.db winsbot wins --since 30d\n" in output


def test_counts_agree_with_their_nouns(demo_output: dict[int, str]) -> None:
    summary = next(line for line in demo_output[80].splitlines() if line.startswith("Found "))
    assert re.fullmatch(r"Found \d+ post wins, 1 follower milestone, 1 goal reached\.", summary)


@pytest.mark.parametrize("columns", [80, 120])
def test_wins_never_cut_a_link(
    demo_output: dict[int, str], demo_dir: Path, monkeypatch: pytest.MonkeyPatch, columns: int
) -> None:
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{demo_dir / 'winsbot-out' / 'demo.db'}")
    monkeypatch.setenv("COLUMNS", str(columns))
    result = runner.invoke(app, ["wins", "--since", "30d", "--limit", "3"])
    assert result.exit_code == 0, result.output
    assert "…" not in result.output
    lines = result.output.splitlines()
    assert max(len(line) for line in lines) <= columns
    if columns == 80:  # a list: each link whole on its own line
        assert any(line.startswith("   https://") for line in lines)
        assert "┃" not in result.output
    else:  # a table: a link may fold over lines, never lose characters
        joined = "".join(line.split("│")[5].strip() for line in lines if line.count("│") == 6)
        assert "https://" in joined


def test_flags_show_no_type_in_help(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COLUMNS", "80")
    result = runner.invoke(app, ["detect", "--help"])
    assert result.exit_code == 0
    assert "--all" in result.output and "<bool>" not in result.output
    options = runner.invoke(app, ["wins", "--help"]).output
    assert "<bool>" not in options and "<str>" in options


def test_bolts_unused_token_warning_is_not_logged() -> None:
    def record(name: str, message: str) -> logging.LogRecord:
        return logging.LogRecord(name, logging.WARNING, __file__, 1, message, None, None)

    unused = "As you gave `client` as well, `token` will be unused."
    assert not _unrelated_warnings(record("slack_bolt.AsyncApp", unused))
    assert _unrelated_warnings(record("slack_bolt.AsyncApp", "something else"))


def test_sources_messages_show_the_toml_table_name(monkeypatch: pytest.MonkeyPatch) -> None:
    result = runner.invoke(app, ["sources", "check"])
    assert result.exit_code == 1
    assert "add [[accounts]] to winsbot.toml" in result.output

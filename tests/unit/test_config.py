"""Configuration: environment plus winsbot.toml, clear errors, secrets never echoed."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.config import ConfigError, load_settings, normalise_database_url


@pytest.fixture(autouse=True)
def clean_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    for name in ("DATABASE_URL", "WINSBOT_CONFIG", "WINSBOT_TIMEZONE", "SLACK_BOT_TOKEN"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.chdir(tmp_path)


def test_defaults_to_a_local_sqlite_file() -> None:
    assert load_settings().database_url == "sqlite+aiosqlite:///winsbot.db"


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ("postgresql://u@h:5432/db", "postgresql+asyncpg://u@h:5432/db"),
        ("postgres://u@h/db", "postgresql+asyncpg://u@h/db"),
        ("sqlite:////data/w.db", "sqlite+aiosqlite:////data/w.db"),
    ],
)
def test_pasted_database_urls_get_the_async_driver(given: str, expected: str) -> None:
    assert normalise_database_url(given) == expected


def test_invalid_values_name_the_variable_and_what_is_expected(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("DATABASE_URL", "mysql://root@localhost/x")
    monkeypatch.setenv("WINSBOT_TIMEZONE", "Mars/Olympus")
    with pytest.raises(ConfigError) as error:
        load_settings()
    message = str(error.value)
    assert "DATABASE_URL: expected a SQLite or PostgreSQL URL" in message
    assert "WINSBOT_TIMEZONE: expected an IANA time zone" in message


def test_toml_file_is_read_and_environment_wins(monkeypatch: pytest.MonkeyPatch) -> None:
    Path("winsbot.toml").write_text('timezone = "Europe/Paris"\nmin_ratio = 3.0\n')
    assert load_settings().timezone == "Europe/Paris"
    assert load_settings().min_ratio == 3.0
    monkeypatch.setenv("WINSBOT_TIMEZONE", "America/Toronto")
    assert load_settings().timezone == "America/Toronto"


def test_broken_toml_is_a_config_error() -> None:
    Path("winsbot.toml").write_text("timezone = \n")
    with pytest.raises(ConfigError, match="not valid TOML"):
        load_settings()


def test_secrets_are_not_printed(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SLACK_BOT_TOKEN", "xoxb-very-secret")
    settings = load_settings()
    assert "xoxb-very-secret" not in repr(settings)
    assert "xoxb-very-secret" not in str(settings.model_dump())
    assert settings.slack_bot_token is not None
    assert settings.slack_bot_token.get_secret_value() == "xoxb-very-secret"


def test_bad_secret_type_error_does_not_echo_the_value(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("WINSBOT_MIN_HISTORY", "xoxb-oops-pasted-here")
    with pytest.raises(ConfigError) as error:
        load_settings()
    assert "WINSBOT_MIN_HISTORY" in str(error.value)
    assert "xoxb-oops-pasted-here" not in str(error.value)

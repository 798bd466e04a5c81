"""One Settings object, read once at start-up from the environment and an optional winsbot.toml.

Everything that varies between deployments lives here, so the rest of the code takes plain
values and never reads ``os.environ`` itself.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import (
    AliasChoices,
    BaseModel,
    ConfigDict,
    Field,
    SecretStr,
    ValidationError,
    field_validator,
)
from pydantic_settings import (
    BaseSettings,
    PydanticBaseSettingsSource,
    SettingsConfigDict,
    TomlConfigSettingsSource,
)

from bot.domain.models import Platform, SourceAccount

DEFAULT_DATABASE_URL = "sqlite+aiosqlite:///winsbot.db"
CONFIG_FILE_ENV = "WINSBOT_CONFIG"
DEFAULT_CONFIG_FILE = "winsbot.toml"


class ConfigError(Exception):
    """Configuration that cannot work; the message names each field and what it expects."""


def normalise_database_url(url: str) -> str:
    """Accept the URLs people paste (``postgresql://``, ``sqlite:///``) and pick the async driver.

    The whole app runs on asyncio, so a sync driver URL would fail later with a confusing error.
    """
    url = url.strip()
    if url.startswith(
        ("postgres://", "postgresql://", "postgresql+psycopg2://", "postgresql+psycopg://")
    ):
        return "postgresql+asyncpg://" + url.split("://", 1)[1]
    if url.startswith("sqlite://"):
        return "sqlite+aiosqlite://" + url.split("://", 1)[1]
    if url.startswith(("sqlite+aiosqlite://", "postgresql+asyncpg://")):
        return url
    raise ValueError(
        "expected a SQLite or PostgreSQL URL, e.g. sqlite:///winsbot.db or "
        "postgresql://user@host:5432/dbname"
    )


def _env(name: str) -> AliasChoices:
    """Accept the field name (winsbot.toml) and its WINSBOT_ environment variable."""
    return AliasChoices(name, f"WINSBOT_{name.upper()}")


class TagSettings(BaseModel):
    """One department's settings in winsbot.toml (``[tags.recruiting]``): who owns its wins."""

    model_config = ConfigDict(frozen=True)

    owners: tuple[str, ...] = ()


class Settings(BaseSettings):
    """Deployment configuration. Secrets are SecretStr so they never print by accident."""

    model_config = SettingsConfigDict(
        extra="ignore", populate_by_name=True, case_sensitive=False, frozen=True
    )

    database_url: str = Field(
        DEFAULT_DATABASE_URL,
        validation_alias=AliasChoices("database_url", "DATABASE_URL", "WINSBOT_DATABASE_URL"),
    )
    timezone: str = Field("UTC", validation_alias=_env("timezone"))
    output_dir: Path = Field(Path("winsbot-out"), validation_alias=_env("output_dir"))
    log_level: Literal["DEBUG", "INFO", "WARNING", "ERROR"] = Field(
        "INFO", validation_alias=_env("log_level")
    )

    # Win detection: conservative defaults so a small account does not spam leadership.
    baseline_posts: int = Field(30, ge=3, le=500, validation_alias=_env("baseline_posts"))
    min_history: int = Field(5, ge=2, le=500, validation_alias=_env("min_history"))
    min_engagement: int = Field(20, ge=0, validation_alias=_env("min_engagement"))
    min_ratio: float = Field(2.0, ge=1.0, validation_alias=_env("min_ratio"))
    min_score: float = Field(3.0, gt=0, validation_alias=_env("min_score"))

    # Chat platforms (used by the Slack and Teams adapters).
    slack_bot_token: SecretStr | None = Field(None, validation_alias="SLACK_BOT_TOKEN")
    slack_signing_secret: SecretStr | None = Field(None, validation_alias="SLACK_SIGNING_SECRET")
    slack_app_token: SecretStr | None = Field(None, validation_alias="SLACK_APP_TOKEN")
    slack_api_url: str = Field("https://slack.com/api/", validation_alias="SLACK_API_URL")

    # Microsoft Teams (Bot Framework). No app id means no authentication: allowed only with
    # WINSBOT_TEAMS_DEV=1, for the local Bot Framework Emulator.
    microsoft_app_id: str | None = Field(None, validation_alias="MICROSOFT_APP_ID")
    microsoft_app_password: SecretStr | None = Field(
        None, validation_alias="MICROSOFT_APP_PASSWORD"
    )
    microsoft_app_type: Literal["MultiTenant", "SingleTenant", "UserAssignedMSI"] = Field(
        "MultiTenant", validation_alias="MICROSOFT_APP_TYPE"
    )
    microsoft_app_tenant_id: str | None = Field(None, validation_alias="MICROSOFT_APP_TENANT_ID")
    teams_dev: bool = Field(False, validation_alias=_env("teams_dev"))
    # Where the bot obtains its Bot Framework token (None: Microsoft's endpoint for the app
    # type); a setting so `winsbot doctor` can be tested against a fake endpoint.
    microsoft_token_url: str | None = Field(None, validation_alias="MICROSOFT_TOKEN_URL")

    # Social sources: the accounts to poll ([[accounts]] in winsbot.toml) and each platform's
    # credentials and API base URL (tests point the URLs at fakes).
    accounts: list[SourceAccount] = Field(default_factory=list)
    poll_minutes: float = Field(30.0, ge=1, le=1440, validation_alias=_env("poll_minutes"))
    # Per-platform overrides, e.g. in winsbot.toml: [poll_minutes_by_source] youtube = 120
    poll_minutes_by_source: dict[Platform, float] = Field(default_factory=dict)
    poll_concurrency: int = Field(4, ge=1, le=64, validation_alias=_env("poll_concurrency"))
    # Departments' settings by tag, e.g. [tags.recruiting] owners = ["U012AB3CD"].
    tags: dict[str, TagSettings] = Field(default_factory=dict)
    mastodon_base_url: str = Field("https://mastodon.social", validation_alias="MASTODON_BASE_URL")
    mastodon_token: SecretStr | None = Field(None, validation_alias="MASTODON_TOKEN")
    bluesky_base_url: str = Field(
        "https://public.api.bsky.app", validation_alias="BLUESKY_BASE_URL"
    )
    x_base_url: str = Field("https://api.x.com", validation_alias="X_BASE_URL")
    x_bearer_token: SecretStr | None = Field(None, validation_alias="X_BEARER_TOKEN")
    linkedin_base_url: str = Field("https://api.linkedin.com", validation_alias="LINKEDIN_BASE_URL")
    linkedin_token: SecretStr | None = Field(None, validation_alias="LINKEDIN_TOKEN")
    linkedin_version: str = Field("202510", validation_alias="LINKEDIN_VERSION")
    meta_base_url: str = Field("https://graph.facebook.com/v23.0", validation_alias="META_BASE_URL")
    meta_token: SecretStr | None = Field(None, validation_alias="META_TOKEN")
    youtube_base_url: str = Field(
        "https://www.googleapis.com/youtube/v3", validation_alias="YOUTUBE_BASE_URL"
    )
    youtube_api_key: SecretStr | None = Field(None, validation_alias="YOUTUBE_API_KEY")

    # Slack user ids (or Teams AAD object ids) who may manage leadership subscriptions besides
    # workspace admins: comma-separated in the environment, a list in winsbot.toml.
    admins: str | list[str] = Field("", validation_alias=_env("admins"))
    # The social media team's chat user ids, the same way: their replies under any win or digest
    # are its story (case studies); other people's replies are feedback, unless neither this nor
    # any owner is configured (then every reply is a case study, as before).
    social_team: str | list[str] = Field("", validation_alias=_env("social_team"))
    # Leadership for buy-in, besides members of channels subscribed to the leadership digest:
    # chat user ids, comma-separated in the environment, a list in winsbot.toml.
    leaders: str | list[str] = Field("", validation_alias=_env("leaders"))
    # Where the monthly buy-in note goes: the social team's channel, and its chat platform.
    buy_in_channel: str | None = Field(None, validation_alias=_env("buy_in_channel"))
    buy_in_chat: Literal["slack", "teams"] = Field("slack", validation_alias=_env("buy_in_chat"))
    public_url: str | None = Field(None, validation_alias=_env("public_url"))
    slack_post_interval: float = Field(
        1.0, ge=0, le=60, validation_alias=_env("slack_post_interval")
    )
    # Messages per second winsbot allows itself across a Slack workspace (0 = no pacing).
    slack_workspace_rate: float = Field(
        20.0, ge=0, le=1000, validation_alias=_env("slack_workspace_rate")
    )
    delivery_concurrency: int = Field(
        8, ge=1, le=100, validation_alias=_env("delivery_concurrency")
    )
    missed_run_grace_hours: float = Field(
        12.0, ge=0, le=168, validation_alias=_env("missed_run_grace_hours")
    )
    # How long a worker's claim on a digest lasts unless renewed (renewed every third of it
    # while the worker lives): a killed worker's digests are taken over about this much later.
    delivery_lease_seconds: float = Field(
        60.0, ge=1, le=3600, validation_alias=_env("delivery_lease_seconds")
    )
    # A digest with nothing to report (no posts, wins or case studies in its week or month):
    # "brief" posts the short quiet-period note, "skip" posts nothing and records it as
    # settled, so it is never retried.
    empty_period: Literal["brief", "skip"] = Field("brief", validation_alias=_env("empty_period"))
    query_cache_seconds: float = Field(
        15.0, ge=0, le=3600, validation_alias=_env("query_cache_seconds")
    )
    # Story prompts to owners: how often to look for new wins, and the one reminder's delay
    # in working days (0: no reminder).
    prompt_seconds: float = Field(60.0, ge=1, le=3600, validation_alias=_env("prompt_seconds"))
    prompt_reminder_days: int = Field(2, ge=0, le=30, validation_alias=_env("prompt_reminder_days"))
    # Pilot ends (learnings asks and reports): how often to look.
    pilot_seconds: float = Field(300.0, ge=1, le=3600, validation_alias=_env("pilot_seconds"))

    @property
    def admin_ids(self) -> frozenset[str]:
        raw = self.admins if isinstance(self.admins, list) else self.admins.split(",")
        return frozenset(part.strip() for part in raw if part.strip())

    @property
    def social_team_ids(self) -> frozenset[str]:
        team = self.social_team
        raw = team if isinstance(team, list) else team.split(",")
        return frozenset(part.strip() for part in raw if part.strip())

    @property
    def leader_ids(self) -> frozenset[str]:
        raw = self.leaders if isinstance(self.leaders, list) else self.leaders.split(",")
        return frozenset(part.strip() for part in raw if part.strip())

    @property
    def bot_token_url(self) -> str:
        """The OAuth endpoint that hands the Teams bot its tokens (client credentials)."""
        if self.microsoft_token_url:
            return self.microsoft_token_url
        tenant = "botframework.com"
        if self.microsoft_app_type == "SingleTenant" and self.microsoft_app_tenant_id:
            tenant = self.microsoft_app_tenant_id
        return f"https://login.microsoftonline.com/{tenant}/oauth2/v2.0/token"

    @property
    def public_url_problem(self) -> str | None:
        """Why the chats cannot reach winsbot at this WINSBOT_PUBLIC_URL, or None if it is fine.

        Slack's request URLs and a Teams bot's messaging endpoint must be https; an http address
        fails only when the first event is sent. (Digest charts no longer depend on it: Teams
        draws them natively.) Said at start-up and by `winsbot doctor`.
        """
        url = (self.public_url or "").strip()
        if not url or url.lower().startswith("https://"):
            return None
        return (
            f"WINSBOT_PUBLIC_URL is {url}, not https: Slack and Teams only send events to https "
            "addresses; set the https address that reaches this server"
        )

    @field_validator("database_url")
    @classmethod
    def _database_url(cls, value: str) -> str:
        return normalise_database_url(value)

    @field_validator("timezone")
    @classmethod
    def _timezone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError):
            raise ValueError(
                f"expected an IANA time zone such as Europe/London, got {value!r}"
            ) from None
        return value

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        # Environment wins over the file, so one toml can serve several deployments.
        toml_path = _config_file()
        sources: list[PydanticBaseSettingsSource] = [init_settings, env_settings]
        if toml_path is not None:
            sources.append(TomlConfigSettingsSource(settings_cls, toml_file=toml_path))
        return tuple(sources)


def _config_file() -> Path | None:
    explicit = os.environ.get(CONFIG_FILE_ENV)
    if explicit:
        path = Path(explicit)
        if not path.is_file():
            raise ConfigError(
                f"{CONFIG_FILE_ENV}: expected a readable TOML file, {path} is missing"
            )
        return path
    default = Path(DEFAULT_CONFIG_FILE)
    return default if default.is_file() else None


def _field_label(loc: tuple[int | str, ...]) -> str:
    name = str(loc[0]) if loc else "settings"
    field = Settings.model_fields.get(name)
    alias = field.validation_alias if field else None
    if isinstance(alias, AliasChoices):
        env_names = [str(c) for c in alias.choices if isinstance(c, str) and c.isupper()]
        if env_names:
            return env_names[0]
    if isinstance(alias, str):
        return alias
    return name.upper()


def load_settings(**overrides: Any) -> Settings:
    """Build Settings or raise ConfigError naming each bad field (values are never echoed)."""
    try:
        return Settings(**overrides)
    except ValidationError as exc:
        lines = []
        for error in exc.errors(include_input=False, include_url=False):
            message = str(error["msg"]).removeprefix("Value error, ")
            lines.append(f"{_field_label(tuple(error['loc']))}: {message}")
        raise ConfigError("invalid configuration:\n  " + "\n  ".join(lines)) from None
    except Exception as exc:  # a malformed winsbot.toml raises tomllib errors
        if exc.__class__.__name__ == "TOMLDecodeError":
            raise ConfigError(f"winsbot.toml is not valid TOML: {exc}") from None
        raise

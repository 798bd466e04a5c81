"""Which Source reads which platform, built from Settings (only for configured accounts)."""

from __future__ import annotations

import importlib
from typing import Any

from bot.config import Settings
from bot.domain.models import Platform
from bot.ports import Source

_CLASSES: dict[Platform, str] = {
    Platform.MASTODON: "adapters.sources.mastodon:MastodonSource",
    Platform.BLUESKY: "adapters.sources.bluesky:BlueskySource",
    Platform.X: "adapters.sources.x:XSource",
    Platform.YOUTUBE: "adapters.sources.youtube:YouTubeSource",
    Platform.FACEBOOK: "adapters.sources.meta:FacebookSource",
    Platform.INSTAGRAM: "adapters.sources.meta:InstagramSource",
    Platform.LINKEDIN: "adapters.sources.linkedin:LinkedInSource",
}


def source_class(platform: Platform) -> Any:
    module, _, name = _CLASSES[platform].partition(":")
    return getattr(importlib.import_module(module), name)


def build_sources(settings: Settings) -> dict[Platform, Source]:
    """One Source per platform that has accounts in winsbot.toml."""
    wanted = {account.platform for account in settings.accounts}
    unsupported = wanted - set(_CLASSES)
    if unsupported:
        names = ", ".join(sorted(p.value for p in unsupported))
        raise ValueError(f"no API source for {names}: import their exports with `winsbot import`")
    return {platform: source_class(platform).from_settings(settings) for platform in sorted(wanted)}

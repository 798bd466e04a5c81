"""Which Source reads which platform, built from Settings (only for configured accounts)."""

from __future__ import annotations

import importlib
from collections.abc import Callable
from datetime import datetime
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


def build_sources(
    settings: Settings, *, now: Callable[[], datetime] | None = None
) -> dict[Platform, Source]:
    """One Source per platform that has accounts in winsbot.toml.

    ``now`` is the server's clock: a snapshot's capture time must come from the same clock that
    bounds it (bot/domain/admission.py) and dates detection, or the two disagree.
    """
    wanted = {account.platform for account in settings.accounts}
    unsupported = wanted - set(_CLASSES)
    if unsupported:
        names = ", ".join(sorted(p.value for p in unsupported))
        raise ValueError(f"no API source for {names}: import their exports with `winsbot import`")
    sources = {p: source_class(p).from_settings(settings) for p in sorted(wanted)}
    if now is not None:
        for source in sources.values():
            source.now = now
    return sources

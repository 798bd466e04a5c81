"""Owners of accounts and tags, and when a story prompt is owed: pure rules, no I/O.

An owner is a chat user id as the platform names people: a Slack user id (``U012AB3CD``) or a
Teams user's Azure AD object id (a GUID). The id alone says which chat reaches them, so one
winsbot.toml can name owners on both platforms.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta

from bot.domain.models import Chat, Platform, normalise_tag

SLACK_USER_ID = re.compile(r"^[UW][A-Z0-9]{2,}$")
AAD_OBJECT_ID = re.compile(r"^[0-9a-fA-F]{8}-(?:[0-9a-fA-F]{4}-){3}[0-9a-fA-F]{12}$")


def chat_of(user_id: str) -> Chat | None:
    """Which chat reaches this owner, from the shape of the id; None when neither fits."""
    if SLACK_USER_ID.match(user_id):
        return Chat.SLACK
    if AAD_OBJECT_ID.match(user_id):
        return Chat.TEAMS
    return None


def normalise_owner(user_id: str) -> str:
    """One spelling per person: AAD object ids are case-insensitive, Slack ids upper-case."""
    user_id = user_id.strip()
    return user_id.lower() if AAD_OBJECT_ID.match(user_id) else user_id


@dataclass(frozen=True, slots=True)
class OwnerTarget:
    """What an owner owns: one account (every platform's account with that handle) or a tag."""

    kind: str  # account | tag | pilot
    name: str

    @property
    def label(self) -> str:
        if self.kind == "pilot":  # a pilot's own owners: the target is its campaign id
            return f"pilot {self.name}"
        return f"#{self.name}" if self.kind == "tag" else f"@{self.name}"


@dataclass(frozen=True, slots=True)
class Ownership:
    """Every owner winsbot knows: from winsbot.toml and from chat, merged."""

    # (platform, handle) -> owners, from [[accounts]] owners in winsbot.toml
    configured_accounts: Mapping[tuple[Platform, str], tuple[str, ...]]
    # tag -> owners, from [tags.NAME] owners in winsbot.toml
    configured_tags: Mapping[str, tuple[str, ...]]
    # (kind, target) -> owners, named in chat (`wins owner ...`)
    named: Mapping[tuple[str, str], tuple[str, ...]]

    def owners_of(self, platform: Platform, handle: str, tags: Iterable[str]) -> list[str]:
        """Who owns a win on this account: its own owners first, then its tags', once each."""
        found: list[str] = [
            *self.configured_accounts.get((platform, handle), ()),
            *self.named.get(("account", handle.lower()), ()),
        ]
        for tag in tags:
            tag = normalise_tag(tag)
            found += [*self.configured_tags.get(tag, ()), *self.named.get(("tag", tag), ())]
        return list(dict.fromkeys(found))

    def listing(self) -> list[tuple[OwnerTarget, str, str]]:
        """(what, who, where it was named: "winsbot.toml" or "chat"), sorted for reading."""
        rows: list[tuple[OwnerTarget, str, str]] = []
        for (_, handle), users in self.configured_accounts.items():
            rows += [(OwnerTarget("account", handle), u, "winsbot.toml") for u in users]
        for tag, users in self.configured_tags.items():
            rows += [(OwnerTarget("tag", tag), u, "winsbot.toml") for u in users]
        for (kind, target), users in self.named.items():
            rows += [(OwnerTarget(kind, target), u, "chat") for u in users]
        unique = dict.fromkeys(rows)
        return sorted(unique, key=lambda r: (r[0].kind, r[0].name, r[1], r[2]))


def add_working_days(moment: datetime, days: int) -> datetime:
    """``days`` working days (Monday to Friday) after ``moment``, at the same time of day.

    A prompt sent on Friday afternoon is reminded on Tuesday afternoon, not on Sunday.
    """
    result = moment
    left = days
    while left > 0:
        result += timedelta(days=1)
        if result.weekday() < 5:
            left -= 1
    return result

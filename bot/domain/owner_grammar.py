"""The words of `owner`, `owners` and `[un]mute prompts`, read into commands (pure, no I/O).

Kept apart from bot.domain.grammar, which hands these verbs over, so the main grammar stays
about wins and digests. A person is named as the chat names them: a Slack mention
(``<@U012AB3CD>``, what Slack sends for a mention picked from the list), a Slack user id, a
Teams user's Azure AD object id, or ``me``.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Collection

from bot.domain.commands import CommandError, ListOwners, MutePrompts, SetOwner
from bot.domain.owners import chat_of, normalise_owner

OWNER_VERBS = ("owner", "owners", "mute", "unmute")
_SLACK_MENTION = re.compile(r"^<@([UW][A-Z0-9]+)(?:\|[^>]*)?>$")
_EXAMPLE = "e.g. `owner @acme-careers me` or `owner #recruiting <user id>`"

OwnerCommand = SetOwner | ListOwners | MutePrompts | CommandError


def parse_owner_command(verb: str, words: list[str], known_tags: Collection[str]) -> OwnerCommand:
    """``words`` are the tokens after the verb, as typed (Slack entities already decoded)."""
    if verb in ("mute", "unmute"):
        if [w.lower() for w in words] not in (["prompts"], ["prompt"]):
            return CommandError(f"`{verb}` takes one word: `prompts`.", f"type `{verb} prompts`")
        return MutePrompts(muted=verb == "mute")
    if verb == "owners":
        if words:
            return CommandError("`owners` takes nothing after it.", "type just `owners`")
        return ListOwners()
    remove = bool(words) and words[0].lower() == "remove"
    rest = words[1:] if remove else words
    if len(rest) != 2:
        return CommandError("Name one account or tag, then one person.", _EXAMPLE)
    target, person = rest
    owned = _target(target, known_tags)
    if isinstance(owned, CommandError):
        return owned
    user = _person(person)
    if isinstance(user, CommandError):
        return user
    kind, name = owned
    return SetOwner(kind=kind, target=name, user_id=user, remove=remove)


def _target(word: str, known_tags: Collection[str]) -> tuple[str, str] | CommandError:
    lower = word.lower()
    if lower.startswith(("#", "tag:")):
        tag = lower.removeprefix("tag:").lstrip("#")
        known = {t.lstrip("#").lower() for t in known_tags}
        if not tag:
            return CommandError("A tag needs a name.", "e.g. `#recruiting`")
        if known and tag not in known:
            close = difflib.get_close_matches(tag, sorted(known), n=1)
            hint = f"did you mean `#{close[0]}`?" if close else _EXAMPLE
            return CommandError(f"No account is tagged #{tag[:40]}.", hint)
        return "tag", tag
    if _SLACK_MENTION.match(word):
        return CommandError("Name the account or tag first, then the person.", _EXAMPLE)
    handle = word.removeprefix("account:").removeprefix("@")
    if not handle or len(handle) > 200:
        return CommandError("An account needs a handle.", _EXAMPLE)
    return "account", handle.lower()


def _person(word: str) -> str | CommandError | None:
    if word.lower() == "me":
        return None
    if (mention := _SLACK_MENTION.match(word)) is not None:
        return mention[1]
    if chat_of(word) is not None:
        return normalise_owner(word)
    if word.startswith("@"):  # Slack sent a name, not an id: its /wins does not escape users
        return CommandError(
            f"`{word[:40]}` reached me as a name, not as a person: many people can share a name.",
            "pick them from the list Slack offers as you type `@`; if it still arrives as text, "
            "turn on *Escape channels, users, and links* for /wins (manifest/slack.yml sets "
            "`should_escape: true`), or give their member id",
        )
    return CommandError(
        f"I can't tell who `{word[:40]}` is.",
        "name them with a mention picked from the list, their user id (Slack: profile → ⋮ → "
        "Copy member ID; Teams: @mention them, or their Azure AD object id), or `me`",
    )

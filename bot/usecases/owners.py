"""Owners from chat and from winsbot.toml, and muting prompts: the `owner` commands.

Naming or removing an owner is an admin's call (the same policy as the leadership digest, in
bot.usecases.subscriptions); anyone may list owners, and anyone may mute their own prompts.
"""

from __future__ import annotations

import difflib

from bot.config import Settings
from bot.domain.commands import MutePrompts, SetOwner
from bot.domain.context import ChatContext
from bot.domain.models import Platform, normalise_tag
from bot.domain.owners import Ownership, OwnerTarget, normalise_owner
from bot.domain.views import ChatView, ErrorView, NoticeView
from bot.store.db import Database
from bot.store.owners import (
    StoredOwner,
    add_owner,
    our_handles,
    remove_owner,
    set_muted,
    stored_owners,
)
from bot.usecases.results import WinsService
from bot.usecases.subscriptions import Subscriptions


def configured_ownership(
    settings: Settings,
) -> tuple[dict[tuple[Platform, str], tuple[str, ...]], dict[str, tuple[str, ...]]]:
    """Owners named in winsbot.toml: per (platform, handle) and per tag."""
    accounts: dict[tuple[Platform, str], tuple[str, ...]] = {}
    for account in settings.accounts:
        if account.owners:
            key = (account.platform, account.handle)
            named = (normalise_owner(u) for u in account.owners)
            accounts[key] = tuple(dict.fromkeys((*accounts.get(key, ()), *named)))
    tags = {
        normalise_tag(tag): tuple(normalise_owner(u) for u in t.owners)
        for tag, t in settings.tags.items()
        if t.owners
    }
    return accounts, tags


async def load_ownership(db: Database, settings: Settings) -> Ownership:
    """Every owner: winsbot.toml's and chat's, merged (both count)."""
    async with db.engine.connect() as conn:
        stored = await stored_owners(conn)
    named: dict[tuple[str, str], tuple[str, ...]] = {}
    for owner in stored:
        key = (owner.kind, owner.target)
        named[key] = (*named.get(key, ()), owner.user_id)
    accounts, tags = configured_ownership(settings)
    return Ownership(configured_accounts=accounts, configured_tags=tags, named=named)


class Owners:
    """Runs `owner`, `owner remove`, `owners` and `[un]mute prompts` from chat."""

    def __init__(self, service: WinsService, subscriptions: Subscriptions) -> None:
        self.service = service
        self.subscriptions = subscriptions

    async def set_owner(self, command: SetOwner, context: ChatContext) -> ChatView:
        if not await self.subscriptions.may_manage(context):
            return NoticeView(
                text="Only workspace admins and the people listed in WINSBOT_ADMINS can name "
                "owners. Ask one of them; `wins owners` shows who owns what.",
                ok=False,
            )
        target = OwnerTarget(command.kind, command.target)
        if target.kind == "account" and (problem := await self._unknown_handle(target.name)):
            return problem
        user = command.user_id or normalise_owner(context.user_id)
        owner = StoredOwner(target.kind, target.name, user)
        async with self.service.db.engine.begin() as conn:
            if command.remove:
                changed = await remove_owner(conn, owner)
            else:
                changed = await add_owner(
                    conn, owner, created_by=context.user_id, now=self.service.clock.now()
                )
        who = "You" if user == context.user_id else f"User {user}"
        if command.remove:
            text = (
                f"{who} will no longer be asked about wins of {target.label}."
                if changed
                else f"{user} was not named in chat as an owner of {target.label}."
            )
            return NoticeView(text=text, ok=changed)
        text = (
            f"{who} will be asked, in a direct message, for the story behind new wins of "
            f"{target.label}. `wins mute prompts` stops it."
        )
        return NoticeView(text=text if changed else f"{user} already owns {target.label}.")

    async def _unknown_handle(self, handle: str) -> ErrorView | None:
        async with self.service.db.engine.connect() as conn:
            known = await our_handles(conn)
        known |= {a.handle.lower() for a in self.service.settings.accounts}
        if not known or handle in known:
            return None
        close = difflib.get_close_matches(handle, sorted(known), n=1)
        return ErrorView(
            message=f"None of our accounts is called @{handle[:40]}.",
            suggestion=f"did you mean `@{close[0]}`?" if close else None,
            hint="Type `wins owners` to see the accounts and tags that have owners.",
        )

    async def listing(self) -> ChatView:
        ownership = await load_ownership(self.service.db, self.service.settings)
        rows = ownership.listing()
        if not rows:
            return NoticeView(
                text="No account or tag has an owner yet. An admin can name one: "
                "`wins owner @handle me` or `wins owner #tag me`."
            )
        lines = [f"{target.label}: {user} ({source})" for target, user, source in rows]
        return NoticeView(text="Owners, asked for the story behind new wins:\n" + "\n".join(lines))

    async def mute(self, command: MutePrompts, context: ChatContext) -> ChatView:
        async with self.service.db.engine.begin() as conn:
            user = normalise_owner(context.user_id)
            await set_muted(conn, user, command.muted, now=self.service.clock.now())
        if command.muted:
            return NoticeView(
                text="You will not be asked for stories any more. `wins unmute prompts` resumes."
            )
        return NoticeView(text="You will be asked for the story behind new wins again.")

"""Where a win's owners come from, decided in one place: ``owners_lookup``.

Owners are named in winsbot.toml (``owners`` on an account entry or under ``[tags.x]``) and
from chat (the owners table); ``bot.usecases.owners.load_ownership`` merges them, as the story
prompts read them. Case studies ask only the ``OwnersLookup`` port, so how owners are kept can
change without touching how replies are sorted.
"""

from __future__ import annotations

from bot.config import Settings
from bot.domain.owners import normalise_owner
from bot.domain.pilot_end import pilot_owners
from bot.ports import OwnersLookup
from bot.store.campaigns import find_campaign
from bot.store.db import Database
from bot.store.owners import owned_win
from bot.usecases.owners import load_ownership
from bot.usecases.results import WinsService


class ConfiguredOwners:
    """The owners the story prompts ask: of the win's account and of its account's tags."""

    def __init__(self, db: Database, settings: Settings) -> None:
        self.db = db
        self.settings = settings

    async def owners_of(self, win_id: int) -> frozenset[str]:
        async with self.db.engine.connect() as conn:
            win = await owned_win(conn, win_id)
        if win is None:  # a campaign goal, or a win gone since: nobody owns it
            return frozenset()
        ownership = await load_ownership(self.db, self.settings)
        return frozenset(ownership.owners_of(win.platform, win.handle, win.tags))

    async def owners_of_pilot(self, campaign_id: int) -> frozenset[str]:
        async with self.db.engine.connect() as conn:
            found = await find_campaign(conn, campaign_id=campaign_id)
        if found is None:
            return frozenset()
        ownership = await load_ownership(self.db, self.settings)
        return frozenset(pilot_owners(ownership, found))

    async def any_owners(self) -> bool:
        return bool((await load_ownership(self.db, self.settings)).listing())


def is_owner(user_id: str, owners: frozenset[str]) -> bool:
    """Owners are stored in one spelling (Teams' AAD ids lower-case); chat ids may differ."""
    return normalise_owner(user_id) in owners


def owners_lookup(service: WinsService) -> OwnersLookup:
    """The owners every chat use case reads: the one place to change where they come from."""
    return ConfiguredOwners(service.db, service.settings)

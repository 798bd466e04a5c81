"""Owners named from chat, muted owners, and what the story prompts read: recent owned wins.

winsbot.toml names owners too (``owners`` on an account or a tag); those are not stored here but
merged by the use case, so a config change needs no migration and chat and config both count.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncConnection

from bot.domain.models import Chat, Platform, WinKind
from bot.store.db import Database
from bot.store.tables import accounts, case_studies, conversations, wins
from bot.store.tables_loop import owners, prompt_mutes, prompts
from bot.store.upsert import insert_ignore
from bot.store.wins import tags_of

ACCOUNT, TAG = "account", "tag"


@dataclass(frozen=True, slots=True)
class StoredOwner:
    kind: str  # account | tag | pilot
    target: str  # a handle, a tag, or a pilot's campaign id
    user_id: str


@dataclass(frozen=True, slots=True)
class OwnedWin:
    """A recent win on one of our accounts, with what decides who owns it."""

    win_id: int
    platform: Platform
    handle: str
    tags: tuple[str, ...]
    detected_at: datetime


async def add_owner(
    conn: AsyncConnection, owner: StoredOwner, *, created_by: str | None, now: datetime
) -> bool:
    """True when this owner is new (naming an owner twice changes nothing)."""
    inserted = await conn.execute(
        insert_ignore(conn, owners, ("kind", "target", "user_id")).values(
            kind=owner.kind,
            target=owner.target,
            user_id=owner.user_id,
            created_by=created_by,
            created_at=now,
        )
    )
    return bool(inserted.rowcount)


async def remove_owner(conn: AsyncConnection, owner: StoredOwner) -> bool:
    removed = await conn.execute(
        owners.delete().where(
            owners.c.kind == owner.kind,
            owners.c.target == owner.target,
            owners.c.user_id == owner.user_id,
        )
    )
    return bool(removed.rowcount)


async def stored_owners(conn: AsyncConnection) -> list[StoredOwner]:
    rows = await conn.execute(
        select(owners.c.kind, owners.c.target, owners.c.user_id).order_by(
            owners.c.kind, owners.c.target, owners.c.user_id
        )
    )
    return [StoredOwner(r.kind, r.target, r.user_id) for r in rows]


# --- a pilot's own owners (kind "pilot", target the campaign id) ---
PILOT = "pilot"


async def pilot_owner_ids(conn: AsyncConnection, campaign_id: int) -> list[str]:
    """The people named as this pilot's own owners, in the order they were named."""
    rows = await conn.execute(
        select(owners.c.user_id)
        .where(owners.c.kind == PILOT, owners.c.target == str(campaign_id))
        .order_by(owners.c.id)
    )
    return [r.user_id for r in rows]


async def set_pilot_owners(
    conn: AsyncConnection,
    campaign_id: int,
    users: tuple[str, ...],
    *,
    created_by: str | None,
    now: datetime,
) -> None:
    """Make ``users`` the pilot's own owners: the form lists them all, so it replaces."""
    await conn.execute(
        owners.delete().where(
            owners.c.kind == PILOT,
            owners.c.target == str(campaign_id),
            owners.c.user_id.not_in(list(users)),
        )
    )
    for user in users:
        await add_owner(
            conn, StoredOwner(PILOT, str(campaign_id), user), created_by=created_by, now=now
        )


# --- end a pilot's own owners ---


async def set_muted(conn: AsyncConnection, user_id: str, muted: bool, *, now: datetime) -> bool:
    """Mute or unmute one owner's prompts; True when that changed anything."""
    if muted:
        inserted = await conn.execute(
            insert_ignore(conn, prompt_mutes, ("user_id",)).values(user_id=user_id, muted_at=now)
        )
        return bool(inserted.rowcount)
    removed = await conn.execute(prompt_mutes.delete().where(prompt_mutes.c.user_id == user_id))
    return bool(removed.rowcount)


async def muted_owners(conn: AsyncConnection) -> set[str]:
    return {r.user_id for r in await conn.execute(select(prompt_mutes.c.user_id))}


async def recent_owned_wins(
    conn: AsyncConnection, *, detected_since: datetime, occurred_since: datetime
) -> list[OwnedWin]:
    """Post wins and milestones of our accounts, detected and occurred recently enough.

    A win imported today about a post of last year is not news to anyone: both moments count.
    """
    rows = await conn.execute(
        select(
            wins.c.id, wins.c.account_id, wins.c.detected_at, accounts.c.platform, accounts.c.handle
        )
        .join(accounts, accounts.c.id == wins.c.account_id)
        .where(
            accounts.c.kind == "ours",
            wins.c.kind.in_([WinKind.POST.value, WinKind.MILESTONE.value]),
            wins.c.detected_at >= detected_since,
            wins.c.occurred_at >= occurred_since,
        )
        .order_by(wins.c.id)
    )
    found = rows.all()
    tags = await tags_of(conn, {r.account_id for r in found})
    return [
        OwnedWin(
            r.id, Platform(r.platform), r.handle, tuple(tags.get(r.account_id, ())), r.detected_at
        )
        for r in found
    ]


async def prompted(conn: AsyncConnection, win_ids: list[int]) -> set[tuple[int, str, int]]:
    """(win, owner, round) already in the prompt ledger, whatever their state."""
    if not win_ids:
        return set()
    rows = await conn.execute(
        select(prompts.c.win_id, prompts.c.user_id, prompts.c.round).where(
            prompts.c.win_id.in_(win_ids)
        )
    )
    return {(r.win_id, r.user_id, r.round) for r in rows}


async def wins_with_stories(conn: AsyncConnection, win_ids: list[int]) -> set[int]:
    """Wins that already have a story: no reminder is owed for them."""
    if not win_ids:
        return set()
    rows = await conn.execute(
        select(case_studies.c.win_id).where(case_studies.c.win_id.in_(win_ids)).distinct()
    )
    return {r.win_id for r in rows}


async def owned_win(conn: AsyncConnection, win_id: int) -> OwnedWin | None:
    """One win as the prompts see it (a reminder or a takeover needs it again)."""
    row = (
        await conn.execute(
            select(
                wins.c.id,
                wins.c.account_id,
                wins.c.detected_at,
                accounts.c.platform,
                accounts.c.handle,
            )
            .join(accounts, accounts.c.id == wins.c.account_id)
            .where(wins.c.id == win_id)
        )
    ).first()
    if row is None:
        return None
    tags = await tags_of(conn, {row.account_id})
    return OwnedWin(
        row.id,
        Platform(row.platform),
        row.handle,
        tuple(tags.get(row.account_id, ())),
        row.detected_at,
    )


async def personal_conversation(conn: AsyncConnection, user_id: str) -> str | None:
    """The Teams 1:1 chat with this person (by AAD object id), if winsbot has seen one.

    References are few (one per installation and person), so they are read and matched here
    rather than with JSON operators that differ between SQLite and PostgreSQL.
    """
    rows = await conn.execute(
        select(conversations.c.conversation_id, conversations.c.reference)
        .where(
            conversations.c.chat == Chat.TEAMS.value,
            conversations.c.kind == "personal",
            conversations.c.active.is_(True),
        )
        .order_by(conversations.c.updated_at.desc())
    )
    wanted = user_id.lower()
    for row in rows:
        user: Any = (row.reference or {}).get("user") or {}
        if wanted in (str(user.get("aadObjectId") or "").lower(), str(user.get("id") or "")):
            return str(row.conversation_id)
    return None


async def our_handles(conn: AsyncConnection) -> set[str]:
    """Handles of our accounts, lower-case: what `owner @handle` may name."""
    rows = await conn.execute(select(accounts.c.handle).where(accounts.c.kind == "ours").distinct())
    return {r.handle.lower() for r in rows}


class StoredPersonalChats:
    """The PersonalChats port over the conversations Teams references are kept in."""

    def __init__(self, db: Database) -> None:
        self.db = db

    async def personal_conversation(self, user_id: str) -> str | None:
        async with self.db.engine.connect() as conn:
            return await personal_conversation(conn, user_id)

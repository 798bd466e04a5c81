"""Accounts we follow (ours and peers) and their tags."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import UTC, datetime

from sqlalchemy import delete, func, select, update
from sqlalchemy.ext.asyncio import AsyncConnection

from bot.domain.models import AccountKind, Platform, normalise_tag
from bot.store.lookup import ids_by_platform
from bot.store.tables import account_tags, accounts, posts
from bot.store.upsert import insert_ignore


async def ensure_accounts(
    conn: AsyncConnection, keys: Iterable[tuple[str, str]]
) -> dict[tuple[str, str], int]:
    """Return ids for (platform, handle) pairs, creating unknown ones as our accounts."""
    wanted = sorted(set(keys))
    if not wanted:
        return {}
    now = datetime.now(UTC)
    await conn.execute(
        insert_ignore(conn, accounts, ("platform", "handle")),
        [
            {"platform": p, "handle": h, "kind": AccountKind.OURS.value, "created_at": now}
            for p, h in wanted
        ],
    )
    return await ids_by_platform(conn, accounts, "handle", wanted)


async def register_account(
    conn: AsyncConnection,
    platform: Platform,
    handle: str,
    *,
    kind: AccountKind = AccountKind.OURS,
    display_name: str | None = None,
    tags: Sequence[str] = (),
) -> int:
    """Create or update an account with its kind and tags (tags are replaced, not merged)."""
    ids = await ensure_accounts(conn, [(platform.value, handle)])
    account_id = ids[(platform.value, handle)]
    await conn.execute(
        update(accounts)
        .where(accounts.c.id == account_id)
        .values(kind=kind.value, display_name=display_name)
    )
    await conn.execute(delete(account_tags).where(account_tags.c.account_id == account_id))
    clean = sorted({normalise_tag(t) for t in tags if t.strip()})
    if clean:
        await conn.execute(
            account_tags.insert(), [{"account_id": account_id, "tag": t} for t in clean]
        )
    return account_id


async def known_tags(conn: AsyncConnection) -> list[str]:
    """Every tag some account carries: what "did you mean #recruiting?" chooses from."""
    return [row[0] for row in await conn.execute(select(account_tags.c.tag).distinct())]


async def newest_post_time(
    conn: AsyncConnection, platform: Platform, handle: str
) -> datetime | None:
    """When the account's newest stored post was published: where the next poll starts."""
    newest: datetime | None = (
        await conn.execute(
            select(func.max(posts.c.published_at))
            .join(accounts, accounts.c.id == posts.c.account_id)
            .where(accounts.c.platform == platform.value, accounts.c.handle == handle)
        )
    ).scalar_one_or_none()
    return newest


async def mark_kind(
    conn: AsyncConnection, keys: Iterable[tuple[str, str]], kind: AccountKind
) -> None:
    """Make these (platform, handle) accounts ours or peers, keeping their tags and names.

    Unlike ``register_account``, which makes the configuration the truth, this changes only the
    kind: `winsbot import --peer` must not wipe tags that winsbot.toml or an admin gave.
    """
    for platform, handle in sorted(set(keys)):
        await conn.execute(
            update(accounts)
            .where(accounts.c.platform == platform, accounts.c.handle == handle)
            .values(kind=kind.value)
        )

"""The stored facts behind one win (`wins why 7`): its details and the posts it was compared with.

Separate from ``bot.store.wins`` because the listing queries never need a win's details or
other posts; this is the one place that reads them, by id.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncConnection

from bot.domain.models import Win
from bot.domain.why import StoredPost
from bot.store.tables import accounts, campaigns, posts, wins
from bot.store.wins import WinFilter, list_wins

# The first words of a compared post are enough to recognise it; its whole text is not needed.
TEXT_CHARS = 200
_CHUNK = 500


@dataclass(frozen=True, slots=True)
class WinEvidence:
    """A win as listed, with the details detection stored and what they need to be read."""

    win: Win
    details: dict[str, Any]
    peer: bool
    metric: str | None  # a pilot goal's metric ("clicks"); None for other wins


async def win_evidence(conn: AsyncConnection, win_id: int) -> WinEvidence | None:
    """Win ``win_id`` with its details, ours or a peer's; None when there is no such win."""
    row = (
        await conn.execute(
            select(wins.c.details, accounts.c.kind, campaigns.c.metric)
            .select_from(wins)
            .outerjoin(accounts, accounts.c.id == wins.c.account_id)
            .outerjoin(campaigns, campaigns.c.id == wins.c.campaign_id)
            .where(wins.c.id == win_id)
        )
    ).first()
    if row is None:
        return None
    peer = row.kind == "peer"
    # The listing query, so a win reads the same here as in `wins` (tags, post, campaign).
    found = await list_wins(conn, WinFilter(win_id=win_id, peers=peer, limit=1))
    if not found:
        return None
    details = row.details if isinstance(row.details, dict) else {}
    return WinEvidence(win=found[0], details=details, peer=peer, metric=row.metric)


async def stored_posts(conn: AsyncConnection, ids: Sequence[int]) -> dict[int, StoredPost]:
    """The posts with these ids that are still stored: published date, link, first words."""
    wanted = sorted(set(ids))
    found: dict[int, StoredPost] = {}
    for start in range(0, len(wanted), _CHUNK):
        rows = await conn.execute(
            select(
                posts.c.id,
                posts.c.published_at,
                posts.c.url,
                func.substr(posts.c.text, 1, TEXT_CHARS).label("text"),
            ).where(posts.c.id.in_(wanted[start : start + _CHUNK]))
        )
        for r in rows:
            found[r.id] = StoredPost(r.id, r.published_at, r.url, r.text)
    return found

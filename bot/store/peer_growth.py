"""Follower counts at a period's edges for our accounts and the peers we follow.

The digest's peers line compares growth rates ("we grew 1.2%, peers 0.8%"), so each account
needs its count just before the period and its last count in it; an account without a count
before the period has no known growth and is left out rather than shown as all new.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import and_, case, func, or_, select, tuple_
from sqlalchemy.ext.asyncio import AsyncConnection

from bot.domain.models import Audience, Platform
from bot.domain.peers import Growth
from bot.store.stats import audience_accounts
from bot.store.tables import accounts
from bot.store.tables import follower_snapshots as followers


async def follower_growth(
    conn: AsyncConnection, audience: Audience, start: datetime, end: datetime
) -> tuple[list[Growth], list[Growth]]:
    """(ours, peers): our accounts in ``audience`` and the peers on its platforms, with counts.

    Peers are not tagged with our departments, so a department is compared with the peers on
    its platforms, as its digest's peer examples are.
    """
    peer_condition = accounts.c.kind == "peer"
    if audience.platforms:
        peer_condition = and_(
            peer_condition, accounts.c.platform.in_([p.value for p in audience.platforms])
        )
    chosen = or_(and_(*audience_accounts(audience)), peer_condition)
    edges = (
        select(
            followers.c.account_id,
            func.max(case((followers.c.captured_at < start, followers.c.captured_at))).label("t0"),
            func.max(followers.c.captured_at).label("t1"),
        )
        .join(accounts, accounts.c.id == followers.c.account_id)
        .where(chosen, followers.c.captured_at < end)
        .group_by(followers.c.account_id)
        .subquery()
    )
    rows = (
        await conn.execute(
            select(
                accounts.c.id,
                accounts.c.kind,
                accounts.c.platform,
                accounts.c.handle,
                accounts.c.display_name,
                edges.c.t0,
                edges.c.t1,
            )
            .join(edges, edges.c.account_id == accounts.c.id)
            .where(edges.c.t0.is_not(None), edges.c.t1 >= start)
        )
    ).all()
    if not rows:
        return [], []
    moments = [(r.id, moment) for r in rows for moment in (r.t0, r.t1)]
    counts = await conn.execute(
        select(followers.c.account_id, followers.c.captured_at, followers.c.followers).where(
            tuple_(followers.c.account_id, followers.c.captured_at).in_(moments)
        )
    )
    at = {(account_id, moment): count for account_id, moment, count in counts}
    ours: list[Growth] = []
    peers: list[Growth] = []
    for r in rows:
        growth = Growth(
            account=r.display_name or r.handle,
            platform=Platform(r.platform),
            before=at.get((r.id, r.t0), 0),
            after=at.get((r.id, r.t1), 0),
        )
        (peers if r.kind == "peer" else ours).append(growth)
    return ours, peers

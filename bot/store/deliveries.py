"""The delivery ledger: one row per (subscription, period), the unit of exactly-once.

A delivery is claimed (with a lease), sent, then marked sent with the platform message id, all
under the unique (subscription_id, period) constraint. A second worker finds the claim and backs
off; a worker that died mid-way leaves a claim whose lease expires, and the next run takes over.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import or_, select
from sqlalchemy.ext.asyncio import AsyncConnection

from bot.store.tables import deliveries, subscriptions
from bot.store.upsert import insert_ignore

CLAIMED, SENT, SKIPPED, FAILED = "claimed", "sent", "skipped", "failed"


@dataclass(frozen=True, slots=True)
class Delivery:
    id: int
    subscription_id: int
    period: str
    state: str
    attempts: int
    message_ref: dict[str, Any] | None
    error: str | None
    sent_at: datetime | None


def _delivery(row: Any) -> Delivery:
    return Delivery(
        id=row.id,
        subscription_id=row.subscription_id,
        period=row.period,
        state=row.state,
        attempts=row.attempts,
        message_ref=row.message_ref,
        error=row.error,
        sent_at=row.sent_at,
    )


async def claim(
    conn: AsyncConnection,
    *,
    subscription_id: int,
    period: str,
    worker: str,
    now: datetime,
    lease: timedelta,
    force: bool = False,
) -> Delivery | None:
    """Claim the right to send this digest; None when it is sent, skipped or claimed by another.

    ``force`` reclaims a sent or skipped delivery (an admin's explicit resend).
    """
    inserted = await conn.execute(
        insert_ignore(conn, deliveries, ("subscription_id", "period")).values(
            subscription_id=subscription_id,
            period=period,
            state=CLAIMED,
            claimed_by=worker,
            lease_until=now + lease,
            attempts=1,
            created_at=now,
        )
    )
    if not inserted.rowcount:
        takeover = [deliveries.c.state == FAILED, deliveries.c.lease_until < now]
        if force:
            takeover += [deliveries.c.state == SENT, deliveries.c.state == SKIPPED]
        stmt = (
            deliveries.update()
            .where(
                deliveries.c.subscription_id == subscription_id,
                deliveries.c.period == period,
                or_(*takeover),
            )
            .values(
                state=CLAIMED,
                claimed_by=worker,
                lease_until=now + lease,
                attempts=deliveries.c.attempts + 1,
                error=None,
            )
        )
        if not force:
            # Never take over a sent or skipped one, whatever its lease says.
            stmt = stmt.where(deliveries.c.state.in_([CLAIMED, FAILED]))
        if not (await conn.execute(stmt)).rowcount:
            return None
    row = (
        await conn.execute(
            select(deliveries).where(
                deliveries.c.subscription_id == subscription_id, deliveries.c.period == period
            )
        )
    ).one()
    return _delivery(row)


async def mark_sent(
    conn: AsyncConnection, delivery_id: int, *, message_ref: dict[str, Any], now: datetime
) -> None:
    await conn.execute(
        deliveries.update()
        .where(deliveries.c.id == delivery_id)
        .values(state=SENT, message_ref=message_ref, sent_at=now, lease_until=None, error=None)
    )


async def mark_failed(conn: AsyncConnection, delivery_id: int, *, error: str) -> None:
    """A failed delivery can be claimed again by the next run (unless the subscription broke)."""
    await conn.execute(
        deliveries.update()
        .where(deliveries.c.id == delivery_id)
        .values(state=FAILED, error=error[:2000], lease_until=None)
    )


async def record_skipped(
    conn: AsyncConnection, *, subscription_id: int, period: str, reason: str, now: datetime
) -> bool:
    """Record a missed run that is too old to send; True if this call recorded it."""
    inserted = await conn.execute(
        insert_ignore(conn, deliveries, ("subscription_id", "period")).values(
            subscription_id=subscription_id,
            period=period,
            state=SKIPPED,
            error=reason,
            attempts=0,
            created_at=now,
        )
    )
    return bool(inserted.rowcount)


async def mark_broken(conn: AsyncConnection, subscription_id: int, *, reason: str) -> bool:
    """Stop a subscription whose channel cannot be reached; True the first time (tell once)."""
    result = await conn.execute(
        subscriptions.update()
        .where(subscriptions.c.id == subscription_id, subscriptions.c.broken_reason.is_(None))
        .values(broken_reason=reason[:2000])
    )
    return bool(result.rowcount)


async def latest_deliveries(conn: AsyncConnection) -> dict[int, Delivery]:
    """The newest delivery per subscription (for `winsbot digest status`)."""
    rows = await conn.execute(select(deliveries).order_by(deliveries.c.id))
    latest: dict[int, Delivery] = {}
    for row in rows:
        latest[row.subscription_id] = _delivery(row)
    return latest


async def delivery_for(conn: AsyncConnection, subscription_id: int, period: str) -> Delivery | None:
    row = (
        await conn.execute(
            select(deliveries).where(
                deliveries.c.subscription_id == subscription_id, deliveries.c.period == period
            )
        )
    ).first()
    return None if row is None else _delivery(row)

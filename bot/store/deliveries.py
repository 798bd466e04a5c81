"""The delivery ledger: one row per (subscription, period), the unit of exactly-once.

A delivery is claimed with a short lease, marked *sending* just before the platform is asked to
post it, then marked sent with the platform message id, all under the unique
(subscription_id, period) constraint. A second worker finds the claim and backs off. The owner
renews its lease while it lives (a heartbeat); a worker that died leaves a claim whose lease
runs out, and the next one takes it over. A taken-over claim that never reached *sending* was
never posted; one that did may have been, and the new owner must find out before posting again
(or mark it *uncertain* when the platform cannot say).

Every takeover is a compare-and-swap on ``attempts``, so two workers can never both take over
the same claim.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import and_, func, literal, or_, select
from sqlalchemy.ext.asyncio import AsyncConnection

from bot.store.tables import deliveries, subscriptions
from bot.store.types import UTCDateTime
from bot.store.upsert import insert_ignore

CLAIMED, SENT, SKIPPED, FAILED, UNCERTAIN = "claimed", "sent", "skipped", "failed", "uncertain"
# Settled states: nobody sends these again unless a person forces it.
SETTLED = (SENT, SKIPPED, UNCERTAIN)


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
    claimed_by: str | None = None
    lease_until: datetime | None = None
    sending_since: datetime | None = None


@dataclass(frozen=True, slots=True)
class Claim:
    """The right to send one delivery, and what the previous owner left behind.

    ``resumed_from`` is the state this claim took over (``claimed``: an owner stopped renewing
    its lease; ``failed``: an attempt failed), None for a first or forced claim.
    """

    delivery: Delivery
    resumed_from: str | None = None
    previous_owner: str | None = None

    @property
    def id(self) -> int:
        return self.delivery.id

    @property
    def may_be_posted(self) -> bool:
        """An earlier owner began posting and never recorded the result."""
        return self.resumed_from is not None and self.delivery.sending_since is not None


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
        claimed_by=row.claimed_by,
        lease_until=row.lease_until,
        sending_since=row.sending_since,
    )


def _stalled(now: datetime) -> Any:
    """A claim whose owner stopped renewing it (or never had a lease)."""
    return and_(
        deliveries.c.state == CLAIMED,
        or_(deliveries.c.lease_until.is_(None), deliveries.c.lease_until < now),
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
) -> Claim | None:
    """Claim the right to send this digest; None when it is settled or claimed by a live owner.

    A failed delivery, or a claim whose lease ran out, is taken over. ``force`` also reclaims a
    settled one (sent, skipped or uncertain: an admin's explicit resend), as a fresh send.
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
    if inserted.rowcount:
        return Claim(await _one(conn, subscription_id, period))
    previous = await _one(conn, subscription_id, period)
    takeover = or_(deliveries.c.state == FAILED, _stalled(now))
    values: dict[str, Any] = {
        "state": CLAIMED,
        "claimed_by": worker,
        "lease_until": now + lease,
        "attempts": previous.attempts + 1,
        "error": None,
    }
    resumed: str | None = previous.state
    if force and previous.state in SETTLED:
        takeover = deliveries.c.state.in_(SETTLED)
        values["sending_since"] = None  # a new send: what went out before is not this one
        resumed = None
    # Compare-and-swap: the row must still be what we read, and still free to take over.
    taken = await conn.execute(
        deliveries.update()
        .where(
            deliveries.c.id == previous.id,
            deliveries.c.attempts == previous.attempts,
            takeover,
        )
        .values(**values)
    )
    if not taken.rowcount:
        return None
    return Claim(
        await _one(conn, subscription_id, period),
        resumed_from=resumed,
        previous_owner=previous.claimed_by if resumed else None,
    )


async def _one(conn: AsyncConnection, subscription_id: int, period: str) -> Delivery:
    row = (
        await conn.execute(
            select(deliveries).where(
                deliveries.c.subscription_id == subscription_id, deliveries.c.period == period
            )
        )
    ).one()
    return _delivery(row)


def _held_by(worker: str, ids: Collection[int]) -> Any:
    return and_(
        deliveries.c.id.in_(list(ids)),
        deliveries.c.state == CLAIMED,
        deliveries.c.claimed_by == worker,
    )


async def renew(
    conn: AsyncConnection, ids: Collection[int], *, worker: str, now: datetime, lease: timedelta
) -> set[int]:
    """Extend the leases this worker still holds (the heartbeat); returns the ids renewed.

    An id missing from the answer was taken over or settled by someone else.
    """
    if not ids:
        return set()
    result = await conn.execute(
        deliveries.update()
        .where(_held_by(worker, ids))
        .values(lease_until=now + lease)
        .returning(deliveries.c.id)
    )
    return {row.id for row in result}


async def start_sending(
    conn: AsyncConnection, delivery_id: int, *, worker: str, now: datetime, lease: timedelta
) -> bool:
    """Record that this worker is about to post; False if the claim is no longer its own.

    Committed before the platform is asked, so whoever takes over knows the message may exist.
    The earliest moment is kept: it is where a later owner starts looking for the message.
    """
    result = await conn.execute(
        deliveries.update()
        .where(_held_by(worker, [delivery_id]), deliveries.c.lease_until > now)
        .values(
            sending_since=func.coalesce(
                deliveries.c.sending_since, literal(now, type_=UTCDateTime())
            ),
            lease_until=now + lease,
        )
    )
    return bool(result.rowcount)


async def mark_sent(
    conn: AsyncConnection, delivery_id: int, *, message_ref: dict[str, Any], now: datetime
) -> None:
    await conn.execute(
        deliveries.update()
        .where(deliveries.c.id == delivery_id)
        .values(state=SENT, message_ref=message_ref, sent_at=now, lease_until=None, error=None)
    )


async def mark_failed(conn: AsyncConnection, delivery_id: int, *, worker: str, error: str) -> None:
    """A failed delivery can be claimed again by the next run (unless the subscription broke).

    Only the owner's own claim becomes failed: a worker that lost its claim (it stalled past
    its lease) must not release the new owner's, nor overwrite what another owner settled.
    """
    await conn.execute(
        deliveries.update()
        .where(_held_by(worker, [delivery_id]))
        .values(state=FAILED, error=error[:2000], lease_until=None)
    )


async def retry_later(
    conn: AsyncConnection,
    delivery_id: int,
    *,
    worker: str,
    now: datetime,
    lease: timedelta,
    error: str,
) -> None:
    """Let go of a claim whose message may exist but could not be looked for (the platform
    failed to answer): it lapses after one more lease and is taken over like a dead worker's,
    so whoever retries still looks before posting."""
    await conn.execute(
        deliveries.update()
        .where(_held_by(worker, [delivery_id]))
        .values(lease_until=now + lease, error=error[:2000])
    )


async def mark_uncertain(
    conn: AsyncConnection, delivery_id: int, *, worker: str, reason: str
) -> bool:
    """Park a delivery that may already be posted where the platform cannot be asked.

    Nobody sends it again until a person does (``winsbot digest send --force``); True when this
    call parked it, so the admins are told once.
    """
    result = await conn.execute(
        deliveries.update()
        .where(_held_by(worker, [delivery_id]))
        .values(state=UNCERTAIN, error=reason[:2000], lease_until=None)
    )
    return bool(result.rowcount)


async def mark_skipped(
    conn: AsyncConnection, delivery_id: int, *, worker: str, reason: str
) -> bool:
    """Settle a claimed delivery without posting (an empty period, WINSBOT_EMPTY_PERIOD=skip):
    skipped is settled, so no pass retries it; False if the claim is no longer this worker's."""
    result = await conn.execute(
        deliveries.update()
        .where(_held_by(worker, [delivery_id]))
        .values(state=SKIPPED, error=reason[:2000], lease_until=None)
    )
    return bool(result.rowcount)


async def stalled_claims(conn: AsyncConnection, now: datetime) -> list[Delivery]:
    """Claims whose owner stopped renewing the lease: what the takeover job picks up."""
    rows = await conn.execute(select(deliveries).where(_stalled(now)).order_by(deliveries.c.id))
    return [_delivery(row) for row in rows]


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

"""The monthly buy-in note's ledger: one row per month, claimed under a lease.

The month is a unique key, so one worker at a time holds the note. A claim lasts a lease: a
worker killed while holding it no longer holds the month once the lease is over, and the next
run takes it over (a compare-and-swap on ``attempts``, so two runs never both do). Before the
chat is asked, ``sending_since`` is committed: a run that takes over a claim with it set cannot
know whether the note went out, so it records that and does not post again (at most once).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import or_, select
from sqlalchemy.ext.asyncio import AsyncConnection

from bot.store.tables_loop import buy_in_notes
from bot.store.upsert import insert_ignore

CLAIMED, SENT, UNCERTAIN = "claimed", "sent", "uncertain"
T = buy_in_notes


@dataclass(frozen=True, slots=True)
class NoteClaim:
    """The right to post one month's note; ``sending_since`` set: an earlier run began to."""

    period: str
    attempts: int
    previous_owner: str | None = None
    sending_since: datetime | None = None

    @property
    def may_be_posted(self) -> bool:
        return self.sending_since is not None


async def claim_note(
    conn: AsyncConnection, period: str, *, worker: str, now: datetime, lease: timedelta
) -> NoteClaim | None:
    """Claim the month's note, or take over a lapsed claim; None when it is done or held."""
    inserted = await conn.execute(
        insert_ignore(conn, T, ("period",)).values(
            period=period, state=CLAIMED, claimed_by=worker, created_at=now,
            lease_until=now + lease, attempts=1,
        )
    )  # fmt: skip
    if inserted.rowcount:
        return NoteClaim(period, 1)
    row = (await conn.execute(select(T).where(T.c.period == period))).one_or_none()
    lapsed = row is not None and (row.lease_until is None or row.lease_until <= now)
    if row is None or row.state != CLAIMED or not lapsed:
        return None
    taken = await conn.execute(
        T.update()
        .where(T.c.period == period, T.c.state == CLAIMED, T.c.attempts == row.attempts)
        .where(or_(T.c.lease_until.is_(None), T.c.lease_until <= now))
        .values(claimed_by=worker, lease_until=now + lease, attempts=row.attempts + 1)
    )
    if not taken.rowcount:
        return None  # another run took it over first
    return NoteClaim(period, row.attempts + 1, row.claimed_by, row.sending_since)


async def note_sending(conn: AsyncConnection, claim: NoteClaim, *, now: datetime) -> bool:
    """Mark the chat as about to be asked; False if the claim was lost meanwhile."""
    marked = await conn.execute(
        T.update()
        .where(T.c.period == claim.period, T.c.state == CLAIMED, T.c.attempts == claim.attempts)
        .values(sending_since=now)
    )
    return bool(marked.rowcount)


async def note_sent(conn: AsyncConnection, period: str, *, message_id: str, now: datetime) -> None:
    await conn.execute(
        T.update()
        .where(T.c.period == period)
        .values(state=SENT, message_id=message_id, sent_at=now)
    )


async def note_uncertain(conn: AsyncConnection, period: str, *, reason: str) -> None:
    """A stopped run may have posted it: settle the month without posting again."""
    await conn.execute(
        T.update()
        .where(T.c.period == period, T.c.state == CLAIMED)
        .values(state=UNCERTAIN, error=reason)
    )


async def release_note(conn: AsyncConnection, period: str) -> None:
    """The post failed before it reached the chat: let the next run try again."""
    await conn.execute(T.delete().where(T.c.period == period, T.c.state == CLAIMED))


async def note_state(conn: AsyncConnection, period: str) -> str | None:
    row = (await conn.execute(select(T.c.state).where(T.c.period == period))).one_or_none()
    return None if row is None else str(row.state)

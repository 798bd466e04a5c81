"""The prompt ledger: one row per (win, owner, round), claimed and leased like a digest.

The same pattern as the delivery ledger (bot.store.deliveries), for a direct message instead of
a channel digest: a unique key lets one worker through, a short lease renewed while it lives
lets another take over a killed worker's claim, and *sending_since*, committed before the
platform is asked, tells the new owner that the message may already be out, so it looks
(Slack) or parks the prompt as *uncertain* (Teams) instead of asking twice. Every takeover is a
compare-and-swap on ``attempts``.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import and_, func, literal, or_, select
from sqlalchemy.ext.asyncio import AsyncConnection

from bot.store.tables_loop import prompts
from bot.store.types import UTCDateTime
from bot.store.upsert import insert_ignore

CLAIMED, SENT, FAILED, UNCERTAIN, UNDELIVERABLE = (
    "claimed",
    "sent",
    "failed",
    "uncertain",
    "undeliverable",
)
SETTLED = (SENT, UNCERTAIN, UNDELIVERABLE)
MAX_ATTEMPTS = 5  # a prompt that failed this often is given up (the log says why)


@dataclass(frozen=True, slots=True)
class Prompt:
    id: int
    win_id: int
    user_id: str
    round: int
    state: str
    attempts: int
    claimed_by: str | None
    sending_since: datetime | None
    sent_at: datetime | None


@dataclass(frozen=True, slots=True)
class PromptClaim:
    """The right to send one prompt; ``resumed_from`` is the state taken over (None: new)."""

    prompt: Prompt
    resumed_from: str | None = None
    previous_owner: str | None = None

    @property
    def may_be_posted(self) -> bool:
        return self.resumed_from is not None and self.prompt.sending_since is not None


def _prompt(row: Any) -> Prompt:
    return Prompt(
        id=row.id,
        win_id=row.win_id,
        user_id=row.user_id,
        round=row.round,
        state=row.state,
        attempts=row.attempts,
        claimed_by=row.claimed_by,
        sending_since=row.sending_since,
        sent_at=row.sent_at,
    )


def _stalled(now: datetime) -> Any:
    return and_(
        prompts.c.state == CLAIMED,
        or_(prompts.c.lease_until.is_(None), prompts.c.lease_until < now),
    )


def _owed(now: datetime) -> Any:
    """Rows someone should (re)try: a failed send, or a claim whose owner stopped renewing."""
    return and_(or_(prompts.c.state == FAILED, _stalled(now)), prompts.c.attempts < MAX_ATTEMPTS)


async def _one(conn: AsyncConnection, win_id: int, user_id: str, round_: int) -> Prompt:
    row = (
        await conn.execute(
            select(prompts).where(
                prompts.c.win_id == win_id, prompts.c.user_id == user_id, prompts.c.round == round_
            )
        )
    ).one()
    return _prompt(row)


async def claim_prompt(
    conn: AsyncConnection,
    *,
    win_id: int,
    user_id: str,
    round_: int,
    worker: str,
    now: datetime,
    lease: timedelta,
) -> PromptClaim | None:
    """Claim one prompt; None when it is settled or held by a live owner."""
    inserted = await conn.execute(
        insert_ignore(conn, prompts, ("win_id", "user_id", "round")).values(
            win_id=win_id,
            user_id=user_id,
            round=round_,
            state=CLAIMED,
            claimed_by=worker,
            lease_until=now + lease,
            attempts=1,
            created_at=now,
        )
    )
    if inserted.rowcount:
        return PromptClaim(await _one(conn, win_id, user_id, round_))
    previous = await _one(conn, win_id, user_id, round_)
    taken = await conn.execute(
        prompts.update()
        .where(prompts.c.id == previous.id, prompts.c.attempts == previous.attempts, _owed(now))
        .values(
            state=CLAIMED,
            claimed_by=worker,
            lease_until=now + lease,
            attempts=previous.attempts + 1,
            error=None,
        )
    )
    if not taken.rowcount:
        return None
    return PromptClaim(
        await _one(conn, win_id, user_id, round_),
        resumed_from=previous.state,
        previous_owner=previous.claimed_by,
    )


async def owed_prompts(conn: AsyncConnection, now: datetime) -> list[Prompt]:
    """Failed or stalled prompts to take over (a killed worker's, a platform's bad minute)."""
    rows = await conn.execute(select(prompts).where(_owed(now)).order_by(prompts.c.id))
    return [_prompt(r) for r in rows]


def _held_by(worker: str, ids: Collection[int]) -> Any:
    return and_(
        prompts.c.id.in_(list(ids)), prompts.c.state == CLAIMED, prompts.c.claimed_by == worker
    )


async def renew_prompts(
    conn: AsyncConnection, ids: Collection[int], *, worker: str, now: datetime, lease: timedelta
) -> set[int]:
    """Extend the leases this worker still holds; returns the ids renewed."""
    if not ids:
        return set()
    result = await conn.execute(
        prompts.update()
        .where(_held_by(worker, ids))
        .values(lease_until=now + lease)
        .returning(prompts.c.id)
    )
    return {row.id for row in result}


async def start_sending(
    conn: AsyncConnection, prompt_id: int, *, worker: str, now: datetime, lease: timedelta
) -> bool:
    """Committed just before the platform is asked; False if the claim is no longer ours."""
    result = await conn.execute(
        prompts.update()
        .where(_held_by(worker, [prompt_id]), prompts.c.lease_until > now)
        .values(
            sending_since=func.coalesce(prompts.c.sending_since, literal(now, type_=UTCDateTime())),
            lease_until=now + lease,
        )
    )
    return bool(result.rowcount)


async def settle(
    conn: AsyncConnection,
    prompt_id: int,
    *,
    worker: str,
    state: str,
    now: datetime,
    message_ref: dict[str, Any] | None = None,
    error: str | None = None,
) -> bool:
    """Record how this worker's attempt ended (sent, failed, uncertain, undeliverable)."""
    values: dict[str, Any] = {"state": state, "lease_until": None, "error": error}
    if state == SENT:
        values.update(message_ref=message_ref, sent_at=now)
    result = await conn.execute(
        prompts.update().where(_held_by(worker, [prompt_id])).values(**values)
    )
    return bool(result.rowcount)


async def sent_first_prompts(conn: AsyncConnection, *, sent_before: datetime) -> list[Prompt]:
    """First prompts sent before ``sent_before`` whose reminder is not in the ledger yet."""
    reminder = prompts.alias("reminder")
    rows = await conn.execute(
        select(prompts)
        .outerjoin(
            reminder,
            and_(
                reminder.c.win_id == prompts.c.win_id,
                reminder.c.user_id == prompts.c.user_id,
                reminder.c.round == 1,
            ),
        )
        .where(
            prompts.c.round == 0,
            prompts.c.state == SENT,
            prompts.c.sent_at <= sent_before,
            reminder.c.id.is_(None),
        )
        .order_by(prompts.c.id)
    )
    return [_prompt(r) for r in rows]


async def prompt_ledger(conn: AsyncConnection) -> list[Prompt]:
    """Every prompt, oldest first (tests and `doctor`-style reports)."""
    return [_prompt(r) for r in await conn.execute(select(prompts).order_by(prompts.c.id))]

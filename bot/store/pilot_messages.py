"""The pilot ledger: one row per (campaign, kind, target), claimed and leased like a prompt.

What a pilot's end sends (``ask``: the learnings form to an owner; ``report``: the report to a
subscribed channel) goes through the same steps as a story prompt (bot.store.prompts): a unique
key lets one worker through, a short lease renewed while it lives lets another take over a
killed worker's claim, and *sending_since*, committed before the platform is asked, tells the
new owner the message may already be out. Every takeover is a compare-and-swap on ``attempts``.
The owners' answers (next step, case study) are kept beside it.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import and_, func, literal, or_, select
from sqlalchemy.ext.asyncio import AsyncConnection

from bot.domain.models import CaseStudy
from bot.store.tables import case_studies, wins
from bot.store.tables_loop import pilot_answers, pilot_messages
from bot.store.types import UTCDateTime
from bot.store.upsert import insert_ignore

ASK, REPORT = "ask", "report"
CLAIMED, SENT, FAILED, UNCERTAIN, UNDELIVERABLE = (
    "claimed",
    "sent",
    "failed",
    "uncertain",
    "undeliverable",
)
MAX_ATTEMPTS = 5
T = pilot_messages


@dataclass(frozen=True, slots=True)
class PilotMessage:
    id: int
    campaign_id: int
    kind: str
    target: str
    state: str
    attempts: int
    claimed_by: str | None
    sending_since: datetime | None
    sent_at: datetime | None


@dataclass(frozen=True, slots=True)
class PilotClaim:
    """The right to send one message; ``resumed_from`` is the state taken over (None: new)."""

    message: PilotMessage
    resumed_from: str | None = None
    previous_owner: str | None = None

    @property
    def may_be_posted(self) -> bool:
        return self.resumed_from is not None and self.message.sending_since is not None


@dataclass(frozen=True, slots=True)
class PilotAnswer:
    campaign_id: int
    user_id: str
    next_step: str
    case_study_id: int | None
    answered_at: datetime


def _message(row: Any) -> PilotMessage:
    return PilotMessage(
        id=row.id,
        campaign_id=row.campaign_id,
        kind=row.kind,
        target=row.target,
        state=row.state,
        attempts=row.attempts,
        claimed_by=row.claimed_by,
        sending_since=row.sending_since,
        sent_at=row.sent_at,
    )


def _owed(now: datetime) -> Any:
    """A failed send, or a claim whose owner stopped renewing, not yet given up."""
    stalled = and_(T.c.state == CLAIMED, or_(T.c.lease_until.is_(None), T.c.lease_until < now))
    return and_(or_(T.c.state == FAILED, stalled), T.c.attempts < MAX_ATTEMPTS)


async def _one(conn: AsyncConnection, campaign_id: int, kind: str, target: str) -> PilotMessage:
    row = (
        await conn.execute(
            select(T).where(T.c.campaign_id == campaign_id, T.c.kind == kind, T.c.target == target)
        )
    ).one()
    return _message(row)


async def claim_message(
    conn: AsyncConnection,
    *,
    campaign_id: int,
    kind: str,
    target: str,
    worker: str,
    now: datetime,
    lease: timedelta,
) -> PilotClaim | None:
    """Claim one message; None when it is settled or held by a live owner."""
    inserted = await conn.execute(
        insert_ignore(conn, T, ("campaign_id", "kind", "target")).values(
            campaign_id=campaign_id,
            kind=kind,
            target=target,
            state=CLAIMED,
            claimed_by=worker,
            lease_until=now + lease,
            attempts=1,
            created_at=now,
        )
    )
    if inserted.rowcount:
        return PilotClaim(await _one(conn, campaign_id, kind, target))
    previous = await _one(conn, campaign_id, kind, target)
    taken = await conn.execute(
        T.update()
        .where(T.c.id == previous.id, T.c.attempts == previous.attempts, _owed(now))
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
    return PilotClaim(
        await _one(conn, campaign_id, kind, target),
        resumed_from=previous.state,
        previous_owner=previous.claimed_by,
    )


def _held_by(worker: str, ids: Collection[int]) -> Any:
    return and_(T.c.id.in_(list(ids)), T.c.state == CLAIMED, T.c.claimed_by == worker)


async def renew_messages(
    conn: AsyncConnection, ids: Collection[int], *, worker: str, now: datetime, lease: timedelta
) -> set[int]:
    """Extend the leases this worker still holds; returns the ids renewed."""
    if not ids:
        return set()
    result = await conn.execute(
        T.update().where(_held_by(worker, ids)).values(lease_until=now + lease).returning(T.c.id)
    )
    return {row.id for row in result}


async def start_sending(
    conn: AsyncConnection, message_id: int, *, worker: str, now: datetime, lease: timedelta
) -> bool:
    """Committed just before the platform is asked; False if the claim is no longer ours."""
    result = await conn.execute(
        T.update()
        .where(_held_by(worker, [message_id]), T.c.lease_until > now)
        .values(
            sending_since=func.coalesce(T.c.sending_since, literal(now, type_=UTCDateTime())),
            lease_until=now + lease,
        )
    )
    return bool(result.rowcount)


async def settle(
    conn: AsyncConnection,
    message_id: int,
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
    result = await conn.execute(T.update().where(_held_by(worker, [message_id])).values(**values))
    return bool(result.rowcount)


async def pilot_ledger(
    conn: AsyncConnection, campaign_ids: Collection[int] | None = None
) -> list[PilotMessage]:
    """Every message (of these campaigns), oldest first."""
    stmt = select(T).order_by(T.c.id)
    if campaign_ids is not None:
        stmt = stmt.where(T.c.campaign_id.in_(list(campaign_ids)))
    return [_message(r) for r in await conn.execute(stmt)]


async def owed_messages(conn: AsyncConnection, now: datetime) -> list[PilotMessage]:
    """Failed or stalled messages to take over."""
    rows = await conn.execute(select(T).where(_owed(now)).order_by(T.c.id))
    return [_message(r) for r in rows]


async def save_answer(
    conn: AsyncConnection,
    *,
    campaign_id: int,
    user_id: str,
    next_step: str,
    case_study_id: int | None,
    now: datetime,
) -> None:
    """One answer per (campaign, owner): the form sent again replaces the earlier one."""
    inserted = await conn.execute(
        insert_ignore(conn, pilot_answers, ("campaign_id", "user_id")).values(
            campaign_id=campaign_id,
            user_id=user_id,
            next_step=next_step,
            case_study_id=case_study_id,
            answered_at=now,
        )
    )
    if not inserted.rowcount:
        await conn.execute(
            pilot_answers.update()
            .where(pilot_answers.c.campaign_id == campaign_id, pilot_answers.c.user_id == user_id)
            .values(next_step=next_step, case_study_id=case_study_id, answered_at=now)
        )


async def answers_of(conn: AsyncConnection, campaign_id: int) -> list[PilotAnswer]:
    """The owners' answers about one pilot, newest first."""
    rows = await conn.execute(
        select(pilot_answers)
        .where(pilot_answers.c.campaign_id == campaign_id)
        .order_by(pilot_answers.c.answered_at.desc(), pilot_answers.c.id.desc())
    )
    return [
        PilotAnswer(r.campaign_id, r.user_id, r.next_step, r.case_study_id, r.answered_at)
        for r in rows
    ]


async def goal_win_id(conn: AsyncConnection, campaign_id: int) -> int | None:
    """The win a pilot's reaching its goal was stored as, if it reached it."""
    row = (
        await conn.execute(
            select(wins.c.id).where(wins.c.campaign_id == campaign_id).order_by(wins.c.id).limit(1)
        )
    ).first()
    return int(row.id) if row else None


async def pilot_case_study_ids(conn: AsyncConnection, campaign_id: int) -> list[int]:
    """The stories told under the pilot's report (its owners' replies there), oldest first."""
    rows = await conn.execute(
        select(case_studies.c.id)
        .where(case_studies.c.campaign_id == campaign_id)
        .order_by(case_studies.c.id)
    )
    return [int(r.id) for r in rows]


async def case_studies_by_id(conn: AsyncConnection, ids: Collection[int]) -> list[CaseStudy]:
    """The case studies the owners' learnings were stored as (a pilot short of its goal has
    no win for them to hang on)."""
    if not ids:
        return []
    rows = await conn.execute(select(case_studies).where(case_studies.c.id.in_(list(ids))))
    return [
        CaseStudy(
            id=r.id,
            body=r.body,
            author=r.author,
            author_name=r.author_name,
            win_id=r.win_id,
            created_at=r.created_at,
            source=r.source,
            private_to=r.private_to,
            what_we_did=r.what_we_did,
            result=r.result,
            learned=r.learned,
        )
        for r in rows
    ]

"""The delivery ledger's leases: renewed while a worker lives, taken over once when it stops."""

from __future__ import annotations

import asyncio
from datetime import timedelta

from bot.domain.models import Audience, Chat, Schedule
from bot.ports import FixedClock
from bot.store.db import Database
from bot.store.deliveries import (
    Claim,
    claim,
    delivery_for,
    mark_failed,
    mark_sent,
    mark_uncertain,
    renew,
    stalled_claims,
    start_sending,
)
from bot.store.subscriptions import subscribe
from bot.usecases.delivery_leases import Heartbeat
from tests.conftest import NOW

LEASE = timedelta(seconds=60)
WEEK = "2026-W47"


async def subscription(db: Database) -> int:
    async with db.engine.begin() as conn:
        sub, _ = await subscribe(
            conn, chat=Chat.SLACK, workspace_id="T1", channel_id="C1", audience=Audience(),
            schedule=Schedule(), created_by="U1", now=NOW - timedelta(days=30),
        )  # fmt: skip
    return sub.id


async def take(db: Database, sub: int, worker: str, at: timedelta, **kw: bool) -> Claim | None:
    async with db.engine.begin() as conn:
        return await claim(
            conn, subscription_id=sub, period=WEEK, worker=worker, now=NOW + at, lease=LEASE,
            **kw,
        )  # fmt: skip


async def test_a_live_claim_is_not_taken_over_and_a_lapsed_one_is_taken_over_once(
    db: Database,
) -> None:
    sub = await subscription(db)
    first = await take(db, sub, "w1", timedelta(0))
    assert first is not None and first.resumed_from is None and not first.may_be_posted
    assert await take(db, sub, "w2", timedelta(seconds=59)) is None  # the lease still runs
    async with db.engine.connect() as conn:
        assert await stalled_claims(conn, NOW + timedelta(seconds=59)) == []
        [stalled] = await stalled_claims(conn, NOW + timedelta(seconds=61))
    assert (stalled.id, stalled.claimed_by) == (first.id, "w1")

    taken = await take(db, sub, "w2", timedelta(seconds=61))
    again = await take(db, sub, "w3", timedelta(seconds=61))
    assert taken is not None and again is None  # one takeover, never two
    assert (taken.resumed_from, taken.previous_owner) == ("claimed", "w1")
    assert taken.delivery.attempts == 2 and taken.delivery.claimed_by == "w2"


async def test_the_heartbeat_renews_the_claims_held_and_only_those(db: Database) -> None:
    sub = await subscription(db)
    held = await take(db, sub, "w1", timedelta(0))
    assert held is not None
    clock = FixedClock(NOW + timedelta(seconds=50))
    heartbeat = Heartbeat(db, clock, worker="w1", lease=timedelta(seconds=0.3))
    heartbeat.hold(held.id)
    await asyncio.sleep(0.25)  # at least two beats of 0.1 s
    async with db.engine.connect() as conn:
        renewed = await delivery_for(conn, sub, WEEK)
    assert renewed is not None and renewed.lease_until == clock.moment + timedelta(seconds=0.3)
    # Another worker's heartbeat does not touch it; the owner's reports nothing lost.
    async with db.engine.begin() as conn:
        assert await renew(conn, [held.id], worker="w2", now=NOW, lease=LEASE) == set()
    assert await heartbeat.renew_now() == set()
    heartbeat.release(held.id)
    await heartbeat.close()


async def test_a_worker_that_lost_its_claim_can_neither_post_nor_fail_it(db: Database) -> None:
    sub = await subscription(db)
    old = await take(db, sub, "w1", timedelta(0))
    new = await take(db, sub, "w2", timedelta(seconds=61))
    assert old is not None and new is not None
    later = NOW + timedelta(seconds=62)
    async with db.engine.begin() as conn:
        assert not await start_sending(conn, old.id, worker="w1", now=later, lease=LEASE)
        await mark_failed(conn, old.id, worker="w1", error="late")
        assert await start_sending(conn, new.id, worker="w2", now=later, lease=LEASE)
        row = await delivery_for(conn, sub, WEEK)
    assert row is not None and (row.state, row.claimed_by, row.error) == ("claimed", "w2", None)
    heartbeat = Heartbeat(db, FixedClock(later), worker="w1", lease=LEASE)
    heartbeat.held.add(old.id)
    assert await heartbeat.renew_now() == {old.id}  # noticed, and logged


async def test_a_claim_past_its_lease_cannot_start_sending(db: Database) -> None:
    sub = await subscription(db)
    held = await take(db, sub, "w1", timedelta(0))
    assert held is not None
    async with db.engine.begin() as conn:
        late = NOW + timedelta(seconds=61)  # nobody took it over yet, but someone may now
        assert not await start_sending(conn, held.id, worker="w1", now=late, lease=LEASE)


async def test_sending_since_keeps_the_first_attempt_until_a_forced_resend(db: Database) -> None:
    sub = await subscription(db)
    first = await take(db, sub, "w1", timedelta(0))
    assert first is not None
    async with db.engine.begin() as conn:
        assert await start_sending(conn, first.id, worker="w1", now=NOW, lease=LEASE)
    second = await take(db, sub, "w2", timedelta(seconds=61))
    assert second is not None and second.may_be_posted
    async with db.engine.begin() as conn:
        later = NOW + timedelta(seconds=70)
        assert await start_sending(conn, second.id, worker="w2", now=later, lease=LEASE)
        assert await mark_uncertain(conn, second.id, worker="w2", reason="cannot tell")
        assert not await mark_uncertain(conn, second.id, worker="w2", reason="again")
        row = await delivery_for(conn, sub, WEEK)
    assert row is not None and row.sending_since == NOW  # where a later owner looks from
    assert row.state == "uncertain"

    assert await take(db, sub, "w3", timedelta(hours=1)) is None  # uncertain waits for a person
    forced = await take(db, sub, "admin", timedelta(hours=1), force=True)
    assert forced is not None and forced.resumed_from is None and not forced.may_be_posted
    assert forced.delivery.sending_since is None


async def test_a_failed_delivery_is_retried_and_a_sent_one_only_by_force(db: Database) -> None:
    sub = await subscription(db)
    first = await take(db, sub, "w1", timedelta(0))
    assert first is not None
    async with db.engine.begin() as conn:
        await mark_failed(conn, first.id, worker="w1", error="Slack 500")
    retry = await take(db, sub, "w2", timedelta(seconds=1))
    assert retry is not None and retry.resumed_from == "failed" and not retry.may_be_posted
    async with db.engine.begin() as conn:
        await mark_sent(conn, retry.id, message_ref={"id": "1.0"}, now=NOW)
    assert await take(db, sub, "w3", timedelta(days=1)) is None
    assert await take(db, sub, "w3", timedelta(days=1), force=True) is not None

"""Digest delivery: the right digest to the right channel at its local time, exactly once.

Claim (ledger row with a short lease, renewed by a heartbeat while this worker lives) ->
compose -> mark *sending* -> post, naming the delivery -> mark sent with the message id, which
is also recorded as a posted message so replies in the digest's thread become case studies.
Any number of schedulers may call this at once; the ledger lets one of them through.

A worker killed between posting and recording leaves a claim that stops being renewed. Whoever
takes it over first asks the platform whether the digest is already in the channel (Slack: the
message metadata names the delivery) and records it instead of posting it again; where the
platform cannot be asked (Teams) the delivery is parked as *uncertain* and the admins are told,
because a person can look and a second digest cannot be taken back.
"""

from __future__ import annotations

import asyncio
import logging
import os
import socket
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from bot.charts.drawing import render_trend_chart
from bot.domain.layout import digest_layout
from bot.domain.models import Chat, Subscription
from bot.domain.periods import Period
from bot.domain.schedules import last_due, period_for
from bot.domain.views import DigestView
from bot.ports import ChatSender, DigestLookupError, PermanentDeliveryError
from bot.store.deliveries import (
    CLAIMED,
    SETTLED,
    Claim,
    claim,
    delivery_for,
    mark_broken,
    mark_failed,
    mark_sent,
    mark_skipped,
    mark_uncertain,
    record_skipped,
    retry_later,
    stalled_claims,
    start_sending,
)
from bot.store.subscriptions import list_subscriptions, record_posted
from bot.usecases.answering import TtlCache
from bot.usecases.delivery_leases import Heartbeat
from bot.usecases.delivery_notices import one_line, tell_admins, tell_subscriber
from bot.usecases.results import WinsService

log = logging.getLogger("winsbot.delivery")

COMPOSED_SECONDS = 600.0  # a composed digest is reused by channels due within ten minutes
# Look for a stopped worker's message from a little before it began posting: the platform's
# clock and ours may disagree by a few seconds, and the delivery id makes any match exact.
CLOCK_SKEW = timedelta(minutes=5)
PLATFORM = {Chat.SLACK: "Slack", Chat.TEAMS: "Teams"}


@dataclass(frozen=True, slots=True)
class Outcome:
    subscription_id: int
    period: str
    # sent | recovered (a stopped worker had posted it: recorded, not re-posted) |
    # already-handled | skipped | failed | broken | uncertain | no-sender
    result: str
    message_id: str | None = None
    detail: str | None = None


def worker_name() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


class DigestRunner:
    def __init__(
        self,
        service: WinsService,
        senders: dict[Chat, ChatSender],
        *,
        worker: str | None = None,
        lease: timedelta | None = None,
    ) -> None:
        self.service = service
        self.senders = senders
        self.worker = worker or worker_name()
        self.lease = lease or timedelta(seconds=service.settings.delivery_lease_seconds)
        # Many channels share an audience: compose each (audience, period) digest and its chart
        # once per run of due deliveries, not once per channel.
        self._composed: TtlCache[tuple[DigestView, bytes | None]] = TtlCache(
            COMPOSED_SECONDS, max_entries=256
        )
        self._composing: dict[tuple[str, str], asyncio.Lock] = {}
        # Claims this worker holds and has not settled: their leases are renewed while it lives.
        self.heartbeat = Heartbeat(service.db, service.clock, worker=self.worker, lease=self.lease)

    @property
    def grace(self) -> timedelta:
        return timedelta(hours=self.service.settings.missed_run_grace_hours)

    async def subscriptions(self) -> list[Subscription]:
        async with self.service.db.engine.connect() as conn:
            return [
                s for s in await list_subscriptions(conn) if s.active and s.broken_reason is None
            ]

    async def deliver(
        self, subscription: Subscription, due: datetime, *, force: bool = False
    ) -> Outcome:
        """Send the digest due at ``due`` unless it is already sent or being sent elsewhere."""
        return await self.deliver_period(
            subscription, period_for(subscription.schedule, due), force=force
        )

    async def deliver_period(
        self, subscription: Subscription, period: Period, *, force: bool = False
    ) -> Outcome:
        """Send one period's digest (``force`` resends a sent, skipped or uncertain one)."""
        now = self.service.clock.now()
        sender = self.senders.get(subscription.chat)
        if sender is None:
            return Outcome(subscription.id, period.label, "no-sender", detail=subscription.chat)
        try:
            async with self.service.db.engine.begin() as conn:
                claimed = await claim(
                    conn, subscription_id=subscription.id, period=period.label,
                    worker=self.worker, now=now, lease=self.lease, force=force,
                )  # fmt: skip
        except Exception as exc:  # the database is busy or down: the next pass tries again
            log.warning("could not claim %s for subscription %s: %s", period.label,
                        subscription.id, exc)  # fmt: skip
            return Outcome(subscription.id, period.label, "failed", detail=type(exc).__name__)
        if claimed is None:
            return Outcome(subscription.id, period.label, "already-handled")
        self.heartbeat.hold(claimed.id)
        try:
            if claimed.may_be_posted:
                settled = await self._settle_earlier_attempt(subscription, period, claimed, sender)
                if settled is not None:
                    return settled
            return await self._send(subscription, period, claimed, sender, force=force)
        finally:
            self.heartbeat.release(claimed.id)

    async def _send(
        self, subscription: Subscription, period: Period, claimed: Claim, sender: ChatSender,
        *, force: bool = False,
    ) -> Outcome:  # fmt: skip
        label = period.label
        try:
            view, chart = await self._compose(subscription, period)
        except Exception as exc:  # our own code or the database, not the platform: show it all
            log.exception("composing digest %s for subscription %s failed", label, subscription.id)
            return await self._failed(subscription, claimed.id, label, exc)
        if view.is_quiet and self.service.settings.empty_period == "skip" and not force:
            return await self._skip_empty(subscription, claimed.id, period)
        async with self.service.db.engine.begin() as conn:
            ours = await start_sending(
                conn, claimed.id, worker=self.worker, now=self.service.clock.now(),
                lease=self.lease,
            )  # fmt: skip
        if not ours:  # this worker stalled past its lease and another one took over
            log.warning("lost the claim on digest %s for subscription %s to another worker",
                        label, subscription.id)  # fmt: skip
            return Outcome(subscription.id, label, "already-handled", detail="claim lost")
        try:
            message_id = await sender.post_digest(
                subscription.channel_id, view, chart_png=chart, delivery_id=claimed.id
            )
        except PermanentDeliveryError as exc:
            return await self._broken(subscription, claimed.id, label, str(exc))
        except Exception as exc:  # the platform's trouble after its own retries: try next pass
            log.warning("digest %s for subscription %s failed: %s", label, subscription.id,
                        one_line(exc))  # fmt: skip
            return await self._failed(subscription, claimed.id, label, exc)
        await self._record_sent(subscription, claimed.id, message_id)
        log.info("sent digest %s to subscription %s", label, subscription.id)
        return Outcome(subscription.id, label, "sent", message_id=message_id)

    async def _settle_earlier_attempt(
        self, subscription: Subscription, period: Period, claimed: Claim, sender: ChatSender
    ) -> Outcome | None:
        """Before posting again what an earlier owner began posting, ask the platform.

        Returns the outcome when that settles it, None when the digest is surely not there.
        """
        label, since = period.label, claimed.delivery.sending_since
        assert since is not None  # may_be_posted
        try:
            found = await sender.find_digest(
                subscription.channel_id, claimed.id, since - CLOCK_SKEW
            )
        except DigestLookupError as exc:
            if claimed.resumed_from != CLAIMED:
                return None  # a send that failed with an answer: retried, as it always was
            return await self._uncertain(subscription, claimed, label, str(exc))
        except PermanentDeliveryError as exc:
            return await self._broken(subscription, claimed.id, label, str(exc))
        except Exception as exc:  # not a "no": look again after a lease, never post blindly
            log.warning("could not look for digest %s in %s: %s", label,
                        subscription.channel_id, one_line(exc))  # fmt: skip
            async with self.service.db.engine.begin() as conn:
                await retry_later(
                    conn, claimed.id, worker=self.worker, now=self.service.clock.now(),
                    lease=self.lease, error=one_line(exc),
                )  # fmt: skip
            return Outcome(subscription.id, label, "failed", detail=type(exc).__name__)
        if found is None:
            return None
        await self._record_sent(subscription, claimed.id, found)
        log.info("digest %s for subscription %s was already posted by %s; recorded, not "
                 "posted again", label, subscription.id, claimed.previous_owner)  # fmt: skip
        return Outcome(subscription.id, label, "recovered", message_id=found)

    async def _skip_empty(
        self, subscription: Subscription, delivery_id: int, period: Period
    ) -> Outcome:
        """Nothing to report and WINSBOT_EMPTY_PERIOD=skip: post nothing, settle it for good."""
        reason = f"nothing to report this {period.noun}: not posted (WINSBOT_EMPTY_PERIOD=skip)"
        async with self.service.db.engine.begin() as conn:
            ours = await mark_skipped(conn, delivery_id, worker=self.worker, reason=reason)
        if not ours:
            return Outcome(subscription.id, period.label, "already-handled", detail="claim lost")
        log.info("digest %s for subscription %s: %s", period.label, subscription.id, reason)
        return Outcome(subscription.id, period.label, "skipped", detail=reason)

    async def _record_sent(self, subscription: Subscription, delivery_id: int, msg: str) -> None:
        async with self.service.db.engine.begin() as conn:
            await mark_sent(
                conn, delivery_id,
                message_ref={"chat": subscription.chat.value,
                             "channel": subscription.channel_id, "id": msg},
                now=self.service.clock.now(),
            )  # fmt: skip
            await record_posted(
                conn, chat=subscription.chat, workspace_id=subscription.workspace_id,
                channel_id=subscription.channel_id, message_id=msg, kind="digest",
                delivery_id=delivery_id, now=self.service.clock.now(),
            )  # fmt: skip

    async def _failed(
        self, subscription: Subscription, delivery_id: int, period: str, exc: Exception
    ) -> Outcome:
        async with self.service.db.engine.begin() as conn:
            await mark_failed(conn, delivery_id, worker=self.worker, error=one_line(exc))
        return Outcome(subscription.id, period, "failed", detail=type(exc).__name__)

    async def _uncertain(
        self, subscription: Subscription, claimed: Claim, period: str, reason: str
    ) -> Outcome:
        detail = f"{claimed.previous_owner or 'a worker'} stopped while posting it; {reason}"
        async with self.service.db.engine.begin() as conn:
            first_time = await mark_uncertain(conn, claimed.id, worker=self.worker, reason=detail)
        if first_time:
            await tell_admins(
                self.senders, self.service.settings.admin_ids,
                f"The {subscription.audience.name} digest for {period} may or may not be in "
                f"{PLATFORM[subscription.chat]} channel {subscription.channel_id}: {detail}. "
                "winsbot will not post it again on its own. Look in the channel; if it is "
                f"missing, type `winsbot digest send --subscription {subscription.id} "
                f"--period {period} --force`.",
            )  # fmt: skip
        return Outcome(subscription.id, period, "uncertain", detail=reason)

    async def close(self) -> None:
        """At shutdown: stop renewing; unsettled claims lapse and are taken over elsewhere."""
        await self.heartbeat.close()

    # ---------------------------------------------------------------------------- composing

    async def _compose(
        self, subscription: Subscription, period: Period
    ) -> tuple[DigestView, bytes | None]:
        key = (subscription.audience.model_dump_json(), f"{period.label}@{period.tz}")
        async with self._composing.setdefault(key, asyncio.Lock()):
            composed = self._composed.get(key)
            if composed is None:
                view = await self.service.digest(subscription.audience, period)
                # matplotlib is CPU work: off the event loop, so chat requests keep flowing.
                chart = await asyncio.to_thread(self._chart, view, subscription)
                composed = (view, chart)
                self._composed.put(key, composed)
        return composed

    def forget_composed(self) -> None:
        """Start afresh (numbers move on): called at the start of each catch-up pass."""
        self._composed.clear()
        self._composing.clear()

    def _chart(self, view: DigestView, subscription: Subscription) -> bytes | None:
        if digest_layout(view).trend is None:  # thirteen weeks of nothing: no picture of it
            return None
        directory: Path = self.service.settings.output_dir / "digests"
        path = directory / f"{subscription.audience.name}-{view.period_label}.png"
        return render_trend_chart(view, path).read_bytes()

    async def _broken(
        self, subscription: Subscription, delivery_id: int, period: str, reason: str
    ) -> Outcome:
        async with self.service.db.engine.begin() as conn:
            await mark_failed(conn, delivery_id, worker=self.worker, error=reason)
            first_time = await mark_broken(conn, subscription.id, reason=reason)
        if first_time:
            await tell_subscriber(self.senders, subscription, reason)
        return Outcome(subscription.id, period, "broken", detail=reason)

    # ------------------------------------------------------------------------------- passes

    async def deliver_due(self, subscription_id: int) -> Outcome | None:
        """What a scheduled job runs: the digest due now for one subscription."""
        for subscription in await self.subscriptions():
            if subscription.id == subscription_id:
                due = last_due(subscription.schedule, self.service.clock.now())
                return await self.deliver(subscription, due)
        return None  # unsubscribed or broken since the job was scheduled

    async def take_over_stalled(self) -> list[Outcome]:
        """Deliveries of this period whose worker stopped renewing its claim, taken over.

        Runs every heartbeat, so a killed worker's digests go out about a lease later instead
        of at the next catch-up pass. Older stalled claims are left to a person (`digest
        status` shows them).
        """
        now = self.service.clock.now()
        async with self.service.db.engine.connect() as conn:
            stalled = await stalled_claims(conn, now)
        if not stalled:
            return []
        active = {s.id: s for s in await self.subscriptions()}
        owed: list[tuple[Subscription, Period]] = []
        for delivery in stalled:
            subscription = active.get(delivery.subscription_id)
            if subscription is None:
                continue  # unsubscribed or broken since
            due = last_due(subscription.schedule, now)
            period = period_for(subscription.schedule, due)
            if period.label == delivery.period and now - due <= self.grace:
                owed.append((subscription, period))
        return await self._each(owed, lambda s, p: self.deliver_period(s, p))

    async def catch_up(self) -> list[Outcome]:
        """Send what is due and unsent within the grace window; record older misses as skipped.

        Runs at start-up and periodically, so a crash, a restart or a failed send is retried
        without waiting a week, and nothing goes out late on Tuesday.
        """
        now = self.service.clock.now()
        self.forget_composed()

        async def one(subscription: Subscription, period: Period) -> Outcome | None:
            async with self.service.db.engine.connect() as conn:
                existing = await delivery_for(conn, subscription.id, period.label)
            if existing is not None and existing.state in SETTLED:
                return None
            due = last_due(subscription.schedule, now)
            if now - due <= self.grace:
                return await self.deliver(subscription, due)
            async with self.service.db.engine.begin() as conn:
                await record_skipped(
                    conn, subscription_id=subscription.id, period=period.label, now=now,
                    reason=f"missed: not sent within {self.grace} of {due:%a %H:%M} UTC",
                )  # fmt: skip
            return Outcome(subscription.id, period.label, "skipped")

        owed = []
        for subscription in await self.subscriptions():
            due = last_due(subscription.schedule, now)
            if due >= subscription_start(subscription):
                owed.append((subscription, period_for(subscription.schedule, due)))
        return await self._each(owed, one)

    async def _each(
        self,
        owed: list[tuple[Subscription, Period]],
        step: Callable[[Subscription, Period], Awaitable[Outcome | None]],
    ) -> list[Outcome]:
        """Run ``step`` for each, ``delivery_concurrency`` at a time; one failure hides none."""
        limit = asyncio.Semaphore(self.service.settings.delivery_concurrency)

        async def limited(subscription: Subscription, period: Period) -> Outcome | None:
            async with limit:
                return await step(subscription, period)

        results = await asyncio.gather(*(limited(s, p) for s, p in owed), return_exceptions=True)
        outcomes = []
        for result in results:
            if isinstance(result, BaseException):
                log.error("digest step failed", exc_info=result)
            elif result is not None:
                outcomes.append(result)
        return outcomes


def subscription_start(subscription: Subscription) -> datetime:
    """Digests due before a channel subscribed are not owed to it."""
    return subscription.created_at or datetime.min.replace(tzinfo=UTC)

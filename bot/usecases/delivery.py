"""Digest delivery: the right digest to the right channel at its local time, exactly once.

Claim (ledger row with a lease) -> compose -> send -> mark sent with the message id, which is
also recorded as a posted message so replies in the digest's thread become case studies. Any
number of schedulers may call this at once; the ledger lets one of them through.
"""

from __future__ import annotations

import asyncio
import logging
import os
import socket
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from bot.charts.drawing import render_engagement_chart
from bot.domain.models import Chat, Subscription
from bot.domain.periods import Period
from bot.domain.schedules import last_due, period_for
from bot.domain.views import DigestView
from bot.ports import ChatSender, PermanentDeliveryError
from bot.store.deliveries import (
    claim,
    delivery_for,
    mark_broken,
    mark_failed,
    mark_sent,
    record_skipped,
)
from bot.store.subscriptions import list_subscriptions, record_posted
from bot.usecases.answering import TtlCache
from bot.usecases.results import WinsService

log = logging.getLogger("winsbot.delivery")

LEASE = timedelta(minutes=10)
COMPOSED_SECONDS = 600.0  # a composed digest is reused by channels due within ten minutes


@dataclass(frozen=True, slots=True)
class Outcome:
    subscription_id: int
    period: str
    result: str  # sent | already-handled | skipped | failed | broken | no-sender
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
        lease: timedelta = LEASE,
    ) -> None:
        self.service = service
        self.senders = senders
        self.worker = worker or worker_name()
        self.lease = lease
        # Many channels share an audience: compose each (audience, period) digest and its chart
        # once per run of due deliveries, not once per channel.
        self._composed: TtlCache[tuple[DigestView, bytes | None]] = TtlCache(
            COMPOSED_SECONDS, max_entries=256
        )
        self._composing: dict[tuple[str, str], asyncio.Lock] = {}

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
        """Send one period's digest (``force`` resends one already sent or skipped)."""
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
        try:
            view, chart = await self._compose(subscription, period)
            message_id = await sender.post_digest(subscription.channel_id, view, chart_png=chart)
        except PermanentDeliveryError as exc:
            return await self._broken(subscription, claimed.id, period.label, str(exc))
        except Exception as exc:
            log.exception("digest %s for subscription %s failed", period.label, subscription.id)
            async with self.service.db.engine.begin() as conn:
                await mark_failed(conn, claimed.id, error=f"{type(exc).__name__}: {exc}")
            return Outcome(subscription.id, period.label, "failed", detail=type(exc).__name__)
        async with self.service.db.engine.begin() as conn:
            await mark_sent(
                conn, claimed.id,
                message_ref={"chat": subscription.chat.value,
                             "channel": subscription.channel_id, "id": message_id},
                now=self.service.clock.now(),
            )  # fmt: skip
            await record_posted(
                conn, chat=subscription.chat, workspace_id=subscription.workspace_id,
                channel_id=subscription.channel_id, message_id=message_id, kind="digest",
                delivery_id=claimed.id, now=self.service.clock.now(),
            )  # fmt: skip
        log.info("sent digest %s to subscription %s", period.label, subscription.id)
        return Outcome(subscription.id, period.label, "sent", message_id=message_id)

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
        if not view.engagement_by_platform:
            return None
        directory: Path = self.service.settings.output_dir / "digests"
        path = directory / f"{subscription.audience.name}-{view.period_label}.png"
        return render_engagement_chart(view, path).read_bytes()

    async def _broken(
        self, subscription: Subscription, delivery_id: int, period: str, reason: str
    ) -> Outcome:
        async with self.service.db.engine.begin() as conn:
            await mark_failed(conn, delivery_id, error=reason)
            first_time = await mark_broken(conn, subscription.id, reason=reason)
        if first_time:
            await self._tell(subscription, reason)
        return Outcome(subscription.id, period, "broken", detail=reason)

    async def _tell(self, subscription: Subscription, reason: str) -> None:
        """Tell the person who subscribed, once; the log is the fallback when that fails too."""
        from bot.domain.views import NoticeView

        log.warning(
            "subscription %s (%s %s) is broken: %s", subscription.id, subscription.chat.value,
            subscription.channel_id, reason,
        )  # fmt: skip
        sender = self.senders.get(subscription.chat)
        if sender is None or not subscription.created_by or subscription.chat is not Chat.SLACK:
            return  # Teams needs a 1:1 conversation reference to reach a person; logged above
        notice = NoticeView(
            text=f"The {subscription.audience.name} digest could not be posted to "
            f"<#{subscription.channel_id}> ({reason}); it is paused. Invite winsbot back to "
            "the channel and subscribe again to resume it.",
            ok=False,
        )
        try:
            await sender.post(subscription.created_by, notice)
        except Exception:  # the channel is gone; the person may be too
            log.warning("could not tell %s about the broken subscription", subscription.created_by)

    async def deliver_due(self, subscription_id: int) -> Outcome | None:
        """What a scheduled job runs: the digest due now for one subscription."""
        for subscription in await self.subscriptions():
            if subscription.id == subscription_id:
                due = last_due(subscription.schedule, self.service.clock.now())
                return await self.deliver(subscription, due)
        return None  # unsubscribed or broken since the job was scheduled

    async def catch_up(self) -> list[Outcome]:
        """Send what is due and unsent within the grace window; record older misses as skipped.

        Runs at start-up and periodically, so a crash, a restart or a failed send is retried
        without waiting a week, and nothing goes out late on Tuesday.
        """
        now = self.service.clock.now()
        self.forget_composed()
        limit = asyncio.Semaphore(self.service.settings.delivery_concurrency)

        async def one(subscription: Subscription) -> Outcome | None:
            due = last_due(subscription.schedule, now)
            if due < subscription_start(subscription):
                return None
            period = period_for(subscription.schedule, due).label
            async with limit:
                async with self.service.db.engine.connect() as conn:
                    existing = await delivery_for(conn, subscription.id, period)
                if existing is not None and existing.state in ("sent", "skipped"):
                    return None
                if now - due <= self.grace:
                    return await self.deliver(subscription, due)
                async with self.service.db.engine.begin() as conn:
                    await record_skipped(
                        conn, subscription_id=subscription.id, period=period, now=now,
                        reason=f"missed: not sent within {self.grace} of {due:%a %H:%M} UTC",
                    )  # fmt: skip
                return Outcome(subscription.id, period, "skipped")

        results = await asyncio.gather(
            *(one(s) for s in await self.subscriptions()), return_exceptions=True
        )
        outcomes = []
        for result in results:
            if isinstance(result, BaseException):
                # One channel's trouble must not hide the rest of the pass.
                log.error("catch-up step failed", exc_info=result)
            elif result is not None:
                outcomes.append(result)
        return outcomes


def subscription_start(subscription: Subscription) -> datetime:
    """Digests due before a channel subscribed are not owed to it."""
    return subscription.created_at or datetime.min.replace(tzinfo=UTC)

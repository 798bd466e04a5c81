"""The heartbeat of a worker's digest claims: short leases, renewed while the worker lives.

A claim lasts one lease (WINSBOT_DELIVERY_LEASE_SECONDS) unless renewed. While this worker
holds claims it renews them every third of a lease, so one slow renewal never lets a live claim
lapse, and a killed worker's claims lapse within a lease, to be taken over by another worker.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from datetime import timedelta

from bot.ports import Clock
from bot.store.db import Database
from bot.store.deliveries import renew

log = logging.getLogger("winsbot.delivery")


class Heartbeat:
    """Renews the leases of the claims held, in one UPDATE per beat, while there are any."""

    def __init__(self, db: Database, clock: Clock, *, worker: str, lease: timedelta) -> None:
        self.db = db
        self.clock = clock
        self.worker = worker
        self.lease = lease
        self.held: set[int] = set()
        self._task: asyncio.Task[None] | None = None
        self._wake: asyncio.Event | None = None

    @property
    def interval(self) -> float:
        return self.lease.total_seconds() / 3

    def hold(self, delivery_id: int) -> None:
        self.held.add(delivery_id)
        if self._task is None or self._task.done():
            self._wake = asyncio.Event()
            self._task = asyncio.create_task(self._beat(self._wake), name="delivery heartbeat")

    def release(self, delivery_id: int) -> None:
        self.held.discard(delivery_id)
        if not self.held and self._wake is not None:
            self._wake.set()  # nothing left to renew: the beat ends, never in mid-query

    async def _beat(self, wake: asyncio.Event) -> None:
        while self.held:
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(wake.wait(), timeout=self.interval)
            wake.clear()
            await self.renew_now()

    async def renew_now(self) -> set[int]:
        """Renew every held lease once; returns the ids this worker no longer holds."""
        held = set(self.held)
        if not held:
            return set()
        try:
            async with self.db.engine.begin() as conn:
                renewed = await renew(
                    conn, held, worker=self.worker, now=self.clock.now(), lease=self.lease
                )
        except Exception as exc:  # the next beat tries again: a lease is three beats long
            log.warning(
                "could not renew %d digest claims: %s: %s", len(held), type(exc).__name__, exc
            )
            return set()
        lost = (held - renewed) & self.held
        if lost:
            log.warning("digest claims %s were taken over by another worker", sorted(lost))
        return lost

    async def close(self) -> None:
        """Stop beating (at shutdown): unsettled claims lapse and are taken over elsewhere."""
        self.held.clear()
        if self._wake is not None:
            self._wake.set()
        if self._task is not None:
            await asyncio.gather(self._task, return_exceptions=True)
            self._task = None

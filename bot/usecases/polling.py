"""Polling use case: read every configured account, store what changed, then find wins.

Each round re-reads posts younger than a week (their counts are still growing), reaches back a
month once a day, and reads 90 days on an account's first round. One source failing (a revoked
token, an outage) marks that source unhealthy and the others carry on; nothing stored is lost.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from bot.domain.admission import admit
from bot.domain.models import Platform, RowProblem, SourceAccount, SourceItem
from bot.ports import Source, SourceAuthError, SourceError
from bot.store.accounts import newest_post_time, register_account
from bot.usecases.detection import DetectionReport
from bot.usecases.results import WinsService

log = logging.getLogger("winsbot.polling")

YOUNG = timedelta(days=7)
OLD = timedelta(days=30)
OLD_EVERY = timedelta(hours=24)
FIRST = timedelta(days=90)


@dataclass
class SourceHealth:
    healthy: bool = True
    message: str | None = None
    told: bool = False
    last_round: datetime | None = None


@dataclass
class PollReport:
    accounts: int = 0
    items: int = 0
    snapshots_added: int = 0
    problems: list[str] = field(default_factory=list)
    failed: dict[str, str] = field(default_factory=dict)  # "platform:handle" -> reason
    detection: DetectionReport | None = None


Notify = Callable[[Platform, str], Awaitable[None]]


class Poller:
    def __init__(
        self,
        service: WinsService,
        sources: dict[Platform, Source],
        accounts_to_poll: list[SourceAccount],
        *,
        notify: Notify | None = None,
        concurrency: int = 4,
    ) -> None:
        self.service = service
        self.concurrency = concurrency
        self._writing = asyncio.Lock()
        self.sources = sources
        self.accounts = accounts_to_poll
        self.notify = notify
        self.health: dict[Platform, SourceHealth] = {p: SourceHealth() for p in sources}
        self._old_read: dict[tuple[Platform, str], datetime] = {}

    async def register_accounts(self) -> None:
        """Make the configured accounts (kind, tags) the truth in the store."""
        async with self.service.db.engine.begin() as conn:
            for account in self.accounts:
                await register_account(
                    conn, account.platform, account.handle, kind=account.kind, tags=account.tags
                )

    async def since(self, account: SourceAccount, now: datetime) -> datetime:
        async with self.service.db.engine.connect() as conn:
            newest = await newest_post_time(conn, account.platform, account.handle)
        if newest is None:
            return now - FIRST
        key = (account.platform, account.handle)
        last_old = self._old_read.get(key)
        if last_old is None or now - last_old >= OLD_EVERY:
            self._old_read[key] = now
            return now - OLD
        return now - YOUNG

    async def poll(
        self,
        platform: Platform | None = None,
        *,
        on_account: Callable[[SourceAccount, int], None] | None = None,
        detect: bool = True,
    ) -> PollReport:
        """One round over every source (or one); wins are detected right after."""
        report = PollReport()
        for source_platform, source in self.sources.items():
            if platform is not None and source_platform is not platform:
                continue
            await self._poll_source(source, report, on_account)
        if detect:
            report.detection = await self.service.detect()
        return report

    async def _poll_source(
        self,
        source: Source,
        report: PollReport,
        on_account: Callable[[SourceAccount, int], None] | None,
    ) -> None:
        """Read a source's accounts a few at a time; a credentials failure stops the rest."""
        health = self.health[source.platform]
        now = self.service.clock.now()
        limit = asyncio.Semaphore(self.concurrency)
        refused = asyncio.Event()

        async def one(account: SourceAccount) -> None:
            async with limit:
                if refused.is_set():
                    return  # the same credentials would fail again
                name = f"{account.platform.value}:{account.handle}"
                try:
                    items = await source.fetch(account, await self.since(account, now))
                except SourceAuthError as exc:
                    refused.set()
                    report.failed[name] = str(exc)
                    await self._unhealthy(source.platform, str(exc))
                    return
                except SourceError as exc:
                    log.warning("%s: %s", name, exc)
                    report.failed[name] = str(exc)
                    return
                report.accounts += 1
                async with self._writing:  # one writer at a time: SQLite has one write lock
                    await self._store(items, report)
                if on_account is not None:
                    on_account(account, len(items))

        await asyncio.gather(*(one(a) for a in self.accounts if a.platform is source.platform))
        if not refused.is_set():
            health.healthy, health.message, health.told = True, None, False
        health.last_round = now

    async def _store(self, items: list[SourceItem], report: PollReport) -> None:
        report.items += len(items)
        # A platform's JSON is outside input too: nothing it says may poison the store.
        admitted = admit(items, now=self.service.clock.now())
        for before, after in zip(items, admitted, strict=True):
            if isinstance(after, RowProblem):
                if after is not before:  # the sources log their own problems
                    log.warning("skipped: %s", after.reason)
                report.problems.append(after.reason)
        ingested = await self.service.ingest(admitted)
        report.snapshots_added += ingested.snapshots_added

    async def _unhealthy(self, platform: Platform, message: str) -> None:
        health = self.health[platform]
        health.healthy, health.message = False, message
        log.error("%s is unhealthy: %s", platform.value, message)
        if not health.told and self.notify is not None:
            health.told = True
            try:
                await self.notify(platform, message)
            except Exception:
                log.warning("could not tell the admins about %s", platform.value, exc_info=True)

"""Use cases shared by the CLI and the chat adapters: one place that knows the order of things."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import replace

from bot.config import Settings
from bot.domain.batches import RecordBatch
from bot.domain.digest import compose_digest
from bot.domain.models import (
    AccountKind,
    Audience,
    Cadence,
    Campaign,
    CampaignProgress,
    CaseStudy,
    SourceItem,
    Win,
)
from bot.domain.peers import growth_line
from bot.domain.periods import Period
from bot.domain.views import DigestView, ErrorView, WhyView
from bot.domain.wins import DetectionRules
from bot.ports import Clock, SystemClock
from bot.store.accounts import mark_kind
from bot.store.campaigns import add_campaign, campaign_progress, list_campaigns
from bot.store.case_studies import CaseStudyFilter, list_case_studies, save_case_study
from bot.store.db import Database
from bot.store.ingest import IngestReport, ingest, ingest_batches
from bot.store.peer_examples import list_peer_examples
from bot.store.peer_growth import follower_growth
from bot.store.trend import period_stats_of, weekly_series
from bot.store.wins import WinFilter, list_wins
from bot.usecases.detection import DetectionReport, detect
from bot.usecases.why import why

# Wins considered for one digest; the digest shows the top few and counts the rest.
DIGEST_WIN_POOL = 200
# The digest's week and the 12 before it: the account's own usual, not only last week.
TREND_WEEKS = 13


class WinsService:
    def __init__(self, db: Database, settings: Settings, clock: Clock | None = None) -> None:
        self.db = db
        self.settings = settings
        self.clock = clock or SystemClock()

    @property
    def rules(self) -> DetectionRules:
        s = self.settings
        return DetectionRules(
            baseline_posts=s.baseline_posts,
            min_history=s.min_history,
            min_engagement=s.min_engagement,
            min_ratio=s.min_ratio,
            min_score=s.min_score,
        )

    async def ingest(
        self,
        items: Iterable[SourceItem],
        on_batch: Callable[[IngestReport], None] | None = None,
    ) -> IngestReport:
        return await ingest(self.db, items, now=self.clock.now(), on_batch=on_batch)

    async def ingest_batches(
        self,
        batches: Iterable[RecordBatch],
        on_batch: Callable[[IngestReport], None] | None = None,
    ) -> IngestReport:
        return await ingest_batches(self.db, batches, now=self.clock.now(), on_batch=on_batch)

    async def detect(
        self, *, everything: bool = False, on_account: Callable[[int, int], None] | None = None
    ) -> DetectionReport:
        return await detect(
            self.db, self.rules, everything=everything, now=self.clock.now(), on_account=on_account
        )

    async def wins(self, query: WinFilter) -> list[Win]:
        async with self.db.engine.connect() as conn:
            return await list_wins(conn, query)

    async def why(self, win_id: int) -> WhyView | ErrorView:
        """The numbers behind one win (`wins why 7`), ours or a peer's."""
        return await why(self.db, self.rules, win_id)

    async def case_studies(self, query: CaseStudyFilter) -> list[CaseStudy]:
        async with self.db.engine.connect() as conn:
            return await list_case_studies(conn, query)

    async def add_case_study(
        self, body: str, *, win_id: int | None = None, author: str | None = None
    ) -> int:
        async with self.db.engine.begin() as conn:
            case_id, _ = await save_case_study(
                conn, body=body, win_id=win_id, author=author, now=self.clock.now()
            )
            return case_id

    async def set_account_kind(self, keys: Iterable[tuple[str, str]], kind: AccountKind) -> None:
        """Make these (platform, handle) accounts ours or peers, keeping their tags and names."""
        async with self.db.engine.begin() as conn:
            await mark_kind(conn, keys, kind)

    async def add_campaign(self, campaign: Campaign) -> int:
        async with self.db.engine.begin() as conn:
            return await add_campaign(conn, campaign, now=self.clock.now())

    async def campaigns(self) -> list[CampaignProgress]:
        async with self.db.engine.connect() as conn:
            return [
                (await campaign_progress(conn, c, now=self.clock.now()))[0]
                for c in await list_campaigns(conn)
            ]

    async def digest(self, audience: Audience, period: Period) -> DigestView:
        """Everything one audience should hear about one week (or month), ready for any
        renderer."""
        window = WinFilter(
            since=period.start,
            until=period.end,
            platforms=audience.platforms,
            tags=audience.tags,
            accounts=audience.accounts,
            limit=DIGEST_WIN_POOL,
        )
        weeks = [period]
        # A month is compared with the month before only: the trend is a weekly picture.
        while len(weeks) < (TREND_WEEKS if period.cadence is Cadence.WEEKLY else 2):
            weeks.insert(0, weeks[0].previous())
        async with self.db.engine.connect() as conn:
            # This week and last come from the series too: one count, so the headline numbers,
            # the 12-week comparison and the chart can never disagree.
            trend = await weekly_series(conn, audience, weeks)
            current_stats, previous_stats = period_stats_of(trend[-1]), period_stats_of(trend[-2])
            wins = await list_wins(conn, window)
            progress = [
                (await campaign_progress(conn, c, now=min(self.clock.now(), period.end)))[0]
                for c in await list_campaigns(conn)
                if _campaign_in_audience(c, audience)
            ]
            cases = await list_case_studies(
                conn, CaseStudyFilter(since=period.start, until=period.end, limit=10)
            )
            # Peers are not tagged with our departments: a department sees its platforms' peers.
            peers = await list_wins(
                conn,
                WinFilter(
                    since=period.start,
                    until=period.end,
                    platforms=audience.platforms,
                    peers=True,
                    limit=3,
                ),
            )
            examples = await list_peer_examples(
                conn, since=period.start, until=period.end, platforms=audience.platforms, limit=3
            )
            ours_growth, peers_growth = await follower_growth(
                conn, audience, period.start, period.end
            )
        return compose_digest(
            audience, period, current_stats, previous_stats, wins, progress, cases,
            peer_wins=peers, trend=trend,
            peer_growth=growth_line(ours_growth, peers_growth, period.cadence.noun),
            peer_examples=examples,
        )  # fmt: skip

    async def peer_wins(self, query: WinFilter) -> list[Win]:
        return await self.wins(replace(query, peers=True))


def _campaign_in_audience(campaign: Campaign, audience: Audience) -> bool:
    if audience.is_leadership:
        return True
    if audience.tags and campaign.tag in audience.tags:
        return True
    if audience.platforms and campaign.platform in audience.platforms:
        return True
    return bool(audience.accounts and campaign.account in audience.accounts)

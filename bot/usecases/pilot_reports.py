"""Pilot reports: gather a campaign's facts from the store and compose its report."""

from __future__ import annotations

from bot.domain.pilot_report import PilotReport, compose_pilot_report
from bot.store.campaigns import campaign_posts, campaign_progress, campaign_win_ids, list_campaigns
from bot.store.case_studies import CaseStudyFilter, list_case_studies
from bot.usecases.results import WinsService

# Public stories only: a report goes to leadership, and a private channel's story stays there.
_STORIES = 50


async def pilot_report(service: WinsService, name: str) -> PilotReport | None:
    """The named pilot's report as of now, or None when no campaign has that name.

    Names are matched without regard to case, as people type them in chat.
    """
    now = service.clock.now()
    async with service.db.engine.connect() as conn:
        wanted = name.strip().casefold()
        found = [c for c in await list_campaigns(conn) if c.name.casefold() == wanted]
        if not found:
            return None
        campaign = found[0]
        progress, _ = await campaign_progress(conn, campaign, now=now)
        posts = await campaign_posts(conn, campaign, now=now)
        win_ids = await campaign_win_ids(conn, campaign, now=now)
        stories = (
            await list_case_studies(conn, CaseStudyFilter(win_ids=tuple(win_ids), limit=_STORIES))
            if win_ids
            else []
        )
    return compose_pilot_report(progress, posts, stories, today=now.date())

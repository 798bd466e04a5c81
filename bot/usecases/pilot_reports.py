"""Pilot reports: gather a campaign's facts from the store and compose its report.

One composition for every place the report is shown (`winsbot campaign report`, the report a
pilot's end posts to chat), so the CLI and the channels say the same next step.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncConnection

from bot.domain.models import Campaign
from bot.domain.pilot_end import NEXT_STEP_LABELS
from bot.domain.pilot_report import PilotReport, compose_pilot_report
from bot.store.campaigns import campaign_posts, campaign_progress, campaign_win_ids, list_campaigns
from bot.store.case_studies import CaseStudyFilter, list_case_studies
from bot.store.pilot_messages import answers_of, case_studies_by_id, pilot_case_study_ids
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
        return await report_of(conn, found[0], now=now)


async def report_of(conn: AsyncConnection, campaign: Campaign, *, now: datetime) -> PilotReport:
    """The report of one pilot: its numbers, its wins' stories, its owners' learnings and
    their next step."""
    progress, _ = await campaign_progress(conn, campaign, now=now)
    posts = await campaign_posts(conn, campaign, now=now)
    win_ids = await campaign_win_ids(conn, campaign, now=now)
    stories = (
        await list_case_studies(conn, CaseStudyFilter(win_ids=tuple(win_ids), limit=_STORIES))
        if win_ids
        else []
    )
    answers = await answers_of(conn, campaign.id) if campaign.id is not None else []
    seen = {s.id for s in stories}
    told = [a.case_study_id for a in answers if a.case_study_id]
    if campaign.id is not None:
        told += await pilot_case_study_ids(conn, campaign.id)
    extra = list(dict.fromkeys(i for i in told if i not in seen))
    stories += [s for s in await case_studies_by_id(conn, extra) if s.private_to is None]
    step = next_step_of([a.next_step for a in answers])
    return compose_pilot_report(progress, posts, stories, today=now.date(), next_step=step)


def next_step_of(steps: list[str]) -> str | None:
    """The owners' recommendation; when they disagree the report says so rather than pick one.

    ``steps`` are newest first; a step one owner gave twice counts once.
    """
    labels = [NEXT_STEP_LABELS[s] for s in dict.fromkeys(steps) if s in NEXT_STEP_LABELS]
    if len(labels) <= 1:
        return labels[0] if labels else None
    return "The owners differ: " + "; ".join(labels)

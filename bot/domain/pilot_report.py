"""A pilot's report: the SMART goal against the result, the best posts, and what was learned.

A pilot that ends as a "goal reached" line convinces nobody to fund the next one; what does is
the goal set beside the result, the posts that did it, and the team's own learnings. This
composes that report from facts the store gathers, once for every place it is shown (the CLI
now; chat when pilots post their report at their end).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime

from bot.domain.campaigns import campaign_pace, counted_posts
from bot.domain.models import CampaignProgress, CaseStudy, Platform

MAX_BEST_POSTS = 3  # the posts that carried the pilot; the rest are in the count
MAX_STORIES = 5


@dataclass(frozen=True, slots=True)
class PilotPost:
    """One post that counted towards a pilot, with its count of the pilot's metric (of its
    engagement for a pilot counting posts or followers, which say nothing per post)."""

    platform: Platform
    account: str
    published_at: datetime
    value: int
    url: str | None = None
    text: str | None = None


@dataclass(frozen=True, slots=True)
class PilotReport:
    name: str
    goal: str  # "1,000 clicks from 1 Nov to 23 Nov 2026, counting LinkedIn posts tagged ..."
    result: str  # "1,474 clicks from 6 posts: 147% of the goal. Goal reached."
    status: str  # "reached", "short", "running"
    pace: str | None  # while it runs: on track / behind
    best_posts: tuple[PilotPost, ...]
    stories: tuple[CaseStudy, ...]
    learnings: tuple[str, ...]
    next_step: str | None  # the owner's recommendation (extend, scale, stop), once given
    unit: str = "interactions"  # what a best post's value counts: "clicks", "impressions", ...


def compose_pilot_report(
    progress: CampaignProgress,
    posts: Sequence[PilotPost],
    stories: Sequence[CaseStudy],
    *,
    today: date,
    next_step: str | None = None,
) -> PilotReport:
    """The report as of ``today``; ``posts`` and ``stories`` are the pilot's, in any order."""
    campaign = progress.campaign
    metric = campaign.metric.value.replace("_", " ")
    if progress.reached:
        status, outcome = "reached", "Goal reached."
    elif today > campaign.ends_on:
        status, outcome = "short", f"Ended on {_day(campaign.ends_on)} short of the goal."
    else:
        status, outcome = "running", f"Still running until {_day(campaign.ends_on)}."
    posts_counted = "" if campaign.metric.value == "followers" else f" from {_posts(progress)}"
    result = (
        f"{progress.value:,} {metric}{posts_counted}: {progress.fraction:.0%} of the goal. "
        f"{outcome}"
    )
    best = sorted(posts, key=lambda p: (-p.value, p.published_at))[:MAX_BEST_POSTS]
    newest_first = sorted(stories, key=lambda s: s.created_at, reverse=True)[:MAX_STORIES]
    learnings = tuple(s.learned.strip() for s in newest_first if s.learned and s.learned.strip())
    return PilotReport(
        name=campaign.name,
        goal=_goal(progress),
        result=result,
        status=status,
        pace=campaign_pace(progress, today=today) if status == "running" else None,
        best_posts=tuple(best),
        stories=tuple(newest_first),
        learnings=learnings,
        next_step=next_step,
        unit=metric if campaign.metric.value not in ("posts", "followers") else "interactions",
    )


def _goal(progress: CampaignProgress) -> str:
    c = progress.campaign
    metric = c.metric.value.replace("_", " ")
    counted = counted_posts(c)
    rule = f", counting {counted}" if counted else ""
    return f"{c.target:,} {metric} from {_day(c.starts_on)} to {_day(c.ends_on)}{rule}"


def _posts(progress: CampaignProgress) -> str:
    return f"{progress.posts} post" + ("" if progress.posts == 1 else "s")


def _day(day: date) -> str:
    return f"{day.day} {day:%b %Y}"

"""Campaign rules: which posts count toward a SMART pilot, and how its progress reads."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, time, timedelta

from bot.domain.models import Campaign, CampaignProgress

_NAME = re.compile(r"^[\w][\w .:/&'-]{0,119}$")


def validate_campaign(campaign: Campaign) -> list[str]:
    """Problems that make a campaign unmeasurable, each saying what to change."""
    problems = []
    if not _NAME.match(campaign.name):
        problems.append("name: use letters, digits, spaces and - _ . : / & ' (at most 120)")
    if campaign.ends_on < campaign.starts_on:
        problems.append(
            f"end {campaign.ends_on} is before start {campaign.starts_on}: swap the dates"
        )
    if not (campaign.tag or campaign.hashtag or campaign.account or campaign.platform):
        problems.append("say which posts count: --tag, --hashtag, --account or --platform")
    return problems


def window(campaign: Campaign) -> tuple[datetime, datetime]:
    """UTC instants covering the campaign's days, end exclusive."""
    return _midnight(campaign.starts_on), _midnight(campaign.ends_on + timedelta(days=1))


def _midnight(day: date) -> datetime:
    return datetime.combine(day, time(0), tzinfo=UTC)


def text_has_hashtag(text: str | None, hashtag: str) -> bool:
    """Case-insensitive whole-hashtag match: #GradPilot matches, #GradPilots does not."""
    if not text:
        return False
    tag = re.escape(hashtag.lstrip("#"))
    return re.search(rf"(?<![\w#])#{tag}(?!\w)", text, re.IGNORECASE) is not None


def progress_reason(progress: CampaignProgress, *, today: date) -> str:
    """Plain words with the numbers, e.g. for a goal-reached win or a digest line."""
    c = progress.campaign
    metric = c.metric.value.replace("_", " ")
    pct = round(progress.fraction * 100)
    base = (
        f"{c.name}: {progress.value:,} {metric} against a target of {c.target:,} ({pct}%) "
        f"from {progress.posts} post{'s' if progress.posts != 1 else ''}"
    )
    if progress.reached:
        return f"{base}. Goal reached."
    if today > c.ends_on:
        return f"{base}. Ended {c.ends_on:%d %b} short of the goal."
    days_left = (c.ends_on - today).days + 1
    return f"{base}, {days_left} day{'s' if days_left != 1 else ''} to go."

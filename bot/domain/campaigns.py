"""Campaign rules: which posts count toward a SMART pilot, and how its progress reads."""

from __future__ import annotations

import math
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


def campaign_pace(progress: CampaignProgress, *, today: date | None = None) -> str | None:
    """A running pilot's pace in words: "On track: 640 of 1,000 clicks with 40% of the time
    left" or "Behind: 350 of 1,000 clicks; needs 163 a day, averaging 58".

    A percentage alone does not say whether 64% is good news: it depends on how much of the
    window is left. Today counts as a day already used (its posts are in the count), so on
    its last day a pilot has no whole day left and is told what it still needs today.
    ``today`` defaults to the day the progress was counted on; None when neither is known.
    """
    today = today or progress.as_of
    if today is None:
        return None
    c = progress.campaign
    metric = c.metric.value.replace("_", " ")
    counts = f"{progress.value:,} of {c.target:,} {metric}"
    if today < c.starts_on:
        return f"Starts {c.starts_on.day} {c.starts_on:%b}"
    if progress.reached:
        spare = (c.ends_on - today).days
        if spare <= 0:
            return f"Goal reached: {counts}"
        return f"Goal reached: {counts} with {spare} day{'s' if spare != 1 else ''} to spare"
    if today > c.ends_on:
        return f"Ended short: {counts} ({progress.fraction:.0%})"
    total = (c.ends_on - c.starts_on).days + 1
    used = (today - c.starts_on).days + 1
    left = total - used
    to_go = c.target - progress.value
    if left == 0:
        return f"Last day: {counts}, {to_go:,} to go today"
    if progress.fraction >= used / total:
        return f"On track: {counts} with {left / total:.0%} of the time left"
    needed = math.ceil(to_go / left)
    if used == 1:
        return f"First day: {counts} so far; needs {needed:,} a day from tomorrow"
    if progress.value == 0:
        return f"Behind: no {metric} yet; needs {needed:,} a day for the {left} days left"
    return f"Behind: {counts}; needs {needed:,} a day, averaging {_rate(progress.value / used)}"


def _rate(per_day: float) -> str:
    return f"{per_day:,.0f}" if per_day >= 10 else f"{per_day:.1f}".removesuffix(".0")


def counted_posts(campaign: Campaign) -> str | None:
    """Which posts a pilot counts, in words: "LinkedIn posts by acme of accounts tagged
    recruiting"; None when it counts every post. One phrasing for the form's confirmation and
    the report, so a pilot reads the same wherever it is described."""
    counted = []
    if campaign.platform is not None:
        counted.append(f"{campaign.platform.label} posts")
    if campaign.account:
        counted.append(f"by {campaign.account}")
    if campaign.tag:
        counted.append(f"of accounts tagged {campaign.tag}")
    if campaign.hashtag:
        counted.append(f"with #{campaign.hashtag.lstrip('#')}")
    if not counted:
        return None
    if not counted[0].endswith("posts"):
        counted.insert(0, "posts")
    return " ".join(counted)

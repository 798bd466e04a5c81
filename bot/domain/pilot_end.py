"""A pilot's end: who is asked for learnings, when its report is due, and what it asks.

A pilot ends at the end of its ``ends_on`` day, in UTC (one clock for every worker, whatever
the subscriptions' time zones): on the day after, its owners are asked once for learnings and
a next step, and its report goes to leadership and to the pilot's department once every owner
asked has answered, or two working days after the end (then it says so if nobody has).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta
from typing import Final

from bot.domain.models import Campaign, Platform, Subscription, normalise_tag
from bot.domain.owners import Ownership, add_working_days

NEXT_STEPS: Final = ("extend", "scale", "stop")
NEXT_STEP_LABELS: Final = {
    "extend": "Extend: run it longer",
    "scale": "Scale: more accounts or budget",
    "stop": "Stop: it has taught us what it could",
}
WAIT_WORKING_DAYS = 2  # how long the report waits for an owner's learnings
REPORT_WITHIN = timedelta(days=30)  # pilots that ended longer ago are not reported on start-up
NO_LEARNINGS = "The owner has not written learnings yet."


@dataclass(frozen=True, slots=True)
class PilotAskView:
    """The learnings ask to one owner: which pilot, its result, and the form's button."""

    campaign_id: int
    name: str
    intro: str
    goal: str
    result: str
    message_id: int | None = None  # the ledger row, carried as metadata where the chat can


def ended_at(campaign: Campaign) -> datetime:
    """The moment a pilot is over: midnight UTC after its last day."""
    return datetime.combine(campaign.ends_on + timedelta(days=1), time(), tzinfo=UTC)


def has_ended(campaign: Campaign, now: datetime) -> bool:
    end = ended_at(campaign)
    return end <= now < end + REPORT_WITHIN


def everyone_answered(asked: set[str], answered: set[str]) -> bool:
    """Has each owner who was asked answered? One answer is not enough when three were asked.

    The report carries every owner's learnings, so it waits for all of them (or for the two
    working days); owners whose ask never reached them cannot answer and are not waited for.
    """
    return bool(answered) and asked <= answered


def report_due(campaign: Campaign, now: datetime, *, answered: bool) -> bool:
    """Once every owner asked has answered, or after two working days without that."""
    if not has_ended(campaign, now):
        return False
    return answered or add_working_days(ended_at(campaign), WAIT_WORKING_DAYS) <= now


def pilot_owners(ownership: Ownership, campaign: Campaign) -> list[str]:
    """The pilot's own owners (named in its form or `campaign --owner`), then the owners of its
    account (on any platform) and of its tag, once each."""
    found: list[str] = []
    if campaign.id is not None:  # stored as owners of kind "pilot", target the campaign id
        found += ownership.named.get(("pilot", str(campaign.id)), ())
    if campaign.account:
        handle = campaign.account
        for platform in Platform:
            found += ownership.configured_accounts.get((platform, handle), ())
        found += ownership.named.get(("account", handle.lower()), ())
    if campaign.tag:
        tag = normalise_tag(campaign.tag)
        found += [*ownership.configured_tags.get(tag, ()), *ownership.named.get(("tag", tag), ())]
    return list(dict.fromkeys(found))


def report_channels(campaign: Campaign, subscriptions: list[Subscription]) -> list[Subscription]:
    """Leadership's channels and the pilot's department's (its tag or account), once each."""
    tag = normalise_tag(campaign.tag) if campaign.tag else None
    chosen: dict[tuple[str, str], Subscription] = {}
    for sub in subscriptions:
        if not sub.active or sub.broken_reason is not None:
            continue
        audience = sub.audience
        ours = (tag is not None and tag in {normalise_tag(t) for t in audience.tags}) or (
            campaign.account is not None and campaign.account in audience.accounts
        )
        if audience.is_leadership or ours:
            chosen.setdefault((sub.chat.value, sub.channel_id), sub)
    return list(chosen.values())


def channel_key(sub: Subscription) -> str:
    return f"{sub.chat.value}:{sub.channel_id}"

"""The pilot form, as either chat sends it: strings in, a Campaign or field problems out.

Slack's modal and Teams' Adaptive Card both collect the same fields (name, goal metric,
target, start, end, which posts count, owners) and hand them over as text, because that is
what arrives from outside whatever the widget: a number input still sends "1000", a date
picker "2026-12-01", and a forged body anything at all. Validating once here, pure, means the
two chats refuse the same things with the same words, keyed by field so each chat can put the
reason under the input it belongs to and keep the form open.
"""

from __future__ import annotations

import re
from collections.abc import Collection
from dataclasses import dataclass, field
from datetime import date
from typing import Final

from pydantic import ValidationError

from bot.domain.campaigns import counted_posts, validate_campaign
from bot.domain.formatting import plural
from bot.domain.models import Campaign, CampaignMetric, normalise_tag, parse_platform
from bot.domain.owners import chat_of, normalise_owner
from bot.domain.views import NoticeView

# Field names: the keys of a form's problems, and each chat's input ids.
NAME, METRIC, TARGET, START, END = "name", "metric", "target", "start", "end"
TAG, HASHTAG, ACCOUNT, PLATFORM, OWNERS = "tag", "hashtag", "account", "platform", "owners"
FIELDS: Final = (NAME, METRIC, TARGET, START, END, TAG, HASHTAG, ACCOUNT, PLATFORM, OWNERS)
MAX_TARGET: Final = 10**12  # a BIGINT holds more; no pilot's goal is larger than this
MAX_OWNERS: Final = 20
MAX_FIELD_CHARS: Final = 200
_HASHTAG = re.compile(r"^#?[\w]{1,100}$")
_HANDLE = re.compile(r"^@?[\w.\-]{1,100}$")
_SEPARATORS = re.compile(r"[\s,;]+")
_SLACK_MENTION = re.compile(r"^<@([UW][A-Z0-9]+)(?:\|[^>]*)?>$")
METRIC_LABELS: Final = {m: m.value.replace("_", " ") for m in CampaignMetric}


@dataclass(frozen=True, slots=True)
class PilotForm:
    """The form's fields as the chat sent them; empty strings mean "not given"."""

    name: str = ""
    metric: str = ""
    target: str = ""
    start: str = ""
    end: str = ""
    tag: str = ""
    hashtag: str = ""
    account: str = ""
    platform: str = ""
    owners: tuple[str, ...] = field(default=())


@dataclass(frozen=True, slots=True)
class ValidPilot:
    """A form that passed: the campaign to store (without its id) and its owners."""

    campaign: Campaign
    owners: tuple[str, ...]


FormProblems = dict[str, str]  # field -> what to change, in words


class PilotFormView(NoticeView):
    """The form to show: empty for ``pilot new``, filled in for ``pilot edit NAME``.

    A NoticeView (its ``text`` says what to do) so any renderer that does not draw forms (the
    terminal, a late reply through Slack's response_url) still says something sensible; the
    chats that can draw it check for this type first.
    """

    form: PilotForm
    campaign_id: int | None = None
    known_tags: tuple[str, ...] = ()


class PilotSaved(NoticeView):
    """The confirmation after the form is saved: its summary, and what it is made of."""

    campaign: Campaign
    owners: tuple[str, ...] = ()


def validate_form(
    form: PilotForm, *, known_tags: Collection[str] = ()
) -> ValidPilot | FormProblems:
    """The campaign the form describes, or what is wrong with it, field by field.

    ``known_tags`` (without "#") are the tags our accounts carry: a pilot counting posts of a
    tag nobody has would measure nothing, so an unknown tag is refused (any tag is taken when
    no account has one yet).
    """
    problems: FormProblems = {}
    name = " ".join(form.name.split())
    if not name:
        problems[NAME] = "Give the pilot a name."
    metric = _metric(form.metric, problems)
    target = _target(form.target, problems)
    start = _day(form.start, START, problems)
    end = _day(form.end, END, problems)
    if start and end and end < start:
        problems[END] = f"The end ({end:%d %b %Y}) is before the start ({start:%d %b %Y})."
    tag = normalise_tag(form.tag.strip().lstrip("#")) or None
    known = {t.lstrip("#").lower() for t in known_tags}
    if tag and known and tag not in known:
        problems[TAG] = f"No account is tagged #{tag[:40]}: choose one of the tags listed."
    hashtag = form.hashtag.strip() or None
    if hashtag and not _HASHTAG.match(hashtag):
        problems[HASHTAG] = "A hashtag is letters, digits and _ (e.g. #GradPilot)."
    account = form.account.strip().removeprefix("@") or None
    if account and not _HANDLE.match(account):
        problems[ACCOUNT] = "An account is one handle, e.g. @acme-careers."
    platform = None
    if form.platform.strip():
        try:
            platform = parse_platform(form.platform.strip())
        except ValueError:
            problems[PLATFORM] = f"I don't know the platform {form.platform.strip()[:40]!r}."
    if not (tag or hashtag or account or platform) and TAG not in problems:
        problems[TAG] = "Say which posts count: a tag, a hashtag, an account or a platform."
    owners = _owners(form.owners, problems)
    if problems or metric is None or target is None or start is None or end is None:
        return problems or {NAME: "The form is incomplete."}
    try:
        campaign = Campaign(
            name=name, metric=metric, target=target, starts_on=start, ends_on=end, tag=tag,
            hashtag=hashtag.lstrip("#") if hashtag else None, account=account, platform=platform,
        )  # fmt: skip
    except ValidationError:
        return {NAME: "The form is incomplete."}
    for problem in validate_campaign(campaign):
        if problem.startswith("name:"):
            problems[NAME] = "Use letters, digits, spaces and - _ . : / & ' (at most 120)."
    return problems or ValidPilot(campaign, owners)


def form_of(campaign: Campaign, owners: Collection[str]) -> PilotForm:
    """A stored pilot as the form shows it for editing."""
    return PilotForm(
        name=campaign.name,
        metric=campaign.metric.value,
        target=str(campaign.target),
        start=campaign.starts_on.isoformat(),
        end=campaign.ends_on.isoformat(),
        tag=campaign.tag or "",
        hashtag=f"#{campaign.hashtag}" if campaign.hashtag else "",
        account=campaign.account or "",
        platform=campaign.platform.value if campaign.platform else "",
        owners=tuple(owners),
    )


def split_owners(text: str) -> tuple[str, ...]:
    """Ids typed into one text box, separated by spaces, commas or semicolons."""
    return tuple(part for part in _SEPARATORS.split(text.strip()) if part)


def pilot_summary(campaign: Campaign, owners: Collection[str]) -> str:
    """One line: "Graduate hiring pilot: 1,000 clicks from 1 Dec to 14 Dec, posts tagged
    #recruiting, owner U0DANA". Owners are written as their ids: a chat that can show a
    person (Slack's mentions) draws the summary without them, then the people."""
    metric = METRIC_LABELS[campaign.metric]
    start, end = campaign.starts_on, campaign.ends_on
    span = f"from {start.day} {start:%b} to {end.day} {end:%b}"
    if start.year != end.year:
        span = f"from {start.day} {start:%b %Y} to {end.day} {end:%b %Y}"
    text = f"{campaign.name}: {campaign.target:,} {metric} {span}, counting "
    text += counted_posts(campaign) or "every post"
    if owners:
        text += f", {plural(len(owners), 'owner')} " + ", ".join(owners)
    return text


def _metric(text: str, problems: FormProblems) -> CampaignMetric | None:
    wanted = text.strip().lower().replace(" ", "_")
    try:
        return CampaignMetric(wanted)
    except ValueError:
        problems[METRIC] = "Choose what the target counts, e.g. clicks or impressions."
        return None


def _target(text: str, problems: FormProblems) -> int | None:
    digits = text.strip().replace(",", "").replace("_", "")
    if not digits.isascii() or not digits.lstrip("-").isdecimal() or len(digits) > 15:
        problems[TARGET] = "The target is a whole number, e.g. 1000."
        return None
    value = int(digits)
    if not 1 <= value <= MAX_TARGET:
        problems[TARGET] = f"The target must be at least 1 (and at most {MAX_TARGET:,})."
        return None
    return value


def _day(text: str, where: str, problems: FormProblems) -> date | None:
    try:
        day = date.fromisoformat(text.strip())
    except ValueError:
        problems[where] = f"Pick the {where} day, e.g. 2026-12-01."
        return None
    if not 2000 <= day.year <= 2100:
        problems[where] = f"Pick a {where} day between 2000 and 2100."
        return None
    return day


def _owners(given: Collection[str], problems: FormProblems) -> tuple[str, ...]:
    found: list[str] = []
    for raw in given:
        word = raw.strip()
        if (mention := _SLACK_MENTION.match(word)) is not None:
            word = mention[1]
        if chat_of(word) is None:
            problems[OWNERS] = (
                f"I can't tell who {word[:40]!r} is: a Slack member id or an Azure AD object id."
            )
            return ()
        found.append(normalise_owner(word))
    unique = tuple(dict.fromkeys(found))
    if len(unique) > MAX_OWNERS:
        problems[OWNERS] = f"Name at most {MAX_OWNERS} owners."
        return ()
    return unique

"""Realistic views both renderers are tested with: the same wins, digest, case study and
subscriptions, so the Block Kit and Adaptive Card golden files show one story told twice."""

from __future__ import annotations

import json
import os
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

from bot.domain.models import (
    Audience,
    Campaign,
    CampaignMetric,
    CampaignProgress,
    CaseStudy,
    Chat,
    Platform,
    Schedule,
    Subscription,
    Win,
    WinKind,
)
from bot.domain.views import (
    CaseStudyListView,
    DigestView,
    ErrorView,
    Headline,
    PlatformWeek,
    TrendWeek,
    WinListView,
)

TUESDAY = datetime(2026, 11, 17, 9, 30, tzinfo=UTC)


def make_win(id: int, **fields: Any) -> Win:
    values: dict[str, Any] = {
        "kind": WinKind.POST,
        "score": 4.2,
        "ratio": 3.1,
        "expected": 388,
        "reason": "Earned 3.1× its usual engagement (1,204 vs 388)",
        "occurred_at": TUESDAY,
        "detected_at": TUESDAY,
        "platform": Platform.LINKEDIN,
        "account": "acme",
        "post_url": f"https://www.linkedin.com/feed/update/urn:li:activity:{id}",
        "post_text": "We shipped the thing.",
        "engagement": 1_204,
        "impressions": 40_210,
    }
    values.update(fields)
    return Win.model_validate({"id": id, **values})


def wins() -> list[Win]:
    return [
        make_win(
            101,
            score=8.4,
            ratio=4.2,
            expected=550,
            reason="Earned 4.2× its usual engagement (2,310 vs 550): most shared post this year",
            post_text=(
                "Our graduate programme opens today! 40 places across engineering, design & "
                "operations. Applications close 12 December; tell someone who'd love it."
            ),
            engagement=2_310,
            impressions=61_480,
        ),
        make_win(
            102,
            score=5.1,
            ratio=3.0,
            expected=31,
            platform=Platform.BLUESKY,
            account="acme_hr.bsky.social",
            reason="Reached 3× the usual replies (96 vs 31) for acme_hr",
            post_text="Q&A: what *really* happens in week one? <3 to everyone who asked",
            post_url="https://bsky.app/profile/acme_hr.bsky.social/post/3kxyz?ref=a&src=b",
            engagement=312,
            impressions=None,
        ),
        make_win(
            103,
            kind=WinKind.MILESTONE,
            score=3.0,
            ratio=None,
            expected=None,
            platform=Platform.INSTAGRAM,
            account="acme",
            reason="Passed 10k followers (10,042, +612 this week)",
            post_url=None,
            post_text=None,
            engagement=None,
            impressions=None,
        ),
    ]


def digest(source: str, **fields: Any) -> DigestView:
    campaign = Campaign(
        name="Winter hiring pilot",
        metric=CampaignMetric.ENGAGEMENT,
        target=5_000,
        starts_on=date(2026, 11, 1),
        ends_on=date(2026, 11, 30),
    )
    reached = campaign.model_copy(
        update={"name": "Open day sign-ups", "metric": CampaignMetric.CLICKS, "target": 300}
    )
    values: dict[str, Any] = {
        "audience": Audience(name="leadership"),
        "period_label": "2026-W47",
        "period_text": "16–22 Nov 2026",
        "timezone": "Europe/London",
        "starts_at": datetime(2026, 11, 16, tzinfo=UTC),
        "ends_at": datetime(2026, 11, 23, tzinfo=UTC),
        "headlines": [
            Headline(label="Posts", value=14, previous=11),
            Headline(label="Engagement", value=12_480, previous=9_920),
            Headline(label="Impressions", value=402_310, previous=455_000),
            Headline(label="New followers", value=612, previous=0),
        ],
        "top_wins": wins()[:2],
        "more_wins": 6,
        "campaigns": [
            CampaignProgress(campaign=campaign, value=3_210, posts=9),
            CampaignProgress(campaign=reached, value=318, posts=4),
        ],
        "case_studies": [case_study(source)],
        # What compose_digest writes from these numbers (tests/unit/test_so_what.py).
        "so_what": "Impressions down 12% and engagement up 26% on last week; "
        "the Open day sign-ups pilot hit its goal.",
    }
    values.update(fields)
    return DigestView.model_validate(values)


def trend_digest(source: str) -> DigestView:
    """The sample digest with its 13-week trend, headline averages and one honest miss."""
    linkedin = (210, 190, 260, 240, 300, 280, 250, 330, 310, 290, 350, 455, 300)
    instagram = (40, 52, 48, 61, 55, 58, 49, 60, 63, 57, 59, 61, 25)
    trend = [
        TrendWeek(
            label=f"2026-W{35 + i}",
            starts_on=date(2026, 8, 24) + timedelta(weeks=i),
            platforms={
                Platform.LINKEDIN: PlatformWeek(impressions=li * 1_000, engagement=li * 30),
                Platform.INSTAGRAM: PlatformWeek(impressions=ig * 1_000, engagement=ig * 20),
            },
            wins=(0, 1, 0, 0, 2, 0, 0, 1, 0, 0, 3, 1, 2)[i],
        )
        for i, (li, ig) in enumerate(zip(linkedin, instagram, strict=True))
    ]
    return digest(
        source,
        headlines=[
            Headline(label="Impressions", value=325_000, previous=516_000, usual=344_000),
            Headline(label="Engagement", value=9_500, previous=14_870, usual=9_228),
            Headline(label="Posts published", value=14, previous=11, usual=12.5),
        ],
        trend=trend,
        misses=["Instagram impressions 55% below its 12-week average (25k this week, usually 55k)"],
    )


def case_study(source: str, **fields: Any) -> CaseStudy:
    values: dict[str, Any] = {
        "id": 7,
        "body": (
            "We asked a question instead of announcing the programme, and replied to every "
            "comment within the hour. Replies tripled; next time we'll pin the FAQ."
        ),
        "author": "Dana Okafor",
        "win_id": 101,
        "win_reason": "Earned 4.2× its usual engagement (2,310 vs 550)",
        "created_at": datetime(2026, 11, 19, 14, tzinfo=UTC),
        "source": source,
    }
    values.update(fields)
    return CaseStudy.model_validate(values)


def subscriptions(chat: Chat, channels: tuple[str, str], broken: str) -> list[Subscription]:
    """A live leadership subscription and a stopped department one that broke with ``broken``."""
    return [
        Subscription(
            id=1,
            chat=chat,
            channel_id=channels[0],
            audience=Audience(name="leadership"),
            schedule=Schedule(weekday=0, time="09:00", timezone="Europe/London"),
        ),
        Subscription(
            id=2,
            chat=chat,
            channel_id=channels[1],
            audience=Audience(
                name="recruiting", tags=("recruiting",), platforms=(Platform.LINKEDIN,)
            ),
            schedule=Schedule(weekday=4, time="16:30", timezone="America/New_York"),
            active=False,
            broken_reason=broken,
        ),
    ]


def win_list() -> WinListView:
    return WinListView(title="Top wins, last 7 days · #recruiting", wins=wins(), more=4)


def empty_win_list(hint: str) -> WinListView:
    """No wins to show, with what to type instead (each chat spells the command its own way)."""
    return WinListView(
        title="Top wins, last 7 days · TikTok",
        wins=[],
        empty_message=f"No wins on TikTok in the last 7 days. Try `{hint}`.",
    )


def quiet_digest(source: str) -> DigestView:
    return digest(
        source,
        headlines=[Headline(label="Posts", value=0, previous=0)],
        top_wins=[],
        more_wins=0,
        campaigns=[],
        case_studies=[],
        quiet_message="A quiet week: no posts from leadership accounts.",
        so_what=None,
    )


def case_study_list(source: str, private_channel: str) -> CaseStudyListView:
    """Two stories, the second written in a private channel and so shown as private."""
    return CaseStudyListView(
        title="Case studies",
        case_studies=[
            case_study(source),
            case_study(source, id=8, author=None, private_to=private_channel),
        ],
        more=2,
    )


def unknown_tag(usage: str) -> ErrorView:
    return ErrorView(
        message="I don't know the tag #recruting.",
        suggestion="Did you mean #recruiting?",
        usage=usage,
    )


def check_golden(folder: Path, name: str, rendered: dict[str, Any]) -> None:
    """Compare with the golden file; ``UPDATE_GOLDEN=1`` rewrites it for review instead."""
    path = folder / f"{name}.json"
    if os.environ.get("UPDATE_GOLDEN") == "1":
        folder.mkdir(exist_ok=True)
        text = json.dumps(rendered, indent=2, ensure_ascii=False) + "\n"
        path.write_text(text, encoding="utf-8")
        return
    assert path.exists(), f"{path} is missing: run UPDATE_GOLDEN=1 pytest {folder.parent}"
    assert json.loads(path.read_text(encoding="utf-8")) == rendered, (
        f"{name} changed: if intended, run UPDATE_GOLDEN=1 and review the diff"
    )


def as_written_case_study_list(source: str) -> CaseStudyListView:
    """A story full of what Markdown, mrkdwn and chat mentions would read as markup: it must
    reach the reader character for character (handles, zones, commands, stars, mentions)."""
    return CaseStudyListView(
        title="Case studies · acme_hr",
        case_studies=[
            case_study(
                source,
                id=9,
                author="dana_o",
                win_reason="Reached 3× the usual replies (96 vs 31) for acme_hr",
                body=(
                    "acme_hr uses *stars* and `code`; we posted at 9am America/Los_Angeles "
                    "and asked people to type /wins subscribe #hr. <!channel> @here <at>All</at> "
                    "[not a link](https://example.com) - not a list _not italic_ ~not struck~"
                ),
            )
        ],
    )

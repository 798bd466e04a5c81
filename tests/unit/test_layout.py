"""The digest's layout: what every renderer shows, in what order, and the words it uses.

Views are built the way production builds them (``compose_digest``), so these tests also pin
what the layout makes of the digest rules: a quiet week, a week with no wins, the top-five cap.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import TypeVar

import pytest

from bot.domain.digest import compose_digest
from bot.domain.formatting import (
    campaign_goal,
    plural,
    progress_bar,
    where,
)
from bot.domain.layout import (
    CampaignsSection,
    CaseStudiesSection,
    DigestLayout,
    PeersSection,
    QuietSection,
    WinsSection,
    digest_layout,
)
from bot.domain.models import (
    Audience,
    Campaign,
    CampaignMetric,
    CampaignProgress,
    CaseStudy,
    Platform,
    Win,
    WinKind,
)
from bot.domain.periods import Period
from bot.domain.views import Headline, PeriodStats
from tests.chat import sample_views

WEEK = Period(2026, 47, "Europe/London")  # Mon 16 - Sun 22 Nov 2026
MONDAY = datetime(2026, 11, 16, 12, tzinfo=UTC)
LEADERSHIP = Audience()
NO_WINS = "No wins this week: no post beat its account's usual numbers."
T = TypeVar("T")


def make_win(id: int, score: float = 1.0, account: str = "acme") -> Win:
    return Win(
        id=id,
        kind=WinKind.POST,
        score=score,
        reason=f"win {id}",
        occurred_at=MONDAY,
        detected_at=MONDAY,
        platform=Platform.LINKEDIN,
        account=account,
    )


def wins(count: int) -> list[Win]:
    return [make_win(i, score=float(i), account=f"account{i}") for i in range(1, count + 1)]


def progress() -> CampaignProgress:
    campaign = Campaign(
        name="Winter pilot",
        metric=CampaignMetric.ENGAGEMENT,
        target=1_000,
        starts_on=date(2026, 11, 1),
        ends_on=date(2026, 11, 30),
    )
    return CampaignProgress(campaign=campaign, value=640, posts=6)


def case_study() -> CaseStudy:
    return CaseStudy(id=1, body="We asked a question; replies tripled.", created_at=MONDAY)


def layout_of(
    *,
    current: PeriodStats | None = None,
    previous: PeriodStats | None = None,
    top: list[Win] | None = None,
    campaigns: list[CampaignProgress] | None = None,
    cases: list[CaseStudy] | None = None,
    peers: list[Win] | None = None,
    audience: Audience = LEADERSHIP,
) -> DigestLayout:
    view = compose_digest(
        audience,
        WEEK,
        current or PeriodStats(posts=4),
        previous or PeriodStats(),
        top or [],
        campaigns or [],
        cases or [],
        peer_wins=peers or [],
    )
    return digest_layout(view)


def kinds(layout: DigestLayout) -> list[type]:
    return [type(section) for section in layout.sections]


def section_of(layout: DigestLayout, kind: type[T]) -> T:
    [found] = [section for section in layout.sections if isinstance(section, kind)]
    return found


def test_sections_come_in_reading_order_with_their_headings() -> None:
    layout = layout_of(top=wins(2), campaigns=[progress()], cases=[case_study()], peers=wins(1))

    assert kinds(layout) == [WinsSection, CampaignsSection, CaseStudiesSection, PeersSection]
    assert [section.heading for section in layout.sections] == [
        "Top wins",
        "Campaigns",
        "Case studies",
        "What peers did well",
    ]


def test_quiet_note_comes_first_and_replaces_the_no_wins_text() -> None:
    # A campaign can run through a week with no posts: the week is still quiet.
    layout = layout_of(current=PeriodStats(), campaigns=[progress()])

    assert kinds(layout) == [QuietSection, CampaignsSection]
    quiet = section_of(layout, QuietSection)
    assert quiet.heading == "Quiet week"
    assert quiet.text.startswith("A quiet week (16–22 Nov 2026): no posts from our accounts")
    # No "no wins" text either: the quiet note has already said there were none.
    assert not any(isinstance(s, WinsSection) for s in layout.sections)


def test_a_week_with_posts_but_no_wins_says_why_there_are_none() -> None:
    layout = layout_of(current=PeriodStats(posts=3))

    assert kinds(layout) == [WinsSection]
    section = section_of(layout, WinsSection)
    assert section.wins == ()
    assert section.more == 0
    assert section.empty_text == NO_WINS


def test_wins_left_out_of_the_top_five_are_counted_as_more() -> None:
    layout = layout_of(top=wins(8))

    section = section_of(layout, WinsSection)
    assert [w.id for w in section.wins] == [8, 7, 6, 5, 4]
    assert section.more == 3
    assert section.empty_text is None


def test_a_busy_weeks_wins_have_no_empty_text_and_nothing_more() -> None:
    section = section_of(layout_of(top=wins(2)), WinsSection)

    assert section.more == 0
    assert section.empty_text is None


@pytest.mark.parametrize(
    ("current", "previous", "shown"),
    [
        (PeriodStats(), PeriodStats(), False),
        (PeriodStats(), PeriodStats(posts=3), True),  # last week's numbers are still news
        (PeriodStats(engagement=40), PeriodStats(), True),  # older posts earn engagement too
    ],
)
def test_numbers_show_unless_every_value_and_previous_value_is_zero(
    current: PeriodStats, previous: PeriodStats, shown: bool
) -> None:
    view = compose_digest(LEADERSHIP, WEEK, current, previous, [], [], [])

    layout = digest_layout(view)

    assert layout.show_numbers is shown
    assert [h.label for h in layout.headlines] == [h.label for h in view.headlines]


def test_numbers_are_hidden_for_a_view_without_headlines() -> None:
    view = sample_views.digest("slack", headlines=[])

    assert digest_layout(view).show_numbers is False


def test_numbers_show_for_any_non_zero_headline_in_a_view() -> None:
    headlines = [Headline(label="Posts", value=0, previous=0)] * 3
    quiet = sample_views.digest("slack", headlines=headlines)
    busy = sample_views.digest(
        "slack", headlines=[*headlines, Headline(label="X", value=0, previous=1)]
    )

    assert digest_layout(quiet).show_numbers is False
    assert digest_layout(busy).show_numbers is True


@pytest.mark.parametrize(
    ("count", "summary"),
    [
        (0, "Social media wins: Leadership, 16–22 Nov 2026: 0 wins"),
        (1, "Social media wins: Leadership, 16–22 Nov 2026: 1 win"),
        (8, "Social media wins: Leadership, 16–22 Nov 2026: 8 wins"),
    ],
)
def test_summary_counts_top_and_more_wins_with_the_right_plural(count: int, summary: str) -> None:
    layout = layout_of(top=wins(count))

    assert layout.win_count == count
    assert layout.summary() == summary


def test_summary_can_word_no_wins_its_own_way_but_never_a_count() -> None:
    assert layout_of().summary(none="no wins").endswith("16–22 Nov 2026: no wins")
    assert layout_of(top=wins(2)).summary(none="no wins").endswith(": 2 wins")


def test_title_period_and_chart_text_name_the_audience_and_week() -> None:
    recruiting = Audience(name="recruiting", tags=("recruiting",))
    layout = layout_of(audience=recruiting)

    assert layout.title == "Social media wins: recruiting"
    assert layout_of().title == "Social media wins: Leadership"
    assert (layout.period.text, layout.period.label) == ("16–22 Nov 2026", "2026-W47")
    assert layout.period.timezone == "Europe/London"
    assert layout.chart_alt == "Engagement by platform, 16–22 Nov 2026"


def test_zone_reads_as_people_say_it() -> None:
    view = sample_views.digest("slack", timezone="America/New_York")

    period = digest_layout(view).period

    assert period.timezone == "America/New_York"
    assert period.zone == "America/New York"


def test_sections_carry_the_views_items_unchanged() -> None:
    view = sample_views.digest("teams", peer_wins=sample_views.wins()[2:])

    layout = digest_layout(view)

    assert section_of(layout, WinsSection).wins == tuple(view.top_wins)
    assert section_of(layout, WinsSection).more == view.more_wins == 6
    assert section_of(layout, CampaignsSection).campaigns == tuple(view.campaigns)
    assert section_of(layout, CaseStudiesSection).case_studies == tuple(view.case_studies)
    assert section_of(layout, PeersSection).wins == tuple(view.peer_wins)
    assert layout.win_count == 8


@pytest.mark.parametrize(
    ("count", "noun", "expected"),
    [
        (1, "win", "win"),
        (2, "win", "wins"),
        (0, "case study", "case studies"),
        (1, "case study", "case study"),
    ],
)
def test_plural(count: int, noun: str, expected: str) -> None:
    assert plural(count, noun) == expected


def test_a_campaign_past_its_goal_fills_the_bar_and_says_it_was_reached() -> None:
    behind, past = progress(), progress().model_copy(update={"value": 1_340})

    assert (progress_bar(behind), campaign_goal(behind)) == (
        "▓▓▓▓▓▓░░░░",
        "640 of 1k engagement by 30 Nov",
    )
    assert (progress_bar(past), campaign_goal(past)) == (
        "▓▓▓▓▓▓▓▓▓▓",
        "1.3k of 1k engagement by 30 Nov · goal reached ✓",
    )


def test_a_win_is_placed_by_platform_and_account_or_else_its_campaign() -> None:
    goal = make_win(1).model_copy(update={"platform": None, "account": None, "campaign": "Pilot"})

    assert where(make_win(2)) == "LinkedIn · acme"
    assert where(goal) == "Pilot"
    assert where(goal.model_copy(update={"campaign": None})) == "All accounts"


def test_the_so_what_line_leads_and_a_quiet_week_has_none() -> None:
    view = sample_views.digest("slack")
    assert digest_layout(view).so_what == view.so_what is not None
    assert digest_layout(sample_views.quiet_digest("slack")).so_what is None

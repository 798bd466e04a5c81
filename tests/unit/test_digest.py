from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from bot.domain.digest import MAX_WINS_PER_ACCOUNT, compose_digest, pick_top_wins
from bot.domain.formatting import (
    excerpt,
    format_change,
    format_count,
    headline_change,
    platform_label,
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

WEEK = Period(2026, 47, "Europe/London")  # Mon 16 - Sun 22 Nov 2026
MONDAY = datetime(2026, 11, 16, 12, tzinfo=UTC)
LEADERSHIP = Audience()


def make_win(
    id: int,
    score: float,
    account: str | None = "acme",
    platform: Platform | None = Platform.LINKEDIN,
    occurred_at: datetime = MONDAY,
) -> Win:
    return Win(
        id=id,
        kind=WinKind.POST if account else WinKind.CAMPAIGN,
        score=score,
        reason=f"win {id}",
        occurred_at=occurred_at,
        detected_at=occurred_at,
        platform=platform,
        account=account,
    )


def make_progress(
    starts: date, ends: date, value: int = 50, name: str = "pilot"
) -> CampaignProgress:
    campaign = Campaign(
        name=name, metric=CampaignMetric.ENGAGEMENT, target=100, starts_on=starts, ends_on=ends
    )
    return CampaignProgress(campaign=campaign, value=value, posts=3)


def test_digest_carries_the_period_in_the_readers_zone() -> None:
    view = compose_digest(LEADERSHIP, WEEK, PeriodStats(posts=1), PeriodStats(), [], [], [])

    assert view.period_label == "2026-W47"
    assert view.period_text == "16–22 Nov 2026"
    assert view.timezone == "Europe/London"
    assert (view.starts_at, view.ends_at) == (WEEK.start, WEEK.end)


def test_headlines_compare_each_number_with_the_previous_period() -> None:
    current = PeriodStats(posts=10, engagement=1_250, impressions=40_000, followers_gained=-5)
    previous = PeriodStats(posts=8, engagement=1_000, impressions=50_000, followers_gained=0)

    view = compose_digest(LEADERSHIP, WEEK, current, previous, [], [], [])

    by_label = {h.label: h for h in view.headlines}
    # Outcomes before applause; link clicks only where the platforms report any.
    assert list(by_label) == ["Followers gained", "Impressions", "Engagement", "Posts published"]
    assert by_label["Posts published"].change == pytest.approx(0.25)
    assert by_label["Engagement"].change == pytest.approx(0.25)
    assert by_label["Impressions"].change == pytest.approx(-0.2)
    # Nothing to compare against: no percentage is invented.
    assert by_label["Followers gained"].change is None
    assert format_change(by_label["Impressions"].change) == "−20%"
    assert format_change(by_label["Engagement"].change) == "+25%"


def test_link_clicks_lead_after_reach_when_the_platforms_report_them() -> None:
    current = PeriodStats(impressions=40_000, clicks=230, engagement=1_250)
    previous = PeriodStats(impressions=50_000, clicks=0, engagement=1_000)

    view = compose_digest(LEADERSHIP, WEEK, current, previous, [], [], [])

    labels = [h.label for h in view.headlines]
    assert labels == [
        "Followers gained", "Impressions", "Link clicks", "Engagement", "Posts published",
    ]  # fmt: skip


def test_headline_from_zero_is_new_and_zero_to_zero_is_no_change() -> None:
    assert headline_change(Headline(label="Posts", value=3, previous=0)) == "new"
    assert headline_change(Headline(label="Posts", value=0, previous=0)) == "no change"
    assert headline_change(Headline(label="Posts", value=0, previous=4)) == "−100%"


def test_top_wins_are_highest_score_first_capped_with_the_rest_counted() -> None:
    wins = [make_win(i, score=float(i), account=f"account{i}") for i in range(1, 9)]

    view = compose_digest(LEADERSHIP, WEEK, PeriodStats(), PeriodStats(), wins, [], [], max_wins=5)

    assert [w.id for w in view.top_wins] == [8, 7, 6, 5, 4]
    assert view.more_wins == 3


def test_top_wins_keep_at_most_two_per_account_while_other_accounts_have_wins() -> None:
    wins = [
        make_win(1, 9.0, account="big"),
        make_win(2, 8.0, account="big"),
        make_win(3, 7.0, account="big"),
        make_win(4, 6.0, account="big"),
        make_win(5, 2.0, account="small"),
        make_win(6, 1.0, account="other"),
    ]

    top = pick_top_wins(wins, 4)

    # Lower-scoring wins from other accounts take the places "big"'s third and fourth would have.
    assert [w.id for w in top] == [1, 2, 5, 6]
    assert sum(w.account == "big" for w in top) == MAX_WINS_PER_ACCOUNT


def test_account_cap_gives_way_when_no_other_account_has_wins_left() -> None:
    wins = [make_win(i, 10.0 - i, account="only") for i in range(1, 5)]

    assert [w.id for w in pick_top_wins(wins, 3)] == [1, 2, 3]


def test_backfilled_wins_are_shown_in_score_order() -> None:
    wins = [
        make_win(1, 9.0, account="big"),
        make_win(2, 8.0, account="big"),
        make_win(3, 7.0, account="big"),
        make_win(4, 1.0, account="small"),
    ]

    # "big"'s third win is skipped at first, then back-fills the last place, above "small".
    assert [w.id for w in pick_top_wins(wins, 4)] == [1, 2, 3, 4]


def test_same_handle_on_two_platforms_counts_as_two_accounts() -> None:
    wins = [
        make_win(1, 9.0, account="acme", platform=Platform.X),
        make_win(2, 8.0, account="acme", platform=Platform.X),
        make_win(3, 7.0, account="acme", platform=Platform.BLUESKY),
        make_win(4, 6.0, account="acme", platform=Platform.X),
        make_win(5, 1.0, account="other"),
    ]

    assert [w.id for w in pick_top_wins(wins, 4)] == [1, 2, 3, 5]


def test_campaign_wins_without_an_account_are_never_capped() -> None:
    wins = [make_win(i, 10.0 - i, account=None, platform=None) for i in range(1, 4)]
    wins.append(make_win(9, 0.5, account="other"))

    assert [w.id for w in pick_top_wins(wins, 3)] == [1, 2, 3]


def test_equal_scores_prefer_the_more_recent_win() -> None:
    older = make_win(1, 5.0, account="a", occurred_at=MONDAY)
    newer = make_win(2, 5.0, account="b", occurred_at=MONDAY + timedelta(days=2))

    assert [w.id for w in pick_top_wins([older, newer], 1)] == [2]


@pytest.mark.parametrize(
    ("starts", "ends", "included"),
    [
        (date(2026, 11, 1), date(2026, 11, 15), False),  # ended the Sunday before
        (date(2026, 11, 1), date(2026, 11, 16), True),  # last day is the period's first
        (date(2026, 11, 18), date(2026, 11, 20), True),  # inside
        (date(2026, 11, 22), date(2026, 12, 31), True),  # starts on the period's last day
        (date(2026, 11, 23), date(2026, 12, 31), False),  # starts the Monday after
        (date(2026, 10, 1), date(2026, 12, 31), True),  # spans the whole period
    ],
)
def test_campaigns_are_included_when_they_overlap_the_period(
    starts: date, ends: date, included: bool
) -> None:
    progress = make_progress(starts, ends)

    view = compose_digest(LEADERSHIP, WEEK, PeriodStats(), PeriodStats(), [], [progress], [])

    assert (view.campaigns == [progress]) is included


def test_quiet_week_says_so_and_what_will_fill_the_digest() -> None:
    view = compose_digest(LEADERSHIP, WEEK, PeriodStats(), PeriodStats(posts=3), [], [], [])

    assert view.is_quiet
    assert view.quiet_message is not None
    assert view.quiet_message.startswith("A quiet week (16–22 Nov 2026): no posts from our")
    assert "Wins will show up here as soon as" in view.quiet_message


def test_quiet_message_names_the_department() -> None:
    marketing = Audience(name="Marketing", tags=("marketing",))

    view = compose_digest(marketing, WEEK, PeriodStats(), PeriodStats(), [], [], [])

    assert view.quiet_message is not None
    assert "no posts from the Marketing accounts" in view.quiet_message


@pytest.mark.parametrize(
    ("posts", "wins", "cases"),
    [
        (1, [], []),
        (0, [make_win(1, 1.0)], []),
        (
            0,
            [],
            [CaseStudy(id=1, body="We tried a thread.", created_at=MONDAY)],
        ),
    ],
)
def test_a_week_with_posts_wins_or_case_studies_is_not_quiet(
    posts: int, wins: list[Win], cases: list[CaseStudy]
) -> None:
    view = compose_digest(
        LEADERSHIP, WEEK, PeriodStats(posts=posts), PeriodStats(), wins, [], cases
    )

    assert not view.is_quiet
    assert view.case_studies == cases


def test_engagement_by_platform_is_largest_first_without_zeros() -> None:
    stats = PeriodStats(
        engagement_by_platform={Platform.X: 10, Platform.LINKEDIN: 300, Platform.BLUESKY: 0}
    )

    view = compose_digest(LEADERSHIP, WEEK, stats, PeriodStats(), [], [], [])

    assert list(view.engagement_by_platform.items()) == [(Platform.LINKEDIN, 300), (Platform.X, 10)]


@pytest.mark.parametrize(
    ("n", "text"),
    [
        (0, "0"),
        (812, "812"),
        (1_000, "1k"),
        (9_540, "9.5k"),
        (40_200, "40.2k"),
        (312_400, "312k"),
        (999_950, "1M"),
        (1_200_000, "1.2M"),
        (-1_500, "−1.5k"),
    ],
)
def test_counts_are_short_and_readable(n: int, text: str) -> None:
    assert format_count(n) == text


@pytest.mark.parametrize(
    ("change", "text"),
    [(None, "new"), (0.25, "+25%"), (-0.12, "−12%"), (0.001, "0%"), (12.5, "+1,250%")],
)
def test_changes_read_as_signed_percentages(change: float | None, text: str) -> None:
    assert format_change(change) == text


def test_platform_labels_use_proper_names() -> None:
    assert platform_label(Platform.LINKEDIN) == "LinkedIn"
    assert platform_label(Platform.X) == "X"
    assert platform_label(None) == ""


def test_excerpt_flattens_lines_and_cuts_at_a_word() -> None:
    text = "Launch day!\n\n" + "word " * 40

    short = excerpt(text, 30)

    assert short == "Launch day! word word word…"
    assert len(short) <= 30
    assert excerpt("short\npost") == "short post"
    assert excerpt(None) == ""

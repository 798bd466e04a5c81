"""The engagement rate: interactions per impression, against the account's own usual rate."""

from __future__ import annotations

import math
from datetime import UTC, datetime, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from bot.domain.models import Platform
from bot.domain.post_series import EXPOSURE_METRICS, PostSeries
from bot.domain.rates import RATE_METRIC, RateBar, format_rate, judge_rate, rate_score
from bot.domain.wins import DetectionRules, PostVerdict, ratio_score, score_post

T0 = datetime(2026, 10, 1, 9, 0, tzinfo=UTC)
RULES = DetectionRules()
BAR = RateBar(
    ratio=2.5, gain=0.01, score=3.0, big_ratio=4.0, engagement=20, routine_share=0.25,
    routine_jumps=4, history=5,
)  # fmt: skip


def series(post_id: int, engagement: int, impressions: int | None, hours: float = 24) -> PostSeries:
    s = PostSeries(post_id, T0 + timedelta(days=post_id))
    exposure = tuple(impressions if name == "impressions" else None for name in EXPOSURE_METRICS)
    s.add(s.published_at + timedelta(hours=hours), engagement, exposure)
    return s


def steady(rates: list[float] | None = None, impressions: int = 4_000) -> list[PostSeries]:
    """Twelve posts around 100 interactions; by default 2.4% to 2.6% of their impressions."""
    rates = rates or [0.024, 0.025, 0.026] * 4
    return [series(n, round(r * impressions), impressions) for n, r in enumerate(rates)]


def judge(post: PostSeries, past: list[PostSeries], rules: DetectionRules = RULES) -> PostVerdict:
    verdict = score_post(post, past, rules, account="acme", platform=Platform.LINKEDIN)
    assert verdict is not None
    return verdict


def rate_verdict(post: PostSeries, past: list[PostSeries]) -> PostVerdict | None:
    """The rate's own verdict, whichever metric the post's verdict names."""
    from bot.domain.wins import _judge_rate, baseline_posts, comparable_age

    age = comparable_age(post, RULES)
    return _judge_rate(
        post, baseline_posts(post, past, RULES), age, RULES, "acme", Platform.LINKEDIN
    )


def test_a_high_rate_on_ordinary_counts_is_a_win_whose_reason_names_the_rate() -> None:
    # 110 interactions is the account's usual; on 1,100 impressions it is 10%, 4x its usual.
    verdict = judge(series(99, 110, 1_100), steady())
    assert verdict.is_win and verdict.metric == RATE_METRIC
    assert verdict.ratio == 4.0 and verdict.baseline == 0.025
    assert verdict.reason == (
        "an engagement rate of 10%, 4.0x acme's usual 2.5% on its last 12 LinkedIn posts "
        "in the first 24 hours (110 interactions on 1,100 impressions)"
    )
    assert verdict.counts == (110, 1_100)
    assert verdict.compared[0] == (0, 96, 4_000)  # (post, engagement, impressions) to check
    assert verdict.score == ratio_score(4.0) == 2.0  # ranks like any 4x: log2 of times usual


def test_an_ordinary_rate_is_no_win() -> None:
    verdict = rate_verdict(series(99, 120, 4_000), steady())  # 3%, 1.2x its usual
    assert verdict is not None and not verdict.is_win


def test_too_few_impressions_give_no_rate() -> None:
    # 60 interactions on 600 impressions would be 10%, but 600 is under the 1,000 floor.
    assert rate_verdict(series(99, 60, 600), steady()) is None
    assert judge(series(99, 60, 600), steady()).metric == "engagement"


def test_baseline_posts_under_the_floor_do_not_count() -> None:
    past = steady()
    for s in past[:8]:  # eight of twelve under 1,000 impressions: four left, fewer than 5
        s.exposure = [tuple(900 if m == "impressions" else None for m in EXPOSURE_METRICS)]
    assert rate_verdict(series(99, 110, 1_100), past) is None


def test_platforms_without_impressions_have_no_rate() -> None:
    past = [series(n, 100, None) for n in range(12)]
    assert rate_verdict(series(99, 110, None), past) is None


def test_a_tiny_rate_tripled_is_under_one_percentage_point_and_no_win() -> None:
    # 0.2% usual; 0.6% is 3x with a high z-score, but 0.4 points is no news.
    past = steady([0.002] * 12, impressions=50_000)
    verdict = rate_verdict(series(99, 300, 50_000), past)
    assert verdict is not None and verdict.ratio == 3.0 and not verdict.is_win


def test_on_an_account_whose_rates_swing_a_2_6x_rate_is_no_win_but_4x_is() -> None:
    swinging = [0.005, 0.06, 0.008, 0.045, 0.02, 0.07, 0.006, 0.025, 0.012, 0.05, 0.022, 0.035]
    median_rate = 0.0235
    near = rate_verdict(series(99, round(2.6 * median_rate * 4_000), 4_000), steady(swinging))
    assert near is not None and near.ratio >= 2.5 and near.z < 3 and not near.is_win
    short = rate_verdict(series(99, round(3.9 * median_rate * 4_000), 4_000), steady(swinging))
    assert short is not None and not short.is_win
    far = rate_verdict(series(99, round(4.1 * median_rate * 4_000), 4_000), steady(swinging))
    assert far is not None and far.z < 3 and far.is_win  # 4x its usual, whatever the spread


def test_a_young_post_needs_3x_its_usual_rate() -> None:
    def at(hours: float, engagement: int) -> PostVerdict | None:
        past = [series(n, 100, 4_000, hours=hours) for n in range(12)]  # 2.5%
        return rate_verdict(series(99, engagement, 4_000, hours=hours), past)

    young, grown = at(2, 280), at(24, 280)  # 7%: 2.8x its usual
    assert young is not None and young.ratio == 2.8 and not young.is_win
    assert grown is not None and grown.is_win
    three_x = at(2, 304)  # 7.6%: over 3x
    assert three_x is not None and three_x.is_win


def test_rates_the_account_reaches_every_few_posts_are_routine() -> None:
    jumpy = [0.02, 0.08, 0.02, 0.02, 0.09, 0.02, 0.02, 0.085, 0.02, 0.02, 0.08, 0.02]
    verdict = rate_verdict(series(99, 320, 4_000), steady(jumpy))  # 8%: 4x, as four others
    assert verdict is not None and verdict.ratio == 4.0 and not verdict.is_win


def test_where_the_count_wins_bigger_the_count_is_told() -> None:
    # 1,000 interactions on 8,000 impressions: 10x the engagement, 12.5% = 5x the rate.
    verdict = judge(series(99, 1_000, 8_000), steady())
    assert verdict.is_win and verdict.metric == "engagement" and verdict.ratio > 9


def test_rates_are_written_as_people_write_them() -> None:
    assert [format_rate(r) for r in (0.0045, 0.024, 0.098, 0.125, 0.0)] == [
        "0.45%", "2.4%", "9.8%", "12%", "0.00%",
    ]  # fmt: skip


def test_a_baseline_of_no_interactions_gives_a_finite_ratio() -> None:
    call = judge_rate((50, 2_000), [(0, 2_000)] * 6, BAR)
    assert math.isfinite(call.ratio) and call.ratio == 25.0 and call.is_win


# Baselines of rates (engagement, impressions), each with impressions at the floor or above.
baselines = st.lists(
    st.tuples(st.integers(0, 5_000), st.integers(1_000, 200_000)).filter(lambda p: p[0] <= p[1]),
    min_size=5,
    max_size=30,
)


@settings(max_examples=200, deadline=None)
@given(baselines, st.integers(1_000, 200_000), st.floats(0.0, 1.0))
def test_a_rate_under_the_ratio_bar_never_wins(
    history: list[tuple[int, int]], impressions: int, share: float
) -> None:
    rates = sorted(e / i for e, i in history)
    median_rate = judge_rate((0, impressions), history, BAR).baseline
    engagement = math.floor(share * BAR.ratio * max(median_rate, 0.001) * impressions * 0.999)
    call = judge_rate((engagement, impressions), history, BAR)
    assert rates[0] <= call.baseline <= rates[-1]
    assert not call.is_win


@settings(max_examples=200, deadline=None)
@given(baselines, st.integers(1_000, 200_000), st.integers(0, 20_000), st.integers(1, 5_000))
def test_more_interactions_on_the_same_impressions_never_lose_a_win(
    history: list[tuple[int, int]], impressions: int, engagement: int, more: int
) -> None:
    engagement = min(engagement, impressions)
    before = judge_rate((engagement, impressions), history, BAR)
    after = judge_rate((engagement + more, impressions), history, BAR)
    assert after.ratio >= before.ratio and after.z >= before.z
    assert not before.is_win or after.is_win


@settings(max_examples=200, deadline=None)
@given(baselines, st.integers(1_000, 200_000), st.integers(0, 20_000))
def test_the_z_score_is_on_log_rates_and_ignores_the_history_order(
    history: list[tuple[int, int]], impressions: int, engagement: int
) -> None:
    engagement = min(engagement, impressions)
    forward = rate_score((engagement, impressions), history)
    assert forward == rate_score((engagement, impressions), list(reversed(history)))
    call = judge_rate((engagement, impressions), history, BAR)
    assert call.is_win is False or (call.rate - call.baseline >= BAR.gain)

"""Win detection rules, on plain data."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from bot.domain.milestones import follower_milestones
from bot.domain.models import Platform
from bot.domain.post_series import PostSeries
from bot.domain.wins import DetectionRules, robust_score, score_post

T0 = datetime(2026, 10, 1, 9, 0, tzinfo=UTC)
RULES = DetectionRules()


def series(post_id: int, day: int, counts: dict[float, int]) -> PostSeries:
    """A post published on ``day`` with engagement ``counts`` keyed by age in hours."""
    published = T0 + timedelta(days=day)
    s = PostSeries(post_id, published)
    for hours, value in sorted(counts.items()):
        s.add(published + timedelta(hours=hours), value)
    return s


def history(values: list[int], hours: float = 24) -> list[PostSeries]:
    return [series(i, i, {hours: v}) for i, v in enumerate(values)]


def judge(post: PostSeries, past: list[PostSeries], rules: DetectionRules = RULES):  # type: ignore[no-untyped-def]
    return score_post(post, past, rules, account="@acme", platform=Platform.LINKEDIN)


def test_outperforming_post_is_a_win_with_a_reason_quoting_the_numbers() -> None:
    past = history([90, 100, 110, 95, 105, 100, 98, 102])
    verdict = judge(series(99, 20, {24: 800}), past)
    assert verdict is not None and verdict.is_win
    assert verdict.ratio == 8.0
    assert "8.0x the median engagement of @acme's last 8 LinkedIn posts" in verdict.reason
    assert "(800 vs 100 interactions)" in verdict.reason


def test_ordinary_post_is_not_a_win() -> None:
    past = history([90, 100, 110, 95, 105, 100, 98, 102])
    verdict = judge(series(99, 20, {24: 115}), past)
    assert verdict is not None and not verdict.is_win


def test_too_little_history_gives_no_verdict() -> None:
    past = history([10, 12, 11, 9])
    assert judge(series(99, 20, {24: 500}), past) is None


def test_tiny_account_below_the_absolute_floor_does_not_win() -> None:
    past = history([1, 0, 1, 2, 1, 1, 0, 1])
    verdict = judge(series(99, 20, {24: 12}), past)  # 12x the median, but only 12 interactions
    assert verdict is not None and verdict.ratio >= 10
    assert not verdict.is_win


def test_zero_spread_falls_back_to_a_floor_instead_of_dividing_by_zero() -> None:
    flat = [100] * 10
    assert robust_score(100, flat) == 0
    modest = robust_score(110, flat)
    assert 0 < modest < 1  # a 10% bump on a metronome account is not a big deal
    assert robust_score(1000, flat) > 5


def test_one_viral_post_in_the_history_does_not_hide_the_next_one() -> None:
    past = history([100, 95, 105, 5000, 98, 102, 100, 97])
    verdict = judge(series(99, 20, {24: 900}), past)
    assert verdict is not None and verdict.is_win


def test_posts_are_compared_at_the_same_age() -> None:
    # History: 100 after 2 hours, 1000 after a week. A 2-hour-old post at 400 beats them.
    past = [series(i, i, {2: 100, 168: 1000}) for i in range(8)]
    young = judge(series(99, 20, {2: 400}), past)
    assert young is not None and young.is_win
    assert "in the first 2 hours" in young.reason
    # The same 400 after a week is a poor result.
    old = judge(series(98, 20, {168: 400}), past)
    assert old is not None and not old.is_win


def test_only_earlier_posts_count_as_history() -> None:
    later = [series(i, 40 + i, {24: 10}) for i in range(10)]
    assert judge(series(99, 20, {24: 500}), later) is None


def test_baseline_uses_the_most_recent_posts_only() -> None:
    rules = DetectionRules(baseline_posts=5)
    past = history([1000] * 10 + [100] * 5)
    verdict = judge(series(99, 30, {24: 600}), past, rules)
    assert verdict is not None
    assert verdict.history == 5 and verdict.baseline == 100


def test_export_snapshot_older_than_the_target_age_uses_the_earliest_count() -> None:
    s = series(1, 0, {200: 50, 400: 70})
    assert s.at_age(24 * 3600) == 50
    assert s.at_age(500 * 3600) == 70


def test_between_two_snapshots_the_count_is_read_in_proportion() -> None:
    # Polled at 3 and 8 days: at 7 days a slow burner has more than its 3-day count.
    s = series(1, 0, {72: 100, 192: 400})
    assert s.at_age(72 * 3600) == 100
    assert s.at_age(168 * 3600) == 340  # 100 + (168 - 72) / (192 - 72) * 300
    assert s.at_age(300 * 3600) == 400


def test_a_count_missing_after_the_age_is_read_from_the_snapshot_before() -> None:
    s = PostSeries(1, T0)
    s.add(T0 + timedelta(hours=24), 10, (1_000, None, None, None))
    s.add(T0 + timedelta(hours=48), 20, (None, None, None, None))
    assert s.metric_at_age("impressions", 36 * 3600) == 1_000
    assert s.metric_at_age("impressions", 12 * 3600) == 1_000
    assert s.at_age(36 * 3600) == 15


def test_follower_milestone_found_once_at_the_highest_round_number_crossed() -> None:
    points = [
        (T0, 9_800),
        (T0 + timedelta(days=1), 9_950),
        (T0 + timedelta(days=2), 10_040),
        (T0 + timedelta(days=3), 10_100),
    ]
    found = follower_milestones(points, account="@acme", platform=Platform.LINKEDIN)
    assert [m.followers for m in found] == [10_000]
    assert found[0].occurred_at == T0 + timedelta(days=2)
    assert "passed 10,000 followers on LinkedIn" in found[0].reason
    jump = follower_milestones(
        [(T0, 900), (T0 + timedelta(days=1), 5_500)], account="a", platform=Platform.X
    )
    assert [m.followers for m in jump] == [5_000]

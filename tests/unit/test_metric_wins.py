"""Wins are not only engagement: reach, impressions, views and clicks each have a baseline."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from bot.domain.formatting import win_strength
from bot.domain.models import Platform, Win, WinKind
from bot.domain.post_series import EXPOSURE_METRICS, PostSeries
from bot.domain.wins import DetectionRules, score_post

T0 = datetime(2026, 10, 1, 9, 0, tzinfo=UTC)
RULES = DetectionRules()


def series(post_id: int, day: int, engagement: int, **counts: int | None) -> PostSeries:
    s = PostSeries(post_id, T0 + timedelta(days=day))
    exposure = tuple(counts.get(name) for name in EXPOSURE_METRICS)
    s.add(s.published_at + timedelta(hours=24), engagement, exposure)
    return s


def history(**counts: int | None) -> list[PostSeries]:
    # Twelve ordinary posts: 100 to 102 interactions, and the given counts.
    return [series(day, day, 100 + day % 3, **counts) for day in range(12)]


def judge(post: PostSeries, past: list[PostSeries]) -> tuple[bool, str, float, str]:
    verdict = score_post(post, past, RULES, account="acme", platform=Platform.LINKEDIN)
    assert verdict is not None
    return verdict.is_win, verdict.metric, verdict.ratio, verdict.reason


def test_a_post_that_reached_9x_its_usual_people_is_a_win_on_reach() -> None:
    post = series(99, 13, 101, reach=40_000, impressions=52_000)
    is_win, metric, ratio, reason = judge(post, history(reach=4_400, impressions=50_000))
    assert is_win and metric == "reach" and ratio > 8
    assert reason.startswith("9.1x the median reach of acme's last 12 LinkedIn posts")
    assert reason.endswith("(40,000 vs 4,400 people reached)")


def test_where_two_counts_win_the_bigger_ratio_is_told() -> None:
    post = series(99, 13, 1_000, video_views=30_000)
    is_win, metric, ratio, _ = judge(post, history(video_views=10_000))
    assert is_win and metric == "engagement" and ratio > 9  # 10x engagement beats 3x views


def test_a_count_under_its_floor_is_never_a_win() -> None:
    # 10x the usual reach, but 900 people is not news on any account.
    post = series(99, 13, 100, reach=900)
    is_win, metric, _, _ = judge(post, history(reach=90))
    assert not is_win and metric == "engagement"


def test_a_count_too_few_baseline_posts_report_is_not_judged() -> None:
    post = series(99, 13, 100, impressions=500_000)
    sparse = history()
    for s in sparse[:4]:  # four posts reported impressions: fewer than min_history (5)
        s.exposure = [(50_000, None, None, None)]
    assert judge(post, sparse)[:2] == (False, "engagement")
    for s in sparse[:5]:  # five did: judged, and 10x
        s.exposure = [(50_000, None, None, None)]
    assert judge(post, sparse)[:2] == (True, "impressions")


def test_the_strength_names_the_count() -> None:
    win = Win(id=1, kind=WinKind.POST, score=3.2, reason="", occurred_at=T0, detected_at=T0,
              ratio=9.1, metric="reach")  # fmt: skip
    assert win_strength(win) == "9.1x its usual reach"
    assert win_strength(win.model_copy(update={"metric": None})) == "9.1x its usual engagement"
    clicks = win.model_copy(update={"metric": "clicks", "ratio": 12.0})
    assert win_strength(clicks) == "12x its usual link clicks"

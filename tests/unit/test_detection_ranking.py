"""Detection decides with statistics and ranks by times-the-usual: the rules of issue 13 §1."""

from __future__ import annotations

import math
from datetime import UTC, datetime, timedelta

from bot.domain.formatting import win_strength
from bot.domain.milestones import Milestone
from bot.domain.models import Platform, PostFormat, Win, WinKind
from bot.domain.post_series import PostSeries
from bot.domain.wins import (
    DetectionRules,
    PostVerdict,
    goal_score,
    ratio_score,
    robust_score,
    score_post,
)

T0 = datetime(2026, 10, 1, 9, 0, tzinfo=UTC)
RULES = DetectionRules()
# A young, noisy YouTube channel: ten videos whose week-one engagement spans 40 to 2,500.
NOISY = [40, 900, 120, 2500, 200, 60, 700, 300, 90, 1500]


def history(values: list[int]) -> list[PostSeries]:
    made = []
    for day, value in enumerate(values):
        s = PostSeries(day, T0 + timedelta(days=day))
        s.add(s.published_at + timedelta(hours=24), value)
        made.append(s)
    return made


def judge(value: int, past: list[int], platform: Platform = Platform.YOUTUBE) -> PostVerdict:
    post = PostSeries(999, T0 + timedelta(days=len(past) + 1))
    post.add(post.published_at + timedelta(hours=24), value)
    verdict = score_post(post, history(past), RULES, account="acme", platform=platform)
    assert verdict is not None
    return verdict


def test_a_41x_video_on_a_noisy_young_channel_is_a_win() -> None:
    usual = 250  # the median of NOISY
    verdict = judge(41 * usual, NOISY)
    assert verdict.z < RULES.min_score  # what the statistics alone missed
    assert verdict.is_win
    assert verdict.ratio == 41.0


def test_a_17x_video_on_the_same_channel_is_a_win_too() -> None:
    verdict = judge(round(17.6 * 250), NOISY)
    assert verdict.is_win and verdict.z < RULES.min_score


def test_the_ratio_rule_needs_the_history_any_judgement_needs() -> None:
    # Five earlier videos (median 120): 41x that is news even with z under 3; four say nothing.
    verdict = judge(41 * 120, NOISY[:5])
    assert verdict.is_win and verdict.z < RULES.min_score
    post = PostSeries(999, T0 + timedelta(days=5))
    post.add(post.published_at + timedelta(hours=24), 41 * 120)
    assert score_post(post, history(NOISY[:4]), RULES, account="a", platform=Platform.X) is None


def test_6x_is_not_news_on_an_account_that_does_6x_every_few_posts() -> None:
    routine = [100, 700, 95, 105, 650, 100, 90, 800, 110, 100, 680, 98]
    verdict = judge(650, routine, Platform.TIKTOK)
    assert verdict.ratio >= 6
    assert not verdict.is_win
    # The same post on an account where 6x is rare is a win.
    steady = [100, 95, 105, 110, 90, 100, 98, 102, 104, 96, 101, 99]
    assert judge(650, steady, Platform.TIKTOK).is_win


def test_a_far_bigger_jump_is_news_even_where_6x_is_routine() -> None:
    routine = [100, 700, 95, 105, 650, 100, 90, 800, 110, 100, 680, 98]
    assert judge(5_000, routine, Platform.TIKTOK).is_win


def test_16x_the_median_outranks_2_6x_whatever_their_z_scores() -> None:
    metronome = [200, 201, 199, 200, 202, 198, 200, 200, 201, 199]
    modest = judge(520, metronome, Platform.LINKEDIN)  # 2.6x, a huge z on a metronome
    big = judge(3_217, [60, 900, 200, 40, 700, 150, 300, 200, 1200, 90], Platform.LINKEDIN)
    assert modest.is_win and big.is_win
    assert modest.z > big.z  # the old ranking put 2.6x first
    assert big.score > modest.score
    assert big.score == ratio_score(big.ratio)


def test_scores_are_log2_of_times_the_usual() -> None:
    assert ratio_score(8.0) == 3.0
    assert ratio_score(2.0) == 1.0
    assert ratio_score(0) < 0  # never a math domain error


def test_milestones_and_goals_rank_on_the_same_stated_scale() -> None:
    def milestone(followers: int) -> float:
        return Milestone(followers, followers, followers - 1, T0, "").score

    assert milestone(1_000) == ratio_score(4.0)
    assert milestone(10_000) == ratio_score(8.0)
    assert milestone(1_000_000) == ratio_score(32.0)
    assert goal_score(1.0) == ratio_score(8.0)
    assert goal_score(2.5) == ratio_score(16.0)


def test_ordinary_posts_on_a_noisy_channel_stay_quiet() -> None:
    for value in (250, 500):  # its usual, and twice it
        assert not judge(value, NOISY).is_win


def test_two_big_posts_in_ten_do_not_make_big_posts_routine() -> None:
    # 2,500 and 1,500 among ten videos is luck, not a habit: 6x its usual is still news there.
    assert judge(1_500, NOISY).is_win
    # Four in twelve is a habit.
    routine = [100, 700, 95, 105, 650, 100, 90, 800, 110, 100, 680, 98]
    assert not judge(600, routine, Platform.TIKTOK).is_win


def test_a_post_is_judged_against_its_own_format_when_the_account_has_enough_of_them() -> None:
    # Videos draw 1,000 here and text posts 100: a text post at 700 is 7x its usual, while
    # against all twenty posts (median 550) it would read 1.3x and pass unnoticed.
    past = []
    for day in range(20):
        fmt = PostFormat.VIDEO if day % 2 else PostFormat.TEXT
        s = PostSeries(day, T0 + timedelta(days=day), fmt)
        s.add(s.published_at + timedelta(hours=24), 1_000 if fmt is PostFormat.VIDEO else 100)
        past.append(s)
    post = PostSeries(99, T0 + timedelta(days=21), PostFormat.TEXT)
    post.add(post.published_at + timedelta(hours=24), 700)
    verdict = score_post(post, past, RULES, account="acme", platform=Platform.LINKEDIN)
    assert verdict is not None and verdict.is_win and verdict.ratio == 7.0
    assert "acme's last 10 LinkedIn text posts" in verdict.reason
    assert {pid for pid, _ in verdict.compared} == {d for d in range(20) if d % 2 == 0}
    # Without its format it is judged against every post, and is not news.
    plain = PostSeries(99, post.published_at)
    plain.add(post.published_at + timedelta(hours=24), 700)
    unformatted = score_post(plain, past, RULES, account="acme", platform=Platform.LINKEDIN)
    assert unformatted is not None and not unformatted.is_win
    assert "acme's last 20 LinkedIn posts" in unformatted.reason


def test_robust_score_is_unchanged_for_deciding() -> None:
    assert math.isclose(robust_score(100, [100] * 10), 0)


def _win(kind: WinKind, ratio: float | None = None) -> Win:
    return Win(id=1, kind=kind, score=1.0, reason="", occurred_at=T0, detected_at=T0, ratio=ratio)


def test_win_strength_says_times_its_usual_engagement() -> None:
    assert win_strength(_win(WinKind.POST, 6.2)) == "6.2x its usual engagement"
    assert win_strength(_win(WinKind.POST, 16.08)) == "16x its usual engagement"
    assert win_strength(_win(WinKind.POST, 3.0)) == "3x its usual engagement"
    assert win_strength(_win(WinKind.POST, 1234.5)) == "1,234x its usual engagement"
    assert win_strength(_win(WinKind.MILESTONE)) == "a follower milestone"
    assert win_strength(_win(WinKind.CAMPAIGN)) == "pilot goal reached"


def test_in_its_first_hours_a_post_needs_3x_its_usual() -> None:
    """Early counts say how fast a post took off, not how far it will go: 2.6x at three hours
    old is one share to the right person; the same at a day old is a win."""
    steady = [100, 101, 99, 100, 102, 98, 100, 100, 101, 99]

    def at(hours: int, value: int) -> PostVerdict:
        past = []
        for day, count in enumerate(steady):
            s = PostSeries(day, T0 + timedelta(days=day))
            s.add(s.published_at + timedelta(hours=hours), count)
            past.append(s)
        post = PostSeries(999, T0 + timedelta(days=11))
        post.add(post.published_at + timedelta(hours=hours), value)
        verdict = score_post(post, past, RULES, account="acme", platform=Platform.LINKEDIN)
        assert verdict is not None
        return verdict

    assert not at(3, 260).is_win and at(3, 260).z >= RULES.min_score
    assert at(3, 320).is_win
    assert at(24, 260).is_win

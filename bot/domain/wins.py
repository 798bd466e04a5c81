"""Win detection: pure functions over plain data, so every rule is testable without a database.

Deciding. A post is a win when it beats its own account's baseline: the median engagement of the
account's previous posts *at the same age*, because a post two hours old cannot be compared with
last month's posts at their final counts, and *of the same format* (video, image, text, ...)
where the platform says and the account has ``format_history`` such posts, because a video
usually draws more than a text post. Two tests, either suffices (and both need the post at
``min_ratio`` times its baseline and ``min_engagement`` interactions, so a tiny account turning
3 likes instead of 1 into a "win" stays quiet):

- statistics: a robust z-score on log(1 + engagement) of at least ``min_score``, so one viral
  post in the history does not hide the next one;
- size: ``big_ratio`` times its usual (5x) with ``ratio_history`` earlier posts (the 5 any
  judgement needs) to judge by.
  This catches the 41x post on a noisy YouTube channel whose wide spread and short history keep
  its z-score under 3. The bar sits under the 6x a reader calls "many times": a median of a few
  dozen posts is itself uncertain, and a 6x post measured against it often reads 5x.

Either way, not when the account's own history shows such jumps are routine: ``routine_share``
(a quarter) of its recent posts, and at least ``ROUTINE_JUMPS`` of them, did ``big_ratio`` times
the same median (or half this post's ratio if more). If 5x happens every few posts, it is not
news; two lucky posts in ten prove nothing. `python bench/bench_signal.py` measures the rules
against a seeded history as messy as real accounts.

The engagement rate (interactions per impression) is judged too, by a rule of its own for a
bounded, narrow quantity: see ``bot.domain.rates``.

Ranking. The z-score decides; it never ranks or shows. A win's ``score`` is one scale for every
kind, log2 of "times its usual", so a post at 8x scores 3 and one at 16x scores 4:

- a post: log2(actual / expected at the same age), the ratio a reader is told ("6.2x its usual");
- a follower milestone: ranks like a post at 4x for 1,000 followers, and twice that ratio for
  every tenfold (10,000 like 8x, 1,000,000 like 32x): 2 + log10(followers / 1000);
- a pilot goal reached: like a post at 8x, up to 16x for doubling the target:
  3 + min(achieved / target - 1, 1) (see ``goal_score``).
"""

from __future__ import annotations

import math
from bisect import bisect_right
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from statistics import median

from bot.domain.models import Platform
from bot.domain.post_series import PostSeries
from bot.domain.rates import RATE_METRIC, RateBar, format_rate, judge_rate

MATURE_AGE = timedelta(days=7)
# 1.4826 * MAD estimates the standard deviation of normal data; the floor is the fallback when
# an account's posts are all alike (MAD = 0), so a 10% bump on a metronome account scores low,
# and the statistics call a post on it a win from about 2.5x its usual (log 2.5 / 0.3 = 3).
MAD_SCALE = 1.4826
SPREAD_FLOOR = 0.3
# Fewer jumps than this prove nothing: two or three lucky posts in a history happen anywhere.
ROUTINE_JUMPS = 4


@dataclass(frozen=True, slots=True)
class DetectionRules:
    """Thresholds for a post win; defaults come from Settings."""

    baseline_posts: int = 30
    min_history: int = 5
    min_engagement: int = 20
    min_ratio: float = 2.0
    min_score: float = 3.0
    mature_age: timedelta = MATURE_AGE
    big_ratio: float = 5.0
    ratio_history: int = 5
    routine_share: float = 0.25
    # A post is compared with earlier posts of its own format (video, image, ...) when the
    # account has ``format_history`` of them among its last ``history_window`` posts.
    format_history: int = 8
    # In its first hours a post's count is a handful of early reactions, and one share to the
    # right person doubles it: before ``young_age`` it must reach ``young_ratio`` its usual.
    young_age: timedelta = timedelta(hours=6)
    young_ratio: float = 3.0
    # The engagement rate (``bot.domain.rates``): times the median rate, the same whatever the
    # spread, the least rise (a fraction: 0.01 is a percentage point), the impressions it needs.
    rate_ratio: float = 2.5
    rate_big_ratio: float = 4.0
    rate_gain: float = 0.01
    rate_impressions: int = 1_000

    @property
    def history_window(self) -> int:
        """How many earlier posts detection reads per post: enough for a same-format baseline."""
        return 2 * self.baseline_posts


@dataclass(frozen=True, slots=True)
class JudgedMetric:
    """A count a post can win on, with the words its reason uses and the least it must reach."""

    name: str
    noun: str  # "the median impressions of ..."
    unit: str  # "(40,000 vs 4,300 impressions)"
    floor: int | None  # None: the rules' min_engagement


# Engagement first: where two counts make a post a win, the bigger ratio is told, and on a tie
# the count a reader knows best. Reach counts people; clicks are link clicks.
JUDGED_METRICS: tuple[JudgedMetric, ...] = (
    JudgedMetric("engagement", "engagement", "interactions", None),
    JudgedMetric("reach", "reach", "people reached", 1_000),
    JudgedMetric("impressions", "impressions", "impressions", 1_000),
    JudgedMetric("video_views", "video views", "views", 1_000),
    JudgedMetric("clicks", "link clicks", "clicks", 20),
)
# Every metric a win may name; the rate's "unit" is a percentage, never a count.
METRIC_UNITS = {m.name: m.unit for m in JUDGED_METRICS} | {RATE_METRIC: "%"}
METRIC_NOUNS = {m.name: m.noun for m in JUDGED_METRICS} | {RATE_METRIC: "engagement rate"}


@dataclass(frozen=True, slots=True)
class PostVerdict:
    post_id: int
    is_win: bool
    score: float  # the ranking scale: log2(ratio)
    z: float  # the robust z-score that, with the ratio, decides
    ratio: float
    value: float  # the judged count at ``age`` (a fraction for the engagement rate)
    baseline: float
    history: int
    age: float
    occurred_at: datetime
    reason: str
    # The baseline posts as they were compared: (post id, count at ``age``), oldest first, so
    # anyone can check the claim (`wins why N`); for the rate, (post id, engagement,
    # impressions), the counts anyone can check rather than a rate they cannot.
    compared: tuple[tuple[int, ...], ...] = ()
    metric: str = "engagement"  # which count made it a win (or was judged, when none did)
    counts: tuple[int, int] | None = None  # a rate's (engagement, impressions) at ``age``


def robust_score(value: float, history: Sequence[float]) -> float:
    """Robust z-score of log1p(value) against log1p(history): median and MAD, floored spread."""
    logs = [math.log1p(v) for v in history]
    centre = median(logs)
    spread = MAD_SCALE * median(abs(x - centre) for x in logs)
    return (math.log1p(value) - centre) / max(spread, SPREAD_FLOOR)


def score_post(
    post: PostSeries,
    history: Sequence[PostSeries],
    rules: DetectionRules,
    *,
    account: str,
    platform: Platform,
) -> PostVerdict | None:
    """Judge ``post`` against the account's earlier posts; None when there is too little to say.

    Each count the platform reports (engagement, reach, impressions, video views, link clicks)
    is judged against its own baseline, because "this post reached 40,000 people" is news even
    when its likes were ordinary, and so is the engagement rate where impressions are known.
    The verdict names the metric with the biggest winning ratio (on a tie the first judged, the
    rate last), or engagement's when none wins. ``history`` must hold the account's posts
    published before ``post``, newest last.
    """
    if not post.ages:
        return None
    earlier = baseline_posts(post, history, rules)
    if len(earlier) < rules.min_history:
        return None
    age = comparable_age(post, rules)
    judged = [
        verdict
        for metric in JUDGED_METRICS
        if (verdict := _judge(metric, post, earlier, age, rules, account, platform)) is not None
    ]
    if (rate := _judge_rate(post, earlier, age, rules, account, platform)) is not None:
        judged.append(rate)
    wins = [v for v in judged if v.is_win]
    return max(wins, key=lambda v: v.ratio) if wins else judged[0]


def _judge(
    metric: JudgedMetric,
    post: PostSeries,
    earlier: Sequence[PostSeries],
    age: float,
    rules: DetectionRules,
    account: str,
    platform: Platform,
) -> PostVerdict | None:
    """One count's verdict, or None when the post or too few of its baseline posts report it."""
    value = post.metric_at_age(metric.name, age)
    if value is None:
        return None
    compared = [
        (h.post_id, count)
        for h in earlier
        if (count := h.metric_at_age(metric.name, age)) is not None
    ]
    if len(compared) < rules.min_history:
        return None
    baseline_values = [count for _, count in compared]
    baseline = float(median(baseline_values))
    z = robust_score(value, baseline_values)
    ratio = value / max(baseline, 1.0)
    floor = rules.min_engagement if metric.floor is None else metric.floor
    young = age < rules.young_age.total_seconds()
    is_win = (
        value >= floor
        and ratio >= (max(rules.min_ratio, rules.young_ratio) if young else rules.min_ratio)
        and not _routine(ratio, baseline, baseline_values, rules)
        and (z >= rules.min_score or _big(ratio, baseline_values, rules))
    )
    index = max(bisect_right(post.ages, age) - 1, 0)
    reason = (
        f"{format_ratio(ratio)} the median {metric.noun} of {account}'s last {len(compared)} "
        f"{platform.label} {_posts_of(post, earlier)} {describe_age(age, rules)} "
        f"({value:,} vs {baseline:,.0f} {metric.unit})"
    )
    return PostVerdict(
        post_id=post.post_id, is_win=is_win, score=ratio_score(ratio), z=round(z, 2),
        ratio=round(ratio, 2), value=value, baseline=baseline, history=len(compared), age=age,
        occurred_at=post.captured_at[index], reason=reason, compared=tuple(compared),
        metric=metric.name,
    )  # fmt: skip


def _judge_rate(
    post: PostSeries,
    earlier: Sequence[PostSeries],
    age: float,
    rules: DetectionRules,
    account: str,
    platform: Platform,
) -> PostVerdict | None:
    """The engagement rate's verdict (``bot.domain.rates``), or None where it cannot be judged:
    the post, or fewer than ``min_history`` of its baseline posts, lack the impressions."""
    floor = rules.rate_impressions
    impressions = post.metric_at_age("impressions", age)
    if impressions is None or impressions < floor:
        return None
    counts = (post.at_age(age), impressions)
    compared = [
        (h.post_id, h.at_age(age), seen)
        for h in earlier
        if (seen := h.metric_at_age("impressions", age)) is not None and seen >= floor
    ]
    if len(compared) < rules.min_history:
        return None
    young = age < rules.young_age.total_seconds()
    bar = RateBar(
        ratio=max(rules.rate_ratio, rules.young_ratio) if young else rules.rate_ratio,
        gain=rules.rate_gain, score=rules.min_score, big_ratio=rules.rate_big_ratio,
        engagement=rules.min_engagement, routine_share=rules.routine_share,
        routine_jumps=ROUTINE_JUMPS, history=rules.ratio_history,
    )  # fmt: skip
    call = judge_rate(counts, [(e, i) for _, e, i in compared], bar)
    index = max(bisect_right(post.ages, age) - 1, 0)
    reason = (
        f"an engagement rate of {format_rate(call.rate)}, {format_ratio(call.ratio)} {account}'s "
        f"usual {format_rate(call.baseline)} on its last {len(compared)} {platform.label} "
        f"{_posts_of(post, earlier)} {describe_age(age, rules)} "
        f"({counts[0]:,} interactions on {counts[1]:,} impressions)"
    )
    return PostVerdict(
        post_id=post.post_id, is_win=call.is_win, score=ratio_score(call.ratio),
        z=round(call.z, 2), ratio=round(call.ratio, 2), value=round(call.rate, 5),
        baseline=round(call.baseline, 5), history=len(compared), age=age,
        occurred_at=post.captured_at[index], reason=reason, compared=tuple(compared),
        metric=RATE_METRIC, counts=counts,
    )  # fmt: skip


def baseline_posts(
    post: PostSeries, history: Sequence[PostSeries], rules: DetectionRules
) -> list[PostSeries]:
    """The earlier posts ``post`` is judged against: of its own format when there are enough.

    A video usually draws more than a text post on the same account, so judging a text post
    against a history full of videos hides its win, and a video against text posts flatters
    it. Platforms that say a post's format get the fairer baseline; the rest, all formats.
    """
    earlier = [h for h in history if h.ages and h.published_at < post.published_at]
    if post.format is not None:
        same = [h for h in earlier if h.format is post.format]
        if len(same) >= rules.format_history:
            return same[-rules.baseline_posts :]
    return earlier[-rules.baseline_posts :]


def _posts_of(post: PostSeries, baseline: Sequence[PostSeries]) -> str:
    """The noun for the baseline: "video posts" when all are of the post's format, else "posts"."""
    if post.format is not None and all(h.format is post.format for h in baseline):
        return f"{post.format.noun} posts"
    return "posts"


def _big(ratio: float, history: Sequence[int], rules: DetectionRules) -> bool:
    """Many times the usual, with enough history to trust the usual.

    On a noisy account the z-score needs an absurd ratio before it passes 3; yet a post at 41x
    is news (unless such jumps are routine there, which ``_routine`` vetoes).
    """
    return ratio >= rules.big_ratio and len(history) >= rules.ratio_history


def _routine(ratio: float, baseline: float, history: Sequence[int], rules: DetectionRules) -> bool:
    """Whether the account's own recent posts show jumps like this one every few posts.

    If 6x happens every few posts, 6x is not news, however the statistics score it: count the
    history posts that reached ``big_ratio`` times the same median.
    """
    if len(history) < rules.ratio_history:
        return False
    # "Such jumps": at least half this one's ratio, so a 40x post is not routine merely because
    # the account often does 6x.
    bar = max(rules.big_ratio, ratio / 2) * max(baseline, 1.0)
    jumps = sum(1 for v in history if v >= bar)
    return jumps >= max(ROUTINE_JUMPS, rules.routine_share * len(history))


def ratio_score(ratio: float) -> float:
    """A post win's rank: log2 of times its usual, so ratios compare evenly (2x=1, 8x=3)."""
    return round(math.log2(max(ratio, 1e-9)), 2)


def goal_score(fraction: float) -> float:
    """A reached pilot goal's rank: like a post at 8x, up to 16x for doubling the target."""
    return round(3.0 + max(0.0, min(fraction - 1, 1.0)), 2)


def comparable_age(post: PostSeries, rules: DetectionRules) -> float:
    """The age ``post`` and its history are compared at: its latest age, capped at maturity.

    Public because detection reads history posts only at this age: both must use one definition.
    """
    return min(post.latest_age, rules.mature_age.total_seconds())


def format_ratio(ratio: float) -> str:
    return f"{ratio:.1f}x" if ratio < 10 else f"{ratio:.0f}x"


def describe_age(age_seconds: float, rules: DetectionRules) -> str:
    if age_seconds >= rules.mature_age.total_seconds():
        days = round(rules.mature_age.total_seconds() / 86400)
        return f"after {days} days"
    hours = age_seconds / 3600
    if hours < 1.5:
        return "in the first hour"
    if hours < 36:
        return f"in the first {round(hours)} hours"
    return f"in the first {round(hours / 24)} days"

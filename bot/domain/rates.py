"""Engagement rate: interactions per impression, judged against the account's own usual rate.

Why a rate at all. A post shown to few people that most of them reacted to is news the counts
miss: 980 interactions may be an ordinary count for the account, but on 10,000 impressions
(9.8%) against its usual 2.4% it says the post struck a chord. No source stores a
platform-reported rate (the exports' "Engagement rate" columns are read as nothing, see
``adapters/sources/exports``), so the rate is computed from what every snapshot stores: its
engagement over its impressions *at the same snapshot*, and only where impressions are at least
``rate_impressions`` (1,000), so that 3 reactions on 40 impressions can never read as 7.5%.
Platforms that report no impressions (Mastodon, Bluesky, ...) have no rate.

Why not the counts' rule. A count's spread is wide (one post gets 5x another's likes on any
account), so counts win at 2x with a robust z of 3. A rate is bounded and narrower: most of an
account's posts sit within a half of its median rate, and 2x could be plain noise on a post
with few impressions. A rate wins when all of these hold, each for its own reason:

- ``rate_ratio`` (2.5x) the median rate of the same baseline posts at the same age (3x in a
  post's first hours, as for counts): what a reader calls "far above its usual";
- a robust z-score of ``min_score`` (3) on log(rate) against those posts' log rates, with the
  spread floored at ``RATE_SPREAD_FLOOR`` (0.25, so 2.5x passes on a metronome account), or
  ``rate_big_ratio`` (4x) its usual rate with ``ratio_history`` posts to judge by: on an
  account whose rates swing 3x from post to post, 2.5x is not news; but rates are bounded, and
  even a wide rate spread (0.45 on the log scale: an account whose posts draw anything from
  0.5% to 3%) puts 4x at three spreads (e^(3 x 0.45) = 3.9), while a z-score from ten posts
  with one odd rate among them can read 2 for a post at 5x. Counts need 5x for this path
  because their spreads are twice as wide;
- ``rate_gain`` (one percentage point) above the median: on an account whose posts draw 0.2%,
  0.5% is 2.5x but a rounding error of bot likes, not a win;
- ``min_engagement`` (20) interactions, as for engagement: a rate must rest on real reactions;
- not routine: the account's own recent posts did not make such jumps every few posts (the
  counts' rule, with ``rate_ratio`` as the least jump).

`python bench/bench_signal.py` measures the rule on posts with per-account rate distributions,
early-life rate noise, viral posts' lower rates and planted rates.

Ranking. A rate win ranks like every post win, ``ratio_score``: log2 of times its usual, the
same number the reader is told ("4.1x acme's usual 2.4%"), so a list never puts a "3x" above
a "5x" whatever the metric. A rate's 2.5x is rarer than a count's 2.5x, and that is what the
higher bar (2.5x, not 2x) already pays for; inflating its score as well would rank a post whose
counts were ordinary above posts with several times their usual reach or engagement.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from statistics import median

RATE_METRIC = "engagement_rate"
# 1.4826 * MAD estimates the standard deviation of normal data, as for counts. The floor is
# below the counts' 0.3 because rates are narrower: 2.5x on a metronome account scores 3.7.
MAD_SCALE = 1.4826
RATE_SPREAD_FLOOR = 0.25
# A median rate of nothing would make any rate "infinitely" many times its usual: ratios are
# taken against at least 0.1%, one interaction on the 1,000 impressions a rate needs.
RATE_BASELINE_FLOOR = 0.001


@dataclass(frozen=True, slots=True)
class RateBar:
    """What a rate must clear: the rules' thresholds for this post, its age already applied."""

    ratio: float  # times the median rate (2.5, or the young ratio in a post's first hours)
    gain: float  # the least rise over the median, as a fraction (0.01: one percentage point)
    score: float  # robust z on log(rate)
    big_ratio: float  # times the median rate that wins whatever the spread
    engagement: int  # the least interactions the rate rests on
    routine_share: float
    routine_jumps: int
    history: int  # the least baseline posts for the routine veto to count jumps


@dataclass(frozen=True, slots=True)
class RateCall:
    """A post's rate against its baseline: the figures a reason quotes, and whether it wins."""

    rate: float
    baseline: float  # the median rate of the compared posts
    ratio: float
    z: float
    is_win: bool


def _log_rate(engagement: int, impressions: int) -> float:
    # One interaction added, as log1p does for counts: a post with none still has a log.
    return math.log((engagement + 1) / impressions)


def rate_score(counts: tuple[int, int], history: Sequence[tuple[int, int]]) -> float:
    """Robust z-score of a post's log rate against the history's: (engagement, impressions)."""
    logs = [_log_rate(e, i) for e, i in history]
    centre = median(logs)
    spread = MAD_SCALE * median(abs(x - centre) for x in logs)
    return (_log_rate(*counts) - centre) / max(spread, RATE_SPREAD_FLOOR)


def judge_rate(
    counts: tuple[int, int], history: Sequence[tuple[int, int]], bar: RateBar
) -> RateCall:
    """The rate rule (see the module docstring) for a post's (engagement, impressions).

    ``history`` holds the baseline posts' (engagement, impressions) at the same age, each with
    impressions at the floor or above; the caller decides there are enough of them.
    """
    engagement, impressions = counts
    rate = engagement / impressions
    rates = [e / i for e, i in history]
    baseline = float(median(rates))
    ratio = rate / max(baseline, RATE_BASELINE_FLOOR)
    z = rate_score(counts, history)
    is_win = (
        engagement >= bar.engagement
        and ratio >= bar.ratio
        and rate - baseline >= bar.gain
        and (z >= bar.score or (ratio >= bar.big_ratio and len(history) >= bar.history))
        and not _routine(ratio, baseline, rates, bar)
    )
    return RateCall(rate=rate, baseline=baseline, ratio=ratio, z=z, is_win=is_win)


def _routine(ratio: float, baseline: float, rates: Sequence[float], bar: RateBar) -> bool:
    """Whether the account's recent posts made jumps like this one every few posts.

    As for counts: "such jumps" are at least the bar's ratio, or half this one's if more, and
    a quarter of the history (at least ``routine_jumps`` posts) making them makes them routine.
    """
    if len(rates) < bar.history:
        return False
    jump = max(bar.ratio, ratio / 2) * max(baseline, RATE_BASELINE_FLOOR)
    jumps = sum(1 for r in rates if r >= jump)
    return jumps >= max(bar.routine_jumps, bar.routine_share * len(rates))


def format_rate(rate: float) -> str:
    """A rate as people write one: "0.45%", "2.4%", "12%"; two significant figures at most."""
    percent = rate * 100
    if percent < 1:
        return f"{percent:.2f}%"
    if percent < 10:
        return f"{percent:.1f}%"
    return f"{percent:.0f}%"

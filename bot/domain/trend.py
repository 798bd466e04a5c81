"""The account's own trend: what "usual" means for a week, which weeks fell well short, and the
series a chart draws. Pure, like the rest of ``bot.domain``.

Last week alone is one noisy point: a leader who sees "+40%" cannot tell a good week from a
recovery after a bad one. The 12 weeks before the digest's week are the yardstick instead, and
the same numbers feed the headline comparison, the honest-miss lines and every chart, so the
picture and the text never disagree.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from bot.domain.formatting import audience_label, average_name, format_count, platform_label
from bot.domain.models import Audience, Platform
from bot.domain.views import TrendWeek

BASELINE_WEEKS = 12
# Fewer weeks of history than this and an average is an anecdote: no "vs 12-week avg" is shown.
MIN_USUAL_WEEKS = 4

# An honest miss: a week at least 40% below its 12-week weekly average. Weekly social numbers
# swing 20-30% on their own (a post more or less, a holiday), so anything milder would cry
# wolf most Mondays; 40% is a drop people notice without a chart. It is only said with 8 or
# more weeks of history (so a new account is never "below its usual") and only where the usual
# is worth talking about: the floors below keep "3 link clicks, 60% below" out of a leader's
# digest.
MISS_DROP = 0.40
MIN_MISS_WEEKS = 8
MISS_FLOORS: dict[str, int] = {
    "impressions": 2_000,
    "engagement": 100,
    "clicks": 20,
    "followers_gained": 20,
    "posts": 3,
}
MAX_MISSES = 3  # a leader reads three lines of bad news; the rest is a report, not a digest
METRIC_WORDS: dict[str, str] = {
    "followers_gained": "followers gained",
    "impressions": "impressions",
    "clicks": "link clicks",
    "engagement": "engagement",
    "posts": "posts published",
}
MAX_SERIES = 4  # lines a 360-pixel preview can tell apart; smaller platforms become "Other"
OTHER = "Other"
_BARS = "▁▂▃▄▅▆▇█"


@dataclass(frozen=True, slots=True)
class Usual:
    """A weekly average and how many weeks it rests on, so its name never claims more."""

    value: float
    weeks: int


def usual(
    trend: Sequence[TrendWeek],
    metric: str,
    platform: Platform | None = None,
    *,
    min_weeks: int = MIN_USUAL_WEEKS,
) -> float | None:
    """The weekly average of ``metric`` over the weeks before the last one (up to 12)."""
    found = usual_of(trend, metric, platform, min_weeks=min_weeks)
    return None if found is None else found.value


def usual_of(
    trend: Sequence[TrendWeek],
    metric: str,
    platform: Platform | None = None,
    *,
    min_weeks: int = MIN_USUAL_WEEKS,
) -> Usual | None:
    """The weekly average of ``metric`` over the weeks before the last one (up to 12), with
    the number of weeks it counts.

    Weeks before the scope's first recorded activity are left out rather than counted as
    zeros: an account added six weeks ago has six weeks of usual, not twelve weeks diluted by
    the ones before winsbot knew it. The week winsbot began watching an account is left out
    too: everything its posts had gathered before their first snapshot lands in that week, so
    it is part-covered and inflated at once. None with fewer than ``min_weeks`` weeks left.
    """
    history = list(trend[:-1])[-BASELINE_WEEKS:]
    active = [_active(week, platform) for week in history]
    if True not in active:
        return None
    history = history[active.index(True) :]
    values = [_value(week, metric, platform) for week in history if not _began(week, platform)]
    if len(values) < min_weeks:
        return None
    return Usual(sum(values) / len(values), len(values))


def honest_misses(trend: Sequence[TrendWeek], audience: Audience) -> list[str]:
    """One plain line per platform (leadership) or for the audience as a whole (a department)
    whose week is well below its own 12-week usual; the worst first, at most ``MAX_MISSES``.

    Only a scope's largest drop is said: "Instagram engagement 45% below" and "Instagram
    impressions 42% below" are one story told twice.
    """
    if len(trend) < 2:
        return []
    scopes: list[Platform | None] = [None]
    if audience.is_leadership:
        scopes = [*sorted({p for week in trend for p in week.platforms})]
    found: list[tuple[float, str]] = []
    for scope in scopes:
        worst: tuple[float, str] | None = None
        for metric, words in METRIC_WORDS.items():
            average = usual_of(trend, metric, scope, min_weeks=MIN_MISS_WEEKS)
            if average is None or average.value < MISS_FLOORS[metric]:
                continue
            value = _value(trend[-1], metric, scope)
            drop = 1 - value / average.value
            if drop >= MISS_DROP and (worst is None or drop > worst[0]):
                # A department's digest is already about its accounts: no need to name them.
                what = f"{platform_label(scope)} {words}" if scope else words.capitalize()
                worst = (drop, _miss_line(what, drop, value, average))
        if worst is not None:
            found.append(worst)
    found.sort(key=lambda item: -item[0])
    return [line for _, line in found[:MAX_MISSES]]


def chart_metric(trend: Sequence[TrendWeek]) -> str:
    """Impressions when the audience's platforms report them (reach is the outcome), else
    engagement: a chart of zeros would say "nothing happened" when the truth is "not measured"."""
    return "impressions" if any(week.total("impressions") for week in trend) else "engagement"


def chart_series(
    trend: Sequence[TrendWeek], metric: str, *, limit: int = MAX_SERIES
) -> list[tuple[str, list[int]]]:
    """(platform name, weekly values oldest first), biggest platform first; past ``limit``
    the smallest are summed as "Other", so a preview never has more lines than it can show."""
    totals: dict[Platform, int] = {}
    for week in trend:
        for platform, numbers in week.platforms.items():
            totals[platform] = totals.get(platform, 0) + int(getattr(numbers, metric))
    ranked = [p for p, n in sorted(totals.items(), key=lambda item: (-item[1], item[0])) if n]
    shown = ranked if len(ranked) <= limit else ranked[: limit - 1]
    series = [(platform_label(p), [_value(w, metric, p) for w in trend]) for p in shown]
    rest = ranked[len(shown) :]
    if rest:
        series.append((OTHER, [sum(_value(w, metric, p) for p in rest) for w in trend]))
    return series


def week_label(week: TrendWeek) -> str:
    """ "16 Nov": the week's Monday as people write a date, shorter than "2026-W47"."""
    return f"{week.starts_on.day} {week.starts_on:%b}"


def sparkline(values: Sequence[int]) -> str:
    """Eight-step bars ("▂▃▅█") that every chat and terminal draws as text."""
    if not values:
        return ""
    low, high = min(0, *values), max(values)
    if high == low:
        return _BARS[0] * len(values)
    steps = len(_BARS) - 1
    return "".join(_BARS[round((v - low) / (high - low) * steps)] for v in values)


def trend_sentence(metric: str, totals: Sequence[int], average: Usual | None) -> str:
    """The chart in one line for the message itself: the shape, this week and the usual."""
    text = f"{METRIC_WORDS[metric].capitalize()}, last {len(totals)} weeks: {sparkline(totals)}"
    text += f" this week {format_count(totals[-1])}"
    if average is not None:
        text += f", {average_name(average.weeks)} {format_count(round(average.value))}"
    return text


def trend_alt(
    metric: str,
    audience: Audience,
    weeks: Sequence[str],
    totals: Sequence[int],
    series: Sequence[tuple[str, Sequence[int]]],
    wins: Sequence[int],
    average: Usual | None,
) -> str:
    """Alt text that says what the chart shows, numbers included, for screen readers and
    for anyone whose client does not load the image. Built from what the chart draws (the
    layout's ``TrendChart``), so the two cannot differ."""
    words = METRIC_WORDS[metric].capitalize()
    listed = ", ".join(f"{week} {format_count(n)}" for week, n in zip(weeks, totals, strict=True))
    text = (
        f"{words} per week, {audience_label(audience.name)}, {len(weeks)} weeks to the week "
        f"of {weeks[-1]}: {listed}."
    )
    parts = [f"{name} {format_count(values[-1])}" for name, values in series]
    if parts:
        text += f" This week by platform: {', '.join(parts)}."
    if average is not None:
        text += f" {average_name(average.weeks)} {format_count(round(average.value))}."
    won = [week for week, count in zip(weeks, wins, strict=True) if count]
    text += f" Weeks with wins: {', '.join(won)}." if won else " No wins in these weeks."
    return text


def _miss_line(what: str, drop: float, value: int, average: Usual) -> str:
    return (
        f"{what} {round(drop * 100)}% below its {average_name(average.weeks)} "
        f"({format_count(value)} this week, usually {format_count(round(average.value))})"
    )


def _value(week: TrendWeek, metric: str, platform: Platform | None) -> int:
    if platform is None:
        return week.total(metric)
    numbers = week.platforms.get(platform)
    return int(getattr(numbers, metric)) if numbers is not None else 0


def _began(week: TrendWeek, platform: Platform | None) -> bool:
    chosen = week.platforms.values() if platform is None else [week.platforms.get(platform)]
    return any(numbers is not None and numbers.began for numbers in chosen)


def _active(week: TrendWeek, platform: Platform | None) -> bool:
    chosen = week.platforms.values() if platform is None else [week.platforms.get(platform)]
    return any(
        numbers is not None and any(getattr(numbers, m) for m in METRIC_WORDS) for numbers in chosen
    )

"""`wins why 7`: the numbers behind one win, in plain words anyone can check.

A win's reason is a claim ("16x the median engagement of acme's last 12 posts"). This lays out
the figures detection stored with it and the posts its baseline was the median of, so a
sceptical reader can open those posts and count for themselves. Pure: the use case fetches the
win, its details and the compared posts; this decides what is said, once for every renderer.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime
from statistics import median

from bot.domain.formatting import plural
from bot.domain.models import Win, WinKind
from bot.domain.rates import RATE_METRIC, format_rate
from bot.domain.views import WhyPost, WhyView
from bot.domain.wins import METRIC_UNITS, DetectionRules, describe_age, format_ratio

# Said when a post win predates `compared` in its details: the one command that records it.
RECORD_COMPARED = (
    "This win was detected before winsbot kept the posts it was compared with: "
    "run `winsbot detect --all` to record them."
)
NO_NUMBERS = (
    "This win was detected before winsbot kept its numbers: "
    "run `winsbot detect --all` to record them."
)
PEER_NOTE = "This is a peer's post (a competitor or an industry example), shown to learn from."
NOT_FOUND = "There is no win #{id}."
NOT_FOUND_HINT = "Every wins list shows each win's number: try `wins 30d`."


@dataclass(frozen=True, slots=True)
class StoredPost:
    """What the store still knows of a compared post: when, where, and its first words."""

    id: int
    published_at: datetime
    url: str | None = None
    text: str | None = None


def compared_pairs(details: Mapping[str, object]) -> list[tuple[int, int]] | None:
    """The ``[post id, count at the same age]`` pairs detection stored, oldest first.

    None when the win has none (detected before they were kept) or they are not lists of
    whole numbers: details are JSON, read back as whatever was written. A rate win stores
    ``[post id, engagement, impressions]``: its pairs are (post id, engagement).
    """
    rows = _compared_rows(details)
    return None if rows is None else [(row[0], row[1]) for row in rows]


def compared_rates(details: Mapping[str, object]) -> list[tuple[int, int, int]] | None:
    """A rate win's ``[post id, engagement, impressions]`` rows; None if any is not one."""
    rows = _compared_rows(details)
    if rows is None or not all(len(row) == 3 and row[2] > 0 for row in rows):
        return None
    return [(row[0], row[1], row[2]) for row in rows]


def _compared_rows(details: Mapping[str, object]) -> list[tuple[int, ...]] | None:
    raw = details.get("compared")
    if not isinstance(raw, list):
        return None
    rows: list[tuple[int, ...]] = []
    for item in raw:
        if not (isinstance(item, list | tuple) and len(item) in (2, 3)):
            return None
        if not all(_whole(value) for value in item):
            return None
        rows.append(tuple(int(value) for value in item))
    return rows


def explain_win(
    win: Win,
    details: Mapping[str, object],
    *,
    peer: bool,
    posts: Mapping[int, StoredPost],
    rules: DetectionRules,
    metric: str | None = None,
) -> WhyView:
    """Everything `wins why` says about ``win``, from its stored ``details``.

    ``posts`` holds the compared posts the store still has, by id; ``metric`` is a pilot
    goal's metric ("clicks"). Works for any details, however old: what is missing is named.
    """
    title = f"Why #{win.id} {'stood out' if peer else 'is a win'}"
    notes = [PEER_NOTE] if peer else []
    if win.kind is WinKind.MILESTONE:
        facts = _milestone(win, details)
    elif win.kind is WinKind.CAMPAIGN:
        facts = _goal(win, details, metric)
    else:
        metric = _judged_metric(win, details)
        rate = metric == RATE_METRIC
        facts = _rate(win, details, rules) if rate else _post(win, details, rules)
        rows = _rate_rows(details) if rate else _count_rows(details, metric)
        if rows:
            compared = _compared(rows, posts, format_rate if rate else _whole_count)
            heading = (
                f"The {len(rows)} {plural(len(rows), 'post')} it was compared with, "
                f"{'highest rate' if rate else 'highest'} first, each counted at the same age"
            )
            note = " ".join(notes) or None
            return WhyView(
                win=win, title=title, facts=facts, compared_heading=heading,
                compared=compared, note=note,
            )  # fmt: skip
        notes.append(RECORD_COMPARED if facts else NO_NUMBERS)
    if not facts and NO_NUMBERS not in notes:
        notes.append(NO_NUMBERS)
    return WhyView(win=win, title=title, facts=facts, note=" ".join(notes) or None)


def _judged_metric(win: Win, details: Mapping[str, object]) -> str:
    """The count the win was judged on: wins from before other counts were judged, engagement."""
    metric = win.metric or details.get("metric")
    return metric if isinstance(metric, str) and metric in METRIC_UNITS else "engagement"


# A count in words, singular and plural, for each judged metric's unit.
_UNIT_FORMS = {
    "interactions": ("interaction", "interactions"),
    "people reached": ("person reached", "people reached"),
    "impressions": ("impression", "impressions"),
    "views": ("view", "views"),
    "clicks": ("click", "clicks"),
}


def _counted(count: int, metric: str) -> str:
    """ "3,217 interactions", "1 person reached": a count with its unit."""
    one, many = _UNIT_FORMS[METRIC_UNITS[metric]]
    return f"{count:,} {one if count == 1 else many}"


def _whose(win: Win, details: Mapping[str, object]) -> str:
    """ "acme's last 30 LinkedIn ": whose posts, how many, and where, as far as known."""
    history = _number(details, "history")
    posts = f"last {round(history)} " if history is not None else ""
    platform = f"{win.platform.label} " if win.platform is not None else ""
    whose = f"{win.account}'s " if win.account else "the account's "
    return f"{whose}{posts}{platform}"


def _rate(win: Win, details: Mapping[str, object], rules: DetectionRules) -> list[str]:
    """A rate win's figures: its rate with the counts it was computed from, its usual, ratio."""
    rate, baseline = _number(details, "value"), _number(details, "baseline")
    engagement, impressions = _number(details, "engagement"), _number(details, "impressions")
    age, z = _number(details, "age_seconds"), _number(details, "z")
    ratio = _number(details, "ratio") or win.ratio
    if rate is None or baseline is None:
        return []
    when = describe_age(age, rules) if age is not None else "at the age it was compared"
    counted = (
        f": {_on(round(engagement), round(impressions))}"
        if engagement is not None and impressions is not None
        else ""
    )
    facts = [
        f"An engagement rate of {format_rate(rate)} {when}{counted}.",
        f"Its usual: {format_rate(baseline)}, the median rate of {_whose(win, details)}posts "
        f"at the same age (those with {rules.rate_impressions:,} impressions or more).",
    ]
    if ratio is not None:
        spread = f" Robust z-score {z:.1f} on the log of the rate." if z is not None else ""
        facts.append(f"{format_ratio(ratio)} its usual rate.{spread}")
    return facts


def _post(win: Win, details: Mapping[str, object], rules: DetectionRules) -> list[str]:
    metric = _judged_metric(win, details)
    engagement = _number(details, "value") if "value" in details else None
    engagement = engagement if engagement is not None else _number(details, "engagement")
    baseline = _number(details, "baseline")
    age = _number(details, "age_seconds")
    ratio, z = _number(details, "ratio") or win.ratio, _number(details, "z")
    if engagement is None or baseline is None:
        return []  # from before the numbers were kept: the reason is all there is
    when = describe_age(age, rules) if age is not None else "at the age it was compared"
    facts = [f"{_counted(round(engagement), metric)} {when}."]
    facts.append(
        f"Its usual: {baseline:,.0f}, the median of {_whose(win, details)}posts at the same age."
    )
    if ratio is not None:
        spread = (
            f" Robust z-score {z:.1f}: how far above the usual spread." if z is not None else ""
        )
        facts.append(f"{format_ratio(ratio)} its usual.{spread}")
    if metric == "engagement" and win.engagement is not None and win.engagement != engagement:
        facts.append(f"Now it has {win.engagement:,} interactions in all.")
    return facts


@dataclass(frozen=True, slots=True)
class _Row:
    """A compared post as listed: what the median is taken of, and how it is said."""

    post_id: int
    value: float  # a count, or a rate
    words: str  # "212 interactions", "2.4% (240 interactions on 10,000 impressions)"
    engagement: int


def _count_rows(details: Mapping[str, object], metric: str) -> list[_Row]:
    pairs = compared_pairs(details) or []
    return [_Row(post_id, count, _counted(count, metric), count) for post_id, count in pairs]


def _rate_rows(details: Mapping[str, object]) -> list[_Row]:
    return [
        _Row(post_id, e / n, f"{format_rate(e / n)} ({_on(e, n)})", e)
        for post_id, e, n in compared_rates(details) or []
    ]


def _on(engagement: int, impressions: int) -> str:
    """ "240 interactions on 10,000 impressions": what a rate was computed from."""
    return f"{_counted(engagement, 'engagement')} on {impressions:,} impressions"


def _whole_count(value: float) -> str:
    return f"{value:,.0f}"


def _compared(
    rows: list[_Row], posts: Mapping[int, StoredPost], say: Callable[[float], str]
) -> list[WhyPost]:
    """Highest first; the post(s) the median is taken from are marked "the median"."""
    value = median(row.value for row in rows)
    ordered = sorted(
        rows,
        key=lambda r: (
            -r.value,
            -posts[r.post_id].published_at.timestamp() if r.post_id in posts else 0,
        ),
    )
    middle = {(len(ordered) - 1) // 2, len(ordered) // 2}  # one post, or the two averaged
    found: list[WhyPost] = []
    for index, row in enumerate(ordered):
        stored = posts.get(row.post_id)
        is_median = index in middle
        when = _day(stored.published_at) if stored is not None else "a post no longer stored"
        label = f"{when} · {row.words}"
        if is_median:
            averaged = len(middle) == 2
            label += f" · the median ({say(value)}, averaged)" if averaged else " · the median"
        found.append(
            WhyPost(
                published_at=stored.published_at if stored else None,
                engagement=row.engagement,
                url=stored.url if stored else None,
                text=stored.text if stored else None,
                label=label,
                median=is_median,
            )
        )
    return found


def _milestone(win: Win, details: Mapping[str, object]) -> list[str]:
    mark, after = _number(details, "milestone"), _number(details, "followers")
    before = _number(details, "previous")
    if mark is None or after is None:
        return []
    when = _day(win.occurred_at)
    if before is None:
        return [
            f"Based on the follower count of {round(after):,} on {when}; "
            "run `winsbot detect` to record the count before it."
        ]
    return [
        f"Two follower counts in a row: {round(before):,} before, {round(after):,} on {when}, "
        f"crossing {round(mark):,}."
    ]


def _goal(win: Win, details: Mapping[str, object], metric: str | None) -> list[str]:
    value, target = _number(details, "value"), _number(details, "target")
    if value is None or target is None or target <= 0:
        return []
    what = (metric or "").replace("_", " ") or "counted"
    return [
        f"{round(value):,} {what} against a target of {round(target):,}: "
        f"{value / target:.0%} of the goal, counted from the pilot's posts up to "
        f"{_day(win.occurred_at)}.",
        "A pilot goal is a win once its count reaches the target.",
    ]


def _number(details: Mapping[str, object], key: str) -> float | None:
    raw = details.get(key)
    if isinstance(raw, bool) or not isinstance(raw, int | float):
        return None
    return float(raw)


def _whole(raw: object) -> bool:
    return isinstance(raw, int) and not isinstance(raw, bool)


def _day(moment: datetime) -> str:
    return f"{moment.day} {moment:%b %Y}"

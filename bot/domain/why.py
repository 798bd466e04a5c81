"""`wins why 7`: the numbers behind one win, in plain words anyone can check.

A win's reason is a claim ("16x the median engagement of acme's last 12 posts"). This lays out
the figures detection stored with it and the posts its baseline was the median of, so a
sceptical reader can open those posts and count for themselves. Pure: the use case fetches the
win, its details and the compared posts; this decides what is said, once for every renderer.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from statistics import median

from bot.domain.formatting import plural
from bot.domain.models import Win, WinKind
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
    """The ``[post id, engagement at the same age]`` pairs detection stored, oldest first.

    None when the win has none (detected before they were kept) or they are not pairs of
    whole numbers: details are JSON, read back as whatever was written.
    """
    raw = details.get("compared")
    if not isinstance(raw, list):
        return None
    pairs: list[tuple[int, int]] = []
    for item in raw:
        if not (isinstance(item, list | tuple) and len(item) == 2):
            return None
        post_id, engagement = item
        if not (_whole(post_id) and _whole(engagement)):
            return None
        pairs.append((int(post_id), int(engagement)))
    return pairs


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
        facts = _post(win, details, rules)
        pairs = compared_pairs(details)
        if pairs:
            compared = _compared(pairs, posts, _judged_metric(win, details))
            heading = (
                f"The {len(pairs)} {plural(len(pairs), 'post')} it was compared with, "
                "highest first, each counted at the same age"
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


def _post(win: Win, details: Mapping[str, object], rules: DetectionRules) -> list[str]:
    metric = _judged_metric(win, details)
    engagement = _number(details, "value") if "value" in details else None
    engagement = engagement if engagement is not None else _number(details, "engagement")
    baseline = _number(details, "baseline")
    age, history = _number(details, "age_seconds"), _number(details, "history")
    ratio, z = _number(details, "ratio") or win.ratio, _number(details, "z")
    if engagement is None or baseline is None:
        return []  # from before the numbers were kept: the reason is all there is
    when = describe_age(age, rules) if age is not None else "at the age it was compared"
    facts = [f"{_counted(round(engagement), metric)} {when}."]
    posts = f"last {round(history)} " if history is not None else ""
    platform = f"{win.platform.label} " if win.platform is not None else ""
    whose = f"{win.account}'s " if win.account else "the account's "
    facts.append(
        f"Its usual: {baseline:,.0f}, the median of {whose}{posts}{platform}posts at the same age."
    )
    if ratio is not None:
        spread = (
            f" Robust z-score {z:.1f}: how far above the usual spread." if z is not None else ""
        )
        facts.append(f"{format_ratio(ratio)} its usual.{spread}")
    if metric == "engagement" and win.engagement is not None and win.engagement != engagement:
        facts.append(f"Now it has {win.engagement:,} interactions in all.")
    return facts


def _compared(
    pairs: list[tuple[int, int]], posts: Mapping[int, StoredPost], metric: str
) -> list[WhyPost]:
    """Highest first; the post(s) the median is taken from are marked "the median"."""
    value = median(count for _, count in pairs)
    ordered = sorted(
        pairs,
        key=lambda p: (-p[1], -posts[p[0]].published_at.timestamp() if p[0] in posts else 0),
    )
    middle = {(len(ordered) - 1) // 2, len(ordered) // 2}  # one post, or the two averaged
    found: list[WhyPost] = []
    for index, (post_id, count) in enumerate(ordered):
        stored = posts.get(post_id)
        is_median = index in middle
        when = _day(stored.published_at) if stored is not None else "a post no longer stored"
        label = f"{when} · {_counted(count, metric)}"
        if is_median:
            averaged = len(middle) == 2
            label += f" · the median ({value:,.0f}, averaged)" if averaged else " · the median"
        found.append(
            WhyPost(
                published_at=stored.published_at if stored else None,
                engagement=count,
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

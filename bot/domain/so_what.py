"""The digest's first line: what changed and why it matters, composed from the week's numbers.

A leader reads a digest for thirty seconds. Before any table they should read one sentence that
says what moved, what moved it and what stood out: "Impressions up 130% on last week, engagement
driven by LinkedIn; 2 posts did 10x or more their usual; the Graduate hiring pilot hit its
goal." Every clause is a number the digest itself shows, so the sentence never claims more.
"""

from __future__ import annotations

from collections.abc import Sequence

from bot.domain.formatting import format_change, plural
from bot.domain.models import CampaignProgress, Platform, Win, WinKind
from bot.domain.views import PeriodStats

BIG_RATIO = 10.0  # "did 10x their usual": the kind of number people repeat in a meeting
MIN_CHANGE = 0.10  # a smaller move is noise in a weekly number, not news
DRIVER_SHARE = 0.5  # a platform "drove" a rise when it brought more than half of it


def so_what(
    current: PeriodStats,
    previous: PeriodStats,
    wins: Sequence[Win],
    campaigns: Sequence[CampaignProgress],
    *,
    noun: str = "week",
) -> str | None:
    """One sentence from the week's (or ``noun``'s: "month") numbers, or None when nothing is
    worth saying first."""
    clauses = [
        clause
        for clause in (
            _reach(current, previous, noun),
            _big_wins(wins),
            _goals(campaigns),
        )
        if clause
    ]
    if not clauses:
        return None
    sentence = "; ".join(clauses)
    return sentence[0].upper() + sentence[1:] + "."


def _reach(current: PeriodStats, previous: PeriodStats, noun: str = "week") -> str | None:
    """Reach (impressions) and engagement against last week: outcomes before applause.

    "Impressions up 130% and engagement up 81% on last week, driven by LinkedIn": a move under
    10% is left out, and "driven by" names a platform only when it brought most of the rise.
    """
    moves = [
        f"{label} {_move(now, before)}"
        for label, now, before in (
            ("impressions", current.impressions, previous.impressions),
            ("engagement", current.engagement, previous.engagement),
        )
        if _move(now, before)
    ]
    if not moves:
        return None
    text = " and ".join(moves) + f" on last {noun}"
    driver = _driver(current, previous)
    return f"{text}, driven by {driver.label}" if driver else text


def _move(now: int, before: int) -> str | None:
    """ "up 81%", "down 12%", or None when there is no base or the move is noise."""
    if before <= 0 or now < 0:
        return None
    change = (now - before) / before
    if abs(change) < MIN_CHANGE:
        return None
    return f"{'up' if change > 0 else 'down'} {format_change(abs(change)).lstrip('+')}"


def _driver(current: PeriodStats, previous: PeriodStats) -> Platform | None:
    """The platform that brought most of the rise in engagement, if one brought most of it."""
    rise = current.engagement - previous.engagement
    if rise <= 0:
        return None
    gains = {
        platform: count - previous.engagement_by_platform.get(platform, 0)
        for platform, count in current.engagement_by_platform.items()
    }
    if not gains:
        return None
    platform, gain = max(gains.items(), key=lambda item: (item[1], item[0].value))
    return platform if gain > DRIVER_SHARE * rise else None


def _big_wins(wins: Sequence[Win]) -> str | None:
    big = [w for w in wins if w.kind is WinKind.POST and (w.ratio or 0) >= BIG_RATIO]
    if len(big) > 1:
        return f"{len(big)} posts did {BIG_RATIO:.0f}x or more their usual"
    if big:
        label = big[0].platform.label if big[0].platform else ""
        # "an X post", "an Instagram post", "a LinkedIn post": by sound, as it is read out.
        article = "an" if label[:1] in ("A", "E", "I", "O", "U", "X") else "a"
        where = f"{label} " if label else ""
        return f"{article} {where}post did {big[0].ratio or BIG_RATIO:.0f}x its usual"
    return None


def _goals(campaigns: Sequence[CampaignProgress]) -> str | None:
    reached = [p.campaign.name for p in campaigns if p.reached]
    if len(reached) == 1:
        name = reached[0]
        pilot = name if name.lower().endswith("pilot") else f"{name} pilot"
        return f"the {pilot} hit its goal"
    if reached:
        return f"{len(reached)} {plural(len(reached), 'pilot')} hit their goals"
    return None

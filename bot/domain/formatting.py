"""Plain-language number and text formatting that every renderer shares.

Terminal, Block Kit and Adaptive Card renderers each draw a digest their own way, but a reader
who sees "40.2k" in Slack should see "40.2k" in Teams too: the wording lives here, once.
Everything returns plain text; renderers escape it for their own markup.
"""

from __future__ import annotations

import re

from bot.domain.models import CampaignProgress, Platform, Win, WinKind
from bot.domain.views import Headline
from bot.domain.wins import METRIC_NOUNS

# A true minus sign lines up with "+" in proportional fonts, where a hyphen looks like a dash.
MINUS = "−"
ELLIPSIS = "…"

_COMMAND_SPAN = re.compile(r"`wins(?=[ `])")

_UNITS: tuple[tuple[int, str], ...] = ((1_000_000_000, "B"), (1_000_000, "M"), (1_000, "k"))


def format_count(n: int) -> str:
    """Short counts for skimming: 812, 9.5k, 40.2k, 312k, 1.2M.

    One decimal below 100 of a unit, none above: "312.4k" is precision nobody reads.
    """
    sign = MINUS if n < 0 else ""
    value = abs(n)
    if value < 1_000:
        return f"{sign}{value}"
    for index, (size, suffix) in enumerate(_UNITS):
        if value < size:
            continue
        scaled = value / size
        text = f"{scaled:.1f}" if scaled < 100 else f"{scaled:.0f}"
        # Rounding can carry into the next unit (999_950 -> "1000k"); say "1M" instead.
        if float(text) >= 1_000 and index > 0:
            bigger_size, bigger_suffix = _UNITS[index - 1]
            text, suffix = f"{value / bigger_size:.1f}", bigger_suffix
        return f"{sign}{text.removesuffix('.0')}{suffix}"
    raise AssertionError("unreachable: value >= 1000 always matches a unit")


def format_change(change: float | None) -> str:
    """Week-over-week change as people say it: "+25%", "−12%", "0%", or "new" with no baseline."""
    if change is None:
        return "new"
    percent = round(change * 100)
    if percent == 0:
        return "0%"
    sign = "+" if percent > 0 else MINUS
    return f"{sign}{abs(percent):,}%"


def headline_change(headline: Headline) -> str:
    """Like ``format_change`` but says "no change" for 0 -> 0, where "new" would be wrong."""
    if headline.previous == 0 and headline.value == 0:
        return "no change"
    return format_change(headline.change)


def change_direction(headline: Headline) -> int:
    """+1, 0 or −1, so renderers colour a rise green and a fall red without re-deriving it."""
    return (headline.value > headline.previous) - (headline.value < headline.previous)


def platform_label(platform: Platform | None) -> str:
    """The platform's proper name ("LinkedIn", "X"); empty for wins that span platforms."""
    return platform.label if platform is not None else ""


def audience_label(name: str) -> str:
    """Capitalise "leadership" for headings; department names stay as people typed them."""
    return "Leadership" if name == "leadership" else name


def excerpt(text: str | None, limit: int = 120) -> str:
    """A one-line preview of post text, cut at a word boundary so it never ends mid-word."""
    if not text:
        return ""
    flat = " ".join(text.split())
    if len(flat) <= limit:
        return flat
    cut = flat[: limit - 1]
    space = cut.rfind(" ")
    # Only back up to a space if that keeps most of the text; one huge word is cut as is.
    if space > limit // 2:
        cut = cut[:space]
    return cut.rstrip(" ,.;:!?-") + ELLIPSIS


# How a digest's items read (a win's place and numbers, a campaign's goal): the same words in
# Slack, Teams and the terminal.


def plural(count: int, noun: str) -> str:
    """The noun for ``count`` of it (win, wins, case studies), spelled once for every renderer."""
    if count == 1:
        return noun
    return noun[:-1] + "ies" if noun.endswith("y") else noun + "s"


def where(win: Win) -> str:
    """Where a win happened, named alike in every chat and the terminal.

    "LinkedIn · acme" for posts and milestones; a campaign goal names its campaign instead.
    """
    parts = [platform_label(win.platform), win.account or win.campaign or ""]
    return " · ".join(part for part in parts if part) or "All accounts"


def win_strength(win: Win) -> str:
    """How big a win is, in words a reader weighs at a glance: "6.2x its usual engagement".

    A bare score ("8.4") means nothing to a reader; the ratio to what the account usually gets
    at the same age does. Milestones and goals carry no ratio: they say what kind of news they are.
    """
    if win.kind is WinKind.POST and win.ratio is not None:
        ratio = win.ratio
        number = f"{ratio:.1f}" if ratio < 10 else f"{ratio:,.0f}"
        noun = METRIC_NOUNS.get(win.metric or "engagement", "engagement")
        return f"{number.removesuffix('.0')}x its usual {noun}"
    if win.kind is WinKind.MILESTONE:
        return "a follower milestone"
    if win.kind is WinKind.CAMPAIGN:
        return "pilot goal reached"
    return ""


def average_name(weeks: int) -> str:
    """ "12-week average": named by the weeks it really counts, fewer for a newer account."""
    return f"{weeks}-week average"


def headline_value(headline: Headline) -> str:
    """ "12.5k (+26%)": a headline number with its change, as a chat shows it beside the label.

    With a 12-week average both comparisons are named, "12.5k (+26% on last week, −8% on the
    12-week average)": a bare "+26%" cannot say which yardstick it used.
    """
    if headline.usual is None:
        return f"{format_count(headline.value)} ({headline_change(headline)})"
    return (
        f"{format_count(headline.value)} ({headline_change(headline)} on last week, "
        f"{usual_change(headline)} on the {average_name(headline.usual_weeks)})"
    )


def usual_change(headline: Headline) -> str:
    """The change against the 12-week average, "−8%"; "no average" when there is none."""
    if headline.usual is None:
        return "no average"
    if not headline.usual:
        return "no change" if headline.value == 0 else "new"
    return format_change(headline.change_on_usual)


def zone_name(text: str) -> str:
    """A time zone as people say it, "America/New York": an escaped "_" would show as "ˍ"."""
    return text.replace("_", " ")


def win_numbers(win: Win) -> list[str]:
    """The post's own numbers ("Engagement 1.2k"), for the reader who wants more than the reason."""
    pairs = (("Engagement", win.engagement), ("Impressions", win.impressions))
    return [f"{label} {format_count(value)}" for label, value in pairs if value is not None]


def campaign_goal(progress: CampaignProgress) -> str:
    """The goal under a chat's progress bar, "3.2k of 5k engagement by 30 Nov", and if reached."""
    campaign = progress.campaign
    metric = campaign.metric.value.replace("_", " ")
    goal = (
        f"{format_count(progress.value)} of {format_count(campaign.target)} {metric} "
        f"by {campaign.ends_on.day} {campaign.ends_on:%b}"
    )
    return goal + (" · goal reached ✓" if progress.reached else "")


def progress_bar(progress: CampaignProgress, cells: int = 10) -> str:
    """A bar of text, so it reads the same in every chat: full at the goal, however far past."""
    filled = int(max(0.0, min(progress.fraction, 1.0)) * cells)
    return "▓" * filled + "░" * (cells - filled)


def invoked(text: str, command: str) -> str:
    """The core's text with each `` `wins ...` `` span as the chat invokes it (``command``).

    The core names commands by the grammar's own word; Slack users type ``/wins help`` and
    Teams users ``@winsbot wins help``, which only the renderer knows.
    """
    return _COMMAND_SPAN.sub(f"`{command}", text)

"""Plain-language number and text formatting that every renderer shares.

Terminal, Block Kit and Adaptive Card renderers each draw a digest their own way, but a reader
who sees "40.2k" in Slack should see "40.2k" in Teams too: the wording lives here, once.
Everything returns plain text; renderers escape it for their own markup.
"""

from __future__ import annotations

from bot.domain.models import Platform
from bot.domain.views import Headline

# A true minus sign lines up with "+" in proportional fonts, where a hyphen looks like a dash.
MINUS = "−"
ELLIPSIS = "…"

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

"""Slack mrkdwn escaping, length-safe truncation and links: the only way user text enters a block.

Slack parses ``<...>`` as links and mentions (``<!channel>``, ``<@U123>``, ``<#C1>``), so ``&``,
``<`` and ``>`` become entities. Slack has no escape for the formatting characters ``*_~```, and a
zero-width space is not a safe substitute: Slack treats it as a word boundary, which is exactly
what other bots insert to *force* bold mid-word. So each formatting character is swapped for a
non-ASCII lookalike (∗ ˍ ∼ ˋ). Slack's parser only ever treats the ASCII characters as
delimiters, so the swap neutralises them for certain, whatever surrounds them; the cost is that
copying "acme_hr" from Slack yields "acmeˍhr", acceptable in a read-only digest.

Lengths are counted in UTF-16 code units (what Slack's JavaScript limits count): an emoji is two,
so a limit checked here is never exceeded there. Truncation works on the escaped pieces of each
character, so it can never cut ``&amp;`` in half.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from bot.domain.formatting import ELLIPSIS

_ENTITIES: dict[str, str] = {"&": "&amp;", "<": "&lt;", ">": "&gt;"}
_LOOKALIKES: dict[str, str] = {"*": "\u2217", "_": "\u02cd", "~": "\u223c", "`": "\u02cb"}
_MRKDWN_TABLE = str.maketrans({**_ENTITIES, **_LOOKALIKES})
_PLAIN_TABLE = str.maketrans(_ENTITIES)
# "@channel" is inert with verbatim text and no link_names, but notification text has no
# verbatim flag: a word joiner after "@" keeps it inert whatever the sender's options are.
_FALLBACK_TABLE = str.maketrans({**_ENTITIES, **_LOOKALIKES, "@": "@\u2060"})
_URL_FORBIDDEN = frozenset("|<>")
MAX_URL = 800  # keeps a win's section under 3,000 chars even with a long reason and excerpt


def slack_len(text: str) -> int:
    """Length as Slack counts it (UTF-16 code units), never less than ``len(text)``."""
    return len(text.encode("utf-16-le", "surrogatepass")) // 2


def escape(text: str) -> str:
    """Make user text inert in mrkdwn: no mentions, links, bold, italics, strikes or code."""
    return text.translate(_MRKDWN_TABLE)


def fit(text: str, limit: int, *, table: dict[int, str] = _MRKDWN_TABLE) -> str:
    """Escape ``text`` and cut it to ``limit`` Slack characters, ending in "…" if cut.

    Each source character is escaped as a whole before it is counted, so the cut falls between
    escape sequences, never inside one.
    """
    escaped = text.translate(table)
    if slack_len(escaped) <= limit:
        return escaped
    budget = limit - slack_len(ELLIPSIS)
    pieces: list[str] = []
    used = 0
    for char in text:
        piece = char.translate(table)
        size = slack_len(piece)
        if used + size > budget:
            break
        pieces.append(piece)
        used += size
    return "".join(pieces).rstrip() + ELLIPSIS


def fit_plain(text: str, limit: int) -> str:
    """``fit`` for plain_text objects (headers, buttons): entities only, whitespace flattened."""
    return fit(" ".join(text.split()), limit, table=_PLAIN_TABLE)


def fit_fallback(text: str, limit: int) -> str:
    """``fit`` for the notification text: escaped, "@" defused, whitespace flattened."""
    return fit(" ".join(text.split()), limit, table=_FALLBACK_TABLE)


def is_safe_url(url: str) -> bool:
    """True for http(s) URLs with a host that cannot break out of ``<url|label>``."""
    if not (
        url.startswith(("https://", "http://"))
        and slack_len(url) <= MAX_URL
        and url.isprintable()
        and not any(char.isspace() or char in _URL_FORBIDDEN for char in url)
    ):
        return False
    try:
        return bool(urlsplit(url).hostname)
    except ValueError:  # e.g. "http://[::1" (an unclosed IPv6 literal)
        return False


def link(url: str, label: str) -> str:
    """``<url|label>`` for a safe URL, else the URL as escaped text so it still shows, inertly.

    ``label`` is escaped too; within a link only ``&`` in the URL needs an entity.
    """
    if is_safe_url(url):
        return f"<{url.replace('&', '&amp;')}|{fit(label, 200)}>"
    return fit(url, 300)

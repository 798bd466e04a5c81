"""Teams text safety: the only way user text enters an Adaptive Card.

Teams renders every TextBlock (and FactSet value) as a Markdown subset: ``**bold**``,
``_italic_``, ``[links](url)``, ``- lists`` and ``1. lists``, and some clients more. Backslash
escapes look like the obvious fix, but Teams clients disagree about them: desktop and web hide the
backslash, Android and iOS show it (MicrosoftDocs/msteams-docs#5793), and the shared renderer does
not honour escapes inside emphasis (microsoft/AdaptiveCards#5758). So, as the Slack renderer does,
each Markdown character is swapped for a non-ASCII lookalike that no Markdown parser treats as
syntax: the result is inert and reads the same on every client, whatever surrounds it.

- anywhere: ``\\ * _ ~ ` [ ]`` and ``< >`` (tags, ``<at>`` mentions, autolinks, block quotes);
- at a line start only, where they begin a list or a heading: ``- + = #`` and ``1.`` / ``1)``.

``( ) ! . |`` stay as typed: with ``[`` gone no link or image can form, Adaptive Cards have no
tables, and "(2,310 vs 550)" should read as written. Every swap is one character for one, so
text is cut *before* it is escaped and an escape can never be split. Control characters, lone
surrogates and bidi overrides are dropped: they cannot be serialised or they disguise text.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from bot.domain.formatting import ELLIPSIS

_INLINE = {
    "\\": "\u29f5",  # ⧵ reverse solidus operator
    "*": "\u2217",  # ∗ asterisk operator
    "_": "\u02cd",  # ˍ modifier letter low macron
    "~": "\u223c",  # ∼ tilde operator
    "`": "\u02cb",  # ˋ modifier letter grave accent
    "[": "\uff3b",  # ［ fullwidth brackets
    "]": "\uff3d",
    "<": "\u2039",  # ‹ › single angle quotation marks
    ">": "\u203a",
}
_LINE_START = {
    "-": "\u2010",  # ‐ hyphen
    "+": "\uff0b",  # ＋
    "=": "\uff1d",  # ＝
    "#": "\uff03",  # ＃
    ".": "\u2024",  # ․ one dot leader, after digits: "1." is a numbered list
    ")": "\uff09",  # ）
}
_DROPPED = [
    *range(0x09), 0x0B, 0x0C, *range(0x0E, 0x20), *range(0x7F, 0xA0),  # control characters
    *range(0xD800, 0xE000),  # lone surrogates cannot be encoded as UTF-8
    *range(0x202A, 0x202F), *range(0x2066, 0x206A),  # bidi embeddings, overrides, isolates
]  # fmt: skip
_INLINE_TABLE = str.maketrans(_INLINE)
_CLEAN_TABLE = str.maketrans(dict.fromkeys(_DROPPED))
_MARKER = re.compile(r"^([ \t]*)(?:([-+=#])|(\d+)([.)]))", re.MULTILINE)
MAX_URL = 2_000


def _swap_marker(match: re.Match[str]) -> str:
    indent, symbol, digits, delimiter = match.groups()
    if symbol is not None:
        return indent + _LINE_START[symbol]
    return indent + digits + _LINE_START[delimiter]


def clean(text: str) -> str:
    """Drop characters that cannot be serialised or that disguise text (bidi overrides)."""
    return text.translate(_CLEAN_TABLE)


def escape(text: str) -> str:
    """Make user text inert Markdown: no links, emphasis, lists, headings, tags or mentions."""
    return _MARKER.sub(_swap_marker, clean(text).translate(_INLINE_TABLE))


def fit(text: str, limit: int) -> str:
    """Flatten whitespace, cut to ``limit`` characters ending in "…" if cut, then escape.

    One line per value: a TextBlock needs a blank line to break a line anyway, and one line
    leaves only the start of the text where a list marker could hide.
    """
    flat = " ".join(clean(text).split())
    if len(flat) > limit:
        flat = flat[: max(limit - 1, 0)].rstrip() + ELLIPSIS
    return escape(flat)


def is_safe_url(url: str) -> bool:
    """True for short, printable ASCII http(s) URLs with a host: the only ones we link to."""
    if not (
        url.startswith(("https://", "http://"))
        and len(url) <= MAX_URL
        and url.isascii()
        and url.isprintable()
        and not any(char.isspace() or char in '<>"' for char in url)
    ):
        return False
    try:
        return bool(urlsplit(url).hostname)
    except ValueError:  # e.g. "http://[::1" (an unclosed IPv6 literal)
        return False

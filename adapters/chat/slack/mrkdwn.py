"""Slack text that is not rich text: lengths, cuts, plain_text escaping and safe URLs.

People's words reach Slack in ``rich_text`` elements (``adapters.chat.slack.richtext``), which
Slack shows exactly as written: no mrkdwn, no links, no mentions, nothing to escape. This module
covers what is left. The few ``plain_text`` objects (headers, small print, buttons, alt text) and
the message's fallback ``text`` are never formatted either, but Slack reads ``&``, ``<`` and
``>`` in them as control characters and asks for those three, and only those, as entities.

Lengths are counted in UTF-16 code units (what Slack's JavaScript limits count): an emoji is two,
so a limit checked here is never exceeded there. Cuts work on whole characters, each escaped
first, so a cut can never split ``&amp;`` or a surrogate pair.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from bot.domain.formatting import ELLIPSIS

_ENTITIES = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;"})
_NO_ENTITIES: dict[int, str] = {}
_URL_FORBIDDEN = re.compile(r"[\s|<>]")  # a regex: this runs for every win on the hot path
_ELLIPSIS_LEN = 1
MAX_URL = 800  # keeps a win's rich text under 3,000 chars even with a long reason and excerpt


def slack_len(text: str) -> int:
    """Length as Slack counts it (UTF-16 code units), never less than ``len(text)``."""
    if text.isascii():  # the common case, and the hot path: no encoding needed
        return len(text)
    return len(text.encode("utf-16-le", "surrogatepass")) // 2


def cut(text: str, limit: int, *, table: dict[int, str] = _NO_ENTITIES) -> str:
    """``text`` (translated by ``table``) in at most ``limit`` Slack characters, "…" if cut.

    Each source character is translated as a whole before it is counted, so the cut falls
    between escapes, never inside one.
    """
    translated = text.translate(table) if table else text
    if slack_len(translated) <= limit:
        return translated
    budget = limit - _ELLIPSIS_LEN
    pieces: list[str] = []
    used = 0
    for char in text:
        piece = char.translate(table) if table else char
        size = slack_len(piece)
        if used + size > budget:
            break
        pieces.append(piece)
        used += size
    return "".join(pieces).rstrip() + ELLIPSIS


def fit_plain(text: str, limit: int) -> str:
    """Text for a plain_text object or the fallback: one line, ``&<>`` as entities, cut."""
    return cut(" ".join(text.split()), limit, table=_ENTITIES)


def is_safe_url(url: str) -> bool:
    """True for printable http(s) URLs with a host and no whitespace or ``|<>``: links we draw."""
    if not (
        url.startswith(("https://", "http://"))
        and slack_len(url) <= MAX_URL
        and url.isprintable()
        and not _URL_FORBIDDEN.search(url)
    ):
        return False
    try:
        return bool(urlsplit(url).hostname)
    except ValueError:  # e.g. "http://[::1" (an unclosed IPv6 literal)
        return False

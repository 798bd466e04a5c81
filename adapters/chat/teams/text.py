"""Teams text safety: what may be in a string before it becomes a card's TextRun.

People's words reach Teams in ``RichTextBlock`` ``TextRun``s (see ``runs``), which Adaptive Cards
never read as Markdown: ``**bold**``, ``_it_``, ``[links](url)``, ``- lists`` and ``<at>``
mentions there are shown as the characters they are. So nothing is escaped and nothing is
swapped for a lookalike: "acme_hr" copied from Teams is "acme_hr". What is still done here:

- control characters, lone surrogates and bidi overrides are dropped: the first two cannot be
  serialised, the last make text read differently from what it is;
- whitespace is flattened to single spaces: a TextRun is one line of a paragraph;
- the one thing a TextRun still interprets, a ``{{DATE(...)}}`` / ``{{TIME(...)}}`` function
  (Adaptive Cards' date formatting, applied to TextRuns too), gets a word joiner between its
  braces, so it shows as typed instead of as a date. Only text that is exactly such a function
  changes, and it still reads the same.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from bot.domain.formatting import ELLIPSIS

# Control characters, lone surrogates (cannot be encoded as UTF-8), bidi embeddings, overrides
# and isolates. A regex rather than a translate table: most text has none, and a search that
# finds nothing is several times faster than translating every character (the hot path).
_DROPPED = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\u202a-\u202e\u2066-\u2069]"
)
_URL_FORBIDDEN = re.compile(r'[\s<>"]')  # a regex: this runs for every win on the hot path
# The renderers' own pattern is stricter (a full RFC 3339 time); matching any {{DATE( is safer.
_DATE_FUNCTION = re.compile(r"\{\{(?=(?:DATE|TIME)\()")
WORD_JOINER = "\u2060"
MAX_URL = 2_000


def clean(text: str) -> str:
    """Drop characters that cannot be serialised or that disguise text (bidi overrides)."""
    return _DROPPED.sub("", text) if _DROPPED.search(text) else text


def fit(text: str, limit: int) -> str:
    """Clean, flatten whitespace and cut to ``limit`` characters, ending in "…" if cut."""
    flat = " ".join(clean(text).split())
    if len(flat) > limit:
        flat = flat[: max(limit - 1, 0)].rstrip() + ELLIPSIS
    if "{{" in flat:
        flat = _DATE_FUNCTION.sub("{" + WORD_JOINER + "{", flat)
    return flat


def is_safe_url(url: str) -> bool:
    """True for short, printable ASCII http(s) URLs with a host: the only ones we link to."""
    if not (
        url.startswith(("https://", "http://"))
        and len(url) <= MAX_URL
        and url.isascii()
        and url.isprintable()
        and not _URL_FORBIDDEN.search(url)
    ):
        return False
    try:
        return bool(urlsplit(url).hostname)
    except ValueError:  # e.g. "http://[::1" (an unclosed IPv6 literal)
        return False

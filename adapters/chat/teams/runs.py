"""Adaptive Card text as ``RichTextBlock``s of ``TextRun``s: words shown exactly as written.

A ``TextBlock`` (and a ``FactSet``) reads its text as Markdown, so "acme_hr uses *stars*" would
lose its stars, and any escape either shows on some Teams clients or not on others. A ``TextRun``
reads nothing: its text is its text, and bold, subtle, colour or monospace are properties of the
run. Every string in our cards, people's and our own, goes through here, so no card holds text
that Teams could read as markup. Teams draws RichTextBlock from Adaptive Cards 1.2 on.

The ``**style`` of a run is TextRun properties (``weight``, ``isSubtle``, ``color``, ``size``,
``fontType``); a block's own keyword arguments (``spacing``, ``separator``) are layout.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from adapters.chat.teams.text import fit

Element = dict[str, Any]
Run = dict[str, Any]

BLANK = "–"  # what an all-blank value shows: Teams draws an empty run as nothing at all
_CODE_SPAN = re.compile(r"`([^`]+)`")
_MONOSPACE = {"fontType": "monospace"}


def run(text: str, **style: Any) -> Run:
    """One run of ``text`` as it is (already fitted), with TextRun ``style``."""
    return {"type": "TextRun", "text": text, **style}


def value(raw: str, limit: int, *, lead: str = "", tail: str = "", **style: Any) -> Run:
    """Someone's words, fitted to ``limit`` characters; "–" when there are none.

    ``lead`` and ``tail`` (our own words around them, in the same style) share the run: every
    run costs bytes against the card's 28 KB and on the hot path.
    """
    return run(lead + (fit(raw, limit) or BLANK) + tail, **style)


def sentence(raw: str, limit: int, *, lead: str = "", **style: Any) -> list[Run]:
    """One of the core's own sentences, its `` `code` `` spans drawn in a monospace font.

    The core writes commands in backticks ("Type `@winsbot wins help`."): that is our markup,
    so each span becomes a monospace run and its backticks go. A lone backtick, or a span of
    only spaces, stays as written. The cut
    comes first, so a span the cut breaks is shown as the text it is. ``lead`` (our own words,
    no backticks) goes in front.
    """
    shown = fit(raw, limit)
    if "`" not in shown:
        return [run(lead + (shown or BLANK), **style)]
    shown = lead + shown
    runs: list[Run] = []
    start = 0
    for match in _CODE_SPAN.finditer(shown):
        if not match[1].strip():
            continue  # "` `" is no command: left as written, a blank run would draw as nothing
        if match.start() > start:
            runs.append(run(shown[start : match.start()], **style))
        runs.append(run(match[1], **{**style, **_MONOSPACE}))
        start = match.end()
    if start < len(shown):
        runs.append(run(shown[start:], **style))
    return runs


def unmarked(raw: str) -> str:
    """The core's sentence with its code spans' backticks gone, for plain one-line summaries."""
    return _CODE_SPAN.sub(r"\1", raw) if "`" in raw else raw


def rich(runs: list[Run], **layout: Any) -> Element:
    """A paragraph: one RichTextBlock (always wrapped) holding ``runs`` side by side."""
    return {"type": "RichTextBlock", "inlines": runs, **layout}


def line(text: str, *, spacing: str | None = None, **style: Any) -> Element:
    """A paragraph of one run of fitted or fixed ``text``."""
    block = rich([run(text or BLANK, **style)])
    if spacing is not None:
        block["spacing"] = spacing
    return block


def heading(text: str) -> Element:
    """A card's title. A RichTextBlock has no "heading" style; size and weight set it apart."""
    return line(fit(text, 200) or "winsbot", size="large", weight="bolder")


def subheading(text: str) -> Element:
    """A section's heading: ours, but fitted like any text."""
    return rich([value(text, 100, size="medium", weight="bolder")], spacing="large")


def facts(pairs: Sequence[tuple[str, str]]) -> Element:
    """Labels and values in two columns, as a FactSet draws them (a FactSet reads Markdown)."""
    labels = [rich([value(label, 50, weight="bolder")], spacing="none") for label, _ in pairs]
    values = [line(fit(shown, 100), spacing="none") for _, shown in pairs]
    columns = [
        {"type": "Column", "width": "auto", "items": labels},
        {"type": "Column", "width": "stretch", "items": values},
    ]
    return {"type": "ColumnSet", "columns": columns}

"""Slack ``rich_text`` pieces: how people's words reach a reader exactly as they wrote them.

A ``text`` element of a ``rich_text`` block is shown as is: Slack parses no mrkdwn in it (no
``*bold*``, no ``<url|links>``), and ``<!channel>``, ``<@U123>`` or ``@here`` in it are letters,
not mentions: a mention, a link or a date is its own element type, which only this module makes,
and only from values we chose (a validated user id, a checked URL, a timestamp). So nothing is
escaped and nothing is swapped for a lookalike: "acme_hr" copied from Slack is "acme_hr".

Styles (bold for names, code for commands) are attributes of an element, never characters in
its text. A block's lines are joined by newlines in one ``rich_text_section``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from datetime import UTC, datetime
from typing import Any

from adapters.chat.slack.mrkdwn import cut, is_safe_url, slack_len

Element = dict[str, Any]
Paragraph = list[Element]

BLANK = "–"  # what an all-blank value shows: Slack refuses a rich text with nothing in it
_CODE_SPAN = re.compile(r"`([^`\n]+)`")
_BOLD = {"bold": True}
_CODE = {"code": True}


def text(value: str, *, bold: bool = False, code: bool = False) -> Element:
    """A run of text shown exactly as ``value``, optionally bold or as inline code."""
    element: Element = {"type": "text", "text": value}
    if bold:
        element["style"] = _BOLD
    elif code:
        element["style"] = _CODE
    return element


def value(raw: str, limit: int, *, bold: bool = False, lead: str = "") -> Element:
    """Someone's words cut to ``limit`` Slack characters; "–" when there are none.

    ``lead`` (our own words, such as a separator) goes in front, in the same element: every
    element costs bytes on the hot path.
    """
    shown = cut(raw, limit)
    return text(lead + (shown if shown.strip() else BLANK), bold=bold)


def code(raw: str, limit: int) -> Element:
    """A command, drawn as inline code so it can be copied and typed as shown."""
    shown = cut(raw, limit)
    return text(shown if shown.strip() else BLANK, code=True)


def link(url: str, label: str) -> Element:
    """A link for a URL we may link to; any other URL is shown as text, so it still reads."""
    if is_safe_url(url):
        return {"type": "link", "url": url, "text": label}
    return text(cut(url, 300))


def date(moment: datetime) -> Element:
    """A date in each reader's own zone; the fallback is for clients that cannot localise it."""
    aware = moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)
    utc = aware.astimezone(UTC)
    return {
        "type": "date",
        "timestamp": int(utc.timestamp()),
        "format": "{date_short}",
        "fallback": f"{utc.day} {utc:%b %Y}",
    }


def emoji(name: str) -> Element:
    """One of our own emoji by name (":warning:" in a text element would stay letters)."""
    return {"type": "emoji", "name": name}


def user(user_id: str) -> Element:
    """A mention of one user: only ever built from an id Slack itself gave us."""
    return {"type": "user", "user_id": user_id}


def sentence(raw: str, limit: int, *, lead: str = "") -> Paragraph:
    """One of the core's own sentences, with its `` `code` `` spans drawn as code.

    The core writes commands in backticks ("Type `/wins help`."); those are markup of ours,
    so they become code elements and their backticks go. A lone backtick stays a backtick.
    The cut comes first, so a span the cut breaks is shown as the text it is. ``lead`` (our
    own words or spacing, no backticks) goes in front.
    """
    shown = cut(raw, limit)
    if "`" not in shown:
        return [text(lead + (shown if shown.strip() else BLANK))]
    shown = lead + shown
    parts: Paragraph = []
    start = 0
    for match in _CODE_SPAN.finditer(shown):
        if match.start() > start:
            parts.append(text(shown[start : match.start()]))
        parts.append(text(match[1], code=True))
        start = match.end()
    if start < len(shown):
        parts.append(text(shown[start:]))
    return parts


def unmarked(raw: str) -> str:
    """The core's sentence with its code spans' backticks gone, for plain one-line summaries."""
    return _CODE_SPAN.sub(r"\1", raw) if "`" in raw else raw


def block(paragraphs: Iterable[Paragraph]) -> dict[str, Any]:
    """A ``rich_text`` block, one line per paragraph (empty ones left out).

    The lines are one section joined by newlines, as Slack's own composer writes them, and
    neighbouring text elements of one style are one element: a message is serialised on every
    reply, and each JSON object costs more than its characters (a win goes from a dozen objects
    to five).
    """
    merged: Paragraph = []
    for paragraph in paragraphs:
        if not paragraph:
            continue
        if merged:
            _append(merged, text("\n"))
        for element in paragraph:
            _append(merged, element)
    section = {"type": "rich_text_section", "elements": merged or [text(BLANK)]}
    return {"type": "rich_text", "elements": [section]}


def _append(elements: Paragraph, element: Element) -> None:
    last = elements[-1] if elements else None
    if (
        last is not None
        and last["type"] == "text" == element["type"]
        and last.get("style") == element.get("style")
    ):
        elements[-1] = {**last, "text": last["text"] + element["text"]}
    else:
        elements.append(element)


def size(paragraph: Sequence[Element]) -> int:
    """What a paragraph costs against a block's 3,000-character budget (a link: URL and label)."""
    total = 0
    for element in paragraph:
        kind = element["type"]
        if kind == "text":
            total += slack_len(element["text"])
        elif kind == "link":
            total += slack_len(element["url"]) + slack_len(element["text"])
        elif kind == "date":
            total += slack_len(element["fallback"])
        else:
            total += 20  # an emoji's or a user's name as Slack shows it
    return total

"""Block Kit's building blocks and its limits: 50 blocks a message, 3,000 characters a block.

Every Slack message winsbot draws is made of these; ``fit_items`` and ``pack`` are where the
limits are kept, so a long answer is cut with "…and N more" instead of refused by Slack.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from adapters.chat.slack import richtext as rt
from adapters.chat.slack.mrkdwn import fit_plain
from adapters.chat.slack.richtext import Paragraph
from bot.domain.formatting import plural

Block = dict[str, Any]
Message = dict[str, Any]

MAX_BLOCKS = 50
MAX_SECTION = 3_000  # per rich_text block, counting every element's text
MAX_HEADER = 150
MAX_FALLBACK = 3_000


def message(fallback: str, blocks: list[Block]) -> Message:
    # The fallback is what notifications show: one plain line, "&<>" as entities and no more.
    return {"text": fit_plain(fallback, MAX_FALLBACK) or "winsbot", "blocks": blocks}


def plain(text: str, limit: int) -> dict[str, Any]:
    # emoji off: ":skull:" in someone's title stays the letters they typed.
    return {"type": "plain_text", "text": fit_plain(text, limit) or rt.BLANK, "emoji": False}


def header(text: str) -> Block:
    return {"type": "header", "text": plain(text, MAX_HEADER)}


def small(text: str) -> Block:
    # Small print (the period, "…and 3 more") in a context block, which holds no rich text.
    return {"type": "context", "elements": [plain(text, 1_000)]}


def actions(label: str, action_id: str, value: str) -> Block:
    # A rich_text block takes no accessory, so an item's button sits in its own row under it.
    button = {"type": "button", "text": plain(label, 75), "action_id": action_id, "value": value}
    return {"type": "actions", "elements": [button]}


def and_more(count: int, noun: str) -> Block:
    return small(f"…and {count:,} more {plural(count, noun)}")


def join(items: Sequence[list[Block]], divide: bool = True) -> list[Block]:
    blocks: list[Block] = []
    for index, item in enumerate(items):
        if divide and index:
            blocks.append({"type": "divider"})
        blocks += item
    return blocks


def fit_items(
    head: list[Block], items: Sequence[list[Block]], more: int, noun: str, *, divide: bool = True
) -> list[Block]:
    """Head, then as many items as fit in 50 blocks with room for "…and N more" (N counts drops)."""
    room = MAX_BLOCKS - len(head) - 1
    shown: list[list[Block]] = []
    used = 0
    for item in items:
        cost = len(item) + (1 if divide and shown else 0)
        if used + cost > room:
            break
        shown.append(item)
        used += cost
    blocks = head + join(shown, divide)
    more += len(items) - len(shown)
    if more > 0:
        blocks.append(and_more(more, noun))
    return blocks


def pack(lines: Sequence[Paragraph], limit: int = MAX_SECTION) -> list[list[Paragraph]]:
    """Group lines into rich text blocks of at most ``limit`` chars, never splitting a line."""
    groups: list[list[Paragraph]] = []
    current: list[Paragraph] = []
    size = 0
    for line in lines:
        cost = rt.size(line) + 1
        if current and size + cost > limit:
            groups.append(current)
            current, size = [], 0
        current.append(line)
        size += cost
    if current:
        groups.append(current)
    return groups

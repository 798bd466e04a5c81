"""Fitting a reply into one Adaptive Card: Teams refuses a card over ~28 KB or 50 body elements.

Every card goes through ``make_card``; lists go through ``fit_card``, which drops the least
important items (the last section's first) until the card, measured as botbuilder sends it, fits.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from adapters.chat.teams.runs import line, subheading
from bot.domain.formatting import plural

Card = dict[str, Any]
Element = dict[str, Any]

SCHEMA = "http://adaptivecards.io/schemas/adaptive-card.json"
MAX_CARD_BYTES = 28_000
MAX_BODY = 50
_ENVELOPE = 1_500  # ids, service URL and the attachment wrapper around the card
_BUDGET = MAX_CARD_BYTES - _ENVELOPE
_LIST_ITEMS = 25  # a reply is skimmed: the rest are one narrower query away


def make_card(body: list[Element], *, actions: list[Element] | None = None) -> Card:
    card: Card = {"type": "AdaptiveCard", "$schema": SCHEMA, "version": "1.5", "body": body}
    if actions:
        card["actions"] = actions
    card["msteams"] = {"width": "Full"}
    return card


def card_bytes(card: Card) -> int:
    """Size as botbuilder sends it: ASCII-escaped JSON, never smaller than the UTF-8 form."""
    return len(json.dumps(card))


@dataclass
class Section:
    """One list in a card: its items, its heading, and how many it already leaves out."""

    items: list[Element]
    noun: str
    title: str | None = None  # a subheading, shown when the section shows anything
    more: int = 0
    cap: int = _LIST_ITEMS
    empty: list[Element] = field(default_factory=list)  # shown when there is nothing at all


def _assemble(head: list[Element], sections: Sequence[Section], shown: list[int]) -> Card:
    body = list(head)
    for section, count in zip(sections, shown, strict=True):
        more = max(section.more, 0) + len(section.items) - count
        if (count or more > 0) and section.title is not None:
            body.append(subheading(section.title))
        elif not section.items:
            body += section.empty
        body += section.items[:count]
        if more > 0:
            body.append(line(f"…and {more:,} more {plural(more, section.noun)}", isSubtle=True))
    return make_card(body)


def fit_card(head: list[Element], sections: Sequence[Section]) -> Card:
    """Head, then each section's items, dropping from the last section until the card fits.

    Later sections matter less (case studies before campaigns before wins), so they give way
    first. Item sizes are measured once to drop enough at a time; the whole card is re-measured
    after each cut, so the estimate can never let an oversized card through.
    """
    shown = [min(len(s.items), max(s.cap, 0)) for s in sections]
    while True:
        card = _assemble(head, sections, shown)
        excess = card_bytes(card) - _BUDGET
        extra = len(card["body"]) - MAX_BODY
        if excess <= 0 and extra <= 0:
            return card
        nonempty = [index for index, count in enumerate(shown) if count]
        if not nonempty:
            return make_card(
                [line("This reply is too long to show in Teams: try a narrower query.")]
            )
        index = nonempty[-1]
        items = sections[index].items
        dropped, freed = 0, 0
        while dropped < shown[index] and (dropped == 0 or freed < excess or dropped < extra):
            freed += card_bytes(items[shown[index] - 1 - dropped]) + 2
            dropped += 1
        shown[index] -= dropped

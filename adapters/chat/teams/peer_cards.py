"""Teams drawing for peer examples: the digest's saved notes and the "Save as example" form.

Kept apart from ``cards`` (near its size budget). Teams has no modal a message can open, so the
note form unfolds in the card (an Action.ShowCard with one Input.Text) and submits the note
with the peer win's id. Each example is one Container, so ``fit_card`` can drop whole ones to
keep a card under ~28 KB.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from adapters.chat.teams.runs import Element, rich, value
from adapters.chat.teams.text import is_safe_url
from bot.domain.peer_examples import MAX_NOTE_CHARS, NOTE_LABEL, PeerExample

SAVE_EXAMPLE = "save_peer_example"


def save_example_action(win_id: int) -> dict[str, Any]:
    """An Action.ShowCard whose card asks what to learn and submits it with the win id."""
    form = {
        "type": "AdaptiveCard",
        "body": [
            {
                "type": "Input.Text",
                "id": "note",
                "label": NOTE_LABEL,
                "placeholder": "What we could do the same way, or better",
                "isMultiline": True,
                "isRequired": True,
                "errorMessage": "Write what to learn from this post.",
                "maxLength": MAX_NOTE_CHARS,
            }
        ],
        "actions": [
            {
                "type": "Action.Submit",
                "title": "Save",
                "data": {"winsbot": SAVE_EXAMPLE, "win_id": win_id},
            }
        ],
    }
    return {"type": "Action.ShowCard", "title": "Save as example", "card": form}


def example_elements(examples: Sequence[PeerExample]) -> list[Element]:
    """The period's saved examples: the note first (what to learn), then the post in one line."""
    return [_example(example) for example in examples]


def _example(example: PeerExample) -> Element:
    items: list[Element] = [
        rich([value(example.note, MAX_NOTE_CHARS, weight="bolder")]),
        rich([value(example.post_line, 300, isSubtle=True)], spacing="none"),
    ]
    if example.saved_by_name and example.saved_by_name.strip():
        byline = value(example.saved_by_name, 100, lead="Saved by ", isSubtle=True)
        items.append(rich([byline], spacing="none"))
    if example.post_url and is_safe_url(example.post_url):
        link = {"type": "Action.OpenUrl", "title": "View post", "url": example.post_url}
        items.append({"type": "ActionSet", "actions": [link]})
    return {"type": "Container", "items": items, "separator": True, "spacing": "medium"}

"""The "Add the story" button and the form it opens in Slack: what we did, result, learnings.

The button is drawn wherever a win is put in front of the people who can tell its story (the
prompt to its owner, a shared win); the form is a modal, so a story is written in one place
whatever message the button was on. The modal carries, in ``private_metadata``, the win and
the channel and thread the button was in, so the confirmation lands where the person was.
"""

from __future__ import annotations

import json
from typing import Any, Final

from adapters.chat.slack.mrkdwn import cut
from bot.domain.models import Win
from bot.domain.stories import LABELS, MAX_PART_CHARS, StoryParts

ADD_STORY_ACTION = "winsbot_add_story"
STORY_CALLBACK_ID: Final = "winsbot_story"
# Block Kit's limits, which Slack enforces by refusing views.open: a modal's title and buttons
# at most 24 characters, a context element 2,000, a placeholder 150, an input's value 3,000.
TITLE, SUBMIT, CLOSE = "Add the story", "Save the story", "Cancel"
_PLACEHOLDERS: Final = {
    "what_we_did": "The idea, the post, who was involved",
    "result": "What happened, in numbers if you have them",
    "learned": "What you would do again, or differently",
}
FIELDS: Final = tuple(LABELS)  # what_we_did, result, learned: action ids and answer names


def block_id(field: str) -> str:
    return f"story_{field}"


def add_story_button(win_id: int) -> dict[str, Any]:
    """An actions block with the one button; its value is the win's id."""
    button = {
        "type": "button",
        "text": {"type": "plain_text", "text": "Add the story", "emoji": False},
        "style": "primary",
        "action_id": ADD_STORY_ACTION,
        "value": str(win_id),
    }
    return {"type": "actions", "elements": [button]}


def story_metadata(win_id: int, channel: str | None, thread: str | None) -> str:
    """What the modal carries back on submission (Slack allows 3,000 characters: ids only)."""
    origin = {"win": str(win_id), "channel": channel, "thread": thread}
    return json.dumps({k: v for k, v in origin.items() if v is not None}, separators=(",", ":"))


def story_modal(win: Win, *, metadata: str, draft: StoryParts | None = None) -> dict[str, Any]:
    """The modal: which win, the three questions (any one answer will do), where it will show.

    Each input is optional for Slack's client, which would otherwise demand all three; the
    submission is checked instead, and an empty form gets an error under the first question.
    """
    about = {"type": "plain_text", "text": cut(f"About this win: {win.reason}", 2000)}
    blocks: list[dict[str, Any]] = [{"type": "context", "elements": [about]}]
    blocks += story_fields(draft)
    note = "Your story appears in digests and /wins cases, with your name."
    blocks.append({"type": "context", "elements": [{"type": "plain_text", "text": note}]})
    return {
        "type": "modal",
        "callback_id": STORY_CALLBACK_ID,
        "private_metadata": metadata,
        "title": {"type": "plain_text", "text": TITLE},
        "submit": {"type": "plain_text", "text": SUBMIT},
        "close": {"type": "plain_text", "text": CLOSE},
        "blocks": blocks,
    }


def story_fields(draft: StoryParts | None) -> list[dict[str, Any]]:
    """The three questions as optional inputs (also the pilot learnings form's)."""
    answers = {
        "what_we_did": draft.what_we_did if draft else None,
        "result": draft.result if draft else None,
        "learned": draft.learned if draft else None,
    }
    blocks: list[dict[str, Any]] = []
    for field in FIELDS:
        element: dict[str, Any] = {
            "type": "plain_text_input",
            "action_id": field,
            "multiline": True,
            "max_length": MAX_PART_CHARS,
            "placeholder": {"type": "plain_text", "text": _PLACEHOLDERS[field]},
        }
        if answers[field]:
            element["initial_value"] = answers[field]
        blocks.append(
            {
                "type": "input",
                "block_id": block_id(field),
                "optional": True,
                "label": {"type": "plain_text", "text": LABELS[field]},
                "element": element,
            }
        )
    return blocks


def field_errors(message: str) -> dict[str, Any]:
    """The ack that keeps the modal open with ``message`` under the first question."""
    return {"response_action": "errors", "errors": {block_id(FIELDS[0]): message}}

"""The "Add the story" button and the form it opens in Slack: what we did, result, learnings.

The button is drawn wherever a win is put in front of the people who can tell its story (the
prompt to its owner, a shared win); the form is a modal, so a story is written in one place
whatever message the button was on.
"""

from __future__ import annotations

from typing import Any

ADD_STORY_ACTION = "winsbot_add_story"


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

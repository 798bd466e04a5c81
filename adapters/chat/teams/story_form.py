"""The "Add the story" form in Teams: a ShowCard asking what we did, the result, the learnings.

Teams has no modal a message can open without a task module app, so the form unfolds in the
card itself; submitting it sends the three answers with the win's id.
"""

from __future__ import annotations

from typing import Any

from bot.domain.stories import LABELS, MAX_PART_CHARS

ADD_STORY = "add_story"


def add_story_action(win_id: int) -> dict[str, Any]:
    """An Action.ShowCard whose card asks the three questions and submits them with the win id."""

    def field(name: str, label: str, placeholder: str) -> dict[str, Any]:
        return {
            "type": "Input.Text",
            "id": name,
            "label": label,
            "placeholder": placeholder,
            "isMultiline": True,
            "maxLength": MAX_PART_CHARS,
        }

    form = {
        "type": "AdaptiveCard",
        "body": [
            field("what_we_did", LABELS["what_we_did"], "The idea, the post, who was involved"),
            field("result", LABELS["result"], "What happened, in numbers if you have them"),
            field("learned", LABELS["learned"], "What you would do again, or differently"),
        ],
        "actions": [
            {
                "type": "Action.Submit",
                "title": "Save the story",
                "data": {"winsbot": ADD_STORY, "win_id": win_id},
            }
        ],
    }
    return {"type": "Action.ShowCard", "title": "Add the story", "card": form}

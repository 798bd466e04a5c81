"""The note form "Save as example" opens in Slack: one question, what to learn from the post.

A modal like the story form (``story_form``), with its own callback id; ``private_metadata``
carries the peer win and the channel and thread of the button, so the confirmation lands where
the person was. The note is required: Slack's client asks for it, and the submission is checked
again (whitespace alone is no note), with the reason under the field.
"""

from __future__ import annotations

from typing import Any, Final

from adapters.chat.slack.mrkdwn import cut
from bot.domain.models import Win
from bot.domain.peer_examples import MAX_NOTE_CHARS, NOTE_LABEL

PEER_NOTE_CALLBACK_ID: Final = "winsbot_peer_note"
NOTE_BLOCK: Final = "peer_note"
NOTE_ACTION: Final = "note"
TITLE, SUBMIT, CLOSE = "Save as example", "Save", "Cancel"  # at most 24 characters each


def note_modal(win: Win, *, metadata: str) -> dict[str, Any]:
    """The modal: which peer post, the one note field, where the note will show."""
    about = f"{win.account or 'A peer'}: {win.reason}"
    note = 'Your note appears in the next digest\'s "What peers did well", with your name.'
    element = {
        "type": "plain_text_input",
        "action_id": NOTE_ACTION,
        "multiline": True,
        "max_length": MAX_NOTE_CHARS,
        "placeholder": {"type": "plain_text", "text": "What we could do the same way, or better"},
    }
    return {
        "type": "modal",
        "callback_id": PEER_NOTE_CALLBACK_ID,
        "private_metadata": metadata,
        "title": {"type": "plain_text", "text": TITLE},
        "submit": {"type": "plain_text", "text": SUBMIT},
        "close": {"type": "plain_text", "text": CLOSE},
        "blocks": [
            {"type": "context", "elements": [{"type": "plain_text", "text": cut(about, 2000)}]},
            {
                "type": "input",
                "block_id": NOTE_BLOCK,
                "label": {"type": "plain_text", "text": NOTE_LABEL},
                "element": element,
            },
            {"type": "context", "elements": [{"type": "plain_text", "text": note}]},
        ],
    }


def note_error(message: str) -> dict[str, Any]:
    """The ack that keeps the modal open with ``message`` under the note."""
    return {"response_action": "errors", "errors": {NOTE_BLOCK: message}}

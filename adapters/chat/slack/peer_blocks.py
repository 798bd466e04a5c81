"""Slack drawing for peer examples: the digest's saved notes and the "Save as example" button.

Kept apart from ``blocks`` (already near its size budget). One rich_text block per example:
a note of up to 1,000 characters, the post line and its link stay well under Block Kit's 3,000
characters a block, and at most three examples add three of the message's 50 blocks.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from adapters.chat.slack import richtext as rt
from adapters.chat.slack.block_parts import Block
from adapters.chat.slack.richtext import Paragraph
from bot.domain.peer_examples import MAX_NOTE_CHARS, PeerExample

SAVE_EXAMPLE_ACTION = "winsbot_save_peer_example"
SAVE_EXAMPLE_LABEL = "Save as example"


def example_blocks(examples: Sequence[PeerExample]) -> list[Block]:
    """The period's saved examples: the note first (what to learn), then the post in one line."""
    return [rt.block(_example_lines(example)) for example in examples]


def _example_lines(example: PeerExample) -> list[Paragraph]:
    note = [rt.value(example.note, MAX_NOTE_CHARS, bold=True)]
    post: Paragraph = [rt.value(example.post_line, 300)]
    if example.post_url:
        post += [rt.text(" · "), rt.link(example.post_url, "View post")]
    byline = example.saved_by_name
    lines = [note, post]
    if byline and byline.strip():
        lines.append([rt.value(byline, 200, lead="Saved by ")])
    return lines


def save_example_button(win_id: int) -> dict[str, Any]:
    """The button under a peer win on a `/wins peers` answer; its value is the win's id."""
    return {
        "type": "button",
        "text": {"type": "plain_text", "text": SAVE_EXAMPLE_LABEL, "emoji": False},
        "action_id": SAVE_EXAMPLE_ACTION,
        "value": str(win_id),
    }

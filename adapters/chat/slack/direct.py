"""Story prompts to owners in Slack: a direct message from the app, with the win and a button.

The DirectMessages port on conversations.open (the app's DM with the person, needs im:write)
and chat.postMessage, paced and retried by the SlackChatSender. Every prompt carries message
metadata naming it, so a worker taking over a stopped worker's prompt can find it in the DM's
history (conversations.history, needs im:history) instead of asking the person twice.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from slack_sdk.errors import SlackApiError

from adapters.chat.slack.blocks import Message, render_win
from adapters.chat.slack.mrkdwn import fit_plain
from adapters.chat.slack.sender import (
    PERMANENT_ERRORS,
    SlackChatSender,
)
from adapters.chat.slack.story_form import add_story_button
from bot.domain.views import StoryPromptView
from bot.ports import PermanentDeliveryError

PROMPT_EVENT = "winsbot_prompt"  # message metadata event_type of every story prompt
# conversations.open answers meaning this person cannot be written to, whatever we retry.
UNREACHABLE = frozenset(
    {"user_not_found", "user_disabled", "cannot_dm_bot", "user_not_visible", "not_allowed"}
)


def render_prompt(view: StoryPromptView) -> Message:
    """The intro in plain words, the win as every shared win reads, and "Add the story"."""
    win = render_win(view.win)
    intro = {
        "type": "section",
        "text": {"type": "plain_text", "text": fit_plain(view.intro, 3000), "emoji": False},
    }
    button = add_story_button(view.win.id)
    blocks = list(win["blocks"])
    if button not in blocks:  # a shared win may carry it already
        blocks.append(button)
    message: Message = {"text": fit_plain(view.intro, 300), "blocks": [intro, *blocks]}
    if view.prompt_id is not None:
        message["metadata"] = {
            "event_type": PROMPT_EVENT,
            "event_payload": {"prompt_id": view.prompt_id, "win_id": view.win.id},
        }
    return message


class SlackDirectMessages:
    """The DirectMessages port for Slack, over the sender that posts everything else."""

    def __init__(self, sender: SlackChatSender) -> None:
        self.sender = sender
        self._channels: dict[str, str] = {}  # user id -> the app's DM channel with them

    async def open(self, user_id: str) -> str:
        if user_id in self._channels:
            return self._channels[user_id]
        try:
            response = await self.sender.client.conversations_open(users=user_id)
        except SlackApiError as exc:
            error = str(exc.response.get("error", ""))
            if error in UNREACHABLE or error in PERMANENT_ERRORS:
                raise PermanentDeliveryError(f"Slack answered {error} for {user_id}") from exc
            raise
        channel = str((response.get("channel") or {}).get("id") or "")
        if not channel:
            raise PermanentDeliveryError(f"Slack opened no conversation with {user_id}")
        self._channels[user_id] = channel
        return channel

    async def post_direct(
        self, user_id: str, view: StoryPromptView, *, fallback_channel: str | None = None
    ) -> str:
        """Slack can always open a DM from the app: ``fallback_channel`` is never needed."""
        return await self.sender.post_message(await self.open(user_id), render_prompt(view))

    async def find_direct(self, user_id: str, prompt_id: int, since: datetime) -> str | None:
        """The ts of the DM message whose metadata names ``prompt_id``, posted since then."""
        return await self.sender.find_in_history(
            await self.open(user_id),
            lambda message: names_prompt(message, prompt_id),
            since,
            scopes="im:history",
        )


def names_prompt(message: dict[str, Any], prompt_id: int) -> bool:
    metadata = message.get("metadata")
    if not isinstance(metadata, dict) or metadata.get("event_type") != PROMPT_EVENT:
        return False
    payload = metadata.get("event_payload")
    value = payload.get("prompt_id") if isinstance(payload, dict) else None
    return value is not None and not isinstance(value, bool) and str(value) == str(prompt_id)

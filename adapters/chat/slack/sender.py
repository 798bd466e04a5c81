"""Posts into Slack for the core (digests, shared wins): the ChatSender port on chat.postMessage.

Transient faults (429 with Retry-After, 5xx, dropped connections) are retried by the client's
retry handlers (see build_client); what is left is permanent and reported as such.
"""

from __future__ import annotations

from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from adapters.chat.slack.blocks import render
from bot.ports import PermanentDeliveryError
from bot.views import ChatView

# Errors that no retry will fix: the channel is gone, archived, or the bot is not in it.
PERMANENT_ERRORS = frozenset(
    {
        "channel_not_found", "not_in_channel", "is_archived", "account_inactive",
        "invalid_auth", "token_revoked", "missing_scope", "restricted_action",
    }
)  # fmt: skip


class SlackChatSender:
    def __init__(self, client: AsyncWebClient, *, command: str = "/wins") -> None:
        self.client = client
        self.command = command

    async def post(self, channel_id: str, view: ChatView, *, thread_id: str | None = None) -> str:
        message = render(view, command=self.command)
        try:
            response = await self.client.chat_postMessage(
                channel=channel_id, thread_ts=thread_id, **message
            )
        except SlackApiError as exc:
            error = str(exc.response.get("error", ""))
            if error in PERMANENT_ERRORS:
                raise PermanentDeliveryError(f"Slack answered {error}") from exc
            raise
        return str(response["ts"])

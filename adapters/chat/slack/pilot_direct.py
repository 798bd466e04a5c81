"""The PilotMessages port for Slack: the learnings ask in the owner's DM, the report in a channel.

Over the same sender (pacing, retries) and DM opener as story prompts. Both messages carry
metadata naming their ledger row; ``find_pilot_message`` looks for it in the DM's or the
channel's history (conversations.history with include_all_metadata), so a worker that takes
over a stopped one's send records it instead of sending it twice.
"""

from __future__ import annotations

from datetime import datetime

from slack_sdk.errors import SlackApiError

from adapters.chat.slack.direct import SlackDirectMessages
from adapters.chat.slack.pilot_blocks import names_pilot_message, render_ask, render_report
from adapters.chat.slack.sender import (
    HISTORY_PAGE,
    HISTORY_PAGES,
    LOOKUP_REFUSED,
    PERMANENT_ERRORS,
    SlackChatSender,
)
from bot.domain.pilot_end import PilotAskView
from bot.domain.pilot_report import PilotReport
from bot.ports import DigestLookupError, PermanentDeliveryError


class SlackPilotMessages:
    def __init__(self, sender: SlackChatSender, direct: SlackDirectMessages) -> None:
        self.sender = sender
        self.direct = direct

    async def ask_learnings(
        self, user_id: str, view: PilotAskView, *, fallback_channel: str | None = None
    ) -> str:
        """Slack can always open a DM from the app: ``fallback_channel`` is never needed."""
        return await self.sender.post_message(await self.direct.open(user_id), render_ask(view))

    async def post_report(self, channel_id: str, report: PilotReport, *, message_id: int) -> str:
        return await self.sender.post_message(
            channel_id, render_report(report, message_id=message_id)
        )

    async def find_pilot_message(
        self, *, user_id: str | None, channel_id: str | None, message_id: int, since: datetime
    ) -> str | None:
        """The ts of the message whose metadata names ``message_id``, posted since then."""
        channel = channel_id or (await self.direct.open(user_id) if user_id else None)
        if channel is None:
            return None
        cursor: str | None = None
        for _ in range(HISTORY_PAGES):
            try:
                response = await self.sender.client.conversations_history(
                    channel=channel,
                    oldest=f"{since.timestamp():.6f}",
                    inclusive=True,
                    include_all_metadata=True,
                    limit=HISTORY_PAGE,
                    cursor=cursor,
                )
            except SlackApiError as exc:
                error = str(exc.response.get("error", ""))
                if error in LOOKUP_REFUSED:
                    raise DigestLookupError(
                        f"Slack answered {error} to conversations.history"
                    ) from exc
                if error in PERMANENT_ERRORS:
                    raise PermanentDeliveryError(f"Slack answered {error}") from exc
                raise
            for found in response.get("messages") or []:
                if names_pilot_message(found, message_id):
                    return str(found["ts"])
            cursor = (response.get("response_metadata") or {}).get("next_cursor") or None
            if not response.get("has_more") or cursor is None:
                return None
        raise DigestLookupError(f"too many messages in {channel} to look through")

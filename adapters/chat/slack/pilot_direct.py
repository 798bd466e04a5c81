"""The PilotMessages port for Slack: the learnings ask in the owner's DM, the report in a channel.

Over the same sender (pacing, retries) and DM opener as story prompts. Both messages carry
metadata naming their ledger row; ``find_pilot_message`` looks for it in the DM's or the
channel's history (conversations.history with include_all_metadata), so a worker that takes
over a stopped one's send records it instead of sending it twice.
"""

from __future__ import annotations

from datetime import datetime

from adapters.chat.slack.direct import SlackDirectMessages
from adapters.chat.slack.pilot_blocks import names_pilot_message, render_ask, render_report
from adapters.chat.slack.sender import (
    SlackChatSender,
)
from bot.domain.pilot_end import PilotAskView
from bot.domain.pilot_report import PilotReport


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
        return await self.sender.find_in_history(
            channel,
            lambda message: names_pilot_message(message, message_id),
            since,
            scopes="im:history" if channel_id is None else "channels:history and groups:history",
        )

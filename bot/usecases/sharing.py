"""Sharing a win to a channel from a list: at most once per channel, and its thread is ours.

Both chat adapters call ``share_win`` with a ``PostWin`` that posts the platform's way; the
rules (does it still exist, is it already there, remember the message for its thread's replies)
live here once.
"""

from __future__ import annotations

from bot.domain.context import ChatContext
from bot.domain.views import NoticeView
from bot.ports import PostWin
from bot.store.subscriptions import record_posted, shared_win_message
from bot.store.wins import WinFilter
from bot.usecases.results import WinsService

GONE = NoticeView(text="That win no longer exists.", ok=False)
ALREADY_SHARED = NoticeView(text="This win is already shared in this channel.")
SHARED = NoticeView(text="Shared. Replies in its thread become case studies.")


class WinSharing:
    def __init__(self, service: WinsService) -> None:
        self.service = service

    async def share_win(self, context: ChatContext, win_id: int, post: PostWin) -> NoticeView:
        """Post the win in the context's channel unless it is there already; says what happened."""
        found = await self.service.wins(WinFilter(win_id=win_id, limit=1))
        if not found:
            return GONE
        async with self.service.db.engine.connect() as conn:
            shared = await shared_win_message(
                conn, chat=context.chat, channel_id=context.channel_id, win_id=win_id
            )
        if shared is not None:
            return ALREADY_SHARED
        message_id = await post(found[0])
        async with self.service.db.engine.begin() as conn:
            await record_posted(
                conn,
                chat=context.chat,
                workspace_id=context.workspace_id,
                channel_id=context.channel_id,
                message_id=message_id,
                kind="win",
                win_id=win_id,
                posted_by=context.user_id,
                now=self.service.clock.now(),
            )
        return SHARED

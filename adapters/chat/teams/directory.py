"""Who a Teams user is, as far as the core asks: admin rights and time zone.

Teams sends the sender's time zone with each message (``activity.localTimezone``); the bot puts
it in ``current_timezone`` for the turn, and subscribing reads it back as the default zone.
"""

from __future__ import annotations

import contextvars

from bot.domain.context import ChatContext

current_timezone: contextvars.ContextVar[str | None] = contextvars.ContextVar(
    "current_timezone", default=None
)


class TeamsDirectory:
    """Teams has no cheap "is workspace admin" lookup without Graph: WINSBOT_ADMINS decides."""

    async def is_admin(self, context: ChatContext) -> bool:
        return False

    async def timezone(self, context: ChatContext) -> str | None:
        return current_timezone.get()

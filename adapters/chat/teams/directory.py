"""Who a Teams user is, as far as the core asks: admin rights, time zone and name.

Teams sends the sender's time zone (``activity.localTimezone``) and name (``from.name``) with
each message; the bot puts them in context variables for the turn, and subscribing and case
studies read them back.
"""

from __future__ import annotations

import contextvars

from bot.domain.context import ChatContext

current_timezone: contextvars.ContextVar[str | None] = contextvars.ContextVar(
    "current_timezone", default=None
)
current_user_name: contextvars.ContextVar[str | None] = contextvars.ContextVar(
    "current_user_name", default=None
)


class TeamsDirectory:
    """Teams has no cheap "is workspace admin" lookup without Graph: WINSBOT_ADMINS decides."""

    async def is_admin(self, context: ChatContext) -> bool:
        return False

    async def timezone(self, context: ChatContext) -> str | None:
        return current_timezone.get()

    async def display_name(self, context: ChatContext) -> str | None:
        return current_user_name.get()

"""Who a Slack user is: admin rights and time zone, from users.info, cached briefly."""

from __future__ import annotations

import logging
import time
from typing import Any

from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from bot.domain.context import ChatContext

log = logging.getLogger("winsbot.slack")
CACHE_SECONDS = 300.0


class SlackDirectory:
    """Implements the core's ChatDirectory with users.info (scope users:read)."""

    def __init__(self, client: AsyncWebClient) -> None:
        self.client = client
        self._cache: dict[str, tuple[float, dict[str, Any]]] = {}

    async def _user(self, user_id: str) -> dict[str, Any]:
        cached = self._cache.get(user_id)
        if cached and time.monotonic() - cached[0] < CACHE_SECONDS:
            return cached[1]
        try:
            response = await self.client.users_info(user=user_id)
        except SlackApiError as exc:
            # Not knowing means "not an admin": refusing is the safe side.
            log.warning("users.info failed for %s: %s", user_id, exc.response.get("error"))
            return {}
        user: dict[str, Any] = response.get("user") or {}
        self._cache[user_id] = (time.monotonic(), user)
        return user

    async def is_admin(self, context: ChatContext) -> bool:
        user = await self._user(context.user_id)
        return bool(user.get("is_admin") or user.get("is_owner") or user.get("is_primary_owner"))

    async def timezone(self, context: ChatContext) -> str | None:
        tz = (await self._user(context.user_id)).get("tz")
        return tz if isinstance(tz, str) and tz else None

"""Who a Slack user is: admin rights, time zone and name, from users.info, cached briefly."""

from __future__ import annotations

import asyncio
import logging
import time
from typing import Annotated

import aiohttp
from pydantic import BaseModel, ConfigDict, StringConstraints, ValidationError
from slack_sdk.errors import SlackApiError, SlackClientError
from slack_sdk.web.async_client import AsyncWebClient

from bot.domain.context import ChatContext

log = logging.getLogger("winsbot.slack")
CACHE_SECONDS = 300.0

# What slack_sdk raises when users.info cannot be read: Slack's own errors, but also whatever a
# proxy in the way answers (an HTML page, a 405), a dropped connection, a timeout, and, for a
# JSON body that is not an object, an AttributeError from its own response check.
_UNREADABLE = (
    SlackClientError,
    aiohttp.ClientError,
    asyncio.TimeoutError,
    ValueError,
    AttributeError,
)


Name = Annotated[str, StringConstraints(strip_whitespace=True, max_length=200)]


class SlackProfile(BaseModel):
    model_config = ConfigDict(frozen=True, extra="ignore")

    display_name: Name | None = None
    real_name: Name | None = None


class SlackUser(BaseModel):
    """The part of a users.info ``user`` object winsbot reads."""

    model_config = ConfigDict(frozen=True, extra="ignore")

    is_admin: bool = False
    is_owner: bool = False
    is_primary_owner: bool = False
    tz: Annotated[str, StringConstraints(min_length=1, max_length=64)] | None = None
    name: Name | None = None
    real_name: Name | None = None
    profile: SlackProfile = SlackProfile()

    @property
    def shown_name(self) -> str | None:
        """The name Slack itself shows: the display name people chose, else their full name."""
        for name in (self.profile.display_name, self.profile.real_name, self.real_name, self.name):
            if name:
                return name
        return None


UNKNOWN = SlackUser()


class SlackDirectory:
    """Implements the core's ChatDirectory with users.info (scope users:read)."""

    def __init__(self, client: AsyncWebClient) -> None:
        self.client = client
        self._cache: dict[str, tuple[float, SlackUser]] = {}

    async def _user(self, user_id: str) -> SlackUser:
        """The user, or UNKNOWN when Slack cannot say: not knowing means "not an admin", the
        safe side, and the caller's default time zone."""
        cached = self._cache.get(user_id)
        if cached and time.monotonic() - cached[0] < CACHE_SECONDS:
            return cached[1]
        try:
            response = await self.client.users_info(user=user_id)
            user = SlackUser.model_validate(response.get("user") or {})
        except ValidationError as exc:  # before _UNREADABLE, which catches any ValueError
            field = ".".join(str(part) for part in exc.errors()[0]["loc"])
            log.warning("users.info answered an unexpected %s for %s", field, user_id)
            return UNKNOWN
        except _UNREADABLE as exc:
            log.warning("users.info failed for %s: %s", user_id, _reason(exc))
            return UNKNOWN
        self._cache[user_id] = (time.monotonic(), user)
        return user

    async def is_admin(self, context: ChatContext) -> bool:
        user = await self._user(context.user_id)
        return user.is_admin or user.is_owner or user.is_primary_owner

    async def timezone(self, context: ChatContext) -> str | None:
        return (await self._user(context.user_id)).tz

    async def display_name(self, context: ChatContext) -> str | None:
        return (await self._user(context.user_id)).shown_name


def _reason(exc: BaseException) -> str:
    """Slack's error code when there is one, else what came back instead (one line)."""
    if isinstance(exc, SlackApiError):
        response = exc.response
        data = response.data if isinstance(response.data, dict) else {}
        if data.get("error"):
            return str(data["error"])
        content_type = response.headers.get("content-type", "no content type")
        return f"HTTP {response.status_code} ({content_type}), not a Slack API answer"
    return type(exc).__name__

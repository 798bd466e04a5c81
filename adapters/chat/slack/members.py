"""Who is in a Slack channel (conversations.members): leadership, for buy-in.

The leadership digest's channels say who leadership is. conversations.members needs the
``channels:read`` (public) or ``groups:read`` (private) scope; without it, or for a channel the
bot has left, the members are unknown (one WARNING line) and what was stored stays.
"""

from __future__ import annotations

import logging
from typing import Annotated, Final

from pydantic import BaseModel, ConfigDict, StringConstraints, ValidationError
from slack_sdk.web.async_client import AsyncWebClient

from adapters.chat.slack.directory import _UNREADABLE, _reason
from bot.domain.buy_in import Member

log = logging.getLogger("winsbot.slack")

PAGE_SIZE: Final = 200  # Slack's recommended page size for cursored methods
MAX_PAGES: Final = 50  # 10,000 members: a leadership channel is far smaller

UserId = Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9_-]+$", max_length=64)]


class _Metadata(BaseModel):
    model_config = ConfigDict(frozen=True, extra="ignore")

    next_cursor: str = ""


class MembersPage(BaseModel):
    """One page of a conversations.members answer."""

    model_config = ConfigDict(frozen=True, extra="ignore")

    members: list[UserId]
    response_metadata: _Metadata = _Metadata()


class SlackMembers:
    """The ChannelMembers port over conversations.members, every page of it."""

    def __init__(self, client: AsyncWebClient, *, bot_user_id: str | None = None) -> None:
        self.client = client
        self.bot_user_id = bot_user_id

    async def members(self, channel_id: str) -> list[Member] | None:
        found: list[str] = []
        cursor: str | None = None
        for _ in range(MAX_PAGES):
            try:
                response = await self.client.conversations_members(
                    channel=channel_id, limit=PAGE_SIZE, cursor=cursor
                )
                page = MembersPage.model_validate(response.data)
            except ValidationError:  # before _UNREADABLE, which catches any ValueError
                log.warning("conversations.members answered an unexpected body for %s", channel_id)
                return None
            except _UNREADABLE as exc:
                log.warning("conversations.members failed for %s: %s", channel_id, _reason(exc))
                return None
            found.extend(page.members)
            cursor = page.response_metadata.next_cursor or None
            if cursor is None:
                break
        return [Member(user) for user in dict.fromkeys(found) if user != self.bot_user_id]

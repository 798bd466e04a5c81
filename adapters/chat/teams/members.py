"""Who is in a Teams channel (the Bot Connector's roster): leadership, for buy-in.

``GET /v3/conversations/{id}/members`` on the connector of the turn being answered: the members
of the team a leadership channel belongs to. A roster that cannot be read is unknown (one
WARNING line) and what was stored for that channel stays.
"""

from __future__ import annotations

import logging
from typing import Any

from msrest.exceptions import ClientRequestError, HttpOperationError

from bot.domain.buy_in import Member

log = logging.getLogger("winsbot.teams")


class TeamsMembers:
    """The ChannelMembers port over a botbuilder ConnectorClient."""

    def __init__(self, connector: Any) -> None:
        self.connector = connector

    async def members(self, channel_id: str) -> list[Member] | None:
        try:
            accounts = await self.connector.conversations.get_conversation_members(channel_id)
        except (HttpOperationError, ClientRequestError) as exc:
            log.warning("the Teams roster of %s could not be read: %s", channel_id, exc)
            return None
        found: list[Member] = []
        for account in accounts or []:
            # The core knows Teams users by their Azure AD object id, as WINSBOT_ADMINS does.
            user = getattr(account, "aad_object_id", None) or getattr(account, "id", None)
            name = getattr(account, "name", None)
            if isinstance(user, str) and user:
                found.append(Member(user[:200], name[:200] if isinstance(name, str) else None))
        return found

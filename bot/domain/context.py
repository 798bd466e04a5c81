"""Where a chat command or reply came from, decoded by an adapter from its platform's payload."""

from __future__ import annotations

from dataclasses import dataclass

from bot.domain.models import Chat


@dataclass(frozen=True, slots=True)
class ChatContext:
    """The platform-neutral facts every chat use case needs: who, where, and how private."""

    chat: Chat
    workspace_id: str | None
    channel_id: str
    user_id: str
    channel_is_private: bool = False

    def reply_ref(self, reply_id: str) -> str:
        """The stable key of a chat message: a redelivered or edited reply finds its case study."""
        return f"{self.chat.value}:{self.workspace_id or '-'}:{self.channel_id}:{reply_id}"

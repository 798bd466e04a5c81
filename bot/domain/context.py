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


@dataclass(frozen=True, slots=True)
class SharedFile:
    """A file or image posted with a reply (a screenshot of the post, the pilot's report)."""

    name: str
    url: str


def reply_body(text: str, files: tuple[SharedFile, ...] = ()) -> str:
    """A reply as a story keeps it: what was written, then a link to each file shared with it.

    An image with a caption is as much a story as text alone; without its file the caption
    ("this one!") loses what it points at.
    """
    lines = [text.strip()] if text.strip() else []
    lines += [f"{file.name}: {file.url}" for file in files if file.url]
    return "\n".join(lines)

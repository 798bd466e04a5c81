"""Ports: what the core needs from the outside world, as Protocols named for their role."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from bot.views import ChatView, DigestView


class Clock(Protocol):
    """Current time, injectable so schedules and periods are testable without sleeping."""

    def now(self) -> datetime: ...


class SystemClock:
    def now(self) -> datetime:
        return datetime.now(UTC)


class FixedClock:
    """A clock that stays where it is put: for tests, demos and benchmarks."""

    def __init__(self, moment: datetime) -> None:
        self.moment = moment

    def now(self) -> datetime:
        return self.moment


class ChatSender(Protocol):
    """Posts a neutral view to a chat channel (a new thread) or into a thread.

    Returns the platform's message id (Slack ts, Teams activity id), which is what thread
    replies point back to. Implementations render natively and retry transient faults.
    """

    async def post(
        self, channel_id: str, view: ChatView, *, thread_id: str | None = None
    ) -> str: ...

    async def post_digest(
        self, channel_id: str, view: DigestView, *, chart_png: bytes | None = None
    ) -> str:
        """Post a digest as a new message (and its chart, the platform's way); returns its id."""
        ...


class PermanentDeliveryError(Exception):
    """The channel cannot be reached (removed, archived, bot not a member): retrying won't help."""

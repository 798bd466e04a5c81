"""Ports: what the core needs from the outside world, as Protocols named for their role."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from bot.domain.models import Platform, SourceAccount, SourceItem
    from bot.domain.views import ChatView, DigestView


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


class SourceError(Exception):
    """A social source could not be read this round; the others keep going.

    ``status`` (HTTP) and ``code`` (the platform's own error code, e.g. "quotaExceeded",
    "ExpiredToken", 190) let a source classify an answer without parsing the message.
    """

    def __init__(self, message: str, *, status: int | None = None, code: str | None = None):
        super().__init__(message)
        self.status = status
        self.code = code


class SourceAuthError(SourceError):
    """The token is missing, expired or revoked: the source is unhealthy until someone fixes it."""


class Source(Protocol):
    """One social platform (or export format) that turns its data into snapshot records.

    ``fetch`` returns the account's posts published since ``since`` (newest first, paging as
    needed) with their counts now, the account's follower count, and a RowProblem for each item
    it could not read. Transient faults are retried inside; SourceAuthError and SourceError
    end the account's round.
    """

    platform: Platform

    async def fetch(self, account: SourceAccount, since: datetime) -> list[SourceItem]: ...

    async def check(self) -> str:
        """Prove the credentials and the base URL work; a short description of what answered."""
        ...

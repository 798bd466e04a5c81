"""Ports: what the core needs from the outside world, as Protocols named for their role."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any, Protocol

if TYPE_CHECKING:
    from bot.domain.context import ChatContext
    from bot.domain.models import Platform, SourceAccount, SourceItem, Win
    from bot.domain.pilot_end import PilotAskView
    from bot.domain.pilot_report import PilotReport
    from bot.domain.views import ChatView, DigestView, StoryPromptView


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
        self,
        channel_id: str,
        view: DigestView,
        *,
        chart_png: bytes | None = None,
        delivery_id: int | None = None,
    ) -> str:
        """Post a digest as a new message (and its chart, the platform's way); returns its id.

        Where the platform can carry it, the message names ``delivery_id`` (Slack: message
        metadata), so ``find_digest`` can recognise it later.
        """
        ...

    async def find_digest(self, channel_id: str, delivery_id: int, since: datetime) -> str | None:
        """The id of the digest for ``delivery_id`` posted in the channel since ``since``.

        Asked before a worker re-posts a digest that a stopped worker may have posted. None
        means it is surely not there; DigestLookupError means the platform cannot tell
        (Teams), and the caller must not post blindly.
        """
        ...


class ChatDirectory(Protocol):
    """What the chat platform knows about a user (Slack: users.info; Teams: the activity)."""

    async def is_admin(self, context: ChatContext) -> bool:
        """May this user manage leadership subscriptions (workspace admin or owner)?"""
        ...

    async def timezone(self, context: ChatContext) -> str | None:
        """The user's IANA time zone, the default for the digests they subscribe to."""
        ...

    async def display_name(self, context: ChatContext) -> str | None:
        """The name people know the user by, for bylines; None when the platform won't say."""
        ...


class DirectMessages(Protocol):
    """Asks one person something privately: a story prompt to the owner of a win.

    Slack opens a direct message from the app; Teams uses the 1:1 chat it has seen with that
    person, else ``fallback_channel`` (the department's subscribed channel). Raises
    PermanentDeliveryError when the person cannot be reached at all.
    """

    async def post_direct(
        self, user_id: str, view: StoryPromptView, *, fallback_channel: str | None = None
    ) -> str:
        """Post the prompt; returns the platform's message id."""
        ...

    async def find_direct(self, user_id: str, prompt_id: int, since: datetime) -> str | None:
        """The id of the prompt ``prompt_id`` sent to the person since ``since``, or None.

        Asked before re-sending a prompt a stopped worker may have sent; DigestLookupError
        means the platform cannot tell (Teams), and the caller must not send blindly.
        """
        ...


class PersonalChats(Protocol):
    """Teams: the 1:1 chat winsbot has seen with a person, the only way to write to them."""

    async def personal_conversation(self, user_id: str) -> str | None:
        """The conversation id of the 1:1 chat with this AAD object id, or None."""
        ...


class PilotMessages(Protocol):
    """What a pilot's end sends: the learnings form to an owner, the report to a channel.

    Both name their ledger row (``message_id``) where the platform can carry it (Slack:
    message metadata), so ``find_pilot_message`` can recognise one a stopped worker sent;
    DigestLookupError means the platform cannot tell (Teams) and the caller must not resend.
    """

    async def ask_learnings(
        self, user_id: str, view: PilotAskView, *, fallback_channel: str | None = None
    ) -> str: ...

    async def post_report(
        self, channel_id: str, report: PilotReport, *, message_id: int
    ) -> str: ...

    async def find_pilot_message(
        self, *, user_id: str | None, channel_id: str | None, message_id: int, since: datetime
    ) -> str | None: ...


PostWin = Callable[["Win"], Awaitable[str]]
"""Posts one win where the person who asked to share it is, the platform's way; returns the
message id that replies in its thread will point back to."""


class OwnersLookup(Protocol):
    """Who owns a win (its account's and tags' owners): their replies in its thread are its
    story, where other people's are feedback. One port, so where owners are kept (winsbot.toml,
    chat commands) is decided in one place."""

    async def owners_of(self, win_id: int) -> frozenset[str]:
        """The chat user ids of the win's owners; empty when it has none."""
        ...

    async def owners_of_pilot(self, campaign_id: int) -> frozenset[str]:
        """The chat user ids of a pilot's owners (its own, its account's and tag's)."""
        ...

    async def any_owners(self) -> bool:
        """Whether any owner is configured at all (none: every reply is a story, as before)."""
        ...


class ConversationReferences(Protocol):
    """How to reach a chat channel without being asked (Teams keeps a conversation reference).

    Teams can only post proactively with the reference it saw when the bot was installed or
    last spoken to, so the adapter hands references to the core to keep, and asks for them back.
    """

    async def remember(
        self,
        conversation_id: str,
        reference: dict[str, Any],
        *,
        team_id: str | None,
        tenant_id: str | None,
        kind: str | None,
    ) -> None:
        """Store or refresh the reference of one conversation (service URLs change)."""
        ...

    async def reference(self, conversation_id: str) -> dict[str, Any] | None:
        """The stored reference of an active conversation, or None if we cannot reach it."""
        ...

    async def forget_installation(self, *, team_id: str | None, conversation_id: str) -> int:
        """The bot was removed: stop what fed that team or chat; returns subscriptions stopped."""
        ...


class PermanentDeliveryError(Exception):
    """The channel cannot be reached (removed, archived, bot not a member): retrying won't help."""


class DigestLookupError(Exception):
    """The platform cannot say whether a digest was already posted (Teams; Slack without the
    history scopes): a person has to look."""


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

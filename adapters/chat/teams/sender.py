"""Proactive posts into Teams: new channel threads and thread replies, with back-off.

botbuilder's connector client never retries POSTs, so this does: 429 waits for Retry-After (or
backs off), and 412/502/504 back off with jitter, up to a limit. 403/404 mean the bot is gone
from that conversation: a PermanentDeliveryError tells the caller to stop trying.
"""

from __future__ import annotations

import asyncio
import logging
import random
from collections.abc import Awaitable, Callable
from datetime import datetime
from typing import Any

from botbuilder.core import MessageFactory, TurnContext
from botbuilder.schema import Activity, ConversationParameters, ConversationReference
from msrest.exceptions import HttpOperationError

from adapters.chat.teams.cards import attachment, plain_text, render, render_digest
from bot.domain.layout import digest_layout
from bot.domain.views import ChatView, DigestView
from bot.ports import ConversationReferences, DigestLookupError, PermanentDeliveryError

log = logging.getLogger("winsbot.teams")

RETRIED = {412, 429, 502, 503, 504}
PERMANENT = {401, 403, 404}
MAX_ATTEMPTS = 5


async def start_channel_thread(
    adapter: Any, app_id: str | None, reference: ConversationReference, activity: Activity
) -> str:
    """Post ``activity`` as a new thread in the reference's channel; returns the root id."""
    channel_id = reference.conversation.id.split(";", 1)[0]
    created: dict[str, str] = {}

    async def capture(turn: TurnContext) -> None:
        created["id"] = turn.activity.id

    params = ConversationParameters(
        is_group=True,
        channel_data={"channel": {"id": channel_id}},
        activity=activity,
        tenant_id=reference.conversation.tenant_id,
    )
    await adapter.create_conversation(
        app_id or "", capture, params, "msteams", reference.service_url, None
    )
    return created["id"]


async def with_backoff(
    send: Callable[[], Awaitable[str]], *, sleep: Callable[[float], Awaitable[None]] = asyncio.sleep
) -> str:
    """Run ``send``, retrying Teams' transient answers; raise PermanentDeliveryError on 403/404."""
    for attempt in range(1, MAX_ATTEMPTS + 1):
        try:
            return await send()
        except HttpOperationError as exc:
            status = getattr(exc.response, "status_code", None)
            if status in PERMANENT:
                raise PermanentDeliveryError(f"Teams answered {status}") from exc
            if status not in RETRIED or attempt == MAX_ATTEMPTS:
                raise
            delay = _retry_after(exc) or min(30.0, 0.5 * 2 ** (attempt - 1))
            log.info("Teams answered %s; retrying in %.1f s", status, delay)
            await sleep(delay + random.uniform(0, 0.25))
    raise AssertionError("unreachable")  # pragma: no cover


def _retry_after(exc: HttpOperationError) -> float | None:
    headers = getattr(exc.response, "headers", None) or {}
    value = headers.get("Retry-After")
    try:
        return float(value) if value is not None else None
    except ValueError:
        return None


def card_activity(view: ChatView) -> Activity:
    message = MessageFactory.attachment(attachment(render(view)))
    message.summary = plain_text(view)
    return message


class TeamsChatSender:
    """The core's ChatSender for Teams, from stored conversation references."""

    def __init__(
        self,
        adapter: Any,
        conversations: ConversationReferences,
        *,
        app_id: str | None,
        chart_url: Callable[[bytes], str | None] = lambda _: None,
    ) -> None:
        self.adapter = adapter
        self.conversations = conversations
        self.app_id = app_id or None
        self.chart_url = chart_url

    async def post_digest(
        self,
        channel_id: str,
        view: DigestView,
        *,
        chart_png: bytes | None = None,
        delivery_id: int | None = None,
    ) -> str:
        """A digest card with its trend as a native chart (an image served by winsbot only for a
        digest without a trend, when it has a URL).

        ``delivery_id`` is not sent: a bot cannot read a channel's messages back to look for it.
        """
        # Teams draws the trend itself (Chart.Line): a PNG is only stored for a digest without one.
        native = digest_layout(view).trend is not None
        url = self.chart_url(chart_png) if chart_png is not None and not native else None
        message = MessageFactory.attachment(attachment(render_digest(view, chart_url=url)))
        message.summary = plain_text(view)
        return await self.post_activity(channel_id, message)

    async def post(self, channel_id: str, view: ChatView, *, thread_id: str | None = None) -> str:
        return await self.post_activity(channel_id, card_activity(view), thread_id=thread_id)

    async def find_digest(self, channel_id: str, delivery_id: int, since: datetime) -> str | None:
        """Teams cannot tell: the Bot Connector has no way to list a channel's messages."""
        raise DigestLookupError(
            "Teams cannot list a channel's messages to a bot, so winsbot cannot tell whether "
            "the digest was posted"
        )

    async def post_activity(
        self, channel_id: str, activity: Activity, *, thread_id: str | None = None
    ) -> str:
        stored = await self.conversations.reference(channel_id)
        if stored is None:
            raise PermanentDeliveryError(f"winsbot is not installed in {channel_id}")
        reference = ConversationReference().deserialize(stored)
        kind = reference.conversation.conversation_type
        if thread_id is None and kind == "channel":
            return await with_backoff(
                lambda: start_channel_thread(self.adapter, self.app_id, reference, activity)
            )
        if thread_id is not None:
            reference.conversation.id = f"{channel_id};messageid={thread_id}"
        sent: dict[str, str] = {}

        async def send() -> str:
            async def callback(turn: TurnContext) -> None:
                response = await turn.send_activity(activity)
                sent["id"] = response.id if response else ""

            await self.adapter.continue_conversation(reference, callback, self.app_id)
            return sent["id"]

        return await with_backoff(send)

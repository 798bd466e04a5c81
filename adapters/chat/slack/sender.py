"""Posts into Slack for the core (digests, shared wins): the ChatSender port on chat.postMessage.

Transient faults (429 with Retry-After, 5xx, dropped connections) are retried by the client's
retry handlers (see build_client); what is left is permanent and reported as such.

Every digest carries message metadata naming its delivery, so a worker taking over a stopped
worker's delivery can find the digest in the channel's history (conversations.history with
include_all_metadata) instead of posting it a second time.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable
from datetime import datetime
from typing import Any

from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from adapters.chat.slack.blocks import render, render_digest
from adapters.chat.slack.pacing import SlotPacer
from bot.domain.layout import digest_layout
from bot.domain.views import ChatView, DigestView
from bot.ports import DigestLookupError, PermanentDeliveryError

log = logging.getLogger("winsbot.slack")

# Errors that no retry will fix: the channel is gone, archived, or the bot is not in it.
PERMANENT_ERRORS = frozenset(
    {
        "channel_not_found", "not_in_channel", "is_archived", "account_inactive",
        "invalid_auth", "token_revoked", "missing_scope", "restricted_action",
    }
)  # fmt: skip


RATE_LIMIT_ATTEMPTS = 5  # on top of the client's own retries

DIGEST_EVENT = "winsbot_digest"  # message metadata event_type of every digest
# conversations.history answers that mean "cannot look", not "the channel is gone".
LOOKUP_REFUSED = frozenset({"missing_scope", "not_allowed_token_type", "no_permission"})
HISTORY_PAGE = 200
HISTORY_PAGES = 10  # beyond 2,000 messages since the claim a person looks instead


def _retry_after(exc: SlackApiError) -> float:
    try:
        return float(exc.response.headers.get("Retry-After", 1))
    except (TypeError, ValueError):
        return 1.0


class SlackChatSender:
    def __init__(
        self,
        client: AsyncWebClient,
        *,
        per_channel_interval: float = 1.0,
        workspace_rate: float = 0.0,
    ) -> None:
        self.client = client
        self.workspace = SlotPacer(workspace_rate)
        # Slack allows about one message per second per channel; pace ourselves below that.
        self.per_channel_interval = per_channel_interval
        self._last_post: dict[str, float] = {}
        self._locks: dict[str, asyncio.Lock] = {}

    async def post(self, channel_id: str, view: ChatView, *, thread_id: str | None = None) -> str:
        return await self._post(channel_id, render(view), thread_id)

    async def post_digest(
        self,
        channel_id: str,
        view: DigestView,
        *,
        chart_png: bytes | None = None,
        delivery_id: int | None = None,
    ) -> str:
        """The digest as a message naming its delivery; its chart uploaded into its thread."""
        message = render_digest(view)
        if delivery_id is not None:
            message = message | {"metadata": digest_metadata(delivery_id)}
        ts = await self._post(channel_id, message, None)
        if chart_png is not None:
            layout = digest_layout(view)
            try:
                await self.client.files_upload_v2(
                    channel=channel_id,
                    thread_ts=ts,
                    content=chart_png,
                    filename=f"digest-{view.period_label}.png",
                    title=f"{layout.trend.title if layout.trend else 'Trend'}, {view.period_text}",
                    alt_txt=layout.chart_alt[:1_000],  # the numbers, for screen readers
                )
            except SlackApiError as exc:
                # The digest is out; a missing chart (e.g. no files:write scope) is not worth
                # a second digest.
                log.warning("chart upload failed: %s", exc.response.get("error"))
        return ts

    async def find_digest(self, channel_id: str, delivery_id: int, since: datetime) -> str | None:
        """The ts of the channel message whose metadata names ``delivery_id``, posted since then.

        Thread replies are not listed in a channel's history, and a digest is never one.
        """
        return await self.find_in_history(
            channel_id,
            lambda message: names_delivery(message, delivery_id),
            since,
            scopes="channels:history and groups:history",
        )

    async def find_in_history(
        self,
        channel_id: str,
        matches: Callable[[dict[str, Any]], bool],
        since: datetime,
        *,
        scopes: str,
    ) -> str | None:
        """The ts of the first message since ``since`` that ``matches`` (its metadata names one
        of our ledger rows), or None when surely none does.

        Pages through conversations.history newest first, up to HISTORY_PAGES pages; a channel
        busier than that, or a refused lookup (``scopes`` says which the app needs), raises
        DigestLookupError: the caller must not post blindly.
        """
        cursor: str | None = None
        for _ in range(HISTORY_PAGES):
            try:
                response = await self.client.conversations_history(
                    channel=channel_id, oldest=f"{since.timestamp():.6f}", inclusive=True,
                    include_all_metadata=True, limit=HISTORY_PAGE, cursor=cursor,
                )  # fmt: skip
            except SlackApiError as exc:
                error = str(exc.response.get("error", ""))
                if error in LOOKUP_REFUSED:
                    raise DigestLookupError(
                        f"Slack answered {error} to conversations.history (the app needs the "
                        f"{scopes} scope{'s' if ' and ' in scopes else ''})"
                    ) from exc
                if error in PERMANENT_ERRORS:
                    raise PermanentDeliveryError(f"Slack answered {error}") from exc
                raise
            for message in response.get("messages") or []:
                if matches(message):
                    return str(message["ts"])
            cursor = (response.get("response_metadata") or {}).get("next_cursor") or None
            if not response.get("has_more") or cursor is None:
                return None
        raise DigestLookupError(
            f"more than {HISTORY_PAGE * HISTORY_PAGES} messages in {channel_id} since "
            f"{since:%Y-%m-%d %H:%M} UTC"
        )

    async def post_message(self, channel_id: str, message: dict[str, Any]) -> str:
        """A message rendered elsewhere (a story prompt), paced and retried like any post."""
        return await self._post(channel_id, message, None)

    async def _post(self, channel_id: str, message: dict[str, Any], thread_id: str | None) -> str:
        lock = self._locks.setdefault(channel_id, asyncio.Lock())
        async with lock:
            wait = self._last_post.get(channel_id, -1e9) + self.per_channel_interval
            delay = wait - time.monotonic()
            if delay > 0:
                await asyncio.sleep(delay)
            try:
                for attempt in range(1, RATE_LIMIT_ATTEMPTS + 1):
                    await self.workspace.wait()
                    try:
                        return await self._send(channel_id, message, thread_id)
                    except SlackApiError as exc:
                        if exc.response.status_code != 429 or attempt == RATE_LIMIT_ATTEMPTS:
                            raise
                        # Someone else (another app, another worker) uses the same limit.
                        self.workspace.back_off(_retry_after(exc))
                raise AssertionError("unreachable")  # pragma: no cover
            finally:
                self._last_post[channel_id] = time.monotonic()

    async def _send(self, channel_id: str, message: dict[str, Any], thread_id: str | None) -> str:
        try:
            response = await self.client.chat_postMessage(
                channel=channel_id, thread_ts=thread_id, **message
            )
        except SlackApiError as exc:
            error = str(exc.response.get("error", ""))
            if error in PERMANENT_ERRORS:
                raise PermanentDeliveryError(f"Slack answered {error}") from exc
            raise
        return str(response["ts"])


def digest_metadata(delivery_id: int) -> dict[str, Any]:
    """Slack message metadata naming the delivery a digest belongs to."""
    return {"event_type": DIGEST_EVENT, "event_payload": {"delivery_id": delivery_id}}


def names_delivery(message: dict[str, Any], delivery_id: int) -> bool:
    metadata = message.get("metadata")
    if not isinstance(metadata, dict) or metadata.get("event_type") != DIGEST_EVENT:
        return False
    payload = metadata.get("event_payload")
    if not isinstance(payload, dict):
        return False
    # A JSON number may come back as an int, a float or a string.
    value = payload.get("delivery_id")
    return (value == delivery_id and not isinstance(value, bool)) or str(value) == str(delivery_id)

"""Posts into Slack for the core (digests, shared wins): the ChatSender port on chat.postMessage.

Transient faults (429 with Retry-After, 5xx, dropped connections) are retried by the client's
retry handlers (see build_client); what is left is permanent and reported as such.
"""

from __future__ import annotations

import asyncio
import logging
import time
from typing import Any

from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from adapters.chat.slack.blocks import render, render_digest
from adapters.chat.slack.pacing import SlotPacer
from bot.domain.views import ChatView, DigestView
from bot.ports import PermanentDeliveryError

log = logging.getLogger("winsbot.slack")

# Errors that no retry will fix: the channel is gone, archived, or the bot is not in it.
PERMANENT_ERRORS = frozenset(
    {
        "channel_not_found", "not_in_channel", "is_archived", "account_inactive",
        "invalid_auth", "token_revoked", "missing_scope", "restricted_action",
    }
)  # fmt: skip


RATE_LIMIT_ATTEMPTS = 5  # on top of the client's own retries


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
        command: str = "/wins",
        per_channel_interval: float = 1.0,
        workspace_rate: float = 0.0,
    ) -> None:
        self.client = client
        self.command = command
        self.workspace = SlotPacer(workspace_rate)
        # Slack allows about one message per second per channel; pace ourselves below that.
        self.per_channel_interval = per_channel_interval
        self._last_post: dict[str, float] = {}
        self._locks: dict[str, asyncio.Lock] = {}

    async def post(self, channel_id: str, view: ChatView, *, thread_id: str | None = None) -> str:
        return await self._post(channel_id, render(view, command=self.command), thread_id)

    async def post_digest(
        self, channel_id: str, view: DigestView, *, chart_png: bytes | None = None
    ) -> str:
        """The digest as a message; its chart uploaded into the digest's thread."""
        ts = await self._post(channel_id, render_digest(view), None)
        if chart_png is not None:
            try:
                await self.client.files_upload_v2(
                    channel=channel_id,
                    thread_ts=ts,
                    content=chart_png,
                    filename=f"digest-{view.period_label}.png",
                    title=f"Engagement by platform, {view.period_text}",
                )
            except SlackApiError as exc:
                # The digest is out; a missing chart (e.g. no files:write scope) is not worth
                # a second digest.
                log.warning("chart upload failed: %s", exc.response.get("error"))
        return ts

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

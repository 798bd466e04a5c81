"""The two ways Slack reaches winsbot, HTTP and Socket Mode, both checked before bolt runs.

Over HTTP a request is refused 401 unless Slack signed it and 400 unless its body fits
``payloads``; what is well-formed but not for winsbot (other events, app_rate_limited, other
interactions) is acknowledged 200 at once. Socket Mode envelopes pass the same checks, and its
connection is made and remade in the background, where /healthz can ask about it.
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import hmac
import json
import logging
import time
from collections.abc import Awaitable, Callable, Mapping
from typing import Any, Final
from urllib.parse import parse_qsl

from aiohttp import web
from slack_bolt.adapter.aiohttp import to_aiohttp_response
from slack_bolt.adapter.socket_mode.async_handler import AsyncSocketModeHandler
from slack_bolt.async_app import AsyncApp
from slack_bolt.request.async_request import AsyncBoltRequest
from slack_sdk.socket_mode.async_client import AsyncBaseSocketModeClient
from slack_sdk.socket_mode.request import SocketModeRequest
from slack_sdk.socket_mode.response import SocketModeResponse

from adapters.chat.slack.blocks import COMMAND
from adapters.chat.slack.payloads import PayloadError, Triage, triage
from adapters.chat.slack.peer_payloads import triage_peer
from adapters.chat.slack.pilot_edit_form import triage_pilot_edit
from adapters.chat.slack.pilot_form import triage_pilot
from adapters.chat.slack.story_payloads import triage_story

log = logging.getLogger("winsbot.slack")

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]
SIGNATURE_MAX_AGE_SECONDS: Final = 300  # Slack's own rule: older requests may be replays


def verify_signature(
    secret: str, headers: Mapping[str, str], body: bytes, *, now: float
) -> str | None:
    """Why the request is not signed by Slack with ``secret``, or None when it is.

    Checked here rather than left to slack_bolt alone: bolt turns a timestamp that is not a
    number into a 500 and reads the body before it knows who sent it.
    """
    timestamp = headers.get("X-Slack-Request-Timestamp", "")
    signature = headers.get("X-Slack-Signature", "")
    if not timestamp or not signature:
        return "no Slack signature headers"
    if not (timestamp.isascii() and timestamp.isdecimal() and len(timestamp) <= 12):
        return "X-Slack-Request-Timestamp is not a number"
    if abs(now - int(timestamp)) > SIGNATURE_MAX_AGE_SECONDS:
        return "the request timestamp is more than 5 minutes old (a replay, or a wrong clock)"
    expected = hmac.new(secret.encode(), b"v0:" + timestamp.encode() + b":" + body, hashlib.sha256)
    if not hmac.compare_digest(f"v0={expected.hexdigest()}", signature):
        return "the signature does not match (wrong signing secret, or a forged request)"
    return None


def parse_body(raw: bytes, content_type: str) -> dict[str, Any]:
    """The body as slack_bolt would parse it (JSON, a form, or a form with a JSON payload).

    Bolt then gets this dict rather than parsing again: what was checked is what runs.
    """
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        raise PayloadError("the body is not UTF-8") from None
    if not text:
        raise PayloadError("the body is empty")
    if content_type == "application/json" or text.startswith("{"):
        return _json_object(text, "the JSON body")
    form = dict(parse_qsl(text, keep_blank_values=True))
    if "payload" in form:
        return _json_object(form["payload"], "the payload field")
    return form


def _json_object(text: str, what: str) -> dict[str, Any]:
    try:
        decoded = json.loads(text)
    except (ValueError, RecursionError):  # RecursionError: nested deeper than the parser goes
        raise PayloadError(f"{what} is not valid JSON") from None
    if not isinstance(decoded, dict):
        raise PayloadError(f"{what} is not a JSON object")
    return decoded


def http_handler(bolt: AsyncApp, signing_secret: str) -> Handler:
    """POST /slack/events: 401 unless Slack signed it, 400 unless it fits, then bolt runs it."""

    async def handle(request: web.Request) -> web.StreamResponse:
        raw = await request.read()
        refused = verify_signature(signing_secret, request.headers, raw, now=time.time())
        if refused is not None:
            log.warning("Slack request refused (401): %s", refused)
            return web.json_response({"error": "invalid signature"}, status=401)
        try:
            body = parse_body(raw, request.content_type)
            verdict = _triage(body)
        except PayloadError as exc:
            log.warning("Slack request refused (400): %s", exc)
            return web.json_response({"error": str(exc)}, status=400)
        if not verdict.ours:
            _log_ignored(verdict)
            if verdict.body is not None:
                return web.json_response(verdict.body, status=verdict.status)
            return web.Response(status=verdict.status)
        # Bolt gets the dict that was checked rather than the text to parse again (its parser
        # also reads a form whose text merely contains "payload" as an empty body). The mode is
        # set back to HTTP so bolt still checks the signature over the raw body.
        bolt_request = AsyncBoltRequest(
            body=body,
            query=request.query_string,
            headers=request.headers,  # type: ignore[arg-type]  # a multidict, read as a mapping
            mode="socket_mode",
        )
        bolt_request.mode, bolt_request.raw_body = "http", raw.decode("utf-8")
        return await to_aiohttp_response(await bolt.async_dispatch(bolt_request))

    return handle


def _triage(body: dict[str, Any]) -> Triage:
    """The story form's click and submission first (``story_payloads``), then the rest."""
    return (
        triage_pilot_edit(body)  # the pilot form (`pilot new/edit`), before triage_story
        or triage_pilot(body)
        or triage_peer(body)
        or triage_story(body)
        or triage(body, COMMAND)
    )


def _log_ignored(verdict: Triage) -> None:
    if verdict.warning:
        log.warning("%s", verdict.warning)
    else:
        log.debug("Slack request not for winsbot, acknowledged: %s", verdict.note)


class _CheckedSocketModeHandler(AsyncSocketModeHandler):
    """Socket Mode envelopes pass the same checks as HTTP bodies before bolt runs them."""

    async def handle(self, client: AsyncBaseSocketModeClient, req: SocketModeRequest) -> None:
        if req.type in ("events_api", "slash_commands", "interactive"):
            try:
                verdict = _triage(req.payload if isinstance(req.payload, dict) else {})
            except PayloadError as exc:
                log.warning("Slack Socket Mode envelope refused: %s", exc)
                verdict = Triage(ours=False, note="malformed")
            if not verdict.ours:
                _log_ignored(verdict)
                # Acknowledged all the same, or Slack delivers it again.
                await client.send_socket_mode_response(SocketModeResponse(req.envelope_id))
                return
        await super().handle(client, req)  # type: ignore[arg-type]  # bolt narrows the type


class _OneLine(logging.Filter):
    """Socket Mode's client logs each failed (re)connection with a traceback, every 10 seconds
    while Slack cannot be reached: that is the network, not a bug, so one WARNING line each."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = " ".join(record.getMessage().split())  # slack_sdk's messages span lines
        if record.exc_info and record.exc_info[1] is not None:
            message = f"{message} ({type(record.exc_info[1]).__name__})"
            record.exc_info, record.exc_text = None, None
        record.msg, record.args = message, None
        if record.levelno > logging.WARNING:
            record.levelno, record.levelname = logging.WARNING, "WARNING"
        return True


def _log_connected(connecting: asyncio.Future[None]) -> None:
    if not connecting.cancelled():
        log.info("connected to Slack in Socket Mode")


class SocketModeConnection:
    """Slack over a WebSocket, connected (and reconnected after a drop) in the background.

    Start-up does not wait for Slack and neither does SIGTERM: ``close`` cancels a connection
    attempt in progress. ``problem`` is a /healthz check.
    """

    def __init__(self, bolt: AsyncApp, app_token: str) -> None:
        transport = logging.getLogger("winsbot.slack.socket")
        if not any(isinstance(f, _OneLine) for f in transport.filters):
            transport.addFilter(_OneLine())
        self.handler = _CheckedSocketModeHandler(bolt, app_token, logger=transport)
        self._connecting: asyncio.Future[None] | None = None

    def start(self) -> None:
        self._connecting = asyncio.ensure_future(self.handler.connect_async())  # type: ignore[no-untyped-call]
        self._connecting.add_done_callback(_log_connected)

    async def problem(self) -> str | None:
        if await self.handler.client.is_connected():
            return None
        return "the Slack Socket Mode connection is down (winsbot keeps reconnecting)"

    async def close(self) -> None:
        if self._connecting is not None:
            self._connecting.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._connecting
        await self.handler.close_async()  # type: ignore[no-untyped-call]  # untyped in slack_bolt

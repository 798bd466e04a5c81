"""Teams wiring: botbuilder's CloudAdapter and auth behind one aiohttp handler.

bot/app.py (the composition root) mounts what this returns at POST /api/messages, so nothing
outside this package imports the Bot Framework SDK.

Every request is untrusted until it is authenticated (401 otherwise, never a 500) and its body
fits ``payloads`` (400 otherwise, with one WARNING line saying why). A well-formed activity of a
type winsbot does not act on is acknowledged (200) without running a turn.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from aiohttp import web
from botbuilder.core import serializer_helper
from botbuilder.integration.aiohttp import (
    CloudAdapter,
    ConfigurationBotFrameworkAuthentication,
)
from botbuilder.schema import Activity
from botframework.connector.auth import AuthenticateRequestResult
from msrest.exceptions import ClientRequestError, HttpOperationError

from adapters.chat.teams.bot import REPLY_BUDGET_SECONDS, WinsTeamsBot
from adapters.chat.teams.directory import TeamsDirectory
from adapters.chat.teams.payloads import ACTED_ON, PayloadError, parse_activity
from bot.ports import ConversationReferences
from bot.usecases.chat import ChatCore

log = logging.getLogger("winsbot.teams")

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


@dataclass(frozen=True, slots=True)
class TeamsConfig:
    """What ConfigurationBotFrameworkAuthentication reads (its attribute names)."""

    APP_ID: str
    APP_PASSWORD: str
    APP_TYPE: str
    APP_TENANTID: str


def build_teams_handler(
    chat_factory: Callable[[TeamsDirectory], ChatCore],
    conversations: ConversationReferences,
    config: TeamsConfig,
    *,
    reply_budget: float | None = None,
) -> tuple[Handler, WinsTeamsBot, CloudAdapter]:
    """The POST /api/messages handler: authenticated unless the app id is empty (dev mode)."""
    adapter = CloudAdapter(ConfigurationBotFrameworkAuthentication(config))

    async def on_error(turn, error: Exception) -> None:  # type: ignore[no-untyped-def]
        if isinstance(error, (HttpOperationError, ClientRequestError)):
            # The Bot Connector refused or could not be reached: the network, not a bug.
            log.warning("Teams turn failed talking to the Bot Connector: %s", error)
            return
        log.error("Teams turn failed: %s", type(error).__name__, exc_info=error)

    adapter.on_turn_error = on_error
    bot = WinsTeamsBot(
        chat_factory(TeamsDirectory()),
        conversations,
        app_id=config.APP_ID or None,
        reply_budget=REPLY_BUDGET_SECONDS if reply_budget is None else reply_budget,
    )

    async def authenticate(activity: Activity, header: str) -> AuthenticateRequestResult | None:
        """The token checked against the activity, or None (and one WARNING line) if it fails.

        With no app id (dev mode) botbuilder lets every request through. Validation raises
        whatever the token's flaw trips (PermissionError, KeyError for a token without an
        issuer, PyJWT's errors): each is a request we cannot trust, a 401.
        """
        try:
            auth = adapter.bot_framework_authentication
            result: AuthenticateRequestResult = await auth.authenticate_request(activity, header)
        except Exception as exc:
            log.warning("Teams request refused (401): invalid token (%s)", type(exc).__name__)
            return None
        return result

    async def handle(request: web.Request) -> web.StreamResponse:
        if "application/json" not in request.headers.get("Content-Type", ""):
            log.warning("Teams request refused (415): not application/json")
            return web.json_response({"error": "expected an application/json activity"}, status=415)
        header = request.headers.get("Authorization", "")
        if config.APP_ID and not header.startswith("Bearer "):
            log.warning("Teams request refused (401): no bearer token")
            return _refusal(401, "a Bot Framework token is required")
        raw = await request.read()
        try:
            body, payload = parse_activity(raw)
            # botbuilder's own reading; it fails on what the models leave untyped (timestamps).
            activity = Activity().deserialize(body)
        except (PayloadError, ValueError, RecursionError) as exc:
            reason = str(exc) if isinstance(exc, PayloadError) else "the activity does not fit"
            # Who sent it comes first: a stranger learns nothing about what a good body is.
            if config.APP_ID and await authenticate(_stand_in(raw), header) is None:
                return _refusal(401, "invalid token")
            log.warning("Teams request refused (400): %s", reason)
            return _refusal(400, reason)
        activity.text = payload.text  # as checked: text no database can store is made storable
        authenticated = await authenticate(activity, header)
        if authenticated is None:
            return _refusal(401, "invalid token")
        if payload.type not in ACTED_ON:
            log.debug("Teams %s activity acknowledged", payload.type)
            return web.json_response({}, status=200)
        try:
            invoke = await adapter.process_activity(authenticated, activity, bot.on_turn)
        except Exception:
            # Turn errors are handled inside the adapter (on_turn_error): this is a bug.
            log.exception("Teams request failed")
            return _refusal(500, "internal error")
        if invoke:
            return web.json_response(serializer_helper(invoke.body), status=invoke.status)
        return web.Response(status=201)

    return handle, bot, adapter


def _refusal(status: int, reason: str) -> web.Response:
    return web.json_response({"error": reason}, status=status)


def _stand_in(raw: bytes) -> Activity:
    """An activity to check a token against when the body could not be read as one.

    A token is bound to a channel and a service URL; those are taken from the body when they
    are there as strings, so a genuine token still passes and its 400 says what was wrong.
    """
    try:
        body: Any = json.loads(raw)
    except (ValueError, RecursionError):
        body = None
    fields = body if isinstance(body, dict) else {}
    channel, service = fields.get("channelId"), fields.get("serviceUrl")
    return Activity(
        channel_id=channel if isinstance(channel, str) else None,
        service_url=service if isinstance(service, str) else None,
    )


def refusing_handler(reason: str) -> Handler:
    """Teams is not configured: say so clearly instead of running without authentication."""

    async def handle(_: web.Request) -> web.StreamResponse:
        return web.json_response({"error": reason}, status=503)

    return handle

"""Teams wiring: botbuilder's CloudAdapter and auth behind one aiohttp handler.

bot/app.py (the composition root) mounts what this returns at POST /api/messages, so nothing
outside this package imports the Bot Framework SDK.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from aiohttp import web
from botbuilder.integration.aiohttp import (
    CloudAdapter,
    ConfigurationBotFrameworkAuthentication,
)

from adapters.chat.teams.bot import REPLY_BUDGET_SECONDS, WinsTeamsBot
from adapters.chat.teams.directory import TeamsDirectory
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
        log.error("Teams turn failed: %s", type(error).__name__, exc_info=error)

    adapter.on_turn_error = on_error
    bot = WinsTeamsBot(
        chat_factory(TeamsDirectory()),
        conversations,
        app_id=config.APP_ID or None,
        reply_budget=REPLY_BUDGET_SECONDS if reply_budget is None else reply_budget,
    )

    async def handle(request: web.Request) -> web.StreamResponse:
        if "application/json" not in request.headers.get("Content-Type", ""):
            return web.json_response({"error": "expected an application/json activity"}, status=415)
        try:
            response = await adapter.process(request, bot)
        except web.HTTPException as exc:  # 401 for a missing or forged token, 400, 415
            log.info("Teams request refused: %s", exc.status)
            return web.json_response({"error": exc.reason}, status=exc.status)
        except ValueError:
            log.info("Teams request with a malformed body refused")
            return web.json_response({"error": "malformed activity"}, status=400)
        except Exception as exc:
            # Turn errors are handled inside the adapter (on_turn_error); what escapes comes from
            # validating the token, which botbuilder does not always map to PermissionError
            # (a token without an issuer raises KeyError). A bad token is a 401, never a 500.
            if config.APP_ID and request.headers.get("Authorization"):
                log.info("Teams token rejected (%s)", type(exc).__name__)
                return web.json_response({"error": "invalid token"}, status=401)
            log.exception("Teams request failed")
            return web.json_response({"error": "internal error"}, status=500)
        return response or web.Response(status=201)

    return handle, bot, adapter


def refusing_handler(reason: str) -> Handler:
    """Teams is not configured: say so clearly instead of running without authentication."""

    async def handle(_: web.Request) -> web.StreamResponse:
        return web.json_response({"error": reason}, status=503)

    return handle

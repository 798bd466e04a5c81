"""The fake Slack Web API, saying which scopes the token has, as Slack does on every answer.

Slack puts the token's granted scopes in an ``x-oauth-scopes`` response header on every Web API
call; `winsbot doctor` compares them with the manifest's bot scopes. ``scopes=None`` leaves the
header out.
"""

from __future__ import annotations

from collections.abc import Iterable

from aiohttp import web

from tests.fakes.slack_api import FakeSlackApi

MANIFEST_BOT_SCOPES = (
    "commands",
    "chat:write",
    "channels:history",
    "groups:history",
    "reactions:write",
    "reactions:read",
    "channels:read",
    "groups:read",
    "users:read",
    "files:write",
    "im:write",
    "im:history",
)


class FakeSlackWithScopes(FakeSlackApi):
    def __init__(self, scopes: Iterable[str] | None = MANIFEST_BOT_SCOPES) -> None:
        super().__init__()
        self.scopes = None if scopes is None else list(scopes)

    async def _handle_api(self, request: web.Request) -> web.Response:
        response = await super()._handle_api(request)
        if self.scopes is not None:
            response.headers["x-oauth-scopes"] = ",".join(self.scopes)
        return response

"""A fake Microsoft identity token endpoint and a fake winsbot /healthz, on 127.0.0.1.

``FakeTokenEndpoint`` answers ``POST /token`` the way login.microsoftonline.com answers the Bot
Framework's client-credentials request: a bearer token for the one app id and secret it knows,
else HTTP 401 ``invalid_client`` with an ``AADSTS`` description (the shapes Microsoft documents
for the OAuth 2.0 client credentials flow). Point ``MICROSOFT_TOKEN_URL`` at ``fake.token_url``.

``FakeHealthz`` stands in for a running winsbot behind its public URL: ``GET /healthz`` answers
``status`` with the JSON body winsbot's health check gives (``reason`` when unhealthy).
"""

from __future__ import annotations

from typing import Any

from aiohttp import web

from tests.fakes.server import FakeServer

APP_ID = "6f1c9a8e-1b2d-4c3e-9f4a-5b6c7d8e9f01"
APP_PASSWORD = "s3cret~value"
BOT_FRAMEWORK_SCOPE = "https://api.botframework.com/.default"


class FakeTokenEndpoint(FakeServer):
    """Grants a token to ``app_id`` + ``password`` for the Bot Framework scope, nothing else."""

    def __init__(self, app_id: str = APP_ID, password: str = APP_PASSWORD) -> None:
        super().__init__()
        self.app_id = app_id
        self.password = password
        self.requests: list[dict[str, str]] = []

    def _app(self) -> web.Application:
        app = web.Application()
        app.router.add_post("/token", self._token)
        return app

    @property
    def token_url(self) -> str:
        return f"{self.url}/token"

    async def _token(self, request: web.Request) -> web.Response:
        form = {key: str(value) for key, value in (await request.post()).items()}
        self.requests.append(form)
        if form.get("grant_type") != "client_credentials":
            return _error(400, "unsupported_grant_type", "AADSTS70003: grant type not supported.")
        if form.get("scope") != BOT_FRAMEWORK_SCOPE:
            return _error(400, "invalid_scope", "AADSTS70011: The provided scope is not valid.")
        if form.get("client_id") != self.app_id:
            return _error(
                400,
                "unauthorized_client",
                f"AADSTS700016: Application with identifier '{form.get('client_id')}' was not "
                "found in the directory 'Bot Framework'.",
            )
        if form.get("client_secret") != self.password:
            return _error(
                401,
                "invalid_client",
                "AADSTS7000215: Invalid client secret provided. Ensure the secret being sent "
                "in the request is the client secret value, not the client secret ID.\r\n"
                "Trace ID: 0000",
            )
        return web.json_response(
            {"token_type": "Bearer", "expires_in": 3599, "ext_expires_in": 3599,
             "access_token": "eyJ0eXAiOiJKV1QiLCJhbGciOiJSUzI1NiJ9.fake.signature"}
        )  # fmt: skip


class FakeHealthz(FakeServer):
    """A winsbot behind its public URL, as far as GET /healthz goes."""

    def __init__(self, status: int = 200, reason: str | None = None) -> None:
        super().__init__()
        self.status = status
        self.reason = reason
        self.hits = 0

    def _app(self) -> web.Application:
        app = web.Application()
        app.router.add_get("/healthz", self._healthz)
        return app

    async def _healthz(self, request: web.Request) -> web.Response:
        self.hits += 1
        body: dict[str, Any] = {"status": "ok" if self.status == 200 else "unhealthy"}
        if self.reason:
            body["reason"] = self.reason
        return web.json_response(body, status=self.status)


def _error(status: int, error: str, description: str) -> web.Response:
    return web.json_response(
        {"error": error, "error_description": description, "error_codes": [7000215]},
        status=status,
    )

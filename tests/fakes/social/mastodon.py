"""A fake Mastodon instance on 127.0.0.1 that answers with the recorded fixture, byte for byte.

Fixture-verbatim answers (from ../shared/fixtures/social/, see SOURCES.md there):

- ``GET /api/v1/accounts/:id/statuses`` without ``max_id``: mastodon_account_statuses_page1.json
  with the recorded headers (mastodon_account_statuses_page1.headers.json); only the host in
  the ``Link`` URLs is rewritten to this server so the client's next page reaches it;
- ``GET /api/v1/accounts/:id`` and ``/api/v1/accounts/lookup?acct=``: the Account entity
  embedded in that fixture's first status (it is what the instance serialises at both).

Synthetic answers (no recording exists; documented field names only):

- any ``max_id`` page of the fixture timeline: ``[]`` without a Link header, as Mastodon ends;
- ``serve_statuses([...])`` replaces the timeline with statuses built by the test, paged by
  ``max_id`` and ``limit`` with a Link header, for cutoff and paging tests;
- ``/api/v1/instance`` and ``/api/v1/apps/verify_credentials``; error bodies.

Faults apply to the next request, whatever its path, in the order queued::

    async with FakeMastodon() as mastodon:
        mastodon.fail_next(status=429, headers={"Retry-After": "3"})
        ...
        assert [r.path for r in mastodon.requests] == [...]
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from aiohttp import web
from multidict import CIMultiDict

from tests.fakes.social.base import FIXTURES, Request, SocialFake

STATUSES_FILE = FIXTURES / "mastodon_account_statuses_page1.json"
HEADERS_FILE = FIXTURES / "mastodon_account_statuses_page1.headers.json"
RECORDED_ORIGIN = "http://localhost:3000"  # the instance the fixture was recorded on


class FakeMastodon(SocialFake):
    """A Mastodon REST API on a random free port; use as an async context manager."""

    def __init__(self) -> None:
        super().__init__()
        self.page1 = STATUSES_FILE.read_bytes()
        recorded = json.loads(HEADERS_FILE.read_text())
        self.recorded_headers: dict[str, list[str]] = recorded["headers"]
        self.account: dict[str, Any] = json.loads(self.page1)[0]["account"]
        self.application: dict[str, Any] = json.loads(self.page1)[0]["application"]
        self.synthetic: list[dict[str, Any]] | None = None
        self.token_expired = False
        # False serves the recorded Link header untouched (it names http://localhost:3000).
        self.rewrite_link_host = True

    def _app(self) -> web.Application:
        app = web.Application(middlewares=[self._middleware])
        app.router.add_get("/api/v1/instance", self._instance)
        app.router.add_get("/api/v1/apps/verify_credentials", self._verify_app)
        app.router.add_get("/api/v1/accounts/lookup", self._lookup)
        app.router.add_get("/api/v1/accounts/{id}", self._account)
        app.router.add_get("/api/v1/accounts/{id}/statuses", self._statuses)
        return app

    # ------------------------------------------------------------ test helpers

    def fail_next(
        self, status: int = 429, headers: Mapping[str, str] | None = None, body: Any = None
    ) -> None:
        """Answer the next request with ``status`` (429 says "Too many requests", like Mastodon)."""
        if body is None:
            body = {"error": "Too many requests" if status == 429 else "Internal server error"}
        self._queue_failure(status, headers, body)

    def expired_token(self) -> None:
        """From now on answer 401 as Doorkeeper does for a revoked or expired token."""
        self.token_expired = True

    def serve_statuses(self, statuses: list[dict[str, Any]]) -> None:
        """Serve these (synthetic, newest first) statuses instead of the fixture timeline."""
        self.synthetic = statuses

    def statuses_requests(self) -> list[Request]:
        return [r for r in self.requests if r.path.endswith("/statuses")]

    # ---------------------------------------------------------------- plumbing

    def _refusal(self, request: web.Request) -> web.Response | None:
        if not self.token_expired:
            return None
        return web.json_response(
            {"error": "The access token is invalid"},
            status=401,
            headers={
                "WWW-Authenticate": 'Bearer realm="Doorkeeper", error="invalid_token", '
                'error_description="The access token is invalid"'
            },
        )

    # ---------------------------------------------------------------- endpoints

    async def _instance(self, request: web.Request) -> web.Response:
        return web.json_response({"uri": "localhost:3000", "title": "Mastodon", "version": "4.5.0"})

    async def _verify_app(self, request: web.Request) -> web.Response:
        return web.json_response(self.application)

    async def _lookup(self, request: web.Request) -> web.Response:
        acct = request.query.get("acct", "")
        if acct in (self.account["acct"], f"{self.account['username']}@localhost:3000"):
            return web.json_response(self.account)
        return web.json_response({"error": "Record not found"}, status=404)

    async def _account(self, request: web.Request) -> web.Response:
        if request.match_info["id"] == self.account["id"]:
            return web.json_response(self.account)
        return web.json_response({"error": "Record not found"}, status=404)

    async def _statuses(self, request: web.Request) -> web.Response:
        if request.match_info["id"] != self.account["id"]:
            return web.json_response({"error": "Record not found"}, status=404)
        if self.synthetic is not None:
            return self._synthetic_page(request)
        if "max_id" in request.query:
            return web.json_response([])
        headers: CIMultiDict[str] = CIMultiDict()
        for name, values in self.recorded_headers.items():
            for value in values:
                if self.rewrite_link_host and name.lower() == "link":
                    value = value.replace(RECORDED_ORIGIN, self.url)
                headers.add(name, value)
        return web.Response(body=self.page1, headers=headers)

    def _synthetic_page(self, request: web.Request) -> web.Response:
        assert self.synthetic is not None
        limit = min(int(request.query.get("limit", "20")), 40)
        statuses = self.synthetic
        if "max_id" in request.query:
            max_id = int(request.query["max_id"])
            statuses = [s for s in statuses if int(s["id"]) < max_id]
        page = statuses[:limit]
        headers = {}
        if len(page) == limit:  # Mastodon links a next page whenever a page is full
            path = f"{self.url}{request.path}"
            headers["Link"] = (
                f'<{path}?limit={limit}&max_id={page[-1]["id"]}>; rel="next", '
                f'<{path}?limit={limit}&min_id={page[0]["id"]}>; rel="prev"'
            )
        return web.json_response(page, headers=headers)

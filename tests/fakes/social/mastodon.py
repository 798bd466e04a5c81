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

import asyncio
import json
from collections import deque
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import TracebackType
from typing import Any, Self

from aiohttp import web
from multidict import CIMultiDict

FIXTURES = Path(__file__).resolve().parents[3].parent / "shared" / "fixtures" / "social"
STATUSES_FILE = FIXTURES / "mastodon_account_statuses_page1.json"
HEADERS_FILE = FIXTURES / "mastodon_account_statuses_page1.headers.json"
RECORDED_ORIGIN = "http://localhost:3000"  # the instance the fixture was recorded on

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


@dataclass(frozen=True)
class Request:
    """One request as the fake received it: the path and its query parameters."""

    path: str
    query: Mapping[str, str]
    headers: Mapping[str, str]


@dataclass(frozen=True)
class Fault:
    kind: str  # "fail", "delay" or "truncate"
    status: int = 500
    headers: Mapping[str, str] = field(default_factory=dict)
    body: Any = None
    seconds: float = 0.0


class FakeMastodon:
    """A Mastodon REST API on a random free port; use as an async context manager."""

    def __init__(self) -> None:
        self.page1 = STATUSES_FILE.read_bytes()
        recorded = json.loads(HEADERS_FILE.read_text())
        self.recorded_headers: dict[str, list[str]] = recorded["headers"]
        self.account: dict[str, Any] = json.loads(self.page1)[0]["account"]
        self.application: dict[str, Any] = json.loads(self.page1)[0]["application"]
        self.requests: list[Request] = []
        self.synthetic: list[dict[str, Any]] | None = None
        self.token_expired = False
        # False serves the recorded Link header untouched (it names http://localhost:3000).
        self.rewrite_link_host = True
        self._faults: deque[Fault] = deque()
        self._runner: web.AppRunner | None = None
        self._port: int | None = None

    # ----------------------------------------------------------------- lifecycle

    async def __aenter__(self) -> Self:
        app = web.Application(middlewares=[self._middleware])
        app.router.add_get("/api/v1/instance", self._instance)
        app.router.add_get("/api/v1/apps/verify_credentials", self._verify_app)
        app.router.add_get("/api/v1/accounts/lookup", self._lookup)
        app.router.add_get("/api/v1/accounts/{id}", self._account)
        app.router.add_get("/api/v1/accounts/{id}/statuses", self._statuses)
        self._runner = web.AppRunner(app, access_log=None, shutdown_timeout=1.0)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        self._port = int(self._runner.addresses[0][1])
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if self._runner is not None:
            await self._runner.cleanup()
        self._runner = None

    @property
    def url(self) -> str:
        if self._port is None:
            raise RuntimeError("FakeMastodon is not running; use `async with FakeMastodon()`")
        return f"http://127.0.0.1:{self._port}"

    # ------------------------------------------------------------ test helpers

    def fail_next(
        self, status: int = 429, headers: Mapping[str, str] | None = None, body: Any = None
    ) -> None:
        """Answer the next request with ``status`` (429 says "Too many requests", like Mastodon)."""
        if body is None:
            body = {"error": "Too many requests" if status == 429 else "Internal server error"}
        self._faults.append(Fault("fail", status=status, headers=dict(headers or {}), body=body))

    def delay_next(self, seconds: float) -> None:
        """Hold the next answer back, to run a client into its timeout."""
        self._faults.append(Fault("delay", seconds=seconds))

    def truncate_next(self) -> None:
        """Send only the first half of the next answer's body (a 200 with broken JSON)."""
        self._faults.append(Fault("truncate"))

    def expired_token(self) -> None:
        """From now on answer 401 as Doorkeeper does for a revoked or expired token."""
        self.token_expired = True

    def serve_statuses(self, statuses: list[dict[str, Any]]) -> None:
        """Serve these (synthetic, newest first) statuses instead of the fixture timeline."""
        self.synthetic = statuses

    def statuses_requests(self) -> list[Request]:
        return [r for r in self.requests if r.path.endswith("/statuses")]

    # ---------------------------------------------------------------- plumbing

    @web.middleware
    async def _middleware(self, request: web.Request, handler: Handler) -> web.StreamResponse:
        self.requests.append(Request(request.path, dict(request.query), dict(request.headers)))
        if self.token_expired:
            return web.json_response(
                {"error": "The access token is invalid"},
                status=401,
                headers={
                    "WWW-Authenticate": 'Bearer realm="Doorkeeper", error="invalid_token", '
                    'error_description="The access token is invalid"'
                },
            )
        fault = self._faults.popleft() if self._faults else None
        if fault is not None and fault.kind == "fail":
            return web.json_response(fault.body, status=fault.status, headers=fault.headers)
        if fault is not None and fault.kind == "delay":
            await asyncio.sleep(fault.seconds)
        response = await handler(request)
        if fault is not None and fault.kind == "truncate" and isinstance(response, web.Response):
            body = bytes(response.body or b"")  # type: ignore[arg-type]
            headers = CIMultiDict(response.headers)
            headers.popall("Content-Length", None)
            return web.Response(body=body[: len(body) // 2], headers=headers)
        return response

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

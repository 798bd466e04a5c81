"""A fake Bluesky AppView on 127.0.0.1 that answers with the recorded fixture, byte for byte.

Fixture-verbatim answer (from ../shared/fixtures/social/, see SOURCES.md there):

- ``GET /xrpc/app.bsky.feed.getAuthorFeed`` without ``cursor``: bluesky_get_author_feed.json
  (30 items, 28 of them reposts by the actor, and a ``cursor``).

Synthetic answers (no recording exists; lexicon field names only):

- the page after the fixture's cursor: ``{"feed": []}`` without a cursor, so paging ends;
- ``serve_feed([...])`` replaces the feed with items built by the test, paged by ``limit``
  with an opaque cursor, for cutoff and paging tests;
- ``app.bsky.actor.getProfile``: the fixture actor's profileViewBasic (taken from an own post's
  ``author``) plus ``followersCount``/``followsCount``/``postsCount`` (``followers_count``);
- ``/xrpc/_health`` (``{"version": ...}`` as the AppView answers it); XRPC error bodies.

Faults apply to the next request, whatever its path, in the order queued (see FakeMastodon).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from aiohttp import web

from tests.fakes.social.base import FIXTURES, Request, SocialFake

FEED_FILE = FIXTURES / "bluesky_get_author_feed.json"
REPOST = "app.bsky.feed.defs#reasonRepost"


def _xrpc_error(error: str, message: str, status: int) -> web.Response:
    return web.json_response({"error": error, "message": message}, status=status)


class FakeBluesky(SocialFake):
    """An AppView's XRPC routes on a random free port; use as an async context manager."""

    def __init__(self, *, followers_count: int = 321) -> None:
        super().__init__()
        self.page1 = FEED_FILE.read_bytes()
        feed = json.loads(self.page1)
        self.cursor: str = feed["cursor"]
        own = next(item for item in feed["feed"] if "reason" not in item)
        self.author: dict[str, Any] = own["post"]["author"]
        self.followers_count = followers_count
        self.synthetic: list[dict[str, Any]] | None = None
        self.token_expired = False

    @property
    def did(self) -> str:
        return str(self.author["did"])

    @property
    def handle(self) -> str:
        return str(self.author["handle"])

    def _app(self) -> web.Application:
        app = web.Application(middlewares=[self._middleware])
        app.router.add_get("/xrpc/_health", self._health)
        app.router.add_get("/xrpc/app.bsky.actor.getProfile", self._get_profile)
        app.router.add_get("/xrpc/app.bsky.feed.getAuthorFeed", self._get_author_feed)
        return app

    # ------------------------------------------------------------ test helpers

    def fail_next(
        self, status: int = 429, headers: Mapping[str, str] | None = None, body: Any = None
    ) -> None:
        """Answer the next request with ``status`` and an XRPC error body."""
        if body is None:
            body = (
                {"error": "RateLimitExceeded", "message": "Rate Limit Exceeded"}
                if status == 429
                else {"error": "InternalServerError", "message": "Internal Server Error"}
            )
        self._queue_failure(status, headers, body)

    def expired_token(self) -> None:
        """From now on answer 401 ``ExpiredToken``, as XRPC services do for a stale JWT."""
        self.token_expired = True

    def serve_feed(self, items: list[dict[str, Any]]) -> None:
        """Serve these (synthetic, newest first) feed items instead of the fixture feed."""
        self.synthetic = items

    def feed_requests(self) -> list[Request]:
        return [r for r in self.requests if r.path.endswith("getAuthorFeed")]

    # ---------------------------------------------------------------- plumbing

    def _refusal(self, request: web.Request) -> web.Response | None:
        if self.token_expired:
            return _xrpc_error("ExpiredToken", "Token has expired", 401)
        return None

    def _known(self, actor: str) -> bool:
        return actor in (self.did, self.handle)

    # ---------------------------------------------------------------- endpoints

    async def _health(self, request: web.Request) -> web.Response:
        return web.json_response({"version": "0.0.1"})

    async def _get_profile(self, request: web.Request) -> web.Response:
        if not self._known(request.query.get("actor", "")):
            return _xrpc_error("InvalidRequest", "Profile not found", 400)
        profile = {
            **self.author,
            "followersCount": self.followers_count,
            "followsCount": 150,
            "postsCount": 42,
        }
        return web.json_response(profile)

    async def _get_author_feed(self, request: web.Request) -> web.Response:
        if not self._known(request.query.get("actor", "")):
            return _xrpc_error("InvalidRequest", "Profile not found", 400)
        cursor = request.query.get("cursor")
        if self.synthetic is not None:
            limit = int(request.query.get("limit", "50"))
            start = int(cursor) if cursor else 0
            page = self.synthetic[start : start + limit]
            body: dict[str, Any] = {"feed": page}
            if len(page) == limit:
                body["cursor"] = str(start + limit)
            return web.json_response(body)
        if cursor is None:
            return web.Response(body=self.page1, content_type="application/json", charset="utf-8")
        return web.json_response({"feed": []})

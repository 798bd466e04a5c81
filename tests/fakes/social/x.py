"""A fake X API v2 on 127.0.0.1: user lookup and user timelines, with faults on demand.

Endpoints (as documented at https://docs.x.com/x-api): ``GET /2/users/:id``,
``GET /2/users/by/username/:username`` and ``GET /2/users/:id/tweets``. Requests need
``Authorization: Bearer <token>``; anything else gets X's documented 401 problem body.

What is verbatim and what is built here:

* Tweet objects from the fixtures (``x_tweet_*.json`` in ``shared/fixtures/social``) are served
  verbatim, field for field. Those fixtures are single-tweet lookup responses (``{"data": {...}}``)
  from the docs' metrics page, whose requests did not ask for ``created_at``; a timeline request
  does, so ``add_fixture_post`` adds ``created_at`` (the only field added) and the fake then
  serves the object like the real API: ``id``, ``text`` and ``edit_history_tweet_ids`` always,
  other fields only when ``tweet.fields`` names them (``attachments`` also with
  ``expansions=attachments.media_keys``). The public and the non-public fixture are the same
  docs example (id 1234567890, "Hello world!") requested with different fields, so merging them
  gives what one request for all the fields returns.
* The list envelope is built here around those objects, with the documented ``meta`` fields:
  ``result_count``, ``newest_id``, ``oldest_id`` and ``next_token`` (absent on the last page);
  ``includes.media`` carries the fixture's media objects, filtered by ``media.fields``.
* Users and ``post(...)`` tweets are SYNTHETIC, in the documented shapes.

The fake honours ``start_time`` and ``max_results`` (5..100, else the documented 400) like the
real API; ``honour_start_time=False`` makes it ignore ``start_time`` so a test can watch the
client stop paging on its own. Every request is recorded (path + query) before faults apply.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Mapping
from datetime import datetime
from typing import Any

from aiohttp import web

from tests.fakes.server import bearer_token
from tests.fakes.social.base import FIXTURES, Request, SocialFake, first_half

TOKEN = "test-x-bearer-token"
UNAUTHORIZED = {
    "title": "Unauthorized",
    "type": "about:blank",
    "status": 401,
    "detail": "Unauthorized",
}
_DEFAULT_TWEET_FIELDS = ("id", "text", "edit_history_tweet_ids")


def load_fixture(name: str) -> Any:
    return json.loads((FIXTURES / name).read_text(encoding="utf-8"))


class FakeXApi(SocialFake):
    """Use as ``async with FakeXApi() as x:``; point X_BASE_URL (or SourceHttp) at ``x.url``."""

    def __init__(self, *, token: str = TOKEN, honour_start_time: bool = True) -> None:
        super().__init__()
        self.token = token
        self.honour_start_time = honour_start_time
        self.users: dict[str, dict[str, Any]] = {}
        self.timelines: dict[str, list[dict[str, Any]]] = {}  # user id -> tweets, newest first
        self.media: dict[str, dict[str, Any]] = {}  # media_key -> media object
        self.token_expired = False

    def _app(self) -> web.Application:
        app = web.Application()
        app.router.add_get("/2/users/by/username/{username}", self._by_username)
        app.router.add_get("/2/users/{id}/tweets", self._timeline)
        app.router.add_get("/2/users/{id}", self._user)
        return app

    # ---------------------------------------------------------------- test helpers
    def add_user(self, user_id: str, username: str, *, followers: int | None = 1200) -> None:
        """A SYNTHETIC user object in the documented shape (user.fields=public_metrics)."""
        user: dict[str, Any] = {"id": user_id, "name": username.title(), "username": username}
        if followers is not None:
            user["public_metrics"] = {
                "followers_count": followers,
                "following_count": 310,
                "tweet_count": 4021,
                "listed_count": 57,
                "like_count": 880,
            }
        self.users[user_id] = user
        self.timelines.setdefault(user_id, [])

    def add_fixture_post(self, user_id: str, *names: str, created_at: str) -> dict[str, Any]:
        """Append the fixtures' tweet object (merged if several) with ``created_at`` added."""
        tweet: dict[str, Any] = {}
        for name in names:
            body = load_fixture(name)
            tweet.update(body["data"])
            for media in body.get("includes", {}).get("media", []):
                self.media[media["media_key"]] = media
        tweet["created_at"] = created_at
        self.timelines[user_id].append(tweet)
        return tweet

    def post(self, user_id: str, post_id: str, created_at: str, *, likes: int = 0) -> None:
        """Append a SYNTHETIC tweet with documented public_metrics (timelines are newest first)."""
        self.timelines[user_id].append(
            {
                "id": post_id,
                "text": f"Post {post_id}",
                "edit_history_tweet_ids": [post_id],
                "created_at": created_at,
                "public_metrics": {
                    "retweet_count": likes // 10,
                    "reply_count": likes // 20,
                    "like_count": likes,
                    "quote_count": 0,
                    "bookmark_count": 1,
                    "impression_count": likes * 40,
                },
            }
        )

    def fail_next(self, status: int, headers: Mapping[str, str] | None = None) -> None:
        title = {429: "Too Many Requests", 503: "Service Unavailable"}.get(status, "Server Error")
        body = {"title": title, "detail": title, "type": "about:blank", "status": status}
        self._queue_failure(status, headers, body)

    def expired_token(self) -> None:
        """From now on every request gets X's documented 401 (a revoked or expired token)."""
        self.token_expired = True

    def requests_to(self, suffix: str) -> list[Request]:
        return [r for r in self.requests if r.path.endswith(suffix)]

    # ---------------------------------------------------------------- endpoints
    async def _user(self, request: web.Request) -> web.StreamResponse:
        user = self.users.get(request.match_info["id"])
        return await self._answer(request, lambda: self._user_body(request, user, "id"))

    async def _by_username(self, request: web.Request) -> web.StreamResponse:
        name = request.match_info["username"].lower()
        user = next((u for u in self.users.values() if u["username"].lower() == name), None)
        return await self._answer(request, lambda: self._user_body(request, user, "username"))

    def _user_body(
        self, request: web.Request, user: dict[str, Any] | None, parameter: str
    ) -> dict[str, Any]:
        if user is None:  # X answers 200 with a problem in "errors"
            value = request.match_info[parameter]
            return {
                "errors": [
                    {
                        "value": value,
                        "detail": f"Could not find user with {parameter}: [{value}].",
                        "title": "Not Found Error",
                        "resource_type": "user",
                        "parameter": parameter,
                        "resource_id": value,
                        "type": "https://api.twitter.com/2/problems/resource-not-found",
                    }
                ]
            }
        wanted = set(request.query.get("user.fields", "").split(","))
        return {"data": {k: v for k, v in user.items() if k in {"id", "name", "username"} | wanted}}

    async def _timeline(self, request: web.Request) -> web.StreamResponse:
        return await self._answer(request, lambda: self._timeline_body(request))

    def _timeline_body(self, request: web.Request) -> dict[str, Any] | web.Response:
        query = request.query
        size = int(query.get("max_results", "10"))
        if not 5 <= size <= 100:
            return web.json_response(
                {
                    "errors": [
                        {
                            "parameters": {"max_results": [str(size)]},
                            "message": f"The `max_results` query parameter value [{size}] "
                            "is not between 5 and 100",
                        }
                    ],
                    "title": "Invalid Request",
                    "detail": "One or more parameters to your request was invalid.",
                    "type": "https://api.twitter.com/2/problems/invalid-request",
                },
                status=400,
            )
        tweets = self.timelines.get(request.match_info["id"], [])
        if self.honour_start_time and "start_time" in query:
            start = query["start_time"]
            tweets = [t for t in tweets if _utc(t["created_at"]) >= _utc(start)]
        offset = int(query.get("pagination_token", "page-0").removeprefix("page-"))
        page = tweets[offset : offset + size]
        if not page:
            return {"meta": {"result_count": 0}}
        fields = set(query.get("tweet.fields", "").split(","))
        expansions = set(query.get("expansions", "").split(","))
        if "attachments.media_keys" in expansions:
            fields.add("attachments")
        data = [
            {k: v for k, v in t.items() if k in _DEFAULT_TWEET_FIELDS or k in fields} for t in page
        ]
        body: dict[str, Any] = {"data": data}
        if "attachments.media_keys" in expansions:
            media_fields = {"media_key", "type"} | set(query.get("media.fields", "").split(","))
            keys = [k for t in page for k in t.get("attachments", {}).get("media_keys", [])]
            media = [
                {k: v for k, v in self.media[key].items() if k in media_fields}
                for key in keys
                if key in self.media
            ]
            if media:
                body["includes"] = {"media": media}
        meta: dict[str, Any] = {
            "result_count": len(page),
            "newest_id": page[0]["id"],
            "oldest_id": page[-1]["id"],
        }
        if offset + size < len(tweets):
            meta["next_token"] = f"page-{offset + size}"  # opaque to clients, like X's tokens
        body["meta"] = meta
        return body

    # ---------------------------------------------------------------- plumbing
    async def _answer(
        self, request: web.Request, build: Callable[[], dict[str, Any] | web.Response]
    ) -> web.StreamResponse:
        self._record(request)
        if self.token_expired or bearer_token(request) != self.token:
            return web.json_response(UNAUTHORIZED, status=401)
        fault = await self._next_fault(request.path)
        if fault is not None and fault.kind == "fail":
            return fault.answer()
        body = build()
        if isinstance(body, web.Response):
            return body
        reset = str(int(time.time()) + 900)
        headers = {"x-rate-limit-limit": "900", "x-rate-limit-remaining": "899"}
        headers["x-rate-limit-reset"] = reset
        text = json.dumps(body)
        if fault is not None and fault.kind == "truncate":
            text = first_half(text)
        return web.Response(text=text, content_type="application/json", headers=headers)


def _utc(value: str) -> float:
    return datetime.fromisoformat(value.replace("Z", "+00:00")).timestamp()

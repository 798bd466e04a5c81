"""A fake LinkedIn Marketing REST API (organisation pages) on 127.0.0.1, with faults on demand.

ALL RESPONSES HERE ARE SYNTHETIC. No recorded LinkedIn response could be saved (see
shared/fixtures/social/SOURCES.md: the learn.microsoft.com bodies were not retrievable), so the
bodies are built from the documented field names only:

- ``GET /rest/posts?author=<urn>&q=author&count=&start=`` -> ``{"paging": {"start", "count",
  "links": [{"rel": "next", "href", "type"}]}, "elements": [Post]}`` with Post fields ``id``,
  ``author``, ``commentary``, ``visibility``, ``lifecycleState``, ``createdAt``,
  ``publishedAt``, ``lastModifiedAt`` (epoch ms), newest first;
- ``GET /rest/organizationalEntityShareStatistics?q=organizationalEntity&organizationalEntity=
  <urn>&shares=List(..)&ugcPosts=List(..)`` -> ``{"elements": [{"organizationalEntity",
  "share" | "ugcPost", "totalShareStatistics": {...}}]}``, only for posts with figures;
- ``GET /rest/networkSizes/<urn>?edgeType=COMPANY_FOLLOWED_BY_MEMBER`` -> ``{"firstDegreeSize"}``;
- ``GET /rest/organizationAcls?q=roleAssignee`` -> ``{"elements": [{"organization", "role",
  "roleAssignee", "state"}]}``.

Like LinkedIn, every request needs ``Authorization: Bearer``, ``LinkedIn-Version`` (missing:
400 VERSION_MISSING; not active: 426 NONEXISTENT_VERSION) and, for ``List(...)`` arguments,
``X-Restli-Protocol-Version: 2.0.0`` with literal parentheses in the raw query.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import datetime
from typing import Any
from urllib.parse import quote

from aiohttp import web

from tests.fakes.server import bearer_token
from tests.fakes.social.base import Request, SocialFake, catch_all, first_half

TOKEN = "AQV-test-linkedin-token"
ACTIVE_VERSIONS = frozenset({"202505", "202510", "202511", "202512", "202601", "202603"})
ORG_ID = "2414183"
ORG_URN = f"urn:li:organization:{ORG_ID}"
FOLLOWER_EDGE = "COMPANY_FOLLOWED_BY_MEMBER"


def li_error(status: int, message: str, **extra: Any) -> dict[str, Any]:
    return {"status": status, **extra, "message": message}


class FakeLinkedInApi(SocialFake):
    """``base_url`` is what LINKEDIN_BASE_URL would be (https://api.linkedin.com)."""

    def __init__(self, *, token: str = TOKEN) -> None:
        super().__init__()
        self.token = token
        self.posts: dict[str, list[dict[str, Any]]] = {}  # author urn -> newest first
        self.statistics: dict[str, dict[str, Any]] = {}  # post urn -> totalShareStatistics
        self.followers: dict[str, int] = {ORG_URN: 48_213}

    def _app(self) -> web.Application:
        return catch_all(self._handle)

    @property
    def base_url(self) -> str:
        return self.url

    # ------------------------------------------------------------ test helpers

    def add_post(
        self,
        urn: str,
        published: datetime,
        *,
        commentary: str = "",
        stats: dict[str, Any] | None = None,
        lifecycle: str = "PUBLISHED",
        author: str = ORG_URN,
    ) -> dict[str, Any]:
        """Append a post (add newest first); ``stats`` None = absent from the statistics."""
        millis = int(published.timestamp() * 1000)
        post = {
            "id": urn,
            "author": author,
            "commentary": commentary,
            "visibility": "PUBLIC",
            "lifecycleState": lifecycle,
            "isReshareDisabledByAuthor": False,
            "createdAt": millis,
            "publishedAt": millis,
            "lastModifiedAt": millis,
            "distribution": {"feedDistribution": "MAIN_FEED"},
        }
        self.posts.setdefault(author, []).append(post)
        if stats is not None:
            self.statistics[urn] = stats
        return post

    def fail_next(
        self, status: int = 500, headers: Mapping[str, str] | None = None, body: Any = None
    ) -> None:
        if body is None:
            body = li_error(status, "Internal Server Error" if status >= 500 else "Error")
            if status == 429:
                body = li_error(
                    429,
                    "Resource level throttle APPLICATION DAY limit for calls to this resource "
                    "is reached.",
                    serviceErrorCode=101,
                    code="TOO_MANY_REQUESTS",
                )
        self._queue_failure(status, headers, body)

    def expired_token(self) -> None:
        """The next answer is LinkedIn's for a token the member revoked."""
        message = "The token used in the request has been revoked by the user"
        self.fail_next(401, None, {"serviceErrorCode": 65601, "message": message, "status": 401})

    def requests_to(self, prefix: str) -> list[Request]:
        return [r for r in self.requests if r.path.startswith(prefix)]

    # ---------------------------------------------------------------- plumbing

    async def _handle(self, request: web.Request) -> web.StreamResponse:
        self._record(request)
        fault = await self._next_fault(request.path)
        if fault is not None and fault.kind == "fail":
            return fault.answer()
        refusal = self._refusal_error(request)
        if refusal is not None:
            return web.json_response(refusal, status=refusal["status"])
        status, body = self._route(request)
        text = json.dumps(body)
        if fault is not None and fault.kind == "truncate":
            text = first_half(text)
        headers = {"X-RestLi-Protocol-Version": "2.0.0", "x-li-uuid": "AAYtestuuid=="}
        return web.Response(
            text=text, status=status, content_type="application/json", headers=headers
        )

    def _refusal_error(self, request: web.Request) -> dict[str, Any] | None:
        if bearer_token(request) != self.token:
            return li_error(
                401, "Invalid access token", serviceErrorCode=65600, code="INVALID_ACCESS_TOKEN"
            )
        version = request.headers.get("LinkedIn-Version")
        if not version:
            message = (
                "A version must be present. Please specify a version by adding the "
                "LinkedIn-Version header."
            )
            return li_error(400, message, code="VERSION_MISSING")
        if version not in ACTIVE_VERSIONS:
            message = f"Requested version {version} is not active"
            return li_error(426, message, code="NONEXISTENT_VERSION")
        uses_list = (
            "List(" in request.rel_url.raw_query_string
            or "List%28" in request.rel_url.raw_query_string
        )
        if uses_list and request.headers.get("X-Restli-Protocol-Version") != "2.0.0":
            return li_error(400, "Syntax exception in path variables", code="ILLEGAL_ARGUMENT")
        if (
            "List%28" in request.rel_url.raw_query_string
        ):  # Rest.li 2.0 wants the structure unencoded
            return li_error(400, "Invalid param: List(...) must not be encoded", code="PARAM")
        return None

    def _route(self, request: web.Request) -> tuple[int, dict[str, Any]]:
        path, query = request.path, request.query
        if path == "/rest/posts" and query.get("q") == "author":
            return self._posts(query.get("author", ""), query)
        if path == "/rest/organizationalEntityShareStatistics":
            return self._statistics(query)
        if path.startswith("/rest/networkSizes/"):
            urn = path.removeprefix("/rest/networkSizes/")
            if query.get("edgeType") != FOLLOWER_EDGE or urn not in self.followers:
                return 400, li_error(400, f"Invalid edgeType or entity for {urn}")
            return 200, {"firstDegreeSize": self.followers[urn]}
        if path == "/rest/organizationAcls" and query.get("q") == "roleAssignee":
            acl = {
                "organization": ORG_URN,
                "role": "ADMINISTRATOR",
                "roleAssignee": "urn:li:person:8675309",
                "state": "APPROVED",
            }
            return 200, {"paging": {"start": 0, "count": 10, "links": []}, "elements": [acl]}
        return 404, li_error(404, f"No virtual resource found for {path}")

    def _posts(self, author: str, query: Any) -> tuple[int, dict[str, Any]]:
        start, count = int(query.get("start", "0")), int(query.get("count", "10"))
        posts = self.posts.get(author, [])
        page = posts[start : start + count]
        links = []
        if start + count < len(posts):
            href = (
                f"/rest/posts?author={quote(author, safe='')}&count={count}&q=author"
                f"&sortBy={query.get('sortBy', 'LAST_MODIFIED')}&start={start + count}"
            )
            links.append({"type": "application/json", "rel": "next", "href": href})
        return 200, {"paging": {"start": start, "count": count, "links": links}, "elements": page}

    def _statistics(self, query: Any) -> tuple[int, dict[str, Any]]:
        entity = query.get("organizationalEntity", "")
        if query.get("q") != "organizationalEntity" or entity not in self.followers:
            return 400, li_error(400, "Invalid organizationalEntity")
        elements = []
        for param, key in (("shares", "share"), ("ugcPosts", "ugcPost")):
            inner = query.get(param, "")
            if not inner:
                continue
            if not (inner.startswith("List(") and inner.endswith(")")):
                return 400, li_error(400, f"Invalid value for param {param}")
            for urn in inner[5:-1].split(","):
                if urn in self.statistics:
                    elements.append(
                        {
                            "organizationalEntity": entity,
                            key: urn,
                            "totalShareStatistics": self.statistics[urn],
                        }
                    )
        return 200, {"paging": {"start": 0, "count": 10, "links": []}, "elements": elements}


def stats(
    impressions: int, unique: int, clicks: int, likes: int, comments: int, shares: int
) -> dict[str, Any]:
    """A totalShareStatistics object with LinkedIn's documented names (engagement as a rate)."""
    engagement = (clicks + likes + comments + shares) / impressions if impressions else 0.0
    return {
        "uniqueImpressionsCount": unique,
        "shareCount": shares,
        "engagement": engagement,
        "clickCount": clicks,
        "likeCount": likes,
        "impressionCount": impressions,
        "commentCount": comments,
    }

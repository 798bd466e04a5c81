"""A fake Meta Graph API (Facebook Pages + Instagram) on 127.0.0.1, with faults on demand.

Point ``GraphHttp(name, base_url=graph.base_url, token=TOKEN)`` at it. Every path may carry a
version prefix (``/v23.0/...``, or ``/v10.0/...`` in the recorded paging URLs); requests need
``access_token=<TOKEN>`` or get Graph's code-190 OAuthException.

Verbatim (from ../shared/fixtures/social, see SOURCES.md; only the host of paging URLs is
rewritten to this server, by text replacement, so the bytes are otherwise the recording's):

- ``GET /4/posts`` first page: facebook_page_posts_list_paging.json (recorded with
  ``fields=id,message,created_time``, so it has no counts);
- ``GET /17841406338772941/media`` first page: instagram_user_media_list.json;
- ``GET /{ig-media-id}/insights``: instagram_media_insights.json (2021: impressions, reach,
  saved), for any media of that list unless ``media_insights`` says otherwise.

Built here around verbatim objects: ``GET /19292868552/posts`` is a list envelope (``data``,
no ``paging.next``) around the two post objects of
facebook_posts_multi_ids_shares_reactions_comments.json, and ``GET /565225540184937/posts``
around the post of facebook_post_with_reactions_comments_summary.json, so counts parse from
recorded objects.

SYNTHETIC (no recording exists; documented field names and envelopes only): the second page
of each fixture list (older posts, no ``next``), Page post insights (``post_insights``; no
faithful recording of /{post-id}/insights was found), follower counts, ``/me``, and every
error body. Retired metrics (``post_impressions*``, ``impressions``, ``plays``...) and names in
``invalid_metrics`` answer code 100 like Graph does since their removal.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from typing import Any

from aiohttp import web

from tests.fakes.social.base import FIXTURES, Request, SocialFake, catch_all, first_half

RECORDED_HOST = "https://graph.facebook.com"
TOKEN = "EAAtest-page-token"
FB_PAGE = "4"
FB_COUNTS_PAGE = "19292868552"
FB_SUMMARY_PAGE = "565225540184937"
IG_USER = "17841406338772941"
RETIRED_METRICS = frozenset(
    {"post_impressions", "post_impressions_unique", "post_impressions_paid", "post_impressions_fan"}
    | {"post_impressions_organic", "post_impressions_viral", "impressions", "plays"}
    | {"video_views", "clips_replays_count", "ig_reels_aggregated_all_plays_count"}
)
_VERSION = re.compile(r"^/v\d+\.\d+")


def fixture_text(name: str) -> str:
    return (FIXTURES / name).read_text(encoding="utf-8")


def graph_error(message: str, code: int, *, subcode: int | None = None) -> dict[str, Any]:
    error: dict[str, Any] = {"message": message, "type": "OAuthException", "code": code}
    if subcode is not None:
        error["error_subcode"] = subcode
    error["fbtrace_id"] = "AbCdEfGhIjK"
    return {"error": error}


class FakeGraphApi(SocialFake):
    """Graph API v23-style fake; ``base_url`` ends with the version like META_BASE_URL.

    Requests are recorded with their path without the version prefix.
    """

    def __init__(self, *, token: str = TOKEN) -> None:
        super().__init__()
        self.token = token
        # (node, edge) -> {cursor: body text}; cursor None is the first page.
        self.lists: dict[tuple[str, str], dict[str | None, str]] = {}
        self.nodes: dict[str, dict[str, Any]] = {}
        self.post_insights: dict[str, dict[str, int]] = {}
        self.media_insights: dict[str, str] = {}
        self.invalid_metrics: set[str] = set()
        self._load_defaults()

    def _load_defaults(self) -> None:
        self.lists[(FB_PAGE, "posts")] = {
            None: fixture_text("facebook_page_posts_list_paging.json"),
            "1624385168": json.dumps(_synthetic_fb_page2()),  # the recorded next's `until`
        }
        multi = json.loads(fixture_text("facebook_posts_multi_ids_shares_reactions_comments.json"))
        self.serve_posts(FB_COUNTS_PAGE, list(multi.values()))
        single = json.loads(fixture_text("facebook_post_with_reactions_comments_summary.json"))
        self.serve_posts(FB_SUMMARY_PAGE, [single])
        media = fixture_text("instagram_user_media_list.json")
        self.lists[(IG_USER, "media")] = {None: media, "after": json.dumps(_synthetic_ig_page2())}
        insights = fixture_text("instagram_media_insights.json")
        for item in json.loads(media)["data"] + _synthetic_ig_page2()["data"]:
            self.media_insights[item["id"]] = insights
        # SYNTHETIC follower counts and identities.
        self.nodes[FB_PAGE] = {
            "id": FB_PAGE,
            "followers_count": 119_482_311,
            "fan_count": 118_044_210,
        }
        self.nodes[FB_COUNTS_PAGE] = {"id": FB_COUNTS_PAGE, "followers_count": 5_412_300}
        self.nodes[FB_SUMMARY_PAGE] = {"id": FB_SUMMARY_PAGE, "followers_count": 120_004_321}
        self.nodes[IG_USER] = {"id": IG_USER, "followers_count": 1_234}
        self.nodes["me"] = {"id": "104845791869513", "name": "Winsbot Test Page"}

    def _app(self) -> web.Application:
        return catch_all(self._handle)

    @property
    def base_url(self) -> str:
        return f"{self.url}/v23.0"

    # ------------------------------------------------------------ test helpers

    def serve_posts(self, node: str, posts: list[dict[str, Any]], edge: str = "posts") -> None:
        """One list page (no ``next``) around these post or media objects."""
        self.lists[(node, edge)] = {None: json.dumps({"data": posts})}

    def fail_next(
        self,
        status: int = 500,
        headers: Mapping[str, str] | None = None,
        body: Any = None,
        *,
        only: str | None = None,
    ) -> None:
        """Answer the next request (whose path ends with ``only``, if given) with this error."""
        if body is None:
            body = graph_error("An unknown error has occurred.", 1)
        self._queue_failure(status, headers, body, only=only)

    def rate_limit_next(self, *, code: int = 32, minutes: int | None = 2) -> None:
        """Graph's rate limit: HTTP 400 + error code + a usage header (not a 429)."""
        if minutes is None:
            usage = {"X-App-Usage": json.dumps({"call_count": 100, "total_cputime": 12})}
        else:
            entry = {"type": "pages", "call_count": 100, "total_cputime": 9, "total_time": 12}
            entry["estimated_time_to_regain_access"] = minutes
            usage = {"X-Business-Use-Case-Usage": json.dumps({FB_PAGE: [entry]})}
        message = {32: "(#32) Page request limit reached"}.get(
            code, f"(#{code}) Application request limit reached"
        )
        self.fail_next(400, usage, graph_error(message, code))

    def expired_token(self, *, only: str | None = None) -> None:
        """Answer the next request as Graph does once the token's session has expired."""
        message = (
            "Error validating access token: Session has expired on Monday, 23-Nov-26 "
            "01:00:00 PST. The current time is Monday, 23-Nov-26 02:00:00 PST."
        )
        self.fail_next(400, None, graph_error(message, 190, subcode=463), only=only)

    def requests_to(self, suffix: str) -> list[Request]:
        return [r for r in self.requests if r.path.endswith(suffix)]

    # ---------------------------------------------------------------- plumbing

    async def _handle(self, request: web.Request) -> web.StreamResponse:
        path = _VERSION.sub("", request.path)
        self._record(request, path)
        fault = await self._next_fault(path)
        if fault is not None and fault.kind == "fail":
            return fault.answer()
        if request.query.get("access_token") != self.token:
            body = graph_error("Invalid OAuth access token - Cannot parse access token", 190)
            return web.json_response(body, status=400)
        status, text = self._route(path.strip("/").split("/"), request)
        if fault is not None and fault.kind == "truncate":
            text = first_half(text)
        return web.Response(text=text, status=status, content_type="application/json")

    def _route(self, parts: list[str], request: web.Request) -> tuple[int, str]:
        query = request.query
        if len(parts) == 2 and (parts[0], parts[1]) in self.lists:
            pages = self.lists[(parts[0], parts[1])]
            cursor = query.get("after") or query.get("until") or None
            if cursor not in pages:
                return 200, json.dumps({"data": []})
            return 200, pages[cursor].replace(RECORDED_HOST, self.url)
        if len(parts) == 2 and parts[1] == "insights":
            return self._insights(parts[0], query.get("metric", ""))
        if len(parts) == 1 and parts[0] in self.nodes:
            node = self.nodes[parts[0]]
            wanted = [f for f in query.get("fields", "id").split(",") if f in node]
            return 200, json.dumps({name: node[name] for name in [*wanted, "id"]})
        message = (
            f"Unsupported get request. Object with ID '{parts[0]}' does not exist, cannot be "
            "loaded due to missing permissions, or does not support this operation."
        )
        return 400, json.dumps(graph_error(message, 100, subcode=33))

    def _insights(self, object_id: str, metric: str) -> tuple[int, str]:
        names = [m for m in metric.split(",") if m]
        bad = [m for m in names if m in RETIRED_METRICS or m in self.invalid_metrics]
        if not names or bad:
            message = "(#100) The value must be a valid insights metric"
            return 400, json.dumps(graph_error(message, 100))
        if object_id in self.media_insights:
            return 200, self.media_insights[object_id]
        values = self.post_insights.get(object_id, {})
        data = [
            {
                "name": name,
                "period": "lifetime",
                "values": [{"value": values[name]}],
                "title": name,
                "description": f"Lifetime: {name}",
                "id": f"{object_id}/insights/{name}/lifetime",
            }
            for name in names
            if name in values
        ]
        return 200, json.dumps({"data": data, "paging": {}})


def _synthetic_fb_page2() -> dict[str, Any]:
    """SYNTHETIC: what follows the recorded first page of page 4 (older posts, last page)."""
    return {
        "data": [
            {
                "id": "4_10113300000000001",
                "message": "An older post.",
                "created_time": "2021-06-20T12:00:00+0000",
            },
            {
                "id": "4_10113200000000002",
                "message": "A much older post.",
                "created_time": "2021-05-30T08:15:00+0000",
            },
        ],
        "paging": {"previous": f"{RECORDED_HOST}/v10.0/4/posts?since=1624190400&__previous=1"},
    }


def _synthetic_ig_page2() -> dict[str, Any]:
    """SYNTHETIC: the page behind the recorded media list's ``after`` cursor."""
    return {
        "data": [
            {
                "id": "17895000000000001",
                "comments_count": 1,
                "like_count": 9,
                "media_type": "VIDEO",
                "media_product_type": "REELS",
                "permalink": "https://www.instagram.com/reel/Csynthetic1/",
                "timestamp": "2021-08-10T10:00:00+0000",
            },
            {
                "id": "17895000000000002",
                "comments_count": 0,
                "like_count": 3,
                "media_type": "IMAGE",
                "permalink": "https://www.instagram.com/p/Csynthetic2/",
                "timestamp": "2021-07-01T10:00:00+0000",
            },
        ],
        "paging": {"cursors": {"before": "before2", "after": "after2"}},
    }

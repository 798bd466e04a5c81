"""A fake YouTube Data API v3 on 127.0.0.1: channels.list, playlistItems.list and videos.list.

Served under ``/youtube/v3`` like the real API, so pass ``yt.base_url`` as YOUTUBE_BASE_URL.
Requests need ``key=<api key>``: a wrong key gets the documented 400 ("API key not valid"), a
missing one the documented 403 ("The request is missing a valid API key.").

What is verbatim and what is built here (``add_google_developers`` sets the scene):

* ``youtube_playlist_items_page1.json`` is served byte for byte as the first page of playlist
  PLOU2XLYxmsIKpaV8h0AGE05so0fAwwfTw (its ``nextPageToken`` is "CAoQAA"). It was captured with
  ``part=snippet``, so its items carry no ``contentDetails`` even though we ask for it.
* The page for "CAoQAA" is SYNTHETIC: the 3 remaining items (``totalResults`` is 13) in the
  documented shape, all older than page 1's items (an uploads playlist pages newest first),
  including the fixture video D-lhorsDlUQ, and no ``nextPageToken``.
* ``youtube_videos_list_statistics.json`` is served byte for byte when videos.list asks for
  exactly its one id (D-lhorsDlUQ); its parts are whatever it was captured with. Otherwise the
  envelope is built here around video objects (that fixture item verbatim, the others
  SYNTHETIC), keeping only the parts asked for and leaving out unknown ids, as the API does.
* channels.list answers are SYNTHETIC, built from the documented fields
  (``contentDetails.relatedPlaylists.uploads``, ``statistics.subscriberCount`` as a string).

Every request is recorded (path + query) before faults apply; ``quota_exceeded()`` and
``expired_token()`` answer every later request with the documented error bodies.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from typing import Any

from aiohttp import web

from tests.fakes.social.base import FIXTURES, Request, SocialFake, first_half

API_KEY = "test-youtube-api-key"
GOOGLE_DEVELOPERS = "UC_x5XG1OV2P6uZZ5FSM9Ttw"
FIXTURE_PLAYLIST = "PLOU2XLYxmsIKpaV8h0AGE05so0fAwwfTw"
FIXTURE_VIDEO = "D-lhorsDlUQ"
PREFIX = "/youtube/v3"
PLAYLIST_NOT_FOUND = (
    "The playlist identified with the request's <code>playlistId</code> parameter cannot be found."
)


def google_error(status: int, message: str, reason: str, domain: str = "global") -> dict[str, Any]:
    """Google's documented JSON error body."""
    return {
        "error": {
            "code": status,
            "message": message,
            "errors": [{"message": message, "domain": domain, "reason": reason}],
        }
    }


QUOTA_EXCEEDED = google_error(
    403,
    "The request cannot be completed because you have exceeded your "
    '<a href="/youtube/v3/getting-started#quota">quota</a>.',
    "quotaExceeded",
    "youtube.quota",
)
KEY_INVALID = google_error(400, "API key not valid. Please pass a valid API key.", "keyInvalid")
KEY_MISSING = google_error(403, "The request is missing a valid API key.", "forbidden")


class FakeYouTubeApi(SocialFake):
    """Use as ``async with FakeYouTubeApi() as yt:``."""

    def __init__(self, *, key: str = API_KEY) -> None:
        super().__init__()
        self.key = key
        self.channels: dict[str, dict[str, Any]] = {}
        # playlist id -> {page token or "" for the first page: body (bytes = served verbatim)}
        self.playlists: dict[str, dict[str, dict[str, Any] | bytes]] = {}
        self.videos: dict[str, dict[str, Any]] = {}
        self.error: tuple[int, dict[str, Any]] | None = None

    def _app(self) -> web.Application:
        app = web.Application()
        app.router.add_get(f"{PREFIX}/channels", self._channels)
        app.router.add_get(f"{PREFIX}/playlistItems", self._playlist_items)
        app.router.add_get(f"{PREFIX}/videos", self._videos)
        return app

    @property
    def base_url(self) -> str:
        return f"{self.url}{PREFIX}"

    # ---------------------------------------------------------------- scene setting
    def add_channel(self, channel_id: str, uploads: str, *, subscribers: str | None) -> None:
        """A SYNTHETIC channel resource (documented fields; counts are strings)."""
        statistics: dict[str, Any] = {"viewCount": "1234567", "videoCount": "13"}
        statistics["hiddenSubscriberCount"] = subscribers is None
        if subscribers is not None:
            statistics["subscriberCount"] = subscribers
        self.channels[channel_id] = {
            "kind": "youtube#channel",
            "etag": f"synthetic-{channel_id}",
            "id": channel_id,
            "contentDetails": {"relatedPlaylists": {"likes": "", "uploads": uploads}},
            "statistics": statistics,
        }

    def add_google_developers(self) -> None:
        """The fixtures' channel: page 1 verbatim, a synthetic last page, videos for all 13."""
        self.add_channel(GOOGLE_DEVELOPERS, FIXTURE_PLAYLIST, subscribers="2270000")
        page1 = (FIXTURES / "youtube_playlist_items_page1.json").read_bytes()
        items = json.loads(page1)["items"]
        listed = [
            (i["snippet"]["resourceId"]["videoId"], i["snippet"]["publishedAt"]) for i in items
        ]
        last = [("SynthVid011", "2019-11-20T18:00:00Z"), ("SynthVid012", "2019-11-19T18:00:00Z")]
        page2 = playlist_page([*last, (FIXTURE_VIDEO, "2019-03-21T20:37:49Z")], None, 10, total=13)
        self.playlists[FIXTURE_PLAYLIST] = {"": page1, "CAoQAA": page2}
        for video_id, published in [*listed, *last]:
            self.add_video(video_id, published, views=1000, likes=40, comments=3)
        fixture = json.loads((FIXTURES / "youtube_videos_list_statistics.json").read_text("utf-8"))
        self.videos[FIXTURE_VIDEO] = fixture["items"][0]

    def add_uploads(
        self, channel_id: str, videos: list[tuple[str, str]], *, per_page: int = 50
    ) -> None:
        """A SYNTHETIC channel whose uploads (newest first) are paged ``per_page`` at a time."""
        uploads = "UU" + channel_id[2:]
        self.add_channel(channel_id, uploads, subscribers="1520")
        pages: dict[str, dict[str, Any] | bytes] = {}
        for n, start in enumerate(range(0, max(1, len(videos)), per_page)):
            more = start + per_page < len(videos)
            chunk = videos[start : start + per_page]
            token = f"PAGE{n + 1}" if more else None
            pages["" if n == 0 else f"PAGE{n}"] = playlist_page(
                chunk, token, start, total=len(videos)
            )
            for video_id, published in chunk:
                if video_id not in self.videos:  # keep the fixture's video as it is
                    self.add_video(video_id, published, views=500 + n, likes=20, comments=2)
        self.playlists[uploads] = pages

    def add_video(
        self, video_id: str, published: str, *, views: int, likes: int, comments: int
    ) -> None:
        """A SYNTHETIC video resource with string counts, as videos.list returns them."""
        self.videos[video_id] = {
            "kind": "youtube#video",
            "etag": f"synthetic-{video_id}",
            "id": video_id,
            "snippet": {"publishedAt": published, "title": f"Video {video_id}"},
            "statistics": {
                "viewCount": str(views),
                "likeCount": str(likes),
                "favoriteCount": "0",
                "commentCount": str(comments),
            },
        }

    # ---------------------------------------------------------------- faults
    def fail_next(self, status: int, headers: Mapping[str, str] | None = None) -> None:
        body = google_error(status, "Backend Error", "backendError")
        self._queue_failure(status, headers, body)

    def quota_exceeded(self) -> None:
        self.error = (403, QUOTA_EXCEEDED)

    def expired_token(self) -> None:
        """The key was deleted or restricted: every later request gets the 400 keyInvalid."""
        self.error = (400, KEY_INVALID)

    def requests_to(self, resource: str) -> list[Request]:
        return [r for r in self.requests if r.path == f"{PREFIX}/{resource}"]

    # ---------------------------------------------------------------- endpoints
    async def _channels(self, request: web.Request) -> web.StreamResponse:
        def build() -> dict[str, Any] | bytes:
            parts = set(request.query.get("part", "").split(",")) | {"kind", "etag", "id"}
            wanted = request.query.get("id", "").split(",")
            found = [self.channels[c] for c in wanted if c in self.channels]
            body: dict[str, Any] = {
                "kind": "youtube#channelListResponse",
                "etag": "synthetic",
                "pageInfo": {"totalResults": len(found), "resultsPerPage": 5},
            }
            if found:  # the API leaves "items" out when nothing matched
                body["items"] = [{k: v for k, v in c.items() if k in parts} for c in found]
            return body

        return await self._answer(request, build)

    async def _playlist_items(self, request: web.Request) -> web.StreamResponse:
        def build() -> dict[str, Any] | bytes | web.Response:
            pages = self.playlists.get(request.query.get("playlistId", ""))
            if pages is None:
                return _error(404, PLAYLIST_NOT_FOUND, "playlistNotFound")
            token = request.query.get("pageToken", "")
            if token not in pages:
                return _error(
                    400, "The request specifies an invalid page token.", "invalidPageToken"
                )
            return pages[token]

        return await self._answer(request, build)

    async def _videos(self, request: web.Request) -> web.StreamResponse:
        def build() -> dict[str, Any] | bytes:
            ids = request.query.get("id", "").split(",")
            if ids == [FIXTURE_VIDEO]:
                return (FIXTURES / "youtube_videos_list_statistics.json").read_bytes()
            parts = set(request.query.get("part", "").split(",")) | {"kind", "etag", "id"}
            found = [self.videos[v] for v in ids if v in self.videos]
            return {
                "kind": "youtube#videoListResponse",
                "etag": "synthetic",
                "pageInfo": {"totalResults": len(found), "resultsPerPage": len(found)},
                "items": [{k: v for k, v in video.items() if k in parts} for video in found],
            }

        return await self._answer(request, build)

    async def _answer(
        self, request: web.Request, build: Callable[[], dict[str, Any] | bytes | web.Response]
    ) -> web.StreamResponse:
        self._record(request)
        key = request.query.get("key")
        if key is None:
            return web.json_response(KEY_MISSING, status=403)
        if key != self.key:
            return web.json_response(KEY_INVALID, status=400)
        if self.error is not None:
            return web.json_response(self.error[1], status=self.error[0])
        fault = await self._next_fault(request.path)
        if fault is not None and fault.kind == "fail":
            return fault.answer()
        body = build()
        if isinstance(body, web.Response):
            return body
        raw = body if isinstance(body, bytes) else json.dumps(body).encode()
        if fault is not None and fault.kind == "truncate":
            raw = first_half(raw)
        return web.Response(body=raw, content_type="application/json", charset="utf-8")


def _error(status: int, message: str, reason: str) -> web.Response:
    return web.json_response(
        google_error(status, message, reason, "youtube.playlistItem"), status=status
    )


def playlist_page(
    videos: list[tuple[str, str]], next_token: str | None, first_position: int, *, total: int
) -> dict[str, Any]:
    """A SYNTHETIC playlistItems.list page (snippet + contentDetails), documented shape."""
    items = [
        {
            "kind": "youtube#playlistItem",
            "etag": f"synthetic-{video_id}",
            "id": f"synthetic-item-{video_id}",
            "snippet": {
                "publishedAt": published,
                "title": f"Video {video_id}",
                "position": first_position + n,
                "resourceId": {"kind": "youtube#video", "videoId": video_id},
            },
            "contentDetails": {"videoId": video_id, "videoPublishedAt": published},
        }
        for n, (video_id, published) in enumerate(videos)
    ]
    page: dict[str, Any] = {
        "kind": "youtube#playlistItemListResponse",
        "etag": "synthetic",
        "pageInfo": {"totalResults": total, "resultsPerPage": 50},
        "items": items,
    }
    if next_token:
        page["nextPageToken"] = next_token
    return page

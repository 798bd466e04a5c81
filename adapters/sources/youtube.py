"""YouTube (Data API v3): a channel's recent uploads with their statistics, and its subscribers.

Three cheap calls, 1 quota unit each (search.list, at 100 units, is never used):
``channels.list`` gives the uploads playlist and ``subscriberCount``; ``playlistItems.list`` pages
the uploads (``nextPageToken``) until a page reaches back past ``since``; ``videos.list`` reads the
statistics of up to 50 videos per call. Counts arrive as strings ("7920"); YouTube rounds
subscriber counts to three significant figures and hides them when the channel asks.

A project gets 10,000 units a day (reset at midnight Pacific time). ``units`` counts what the
last fetch used (retries included) and ``units_today`` what this process used today; a request
that would pass ``daily_budget`` ends the round with SourceError instead of spending the rest.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import UTC, date, datetime
from typing import Any
from zoneinfo import ZoneInfo

import httpx

from adapters.sources.http import TIMEOUT, SourceHttp, count, parse_time
from bot.config import Settings
from bot.models import (
    FollowerRecord,
    Metrics,
    Platform,
    RowProblem,
    SnapshotRecord,
    SourceAccount,
    SourceItem,
)
from bot.ports import SourceAuthError, SourceError

log = logging.getLogger("winsbot.sources.youtube")

DAILY_BUDGET = 9_000  # of the default 10,000 units: leaves room for people using the same key
QUOTA_ZONE = ZoneInfo("America/Los_Angeles")
VIDEOS_PER_CALL = 50
MISSING_KEY = (
    "YouTube: set YOUTUBE_API_KEY (an API key of a Google Cloud project with the "
    "YouTube Data API v3 enabled)"
)


class YouTubeSource:
    platform = Platform.YOUTUBE

    def __init__(
        self,
        http: SourceHttp,
        *,
        now: Callable[[], datetime] = lambda: datetime.now(UTC),
        page_size: int = 100,
        max_pages: int = 10,
        daily_budget: int = DAILY_BUDGET,
    ) -> None:
        self.http = http
        self.now = now
        self.page_size = min(50, max(1, page_size))  # playlistItems.list allows 0..50
        self.max_pages = max_pages
        self.daily_budget = daily_budget
        self.units = 0
        self.units_today = 0
        self._quota_day: date | None = None
        self.missing_credentials: str | None = None

    @classmethod
    def from_settings(cls, settings: Settings) -> YouTubeSource:
        key = settings.youtube_api_key.get_secret_value() if settings.youtube_api_key else ""
        # The key rides on every request as the documented ``key`` query parameter.
        client = httpx.AsyncClient(
            base_url=settings.youtube_base_url, params={"key": key} if key else {}, timeout=TIMEOUT
        )
        source = cls(SourceHttp(name="youtube", base_url=settings.youtube_base_url, client=client))
        if not key:
            source.missing_credentials = MISSING_KEY
        return source

    async def check(self) -> str:
        self._require_key()
        self.units = 0
        await self._get("/channels", {"part": "id", "id": "UC_x5XG1OV2P6uZZ5FSM9Ttw"})
        return f"youtube: API key accepted ({self.units_today} quota units used today)"

    async def close(self) -> None:
        await self.http.close()

    async def fetch(self, account: SourceAccount, since: datetime) -> list[SourceItem]:
        self._require_key()
        self.units = 0
        captured_at = self.now()
        items: list[SourceItem] = []
        uploads = await self._channel(account, captured_at, items)

        wanted: dict[str, datetime] = {}  # video id -> when the playlist says it was published
        params: dict[str, Any] = {
            "part": "contentDetails,snippet",
            "playlistId": uploads,
            "maxResults": self.page_size,
        }
        for _page in range(self.max_pages):
            body = await self._get("/playlistItems", params)
            oldest: datetime | None = None
            for entry in body.get("items") or []:
                parsed = _playlist_entry(entry)
                if isinstance(parsed, RowProblem):
                    log.warning(
                        "youtube: skipped an upload of %s: %s", account.handle, parsed.reason
                    )
                    items.append(parsed)
                    continue
                video_id, published_at = parsed
                oldest = min(oldest or published_at, published_at)
                if published_at >= since:
                    wanted.setdefault(video_id, published_at)
            token = body.get("nextPageToken")
            if not token or (oldest is not None and oldest < since):
                break
            params["pageToken"] = token

        posts: list[SnapshotRecord] = []
        ids = list(wanted)
        for start in range(0, len(ids), VIDEOS_PER_CALL):
            batch = ids[start : start + VIDEOS_PER_CALL]
            body = await self._get("/videos", {"part": "statistics,snippet", "id": ",".join(batch)})
            for video in body.get("items") or []:
                record = _record(video, account, wanted, captured_at)
                if isinstance(record, RowProblem):
                    log.warning("youtube: skipped a video of %s: %s", account.handle, record.reason)
                    items.append(record)
                else:
                    posts.append(record)
        posts.sort(key=lambda post: post.published_at, reverse=True)
        return [*posts, *items]

    def _require_key(self) -> None:
        if self.missing_credentials:
            raise SourceAuthError(self.missing_credentials)

    async def _channel(
        self, account: SourceAccount, captured_at: datetime, items: list[SourceItem]
    ) -> str:
        """The uploads playlist id; appends the subscriber count to ``items`` when shown."""
        params = {"part": "contentDetails,statistics"}
        if account.id:
            params["id"] = account.id
        else:
            params["forHandle"] = account.handle
        body = await self._get("/channels", params)
        channels = body.get("items") or []
        which = account.id or account.handle
        if not channels or not isinstance(channels[0], dict):
            raise SourceError(
                f"youtube: no channel {which!r}; set the account's id to its channel id (UC...)"
            )
        channel = channels[0]
        uploads = ((channel.get("contentDetails") or {}).get("relatedPlaylists") or {}).get(
            "uploads"
        )
        if not isinstance(uploads, str) or not uploads:
            raise SourceError(f"youtube: channel {which!r} has no uploads playlist")
        stats = channel.get("statistics") or {}
        hidden = bool(stats.get("hiddenSubscriberCount"))
        try:
            followers = None if hidden else count(stats.get("subscriberCount"))
        except ValueError as exc:
            items.append(RowProblem(line=0, reason=f"youtube channel {which}: {exc}"))
            followers = None
        if followers is not None:
            items.append(FollowerRecord(Platform.YOUTUBE, account.handle, captured_at, followers))
        return uploads

    async def _get(self, path: str, params: dict[str, Any]) -> dict[str, Any]:
        """One Data API call, counted against the daily budget before it is made."""
        day = self.now().astimezone(QUOTA_ZONE).date()
        if day != self._quota_day:
            self._quota_day, self.units_today = day, 0
        if self.units_today + 1 > self.daily_budget:
            raise SourceError(
                f"youtube: daily quota budget reached ({self.units_today} of {self.daily_budget} "
                "units); polling resumes after midnight Pacific time"
            )
        before = self.http.requests
        try:
            body, _ = await self.http.get_json(path, params=params)
        except SourceAuthError as exc:
            # SourceHttp calls every 403 an auth problem; quotaExceeded is not one.
            if exc.code in ("quotaExceeded", "dailyLimitExceeded", "rateLimitExceeded"):
                raise SourceError(
                    "youtube: the project's daily quota is used up (quotaExceeded); "
                    "polling resumes after midnight Pacific time"
                ) from exc
            raise
        except SourceError as exc:
            # An invalid key answers 400, which SourceHttp does not treat as auth.
            if (
                exc.code in ("keyInvalid", "keyExpired", "badRequest")
                and exc.status == 400
                and (exc.code != "badRequest" or "API key" in str(exc))
            ):
                raise SourceAuthError(
                    f"{exc}; check YOUTUBE_API_KEY and that the YouTube Data API v3 is enabled"
                ) from exc
            raise
        finally:
            spent = self.http.requests - before  # every request costs, retried ones too
            self.units += spent
            self.units_today += spent
        if not isinstance(body, dict):
            raise SourceError(f"youtube: the answer to {path} is not a JSON object")
        return body


def _playlist_entry(entry: Any) -> tuple[str, datetime] | RowProblem:
    if not isinstance(entry, dict):
        return RowProblem(line=0, reason=f"youtube playlist item: not an object: {entry!r:.60}")
    snippet = entry.get("snippet") or {}
    details = entry.get("contentDetails") or {}
    video_id = details.get("videoId") or (snippet.get("resourceId") or {}).get("videoId")
    if not isinstance(video_id, str) or not video_id:
        return RowProblem(line=0, reason=f"youtube playlist item {entry.get('id')}: no video id")
    try:
        # videoPublishedAt is the video's own date; snippet.publishedAt when it was added.
        return video_id, parse_time(details.get("videoPublishedAt") or snippet.get("publishedAt"))
    except ValueError as exc:
        return RowProblem(line=0, reason=f"youtube video {video_id}: {exc}")


def _record(
    video: Any, account: SourceAccount, listed: dict[str, datetime], captured_at: datetime
) -> SnapshotRecord | RowProblem:
    if not isinstance(video, dict) or not isinstance(video.get("id"), str):
        return RowProblem(line=0, reason=f"youtube video ?: not a video object: {video!r:.60}")
    video_id = video["id"]
    snippet = video.get("snippet") or {}
    stats = video.get("statistics") or {}
    try:
        published = snippet.get("publishedAt")
        published_at = parse_time(published) if published else listed[video_id]
        metrics = Metrics(
            video_views=count(stats.get("viewCount")),
            likes=count(stats.get("likeCount")),
            comments=count(stats.get("commentCount")),
        )
    except (ValueError, KeyError, AttributeError) as exc:
        return RowProblem(line=0, reason=f"youtube video {video_id}: {exc}")
    title = snippet.get("title")
    return SnapshotRecord(
        platform=Platform.YOUTUBE,
        account=account.handle,
        post_id=video_id,
        published_at=published_at,
        metrics=metrics,
        url=f"https://www.youtube.com/watch?v={video_id}",
        text=title if isinstance(title, str) else None,
        captured_at=captured_at,
    )

"""YouTube (Data API v3): a channel's recent uploads with their statistics, and its subscribers.

Three cheap calls, 1 quota unit each (search.list, at 100 units, is never used):
``channels.list`` gives the uploads playlist and ``subscriberCount``; ``playlistItems.list`` pages
the uploads (``nextPageToken``) until a page reaches back past ``since``; ``videos.list`` reads the
statistics of up to 50 videos per call. Counts arrive as strings ("7920"); YouTube rounds
subscriber counts to three significant figures and hides them when the channel asks.

A project gets 10,000 units a day (reset at midnight Pacific time). ``units`` counts what the
last fetch used (retries included) and ``units_today`` what this process used today; a request
that would pass ``daily_budget`` ends the round with SourceError instead of spending the rest.

Answers are read through the typed models in ``youtube_models``: a malformed list envelope is a
SourceError; an item that does not validate is a RowProblem and the rest is read.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

import httpx
from pydantic import ValidationError

from adapters.sources.base import HttpSource, utc_now
from adapters.sources.http import TIMEOUT, SourceHttp
from adapters.sources.validation import describe_all as describe
from adapters.sources.youtube_models import (
    Channel,
    ListResponse,
    PlaylistItem,
    Video,
)
from bot.config import Settings
from bot.domain.models import (
    FollowerRecord,
    Metrics,
    Platform,
    PostFormat,
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


class YouTubeSource(HttpSource):
    platform = Platform.YOUTUBE

    PAGE_SIZES = (1, 50)  # playlistItems.list allows 0..50
    PAGE_SIZE = 50
    MAX_PAGES = 10

    def __init__(
        self,
        http: SourceHttp,
        *,
        now: Callable[[], datetime] = utc_now,
        page_size: int | None = None,
        max_pages: int | None = None,
        daily_budget: int = DAILY_BUDGET,
    ) -> None:
        super().__init__(http, now=now, page_size=page_size, max_pages=max_pages)
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
            page = await self._list("/playlistItems", params)
            oldest: datetime | None = None
            for entry in page.items:
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
            token = page.nextPageToken
            if not token or (oldest is not None and oldest < since):
                break
            params["pageToken"] = token

        posts: list[SnapshotRecord] = []
        ids = list(wanted)
        for start in range(0, len(ids), VIDEOS_PER_CALL):
            batch = ids[start : start + VIDEOS_PER_CALL]
            page = await self._list(
                "/videos", {"part": "statistics,snippet", "id": ",".join(batch)}
            )
            for video in page.items:
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
        channels = (await self._list("/channels", params)).items
        which = account.id or account.handle
        if not channels or not isinstance(channels[0], dict):
            raise SourceError(
                f"youtube: no channel {which!r}; set the account's id to its channel id (UC...)"
            )
        raw = channels[0]
        try:
            channel = Channel.model_validate(raw)
        except ValidationError as exc:
            if not all(error["loc"][:1] == ("statistics",) for error in exc.errors()):
                raise SourceError(
                    f"youtube: channel {which!r} is malformed: {describe(exc)}"
                ) from exc
            # An unreadable subscriber count is a row problem; the uploads are still read.
            items.append(RowProblem(line=0, reason=f"youtube channel {which}: {describe(exc)}"))
            channel = Channel.model_validate({**raw, "statistics": None})
        uploads = channel.uploads
        if uploads is None:
            raise SourceError(f"youtube: channel {which!r} has no uploads playlist")
        stats = channel.statistics
        if stats and not stats.hiddenSubscriberCount and stats.subscriberCount is not None:
            items.append(
                FollowerRecord(Platform.YOUTUBE, account.handle, captured_at, stats.subscriberCount)
            )
        return uploads

    async def _list(self, path: str, params: dict[str, Any]) -> ListResponse:
        """A ``*.list`` call's envelope; its items are validated one by one by the caller."""
        body = await self._get(path, params)
        try:
            return ListResponse.model_validate(body)
        except ValidationError as exc:
            raise SourceError(
                f"youtube: the answer to {path} is malformed: {describe(exc)}"
            ) from exc

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


def _dig(raw: Any, *keys: str) -> Any:
    """A value deep in a raw JSON object, None when any step is missing (for messages only)."""
    for key in keys:
        raw = raw.get(key) if isinstance(raw, dict) else None
    return raw


def _playlist_entry(entry: Any) -> tuple[str, datetime] | RowProblem:
    if not isinstance(entry, dict):
        return RowProblem(line=0, reason=f"youtube playlist item: not an object: {entry!r:.60}")
    try:
        item = PlaylistItem.model_validate(entry)
    except ValidationError as exc:
        video_id = _dig(entry, "contentDetails", "videoId") or _dig(
            entry, "snippet", "resourceId", "videoId"
        )
        what = (
            f"youtube video {video_id}"
            if isinstance(video_id, str)
            else f"youtube playlist item {entry.get('id')}"
        )
        return RowProblem(line=0, reason=f"{what}: {describe(exc)}")
    video_id = item.video_id
    if not video_id:
        return RowProblem(line=0, reason=f"youtube playlist item {item.id}: no video id")
    if item.published_at is None:
        return RowProblem(
            line=0, reason=f"youtube video {video_id}: expected a timestamp, got None"
        )
    return video_id, item.published_at


def _record(
    raw: Any, account: SourceAccount, listed: dict[str, datetime], captured_at: datetime
) -> SnapshotRecord | RowProblem:
    if not isinstance(raw, dict) or not isinstance(raw.get("id"), str):
        return RowProblem(line=0, reason=f"youtube video ?: not a video object: {raw!r:.60}")
    try:
        video = Video.model_validate(raw)
    except ValidationError as exc:
        return RowProblem(line=0, reason=f"youtube video {raw['id']}: {describe(exc)}")
    snippet = video.snippet
    published_at = (snippet.publishedAt if snippet else None) or listed.get(video.id)
    if published_at is None:
        return RowProblem(
            line=0, reason=f"youtube video {video.id}: expected a timestamp, got None"
        )
    stats = video.statistics
    return SnapshotRecord(
        platform=Platform.YOUTUBE,
        account=account.handle,
        post_id=video.id,
        published_at=published_at,
        metrics=Metrics(
            video_views=stats.viewCount if stats else None,
            likes=stats.likeCount if stats else None,
            comments=stats.commentCount if stats else None,
        ),
        url=f"https://www.youtube.com/watch?v={video.id}",
        text=snippet.title if snippet else None,
        captured_at=captured_at,
        format=PostFormat.VIDEO,
    )

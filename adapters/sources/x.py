"""X (API v2): an account's recent posts with their metrics, and its follower count.

One user lookup (``GET /2/users/:id``, or ``/2/users/by/username/:username`` when the account has
no numeric id) gives the id, username and ``followers_count``; then the user's timeline
(``GET /2/users/:id/tweets``) pages newest first with ``pagination_token`` until a page reaches
back past ``since``, there is no ``meta.next_token``, or ``max_pages`` pages were read.

Own accounts also ask for ``non_public_metrics`` and ``organic_metrics`` (they need a user-context
token of the account and only cover posts from the last 30 days); peers get public metrics only.
Rate limits (``x-rate-limit-reset``), 5xx and timeouts are handled by SourceHttp.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from adapters.sources.http import SourceHttp, count, parse_time
from bot.config import Settings
from bot.models import (
    AccountKind,
    FollowerRecord,
    Metrics,
    Platform,
    RowProblem,
    SnapshotRecord,
    SourceAccount,
    SourceItem,
)
from bot.ports import SourceAuthError, SourceError

log = logging.getLogger("winsbot.sources.x")

PUBLIC_FIELDS = "created_at,public_metrics"
OWN_FIELDS = "created_at,public_metrics,non_public_metrics,organic_metrics"
MISSING_TOKEN = (
    "X: set X_BEARER_TOKEN (a bearer token from the X developer portal; a user-context token "
    "of your own account adds impressions and link clicks)"
)


class XSource:
    platform = Platform.X

    def __init__(
        self,
        http: SourceHttp,
        *,
        now: Callable[[], datetime] = lambda: datetime.now(UTC),
        page_size: int = 100,
        max_pages: int = 10,
    ) -> None:
        self.http = http
        self.now = now
        self.page_size = min(100, max(5, page_size))  # the API accepts 5..100
        self.max_pages = max_pages
        self.missing_credentials: str | None = None

    @classmethod
    def from_settings(cls, settings: Settings) -> XSource:
        token = settings.x_bearer_token.get_secret_value() if settings.x_bearer_token else ""
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        source = cls(SourceHttp(name="x", base_url=settings.x_base_url, headers=headers))
        if not token:
            source.missing_credentials = MISSING_TOKEN
        return source

    def _require_token(self) -> None:
        if self.missing_credentials:
            raise SourceAuthError(self.missing_credentials)

    async def check(self) -> str:
        self._require_token()
        user = await self._user("/2/users/by/username/XDevelopers")
        return f"x: token accepted ({self.http.client.base_url} found @{user.get('username')})"

    async def close(self) -> None:
        await self.http.close()

    async def fetch(self, account: SourceAccount, since: datetime) -> list[SourceItem]:
        self._require_token()
        captured_at = self.now()
        handle = account.handle.lstrip("@")
        if account.id:
            user = await self._user(f"/2/users/{account.id}")
        else:
            user = await self._user(f"/2/users/by/username/{handle}")
        user_id = str(user.get("id") or account.id or "")
        if not user_id:
            raise SourceError(f"x: the user lookup for @{handle} returned no id")
        username = str(user.get("username") or handle)

        items: list[SourceItem] = []
        followers = (user.get("public_metrics") or {}).get("followers_count")
        try:
            if (number := count(followers)) is not None:
                items.append(FollowerRecord(Platform.X, account.handle, captured_at, number))
        except ValueError as exc:
            items.append(_problem(f"x user {user_id}", str(exc)))

        own = account.kind == AccountKind.OURS
        posts: list[SnapshotRecord] = []
        params: dict[str, Any] = {
            "tweet.fields": OWN_FIELDS if own else PUBLIC_FIELDS,
            "expansions": "attachments.media_keys",
            "media.fields": "public_metrics",
            "exclude": "retweets,replies",
            "max_results": self.page_size,
            "start_time": since.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        }
        for _page in range(self.max_pages):
            body, _ = await self.http.get_json(f"/2/users/{user_id}/tweets", params=params)
            if not isinstance(body, dict):
                raise SourceError(f"x: the timeline of @{username} is not a JSON object")
            views = _media_views(body)
            oldest: datetime | None = None
            for tweet in body.get("data") or []:
                item = _record(tweet, account, username, own, views, captured_at)
                if isinstance(item, RowProblem):
                    log.warning("x: skipped a post of @%s: %s", username, item.reason)
                    items.append(item)
                    continue
                oldest = min(oldest or item.published_at, item.published_at)
                if item.published_at >= since:
                    posts.append(item)
            next_token = (body.get("meta") or {}).get("next_token")
            if not next_token or (oldest is not None and oldest < since):
                break
            params["pagination_token"] = next_token
        posts.sort(key=lambda post: post.published_at, reverse=True)
        return [*posts, *items]

    async def _user(self, path: str) -> dict[str, Any]:
        body, _ = await self.http.get_json(path, params={"user.fields": "public_metrics"})
        data = body.get("data") if isinstance(body, dict) else None
        if not isinstance(data, dict):
            errors = body.get("errors") if isinstance(body, dict) else None
            detail = errors[0].get("detail") if errors and isinstance(errors[0], dict) else None
            raise SourceError(f"x: {detail or 'no user in the answer to ' + path}")
        return data


def _problem(what: str, why: str) -> RowProblem:
    return RowProblem(line=0, reason=f"{what}: {why}")


def _media_views(body: dict[str, Any]) -> dict[str, int]:
    """media_key -> view_count from ``includes.media`` (videos and GIFs report views)."""
    views: dict[str, int] = {}
    for media in (body.get("includes") or {}).get("media") or []:
        if not isinstance(media, dict):
            continue
        try:
            number = count((media.get("public_metrics") or {}).get("view_count"))
        except ValueError:
            continue
        if number is not None and isinstance(media.get("media_key"), str):
            views[media["media_key"]] = number
    return views


def _record(
    tweet: Any,
    account: SourceAccount,
    username: str,
    own: bool,
    views: dict[str, int],
    captured_at: datetime,
) -> SnapshotRecord | RowProblem:
    if not isinstance(tweet, dict) or not isinstance(tweet.get("id"), str):
        return _problem("x post ?", f"expected a post object with an id, got {tweet!r:.80}")
    post_id = tweet["id"]
    try:
        published_at = parse_time(tweet.get("created_at"))
        public = tweet.get("public_metrics") or {}
        private = (tweet.get("non_public_metrics") or {}) if own else {}
        impressions = count(private.get("impression_count"))
        if impressions is None:
            impressions = count(public.get("impression_count"))
        keys = (tweet.get("attachments") or {}).get("media_keys") or []
        video = [views[key] for key in keys if key in views]
        metrics = Metrics(
            impressions=impressions,
            likes=count(public.get("like_count")),
            comments=count(public.get("reply_count")),
            shares=count(public.get("retweet_count")),
            quotes=count(public.get("quote_count")),
            saves=count(public.get("bookmark_count")),
            clicks=count(private.get("url_link_clicks")),
            video_views=max(video) if video else None,
        )
    except (ValueError, TypeError, AttributeError) as exc:
        return _problem(f"x post {post_id}", str(exc))
    return SnapshotRecord(
        platform=Platform.X,
        account=account.handle,
        post_id=post_id,
        published_at=published_at,
        metrics=metrics,
        url=f"https://x.com/{username}/status/{post_id}",
        text=tweet.get("text") if isinstance(tweet.get("text"), str) else None,
        captured_at=captured_at,
    )

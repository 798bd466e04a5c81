"""X (API v2): an account's recent posts with their metrics, and its follower count.

One user lookup (``GET /2/users/:id``, or ``/2/users/by/username/:username`` when the account has
no numeric id) gives the id, username and ``followers_count``; then the user's timeline
(``GET /2/users/:id/tweets``) pages newest first with ``pagination_token`` until a page reaches
back past ``since``, there is no ``meta.next_token``, or ``max_pages`` pages were read.

Own accounts also ask for ``non_public_metrics`` and ``organic_metrics`` (they need a user-context
token of the account and only cover posts from the last 30 days); peers get public metrics only.
Rate limits (``x-rate-limit-reset``), 5xx and timeouts are handled by SourceHttp.

Answers are read through the typed models in ``x_models``: a malformed envelope is a
SourceError; a post that does not validate is a RowProblem and the rest of the page is read.
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime
from typing import Any

from pydantic import ValidationError

from adapters.sources.base import HttpSource
from adapters.sources.http import SourceHttp
from adapters.sources.validation import describe_all as describe
from adapters.sources.x_models import (
    ApiError,
    Media,
    TimelinePage,
    Tweet,
    TweetNonPublicMetrics,
    TweetPublicMetrics,
    User,
    UserResponse,
)
from bot.config import Settings
from bot.domain.models import (
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


class XSource(HttpSource):
    platform = Platform.X

    PAGE_SIZES = (5, 100)  # the API accepts 5..100
    PAGE_SIZE = 100
    MAX_PAGES = 10
    missing_credentials: str | None = None  # set by from_settings when X_BEARER_TOKEN is unset

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
        return f"x: token accepted ({self.http.client.base_url} found @{user.username})"

    async def fetch(self, account: SourceAccount, since: datetime) -> list[SourceItem]:
        self._require_token()
        captured_at = self.now()
        handle = account.handle.lstrip("@")
        items: list[SourceItem] = []
        if account.id:
            user = await self._user(f"/2/users/{account.id}", items)
        else:
            user = await self._user(f"/2/users/by/username/{handle}", items)
        user_id = user.id or account.id or ""
        if not user_id:
            raise SourceError(f"x: the user lookup for @{handle} returned no id")
        username = user.username or handle

        followers = user.public_metrics.followers_count if user.public_metrics else None
        if followers is not None:
            items.append(FollowerRecord(Platform.X, account.handle, captured_at, followers))

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
            try:
                page = TimelinePage.model_validate(body)
            except ValidationError as exc:
                raise SourceError(
                    f"x: the timeline of @{username} is malformed: {describe(exc)}"
                ) from exc
            views = _media_views(page)
            oldest: datetime | None = None
            for tweet in page.data:
                item = _record(tweet, account, username, own, views, captured_at)
                if isinstance(item, RowProblem):
                    log.warning("x: skipped a post of @%s: %s", username, item.reason)
                    items.append(item)
                    continue
                oldest = min(oldest or item.published_at, item.published_at)
                if item.published_at >= since:
                    posts.append(item)
            next_token = page.meta.next_token if page.meta else None
            if not next_token or (oldest is not None and oldest < since):
                break
            params["pagination_token"] = next_token
        posts.sort(key=lambda post: post.published_at, reverse=True)
        return [*posts, *items]

    async def _user(self, path: str, problems: list[SourceItem] | None = None) -> User:
        """The looked-up user. An unreadable follower count is a RowProblem in ``problems``
        (the posts are still read); anything else wrong with the answer is a SourceError."""
        body, _ = await self.http.get_json(path, params={"user.fields": "public_metrics"})
        if not isinstance(body, dict):
            raise SourceError(f"x: the answer to {path} is not a JSON object")
        try:
            answer = UserResponse.model_validate(body)
        except ValidationError as exc:
            raise SourceError(f"x: the answer to {path} is malformed: {describe(exc)}") from exc
        if answer.data is None:
            raise SourceError(f"x: {_error_detail(answer) or 'no user in the answer to ' + path}")
        try:
            return User.model_validate(answer.data)
        except ValidationError as exc:
            if not all(error["loc"][:1] == ("public_metrics",) for error in exc.errors()):
                raise SourceError(
                    f"x: the user in the answer to {path} is malformed: {describe(exc)}"
                ) from exc
            user = User.model_validate({**answer.data, "public_metrics": None})
            if problems is not None:
                problems.append(_problem(f"x user {user.id}", describe(exc)))
            return user


def _problem(what: str, why: str) -> RowProblem:
    return RowProblem(line=0, reason=f"{what}: {why}")


def _error_detail(answer: UserResponse) -> str | None:
    """``detail`` of the first entry of ``errors``, when it reads as an error object."""
    if not answer.errors:
        return None
    try:
        return ApiError.model_validate(answer.errors[0]).detail
    except ValidationError:
        return None


def _media_views(page: TimelinePage) -> dict[str, int]:
    """media_key -> view_count from ``includes.media`` (videos and GIFs report views).
    Media objects that do not validate are skipped: they only add views to a post."""
    views: dict[str, int] = {}
    for raw in page.includes.media if page.includes else []:
        try:
            media = Media.model_validate(raw)
        except ValidationError:
            continue
        number = media.public_metrics.view_count if media.public_metrics else None
        if number is not None:
            views[media.media_key] = number
    return views


def _record(
    raw: Any,
    account: SourceAccount,
    username: str,
    own: bool,
    views: dict[str, int],
    captured_at: datetime,
) -> SnapshotRecord | RowProblem:
    if not isinstance(raw, dict) or not isinstance(raw.get("id"), str):
        return _problem("x post ?", f"expected a post object with an id, got {raw!r:.80}")
    try:
        tweet = Tweet.model_validate(raw)
    except ValidationError as exc:
        return _problem(f"x post {raw['id']}", describe(exc))
    public = tweet.public_metrics or TweetPublicMetrics()
    private = (tweet.non_public_metrics or TweetNonPublicMetrics()) if own else None
    impressions = private.impression_count if private else None
    if impressions is None:
        impressions = public.impression_count
    keys = tweet.attachments.media_keys if tweet.attachments else []
    video = [views[key] for key in keys if key in views]
    metrics = Metrics(
        impressions=impressions,
        likes=public.like_count,
        comments=public.reply_count,
        shares=public.retweet_count,
        quotes=public.quote_count,
        saves=public.bookmark_count,
        clicks=private.url_link_clicks if private else None,
        video_views=max(video) if video else None,
    )
    return SnapshotRecord(
        platform=Platform.X,
        account=account.handle,
        post_id=tweet.id,
        published_at=tweet.created_at,
        metrics=metrics,
        url=f"https://x.com/{username}/status/{tweet.id}",
        text=tweet.text,
        captured_at=captured_at,
    )

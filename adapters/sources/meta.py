"""Facebook Pages and Instagram professional accounts, through Meta's Graph API.

Both list the account's posts newest first (``/{page-id}/posts``, ``/{ig-user-id}/media``,
following ``paging.next`` until a page reaches back past ``since``), ask each post of *our*
accounts for its insights (Graph serves them to the account's admins only), then read the
follower count. One request per page carries the public counts (field expansion), rather
than a second ``/?ids=`` call per page.

Insight metrics, per Meta's docs in 2026 (``post_impressions*`` went on 2025-11-15;
Instagram's ``impressions``, ``plays`` and ``video_views`` in 2025):

- Facebook: ``post_media_view`` (views, the documented replacement for impressions) ->
  impressions, ``post_total_media_view_unique`` (replaces post_impressions_unique) -> reach,
  ``post_clicks`` -> clicks. Likes/comments/shares come from the summaries in the list.
- Instagram: ``views`` -> impressions (and video_views for videos and reels), ``reach``,
  ``saved`` -> saves, ``shares``. Any names that come back are read (a legacy
  ``impressions`` counts when ``views`` is absent); unknown ones are ignored.

An insights call Graph refuses (code 100 invalid metric, 10 not enough viewers, a missing
permission) leaves that post without insights; the post is kept, one warning per fetch.

Graph reports errors as HTTP 400/403 + ``{"error": {"code": ...}}``; ``GraphHttp`` classifies
the code before SourceHttp's status rules: 190/102 -> SourceAuthError; 4/17/32/613/80001+
(rate limits) -> wait ``estimated_time_to_regain_access`` minutes (X-Business-Use-Case-Usage;
60 s when absent) and retry; 1/2 -> back off and retry; others -> GraphError.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Mapping
from datetime import datetime
from typing import Any, ClassVar, Self
from urllib.parse import parse_qsl, urlsplit, urlunsplit

import httpx
from pydantic import ValidationError

from adapters.sources.base import HttpSource
from adapters.sources.http import TIMEOUT, SourceHttp
from adapters.sources.meta_models import (
    FacebookPost,
    GraphErrorBody,
    GraphPage,
    IgMedia,
    InsightsPage,
    Page,
    describe,
)
from bot.config import Settings
from bot.domain.models import (
    AccountKind,
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

log = logging.getLogger("winsbot.sources.meta")

TOKEN_CODES = frozenset({102, 190})
RATE_LIMIT_CODES = frozenset({4, 17, 32, 613})
TRANSIENT_CODES = frozenset({1, 2})
DEFAULT_RATE_LIMIT_WAIT = 60.0  # seconds, when Graph does not estimate the time to regain access


class GraphError(SourceError):
    """Graph answered ``{"error": {...}}``; ``graph_code`` is its numeric error code."""

    def __init__(self, message: str, code: int | None) -> None:
        super().__init__(message, code=None if code is None else str(code))
        self.graph_code = code


class GraphAuthError(GraphError, SourceAuthError):
    """The token is expired, invalid or lacks a permission."""


class _GraphRetryError(SourceError):
    def __init__(self, message: str, wait: float | None) -> None:
        super().__init__(message)
        self.wait = wait


class GraphHttp(SourceHttp):
    """SourceHttp that sends the token as ``access_token`` and classifies Graph error codes."""

    def __init__(
        self,
        name: str,
        base_url: str,
        *,
        token: str | None,
        token_env: str = "META_TOKEN",
        timeout: httpx.Timeout = TIMEOUT,
        **options: Any,
    ) -> None:
        client = httpx.AsyncClient(
            base_url=base_url, timeout=timeout, event_hooks={"response": [self._classify]}
        )
        super().__init__(name, base_url, client=client, **options)
        self._token = token
        self._token_env = token_env

    async def get_json(
        self, url: str, *, params: Mapping[str, Any] | None = None
    ) -> tuple[Any, httpx.Response]:
        if not self._token:
            raise SourceAuthError(f"{self.name}: no access token configured; set {self._token_env}")
        query = {**(params or {}), "access_token": self._token}
        for attempt in range(1, self.max_attempts + 1):
            try:
                return await super().get_json(url, params=query)
            except _GraphRetryError as exc:
                if attempt == self.max_attempts:
                    raise SourceError(f"{exc} (after {attempt} tries)") from exc
                await self._back_off(attempt, exc.wait, str(exc))
        raise AssertionError("unreachable")  # pragma: no cover

    async def _classify(self, response: httpx.Response) -> None:
        # 5xx stays with SourceHttp, which retries it whatever the body says.
        if not 400 <= response.status_code < 500:
            return
        await response.aread()
        try:
            error = GraphErrorBody.model_validate_json(response.content).error
        except ValidationError:
            return  # not a Graph error body: SourceHttp's status rules decide
        code = error.code
        text = f"{self.name}: Graph error {code}: {error.message[:200]}"
        if code in RATE_LIMIT_CODES or 80000 < code < 80100:
            raise _GraphRetryError(text, _regain_wait(response.headers))
        if code in TRANSIENT_CODES:
            raise _GraphRetryError(text, None)
        if code in TOKEN_CODES or code == 10 or 200 <= code < 300:
            hint = "renew" if code in TOKEN_CODES else "check the permissions of"
            raise GraphAuthError(f"{text}; {hint} {self._token_env}", code)
        raise GraphError(text, code)


def _regain_wait(headers: httpx.Headers) -> float:
    """Seconds until access returns, from X-Business-Use-Case-Usage (values in minutes)."""
    try:
        usage = json.loads(headers.get("x-business-use-case-usage", ""))
        minutes = max(
            float(entry["estimated_time_to_regain_access"])
            for entries in usage.values()
            for entry in entries
            if isinstance(entry, dict) and "estimated_time_to_regain_access" in entry
        )
    except (ValueError, TypeError, AttributeError):
        return DEFAULT_RATE_LIMIT_WAIT
    return minutes * 60 if minutes > 0 else DEFAULT_RATE_LIMIT_WAIT


def _next_page(url: str) -> tuple[str, dict[str, str]]:
    """Split a ``paging.next`` URL into its path and query, dropping the token it embeds."""
    parts = urlsplit(url)
    query = {k: v for k, v in parse_qsl(parts.query, keep_blank_values=True) if k != "access_token"}
    return urlunsplit((parts.scheme, parts.netloc, parts.path, "", "")), query


class _GraphSource(HttpSource):
    _edge: ClassVar[str]
    _fields: ClassVar[str]
    _insight_metrics: ClassVar[str]
    _follower_fields: ClassVar[str]

    PAGE_SIZES = (1, 100)  # Graph caps a page at 100 items
    PAGE_SIZE = 25
    MAX_PAGES = 10

    @classmethod
    def from_settings(cls, settings: Settings) -> Self:
        token = settings.meta_token.get_secret_value() if settings.meta_token else None
        return cls(GraphHttp(cls.platform.value, settings.meta_base_url, token=token))

    async def fetch(self, account: SourceAccount, since: datetime) -> list[SourceItem]:
        captured_at = self.now()
        node = account.id or account.handle
        posts: list[tuple[SnapshotRecord, str | None]] = []
        items: list[SourceItem] = []
        url = f"/{node}/{self._edge}"
        params: dict[str, Any] = {"fields": self._fields, "limit": self.page_size}
        for _ in range(self.max_pages):
            body, _ = await self.http.get_json(url, params=params)
            try:
                page = GraphPage.model_validate(body)
            except ValidationError as exc:
                raise SourceError(
                    f"{self.platform.value}: unexpected answer for {url}: {describe(exc)}"
                ) from exc
            reached_since = False
            for raw in page.data:
                try:
                    record, kind = self._parse(raw, account.handle, captured_at)
                except ValidationError as exc:
                    post_id = raw.get("id", "?") if isinstance(raw, dict) else "?"
                    reason = f"{self.platform.value} post {post_id}: {describe(exc)}"
                    log.warning("%s", reason)
                    items.append(RowProblem(line=0, reason=reason))
                    continue
                if record.published_at < since:
                    reached_since = True  # newest first: everything after this is older
                    break
                posts.append((record, kind))
            next_url = page.paging.next if page.paging else None
            if reached_since or next_url is None or not page.data:
                break
            url, params = _next_page(next_url)
        if account.kind is AccountKind.OURS:
            await self._add_insights(posts, account.handle)
        items[:0] = [record for record, _ in posts]
        followers = await self._followers(node)
        if followers is not None:
            items.append(FollowerRecord(self.platform, account.handle, captured_at, followers))
        return items

    async def _add_insights(
        self, posts: list[tuple[SnapshotRecord, str | None]], handle: str
    ) -> None:
        refused: list[str] = []
        for record, kind in posts:
            try:
                body, _ = await self.http.get_json(
                    f"/{record.post_id}/insights", params={"metric": self._insight_metrics}
                )
                insights = InsightsPage.model_validate(body)
            except GraphError as exc:
                if exc.graph_code in TOKEN_CODES:
                    raise
                refused.append(f"{record.post_id}: {exc}")
                continue
            except ValidationError as exc:
                refused.append(f"{record.post_id}: unexpected answer: {describe(exc)}")
                continue
            self._apply_insights(record.metrics, insights.values(), kind)
        if refused:
            log.warning("no insights for %d post(s) of %s: %s", len(refused), handle, refused[0])

    async def _followers(self, node: str) -> int | None:
        body, _ = await self.http.get_json(f"/{node}", params={"fields": self._follower_fields})
        try:
            page = Page.model_validate(body)
        except ValidationError as exc:
            log.warning(
                "%s: no follower count for %s: %s", self.platform.value, node, describe(exc)
            )
            return None
        return page.followers

    async def check(self) -> str:
        body, _ = await self.http.get_json("/me", params={"fields": "id,name"})
        try:
            me = Page.model_validate(body)
        except ValidationError as exc:
            raise SourceError(
                f"{self.platform.value}: /me did not answer with an id: {describe(exc)}"
            ) from exc
        return f"{self.platform.label} (Graph API) as {me.name or '?'} ({me.id})"

    def _parse(
        self, raw: Any, handle: str, captured_at: datetime
    ) -> tuple[SnapshotRecord, str | None]:
        """The post as a record (+ its media kind); pydantic.ValidationError when malformed."""
        raise NotImplementedError

    def _apply_insights(self, metrics: Metrics, values: dict[str, int], kind: str | None) -> None:
        raise NotImplementedError


class FacebookSource(_GraphSource):
    """A Facebook Page's posts (``account.id`` = the page id) and its follower count."""

    platform = Platform.FACEBOOK
    _edge = "posts"
    _fields = (
        "id,created_time,message,permalink_url,shares,"
        "reactions.summary(total_count).limit(0),comments.summary(total_count).limit(0)"
    )
    _insight_metrics = "post_clicks,post_media_view,post_total_media_view_unique"
    _follower_fields = "followers_count,fan_count"

    def _parse(
        self, raw: Any, handle: str, captured_at: datetime
    ) -> tuple[SnapshotRecord, str | None]:
        post = FacebookPost.model_validate(raw)
        likes = post.reactions.total if post.reactions else None
        comments = post.comments.total if post.comments else None
        # Graph leaves `shares` out when nobody shared; the summaries show our fields were served.
        shares = post.shares.count if post.shares else None
        served = (likes, comments) != (None, None)
        if shares is None and "shares" not in post.model_fields_set and served:
            shares = 0
        return SnapshotRecord(
            platform=self.platform,
            account=handle,
            post_id=post.id,
            published_at=post.created_time,
            metrics=Metrics(likes=likes, comments=comments, shares=shares),
            url=post.permalink_url,
            text=post.message,
            captured_at=captured_at,
        ), None

    def _apply_insights(self, metrics: Metrics, values: dict[str, int], kind: str | None) -> None:
        metrics.clicks = values.get("post_clicks", metrics.clicks)
        metrics.impressions = values.get("post_media_view", metrics.impressions)
        metrics.reach = values.get("post_total_media_view_unique", metrics.reach)


class InstagramSource(_GraphSource):
    """An Instagram professional account's media (``account.id`` = the IG user id)."""

    platform = Platform.INSTAGRAM
    _edge = "media"
    _fields = (
        "id,caption,media_type,media_product_type,permalink,timestamp,like_count,comments_count"
    )
    _insight_metrics = "views,reach,saved,shares"
    _follower_fields = "followers_count"

    def _parse(
        self, raw: Any, handle: str, captured_at: datetime
    ) -> tuple[SnapshotRecord, str | None]:
        media = IgMedia.model_validate(raw)
        return SnapshotRecord(
            platform=self.platform,
            account=handle,
            post_id=media.id,
            published_at=media.timestamp,
            metrics=Metrics(likes=media.like_count, comments=media.comments_count),
            url=media.permalink,
            text=media.caption,
            captured_at=captured_at,
            format=instagram_format(media.media_type, media.media_product_type),
        ), media.media_product_type or media.media_type

    def _apply_insights(self, metrics: Metrics, values: dict[str, int], kind: str | None) -> None:
        views = values.get("views", values.get("impressions"))  # 2021-era media: impressions
        if views is not None:
            metrics.impressions = views
            if kind in ("VIDEO", "REELS"):
                metrics.video_views = values.get("views", metrics.video_views)
        metrics.reach = values.get("reach", metrics.reach)
        metrics.saves = values.get("saved", metrics.saves)
        metrics.shares = values.get("shares", metrics.shares)


_IG_FORMATS = {
    "IMAGE": PostFormat.IMAGE,
    "VIDEO": PostFormat.VIDEO,
    "CAROUSEL_ALBUM": PostFormat.CAROUSEL,
}


def instagram_format(media_type: str | None, product_type: str | None) -> PostFormat | None:
    """A reel is its own format (it reaches non-followers); otherwise what the media is."""
    if product_type == "REELS":
        return PostFormat.REEL
    return _IG_FORMATS.get(media_type or "")

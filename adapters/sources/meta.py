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
from collections.abc import Callable, Mapping
from datetime import UTC, datetime
from typing import Any, ClassVar, Self
from urllib.parse import parse_qsl, urlsplit, urlunsplit

import httpx

from adapters.sources.http import TIMEOUT, SourceHttp, count, parse_time
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
            error = response.json().get("error")
        except (ValueError, AttributeError):
            return
        if not isinstance(error, dict):
            return
        code = error.get("code") if isinstance(error.get("code"), int) else None
        text = f"{self.name}: Graph error {code}: {str(error.get('message', ''))[:200]}"
        if code in RATE_LIMIT_CODES or (code is not None and 80000 < code < 80100):
            raise _GraphRetryError(text, _regain_wait(response.headers))
        if code in TRANSIENT_CODES:
            raise _GraphRetryError(text, None)
        if code in TOKEN_CODES or code == 10 or (code is not None and 200 <= code < 300):
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


def _total(edge: Any) -> int | None:
    """``reactions``/``comments``: ``summary.total_count``, else the older ``count``."""
    if edge is None:
        return None
    if not isinstance(edge, dict):
        raise ValueError(f"expected an object, got {edge!r}")
    summary = edge.get("summary")
    if isinstance(summary, dict) and "total_count" in summary:
        return count(summary["total_count"])
    return count(edge.get("count"))


def _insight_values(body: Any) -> dict[str, int]:
    """``{"data": [{"name": ..., "values": [{"value": N}]}]}`` -> {name: N} (counts only)."""
    values: dict[str, int] = {}
    data = body.get("data") if isinstance(body, dict) else None
    for entry in data if isinstance(data, list) else []:
        if not isinstance(entry, dict) or not isinstance(entry.get("name"), str):
            continue
        points = entry.get("values")
        value = points[0].get("value") if points and isinstance(points[0], dict) else None
        if isinstance(value, int) and not isinstance(value, bool):
            values[entry["name"]] = value
    return values


class _GraphSource:
    platform: Platform
    _edge: ClassVar[str]
    _fields: ClassVar[str]
    _insight_metrics: ClassVar[str]
    _follower_fields: ClassVar[str]

    def __init__(
        self,
        http: SourceHttp,
        *,
        now: Callable[[], datetime] = lambda: datetime.now(UTC),
        page_size: int = 25,
        max_pages: int = 10,
    ) -> None:
        self.http = http
        self.now = now
        self.page_size = page_size
        self.max_pages = max_pages

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
            data = body.get("data") if isinstance(body, dict) else None
            if not isinstance(data, list):
                raise SourceError(f"{self.platform.value}: no data list in the answer for {url}")
            reached_since = False
            for raw in data:
                try:
                    record, kind = self._parse(raw, account.handle, captured_at)
                except (ValueError, TypeError) as exc:
                    post_id = raw.get("id", "?") if isinstance(raw, dict) else "?"
                    reason = f"{self.platform.value} post {post_id}: {exc}"
                    log.warning("%s", reason)
                    items.append(RowProblem(line=0, reason=reason))
                    continue
                if record.published_at < since:
                    reached_since = True  # newest first: everything after this is older
                    break
                posts.append((record, kind))
            paging = body.get("paging")
            next_url = paging.get("next") if isinstance(paging, dict) else None
            if reached_since or not isinstance(next_url, str) or not data:
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
            except GraphError as exc:
                if exc.graph_code in TOKEN_CODES:
                    raise
                refused.append(f"{record.post_id}: {exc}")
                continue
            self._apply_insights(record.metrics, _insight_values(body), kind)
        if refused:
            log.warning("no insights for %d post(s) of %s: %s", len(refused), handle, refused[0])

    async def _followers(self, node: str) -> int | None:
        body, _ = await self.http.get_json(f"/{node}", params={"fields": self._follower_fields})
        names = self._follower_fields.split(",")  # the first one answered wins
        values = [body.get(name) for name in names] if isinstance(body, dict) else []
        return next((v for v in values if isinstance(v, int) and not isinstance(v, bool)), None)

    async def check(self) -> str:
        body, _ = await self.http.get_json("/me", params={"fields": "id,name"})
        if not isinstance(body, dict) or "id" not in body:
            raise SourceError(f"{self.platform.value}: /me did not answer with an id")
        return f"{self.platform.label} (Graph API) as {body.get('name', '?')} ({body['id']})"

    async def close(self) -> None:
        await self.http.close()

    def _parse(
        self, raw: Any, handle: str, captured_at: datetime
    ) -> tuple[SnapshotRecord, str | None]:
        raise NotImplementedError

    def _apply_insights(self, metrics: Metrics, values: dict[str, int], kind: str | None) -> None:
        raise NotImplementedError


def _post_id(raw: Any) -> str:
    if not isinstance(raw, dict):
        raise TypeError(f"expected an object, got {type(raw).__name__}")
    post_id = raw.get("id")
    if not isinstance(post_id, str) or not post_id:
        raise ValueError("no id")
    return post_id


def _text(value: Any) -> str | None:
    return value if isinstance(value, str) else None


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
        post_id = _post_id(raw)
        likes = _total(raw.get("reactions"))
        comments = _total(raw.get("comments"))
        # Graph leaves `shares` out when nobody shared; the summaries show our fields were served.
        shares = _total(raw.get("shares"))
        if shares is None and "shares" not in raw and (likes, comments) != (None, None):
            shares = 0
        return SnapshotRecord(
            platform=self.platform,
            account=handle,
            post_id=post_id,
            published_at=parse_time(raw.get("created_time")),
            metrics=Metrics(likes=likes, comments=comments, shares=shares),
            url=_text(raw.get("permalink_url")),
            text=_text(raw.get("message")),
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
        post_id = _post_id(raw)
        kind = raw.get("media_product_type") or raw.get("media_type")
        return SnapshotRecord(
            platform=self.platform,
            account=handle,
            post_id=post_id,
            published_at=parse_time(raw.get("timestamp")),
            metrics=Metrics(
                likes=count(raw.get("like_count")), comments=count(raw.get("comments_count"))
            ),
            url=_text(raw.get("permalink")),
            text=_text(raw.get("caption")),
            captured_at=captured_at,
        ), _text(kind)

    def _apply_insights(self, metrics: Metrics, values: dict[str, int], kind: str | None) -> None:
        views = values.get("views", values.get("impressions"))  # 2021-era media: impressions
        if views is not None:
            metrics.impressions = views
            if kind in ("VIDEO", "REELS"):
                metrics.video_views = values.get("views", metrics.video_views)
        metrics.reach = values.get("reach", metrics.reach)
        metrics.saves = values.get("saved", metrics.saves)
        metrics.shares = values.get("shares", metrics.shares)

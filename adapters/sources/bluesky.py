"""Bluesky: an account's own posts and follower count, from the public AppView (no login).

``app.bsky.feed.getAuthorFeed`` with ``filter=posts_no_replies`` still returns the account's
reposts of other people's posts (a real feed can be mostly reposts), so items with a
``reasonRepost`` and items by another author are dropped. The feed is ordered by when an item
entered it (a repost by when it was reposted), not by the post's ``createdAt``; paging stops
once a page's oldest feed time reaches back past ``since``.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from datetime import UTC, datetime
from typing import Any, TypeVar

from adapters.sources.http import SourceHttp, count, parse_time
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
from bot.ports import SourceError

log = logging.getLogger("winsbot.sources.bluesky")

T = TypeVar("T")

REPOST = "app.bsky.feed.defs#reasonRepost"
PIN = "app.bsky.feed.defs#reasonPin"  # only with includePins, which we do not ask for
POST_COLLECTION = "app.bsky.feed.post"


class BlueskySource:
    """Reads posts through an AppView (``BLUESKY_BASE_URL``, public.api.bsky.app by default)."""

    platform = Platform.BLUESKY

    def __init__(
        self,
        http: SourceHttp,
        *,
        now: Callable[[], datetime] = lambda: datetime.now(UTC),
        page_size: int = 40,
        max_pages: int = 20,
    ) -> None:
        self.http = http
        self.now = now
        self.page_size = min(page_size, 100)  # the lexicon's maximum
        self.max_pages = max_pages

    @classmethod
    def from_settings(cls, settings: Settings) -> BlueskySource:
        return cls(SourceHttp(name="bluesky", base_url=settings.bluesky_base_url))

    async def fetch(self, account: SourceAccount, since: datetime) -> list[SourceItem]:
        captured_at = self.now()
        actor = account.id or account.handle.lstrip("@")
        profile = await self._profile(actor)
        # Both the DID (stable) and the handle (what people configure) identify the account.
        own = {actor.lower(), profile["did"]}
        if isinstance(profile.get("handle"), str):
            own.add(profile["handle"].lower())
        items: list[SourceItem] = []
        cursor: str | None = None
        for _ in range(self.max_pages):
            params: dict[str, Any] = {
                "actor": actor,
                "filter": "posts_no_replies",
                "limit": self.page_size,
            }
            if cursor is not None:
                params["cursor"] = cursor
            body, _ = await self.http.get_json("/xrpc/app.bsky.feed.getAuthorFeed", params=params)
            feed = body.get("feed") if isinstance(body, dict) else None
            if not isinstance(feed, list):
                raise SourceError(f"bluesky: getAuthorFeed answered without a feed: {body!r:.80}")
            oldest: datetime | None = None
            for raw in feed:
                sorted_at = _feed_time(raw)
                if sorted_at is not None:
                    oldest = sorted_at if oldest is None else min(oldest, sorted_at)
                item = _post(raw, own, captured_at, account.handle)
                if isinstance(item, RowProblem):
                    log.info("%s", item.reason)
                    items.append(item)
                elif item is not None and item.published_at >= since:
                    items.append(item)
            cursor = body.get("cursor")
            if not feed or not isinstance(cursor, str) or (oldest is not None and oldest < since):
                break
        followers = count(profile.get("followersCount"))
        if followers is not None:
            items.append(FollowerRecord(Platform.BLUESKY, account.handle, captured_at, followers))
        return items

    async def check(self) -> str:
        """The AppView's own health route (it pings its data plane; 503 when that is down).

        ``/xrpc/_health`` is not a lexicon method but the bsky AppView and PDS both serve it
        (``{"version": ...}``); it needs no account, so ``winsbot sources check`` works before
        any Bluesky account is configured.
        """
        body, _ = await self.http.get_json("/xrpc/_health")
        if not isinstance(body, dict) or "version" not in body:
            raise SourceError(f"bluesky: /xrpc/_health did not answer a version: {body!r:.80}")
        return f"{self.http.client.base_url.host} (Bluesky AppView {body['version']})"

    async def close(self) -> None:
        await self.http.close()

    async def _profile(self, actor: str) -> Mapping[str, Any]:
        try:
            body, _ = await self.http.get_json(
                "/xrpc/app.bsky.actor.getProfile", params={"actor": actor}
            )
        except SourceError as exc:
            if exc.status != 400:  # the AppView's InvalidRequest: no such actor
                raise
            raise SourceError(
                f"{exc}; is {actor!r} right? Give the handle (name.bsky.social) or its DID"
            ) from exc
        if not isinstance(body, dict) or not isinstance(body.get("did"), str):
            raise SourceError(f"bluesky: no profile for {actor!r}: {body!r:.80}")
        return body


def _feed_time(raw: Any) -> datetime | None:
    """When the item entered the feed: what the AppView orders (and pages) by."""
    if not isinstance(raw, dict):
        return None
    reason = raw.get("reason")
    try:
        if isinstance(reason, dict):
            if reason.get("$type") == PIN:
                return None  # a pinned post sits on top whatever its age
            return parse_time(reason.get("indexedAt"))
        post = raw.get("post")
        return parse_time(post.get("indexedAt")) if isinstance(post, dict) else None
    except ValueError:
        return None


def _post(
    raw: Any, own: set[str], captured_at: datetime, handle: str
) -> SnapshotRecord | RowProblem | None:
    """One own post as a snapshot; None for a repost or someone else's post."""
    post = raw.get("post") if isinstance(raw, dict) else None
    uri = post.get("uri") if isinstance(post, dict) else None
    try:
        if not isinstance(post, dict):
            raise ValueError("feed item has no post object")
        reason = raw.get("reason")
        if isinstance(reason, dict) and reason.get("$type") == REPOST:
            return None
        author = post.get("author")
        if not isinstance(author, dict):
            raise ValueError("author: missing")
        if author.get("did") not in own and str(author.get("handle")).lower() not in own:
            return None
        uri = _read(post, "uri", _text)
        repo, rkey = _split_uri(uri)
        record = post.get("record")
        if not isinstance(record, dict):
            raise ValueError("record: missing")
        profile_name = author.get("handle") or repo
        if profile_name == "handle.invalid":  # the AppView's placeholder for a broken handle
            profile_name = repo
        return SnapshotRecord(
            platform=Platform.BLUESKY,
            account=handle,
            post_id=uri,
            published_at=_published(record, post),
            metrics=Metrics(
                likes=_read(post, "likeCount", count),
                shares=_read(post, "repostCount", count),
                comments=_read(post, "replyCount", count),
                quotes=_read(post, "quoteCount", count),
                saves=_read(post, "bookmarkCount", count),  # AppViews from 2025 on
            ),
            url=f"https://bsky.app/profile/{profile_name}/post/{rkey}",
            text=record.get("text") if isinstance(record.get("text"), str) else None,
            captured_at=captured_at,
        )
    except ValueError as exc:
        return RowProblem(line=0, reason=f"bluesky post {uri or '?'}: {exc}")


def _published(record: Mapping[str, Any], post: Mapping[str, Any]) -> datetime:
    """The author's createdAt; the AppView's indexedAt when a client left it out."""
    if record.get("createdAt") is None and post.get("indexedAt") is not None:
        return _read(post, "indexedAt", parse_time)
    return _read(record, "createdAt", parse_time)


def _split_uri(uri: str) -> tuple[str, str]:
    """at://<did>/app.bsky.feed.post/<rkey> -> (did, rkey)."""
    parts = uri.removeprefix("at://").split("/")
    if not uri.startswith("at://") or len(parts) != 3 or parts[1] != POST_COLLECTION:
        raise ValueError(f"uri: not a post URI: {uri!r}")
    return parts[0], parts[2]


def _read(raw: Mapping[str, Any], key: str, parse: Callable[[Any], T]) -> T:
    """Parse one field, naming it in the error so a RowProblem says what was wrong."""
    try:
        return parse(raw.get(key))
    except (ValueError, TypeError) as exc:
        raise ValueError(f"{key}: {exc}") from None


def _text(value: Any) -> str:
    if not isinstance(value, str) or not value:
        raise ValueError(f"expected a non-empty string, got {value!r}")
    return value

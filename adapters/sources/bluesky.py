"""Bluesky: an account's own posts and follower count, from the public AppView (no login).

``app.bsky.feed.getAuthorFeed`` with ``filter=posts_no_replies`` still returns the account's
reposts of other people's posts (a real feed can be mostly reposts), so items with a
``reasonRepost`` and items by another author are dropped. The feed is ordered by when an item
entered it (a repost by when it was reposted), not by the post's ``createdAt``; paging stops
once a page's oldest feed time reaches back past ``since``.
"""

from __future__ import annotations

import logging
from datetime import datetime
from typing import Any

from pydantic import ValidationError

from adapters.sources.base import HttpSource
from adapters.sources.bluesky_models import (
    REPOST,
    AuthorFeed,
    AuthorRef,
    FeedItemRef,
    FeedViewPost,
    Health,
    PostView,
    Profile,
)
from adapters.sources.http import SourceHttp
from adapters.sources.validation import describe_first as describe
from bot.config import Settings
from bot.domain.models import (
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


class BlueskySource(HttpSource):
    """Reads posts through an AppView (``BLUESKY_BASE_URL``, public.api.bsky.app by default)."""

    platform = Platform.BLUESKY

    PAGE_SIZES = (1, 100)  # the lexicon's maximum is 100
    PAGE_SIZE = 40
    MAX_PAGES = 20

    @classmethod
    def from_settings(cls, settings: Settings) -> BlueskySource:
        return cls(SourceHttp(name="bluesky", base_url=settings.bluesky_base_url))

    async def fetch(self, account: SourceAccount, since: datetime) -> list[SourceItem]:
        captured_at = self.now()
        actor = account.id or account.handle.lstrip("@")
        profile = await self._profile(actor)
        # Both the DID (stable) and the handle (what people configure) identify the account.
        own = {actor.lower(), profile.did, profile.handle.lower()}
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
            try:
                page = AuthorFeed.model_validate(body)
            except ValidationError as exc:
                raise SourceError(
                    f"bluesky: getAuthorFeed answered without a feed ({describe(exc)}): "
                    f"{body!r:.80}"
                ) from None
            oldest: datetime | None = None
            for raw in page.feed:
                try:
                    ref: FeedItemRef | None = FeedItemRef.model_validate(raw)
                except ValidationError:
                    ref = None  # not even an object: _post says why
                sorted_at = ref.sorted_at if ref is not None else None
                if sorted_at is not None:
                    oldest = sorted_at if oldest is None else min(oldest, sorted_at)
                item = _post(raw, ref, own, captured_at, account.handle)
                if isinstance(item, RowProblem):
                    log.info("%s", item.reason)
                    items.append(item)
                elif item is not None and item.published_at >= since:
                    items.append(item)
            cursor = page.cursor
            if not page.feed or cursor is None or (oldest is not None and oldest < since):
                break
        if profile.followers_count is not None:
            items.append(
                FollowerRecord(
                    Platform.BLUESKY, account.handle, captured_at, profile.followers_count
                )
            )
        return items

    async def check(self) -> str:
        """The AppView's own health route (it pings its data plane; 503 when that is down).

        ``/xrpc/_health`` is not a lexicon method but the bsky AppView and PDS both serve it
        (``{"version": ...}``); it needs no account, so ``winsbot sources check`` works before
        any Bluesky account is configured.
        """
        body, _ = await self.http.get_json("/xrpc/_health")
        try:
            health = Health.model_validate(body)
        except ValidationError as exc:
            raise SourceError(
                f"bluesky: /xrpc/_health did not answer a version ({describe(exc)}): {body!r:.80}"
            ) from None
        return f"{self.http.client.base_url.host} (Bluesky AppView {health.version})"

    async def _profile(self, actor: str) -> Profile:
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
        try:
            return Profile.model_validate(body)
        except ValidationError as exc:
            raise SourceError(
                f"bluesky: no profile for {actor!r} ({describe(exc)}): {body!r:.80}"
            ) from None


def _post(
    raw: Any, ref: FeedItemRef | None, own: set[str], captured_at: datetime, handle: str
) -> SnapshotRecord | RowProblem | None:
    """One own post as a snapshot; None for a repost or someone else's post.

    Both are recognised from ``ref`` before the post is validated in full, so a feed that is
    mostly reposts of other people's posts is never judged on their shape. (Whenever the full
    validation succeeds, ``ref`` has read the same author, so the post is ours.)
    """
    if ref is not None and ref.post is not None:
        if ref.reason is not None and ref.reason.kind == REPOST:
            return None
        if ref.post.author is not None and not _is_own(ref.post.author, own):
            return None
    uri = ref.post.uri if ref is not None and ref.post is not None else None
    try:
        return _snapshot(FeedViewPost.model_validate(raw).post, captured_at, handle)
    except ValidationError as exc:
        return RowProblem(line=0, reason=f"bluesky post {uri or '?'}: {describe(exc)}")
    except ValueError as exc:
        return RowProblem(line=0, reason=f"bluesky post {uri or '?'}: {exc}")


def _is_own(author: AuthorRef, own: set[str]) -> bool:
    return author.did in own or str(author.handle).lower() in own


def _snapshot(post: PostView, captured_at: datetime, handle: str) -> SnapshotRecord:
    profile_name = post.author.handle or post.repo
    if profile_name == "handle.invalid":  # the AppView's placeholder for a broken handle
        profile_name = post.repo
    return SnapshotRecord(
        platform=Platform.BLUESKY,
        account=handle,
        post_id=post.uri,
        published_at=_published(post),
        metrics=Metrics(
            likes=post.like_count,
            shares=post.repost_count,
            comments=post.reply_count,
            quotes=post.quote_count,
            saves=post.bookmark_count,  # AppViews from 2025 on
        ),
        url=f"https://bsky.app/profile/{profile_name}/post/{post.rkey}",
        text=post.record.text,
        captured_at=captured_at,
    )


def _published(post: PostView) -> datetime:
    """The author's createdAt; the AppView's indexedAt when a client left it out."""
    published = post.record.created_at or post.indexed_at
    if published is None:
        raise ValueError("createdAt: expected a timestamp, got None")
    return published

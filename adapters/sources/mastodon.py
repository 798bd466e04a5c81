"""Mastodon: an account's own public statuses and follower count, from the REST API.

Public accounts need no token (the timeline and account endpoints are public on most
instances); a token only matters for instances in limited-federation mode or for
followers-only posts. The timeline is read newest first and paged with the ``Link`` header
(``rel="next"`` carries ``max_id``), stopping once a page reaches back past ``since``, so a
poll every half hour usually costs one page.
"""

from __future__ import annotations

import logging
from datetime import datetime
from html.parser import HTMLParser
from typing import Any

import httpx
from pydantic import ValidationError

from adapters.sources.base import HttpSource
from adapters.sources.http import SourceHttp
from adapters.sources.mastodon_models import (
    Account,
    Application,
    Instance,
    Status,
    StatusRef,
)
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

log = logging.getLogger("winsbot.sources.mastodon")


class MastodonSource(HttpSource):
    """Reads one Mastodon instance (``MASTODON_BASE_URL``) for every configured account on it."""

    platform = Platform.MASTODON

    PAGE_SIZES = (1, 40)  # the API documents 40 as the most statuses per page
    PAGE_SIZE = 40
    MAX_PAGES = 20

    @classmethod
    def from_settings(cls, settings: Settings) -> MastodonSource:
        headers = {}
        if settings.mastodon_token is not None:
            headers["Authorization"] = f"Bearer {settings.mastodon_token.get_secret_value()}"
        return cls(
            SourceHttp(name="mastodon", base_url=settings.mastodon_base_url, headers=headers)
        )

    async def fetch(self, account: SourceAccount, since: datetime) -> list[SourceItem]:
        captured_at = self.now()
        profile = await self._account(account)
        items: list[SourceItem] = []
        url: str | None = f"/api/v1/accounts/{profile.id}/statuses"
        params: dict[str, Any] | None = {
            "exclude_reblogs": "true",
            "exclude_replies": "true",
            "limit": self.page_size,
        }
        for _ in range(self.max_pages):
            assert url is not None
            body, response = await self.http.get_json(url, params=params)
            if not isinstance(body, list):
                raise SourceError(
                    f"mastodon: expected a list of statuses from {url}, got {body!r:.80}"
                )
            oldest: datetime | None = None
            for raw in body:
                item = _status(raw, account.handle, captured_at)
                if isinstance(item, RowProblem):
                    log.info("%s", item.reason)
                    items.append(item)
                elif item is not None:
                    oldest = item.published_at if oldest is None else min(oldest, item.published_at)
                    if item.published_at >= since:
                        items.append(item)
            if not body or (oldest is not None and oldest < since):
                break
            url, params = self._next_page(response), None
            if url is None:
                break
        if profile.followers_count is not None:
            items.append(
                FollowerRecord(
                    Platform.MASTODON, account.handle, captured_at, profile.followers_count
                )
            )
        return items

    async def check(self) -> str:
        """The instance's name and version; with a token, also prove the instance accepts it."""
        body, _ = await self.http.get_json("/api/v1/instance")
        try:
            instance = Instance.model_validate(body)
        except ValidationError as exc:
            raise SourceError(
                f"mastodon: /api/v1/instance did not answer an instance ({describe(exc)}): "
                f"{body!r:.80}"
            ) from None
        name = instance.uri or self.http.client.base_url.host
        description = f"{name} (Mastodon {instance.version or '?'})"
        if "authorization" in self.http.client.headers:
            body, _ = await self.http.get_json("/api/v1/apps/verify_credentials")
            try:
                app_name = Application.model_validate(body).name
            except ValidationError:
                app_name = None  # the token was accepted; the app's name is a nicety
            description += f", token accepted (app {app_name!r})"
        return description

    async def _account(self, account: SourceAccount) -> Account:
        """The account entity: it carries the follower count, and resolves a handle to an id."""
        try:
            if account.id is not None:
                body, _ = await self.http.get_json(f"/api/v1/accounts/{account.id}")
            else:
                acct = account.handle.lstrip("@")
                body, _ = await self.http.get_json("/api/v1/accounts/lookup", params={"acct": acct})
        except SourceError as exc:
            if exc.status != 404:  # only "Record not found" means a wrong handle
                raise
            raise SourceError(
                f"{exc}; is {account.id or account.handle!r} right? Give user (on this "
                "instance) or user@instance.domain, or the numeric account id"
            ) from exc
        try:
            return Account.model_validate(body)
        except ValidationError as exc:
            raise SourceError(
                f"mastodon: no account entity for {account.handle!r} ({describe(exc)}): "
                f"{body!r:.80}"
            ) from None

    def _next_page(self, response: httpx.Response) -> str | None:
        """The ``rel="next"`` URL, kept on our own host so the token never goes elsewhere.

        An instance behind a proxy may advertise its public host; asking ours for the same
        path and query reads the same page.
        """
        link = response.links.get("next", {}).get("url")
        if not link:
            return None
        url = httpx.URL(link)
        base = self.http.client.base_url
        if (url.scheme, url.host, url.port) != (base.scheme, base.host, base.port):
            log.info("mastodon: next page link points at %s; asking %s", url.host, base.host)
            url = url.copy_with(scheme=base.scheme, host=base.host, port=base.port)
        return str(url)


def _status(raw: Any, handle: str, captured_at: datetime) -> SnapshotRecord | RowProblem | None:
    """One status as a snapshot; None for a boost (defence in depth: we ask without them)."""
    try:
        ref: StatusRef | None = StatusRef.model_validate(raw)
    except ValidationError:
        ref = None  # not even an object: the full validation below says why
    if ref is not None and ref.reblog is not None:
        return None
    try:
        status = Status.model_validate(raw)
    except ValidationError as exc:
        status_id = ref.id if ref is not None else None
        return RowProblem(line=0, reason=f"mastodon status {status_id or '?'}: {describe(exc)}")
    return SnapshotRecord(
        platform=Platform.MASTODON,
        account=handle,
        post_id=status.id,
        published_at=status.created_at,
        metrics=Metrics(
            likes=status.favourites_count,
            comments=status.replies_count,
            shares=status.reblogs_count,
            quotes=status.quotes_count,  # Mastodon 4.5+; None before
        ),
        url=status.url or status.uri,
        text=html_to_text(status.content),
        captured_at=captured_at,
    )


class _PlainText(HTMLParser):
    """Mastodon's sanitised status HTML as plain text: paragraphs and line breaks kept."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)  # unescapes &amp; &#39; ... in data
        self.parts: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "br":
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag == "p":
            self.parts.append("\n\n")

    def handle_data(self, data: str) -> None:
        # Link text split into "invisible" and "ellipsis" spans is kept whole: the full URL.
        self.parts.append(data)


def html_to_text(html: str) -> str:
    parser = _PlainText()
    parser.feed(html)
    parser.close()
    return "".join(parser.parts).strip()

"""LinkedIn organisation pages: posts, their lifetime statistics and the follower count.

Three documented, versioned endpoints (``LinkedIn-Version: YYYYMM``, Rest.li 2.0):

- ``GET /rest/posts?author=<org urn>&q=author&sortBy=CREATED&count=&start=`` lists the
  organisation's posts newest first (``elements``, ``paging.links`` rel=next); paging stops at
  ``since``, at the last page or after ``max_pages``.
- ``GET /rest/organizationalEntityShareStatistics?q=organizationalEntity&organizationalEntity=
  <org urn>&shares=List(...)&ugcPosts=List(...)`` answers one element per post it has figures
  for, keyed by ``share`` or ``ugcPost``, with ``totalShareStatistics`` (impressionCount,
  uniqueImpressionsCount, clickCount, likeCount, commentCount, shareCount, engagement). A post
  missing from the answer has had no organic activity LinkedIn counts (or is older than the
  endpoint's 12-month window): its counts are recorded as zeros.
- ``GET /rest/networkSizes/<org urn>?edgeType=COMPANY_FOLLOWED_BY_MEMBER`` -> ``firstDegreeSize``
  (members following the page; the edge type the docs and every client we found use).

Rest.li 2.0 needs ``List(...)`` with literal parentheses and commas and each URN percent-
encoded inside it, so these query strings are built here rather than by httpx, which would
encode the parentheses.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any
from urllib.parse import quote

from adapters.sources.http import SourceHttp, count
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

log = logging.getLogger("winsbot.sources.linkedin")

ORG_PREFIX = "urn:li:organization:"
FOLLOWER_EDGE = "COMPANY_FOLLOWED_BY_MEMBER"
# totalShareStatistics field -> Metrics field
STATISTICS = {
    "impressionCount": "impressions",
    "uniqueImpressionsCount": "reach",
    "likeCount": "likes",
    "commentCount": "comments",
    "shareCount": "shares",
    "clickCount": "clicks",
}
STATISTICS_PARAM = {"urn:li:share:": "shares", "urn:li:ugcPost:": "ugcPosts"}


def _urn(text: str) -> str:
    return quote(text, safe="")


def _restli_list(urns: list[str]) -> str:
    return "List(" + ",".join(_urn(u) for u in urns) + ")"


def _published(raw: dict[str, Any]) -> datetime:
    millis = raw.get("publishedAt", raw.get("createdAt"))
    if not isinstance(millis, int) or isinstance(millis, bool):
        raise ValueError(f"expected publishedAt in epoch milliseconds, got {millis!r}")
    return datetime.fromtimestamp(millis / 1000, UTC)


class LinkedInSource:
    """An organisation page (``account.id`` = its numeric organization id) via the REST API."""

    platform = Platform.LINKEDIN

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
        self.page_size = min(page_size, 100)  # the Posts finder's documented maximum
        self.max_pages = max_pages
        self._missing_token: str | None = None

    @classmethod
    def from_settings(cls, settings: Settings) -> LinkedInSource:
        headers = {
            "LinkedIn-Version": settings.linkedin_version,
            "X-Restli-Protocol-Version": "2.0.0",
        }
        if settings.linkedin_token is not None:
            headers["Authorization"] = f"Bearer {settings.linkedin_token.get_secret_value()}"
        source = cls(
            SourceHttp(name="linkedin", base_url=settings.linkedin_base_url, headers=headers)
        )
        if settings.linkedin_token is None:
            source._missing_token = "LINKEDIN_TOKEN"
        return source

    async def fetch(self, account: SourceAccount, since: datetime) -> list[SourceItem]:
        self._require_token()
        captured_at = self.now()
        org = self._organization(account)
        records: list[SnapshotRecord] = []
        problems: list[SourceItem] = []
        start = 0
        for _ in range(self.max_pages):
            body, _ = await self.http.get_json(
                f"/rest/posts?author={_urn(org)}&q=author&sortBy=CREATED"
                f"&count={self.page_size}&start={start}"
            )
            elements = body.get("elements") if isinstance(body, dict) else None
            if not isinstance(elements, list):
                raise SourceError("linkedin: no elements list in the answer for /rest/posts")
            page: list[SnapshotRecord] = []
            reached_since = False
            for raw in elements:
                try:
                    record = self._parse(raw, account.handle, captured_at)
                except (ValueError, TypeError) as exc:
                    post_id = raw.get("id", "?") if isinstance(raw, dict) else "?"
                    problems.append(self._problem(post_id, str(exc)))
                    continue
                if record is None:
                    continue  # a draft or a post still being processed
                if record.published_at < since:
                    reached_since = True  # newest first: the rest is older
                    break
                page.append(record)
            problems.extend(await self._add_statistics(org, page))
            records.extend(page)
            if reached_since or not _has_next(body, start, len(elements), self.page_size):
                break
            start += len(elements)
        items: list[SourceItem] = [*records, *problems]
        followers = await self._followers(org)
        if followers is not None:
            items.append(FollowerRecord(self.platform, account.handle, captured_at, followers))
        return items

    def _require_token(self) -> None:
        if self._missing_token is not None:
            raise SourceAuthError(
                f"linkedin: no access token configured; set {self._missing_token}"
            )

    @staticmethod
    def _organization(account: SourceAccount) -> str:
        ident = (account.id or account.handle).strip()
        if ident.startswith(ORG_PREFIX):
            return ident
        if not ident.isdigit():
            raise SourceError(
                f"linkedin: account {account.handle!r} needs its numeric organization id: "
                'add id = "<id>" (the number in the page admin URL) to its [[accounts]] entry'
            )
        return f"{ORG_PREFIX}{ident}"

    def _problem(self, post_id: str, what: str) -> RowProblem:
        reason = f"linkedin post {post_id}: {what}"
        log.warning("%s", reason)
        return RowProblem(line=0, reason=reason)

    def _parse(self, raw: Any, handle: str, captured_at: datetime) -> SnapshotRecord | None:
        if not isinstance(raw, dict):
            raise TypeError(f"expected an object, got {type(raw).__name__}")
        post_id = raw.get("id")
        if not isinstance(post_id, str) or not post_id.startswith("urn:li:"):
            raise ValueError(f"expected a post URN as id, got {post_id!r}")
        if raw.get("lifecycleState", "PUBLISHED") != "PUBLISHED":
            return None
        commentary = raw.get("commentary")
        return SnapshotRecord(
            platform=self.platform,
            account=handle,
            post_id=post_id,
            published_at=_published(raw),
            metrics=Metrics(),
            url=f"https://www.linkedin.com/feed/update/{post_id}/",
            text=commentary if isinstance(commentary, str) else None,
            captured_at=captured_at,
        )

    async def _add_statistics(self, org: str, page: list[SnapshotRecord]) -> list[RowProblem]:
        """Fill each post's counts from one statistics call; absent posts count as zero."""
        lists: dict[str, list[str]] = {}
        for record in page:
            for prefix, param in STATISTICS_PARAM.items():
                if record.post_id.startswith(prefix):
                    lists.setdefault(param, []).append(record.post_id)
        if not lists:
            return []
        url = (
            "/rest/organizationalEntityShareStatistics?q=organizationalEntity"
            f"&organizationalEntity={_urn(org)}"
        )
        for param, urns in lists.items():
            url += f"&{param}={_restli_list(urns)}"
        body, _ = await self.http.get_json(url)
        elements = body.get("elements") if isinstance(body, dict) else None
        if not isinstance(elements, list):
            raise SourceError("linkedin: no elements list in the share statistics answer")
        totals: dict[str, Any] = {}
        for element in elements:
            if isinstance(element, dict):
                key = element.get("share") or element.get("ugcPost")
                if isinstance(key, str):
                    totals[key] = element.get("totalShareStatistics")
        problems: list[RowProblem] = []
        for record in page:
            if not any(record.post_id in urns for urns in lists.values()):
                continue  # not a kind the statistics endpoint takes: counts unknown
            stats = totals.get(record.post_id) or {}
            try:
                if not isinstance(stats, dict):
                    raise TypeError(f"expected totalShareStatistics object, got {stats!r}")
                for name, field in STATISTICS.items():
                    setattr(record.metrics, field, count(stats.get(name)) or 0)
            except (ValueError, TypeError) as exc:
                record.metrics = Metrics()
                problems.append(self._problem(record.post_id, f"statistics: {exc}"))
        return problems

    async def _followers(self, org: str) -> int | None:
        body, _ = await self.http.get_json(
            f"/rest/networkSizes/{_urn(org)}?edgeType={FOLLOWER_EDGE}"
        )
        try:
            return count(body.get("firstDegreeSize")) if isinstance(body, dict) else None
        except ValueError:
            log.warning("linkedin: firstDegreeSize of %s is not a count", org)
            return None

    async def check(self) -> str:
        self._require_token()
        body, _ = await self.http.get_json(
            "/rest/organizationAcls?q=roleAssignee&role=ADMINISTRATOR&state=APPROVED"
        )
        elements = body.get("elements") if isinstance(body, dict) else None
        if not isinstance(elements, list):
            raise SourceError("linkedin: no elements list in the organizationAcls answer")
        version = self.http.client.headers.get("LinkedIn-Version", "?")
        return f"LinkedIn API {version}: this token administers {len(elements)} organization(s)"

    async def close(self) -> None:
        await self.http.close()


def _has_next(body: dict[str, Any], start: int, received: int, asked: int) -> bool:
    """A rel=next link says so; else ``total`` if LinkedIn sent it; else a full page."""
    paging = body.get("paging")
    if not isinstance(paging, dict):
        return received > 0 and received >= asked
    links = paging.get("links")
    links = links if isinstance(links, list) else []
    if any(isinstance(link, dict) and link.get("rel") == "next" for link in links):
        return True
    total = paging.get("total")
    if isinstance(total, int):
        return start + received < total
    return received > 0 and received >= asked

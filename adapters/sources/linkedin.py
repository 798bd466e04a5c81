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
from datetime import datetime
from urllib.parse import quote

from pydantic import ValidationError

from adapters.sources.base import HttpSource
from adapters.sources.http import SourceHttp
from adapters.sources.linkedin_models import (
    Collection,
    NetworkSize,
    Post,
    ShareStatistics,
    TotalShareStatistics,
    describe,
)
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
from bot.ports import SourceAuthError, SourceError

log = logging.getLogger("winsbot.sources.linkedin")

ORG_PREFIX = "urn:li:organization:"
FOLLOWER_EDGE = "COMPANY_FOLLOWED_BY_MEMBER"
STATISTICS_PARAM = {"urn:li:share:": "shares", "urn:li:ugcPost:": "ugcPosts"}


def _urn(text: str) -> str:
    return quote(text, safe="")


def _restli_list(urns: list[str]) -> str:
    return "List(" + ",".join(_urn(u) for u in urns) + ")"


class LinkedInSource(HttpSource):
    """An organisation page (``account.id`` = its numeric organization id) via the REST API."""

    platform = Platform.LINKEDIN

    PAGE_SIZES = (1, 100)  # the Posts finder's documented maximum is 100
    PAGE_SIZE = 25
    MAX_PAGES = 10
    _missing_token: str | None = None  # set by from_settings when LINKEDIN_TOKEN is unset

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
            answer = _collection(body, "/rest/posts")
            page: list[SnapshotRecord] = []
            reached_since = False
            for raw in answer.elements:
                try:
                    record = self._parse(raw, account.handle, captured_at)
                except ValidationError as exc:
                    post_id = raw.get("id", "?") if isinstance(raw, dict) else "?"
                    problems.append(self._problem(post_id, describe(exc)))
                    continue
                if record is None:
                    continue  # a draft or a post still being processed
                if record.published_at < since:
                    reached_since = True  # newest first: the rest is older
                    break
                page.append(record)
            problems.extend(await self._add_statistics(org, page))
            records.extend(page)
            received = len(answer.elements)
            if reached_since or not _has_next(answer, start, received, self.page_size):
                break
            start += received
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

    def _parse(self, raw: object, handle: str, captured_at: datetime) -> SnapshotRecord | None:
        """The post as a record, None for a draft; pydantic.ValidationError when malformed."""
        post = Post.model_validate(raw)
        if not post.published or post.time is None:
            return None
        return SnapshotRecord(
            platform=self.platform,
            account=handle,
            post_id=post.id,
            published_at=post.time,
            metrics=Metrics(),
            url=f"https://www.linkedin.com/feed/update/{post.id}/",
            text=post.commentary,
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
        totals: dict[str, dict[str, object] | None] = {}
        for raw in _collection(body, "/rest/organizationalEntityShareStatistics").elements:
            try:
                element = ShareStatistics.model_validate(raw)
            except ValidationError as exc:
                log.warning("linkedin: skipped a share statistics element: %s", describe(exc))
                continue
            if element.post is not None:
                totals[element.post] = element.total_share_statistics
        problems: list[RowProblem] = []
        for record in page:
            if not any(record.post_id in urns for urns in lists.values()):
                continue  # not a kind the statistics endpoint takes: counts unknown
            try:
                stats = TotalShareStatistics.model_validate(totals.get(record.post_id) or {})
            except ValidationError as exc:
                problems.append(self._problem(record.post_id, f"statistics: {describe(exc)}"))
                continue
            record.metrics = stats.metrics()
        return problems

    async def _followers(self, org: str) -> int | None:
        body, _ = await self.http.get_json(
            f"/rest/networkSizes/{_urn(org)}?edgeType={FOLLOWER_EDGE}"
        )
        try:
            return NetworkSize.model_validate(body).first_degree_size
        except ValidationError as exc:
            log.warning("linkedin: no follower count for %s: %s", org, describe(exc))
            return None

    async def check(self) -> str:
        self._require_token()
        body, _ = await self.http.get_json(
            "/rest/organizationAcls?q=roleAssignee&role=ADMINISTRATOR&state=APPROVED"
        )
        elements = _collection(body, "/rest/organizationAcls").elements
        version = self.http.client.headers.get("LinkedIn-Version", "?")
        return f"LinkedIn API {version}: this token administers {len(elements)} organization(s)"


def _collection(body: object, endpoint: str) -> Collection:
    """The Rest.li collection envelope of an answer; a malformed one is a SourceError."""
    try:
        return Collection.model_validate(body)
    except ValidationError as exc:
        raise SourceError(f"linkedin: unexpected answer from {endpoint}: {describe(exc)}") from exc


def _has_next(answer: Collection, start: int, received: int, asked: int) -> bool:
    """A rel=next link says so; else ``total`` if LinkedIn sent it; else a full page."""
    paging = answer.paging
    if paging is not None and paging.has_next_link:
        return True
    if paging is not None and paging.total is not None:
        return start + received < paging.total
    return received > 0 and received >= asked

"""LinkedInSource against a fake LinkedIn REST API (synthetic bodies: no recording exists)."""

from __future__ import annotations

from collections.abc import AsyncIterator, Sequence
from datetime import UTC, datetime
from pathlib import Path

import httpx
import pytest

from adapters.sources.http import SourceHttp
from adapters.sources.linkedin import LinkedInSource
from bot.config import Settings
from bot.domain.models import (
    FollowerRecord,
    Metrics,
    Platform,
    RowProblem,
    SnapshotRecord,
    SourceAccount,
)
from bot.ports import SourceAuthError, SourceError
from tests.fakes.social.linkedin import ORG_ID, ORG_URN, TOKEN, FakeLinkedInApi, stats

NOW = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)
VERSION = "202510"
HEADERS = {
    "Authorization": f"Bearer {TOKEN}",
    "LinkedIn-Version": VERSION,
    "X-Restli-Protocol-Version": "2.0.0",
}
SHARE_NEW = "urn:li:share:7262000000000000005"
UGC_NEW = "urn:li:ugcPost:7262000000000000004"
DRAFT = "urn:li:share:7262000000000000003"
SHARE_QUIET = "urn:li:share:7262000000000000002"
UGC_OLD = "urn:li:ugcPost:7262000000000000001"
ACCOUNT = SourceAccount(platform=Platform.LINKEDIN, handle="Acme Corp", id=ORG_ID)


def day(d: int, month: int = 11) -> datetime:
    return datetime(2026, month, d, 9, 30, tzinfo=UTC)


@pytest.fixture
async def linkedin() -> AsyncIterator[FakeLinkedInApi]:
    async with FakeLinkedInApi() as fake:
        fake.add_post(
            SHARE_NEW, day(20), commentary="We won!", stats=stats(5000, 3800, 120, 210, 14, 9)
        )
        fake.add_post(UGC_NEW, day(18), commentary="Video", stats=stats(900, 700, 30, 40, 2, 1))
        fake.add_post(DRAFT, day(15), lifecycle="DRAFT")
        fake.add_post(SHARE_QUIET, day(10), commentary="Nobody noticed")  # no statistics
        fake.add_post(UGC_OLD, day(1, month=10), stats=stats(10, 8, 0, 1, 0, 0))
        yield fake


class Sleeps(list[float]):
    async def __call__(self, seconds: float) -> None:
        self.append(seconds)


def source(
    fake: FakeLinkedInApi,
    sleeps: Sleeps | None = None,
    *,
    headers: dict[str, str] = HEADERS,
    timeout: float = 5.0,
    page_size: int = 2,
) -> LinkedInSource:
    client = httpx.AsyncClient(
        base_url=fake.base_url, headers=headers, timeout=httpx.Timeout(timeout)
    )
    http = SourceHttp(
        "linkedin", fake.base_url, client=client, sleep=sleeps if sleeps is not None else Sleeps()
    )
    return LinkedInSource(http, now=lambda: NOW, page_size=page_size)


def records(items: Sequence[object]) -> dict[str, SnapshotRecord]:
    return {item.post_id: item for item in items if isinstance(item, SnapshotRecord)}


async def test_linkedin_reads_posts_statistics_and_followers(linkedin: FakeLinkedInApi) -> None:
    li = source(linkedin)
    items = await li.fetch(ACCOUNT, day(1))
    await li.close()

    posts = records(items)
    assert list(posts) == [SHARE_NEW, UGC_NEW, SHARE_QUIET]  # the draft is not a post yet
    new = posts[SHARE_NEW]
    assert new.published_at == day(20) and new.captured_at == NOW
    assert new.account == "Acme Corp" and new.text == "We won!"
    assert new.url == f"https://www.linkedin.com/feed/update/{SHARE_NEW}/"
    assert new.metrics == Metrics(
        impressions=5000, reach=3800, likes=210, comments=14, shares=9, clicks=120
    )
    assert posts[UGC_NEW].metrics.impressions == 900
    assert items[-1] == FollowerRecord(Platform.LINKEDIN, "Acme Corp", NOW, 48_213)

    pages = linkedin.requests_to("/rest/posts")
    assert [r.query["start"] for r in pages] == ["0", "2", "4"]
    assert all(r.query["author"] == ORG_URN and r.query["count"] == "2" for r in pages)
    first_stats = linkedin.requests_to("/rest/organizationalEntityShareStatistics")[0]
    # Rest.li 2.0: literal List(...), each URN encoded inside it.
    assert "shares=List(urn%3Ali%3Ashare%3A7262000000000000005)" in first_stats.raw_query
    assert "ugcPosts=List(urn%3Ali%3AugcPost%3A7262000000000000004)" in first_stats.raw_query
    followers = linkedin.requests_to("/rest/networkSizes/")
    assert followers[0].path == f"/rest/networkSizes/{ORG_URN}"
    assert followers[0].query["edgeType"] == "COMPANY_FOLLOWED_BY_MEMBER"


async def test_posts_missing_from_the_statistics_count_as_zero(linkedin: FakeLinkedInApi) -> None:
    li = source(linkedin)
    quiet = records(await li.fetch(ACCOUNT, day(1)))[SHARE_QUIET]
    await li.close()

    assert quiet.metrics == Metrics(impressions=0, reach=0, likes=0, comments=0, shares=0, clicks=0)
    asked = linkedin.requests_to("/rest/organizationalEntityShareStatistics")[1]
    assert asked.query["shares"] == f"List({SHARE_QUIET})"  # it was asked for, not skipped
    assert "ugcPosts" not in asked.query


async def test_second_fetch_reads_only_the_first_page(linkedin: FakeLinkedInApi) -> None:
    li = source(linkedin)
    items = await li.fetch(ACCOUNT, day(19))
    await li.close()
    assert list(records(items)) == [SHARE_NEW]
    assert len(linkedin.requests_to("/rest/posts")) == 1


async def test_from_settings_sends_the_token_and_linkedin_headers(
    linkedin: FakeLinkedInApi, tmp_path: Path
) -> None:
    settings = Settings(
        output_dir=tmp_path,
        LINKEDIN_BASE_URL=linkedin.base_url,
        LINKEDIN_TOKEN=TOKEN,
        LINKEDIN_VERSION="202601",
    )
    li = LinkedInSource.from_settings(settings)
    await li.fetch(ACCOUNT, day(1))
    assert await li.check() == "LinkedIn API 202601: this token administers 1 organization(s)"
    await li.close()

    assert len(linkedin.requests) == 4  # posts, statistics, followers, check
    for request in linkedin.requests:
        assert request.headers["LinkedIn-Version"] == "202601"
        assert request.headers["X-Restli-Protocol-Version"] == "2.0.0"
        assert request.headers["Authorization"] == f"Bearer {TOKEN}"


async def test_missing_or_inactive_version_is_refused_like_linkedin(
    linkedin: FakeLinkedInApi,
) -> None:
    unversioned = source(linkedin, headers={"Authorization": f"Bearer {TOKEN}"})
    with pytest.raises(SourceError, match=r"HTTP 400 .*A version must be present"):
        await unversioned.fetch(ACCOUNT, day(1))
    await unversioned.close()
    stale = source(linkedin, headers={**HEADERS, "LinkedIn-Version": "202001"})
    with pytest.raises(SourceError, match=r"HTTP 426 .*202001 is not active"):
        await stale.fetch(ACCOUNT, day(1))
    await stale.close()


async def test_missing_token_names_the_setting(linkedin: FakeLinkedInApi, tmp_path: Path) -> None:
    settings = Settings(output_dir=tmp_path, LINKEDIN_BASE_URL=linkedin.base_url)
    li = LinkedInSource.from_settings(settings.model_copy(update={"linkedin_token": None}))
    with pytest.raises(SourceAuthError, match="set LINKEDIN_TOKEN"):
        await li.fetch(ACCOUNT, day(1))
    with pytest.raises(SourceAuthError, match="set LINKEDIN_TOKEN"):
        await li.check()
    await li.close()
    assert linkedin.requests == []


async def test_revoked_token_is_an_auth_error(linkedin: FakeLinkedInApi) -> None:
    linkedin.expired_token()
    li = source(linkedin)
    with pytest.raises(SourceAuthError, match="revoked by the user"):
        await li.fetch(ACCOUNT, day(1))
    await li.close()


@pytest.mark.parametrize("status", [500, 429])
async def test_server_error_or_throttle_then_success(
    linkedin: FakeLinkedInApi, status: int
) -> None:
    linkedin.fail_next(status)
    sleeps = Sleeps()
    li = source(linkedin, sleeps)
    items = await li.fetch(ACCOUNT, day(19))
    await li.close()
    assert list(records(items)) == [SHARE_NEW] and len(sleeps) == 1


async def test_timeout_then_success(linkedin: FakeLinkedInApi) -> None:
    linkedin.delay_next(1.0)
    sleeps = Sleeps()
    li = source(linkedin, sleeps, timeout=0.2)
    items = await li.fetch(ACCOUNT, day(19))
    await li.close()
    assert list(records(items)) == [SHARE_NEW] and len(sleeps) == 1


async def test_truncated_json_is_a_source_error(linkedin: FakeLinkedInApi) -> None:
    linkedin.truncate_next()
    li = source(linkedin)
    with pytest.raises(SourceError, match="not JSON"):
        await li.fetch(ACCOUNT, day(1))
    await li.close()


async def test_malformed_posts_and_statistics_become_row_problems(
    linkedin: FakeLinkedInApi,
) -> None:
    org = "urn:li:organization:555"
    linkedin.followers[org] = 10
    good = linkedin.add_post("urn:li:share:1", day(20), author=org, stats=stats(1, 1, 0, 1, 0, 0))
    linkedin.add_post("urn:li:share:2", day(19), author=org)["publishedAt"] = "yesterday"
    linkedin.add_post("urn:li:share:3", day(18), author=org)["id"] = None
    linkedin.add_post("urn:li:share:4", day(17), author=org, stats={"likeCount": "many"})
    li = source(linkedin, page_size=10)
    items = await li.fetch(SourceAccount(platform=Platform.LINKEDIN, handle="x", id=org), day(1))
    await li.close()

    assert list(records(items)) == [good["id"], "urn:li:share:4"]
    assert records(items)["urn:li:share:4"].metrics == Metrics()  # unreadable, not zero
    problems = [i.reason for i in items if isinstance(i, RowProblem)]
    assert problems[0].startswith("linkedin post urn:li:share:2: expected publishedAt")
    assert problems[1] == "linkedin post None: expected a post URN as id, got None"
    assert problems[2] == "linkedin post urn:li:share:4: statistics: expected a count, got 'many'"


async def test_account_without_an_organization_id_is_explained(
    linkedin: FakeLinkedInApi,
) -> None:
    li = source(linkedin)
    with pytest.raises(SourceError, match=r"add id = \"<id>\""):
        await li.fetch(SourceAccount(platform=Platform.LINKEDIN, handle="acme-corp"), day(1))
    await li.close()
    assert linkedin.requests == []

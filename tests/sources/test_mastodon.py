"""MastodonSource against a fake instance serving the recorded timeline through real HTTP."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest
from pydantic import SecretStr

from adapters.sources.http import SourceHttp
from adapters.sources.mastodon import MastodonSource
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
from tests.fakes.social.mastodon import FakeMastodon

NOW = datetime(2026, 8, 2, 9, 0, tzinfo=UTC)
ACCOUNT = SourceAccount(platform=Platform.MASTODON, handle="mastodonpy_test")
ACCOUNT_ID = "117020565966271181"
STATUSES = f"/api/v1/accounts/{ACCOUNT_ID}/statuses"
FIXTURE_IDS = [
    "117020580518794573",
    "117020580511453871",
    "117020580503743669",
    "117020580496489811",
    "117020580489281910",
]
BEFORE_FIXTURE = datetime(2026, 8, 1, tzinfo=UTC)


class Sleeps(list[float]):
    """An injected sleep that records how long the client was told to wait."""

    async def __call__(self, seconds: float) -> None:
        self.append(seconds)


MakeSource = Callable[..., MastodonSource]


@pytest.fixture
async def mastodon() -> AsyncIterator[FakeMastodon]:
    async with FakeMastodon() as fake:
        yield fake


@pytest.fixture
def sleeps() -> Sleeps:
    return Sleeps()


@pytest.fixture
async def make_source(mastodon: FakeMastodon, sleeps: Sleeps) -> AsyncIterator[MakeSource]:
    made: list[MastodonSource] = []

    def make(client: httpx.AsyncClient | None = None, **options: Any) -> MastodonSource:
        http = SourceHttp("mastodon", mastodon.url, client=client, sleep=sleeps)
        made.append(MastodonSource(http, now=lambda: NOW, **options))
        return made[-1]

    yield make
    for source in made:
        await source.close()


def status(status_id: int, created_at: datetime | None, **fields: Any) -> dict[str, Any]:
    """A synthetic status with the documented Status entity's field names."""
    return {
        "id": str(status_id),
        "created_at": created_at.isoformat().replace("+00:00", "Z") if created_at else None,
        "in_reply_to_id": None,
        "url": f"https://example.social/@mastodonpy_test/{status_id}",
        "uri": f"https://example.social/users/mastodonpy_test/statuses/{status_id}",
        "content": f"<p>Status {status_id}</p>",
        "replies_count": 1,
        "reblogs_count": 2,
        "favourites_count": 3,
        "quotes_count": 4,
        "reblog": None,
        **fields,
    }


def posts(items: list[SourceItem]) -> list[SnapshotRecord]:
    return [item for item in items if isinstance(item, SnapshotRecord)]


def days_ago(days: float) -> datetime:
    return NOW - timedelta(days=days)


async def test_fixture_timeline_parses_to_exact_snapshots(
    mastodon: FakeMastodon, make_source: MakeSource
) -> None:
    items = await make_source().fetch(ACCOUNT, since=BEFORE_FIXTURE)

    assert [p.post_id for p in posts(items)] == FIXTURE_IDS
    first = posts(items)[0]
    assert first == SnapshotRecord(
        platform=Platform.MASTODON,
        account="mastodonpy_test",
        post_id="117020580518794573",
        published_at=datetime(2026, 8, 1, 13, 52, 34, 108000, tzinfo=UTC),
        metrics=Metrics(likes=0, comments=0, shares=0, quotes=0),
        url="http://localhost:3000/@mastodonpy_test/117020580518794573",
        text="Toot number 9!",
        captured_at=NOW,
    )
    assert [p.text for p in posts(items)] == [f"Toot number {n}!" for n in (9, 8, 7, 6, 5)]
    assert posts(items)[-1].published_at == datetime(2026, 8, 1, 13, 52, 33, 658000, tzinfo=UTC)
    assert items[-1] == FollowerRecord(Platform.MASTODON, "mastodonpy_test", NOW, 0)
    assert not [item for item in items if isinstance(item, RowProblem)]


async def test_handle_is_resolved_and_paging_follows_the_recorded_link(
    mastodon: FakeMastodon, make_source: MakeSource
) -> None:
    await make_source().fetch(ACCOUNT, since=BEFORE_FIXTURE)

    assert [(r.path, r.query) for r in mastodon.requests] == [
        ("/api/v1/accounts/lookup", {"acct": "mastodonpy_test"}),
        (STATUSES, {"exclude_reblogs": "true", "exclude_replies": "true", "limit": "40"}),
        # The recorded Link header's next URL, verbatim but for the host.
        (STATUSES, {"limit": "5", "max_id": "117020580489281910"}),
    ]


async def test_a_known_account_id_skips_the_lookup(
    mastodon: FakeMastodon, make_source: MakeSource
) -> None:
    account = ACCOUNT.model_copy(update={"id": ACCOUNT_ID})
    items = await make_source().fetch(account, since=BEFORE_FIXTURE)

    assert mastodon.requests[0].path == f"/api/v1/accounts/{ACCOUNT_ID}"
    assert len(posts(items)) == 5


async def test_a_second_round_reads_only_the_first_page(
    mastodon: FakeMastodon, make_source: MakeSource
) -> None:
    source = make_source()
    first = await source.fetch(ACCOUNT, since=BEFORE_FIXTURE)
    mastodon.requests.clear()

    again = await source.fetch(ACCOUNT, since=posts(first)[0].published_at)

    assert [p.post_id for p in posts(again)] == [FIXTURE_IDS[0]]
    assert len(mastodon.statuses_requests()) == 1
    assert "max_id" not in mastodon.statuses_requests()[0].query


async def test_a_next_link_to_another_host_is_read_from_ours(
    mastodon: FakeMastodon, make_source: MakeSource
) -> None:
    # Served fully verbatim: the Link still names http://localhost:3000, where nothing listens.
    mastodon.rewrite_link_host = False

    items = await make_source().fetch(ACCOUNT, since=BEFORE_FIXTURE)

    assert len(posts(items)) == 5
    assert mastodon.statuses_requests()[-1].query == {
        "limit": "5",
        "max_id": "117020580489281910",
    }


async def test_paging_stops_at_the_first_page_reaching_past_since(
    mastodon: FakeMastodon, make_source: MakeSource
) -> None:
    mastodon.serve_statuses([status(100 - n, days_ago(n)) for n in range(10)])

    items = await make_source(page_size=3).fetch(ACCOUNT, since=days_ago(4.5))

    assert [p.post_id for p in posts(items)] == ["100", "99", "98", "97", "96"]
    assert [r.query.get("max_id") for r in mastodon.statuses_requests()] == [None, "98"]


async def test_paging_stops_at_max_pages(mastodon: FakeMastodon, make_source: MakeSource) -> None:
    mastodon.serve_statuses([status(100 - n, days_ago(n)) for n in range(10)])

    items = await make_source(page_size=2, max_pages=2).fetch(ACCOUNT, since=days_ago(30))

    assert [p.post_id for p in posts(items)] == ["100", "99", "98", "97"]
    assert len(mastodon.statuses_requests()) == 2


async def test_synthetic_counts_map_to_metrics_and_html_becomes_plain_text(
    mastodon: FakeMastodon, make_source: MakeSource
) -> None:
    content = (
        '<p>Tom &amp; Jerry&#39;s <a href="https://example.org/win" rel="nofollow">'
        '<span class="invisible">https://</span><span class="">example.org/win</span></a></p>'
        "<p>line one<br />line two</p>"
    )
    older = status(1, days_ago(2), content=content)
    del older["quotes_count"]  # before Mastodon 4.5 there is no quotes_count
    mastodon.serve_statuses([status(2, days_ago(1)), older])

    newer, old = posts(await make_source().fetch(ACCOUNT, since=days_ago(3)))

    assert newer.metrics == Metrics(likes=3, comments=1, shares=2, quotes=4)
    assert old.metrics == Metrics(likes=3, comments=1, shares=2, quotes=None)
    assert old.text == "Tom & Jerry's https://example.org/win\n\nline one\nline two"
    assert old.url == "https://example.social/@mastodonpy_test/1"


async def test_boosts_are_skipped_even_if_the_server_sends_them(
    mastodon: FakeMastodon, make_source: MakeSource
) -> None:
    boost = status(3, days_ago(0.5), reblog=status(1, days_ago(9)))
    mastodon.serve_statuses([boost, status(2, days_ago(1))])

    items = await make_source().fetch(ACCOUNT, since=days_ago(3))

    assert [p.post_id for p in posts(items)] == ["2"]


async def test_a_malformed_status_is_a_row_problem_and_the_rest_still_arrive(
    mastodon: FakeMastodon, make_source: MakeSource, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="winsbot.sources")
    broken = status(2, None)
    mastodon.serve_statuses([status(3, days_ago(1)), broken, status(1, days_ago(2))])

    items = await make_source().fetch(ACCOUNT, since=days_ago(3))

    problem = RowProblem(0, "mastodon status 2: created_at: expected a timestamp, got None")
    assert [item for item in items if isinstance(item, RowProblem)] == [problem]
    assert [p.post_id for p in posts(items)] == ["3", "1"]
    assert problem.reason in caplog.text


async def test_429_with_retry_after_is_waited_out(
    mastodon: FakeMastodon, make_source: MakeSource, sleeps: Sleeps
) -> None:
    mastodon.fail_next(status=429, headers={"Retry-After": "3"})

    items = await make_source().fetch(ACCOUNT, since=BEFORE_FIXTURE)

    assert len(posts(items)) == 5
    assert len(sleeps) == 1 and 3.0 <= sleeps[0] <= 3.25  # asked-for wait plus jitter


async def test_429_with_mastodons_iso_reset_time_is_waited_out(
    mastodon: FakeMastodon, make_source: MakeSource, sleeps: Sleeps
) -> None:
    reset = datetime.now(UTC) + timedelta(seconds=30)
    mastodon.fail_next(
        status=429,
        headers={
            "X-RateLimit-Limit": "300",
            "X-RateLimit-Remaining": "0",
            "X-RateLimit-Reset": reset.strftime("%Y-%m-%dT%H:%M:%S.%fZ"),
        },
    )

    items = await make_source().fetch(ACCOUNT, since=BEFORE_FIXTURE)

    assert len(posts(items)) == 5
    assert len(sleeps) == 1 and 28.0 <= sleeps[0] <= 30.25


async def test_a_server_error_is_retried(
    mastodon: FakeMastodon, make_source: MakeSource, sleeps: Sleeps
) -> None:
    mastodon.fail_next(status=500)

    items = await make_source().fetch(ACCOUNT, since=BEFORE_FIXTURE)

    assert len(posts(items)) == 5
    assert len(sleeps) == 1


async def test_a_timeout_is_retried(
    mastodon: FakeMastodon, make_source: MakeSource, sleeps: Sleeps
) -> None:
    mastodon.delay_next(0.6)
    client = httpx.AsyncClient(base_url=mastodon.url, timeout=0.2)

    items = await make_source(client=client).fetch(ACCOUNT, since=BEFORE_FIXTURE)

    assert len(posts(items)) == 5
    assert len(sleeps) == 1
    assert mastodon.requests[0].path == mastodon.requests[1].path == "/api/v1/accounts/lookup"


async def test_truncated_json_is_a_source_error(
    mastodon: FakeMastodon, make_source: MakeSource
) -> None:
    mastodon.truncate_next()

    with pytest.raises(SourceError, match="not JSON"):
        await make_source().fetch(ACCOUNT, since=BEFORE_FIXTURE)


async def test_an_invalid_token_is_an_auth_error(
    mastodon: FakeMastodon, make_source: MakeSource
) -> None:
    mastodon.expired_token()

    with pytest.raises(SourceAuthError, match="The access token is invalid"):
        await make_source().fetch(ACCOUNT, since=BEFORE_FIXTURE)


async def test_an_unknown_handle_is_a_source_error(make_source: MakeSource) -> None:
    account = SourceAccount(platform=Platform.MASTODON, handle="@nobody")

    with pytest.raises(SourceError, match=r"Record not found.*is '@nobody' right"):
        await make_source().fetch(account, since=BEFORE_FIXTURE)


async def test_check_names_the_instance_and_proves_the_token(mastodon: FakeMastodon) -> None:
    settings = Settings(mastodon_base_url=mastodon.url, mastodon_token=SecretStr("t0k3n"))
    source = MastodonSource.from_settings(settings)
    try:
        description = await source.check()
    finally:
        await source.close()

    assert (
        description
        == "localhost:3000 (Mastodon 4.5.0), token accepted (app 'Mastodon.py test suite')"
    )
    assert mastodon.requests[-1].headers["Authorization"] == "Bearer t0k3n"


async def test_check_without_a_token_sends_no_authorization(mastodon: FakeMastodon) -> None:
    source = MastodonSource.from_settings(Settings(mastodon_base_url=mastodon.url))
    try:
        assert await source.check() == "localhost:3000 (Mastodon 4.5.0)"
    finally:
        await source.close()

    assert [r.path for r in mastodon.requests] == ["/api/v1/instance"]
    assert "Authorization" not in mastodon.requests[0].headers


async def test_check_with_an_expired_token_is_an_auth_error(mastodon: FakeMastodon) -> None:
    mastodon.expired_token()
    source = MastodonSource.from_settings(
        Settings(mastodon_base_url=mastodon.url, mastodon_token=SecretStr("old"))
    )
    try:
        with pytest.raises(SourceAuthError):
            await source.check()
    finally:
        await source.close()

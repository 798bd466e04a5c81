"""XSource over real HTTP against a fake X API v2 serving the docs' example tweets verbatim."""

from __future__ import annotations

import time
from collections.abc import AsyncIterator, Callable
from datetime import UTC, datetime, timedelta

import httpx
import pytest

from adapters.sources.http import TIMEOUT, SourceHttp
from adapters.sources.x import XSource
from bot.config import Settings
from bot.domain.models import (
    AccountKind,
    FollowerRecord,
    Metrics,
    Platform,
    RowProblem,
    SnapshotRecord,
    SourceAccount,
)
from bot.ports import SourceAuthError, SourceError
from tests.fakes.social.x import TOKEN, FakeXApi

NOW = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)
WEEK_AGO = NOW - timedelta(days=7)
OURS = SourceAccount(platform=Platform.X, handle="@acme", id="1001", kind=AccountKind.OURS)
PEER = SourceAccount(platform=Platform.X, handle="rival", id="2002", kind=AccountKind.PEER)


class Sleeps(list[float]):
    """An injected sleep that records how long the client wanted to wait, without waiting."""

    async def __call__(self, seconds: float) -> None:
        self.append(seconds)


@pytest.fixture
async def x() -> AsyncIterator[FakeXApi]:
    async with FakeXApi() as fake:
        fake.add_user("1001", "acme", followers=15400)
        fake.add_user("2002", "rival", followers=880)
        yield fake


@pytest.fixture
def sleeps() -> Sleeps:
    return Sleeps()


@pytest.fixture
async def make_source(x: FakeXApi, sleeps: Sleeps) -> AsyncIterator[Callable[..., XSource]]:
    """A factory (tests vary the server, timeout and paging); closes what it made."""
    made: list[XSource] = []

    def make(
        *,
        url: str | None = None,
        timeout: float | None = None,
        page_size: int = 100,
        max_pages: int = 10,
    ) -> XSource:
        client = httpx.AsyncClient(
            base_url=url or x.url,
            headers={"Authorization": f"Bearer {TOKEN}"},
            timeout=timeout or TIMEOUT,
        )
        http = SourceHttp("x", url or x.url, client=client, sleep=sleeps)
        made.append(XSource(http, now=lambda: NOW, page_size=page_size, max_pages=max_pages))
        return made[-1]

    yield make
    for source in made:
        await source.close()


def hourly_posts(x: FakeXApi, user_id: str, n: int) -> None:
    """n synthetic posts, one an hour before NOW going back (post "1" is the newest)."""
    for i in range(1, n + 1):
        created = (NOW - timedelta(hours=i)).strftime("%Y-%m-%dT%H:%M:%S.000Z")
        x.post(user_id, str(i), created, likes=10 * i)


async def test_public_metrics_fixture_is_read_verbatim_for_a_peer(x: FakeXApi) -> None:
    x.add_fixture_post("2002", "x_tweet_public_metrics.json", created_at="2026-11-20T10:00:00.000Z")
    source = XSource.from_settings(Settings(x_base_url=x.url, x_bearer_token=TOKEN))
    source.now = lambda: NOW
    try:
        items = await source.fetch(PEER, WEEK_AGO)
    finally:
        await source.close()

    assert items == [
        SnapshotRecord(
            platform=Platform.X,
            account="rival",
            post_id="1234567890",
            published_at=datetime(2026, 11, 20, 10, 0, tzinfo=UTC),
            metrics=Metrics(impressions=5432, likes=234, comments=12, shares=50, quotes=5, saves=8),
            url="https://x.com/rival/status/1234567890",
            text="Hello world!",
            captured_at=NOW,
        ),
        FollowerRecord(platform=Platform.X, account="rival", captured_at=NOW, followers=880),
    ]
    (timeline,) = x.requests_to("/tweets")
    assert timeline.path == "/2/users/2002/tweets"
    assert timeline.query["tweet.fields"] == "created_at,public_metrics"  # no non-public metrics
    assert timeline.query["exclude"] == "retweets,replies"
    assert timeline.query["start_time"] == "2026-11-16T09:00:00Z"
    assert timeline.query["max_results"] == "100"
    assert x.requests_to("/2/users/2002")[0].query == {"user.fields": "public_metrics"}


async def test_own_posts_prefer_non_public_impressions_and_add_link_clicks(
    x: FakeXApi, make_source: Callable[..., XSource]
) -> None:
    for user_id in ("1001", "2002"):
        x.add_fixture_post(
            user_id,
            "x_tweet_public_metrics.json",
            "x_tweet_non_public_organic_metrics.json",
            created_at="2026-11-22T08:00:00.000Z",
        )
    source = make_source()
    own = await source.fetch(OURS, WEEK_AGO)
    peer = await source.fetch(PEER, WEEK_AGO)

    assert isinstance(own[0], SnapshotRecord) and isinstance(peer[0], SnapshotRecord)
    assert own[0].metrics == Metrics(
        impressions=5432, likes=234, comments=12, shares=50, quotes=5, saves=8, clicks=89
    )
    assert own[0].url == "https://x.com/acme/status/1234567890"
    assert own[0].account == "@acme"
    assert peer[0].metrics.clicks is None
    own_query, peer_query = (r.query["tweet.fields"] for r in x.requests_to("/tweets"))
    assert own_query == "created_at,public_metrics,non_public_metrics,organic_metrics"
    assert "non_public_metrics" not in peer_query


async def test_video_views_come_from_the_included_media(
    x: FakeXApi, make_source: Callable[..., XSource]
) -> None:
    x.add_fixture_post(
        "1001", "x_tweet_video_media_metrics.json", created_at="2026-11-21T12:30:00.000Z"
    )
    items = await make_source().fetch(OURS, WEEK_AGO)

    post = items[0]
    assert isinstance(post, SnapshotRecord)
    assert post.text == "Check out this video!"
    assert post.metrics == Metrics(video_views=12543)  # the docs example asked for nothing else
    query = x.requests_to("/tweets")[0].query
    assert query["expansions"] == "attachments.media_keys"
    assert query["media.fields"] == "public_metrics"


async def test_paging_stops_at_the_first_page_reaching_before_since(
    make_source: Callable[..., XSource],
) -> None:
    async with FakeXApi(honour_start_time=False) as x:  # the client must stop on its own
        x.add_user("1001", "acme")
        hourly_posts(x, "1001", 12)
        source = make_source(url=x.url, page_size=5)
        items = await source.fetch(OURS, NOW - timedelta(hours=7, minutes=30))

    posts = [i for i in items if isinstance(i, SnapshotRecord)]
    assert [p.post_id for p in posts] == ["1", "2", "3", "4", "5", "6", "7"]
    pages = x.requests_to("/tweets")
    assert len(pages) == 2
    assert "pagination_token" not in pages[0].query
    assert pages[1].query["pagination_token"] == "page-5"


async def test_a_second_fetch_reads_only_the_first_page(
    x: FakeXApi, make_source: Callable[..., XSource]
) -> None:
    hourly_posts(x, "1001", 12)
    source = make_source(page_size=5)

    first = await source.fetch(OURS, NOW - timedelta(hours=7, minutes=30))
    assert len([i for i in first if isinstance(i, SnapshotRecord)]) == 7
    assert len(x.requests_to("/tweets")) == 2  # 5 + 2, the last page has no next_token

    x.requests.clear()
    second = await source.fetch(OURS, NOW - timedelta(hours=2, minutes=30))
    assert [i.post_id for i in second if isinstance(i, SnapshotRecord)] == ["1", "2"]
    (page,) = x.requests_to("/tweets")
    assert page.query["start_time"] == "2026-11-23T06:30:00Z"


async def test_max_pages_caps_a_long_history(
    x: FakeXApi, make_source: Callable[..., XSource]
) -> None:
    hourly_posts(x, "1001", 30)
    items = await make_source(page_size=5, max_pages=2).fetch(OURS, WEEK_AGO)
    assert len([i for i in items if isinstance(i, SnapshotRecord)]) == 10
    assert len(x.requests_to("/tweets")) == 2


async def test_an_account_without_an_id_is_resolved_by_username(
    x: FakeXApi, make_source: Callable[..., XSource]
) -> None:
    hourly_posts(x, "1001", 2)
    account = SourceAccount(platform=Platform.X, handle="@acme")
    items = await make_source().fetch(account, WEEK_AGO)

    assert [r.path for r in x.requests] == ["/2/users/by/username/acme", "/2/users/1001/tweets"]
    assert items[-1] == FollowerRecord(Platform.X, "@acme", NOW, 15400)


async def test_an_unknown_username_says_what_x_said(make_source: Callable[..., XSource]) -> None:
    account = SourceAccount(platform=Platform.X, handle="nobody_here")
    with pytest.raises(SourceError, match=r"Could not find user with username: \[nobody_here\]"):
        await make_source().fetch(account, WEEK_AGO)


async def test_no_follower_record_when_x_reports_no_count(
    x: FakeXApi, make_source: Callable[..., XSource]
) -> None:
    x.add_user("3003", "quiet", followers=None)
    hourly_posts(x, "3003", 1)
    account = SourceAccount(platform=Platform.X, handle="quiet", id="3003")
    items = await make_source().fetch(account, WEEK_AGO)
    assert [type(i) for i in items] == [SnapshotRecord]


async def test_a_429_waits_until_x_rate_limit_reset(
    x: FakeXApi, sleeps: Sleeps, make_source: Callable[..., XSource]
) -> None:
    hourly_posts(x, "1001", 3)
    reset = int(time.time()) + 30
    x.fail_next(429, {"x-rate-limit-reset": str(reset), "x-rate-limit-remaining": "0"})

    items = await make_source().fetch(OURS, WEEK_AGO)

    assert len(items) == 4
    (wait,) = sleeps
    assert 28.0 <= wait <= 30.5  # until the reset epoch (+ at most 0.25 s jitter)


async def test_a_500_is_retried_after_a_short_back_off(
    x: FakeXApi, sleeps: Sleeps, make_source: Callable[..., XSource]
) -> None:
    hourly_posts(x, "1001", 3)
    x.fail_next(500)
    items = await make_source().fetch(OURS, WEEK_AGO)
    assert len(items) == 4
    assert len(sleeps) == 1 and 0.5 <= sleeps[0] <= 0.75


async def test_a_timeout_is_retried(
    x: FakeXApi, sleeps: Sleeps, make_source: Callable[..., XSource]
) -> None:
    hourly_posts(x, "1001", 3)
    x.delay_next(0.5)
    items = await make_source(timeout=0.1).fetch(OURS, WEEK_AGO)
    assert len(items) == 4
    assert len(sleeps) == 1


async def test_truncated_json_is_a_source_error(
    x: FakeXApi, make_source: Callable[..., XSource]
) -> None:
    hourly_posts(x, "1001", 3)
    x.truncate_next()
    with pytest.raises(SourceError, match="not JSON"):
        await make_source().fetch(OURS, WEEK_AGO)


async def test_an_expired_token_is_an_auth_error(
    x: FakeXApi, make_source: Callable[..., XSource]
) -> None:
    x.expired_token()
    with pytest.raises(SourceAuthError, match="401: Unauthorized"):
        await make_source().fetch(OURS, WEEK_AGO)


async def test_a_missing_token_fails_before_any_request(x: FakeXApi) -> None:
    source = XSource.from_settings(Settings(x_base_url=x.url, x_bearer_token=None))
    try:
        with pytest.raises(SourceAuthError, match="X_BEARER_TOKEN"):
            await source.fetch(OURS, WEEK_AGO)
        with pytest.raises(SourceAuthError, match="X_BEARER_TOKEN"):
            await source.check()
    finally:
        await source.close()
    assert x.requests == []


async def test_malformed_posts_become_row_problems_and_the_rest_is_read(
    make_source: Callable[..., XSource],
) -> None:
    async with FakeXApi(honour_start_time=False) as x:
        x.add_user("1001", "acme")
        hourly_posts(x, "1001", 4)
        x.timelines["1001"][1]["public_metrics"]["like_count"] = "lots"
        del x.timelines["1001"][2]["created_at"]
        source = make_source(url=x.url)
        items = await source.fetch(OURS, WEEK_AGO)

    assert [i.post_id for i in items if isinstance(i, SnapshotRecord)] == ["1", "4"]
    assert [i for i in items if isinstance(i, RowProblem)] == [
        RowProblem(line=0, reason="x post 2: expected a count, got 'lots'"),
        RowProblem(line=0, reason="x post 3: expected a timestamp, got None"),
    ]


async def test_check_proves_the_token_works(
    x: FakeXApi, make_source: Callable[..., XSource]
) -> None:
    x.add_user("2244994945", "XDevelopers")
    assert "@XDevelopers" in await make_source().check()

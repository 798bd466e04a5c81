"""BlueskySource against a fake AppView serving the recorded author feed through real HTTP."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest

from adapters.sources.bluesky import BlueskySource
from adapters.sources.http import SourceHttp
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
from tests.fakes.social.bluesky import FakeBluesky

NOW = datetime(2024, 11, 4, 9, 0, tzinfo=UTC)
DID = "did:plc:ubudpurydqvit3dhdnx4v6sv"
HANDLE = "benoist.dev"
ACCOUNT = SourceAccount(platform=Platform.BLUESKY, handle=HANDLE)
FEED = "/xrpc/app.bsky.feed.getAuthorFeed"
FIXTURE_CURSOR = "2024-11-01T16:16:16.957Z"
BEFORE_FIXTURE = datetime(2024, 11, 1, tzinfo=UTC)


class Sleeps(list[float]):
    """An injected sleep that records how long the client was told to wait."""

    async def __call__(self, seconds: float) -> None:
        self.append(seconds)


MakeSource = Callable[..., BlueskySource]


@pytest.fixture
async def bluesky() -> AsyncIterator[FakeBluesky]:
    async with FakeBluesky() as fake:
        yield fake


@pytest.fixture
def sleeps() -> Sleeps:
    return Sleeps()


@pytest.fixture
async def make_source(bluesky: FakeBluesky, sleeps: Sleeps) -> AsyncIterator[MakeSource]:
    made: list[BlueskySource] = []

    def make(client: httpx.AsyncClient | None = None, **options: Any) -> BlueskySource:
        http = SourceHttp("bluesky", bluesky.url, client=client, sleep=sleeps)
        made.append(BlueskySource(http, now=lambda: NOW, **options))
        return made[-1]

    yield make
    for source in made:
        await source.close()


def stamp(moment: datetime) -> str:
    return moment.isoformat(timespec="milliseconds").replace("+00:00", "Z")


def feed_post(
    rkey: str, created: datetime | None, *, did: str = DID, handle: str = HANDLE, **counts: Any
) -> dict[str, Any]:
    """A synthetic feedViewPost with the lexicon's field names (app.bsky.feed.defs)."""
    record: dict[str, Any] = {"$type": "app.bsky.feed.post", "text": f"post {rkey}"}
    if created is not None:
        record["createdAt"] = stamp(created)
    post = {
        "uri": f"at://{did}/app.bsky.feed.post/{rkey}",
        "cid": "bafyreib5nftnhhpxn32gjoco54f32fdcyvsx77jqraf6rsdplojn7ia6em",
        "author": {"did": did, "handle": handle},
        "record": record,
        "replyCount": 1,
        "repostCount": 2,
        "likeCount": 3,
        "quoteCount": 4,
        "bookmarkCount": 5,
        "indexedAt": stamp(created or NOW),
        **counts,
    }
    return {"post": post}


def repost_of(item: dict[str, Any], at: datetime) -> dict[str, Any]:
    reason = {
        "$type": "app.bsky.feed.defs#reasonRepost",
        "by": {"did": DID, "handle": HANDLE},
        "indexedAt": stamp(at),
    }
    return {**item, "reason": reason}


def posts(items: list[SourceItem]) -> list[SnapshotRecord]:
    return [item for item in items if isinstance(item, SnapshotRecord)]


def hours_ago(hours: float) -> datetime:
    return NOW - timedelta(hours=hours)


async def test_fixture_feed_keeps_exactly_the_two_own_posts(make_source: MakeSource) -> None:
    items = await make_source().fetch(ACCOUNT, since=BEFORE_FIXTURE)

    assert posts(items) == [
        SnapshotRecord(
            platform=Platform.BLUESKY,
            account=HANDLE,
            post_id=f"at://{DID}/app.bsky.feed.post/3l7vxiuivk52v",
            published_at=datetime(2024, 11, 1, 19, 58, 59, 413000, tzinfo=UTC),
            metrics=Metrics(likes=1, comments=0, shares=0, quotes=0, saves=None),
            url="https://bsky.app/profile/benoist.dev/post/3l7vxiuivk52v",
            text="Finally enough screen space for immersive doom scrolling.",
            captured_at=NOW,
        ),
        SnapshotRecord(
            platform=Platform.BLUESKY,
            account=HANDLE,
            post_id=f"at://{DID}/app.bsky.feed.post/3l7vndehgbe2q",
            published_at=datetime(2024, 11, 1, 16, 56, 57, 408000, tzinfo=UTC),
            metrics=Metrics(likes=0, comments=0, shares=0, quotes=0, saves=None),
            url="https://bsky.app/profile/benoist.dev/post/3l7vndehgbe2q",
            text="Feliz dia de todos santos. Can\u2019t believe this was over 15 years ago.",
            captured_at=NOW,
        ),
    ]
    assert items[-1] == FollowerRecord(Platform.BLUESKY, HANDLE, NOW, 321)
    assert len(items) == 3  # the 28 reposts left no trace, not even a RowProblem


async def test_paging_follows_the_cursor_until_a_page_has_none(
    bluesky: FakeBluesky, make_source: MakeSource
) -> None:
    await make_source().fetch(ACCOUNT, since=BEFORE_FIXTURE)

    feed_query = {"actor": HANDLE, "filter": "posts_no_replies", "limit": "40"}
    assert [(r.path, r.query) for r in bluesky.requests] == [
        ("/xrpc/app.bsky.actor.getProfile", {"actor": HANDLE}),
        (FEED, feed_query),
        (FEED, {**feed_query, "cursor": FIXTURE_CURSOR}),
    ]


async def test_a_second_round_reads_only_the_first_page(
    bluesky: FakeBluesky, make_source: MakeSource
) -> None:
    source = make_source()
    first = await source.fetch(ACCOUNT, since=BEFORE_FIXTURE)
    bluesky.requests.clear()

    again = await source.fetch(ACCOUNT, since=posts(first)[0].published_at)

    assert [p.post_id for p in posts(again)] == [posts(first)[0].post_id]
    assert len(bluesky.feed_requests()) == 1
    assert "cursor" not in bluesky.feed_requests()[0].query


async def test_an_account_with_a_did_asks_by_did(
    bluesky: FakeBluesky, make_source: MakeSource
) -> None:
    account = ACCOUNT.model_copy(update={"id": DID})

    items = await make_source().fetch(account, since=BEFORE_FIXTURE)

    assert len(posts(items)) == 2
    assert {r.query["actor"] for r in bluesky.requests} == {DID}


async def test_paging_stops_at_the_first_page_reaching_past_since(
    bluesky: FakeBluesky, make_source: MakeSource
) -> None:
    bluesky.serve_feed([feed_post(f"r{n}", hours_ago(n)) for n in range(10)])

    items = await make_source(page_size=3).fetch(ACCOUNT, since=hours_ago(4.5))

    assert [p.post_id.rsplit("/", 1)[1] for p in posts(items)] == ["r0", "r1", "r2", "r3", "r4"]
    assert [r.query.get("cursor") for r in bluesky.feed_requests()] == [None, "3"]


async def test_paging_stops_at_max_pages(bluesky: FakeBluesky, make_source: MakeSource) -> None:
    bluesky.serve_feed([feed_post(f"r{n}", hours_ago(n)) for n in range(10)])

    items = await make_source(page_size=2, max_pages=2).fetch(ACCOUNT, since=hours_ago(100))

    assert len(posts(items)) == 4
    assert len(bluesky.feed_requests()) == 2


async def test_a_recent_repost_of_an_old_post_neither_counts_nor_stops_paging(
    bluesky: FakeBluesky, make_source: MakeSource
) -> None:
    # The feed is ordered by when items entered it: a repost now of a week-old post sits first.
    old = feed_post("old", hours_ago(24 * 7), did="did:plc:someoneelse", handle="else.bsky.social")
    bluesky.serve_feed(
        [
            repost_of(old, hours_ago(0.5)),
            feed_post("mine", hours_ago(1)),
            feed_post("x", hours_ago(5)),
        ]
    )

    items = await make_source(page_size=2).fetch(ACCOUNT, since=hours_ago(3))

    assert [p.post_id.rsplit("/", 1)[1] for p in posts(items)] == ["mine"]
    assert len(bluesky.feed_requests()) == 2


async def test_someone_elses_post_without_a_repost_reason_is_dropped(
    bluesky: FakeBluesky, make_source: MakeSource
) -> None:
    stranger = feed_post("theirs", hours_ago(1), did="did:plc:someoneelse", handle="x.bsky.social")
    bluesky.serve_feed([stranger, feed_post("mine", hours_ago(2))])

    items = await make_source().fetch(ACCOUNT, since=hours_ago(3))

    assert [p.post_id.rsplit("/", 1)[1] for p in posts(items)] == ["mine"]


async def test_counts_map_to_metrics_including_bookmarks(
    bluesky: FakeBluesky, make_source: MakeSource
) -> None:
    bluesky.serve_feed([feed_post("mine", hours_ago(1))])

    (post,) = posts(await make_source().fetch(ACCOUNT, since=hours_ago(3)))

    assert post.metrics == Metrics(likes=3, comments=1, shares=2, quotes=4, saves=5)


async def test_missing_created_at_falls_back_to_indexed_at(
    bluesky: FakeBluesky, make_source: MakeSource
) -> None:
    item = feed_post("mine", None, indexedAt=stamp(hours_ago(2)))
    bluesky.serve_feed([item])

    (post,) = posts(await make_source().fetch(ACCOUNT, since=hours_ago(3)))

    assert post.published_at == hours_ago(2)


async def test_a_malformed_post_is_a_row_problem_and_the_rest_still_arrive(
    bluesky: FakeBluesky, make_source: MakeSource, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="winsbot.sources")
    broken = feed_post("broken", None, indexedAt=None)
    bluesky.serve_feed([feed_post("a", hours_ago(1)), broken, feed_post("b", hours_ago(2))])

    items = await make_source().fetch(ACCOUNT, since=hours_ago(3))

    uri = f"at://{DID}/app.bsky.feed.post/broken"
    problem = RowProblem(0, f"bluesky post {uri}: createdAt: expected a timestamp, got None")
    assert [item for item in items if isinstance(item, RowProblem)] == [problem]
    assert [p.post_id.rsplit("/", 1)[1] for p in posts(items)] == ["a", "b"]
    assert problem.reason in caplog.text


async def test_429_with_retry_after_is_waited_out(
    bluesky: FakeBluesky, make_source: MakeSource, sleeps: Sleeps
) -> None:
    bluesky.fail_next(status=429, headers={"Retry-After": "7"})

    items = await make_source().fetch(ACCOUNT, since=BEFORE_FIXTURE)

    assert len(posts(items)) == 2
    assert len(sleeps) == 1 and 7.0 <= sleeps[0] <= 7.25


async def test_a_server_error_is_retried(
    bluesky: FakeBluesky, make_source: MakeSource, sleeps: Sleeps
) -> None:
    bluesky.fail_next(status=500)

    items = await make_source().fetch(ACCOUNT, since=BEFORE_FIXTURE)

    assert len(posts(items)) == 2
    assert len(sleeps) == 1


async def test_a_timeout_is_retried(
    bluesky: FakeBluesky, make_source: MakeSource, sleeps: Sleeps
) -> None:
    bluesky.delay_next(0.6)
    client = httpx.AsyncClient(base_url=bluesky.url, timeout=0.2)

    items = await make_source(client=client).fetch(ACCOUNT, since=BEFORE_FIXTURE)

    assert len(posts(items)) == 2
    assert len(sleeps) == 1
    assert bluesky.requests[0].path == bluesky.requests[1].path == "/xrpc/app.bsky.actor.getProfile"


async def test_truncated_json_is_a_source_error(
    bluesky: FakeBluesky, make_source: MakeSource
) -> None:
    bluesky.truncate_next()

    with pytest.raises(SourceError, match="not JSON"):
        await make_source().fetch(ACCOUNT, since=BEFORE_FIXTURE)


async def test_an_expired_token_is_an_auth_error(
    bluesky: FakeBluesky, make_source: MakeSource
) -> None:
    bluesky.expired_token()

    with pytest.raises(SourceAuthError, match="ExpiredToken"):
        await make_source().fetch(ACCOUNT, since=BEFORE_FIXTURE)


async def test_an_unknown_actor_is_a_source_error(make_source: MakeSource) -> None:
    account = SourceAccount(platform=Platform.BLUESKY, handle="nobody.example")

    with pytest.raises(SourceError, match=r"InvalidRequest.*is 'nobody\.example' right"):
        await make_source().fetch(account, since=BEFORE_FIXTURE)


async def test_check_reads_the_appview_health_route(bluesky: FakeBluesky) -> None:
    source = BlueskySource.from_settings(Settings(bluesky_base_url=bluesky.url))
    try:
        assert await source.check() == "127.0.0.1 (Bluesky AppView 0.0.1)"
    finally:
        await source.close()

    assert [r.path for r in bluesky.requests] == ["/xrpc/_health"]

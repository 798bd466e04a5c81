"""YouTubeSource over real HTTP against a fake Data API v3 serving the captured responses."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable, Sequence
from datetime import UTC, datetime, timedelta

import httpx
import pytest

from adapters.sources.http import TIMEOUT, SourceHttp
from adapters.sources.youtube import YouTubeSource
from bot.config import Settings
from bot.domain.models import (
    AccountKind,
    FollowerRecord,
    Metrics,
    Platform,
    PostFormat,
    RowProblem,
    SnapshotRecord,
    SourceAccount,
)
from bot.ports import SourceAuthError, SourceError
from tests.fakes.social.youtube import (
    API_KEY,
    FIXTURE_VIDEO,
    GOOGLE_DEVELOPERS,
    FakeYouTubeApi,
)

NOW = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)
DEVS = SourceAccount(
    platform=Platform.YOUTUBE,
    handle="Google Developers",
    id=GOOGLE_DEVELOPERS,
    kind=AccountKind.PEER,
)
ASSISTANT = SourceAccount(platform=Platform.YOUTUBE, handle="Assistant", id="UCassistant00")
OURS = SourceAccount(
    platform=Platform.YOUTUBE, handle="Acme", id="UCacme0000", kind=AccountKind.OURS
)


class Sleeps(list[float]):
    async def __call__(self, seconds: float) -> None:
        self.append(seconds)


@pytest.fixture
async def yt() -> AsyncIterator[FakeYouTubeApi]:
    async with FakeYouTubeApi() as fake:
        fake.add_google_developers()
        fake.add_uploads("UCassistant00", [(FIXTURE_VIDEO, "2019-03-21T20:37:49Z")])
        hourly = [(f"vid{i:08d}", _iso(NOW - timedelta(hours=i))) for i in range(1, 121)]
        fake.add_uploads("UCacme0000", hourly)  # 120 uploads, newest first, 50 a page
        yield fake


@pytest.fixture
def sleeps() -> Sleeps:
    return Sleeps()


@pytest.fixture
async def make_source(
    yt: FakeYouTubeApi, sleeps: Sleeps
) -> AsyncIterator[Callable[..., YouTubeSource]]:
    made: list[YouTubeSource] = []

    def make(*, timeout: float | None = None, daily_budget: int = 9_000) -> YouTubeSource:
        client = httpx.AsyncClient(
            base_url=yt.base_url, params={"key": API_KEY}, timeout=timeout or TIMEOUT
        )
        http = SourceHttp("youtube", yt.base_url, client=client, sleep=sleeps)
        made.append(YouTubeSource(http, now=lambda: NOW, daily_budget=daily_budget))
        return made[-1]

    yield make
    for source in made:
        await source.close()


def _iso(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def posts(items: Sequence[object]) -> list[SnapshotRecord]:
    return [i for i in items if isinstance(i, SnapshotRecord)]


async def test_the_captured_playlist_page_is_read_until_since(yt: FakeYouTubeApi) -> None:
    source = YouTubeSource.from_settings(
        Settings(youtube_base_url=yt.base_url, youtube_api_key=API_KEY)
    )
    source.now = lambda: NOW
    try:
        items = await source.fetch(DEVS, datetime(2019, 11, 23, 0, 30, tzinfo=UTC))
    finally:
        await source.close()

    found = posts(items)
    assert [(p.post_id, p.published_at) for p in found] == [
        ("o5LP2xzKkpg", datetime(2019, 11, 23, 0, 42, 56, tzinfo=UTC)),
        ("vN6uK5Qm23c", datetime(2019, 11, 23, 0, 40, 19, tzinfo=UTC)),
        ("o7_oJYZw2Hg", datetime(2019, 11, 23, 0, 37, 49, tzinfo=UTC)),
        ("kTJUt9CmTXg", datetime(2019, 11, 23, 0, 35, 29, tzinfo=UTC)),
        ("2cHddIA4EvY", datetime(2019, 11, 23, 0, 32, 55, tzinfo=UTC)),
    ]
    assert found[0].url == "https://www.youtube.com/watch?v=o5LP2xzKkpg"
    assert items[-1] == FollowerRecord(Platform.YOUTUBE, "Google Developers", NOW, 2270000)

    channels, playlist, videos = yt.requests
    assert channels.query == {
        "part": "contentDetails,statistics",
        "id": GOOGLE_DEVELOPERS,
        "key": API_KEY,
    }
    assert playlist.query == {
        "part": "contentDetails,snippet",
        "playlistId": "PLOU2XLYxmsIKpaV8h0AGE05so0fAwwfTw",
        "maxResults": "50",
        "key": API_KEY,
    }  # the first page's oldest item is before since: no second page
    assert videos.query["id"] == "2cHddIA4EvY,kTJUt9CmTXg,o7_oJYZw2Hg,vN6uK5Qm23c,o5LP2xzKkpg"
    assert videos.query["part"] == "statistics,snippet"
    assert source.units == 3


async def test_the_captured_video_statistics_arrive_as_strings(
    make_source: Callable[..., YouTubeSource],
) -> None:
    items = await make_source().fetch(ASSISTANT, datetime(2019, 1, 1, tzinfo=UTC))

    assert items == [
        SnapshotRecord(
            platform=Platform.YOUTUBE,
            account="Assistant",
            post_id="D-lhorsDlUQ",
            published_at=datetime(2019, 3, 21, 20, 37, 49, tzinfo=UTC),
            metrics=Metrics(video_views=7920, likes=190, comments=32),  # no dislikes, favourites
            url="https://www.youtube.com/watch?v=D-lhorsDlUQ",
            text="What are Actions on Google (Assistant on Air)",
            captured_at=NOW,
            format=PostFormat.VIDEO,
        ),
        FollowerRecord(Platform.YOUTUBE, "Assistant", NOW, 1520),
    ]


async def test_paging_follows_next_page_token_to_the_last_page(
    yt: FakeYouTubeApi, make_source: Callable[..., YouTubeSource]
) -> None:
    items = await make_source().fetch(DEVS, datetime(2019, 1, 1, tzinfo=UTC))

    found = posts(items)
    assert len(found) == 13
    assert found[-1].post_id == FIXTURE_VIDEO
    assert found[-1].metrics == Metrics(video_views=7920, likes=190, comments=32)
    pages = yt.requests_to("playlistItems")
    assert [p.query.get("pageToken") for p in pages] == [None, "CAoQAA"]
    assert len(yt.requests_to("videos")[0].query["id"].split(",")) == 13


async def test_a_second_fetch_reads_only_the_first_page(
    yt: FakeYouTubeApi, make_source: Callable[..., YouTubeSource]
) -> None:
    source = make_source()
    first = await source.fetch(OURS, NOW - timedelta(hours=60, minutes=30))
    assert len(posts(first)) == 60
    assert len(yt.requests_to("playlistItems")) == 2  # the 2nd page reaches back past since
    assert [len(r.query["id"].split(",")) for r in yt.requests_to("videos")] == [50, 10]

    yt.requests.clear()
    second = await source.fetch(OURS, NOW - timedelta(hours=10, minutes=30))
    assert [p.post_id for p in posts(second)][:2] == ["vid00000001", "vid00000002"]
    assert len(posts(second)) == 10
    assert len(yt.requests_to("playlistItems")) == 1
    assert source.units == 3


async def test_videos_are_read_fifty_at_a_time(
    yt: FakeYouTubeApi, make_source: Callable[..., YouTubeSource]
) -> None:
    items = await make_source().fetch(OURS, NOW - timedelta(days=30))
    assert len(posts(items)) == 120
    assert [r.query.get("pageToken") for r in yt.requests_to("playlistItems")] == [
        None,
        "PAGE1",
        "PAGE2",
    ]
    assert [len(r.query["id"].split(",")) for r in yt.requests_to("videos")] == [50, 50, 20]


async def test_the_daily_budget_stops_a_fetch_before_it_is_spent(
    yt: FakeYouTubeApi, make_source: Callable[..., YouTubeSource]
) -> None:
    source = make_source(daily_budget=5)
    await source.fetch(ASSISTANT, datetime(2019, 1, 1, tzinfo=UTC))
    assert (source.units, source.units_today) == (3, 3)

    with pytest.raises(SourceError, match="daily quota budget reached"):
        await source.fetch(ASSISTANT, datetime(2019, 1, 1, tzinfo=UTC))
    assert len(yt.requests) == 5  # channels + playlistItems, then it stopped before videos

    source.now = lambda: NOW + timedelta(days=1)  # past midnight Pacific: a new day's budget
    assert len(posts(await source.fetch(ASSISTANT, datetime(2019, 1, 1, tzinfo=UTC)))) == 1
    assert source.units_today == 3


async def test_quota_exceeded_is_a_source_error_not_an_auth_error(
    yt: FakeYouTubeApi, make_source: Callable[..., YouTubeSource]
) -> None:
    yt.quota_exceeded()
    with pytest.raises(SourceError, match="quotaExceeded") as raised:
        await make_source().fetch(DEVS, datetime(2019, 1, 1, tzinfo=UTC))
    assert not isinstance(raised.value, SourceAuthError)


async def test_an_invalid_key_is_an_auth_error(
    yt: FakeYouTubeApi, make_source: Callable[..., YouTubeSource]
) -> None:
    yt.expired_token()
    with pytest.raises(SourceAuthError, match="API key not valid"):
        await make_source().fetch(DEVS, datetime(2019, 1, 1, tzinfo=UTC))


async def test_a_missing_key_fails_before_any_request(yt: FakeYouTubeApi) -> None:
    source = YouTubeSource.from_settings(Settings(youtube_base_url=yt.base_url))
    try:
        with pytest.raises(SourceAuthError, match="YOUTUBE_API_KEY"):
            await source.fetch(DEVS, NOW)
        with pytest.raises(SourceAuthError, match="YOUTUBE_API_KEY"):
            await source.check()
    finally:
        await source.close()
    assert yt.requests == []


async def test_a_forbidden_answer_is_an_auth_error(yt: FakeYouTubeApi) -> None:
    http = SourceHttp("youtube", yt.base_url)  # no key parameter at all
    source = YouTubeSource(http, now=lambda: NOW)
    try:
        with pytest.raises(SourceAuthError, match="missing a valid API key"):
            await source.fetch(DEVS, NOW)
    finally:
        await source.close()


async def test_a_500_then_success(
    yt: FakeYouTubeApi, sleeps: Sleeps, make_source: Callable[..., YouTubeSource]
) -> None:
    yt.fail_next(500)
    source = make_source()
    items = await source.fetch(ASSISTANT, datetime(2019, 1, 1, tzinfo=UTC))
    assert len(items) == 2
    assert len(sleeps) == 1
    assert source.units == 4  # the failed request cost a unit too


async def test_a_timeout_then_success(
    yt: FakeYouTubeApi, sleeps: Sleeps, make_source: Callable[..., YouTubeSource]
) -> None:
    yt.delay_next(0.5)
    items = await make_source(timeout=0.1).fetch(ASSISTANT, datetime(2019, 1, 1, tzinfo=UTC))
    assert len(items) == 2
    assert len(sleeps) == 1


async def test_truncated_json_is_a_source_error(
    yt: FakeYouTubeApi, make_source: Callable[..., YouTubeSource]
) -> None:
    yt.truncate_next()
    with pytest.raises(SourceError, match="not JSON"):
        await make_source().fetch(DEVS, datetime(2019, 1, 1, tzinfo=UTC))


async def test_malformed_items_become_row_problems_and_the_rest_is_read(
    yt: FakeYouTubeApi, make_source: Callable[..., YouTubeSource]
) -> None:
    yt.add_uploads("UCbroken000", [(f"v{i}", _iso(NOW - timedelta(hours=i))) for i in (1, 2, 3, 4)])
    page = yt.playlists["UUbroken000"][""]
    assert isinstance(page, dict)
    del page["items"][2]["contentDetails"], page["items"][2]["snippet"]["resourceId"]
    yt.videos["v2"]["statistics"]["viewCount"] = "n/a"
    account = SourceAccount(platform=Platform.YOUTUBE, handle="Broken", id="UCbroken000")

    items = await make_source().fetch(account, NOW - timedelta(days=1))

    assert [p.post_id for p in posts(items)] == ["v1", "v4"]
    assert [i for i in items if isinstance(i, RowProblem)] == [
        RowProblem(line=0, reason="youtube playlist item synthetic-item-v3: no video id"),
        RowProblem(line=0, reason="youtube video v2: expected a count, got 'n/a'"),
    ]


async def test_a_hidden_subscriber_count_gives_no_follower_record(
    yt: FakeYouTubeApi, make_source: Callable[..., YouTubeSource]
) -> None:
    yt.add_uploads("UChidden000", [("v1", _iso(NOW - timedelta(hours=1)))])
    yt.channels["UChidden000"]["statistics"] = {"hiddenSubscriberCount": True, "videoCount": "1"}
    account = SourceAccount(platform=Platform.YOUTUBE, handle="Hidden", id="UChidden000")
    items = await make_source().fetch(account, NOW - timedelta(days=1))
    assert [type(i) for i in items] == [SnapshotRecord]


async def test_an_unknown_channel_says_which_id_to_set(
    make_source: Callable[..., YouTubeSource],
) -> None:
    account = SourceAccount(
        platform=Platform.YOUTUBE, handle="Ghost", id="UCghost", kind=AccountKind.PEER
    )
    with pytest.raises(SourceError, match="no channel 'UCghost'"):
        await make_source().fetch(account, NOW)


async def test_check_costs_one_unit(
    yt: FakeYouTubeApi, make_source: Callable[..., YouTubeSource]
) -> None:
    assert "API key accepted" in await make_source().check()
    assert len(yt.requests) == 1

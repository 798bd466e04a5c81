"""FacebookSource and InstagramSource against a fake Graph API serving the recorded fixtures."""

from __future__ import annotations

import json
import logging
from collections.abc import AsyncIterator, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import TypeVar

import httpx
import pytest

from adapters.sources.meta import FacebookSource, GraphHttp, InstagramSource
from bot.config import Settings
from bot.domain.models import (
    AccountKind,
    FollowerRecord,
    Platform,
    PostFormat,
    RowProblem,
    SnapshotRecord,
    SourceAccount,
)
from bot.ports import SourceAuthError, SourceError
from tests.fakes.social.meta import (
    FB_COUNTS_PAGE,
    FB_PAGE,
    FB_SUMMARY_PAGE,
    IG_USER,
    TOKEN,
    FakeGraphApi,
)

NOW = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)
S = TypeVar("S", FacebookSource, InstagramSource)


@pytest.fixture
async def graph() -> AsyncIterator[FakeGraphApi]:
    async with FakeGraphApi() as fake:
        yield fake


class Sleeps(list[float]):
    async def __call__(self, seconds: float) -> None:
        self.append(seconds)


def source(
    cls: type[S], graph: FakeGraphApi, sleeps: Sleeps | None = None, timeout: float = 5.0
) -> S:
    http = GraphHttp(
        cls.platform.value,
        graph.base_url,
        token=TOKEN,
        timeout=httpx.Timeout(timeout),
        sleep=sleeps if sleeps is not None else Sleeps(),
    )
    return cls(http, now=lambda: NOW)


def fb(node: str, kind: AccountKind = AccountKind.OURS) -> SourceAccount:
    return SourceAccount(platform=Platform.FACEBOOK, handle=f"page-{node}", id=node, kind=kind)


def ig(kind: AccountKind = AccountKind.OURS) -> SourceAccount:
    return SourceAccount(platform=Platform.INSTAGRAM, handle="acme.ig", id=IG_USER, kind=kind)


def records(items: Sequence[object]) -> list[SnapshotRecord]:
    return [item for item in items if isinstance(item, SnapshotRecord)]


def by_id(items: Sequence[object]) -> dict[str, SnapshotRecord]:
    return {record.post_id: record for record in records(items)}


# ------------------------------------------------------------------------------ Facebook


async def test_facebook_reads_the_recorded_post_list_and_follows_paging_next(
    graph: FakeGraphApi,
) -> None:
    facebook = source(FacebookSource, graph)
    items = await facebook.fetch(fb(FB_PAGE), datetime(2021, 6, 1, tzinfo=UTC))
    await facebook.close()

    posts = records(items)
    assert [p.post_id for p in posts] == [
        "4_10113477241177441",
        "4_10113449068715281",
        "4_10113400535556121",
        "4_10113332572050531",
        "4_10113319652002411",
        "4_10113300000000001",  # synthetic page 2; its 2021-05-30 post is before `since`
    ]
    first = posts[0]
    assert first.published_at == datetime(2021, 7, 4, 19, 50, 58, tzinfo=UTC)
    assert first.text == "Happy July 4th! 🇺🇸"
    assert first.platform is Platform.FACEBOOK and first.account == "page-4"
    assert first.captured_at == NOW
    # Recorded with fields=id,message,created_time: no counts were served, none invented.
    assert (first.metrics.likes, first.metrics.comments, first.metrics.shares) == (None,) * 3
    assert items[-1] == FollowerRecord(Platform.FACEBOOK, "page-4", NOW, 119_482_311)

    page1, page2 = graph.requests_to("/4/posts")
    assert page1.query["fields"].startswith("id,created_time,message,permalink_url,shares,")
    assert "reactions.summary(total_count).limit(0)" in page1.query["fields"]
    assert page1.query["limit"] == "25" and page1.query["access_token"] == TOKEN
    # The recorded next URL is followed as Graph wrote it, with our token instead of its own.
    assert page2.query["until"] == "1624385168"
    assert page2.query["__paging_token"] == "__paging_token"
    assert page2.query["access_token"] == TOKEN


async def test_facebook_second_fetch_reads_only_the_first_page(graph: FakeGraphApi) -> None:
    facebook = source(FacebookSource, graph)
    items = await facebook.fetch(fb(FB_PAGE, AccountKind.PEER), datetime(2021, 6, 25, tzinfo=UTC))
    await facebook.close()

    assert [p.post_id for p in records(items)] == [
        "4_10113477241177441",
        "4_10113449068715281",
        "4_10113400535556121",
    ]
    assert len(graph.requests_to("/4/posts")) == 1
    assert graph.requests_to("/insights") == []  # peers' insights belong to their admins


async def test_facebook_counts_come_from_summaries_and_shares(graph: FakeGraphApi) -> None:
    graph.post_insights["19292868552_10158347294088553"] = {
        "post_clicks": 310,
        "post_media_view": 10_450,
        "post_total_media_view_unique": 8_120,
    }
    facebook = source(FacebookSource, graph)
    since = datetime(2020, 1, 1, tzinfo=UTC)
    posts = by_id(await facebook.fetch(fb(FB_COUNTS_PAGE), since))
    cgtn = by_id(await facebook.fetch(fb(FB_SUMMARY_PAGE), since))
    await facebook.close()

    peering = posts["19292868552_10158347294088553"]
    assert peering.published_at == datetime(2021, 7, 8, 15, 30, 19, tzinfo=UTC)
    assert peering.url == "https://www.facebook.com/19292868552/posts/10158347294088553/"
    m = peering.metrics
    assert (m.likes, m.comments, m.shares) == (82, 12, 5)
    assert (m.clicks, m.impressions, m.reach) == (310, 10_450, 8_120)
    messenger = posts["19292868552_10158345715593553"].metrics
    assert (messenger.likes, messenger.comments, messenger.shares) == (110, 11, 11)
    assert messenger.clicks is None  # no insights served: nothing invented

    sea_lions = cgtn["565225540184937_4018908568149933"]
    assert sea_lions.published_at == datetime(2020, 2, 18, 5, 20, 33, tzinfo=UTC)
    # reactions.summary.total_count, comments.summary.total_count; no `shares` means nobody did.
    assert (sea_lions.metrics.likes, sea_lions.metrics.comments) == (8878, 47)
    assert sea_lions.metrics.shares == 0

    insights = graph.requests_to("/insights")
    assert insights[0].query["metric"] == "post_clicks,post_media_view,post_total_media_view_unique"


async def test_facebook_invalid_metric_keeps_the_post_and_warns_once(
    graph: FakeGraphApi, caplog: pytest.LogCaptureFixture
) -> None:
    graph.invalid_metrics.add("post_clicks")
    facebook = source(FacebookSource, graph)
    with caplog.at_level(logging.WARNING, logger="winsbot.sources.meta"):
        items = await facebook.fetch(fb(FB_COUNTS_PAGE), datetime(2020, 1, 1, tzinfo=UTC))
    await facebook.close()

    posts = records(items)
    assert len(posts) == 2 and all(p.metrics.clicks is None for p in posts)
    assert posts[0].metrics.likes == 82
    assert len(graph.requests_to("/insights")) == 2
    warnings = [r for r in caplog.records if "no insights" in r.getMessage()]
    assert len(warnings) == 1 and "Graph error 100" in warnings[0].getMessage()


async def test_facebook_malformed_posts_become_row_problems(graph: FakeGraphApi) -> None:
    graph.serve_posts(
        "999",
        [
            {"id": "999_1", "created_time": "2026-11-20T10:00:00+0000", "message": "fine"},
            {"id": "999_2", "created_time": "last Tuesday"},
            {"message": "no id at all", "created_time": "2026-11-19T10:00:00+0000"},
            {
                "id": "999_3",
                "created_time": "2026-11-18T10:00:00+0000",
                "reactions": {"summary": {"total_count": "lots"}},
            },
            {"id": "999_4", "created_time": "2026-11-17T10:00:00+0000"},
        ],
    )
    graph.nodes["999"] = {"id": "999"}  # a page that hides its follower count
    facebook = source(FacebookSource, graph)
    items = await facebook.fetch(fb("999", AccountKind.PEER), datetime(2026, 11, 1, tzinfo=UTC))
    await facebook.close()

    assert [p.post_id for p in records(items)] == ["999_1", "999_4"]
    problems = [item for item in items if isinstance(item, RowProblem)]
    assert [p.line for p in problems] == [0, 0, 0]
    assert problems[0].reason.startswith("facebook post 999_2: ")
    assert problems[1].reason == "facebook post ?: no id"
    assert problems[2].reason.startswith("facebook post 999_3: expected a count")
    assert not any(isinstance(item, FollowerRecord) for item in items)


# ------------------------------------------------------------------------------ Instagram


async def test_instagram_reads_media_counts_and_insights_from_the_fixtures(
    graph: FakeGraphApi,
) -> None:
    instagram = source(InstagramSource, graph)
    items = await instagram.fetch(ig(), datetime(2021, 8, 1, tzinfo=UTC))
    await instagram.close()

    media = by_id(items)
    assert list(media) == ["17895731045244887", "17896622936197745", "17895000000000001"]
    second = media["17896622936197745"]
    assert second.published_at == datetime(2021, 8, 13, 8, 2, 40, tzinfo=UTC)
    assert second.url == "https://www.instagram.com/p/CSgdWACBeKr/"
    assert second.text is None  # no caption in the recording
    assert second.format is PostFormat.IMAGE
    m = second.metrics
    assert (m.likes, m.comments) == (2, 6)
    # instagram_media_insights.json (2021): impressions 8, reach 5, saved 0.
    assert (m.impressions, m.reach, m.saves, m.shares) == (8, 5, 0, None)
    assert items[-1] == FollowerRecord(Platform.INSTAGRAM, "acme.ig", NOW, 1_234)

    page1, page2 = graph.requests_to(f"/{IG_USER}/media")
    assert page1.query["fields"] == (
        "id,caption,media_type,media_product_type,permalink,timestamp,like_count,comments_count"
    )
    assert page2.query["after"] == "after" and page2.query["access_token"] == TOKEN
    assert {r.query["metric"] for r in graph.requests_to("/insights")} == {
        "views,reach,saved,shares"
    }


async def test_instagram_current_insight_names_map_to_metrics(graph: FakeGraphApi) -> None:
    def insight(name: str, value: int) -> dict[str, object]:
        return {"name": name, "period": "lifetime", "values": [{"value": value}], "id": "x"}

    current = {
        "data": [
            insight("views", 1_500),
            insight("reach", 900),
            insight("saved", 12),
            insight("shares", 7),
            insight("total_interactions", 80),
        ]
    }
    graph.media_insights["17895000000000001"] = json.dumps(current)  # the synthetic reel
    instagram = source(InstagramSource, graph)
    reel = by_id(await instagram.fetch(ig(), datetime(2021, 8, 1, tzinfo=UTC)))["17895000000000001"]
    await instagram.close()

    m = reel.metrics
    assert (m.impressions, m.video_views, m.reach, m.saves, m.shares) == (1_500, 1_500, 900, 12, 7)
    assert (m.likes, m.comments) == (9, 1)
    # A reel is its own format for detection's baseline; the recorded media are images.
    assert reel.format is PostFormat.REEL


# ---------------------------------------------------------------------------- transport


async def test_graph_rate_limit_code_is_waited_out(graph: FakeGraphApi) -> None:
    graph.rate_limit_next(code=32, minutes=2)
    graph.rate_limit_next(code=4, minutes=None)
    sleeps = Sleeps()
    facebook = source(FacebookSource, graph, sleeps)
    items = await facebook.fetch(fb(FB_PAGE, AccountKind.PEER), datetime(2021, 6, 25, tzinfo=UTC))
    await facebook.close()

    assert len(records(items)) == 3
    assert len(sleeps) == 2
    assert 120 <= sleeps[0] <= 120.25  # estimated_time_to_regain_access: 2 minutes
    assert 60 <= sleeps[1] <= 60.25  # X-App-Usage says nothing about when: a minute


async def test_graph_server_error_then_success(graph: FakeGraphApi) -> None:
    graph.fail_next(500)
    sleeps = Sleeps()
    facebook = source(FacebookSource, graph, sleeps)
    items = await facebook.fetch(fb(FB_PAGE, AccountKind.PEER), datetime(2021, 6, 25, tzinfo=UTC))
    await facebook.close()
    assert len(records(items)) == 3 and len(sleeps) == 1


async def test_graph_timeout_then_success(graph: FakeGraphApi) -> None:
    graph.delay_next(1.0)
    sleeps = Sleeps()
    instagram = source(InstagramSource, graph, sleeps, timeout=0.2)
    items = await instagram.fetch(ig(AccountKind.PEER), datetime(2021, 8, 13, tzinfo=UTC))
    await instagram.close()
    assert len(records(items)) == 2 and len(sleeps) == 1


async def test_graph_truncated_json_is_a_source_error(graph: FakeGraphApi) -> None:
    graph.truncate_next()
    facebook = source(FacebookSource, graph)
    with pytest.raises(SourceError, match="not JSON"):
        await facebook.fetch(fb(FB_PAGE), datetime(2021, 6, 25, tzinfo=UTC))
    await facebook.close()


async def test_graph_expired_token_is_an_auth_error(graph: FakeGraphApi) -> None:
    graph.expired_token()
    instagram = source(InstagramSource, graph)
    with pytest.raises(SourceAuthError, match=r"Graph error 190: .*Session has expired") as err:
        await instagram.fetch(ig(), datetime(2021, 8, 1, tzinfo=UTC))
    await instagram.close()
    assert "META_TOKEN" in str(err.value)
    assert TOKEN not in str(err.value)


async def test_graph_expired_token_during_insights_ends_the_round(graph: FakeGraphApi) -> None:
    graph.expired_token(only="/insights")
    facebook = source(FacebookSource, graph)
    with pytest.raises(SourceAuthError, match="Graph error 190"):
        await facebook.fetch(fb(FB_COUNTS_PAGE), datetime(2020, 1, 1, tzinfo=UTC))
    await facebook.close()
    assert [r.path for r in graph.requests] == [
        f"/{FB_COUNTS_PAGE}/posts",
        "/19292868552_10158347294088553/insights",
    ]


async def test_missing_meta_token_names_the_setting(graph: FakeGraphApi, tmp_path: Path) -> None:
    settings = Settings(output_dir=tmp_path, META_BASE_URL=graph.base_url)
    for cls in (FacebookSource, InstagramSource):
        unconfigured = cls.from_settings(settings.model_copy(update={"meta_token": None}))
        with pytest.raises(SourceAuthError, match="set META_TOKEN"):
            await unconfigured.fetch(fb(FB_PAGE), datetime(2021, 6, 25, tzinfo=UTC))
        await unconfigured.close()
    assert graph.requests == []


async def test_check_and_from_settings_speak_to_the_configured_graph(
    graph: FakeGraphApi, tmp_path: Path
) -> None:
    settings = Settings(output_dir=tmp_path, META_BASE_URL=graph.base_url, META_TOKEN=TOKEN)
    facebook = FacebookSource.from_settings(settings)
    assert await facebook.check() == "Facebook (Graph API) as Winsbot Test Page (104845791869513)"
    await facebook.close()
    assert graph.requests[0].path == "/me"
    assert graph.requests[0].query["access_token"] == TOKEN


def test_request_urls_with_tokens_are_never_logged_at_info() -> None:
    """Graph takes the token in the query string; httpx would log it at INFO."""
    import logging

    from bot.cli.context import configure_logging
    from bot.config import Settings

    # Every command logs through configure_logging; built here from Settings() directly, so a
    # winsbot.toml or WINSBOT_* left by another test cannot stop the check before it runs.
    logging.getLogger("httpx").setLevel(logging.NOTSET)
    configure_logging(Settings())
    assert logging.getLogger("httpx").getEffectiveLevel() >= logging.WARNING
    assert logging.getLogger("httpcore").getEffectiveLevel() >= logging.WARNING

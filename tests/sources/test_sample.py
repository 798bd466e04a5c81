"""The sample history must tell the demo's story (wins, a milestone, a campaign) for any seed."""

from __future__ import annotations

import statistics
from collections import defaultdict
from datetime import UTC, datetime, time, timedelta
from itertools import pairwise

import pytest

from adapters.sources.sample import (
    GRAD_PILOT_HASHTAG,
    benchmark_records,
    sample_accounts,
    sample_campaigns,
    sample_records,
)
from bot.domain.models import METRIC_NAMES, AccountKind, FollowerRecord, Platform, SnapshotRecord

END = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)  # a Monday morning, when digests go out
SEEDS = (7, 1, 2024)
Record = SnapshotRecord | FollowerRecord
PostKey = tuple[Platform, str]


@pytest.fixture(scope="module", params=SEEDS)
def records(request: pytest.FixtureRequest) -> list[Record]:
    return list(sample_records(END, seed=request.param))


def snapshots(records: list[Record]) -> list[SnapshotRecord]:
    return [r for r in records if isinstance(r, SnapshotRecord)]


def series_by_post(records: list[Record]) -> dict[PostKey, list[SnapshotRecord]]:
    posts: dict[PostKey, list[SnapshotRecord]] = defaultdict(list)
    for r in snapshots(records):
        posts[(r.platform, r.post_id)].append(r)
    return posts


def latest_by_post(records: list[Record]) -> dict[PostKey, SnapshotRecord]:
    return {
        key: max(s, key=lambda r: r.captured_at or END)
        for key, s in series_by_post(records).items()
    }


def test_same_seed_and_end_give_identical_output() -> None:
    first = list(sample_records(END, seed=3))
    second = list(sample_records(END, seed=3))
    assert first == second
    assert repr(first) == repr(second)


def test_a_different_seed_gives_different_history() -> None:
    assert list(sample_records(END, seed=3)) != list(sample_records(END, seed=4))


def test_accounts_span_platforms_departments_and_peers() -> None:
    accounts = sample_accounts()
    ours = [a for a in accounts if a.kind is AccountKind.OURS]
    tags = {t for a in ours for t in a.tags}
    assert len({a.platform for a in accounts}) >= 4
    assert {"brand", "recruiting", "product", "customer-care"} <= tags
    assert 8 <= len(ours) <= 10
    assert len([a for a in accounts if a.kind is AccountKind.PEER]) == 2
    assert any(len(set(a.tags) - {"brand"}) >= 2 for a in ours)
    assert len({(a.platform, a.handle) for a in accounts}) == len(accounts)


def test_every_account_has_posts_and_daily_follower_counts(records: list[Record]) -> None:
    keys = {(a.platform, a.handle) for a in sample_accounts()}
    assert {(r.platform, r.account) for r in snapshots(records)} == keys
    followers = [r for r in records if isinstance(r, FollowerRecord)]
    assert len(followers) == len(keys) * 91


def test_history_covers_ninety_days_and_ends_at_end(records: list[Record]) -> None:
    times = [r.captured_at for r in records if r.captured_at is not None]
    assert len(times) == len(records)
    assert min(times) == END - timedelta(days=90)
    assert max(times) == END
    assert times == sorted(times)  # follower and post records interleave in time order


def test_times_are_utc_and_snapshots_fall_between_publication_and_end(
    records: list[Record],
) -> None:
    for r in snapshots(records):
        assert r.captured_at is not None
        assert r.published_at.utcoffset() == timedelta(0)
        assert r.captured_at.tzinfo is UTC
        assert r.published_at <= r.captured_at <= END
        assert r.published_at >= END - timedelta(days=90)


def test_counts_never_decrease_as_a_post_matures(records: list[Record]) -> None:
    for series in series_by_post(records).values():
        for earlier, later in pairwise(series):
            for name in METRIC_NAMES:
                before, after = getattr(earlier.metrics, name), getattr(later.metrics, name)
                assert (before is None) == (after is None)
                assert before is None or before <= after


def age(snapshot: SnapshotRecord) -> timedelta:
    assert snapshot.captured_at is not None
    return snapshot.captured_at - snapshot.published_at


def test_most_engagement_arrives_in_the_first_day(records: list[Record]) -> None:
    day_one, total = 0, 0
    for series in series_by_post(records).values():
        if age(series[-1]) >= timedelta(days=14):
            day_one += next(s.metrics.engagement for s in series if age(s) == timedelta(days=1))
            total += series[-1].metrics.engagement
    assert 0.75 < day_one / total < 0.95


def test_post_ids_are_unique_per_platform_and_appear_in_urls(records: list[Record]) -> None:
    latest = latest_by_post(records)
    assert len(latest) > 400
    for (_, post_id), r in latest.items():
        assert r.url is not None and post_id in r.url
        assert r.text
    assert any(r.url.startswith("https://bsky.app/profile/") for r in latest.values() if r.url)


def test_only_platforms_that_report_impressions_have_them(records: list[Record]) -> None:
    for r in latest_by_post(records).values():
        no_impressions = r.platform in (Platform.MASTODON, Platform.BLUESKY, Platform.YOUTUBE)
        assert (r.metrics.impressions is None) == no_impressions
        if r.metrics.impressions is not None:
            assert r.metrics.impressions >= 15 * r.metrics.engagement
        if r.platform is Platform.YOUTUBE:
            assert r.metrics.video_views
        if r.text and GRAD_PILOT_HASHTAG not in r.text:  # calls to apply are click-heavy
            assert r.metrics.likes is not None and r.metrics.likes >= r.metrics.engagement // 3


def test_an_account_of_ours_passes_a_round_milestone_in_the_last_fortnight(
    records: list[Record],
) -> None:
    ours = {(a.platform, a.handle) for a in sample_accounts() if a.kind is AccountKind.OURS}
    counts: dict[tuple[Platform, str], list[FollowerRecord]] = defaultdict(list)
    for r in records:
        if isinstance(r, FollowerRecord):
            counts[(r.platform, r.account)].append(r)
    crossings = [
        (key, later.captured_at)
        for key, series in counts.items()
        for earlier, later in pairwise(series)
        if key in ours and earlier.followers < 50_000 <= later.followers
    ]
    assert len(crossings) == 1
    assert crossings[0][1] >= END - timedelta(days=14)


def test_a_few_outliers_stand_out_and_some_are_recent(records: list[Record]) -> None:
    latest = latest_by_post(records)
    by_account: dict[tuple[Platform, str], list[int]] = defaultdict(list)
    for r in latest.values():
        by_account[(r.platform, r.account)].append(r.metrics.engagement)
    medians = {key: statistics.median(values) for key, values in by_account.items()}
    outliers = [
        r for r in latest.values() if r.metrics.engagement >= 5 * medians[(r.platform, r.account)]
    ]
    assert 6 <= len(outliers) <= 14
    assert len([r for r in outliers if r.published_at >= END - timedelta(days=7)]) >= 2


def test_the_pilot_posts_reach_the_campaign_target_within_its_window(
    records: list[Record],
) -> None:
    (campaign,) = sample_campaigns(END)
    assert campaign.hashtag == GRAD_PILOT_HASHTAG
    window_start = datetime.combine(campaign.starts_on, time(0), tzinfo=UTC)
    window_end = datetime.combine(campaign.ends_on, time(0), tzinfo=UTC)  # ends_on excluded
    recruiting = {(a.platform, a.handle) for a in sample_accounts() if "recruiting" in a.tags}
    clicks = 0
    for series in series_by_post(records).values():
        post = series[0]
        assert post.text is not None
        if (
            GRAD_PILOT_HASHTAG in post.text
            and (post.platform, post.account) in recruiting
            and window_start <= post.published_at < window_end
        ):
            in_window = [s for s in series if s.captured_at and s.captured_at < window_end]
            clicks += in_window[-1].metrics.clicks or 0
    assert clicks >= campaign.target


def test_pilot_posts_only_appear_during_the_campaign(records: list[Record]) -> None:
    (campaign,) = sample_campaigns(END)
    pilot = [r for r in latest_by_post(records).values() if r.text and GRAD_PILOT_HASHTAG in r.text]
    assert len(pilot) == 6
    assert all(campaign.starts_on <= r.published_at.date() <= campaign.ends_on for r in pilot)


def test_a_naive_end_is_refused() -> None:
    with pytest.raises(ValueError, match="timezone-aware"):
        next(sample_records(datetime(2026, 3, 2)))


def test_benchmark_records_yield_exactly_the_requested_unique_snapshots() -> None:
    records = list(benchmark_records(250, 40, end=END))
    assert len(records) == 250 * 40
    assert len({(r.post_id, r.captured_at) for r in records}) == len(records)
    assert len({r.post_id for r in records}) == 250
    assert len({r.platform for r in records}) == 4
    assert len({(r.platform, r.account) for r in records}) == 20
    assert all(r.captured_at is not None and r.captured_at <= END for r in records)
    assert records == list(benchmark_records(250, 40, end=END))


def test_benchmark_counts_grow_per_post() -> None:
    previous: SnapshotRecord | None = None
    for r in benchmark_records(20, 30, end=END):
        if previous is not None and previous.post_id == r.post_id:
            assert previous.metrics.likes is not None and r.metrics.likes is not None
            assert previous.metrics.likes <= r.metrics.likes
        previous = r

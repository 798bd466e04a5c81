"""Packing records for ingest: each post once, rows in column order, moments as UTC text."""

from __future__ import annotations

import pickle
from datetime import UTC, datetime, timedelta, timezone

from bot.domain.batches import from_utc_text, pack, packed, utc_text
from bot.domain.models import (
    FollowerRecord,
    Metrics,
    Platform,
    PostFormat,
    RowProblem,
    SnapshotRecord,
)

T0 = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)


def snap(post: str, hours: int | None, likes: int, **kw: object) -> SnapshotRecord:
    return SnapshotRecord(
        Platform.LINKEDIN,
        "acme",
        post,
        T0,
        Metrics(impressions=likes * 30, likes=likes, comments=1, video_views=7),
        captured_at=None if hours is None else T0 + timedelta(hours=hours),
        **kw,  # type: ignore[arg-type]
    )


def test_a_post_is_named_once_with_the_facts_of_its_first_record() -> None:
    batch = pack(
        [
            snap("p1", 1, 10, url="https://x/1", text="first", format=PostFormat.VIDEO),
            snap("p2", 1, 3),
            snap("p1", 2, 20, url="https://x/1-changed", text="second"),
        ]
    )
    assert batch.posts == [
        ("linkedin", "p1", "acme", T0, "https://x/1", "first", "video"),
        ("linkedin", "p2", "acme", T0, None, None, None),
    ]
    assert [row[0] for row in batch.snapshots] == [0, 1, 0]


def test_a_row_holds_the_counts_in_column_order_and_its_engagement() -> None:
    (row,) = pack([snap("p1", 1, 10)]).snapshots
    # impressions, reach, likes, comments, shares, quotes, saves, clicks, video_views
    assert row == (0, "2026-11-02 10:00:00.000000", 300, None, 10, 1, None, None, None, None, 7, 11)


def test_moments_become_utc_text_whatever_their_offset_and_come_back_equal() -> None:
    paris = datetime(2026, 7, 14, 11, 30, 0, 250, tzinfo=timezone(timedelta(hours=2)))
    assert utc_text(paris) == "2026-07-14 09:30:00.000250"
    assert from_utc_text(utc_text(paris)) == paris
    # The text order is the time order, which the store's range queries rely on.
    moments = [T0 + timedelta(minutes=7 * i, microseconds=i) for i in range(50)]
    assert sorted(utc_text(m) for m in reversed(moments)) == [utc_text(m) for m in moments]


def test_a_row_without_capture_time_keeps_none_for_ingest_to_fill() -> None:
    (row,) = pack([snap("p1", None, 10, followers=5000)]).snapshots
    assert row[1] is None
    assert pack([snap("p1", None, 10, followers=5000)]).post_followers == [(0, None, 5000)]


def test_follower_counts_and_problems_are_kept_apart() -> None:
    follower = FollowerRecord(Platform.X, "acme", T0, 1234)
    problem = RowProblem(7, "column 'likes': expected a whole number, got 'abc'")
    batch = pack([snap("p1", 1, 10, followers=900), follower, problem])
    assert batch.followers == [follower]
    assert batch.problems == [problem]
    assert batch.post_followers == [(0, "2026-11-02 10:00:00.000000", 900)]
    assert batch.rows == 2


def test_batches_are_cut_at_the_size_and_survive_pickling() -> None:
    records = [snap(f"p{i // 3}", i % 3, i) for i in range(10)]
    batches = list(packed(iter(records), 4))
    assert [len(b.snapshots) for b in batches] == [4, 4, 2]
    # A post split across batches is named again in each: batches are stored independently.
    assert [b.posts[0][1] for b in batches] == ["p0", "p1", "p2"]
    copy = pickle.loads(pickle.dumps(batches[0], protocol=5))
    assert copy == batches[0]

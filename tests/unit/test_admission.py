"""Admission: every record from any source is inside the store's bounds, or a named problem."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from hypothesis import given
from hypothesis import strategies as st

from bot.domain.admission import EARLIEST, MAX_COUNT, MAX_NAME_LENGTH, admit
from bot.domain.models import FollowerRecord, Metrics, Platform, RowProblem, SnapshotRecord

NOW = datetime(2026, 11, 30, 9, tzinfo=UTC)
counts = st.one_of(st.none(), st.integers(min_value=-(2**70), max_value=2**70))
moments = st.datetimes(
    min_value=datetime(1, 1, 2), max_value=datetime(9999, 12, 30), timezones=st.just(UTC)
)


@given(
    account=st.text(max_size=260),
    post_id=st.text(max_size=260),
    published=moments,
    captured=st.one_of(st.none(), moments),
    likes=counts,
    views=counts,
    followers=counts,
    text=st.one_of(st.none(), st.text()),
)
def test_an_admitted_record_is_inside_every_bound(
    account: str,
    post_id: str,
    published: datetime,
    captured: datetime | None,
    likes: int | None,
    views: int | None,
    followers: int | None,
    text: str | None,
) -> None:
    record = SnapshotRecord(
        Platform.X, account, post_id, published, Metrics(likes=likes, video_views=views),
        text=text, url=text, followers=followers, captured_at=captured,
    )  # fmt: skip
    [out] = admit([record], now=NOW)
    if isinstance(out, RowProblem):
        assert out.reason.startswith("X ") and out.line == 0
        return
    assert isinstance(out, SnapshotRecord)
    for name in (out.account, out.post_id):
        assert 0 < len(name) <= MAX_NAME_LENGTH and "\x00" not in name
    assert "\x00" not in (out.text or "") and "\x00" not in (out.url or "")
    assert (out.text or "") == (text or "").replace("\x00", "")
    for moment in (out.published_at, out.captured_at or out.published_at):
        assert EARLIEST <= moment <= NOW + timedelta(days=1)
    for count in (out.metrics.likes, out.metrics.video_views, out.followers):
        assert count is None or 0 <= count <= MAX_COUNT


def test_a_clean_record_passes_untouched_and_problems_pass_through() -> None:
    record = SnapshotRecord(Platform.X, "acme", "1", NOW, Metrics(likes=3), text="hi")
    problem = RowProblem(4, "broken")
    assert admit([record, problem], now=NOW) == [record, problem]
    assert admit([record], now=NOW)[0] is record


def test_follower_counts_past_the_bound_are_problems_naming_the_account() -> None:
    [out] = admit([FollowerRecord(Platform.YOUTUBE, "acme", NOW, MAX_COUNT + 1)], now=NOW)
    assert isinstance(out, RowProblem)
    assert out.reason == "YouTube 'acme' followers: followers 1000000000001 is not a count " + (
        f"(0 to {MAX_COUNT:,})"
    )


def test_a_naive_time_is_a_problem_not_a_crash() -> None:
    naive = SnapshotRecord(Platform.X, "acme", "1", datetime(2026, 1, 1), Metrics(likes=1))
    [out] = admit([naive], now=NOW)
    assert isinstance(out, RowProblem) and "no time zone" in out.reason

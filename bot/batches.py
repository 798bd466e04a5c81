"""Source records packed for ingest: the compact form a million-row import moves and stores.

A ``SnapshotRecord`` is what parsers and API clients naturally build, but per row it is the
expensive shape: its two datetimes pickle slowly (a background parser hands rows to another
process) and turning its fields into a database row costs attribute lookups and a timestamp
conversion. A ``RecordBatch`` names each post once and keeps every snapshot as one flat tuple
already in the order of the ``post_snapshots`` columns, with its moment as UTC text, so ingest
does one tuple build per row and the batch crosses a process boundary as small as it gets.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from itertools import islice

from bot.models import FollowerRecord, RowProblem, SnapshotRecord, SourceItem

# Rows per batch (and per ingest transaction): big enough that the per-batch queries and the
# commit are a small share of an import, small enough that a batch is a few megabytes.
BATCH_SIZE = 25_000
# (platform, external id, account handle, published_at, url, text): each post once per batch.
PostFacts = tuple[str, str, str, datetime, str | None, str | None]
# (index into RecordBatch.posts, captured_at as utc_text or None when the source did not say,
#  the nine counts in METRIC_NAMES order, engagement).
PackedSnapshot = tuple[
    int, str | None, int | None, int | None, int | None, int | None, int | None, int | None,
    int | None, int | None, int | None, int,
]  # fmt: skip
# (index into RecordBatch.posts, captured_at as utc_text or None, followers): the account's
# follower count as reported on a post's row.
PackedFollowers = tuple[int, str | None, int]


def utc_text(moment: datetime) -> str:
    """A moment as naive UTC ISO text with microseconds ("2026-11-23 09:00:00.000000").

    Texts of this shape sort and compare like the moments they name, and it is exactly the text
    SQLAlchemy stores for a DATETIME on SQLite, so packed rows go to SQLite as they are.
    """
    if moment.tzinfo is not UTC:  # sources hand over UTC already; convert only the odd one
        if moment.tzinfo is None:
            raise ValueError(f"naive datetime {moment!r}: a moment needs its time zone")
        moment = moment.astimezone(UTC)
    # Cutting "+00:00" off is half the cost of replace(tzinfo=None), once per imported row.
    return moment.isoformat(" ", "microseconds")[:-6]


def from_utc_text(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


@dataclass(slots=True)
class RecordBatch:
    """A batch of source items, packed; ingest stores each batch in one transaction."""

    posts: list[PostFacts] = field(default_factory=list)
    snapshots: list[PackedSnapshot] = field(default_factory=list)
    post_followers: list[PackedFollowers] = field(default_factory=list)
    followers: list[FollowerRecord] = field(default_factory=list)
    problems: list[RowProblem] = field(default_factory=list)

    @property
    def rows(self) -> int:
        """Records read into this batch (problems are counted apart)."""
        return len(self.snapshots) + len(self.followers)


def pack(items: Iterable[SourceItem]) -> RecordBatch:
    """Pack records into one batch; a post's facts are taken from its first record."""
    batch = RecordBatch()
    posts, snapshots, post_followers = batch.posts, batch.snapshots, batch.post_followers
    indexes: dict[tuple[str, str], int] = {}
    for item in items:
        if type(item) is not SnapshotRecord:
            if isinstance(item, FollowerRecord):
                batch.followers.append(item)
            else:
                assert isinstance(item, RowProblem)
                batch.problems.append(item)
            continue
        key = (item.platform, item.post_id)
        index = indexes.get(key)
        if index is None:
            index = indexes[key] = len(posts)
            posts.append(
                (
                    item.platform.value, item.post_id, item.account, item.published_at,
                    item.url, item.text,
                )
            )  # fmt: skip
        captured = None if item.captured_at is None else utc_text(item.captured_at)
        m = item.metrics
        snapshots.append(
            (
                index, captured, m.impressions, m.reach, m.likes, m.comments, m.shares, m.quotes,
                m.saves, m.clicks, m.video_views, m.engagement,
            )
        )  # fmt: skip
        if item.followers is not None:
            post_followers.append((index, captured, item.followers))
    return batch


def packed(items: Iterable[SourceItem], size: int) -> Iterator[RecordBatch]:
    """Items in batches of at most ``size``, each packed; reads the items as it goes."""
    iterator = iter(items)
    while chunk := list(islice(iterator, size)):
        yield pack(chunk)

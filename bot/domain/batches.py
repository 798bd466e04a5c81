"""Source records packed for ingest: the compact form a million-row import moves and stores.

A ``SnapshotRecord`` is what parsers and API clients naturally build, but per row it is the
expensive shape: its two datetimes pickle slowly (a background parser hands rows to another
process) and turning its fields into a database row costs attribute lookups and a timestamp
conversion. A ``RecordBatch`` names each post once and keeps every snapshot as one flat tuple
already in the order of the ``post_snapshots`` columns, with its moment as UTC text, so ingest
does one tuple build per row and the batch crosses a process boundary as small as it gets.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from enum import Enum
from itertools import islice
from typing import Final

from bot.domain.models import (
    ENGAGEMENT_METRICS,
    METRIC_NAMES,
    FollowerRecord,
    Platform,
    PostFormat,
    RowProblem,
    SnapshotRecord,
    SourceItem,
)

# Rows per batch (and per ingest transaction): big enough that the per-batch queries and the
# commit are a small share of an import, small enough that a batch is a few megabytes.
BATCH_SIZE = 25_000
# (platform, external id, account handle, published_at, url, text, format): each post once per
# batch.
PostFacts = tuple[str, str, str, datetime, str | None, str | None, str | None]
# (platform, account handle, external id, published_at, url, text, format): a post as a source
# names it, in the order of SnapshotRecord's fields.
SourcePost = tuple[Platform, str, str, datetime, str | None, str | None, PostFormat | None]
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
    undated: int = 0  # snapshots without a capture time, for ingest to date

    @property
    def rows(self) -> int:
        """Records read into this batch (problems are counted apart)."""
        return len(self.snapshots) + len(self.followers)


class Packed(Enum):
    """What a parser that packs rows itself returns for a row it added to the batch."""

    ROW = "row"


PACKED: Final = Packed.ROW
_ENGAGEMENT = slice(METRIC_NAMES.index("likes"), METRIC_NAMES.index("clicks") + 1)
assert METRIC_NAMES[_ENGAGEMENT] == ENGAGEMENT_METRICS, "engagement counts must be adjacent"


class BatchBuilder:
    """Fills a RecordBatch a record at a time; ``take`` hands it over and starts the next.

    Parsers that stream millions of rows call ``add_snapshot`` with the fields they already
    hold, skipping the SnapshotRecord and Metrics objects ``add`` would unpack again.
    """

    __slots__ = ("_batch", "_by_id", "_by_key", "_last_index", "_last_post", "_platforms")

    def __init__(self) -> None:
        self._start()

    def _start(self) -> None:
        self._batch = RecordBatch()
        # Posts by external id alone (a str hash is cheap, an enum's is a Python call); the
        # rare id used on two platforms falls back to _by_key.
        self._by_id: dict[str, int] = {}
        self._by_key: dict[tuple[Platform, str], int] = {}
        self._platforms: list[Platform] = []
        self._last_post: SourcePost | None = None
        self._last_index = 0

    def add_snapshot(
        self,
        post: SourcePost,
        counts: Sequence[int | None],
        followers: int | None,
        captured: str | None,
    ) -> None:
        """One snapshot: ``counts`` in METRIC_NAMES order, ``captured`` as utc_text or None.

        A parser that hands over the same ``post`` object for each row of one post (rows of a
        history usually come together) skips even the lookup by id.
        """
        if post is self._last_post:
            index = self._last_index
        else:
            index = self._index_of(post)
            self._last_post, self._last_index = post, index
        engagement = sum(filter(None, counts[_ENGAGEMENT]))
        row: PackedSnapshot = (index, captured, *counts, engagement)  # type: ignore[assignment]
        self._batch.snapshots.append(row)
        if captured is None:
            self._batch.undated += 1
        if followers is not None:
            self._batch.post_followers.append((index, captured, followers))

    def _index_of(self, post: SourcePost) -> int:
        platform, account, post_id, published_at, url, text, post_format = post
        index = self._by_id.get(post_id)
        if index is None or self._platforms[index] is not platform:
            index = self._by_key.get((platform, post_id))
            if index is None:
                index = self._by_key[(platform, post_id)] = len(self._platforms)
                self._platforms.append(platform)
                fmt = None if post_format is None else post_format.value
                self._batch.posts.append(
                    (platform.value, post_id, account, published_at, url, text, fmt)
                )
            self._by_id[post_id] = index
        return index

    def add(self, item: SourceItem) -> None:
        if type(item) is SnapshotRecord:
            m = item.metrics
            self.add_snapshot(
                (
                    item.platform, item.account, item.post_id, item.published_at, item.url,
                    item.text, item.format,
                ),
                (
                    m.impressions, m.reach, m.likes, m.comments, m.shares, m.quotes, m.saves,
                    m.clicks, m.video_views,
                ),
                item.followers,
                None if item.captured_at is None else utc_text(item.captured_at),
            )  # fmt: skip
        elif isinstance(item, FollowerRecord):
            self._batch.followers.append(item)
        else:
            assert isinstance(item, RowProblem)
            self._batch.problems.append(item)

    def take(self) -> RecordBatch:
        batch = self._batch
        self._start()
        return batch


def pack(items: Iterable[SourceItem]) -> RecordBatch:
    """Pack records into one batch; a post's facts are taken from its first record."""
    builder = BatchBuilder()
    for item in items:
        builder.add(item)
    return builder.take()


def packed(items: Iterable[SourceItem], size: int) -> Iterator[RecordBatch]:
    """Items in batches of at most ``size``, each packed; reads the items as it goes."""
    iterator = iter(items)
    while chunk := list(islice(iterator, size)):
        yield pack(chunk)

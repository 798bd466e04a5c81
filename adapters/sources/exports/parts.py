"""One record per post from exports that list a post on several rows, one per part of it.

LinkedIn lists a boosted post on rows with the same link: its organic part, its sponsored part
and (in the exports that have one) their total, told apart by the post type column. Storing the
rows as they come keeps only the first (the store keeps one snapshot per post and moment), so
a post with 6,373 impressions would be stored with its organic 3,766. Here a file's rows are
held by post until the file ends, then each post becomes one record of its whole numbers: the
total row if there is one, else the sum of its distinct parts. When the rows do not add up to
a clear whole (an unreadable row among them, two different rows of one part, a part column
saying something unknown), the post is reported rather than stored with part of its numbers.

Posts are held, not rows, and only for the formats with part columns (LinkedIn's exports run to
thousands of posts, not millions of rows), so memory stays small.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, replace

from bot.domain.models import METRIC_NAMES, Metrics, RowProblem, SnapshotRecord, SourceItem

from .aliases_linkedin import part_kind
from .rows import RowBuilder


@dataclass(frozen=True, slots=True)
class _Part:
    line: int
    kind: str | None
    label: str
    record: SnapshotRecord


class PartMerger:
    """Reads a file's rows through ``add`` and hands back one item per post from ``results``."""

    def __init__(self, builder: RowBuilder) -> None:
        self._builder = builder
        self._posts: dict[str, list[_Part]] = {}
        self._unreadable: dict[str, int] = {}  # post key -> line of its first unreadable row

    def add(self, row: list[str], line: int) -> SourceItem | None:
        """A row's problem at once; its record is held until ``results``."""
        key = self._builder.post_key(row)
        label = self._builder.part_of(row)
        item = self._builder.build(row, line)
        if isinstance(item, SnapshotRecord):
            self._posts.setdefault(key, []).append(_Part(line, part_kind(label), label, item))
            return None
        if isinstance(item, RowProblem) and key:
            self._unreadable.setdefault(key, line)
        return item

    def results(self) -> Iterator[SourceItem]:
        """Each post once, in the order of its first row."""
        for key, parts in self._posts.items():
            unreadable = self._unreadable.get(key)
            if unreadable is not None:
                yield RowProblem(
                    parts[0].line,
                    f"post {parts[0].record.post_id} not imported: its row on line "
                    f"{unreadable} could not be read, and the rows left hold only part of its "
                    "numbers. Fix that row and import the file again.",
                )
            else:
                yield self._whole(parts)

    def _whole(self, parts: list[_Part]) -> SourceItem:
        if len(parts) == 1:
            return parts[0].record
        totals = _distinct([part for part in parts if part.kind == "total"])
        pieces = [part for part in parts if part.kind != "total"]
        if len(totals) > 1:
            return self._unclear(parts, "it has different total rows")
        if totals:
            (total,) = totals
            summed = _sum(pieces) if pieces and _separate(pieces) else None
            return replace(total.record, metrics=_fill(total.record.metrics, summed))
        pieces = _distinct(pieces)
        if len(pieces) == 1:
            return pieces[0].record  # the same row twice
        if not _separate(pieces):
            return self._unclear(parts, "its rows are not one organic and one sponsored part")
        return replace(pieces[0].record, metrics=_sum(pieces))

    def _unclear(self, parts: list[_Part], why: str) -> RowProblem:
        lines = ", ".join(str(part.line) for part in parts)
        labels = ", ".join(repr(part.label) for part in parts)
        return RowProblem(
            parts[0].line,
            f"post {parts[0].record.post_id} not imported: {why}, so winsbot cannot tell its "
            f"whole numbers (lines {lines}; column {self._builder.part_header!r} says "
            f"{labels}). Expected one row, or an organic and a sponsored row with or without "
            "a total row.",
        )


def _distinct(parts: list[_Part]) -> list[_Part]:
    """Parts whose numbers differ: an export that repeats a row does not double a post."""
    seen: set[tuple[int | None, ...]] = set()
    kept = []
    for part in parts:
        counts = _counts(part.record.metrics)
        if counts not in seen:
            seen.add(counts)
            kept.append(part)
    return kept


def _counts(metrics: Metrics) -> tuple[int | None, ...]:
    return tuple(getattr(metrics, name) for name in METRIC_NAMES)


def _separate(parts: list[_Part]) -> bool:
    """True if the parts are each a known part, one of each kind: safe to add up."""
    kinds = [part.kind for part in parts]
    return None not in kinds and len(set(kinds)) == len(kinds)


def _sum(parts: list[_Part]) -> Metrics:
    counts: list[int | None] = []
    for position in range(len(METRIC_NAMES)):
        reported = [
            value for part in parts if (value := _counts(part.record.metrics)[position]) is not None
        ]
        counts.append(sum(reported) if reported else None)
    return Metrics(*counts)


def _fill(total: Metrics, parts: Metrics | None) -> Metrics:
    """The total row's counts, and the parts' sum for a count the total row left empty."""
    if parts is None:
        return total
    return Metrics(
        *(
            getattr(total, name) if getattr(total, name) is not None else getattr(parts, name)
            for name in METRIC_NAMES
        )
    )

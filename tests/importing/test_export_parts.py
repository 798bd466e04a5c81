"""A post listed on several rows (LinkedIn's boosted posts) is stored once, with its whole
numbers: the total row, or the sum of its organic and sponsored parts, never one part alone."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from sqlalchemy import select

from adapters.sources.exports import open_export
from bot.domain.models import Metrics, RowProblem, SnapshotRecord, SourceItem
from bot.store.db import Database
from bot.store.ingest import ingest_batches
from bot.store.tables import posts

DATA = Path(__file__).parent / "data"
BOOSTED = "urn:li:activity:7351000000000000002"
SUMMED = "urn:li:activity:7352000000000000003"
HEADER = ["Post title", "Post link", "Post type", "Created date", "Audience", "Impressions",
          "Clicks", "Likes", "Comments", "Reposts", "Content Type"]  # fmt: skip


def read(path: Path) -> list[SourceItem]:
    with open_export(path, account="acme-corp") as reader:
        return list(reader)


def by_id(items: list[SourceItem]) -> dict[str, Metrics]:
    return {item.post_id: item.metrics for item in items if isinstance(item, SnapshotRecord)}


def write_linkedin_csv(path: Path, rows: list[list[str]]) -> None:
    with path.open("w", newline="", encoding="utf-8") as file:
        file.write("All posts: each row is one post published by the page.\n")
        writer = csv.writer(file)
        writer.writerow(HEADER)
        writer.writerows(rows)


def row(link: str, kind: str, impressions: str, likes: str = "1") -> list[str]:
    url = f"https://www.linkedin.com/feed/update/urn:li:activity:{link}"
    return ["Post", url, kind, "07/14/2026", "", impressions, "1", likes, "0", "0", "Text"]


def test_a_boosted_post_on_three_rows_is_read_as_its_total_row() -> None:
    items = read(DATA / "linkedin_boosted.xlsx")

    assert [type(item) for item in items] == [SnapshotRecord] * 3
    assert by_id(items)[BOOSTED] == Metrics(
        impressions=6373, likes=71, comments=9, shares=4, clicks=129
    )


def test_a_boosted_post_without_a_total_row_is_the_sum_of_its_parts() -> None:
    metrics = by_id(read(DATA / "linkedin_boosted.xlsx"))[SUMMED]

    # organic 1,200 + sponsored 800 impressions, 860 + 540 views, 30 + 10 likes
    assert metrics == Metrics(
        impressions=2000, likes=40, comments=5, shares=1, clicks=36, video_views=1400
    )


async def test_the_stored_post_has_the_whole_impressions(db: Database) -> None:
    with open_export(DATA / "linkedin_boosted.xlsx", account="acme-corp") as reader:
        report = await ingest_batches(db, reader.batches())

    async with db.engine.connect() as conn:
        stored = dict(
            (await conn.execute(select(posts.c.external_id, posts.c.latest_impressions))).all()
        )
    assert stored[BOOSTED] == 6373  # not the organic row's 3,766
    assert stored[SUMMED] == 2000
    assert (report.posts_added, report.snapshots_added, report.problem_count) == (3, 3, 0)


def test_a_post_whose_part_row_cannot_be_read_is_reported_not_stored_in_part(
    tmp_path: Path,
) -> None:
    export = tmp_path / "posts.csv"
    write_linkedin_csv(
        export,
        [row("1", "Organic", "3766"), row("1", "Sponsored", "lots"), row("2", "Organic", "50")],
    )

    items = read(export)

    problems = [item for item in items if isinstance(item, RowProblem)]
    assert [problem.line for problem in problems] == [4, 3]
    assert problems[0].reason == "column 'Impressions': expected a whole number, got 'lots'"
    assert problems[1].reason.startswith(
        "post urn:li:activity:1 not imported: its row on line 4 could not be read"
    )
    assert list(by_id(items)) == ["urn:li:activity:2"]


@pytest.mark.parametrize(
    ("kinds", "why"),
    [
        (("Organic", "Organic"), "its rows are not one organic and one sponsored part"),
        (("Organic", "Boosted"), "its rows are not one organic and one sponsored part"),
        (("Total", "Total"), "it has different total rows"),
    ],
)
def test_rows_that_do_not_add_up_to_one_post_are_reported(
    tmp_path: Path, kinds: tuple[str, str], why: str
) -> None:
    export = tmp_path / "posts.csv"
    write_linkedin_csv(export, [row("1", kinds[0], "100"), row("1", kinds[1], "300")])

    (problem,) = read(export)

    assert isinstance(problem, RowProblem)
    assert problem.line == 3
    assert problem.reason.startswith(f"post urn:li:activity:1 not imported: {why}")
    assert f"(lines 3, 4; column 'Post type' says {kinds[0]!r}, {kinds[1]!r})" in problem.reason


def test_a_row_repeated_as_it_is_is_one_post_not_double_its_numbers(tmp_path: Path) -> None:
    export = tmp_path / "posts.csv"
    write_linkedin_csv(export, [row("1", "Organic", "100"), row("1", "Organic", "100")])

    assert by_id(read(export)) == {
        "urn:li:activity:1": Metrics(impressions=100, likes=1, comments=0, shares=0, clicks=1)
    }


def test_the_part_may_be_said_in_another_part_column_or_language(tmp_path: Path) -> None:
    export = tmp_path / "posts.csv"
    organic, sponsored = row("1", "", "120"), row("1", "", "80", likes="3")
    organic[4], sponsored[4] = "Orgánico", "Patrocinado"  # the Audience column, in Spanish
    write_linkedin_csv(export, [organic, sponsored])

    assert by_id(read(export))["urn:li:activity:1"].impressions == 200

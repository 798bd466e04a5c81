"""Each export the importer recognises, read from a small file shaped like the real one."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import openpyxl
import pytest

from adapters.sources.exports import open_export
from bot.domain.models import (
    FollowerRecord,
    Metrics,
    Platform,
    PostFormat,
    RowProblem,
    SnapshotRecord,
    SourceItem,
)

DATA = Path(__file__).parent / "data"


def read(path: Path, **options: str) -> tuple[str, list[SourceItem]]:
    with open_export(path, **options) as reader:
        return reader.format.name, list(reader)


def snapshots(items: list[SourceItem]) -> list[SnapshotRecord]:
    return [item for item in items if isinstance(item, SnapshotRecord)]


def at(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=UTC)


@dataclass(frozen=True)
class Account:
    """Several tools' exports hold the same accounts' posts; naming each account once leaves the
    expected records with only what the row itself says."""

    platform: Platform
    name: str

    def post(
        self,
        post_id: str,
        published_at: datetime,
        metrics: Metrics,
        *,
        url: str | None = None,
        text: str | None = None,
        followers: int | None = None,
        captured_at: datetime | None = None,
        format: PostFormat | None = None,
    ) -> SnapshotRecord:
        return SnapshotRecord(
            self.platform,
            self.name,
            post_id,
            published_at,
            metrics,
            url=url,
            text=text,
            followers=followers,
            captured_at=captured_at,
            format=format,
        )


X_ACME = Account(Platform.X, "acme")
LINKEDIN_ACME = Account(Platform.LINKEDIN, "acme-corp")
FACEBOOK_ACME = Account(Platform.FACEBOOK, "Acme Coffee")
INSTAGRAM_ACME = Account(Platform.INSTAGRAM, "acmecoffee")
BLUESKY_ACME = Account(Platform.BLUESKY, "acme.bsky.social")
MASTODON_ACME = Account(Platform.MASTODON, "@acme@mastodon.social")


class SampleExport:
    """Every item of the file is compared, not a field or two, so a column read into the wrong
    field or a row dropped anywhere in a sample shows up."""

    def __init__(
        self, behaviour: str, file: str, fmt: str, *items: SourceItem, **options: str
    ) -> None:
        self.behaviour = behaviour
        self.path = DATA / file
        self.format = fmt
        self.items = list(items)
        self.options = options


SAMPLE_EXPORTS = [
    SampleExport(
        "canonical_csv_reads_posts_followers_and_capture_times",
        "canonical.csv",
        "canonical",
        MASTODON_ACME.post(
            "112800000000000001",
            at(2026, 7, 14, 9, 30),
            Metrics(impressions=1200, likes=45, comments=3, shares=7),
            url="https://mastodon.social/@acme/112800000000000001",
            text="Launch day, finally",
            followers=5200,
            captured_at=at(2026, 7, 15, 8, 0),
        ),
        LINKEDIN_ACME.post(
            "urn:li:activity:7350000000000000001",
            at(2026, 7, 13, 10, 0),
            Metrics(
                impressions=3400, reach=2100, likes=80, comments=12, shares=5, saves=1, clicks=40
            ),
            url="https://www.linkedin.com/feed/update/urn:li:activity:7350000000000000001",
            text="We're hiring",
        ),
        X_ACME.post(
            "1944000000000000001",
            at(2026, 7, 12, 16, 45),
            Metrics(
                impressions=900, likes=30, comments=4, shares=6, saves=2, clicks=11, video_views=150
            ),
            url="https://x.com/acme/status/1944000000000000001",
        ),
        FollowerRecord(
            platform=Platform.BLUESKY,
            account="acme.bsky.social",
            captured_at=at(2026, 7, 15, 8, 0),
            followers=5310,
        ),
    ),
    SampleExport(
        "semicolon_csv_with_bom_reads_grouped_thousands_and_optional_quotes",
        "canonical_semicolon_bom.csv",
        "canonical",
        BLUESKY_ACME.post(
            "3kxyz2a",
            at(2026, 7, 14, 9, 30),
            # 12.345 / 10 200 / 1.024 are thousands; "-", "n/a" and "4,5%" are not reported
            Metrics(impressions=12345, reach=10200, likes=1024, shares=17, quotes=3),
            url="https://bsky.app/profile/acme.bsky.social/post/3kxyz2a",
            text="Ein Beitrag, mit Komma",
            followers=12000,
        ),
    ),
    SampleExport(
        "x_account_analytics_export_takes_the_account_from_the_post_link",
        "x_account_analytics.csv",
        "x",
        X_ACME.post(
            "1944000000000000001",
            at(2026, 7, 14),
            Metrics(impressions=12345, likes=310, comments=18, shares=40, saves=25, clicks=95),
            url="https://x.com/acme/status/1944000000000000001",
            text="We shipped it",
        ),
        X_ACME.post(
            "1943600000000000002",
            at(2026, 7, 13),
            Metrics(impressions=5400, likes=120, comments=6, shares=15, saves=8, clicks=30),
            url="https://x.com/acme/status/1943600000000000002",
            text="Thread: how we did it 🧵",
        ),
    ),
    SampleExport(
        "x_legacy_export_maps_retweets_to_shares",
        "x_legacy.csv",
        "x-legacy",
        X_ACME.post(
            "1102999000000000001",
            at(2019, 3, 5, 14, 2),
            # the legacy export writes counts as "4521.0"
            Metrics(impressions=4521, likes=61, comments=9, shares=23, clicks=44),
            url="https://twitter.com/acme/status/1102999000000000001",
            text="Big news today https://t.co/abc",
        ),
        X_ACME.post(
            "1102888000000000002",
            at(2019, 3, 4, 9, 15),
            Metrics(impressions=1800, likes=21, comments=2, shares=5, clicks=0),
            url="https://twitter.com/acme/status/1102888000000000002",
            text="Thanks for coming!",
        ),
    ),
    SampleExport(
        "meta_facebook_export_maps_views_to_impressions_and_reactions_to_likes",
        "meta_facebook.csv",
        "meta",
        FACEBOOK_ACME.post(
            "123456789012345_987654321098765",
            at(2026, 7, 14, 9, 30),
            Metrics(impressions=8420, reach=6100, likes=312, comments=41, shares=27, clicks=530),
            url="https://www.facebook.com/123456789012345/posts/987654321098765",
            text="Our autumn blend is here",
            format=PostFormat.IMAGE,
        ),
        FACEBOOK_ACME.post(
            "123456789012345_987654321098766",
            at(2026, 7, 12, 17, 5),
            # Total clicks is empty on this row: Link clicks stands in; the Title is the text
            Metrics(impressions=15300, reach=12050, likes=820, comments=64, shares=150, clicks=88),
            url="https://www.facebook.com/reel/1122334455",
            text="Behind the roast",
            format=PostFormat.REEL,
        ),
    ),
    SampleExport(
        "meta_instagram_export_is_recognised_by_its_account_username_column",
        "meta_instagram.csv",
        "meta",
        INSTAGRAM_ACME.post(
            "18012345678901234",
            at(2026, 7, 13, 12, 0),
            Metrics(impressions=9300, reach=7400, likes=640, comments=38, shares=22, saves=91),
            url="https://www.instagram.com/p/C9abcDEFghi/",
            text="Latte art season ☕",
            format=PostFormat.IMAGE,
        ),
    ),
    SampleExport(
        "sprout_export_reads_each_rows_network_and_profile",
        "sprout.csv",
        "sprout",
        FACEBOOK_ACME.post(
            "123456789012345_987654321098765",
            at(2026, 7, 14, 9, 30),
            Metrics(impressions=8420, reach=6100, likes=312, comments=41, shares=27, clicks=120),
            url="https://www.facebook.com/123456789012345/posts/987654321098765",
            text="Our autumn blend is here",
            format=PostFormat.IMAGE,
        ),
        INSTAGRAM_ACME.post(
            "18012345678901234",
            at(2026, 7, 13, 12, 0),
            Metrics(impressions=9300, reach=7400, likes=640, comments=38, shares=22, saves=91),
            url="https://www.instagram.com/p/C9abcDEFghi/",
            text="Latte art season",
            format=PostFormat.IMAGE,
        ),
        X_ACME.post(
            "1944000000000000001",
            at(2026, 7, 12, 18, 45),
            Metrics(impressions=900, likes=30, comments=4, shares=6, clicks=11, video_views=150),
            url="https://twitter.com/acme/status/1944000000000000001",
            text="We shipped it",
            format=PostFormat.LINK,
        ),
    ),
    SampleExport(
        "linkedin_csv_skips_the_description_row_and_derives_post_urns_from_links",
        "linkedin_posts.csv",
        "linkedin",
        LINKEDIN_ACME.post(
            "urn:li:activity:7350000000000000001",
            at(2026, 7, 14),
            Metrics(impressions=3400, likes=80, comments=12, shares=5, clicks=40),
            url="https://www.linkedin.com/feed/update/urn:li:activity:7350000000000000001",
            text="We're hiring engineers",
        ),
        LINKEDIN_ACME.post(
            "urn:li:activity:7349000000000000002",
            at(2026, 7, 10),
            Metrics(impressions=2100, likes=44, comments=6, shares=2, clicks=25, video_views=860),
            url="https://www.linkedin.com/posts/acme-corp_office-launch-activity-7349000000000000002-Xy7Z",
            text="Our new office",
        ),
        account="acme-corp",
    ),
]


@pytest.mark.parametrize("sample", SAMPLE_EXPORTS, ids=lambda sample: sample.behaviour)
def test_sample_export_is_recognised_and_every_row_read(sample: SampleExport) -> None:
    name, items = read(sample.path, **sample.options)

    assert name == sample.format
    assert items == sample.items


def test_canonical_timestamps_are_utc_aware_whatever_offset_the_file_uses() -> None:
    _, items = read(DATA / "canonical.csv")

    stamps = [item.published_at for item in snapshots(items)]
    assert all(stamp.tzinfo is UTC for stamp in stamps)
    # "2026-07-12T18:45:00+02:00" and the naive "2026-07-13 10:00" (taken as UTC)
    assert stamps[2] == at(2026, 7, 12, 16, 45)
    assert stamps[1] == at(2026, 7, 13, 10, 0)


def test_x_export_counts_reposts_as_shares_and_leaves_out_private_shares() -> None:
    _, items = read(DATA / "x_account_analytics.csv")

    # the row has Shares=4 (DMs, copied links) and Reposts=40
    assert snapshots(items)[0].metrics.shares == 40


def test_x_export_uses_the_account_argument_over_the_link_handle() -> None:
    _, items = read(DATA / "x_account_analytics.csv", account="acme_official")

    assert {item.account for item in snapshots(items)} == {"acme_official"}


def test_meta_export_without_account_columns_tells_instagram_by_its_permalink(
    tmp_path: Path,
) -> None:
    export = tmp_path / "meta.csv"
    export.write_text(
        "Post ID,Page name,Publish time,Permalink,Views,Reach\n"
        "1,Acme,07/13/2026 12:00,https://www.instagram.com/p/AAA/,10,8\n"
        "2,Acme,07/13/2026 13:00,https://www.facebook.com/acme/posts/2,20,9\n"
    )

    _, items = read(export)

    assert [item.platform for item in snapshots(items)] == [
        Platform.INSTAGRAM,
        Platform.FACEBOOK,
    ]


def write_linkedin_workbook(path: Path, header: list[str], rows: list[list[object]]) -> None:
    workbook = openpyxl.Workbook()
    workbook.active.title = "Metrics"  # type: ignore[union-attr]
    sheet = workbook.create_sheet("All posts")
    sheet.append(["All posts: one row per post published in the selected date range."])
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    workbook.save(path)


def test_linkedin_xlsx_with_older_update_columns_reads_the_all_posts_sheet(
    tmp_path: Path,
) -> None:
    export = tmp_path / "acme_content_1752000000000.xlsx"
    write_linkedin_workbook(
        export,
        [
            "Update title",
            "Update link",
            "Update type",
            "Created date",
            "Impressions",
            "Clicks",
            "Likes",
            "Comments",
            "Shares",
            "Engagement rate",
        ],
        [
            [
                "Quarterly results",
                "https://www.linkedin.com/feed/update/urn:li:share:7300000000000000003/",
                "Organic",
                datetime(2026, 7, 1, 15, 20),
                12345,
                210,
                300,
                25,
                18,
                0.045,
            ],
            [
                "Team offsite",
                "https://www.linkedin.com/company/acme/posts/?feedView=all",
                "Organic",
                "06/30/2026",
                800.0,
                None,
                10,
                1,
                0,
                None,
            ],
        ],
    )

    name, items = read(export, account="acme-corp")

    assert name == "linkedin"
    unlinked_id = snapshots(items)[1].post_id
    assert items == [
        LINKEDIN_ACME.post(
            "urn:li:share:7300000000000000003",
            at(2026, 7, 1, 15, 20),
            Metrics(impressions=12345, likes=300, comments=25, shares=18, clicks=210),
            url="https://www.linkedin.com/feed/update/urn:li:share:7300000000000000003/",
            text="Quarterly results",
        ),
        LINKEDIN_ACME.post(
            unlinked_id,
            at(2026, 6, 30),
            Metrics(impressions=800, likes=10, comments=1, shares=0),
            url="https://www.linkedin.com/company/acme/posts/?feedView=all",
            text="Team offsite",
        ),
    ]
    # a link without a URN still gets a stable id, so re-importing finds the same post
    assert unlinked_id.startswith("link-")
    assert snapshots(read(export, account="acme-corp")[1])[1].post_id == unlinked_id


def test_linkedin_xlsx_reports_bad_rows_with_their_sheet_row_number(tmp_path: Path) -> None:
    export = tmp_path / "posts.xlsx"
    write_linkedin_workbook(
        export,
        ["Post title", "Post link", "Created date", "Impressions", "Likes"],
        [
            ["ok", "https://www.linkedin.com/feed/update/urn:li:activity:1", "07/01/2026", 5, 1],
            ["bad", "https://www.linkedin.com/feed/update/urn:li:activity:2", "07/02/2026", "x", 1],
        ],
    )

    _, items = read(export, account="acme-corp")

    assert [type(item).__name__ for item in items] == ["SnapshotRecord", "RowProblem"]
    assert items[1] == RowProblem(
        line=4, reason="column 'Impressions': expected a whole number, got 'x'"
    )

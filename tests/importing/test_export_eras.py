"""Each era and language of the platform exports, read from a file laid out like the real one
(tests/importing/data/SOURCES.md says where each layout was seen), to the exact numbers."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import openpyxl
import pytest

from adapters.sources.exports import open_export
from adapters.sources.exports.daily import DailyTotalsError
from bot.domain.models import Metrics, Platform, PostFormat, SnapshotRecord, SourceItem

DATA = Path(__file__).parent / "data"


def at(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=UTC)


@dataclass(frozen=True)
class Era:
    """A sample file, the format and sheet it must be read as, and every item it must give."""

    file: str
    fmt: str
    items: tuple[SourceItem, ...]
    account: str | None = None
    sheet: str | None = None


def post(
    platform: Platform,
    account: str,
    post_id: str,
    published_at: datetime,
    metrics: Metrics,
    url: str,
    text: str,
    format: PostFormat | None = None,
) -> SnapshotRecord:
    return SnapshotRecord(
        platform, account, post_id, published_at, metrics, url=url, text=text, format=format
    )


def x_post(account: str, post_id: str, published_at: datetime, metrics: Metrics, text: str,
           host: str = "twitter.com") -> SnapshotRecord:  # fmt: skip
    url = f"https://{host}/{account}/status/{post_id}"
    return post(Platform.X, account, post_id, published_at, metrics, url, text)


def linkedin_post(urn: str, published_at: datetime, metrics: Metrics, text: str,
                  url: str | None = None) -> SnapshotRecord:  # fmt: skip
    link = url or f"https://www.linkedin.com/feed/update/{urn}"
    return post(Platform.LINKEDIN, "acme-corp", urn, published_at, metrics, link, text)


ERAS = {
    # 2015: likes were "favorites"; the promoted tweet's paid counts are added to its own.
    "x_tweet_activity_2015": Era(
        "x_tweet_activity_2015.csv",
        "x-legacy",
        (
            x_post(
                "acme",
                "649293177409679360",
                at(2015, 9, 30, 18, 42),
                Metrics(impressions=424, likes=3, comments=2, shares=1, clicks=5),
                "Diagnosed with something? Our study is looking for participants "
                "http://t.co/gispyAPj8L",
            ),
            x_post(
                "acme",
                "649064976133525504",
                at(2015, 9, 30, 3, 35),
                # 411 organic + 2,500 promoted impressions, 1 + 17 favorites, 4 + 30 url clicks
                Metrics(impressions=2911, likes=18, comments=1, shares=4, clicks=34),
                "Now accepting participants http://t.co/ea2ktYDEf9",
            ),
        ),
    ),
    "x_tweet_activity_ja": Era(
        "x_tweet_activity_ja.csv",
        "x-legacy",
        (
            x_post(
                "acme_jp",
                "1322700000000000001",
                at(2020, 11, 1, 3, 0),
                Metrics(impressions=1520, likes=31, comments=2, shares=5, clicks=12),
                "新しいブログを公開しました #ブログ",
            ),
        ),
    ),
    "x_content_ja": Era(
        "x_content_ja.csv",
        "x",
        (
            x_post(
                "acme_jp",
                "1975000000000000001",
                at(2025, 10, 6),
                Metrics(impressions=2000, likes=10, comments=3, shares=4, saves=2, clicks=5),
                "秋の新メニューを発表しました",
                host="x.com",
            ),
            x_post(
                "acme_jp",
                "1975300000000000002",
                at(2025, 10, 7),
                Metrics(impressions=400000, likes=900, comments=15, shares=40, saves=80, clicks=3),
                "@acme_support ありがとうございます",
                host="x.com",
            ),
        ),
    ),
    "meta_instagram_pt": Era(
        "meta_instagram_pt.csv",
        "meta",
        (
            post(
                Platform.INSTAGRAM,
                "cafe.acme",
                "18045000000000001",
                at(2026, 7, 13, 12, 0),
                Metrics(impressions=9300, reach=7400, likes=640, comments=38, shares=22, saves=91),
                "https://www.instagram.com/p/DAbcDEFghi1/",
                "Nosso novo blend de outono ☕",
            ),
            post(
                Platform.INSTAGRAM,
                "cafe.acme",
                "18045000000000002",
                at(2026, 7, 11, 18, 30),
                Metrics(
                    impressions=15300, reach=12050, likes=820, comments=64, shares=150, saves=210
                ),
                "https://www.instagram.com/reel/DAbcDEFghi2/",
                "Bastidores da torra",
            ),
        ),
    ),
    "meta_instagram_pt_2024_impressions": Era(
        "meta_instagram_pt_2024.csv",
        "meta",
        (
            post(
                Platform.INSTAGRAM,
                "cafe.acme",
                "17990000000000003",
                at(2024, 6, 2, 9, 15),
                Metrics(impressions=4100, reach=3500, likes=210, comments=17, shares=9, saves=33),
                "https://www.instagram.com/p/C7xyzABCde3/",
                "Promoção de inverno",
            ),
        ),
    ),
    # Spanish, 2025: shares and saves are "Veces que se compartió"/"Veces que se guardó", the
    # follows column ("Seguimientos") and "Fecha" ("Total") are read as nothing.
    "meta_instagram_es": Era(
        "meta_instagram_es.csv",
        "meta",
        (
            post(
                Platform.INSTAGRAM,
                "cafe.acme.es",
                "18046000000000001",
                at(2026, 7, 13, 12, 0),
                Metrics(impressions=8200, reach=6100, likes=512, comments=27, shares=19, saves=74),
                "https://www.instagram.com/p/DAesDEFghi1/",
                "Nuestra mezcla de otoño ☕",
            ),
            post(
                Platform.INSTAGRAM,
                "cafe.acme.es",
                "18046000000000002",
                at(2026, 7, 10, 19, 45),
                Metrics(
                    impressions=21400, reach=17350, likes=1130, comments=88, shares=240, saves=305
                ),
                "https://www.instagram.com/reel/DAesDEFghi2/",
                "Tostado, paso a paso",
            ),
        ),
    ),
    # Spanish, earlier: "Veces que se ha compartido", "Veces guardado", follows in "Seguidores",
    # the post id header in lower case and no account column (the account is passed).
    "meta_instagram_es_2024_older_words": Era(
        "meta_instagram_es_2024.csv",
        "meta",
        (
            post(
                Platform.INSTAGRAM,
                "cafe.acme",
                "17995000000000004",
                at(2024, 6, 2, 9, 15),
                Metrics(impressions=4300, reach=3600, likes=205, comments=15, shares=8, saves=29),
                "https://www.instagram.com/p/C7esABCde4/",
                "Promoción de invierno",
            ),
        ),
        account="cafe.acme",
    ),
    "meta_facebook_sv_semicolons": Era(
        "meta_facebook_sv.csv",
        "meta",
        (
            post(
                Platform.FACEBOOK,
                "Acme Kaffe",
                "123456789012345_987654321098701",
                at(2026, 7, 14, 9, 30),
                # "12 345" and "6 100": Swedish thousands; Reaktioner is likes
                Metrics(
                    impressions=12345, reach=6100, likes=312, comments=41, shares=27, clicks=530
                ),
                "https://www.facebook.com/123456789012345/posts/987654321098701",
                "Höstens blandning är här",
            ),
        ),
    ),
    # French, from real exports: the Facebook file's 164 columns (up to its per-country video
    # breakdown), month-first dates, "Date" holding "Global"; Titre empty on a photo post.
    "meta_facebook_fr": Era(
        "meta_facebook_fr.csv",
        "meta",
        (
            post(
                Platform.FACEBOOK,
                "Acme Linge",
                "745500000000001",
                at(2025, 9, 16, 5, 3),
                Metrics(impressions=188, reach=127, likes=4, comments=0, shares=1, clicks=1),
                "https://www.facebook.com/AcmeLinge/posts/pfbid02AbcDefGhi",
                "Les soldes de la rentrée : jusqu’à -50 % sur le linge de lit",
                PostFormat.IMAGE,
            ),
            post(
                Platform.FACEBOOK,
                "Acme Linge",
                "1000000000000002",
                at(2026, 7, 13, 3, 28),
                # Total des clics (318), not Clics sur un lien (36); Vues is the whole, boosted
                # and organic views are parts of it
                Metrics(impressions=15254, reach=9033, likes=48, comments=2, shares=2, clicks=318),
                "https://www.facebook.com/reel/1000000000000003/",
                "Nous sommes ouverts !",
                PostFormat.VIDEO,
            ),
        ),
    ),
    # French Instagram: "Mentions J’aime" (curly apostrophe) is likes, "Followers en plus" and
    # the display name "Nom du compte" are read as nothing; the account is the username.
    "meta_instagram_fr": Era(
        "meta_instagram_fr.csv",
        "meta",
        (
            post(
                Platform.INSTAGRAM,
                "acme.linge",
                "18084000000000001",
                at(2026, 3, 20, 14, 11),
                Metrics(impressions=219, reach=113, likes=4, comments=0, shares=0, saves=0),
                "https://www.instagram.com/p/DWabcDEF001/",
                "Nos nouveaux draps en lin",
                PostFormat.CAROUSEL,
            ),
            post(
                Platform.INSTAGRAM,
                "acme.linge",
                "18337000000000002",
                at(2026, 7, 31, 7, 52),
                Metrics(impressions=2388, reach=1345, likes=295, comments=7, shares=53, saves=5),
                "https://www.instagram.com/reel/DbabcDEF002/",
                "Visite de la boutique, en vidéo",
                PostFormat.REEL,
            ),
        ),
    ),
    "linkedin_updates_2019_update_engagement_sheet": Era(
        "linkedin_updates_2019.xlsx",
        "linkedin",
        (
            linkedin_post(
                "urn:li:activity:6508000000000000001",
                at(2019, 3, 5, 14, 2),
                Metrics(impressions=4521, likes=61, comments=9, shares=23, clicks=44),
                "Quarterly results are out",
            ),
            linkedin_post(
                "urn:li:activity:6507600000000000002",
                at(2019, 3, 4, 9, 15),
                Metrics(impressions=1800, likes=21, comments=2, shares=5, clicks=0),
                "Thanks for coming!",
            ),
        ),
        account="acme-corp",
        sheet="Update engagement",
    ),
    "linkedin_es_todas_las_publicaciones_sheet": Era(
        "linkedin_es.xlsx",
        "linkedin",
        (
            linkedin_post(
                "urn:li:activity:7350500000000000001",
                at(2026, 7, 14),
                Metrics(impressions=5400, likes=120, comments=14, shares=9, clicks=61),
                "Buscamos ingenieras e ingenieros",
            ),
            linkedin_post(
                "urn:li:activity:7349900000000000002",
                at(2026, 7, 9),
                Metrics(
                    impressions=2300, likes=57, comments=5, shares=2, clicks=18, video_views=910
                ),
                "Nuestra nueva oficina en Madrid",
                url="https://www.linkedin.com/posts/acme-corp_oficina-activity-7349900000000000002-Ab1c",
            ),
        ),
        account="acme-corp",
        sheet="Todas las publicaciones",
    ),
}


@pytest.mark.parametrize("era", ERAS.values(), ids=ERAS.keys())
def test_each_era_and_language_imports_every_row_to_the_exact_numbers(era: Era) -> None:
    with open_export(DATA / era.file, account=era.account) as reader:
        items = list(reader)
        assert (reader.format.name, reader.sheet) == (era.fmt, era.sheet)

    assert items == list(era.items)  # no row lost, no count misread, no column unaccounted for


@pytest.mark.parametrize(
    ("file", "says"),
    [
        ("x_account_overview.csv", "X's account overview"),
        ("x_daily_tweet_activity.csv", "daily tweet activity"),
    ],
)
def test_per_day_files_are_refused_with_what_they_are_and_what_to_export(
    file: str, says: str
) -> None:
    with pytest.raises(DailyTotalsError) as raised:
        open_export(DATA / file)

    message = str(raised.value)
    assert message.startswith(f"{file} holds ")
    assert says in message
    assert "one row per day with the whole account's totals, not one row per post" in message
    assert "instead" in message.splitlines()[-1]


def test_a_linkedin_workbook_of_daily_metrics_only_says_to_export_the_posts(
    tmp_path: Path,
) -> None:
    export = tmp_path / "acme_content.xlsx"
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = "Metrics"
    sheet.append(["Aggregated metrics for the page's posts, per day."])
    sheet.append(["Date", "Impressions (organic)", "Impressions (sponsored)", "Clicks (organic)"])
    sheet.append(["07/14/2026", 100, 0, 3])
    workbook.save(export)

    with pytest.raises(DailyTotalsError, match="its All posts sheet has one row per post"):
        open_export(export, account="acme-corp")


@pytest.mark.parametrize("name", ["All posts", "Publicaciones 2026", "全ての投稿", "Sheet1"])
def test_the_posts_sheet_is_found_by_its_columns_whatever_its_name_and_place(
    tmp_path: Path, name: str
) -> None:
    export = tmp_path / "posts.xlsx"
    workbook = openpyxl.Workbook()
    first = workbook.active
    assert first is not None
    first.title = "Notes" if name == "Sheet1" else "Sheet1"
    first.append(["Exported from LinkedIn"])
    posts = workbook.create_sheet(name)
    posts.append(["Post title", "Post link", "Created date", "Impressions"])
    posts.append(["Hi", "https://www.linkedin.com/feed/update/urn:li:activity:1", "07/01/2026", 5])
    workbook.save(export)

    with open_export(export, account="acme-corp") as reader:
        (record,) = list(reader)
        assert reader.sheet == name

    assert isinstance(record, SnapshotRecord)
    assert record.metrics.impressions == 5

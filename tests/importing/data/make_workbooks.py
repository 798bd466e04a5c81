"""Rebuild the LinkedIn workbooks in this folder: ``python tests/importing/data/make_workbooks.py``.

The workbooks are laid out like the real exports (SOURCES.md): a sheet of daily totals first, the
posts on a later sheet named in the exporting account's language, a description row above each
header, dates as LinkedIn writes them (text in the newer exports, Excel dates in the older one).
The files are kept in the repository so the tests read exactly what a person would import; this
script is how they were made.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from pathlib import Path

import openpyxl

HERE = Path(__file__).parent
Rows = list[Sequence[object]]


def save(name: str, sheets: list[tuple[str, Rows]]) -> None:
    workbook = openpyxl.Workbook()
    workbook.remove(workbook.active)  # type: ignore[arg-type]
    for title, rows in sheets:
        sheet = workbook.create_sheet(title)
        for row in rows:
            sheet.append(row)
    workbook.properties.created = datetime(2026, 7, 15)
    workbook.properties.modified = datetime(2026, 7, 15)
    workbook.save(HERE / name)


METRICS_EN = [
    "Date", "Impressions (organic)", "Impressions (sponsored)", "Impressions (total)",
    "Unique impressions (organic)", "Clicks (organic)", "Clicks (sponsored)", "Clicks (total)",
    "Reactions (organic)", "Reactions (sponsored)", "Reactions (total)", "Comments (organic)",
    "Comments (sponsored)", "Comments (total)", "Reposts (organic)", "Reposts (sponsored)",
    "Reposts (total)", "Engagement rate (organic)", "Engagement rate (sponsored)",
    "Engagement rate (total)",
]  # fmt: skip

POSTS_EN = [
    "Post title", "Post link", "Post type", "Campaign name", "Posted by", "Created date",
    "Campaign start date", "Campaign end date", "Audience", "Impressions",
    "Views (excluding off-site video views)", "Off-site views", "Clicks",
    "Click through rate (CTR)", "Likes", "Comments", "Reposts", "Follows", "Engagement rate",
    "Content Type",
]  # fmt: skip

BOOSTED = "https://www.linkedin.com/feed/update/urn:li:activity:7351000000000000002"
SUMMED = "https://www.linkedin.com/feed/update/urn:li:activity:7352000000000000003"


def linkedin_boosted() -> None:
    """The 2026 export with a boosted post on three rows (organic, sponsored, total), one on
    two rows (no total row) and an organic post on one."""
    save(
        "linkedin_boosted.xlsx",
        [
            (
                "Metrics",
                [
                    ["Aggregated metrics for the page's posts, per day."],
                    METRICS_EN,
                    ["07/14/2026", 3766, 2607, 6373, 2900, 41, 88, 129, 52, 19, 71, 7, 2, 9,
                     3, 1, 4, 0.027, 0.042, 0.033],
                ],
            ),
            (
                "All posts",
                [
                    ["All posts: each row is one post published by the page in the selected "
                     "range. Metrics are lifetime totals as of the export date."],
                    POSTS_EN,
                    ["We're hiring engineers",
                     "https://www.linkedin.com/feed/update/urn:li:activity:7350000000000000001",
                     "Organic", "", "Dana Lee", "07/10/2026", "", "", "All followers", 2100,
                     "", "", 25, 0.0119, 44, 6, 2, 0, 0.036, "Text"],
                    ["Meet us at the fair", BOOSTED, "Organic", "", "Dana Lee", "07/14/2026", "",
                     "", "All followers", 3766, "", "", 41, 0.0109, 52, 7, 3, 1, 0.0273, "Image"],
                    ["Meet us at the fair", BOOSTED, "Sponsored", "Fair boost", "Dana Lee",
                     "07/14/2026", "07/14/2026", "07/21/2026", "Targeted", 2607, "", "", 88,
                     0.0338, 19, 2, 1, 4, 0.0422, "Image"],
                    ["Meet us at the fair", BOOSTED, "Total", "", "Dana Lee", "07/14/2026", "",
                     "", "", 6373, "", "", 129, 0.0202, 71, 9, 4, 5, 0.0333, "Image"],
                    ["Our new office", SUMMED, "Organic", "", "Sam Roe", "07/12/2026", "", "",
                     "All followers", 1200, 860, 12, 20, 0.0167, 30, 4, 1, 0, 0.0458, "Video"],
                    ["Our new office", SUMMED, "Sponsored", "Office video", "Sam Roe",
                     "07/12/2026", "07/12/2026", "07/19/2026", "Targeted", 800, 540, 3, 16,
                     0.02, 10, 1, 0, 2, 0.0337, "Video"],
                ],
            ),
        ],
    )  # fmt: skip


def linkedin_updates_2019() -> None:
    """The pre-2021 "updates" export: the posts on "Update engagement", dates as Excel dates."""
    save(
        "linkedin_updates_2019.xlsx",
        [
            (
                "Update metrics (aggregated)",
                [
                    ["Aggregated update metrics for the selected time range."],
                    ["Date", "Impressions (organic)", "Impressions (sponsored)",
                     "Impressions (total)", "Unique impressions (organic)", "Clicks (organic)",
                     "Clicks (sponsored)", "Clicks (total)", "Reactions (organic)",
                     "Reactions (sponsored)", "Reactions (total)", "Comments (organic)",
                     "Comments (sponsored)", "Comments (total)", "Shares (organic)",
                     "Shares (sponsored)", "Shares (total)", "Engagement rate (organic)",
                     "Engagement rate (sponsored)", "Engagement rate (total)"],
                    [datetime(2019, 3, 5), 4521, 0, 4521, 3100, 44, 0, 44, 61, 0, 61, 9, 0, 9,
                     23, 0, 23, 0.03, 0, 0.03],
                ],
            ),
            (
                "Update engagement",
                [
                    ["Update engagement metrics for each update posted in the selected range."],
                    ["Update title", "Update link", "Update type", "Campaign name", "Posted by",
                     "Created date", "Campaign start date", "Campaign end date", "Audience",
                     "Impressions", "Clicks", "Click through rate (CTR)", "Likes", "Comments",
                     "Shares", "Follows", "Engagement rate"],
                    ["Quarterly results are out",
                     "https://www.linkedin.com/feed/update/urn:li:activity:6508000000000000001",
                     "Organic", None, "Dana Lee", datetime(2019, 3, 5, 14, 2), None, None,
                     "All followers", 4521, 44, 0.0097, 61, 9, 23, 2, 0.0303],
                    ["Thanks for coming!",
                     "https://www.linkedin.com/feed/update/urn:li:activity:6507600000000000002",
                     "Organic", None, "Sam Roe", datetime(2019, 3, 4, 9, 15), None, None,
                     "All followers", 1800.0, 0, 0, 21, 2, 5, 0, 0.0156],
                ],
            ),
        ],
    )  # fmt: skip


def linkedin_es() -> None:
    """The Spanish export: sheets "Indicadores" and "Todas las publicaciones"."""
    save(
        "linkedin_es.xlsx",
        [
            (
                "Indicadores",
                [
                    ["Indicadores agregados de las publicaciones de la página, por día."],
                    ["Fecha", "Impresiones (orgánicas)", "Impresiones (patrocinadas)",
                     "Impresiones totales", "Clics (orgánicos)", "Clics (patrocinados)",
                     "Clics (Totales)"],
                    ["07/14/2026", 5400, 0, 5400, 61, 0, 61],
                ],
            ),
            (
                "Todas las publicaciones",
                [
                    ["Todas las publicaciones: cada fila es una publicación de la página."],
                    ["Título de la publicación", "Enlace de la publicación",
                     "Tipo de publicación", "Nombre de la campaña", "Anunciado por",
                     "Fecha de creación", "Fecha de inicio de campaña",
                     "Fecha de finalización de campaña", "Público", "Impresiones",
                     "Visualizaciones", "Visualizaciones fuera del sitio", "Clics",
                     "Porcentaje de clics", "Recomendaciones", "Comentarios", "Veces compartido",
                     "Seguidores", "Tasa de interacción", "Tipo de contenido"],
                    ["Buscamos ingenieras e ingenieros",
                     "https://www.linkedin.com/feed/update/urn:li:activity:7350500000000000001",
                     "Orgánico", "", "Ana Ruiz", "07/14/2026", "", "", "Todos los seguidores",
                     5400, "", "", 61, 0.0113, 120, 14, 9, 3, 0.038, "Texto"],
                    ["Nuestra nueva oficina en Madrid",
                     "https://www.linkedin.com/posts/acme-corp_oficina-activity-7349900000000000002-Ab1c",
                     "Orgánico", "", "Ana Ruiz", "07/09/2026", "", "", "Todos los seguidores",
                     2300, 910, 15, 18, 0.0078, 57, 5, 2, 0, 0.0357, "Vídeo"],
                ],
            ),
        ],
    )  # fmt: skip


if __name__ == "__main__":
    linkedin_boosted()
    linkedin_updates_2019()
    linkedin_es()

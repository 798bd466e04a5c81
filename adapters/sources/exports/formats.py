"""The exports we recognise: which header spellings mean which field, and how to tell them apart.

Each format is data, not code, so adding a tool's export (or a spelling a new version of it uses)
means adding a row here rather than a parser. Column lists follow
shared/fixtures/exports/COLUMNS.md; headers are compared case-insensitively with spaces and
underscores treated alike, so "Post ID", "post id" and "post_id" are one column.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field

from bot.domain.models import METRIC_NAMES, Platform

from .links import linkedin_post_id, x_handle, x_post_id


@dataclass(frozen=True, slots=True)
class Column:
    index: int
    header: str  # as written in the file, for messages that point at the column


# field -> the file's columns for it, preferred spelling first (later ones fill empty cells).
Columns = dict[str, list[Column]]


def normalise(header: str) -> str:
    return " ".join(header.replace("\ufeff", "").replace("_", " ").lower().split())


@dataclass(frozen=True, eq=False)
class ExportFormat:
    """One tool's export: its header spellings and the rules for what it leaves out."""

    name: str
    title: str
    columns: Mapping[str, tuple[str, ...]]
    required: tuple[str, ...]
    date_example: str
    date_formats: tuple[str, ...] = ()
    platform: Platform | None = None
    platform_by_header: Mapping[str, Platform] = field(default_factory=dict)
    platform_by_url: tuple[tuple[str, Platform], ...] = ()
    post_id_from_url: Callable[[str], str | None] | None = None
    account_from_url: Callable[[str], str | None] | None = None
    missing_account: str = "this export does not say which account it belongs to: pass --account"
    _lookup: dict[str, tuple[str, int]] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        lookup: dict[str, tuple[str, int]] = {}
        for name, spellings in self.columns.items():
            for rank, spelling in enumerate(spellings):
                lookup[normalise(spelling)] = (name, rank)
        object.__setattr__(self, "_lookup", lookup)

    def match(self, header: Sequence[str]) -> Columns | None:
        """The file's columns for each field, or None if this header is not this export's."""
        found: dict[str, list[tuple[int, Column]]] = {}
        for index, cell in enumerate(header):
            known = self._lookup.get(normalise(cell))
            if known is not None:
                name, rank = known
                found.setdefault(name, []).append((rank, Column(index, cell.strip())))
        if self.missing_from(found):
            return None
        return {
            name: [column for _, column in sorted(hits, key=lambda hit: (hit[0], hit[1].index))]
            for name, hits in found.items()
        }

    def missing_from(self, found: Mapping[str, object]) -> list[str]:
        """What the header lacks to be this export, as the export spells it."""
        missing = [self.columns[name][0] for name in self.required if name not in found]
        if not any(name in found for name in METRIC_NAMES):
            missing.append("a metric column")
        return missing

    def missing_in(self, header: Sequence[str]) -> list[str]:
        return self.missing_from(dict.fromkeys(self._present(header)))

    def recognised_in(self, header: Sequence[str]) -> int:
        """How many of the header's columns this export knows: a hint at what was meant."""
        return len(self._present(header))

    def _present(self, header: Sequence[str]) -> set[str]:
        return {self._lookup[key][0] for key in map(normalise, header) if key in self._lookup}

    def describe(self) -> str:
        required = ", ".join(self.columns[name][0] for name in self.required)
        metrics = ", ".join(self.columns[name][0] for name in METRIC_NAMES if name in self.columns)
        return f"{self.name} ({self.title}): {required}, and at least one of: {metrics}"


_US_DATES = ("%m/%d/%Y %H:%M", "%m/%d/%Y %H:%M:%S", "%m/%d/%Y %I:%M %p", "%m/%d/%Y")
# `;`-locale Meta and Sprout exports write 14.07.2026 14:30: day-first, but unambiguous.
_DOTTED_DATES = ("%d.%m.%Y %H:%M", "%d.%m.%Y %H:%M:%S", "%d.%m.%Y")

CANONICAL = ExportFormat(
    name="canonical",
    title="winsbot CSV",
    columns={
        "platform": ("platform",),
        "account": ("account",),
        "post_id": ("post_id",),
        "url": ("url",),
        "published_at": ("published_at",),
        "text": ("text",),
        **{metric: (metric,) for metric in METRIC_NAMES},
        "followers": ("followers",),
        "captured_at": ("captured_at",),
    },
    required=("platform", "account", "post_id", "url", "published_at"),
    date_example="2026-07-14T09:30:00Z",
)

LINKEDIN = ExportFormat(
    name="linkedin",
    title="LinkedIn page posts export",
    columns={
        "url": ("Post link", "Update link"),
        "text": ("Post title", "Update title"),
        "published_at": ("Created date",),
        "impressions": ("Impressions",),
        "clicks": ("Clicks",),
        "likes": ("Likes",),
        "comments": ("Comments",),
        "shares": ("Reposts", "Shares"),
        "video_views": ("Views (excluding off-site video views)", "Views", "Video views"),
    },
    required=("url", "published_at"),
    date_example="07/14/2026",
    date_formats=_US_DATES,
    platform=Platform.LINKEDIN,
    post_id_from_url=linkedin_post_id,
    missing_account=(
        "this LinkedIn export does not say which page it belongs to: pass --account with the "
        "page's handle, e.g. --account acme-corp"
    ),
)

# X's "Shares" counts private sends (DM, copy link), while "Reposts" is the public amplification
# every other platform calls shares; adding them would count one audience twice and make X look
# unlike the rest, so shares = Reposts and X's "Shares" is left out.
X = ExportFormat(
    name="x",
    title="X account analytics, account_analytics_content_*.csv",
    columns={
        "post_id": ("Post id",),
        "published_at": ("Date",),
        "text": ("Post text",),
        "url": ("Post Link",),
        "impressions": ("Impressions",),
        "likes": ("Likes",),
        "comments": ("Replies",),
        "shares": ("Reposts",),
        "quotes": ("Quotes", "Quote posts"),
        "saves": ("Bookmarks",),
        "clicks": ("URL Clicks",),
        "video_views": ("Video views",),
    },
    required=("post_id", "published_at", "url"),
    date_example="Tue, Jul 14, 2026",
    date_formats=("%a, %b %d, %Y", "%b %d, %Y", *_US_DATES),
    platform=Platform.X,
    post_id_from_url=x_post_id,
    account_from_url=x_handle,
    missing_account=(
        "this X export does not say which account it belongs to (its post links have no "
        "handle): pass --account with the handle, e.g. --account acme"
    ),
)

X_LEGACY = ExportFormat(
    name="x-legacy",
    title="X/Twitter legacy tweet activity export",
    columns={
        "post_id": ("Tweet id",),
        "url": ("Tweet permalink",),
        "text": ("Tweet text",),
        "published_at": ("time",),
        "impressions": ("impressions",),
        "likes": ("likes",),
        "comments": ("replies",),
        "shares": ("retweets",),
        "quotes": ("quote tweets", "quotes"),
        "clicks": ("url clicks",),
        "video_views": ("video views",),
    },
    required=("post_id", "url", "published_at"),
    date_example="2026-07-14 09:30 +0000",
    date_formats=("%Y-%m-%d %H:%M %z", "%Y-%m-%d %H:%M:%S %z", *_US_DATES),
    platform=Platform.X,
    post_id_from_url=x_post_id,
    account_from_url=x_handle,
    missing_account=X.missing_account,
)

# Meta replaced impressions with views in 2025: Views is the exposure count, older exports'
# Impressions stands in where Views is absent.
META = ExportFormat(
    name="meta",
    title="Meta Business Suite per-post export, Facebook or Instagram",
    columns={
        "post_id": ("Post ID",),
        "account": ("Account username", "Page name", "Account ID", "Page ID"),
        "text": ("Description", "Title"),
        "published_at": ("Publish time",),
        "url": ("Permalink",),
        "impressions": ("Views", "Impressions"),
        "reach": ("Reach",),
        "likes": ("Reactions", "Likes"),
        "comments": ("Comments",),
        "shares": ("Shares",),
        "saves": ("Saves",),
        "clicks": ("Total clicks", "Link clicks"),
    },
    required=("post_id", "published_at"),
    date_example="07/14/2026 09:30",
    date_formats=(*_US_DATES, *_DOTTED_DATES),
    platform=Platform.FACEBOOK,
    platform_by_header={
        "account username": Platform.INSTAGRAM,
        "account id": Platform.INSTAGRAM,
    },
    platform_by_url=(("instagram.com", Platform.INSTAGRAM),),
    missing_account=(
        "this Meta export has no Page name or Account username column: pass --account with "
        "the page or account handle"
    ),
)

# Facebook rows carry their likes in Reactions (a superset), other networks' in Likes.
SPROUT = ExportFormat(
    name="sprout",
    title="Sprout Social post performance",
    columns={
        "published_at": ("Date",),
        "post_id": ("Post ID",),
        "platform": ("Network",),
        "account": ("Profile",),
        "url": ("Link",),
        "text": ("Post",),
        "impressions": ("Impressions",),
        "reach": ("Reach",),
        "likes": ("Reactions", "Likes"),
        "comments": ("Comments",),
        "shares": ("Shares",),
        "saves": ("Saves",),
        "clicks": ("Post Link Clicks",),
        "video_views": ("Video Views",),
    },
    required=("published_at", "post_id", "platform", "account"),
    date_example="07/14/2026 9:30 am",
    date_formats=(*_US_DATES, *_DOTTED_DATES),
)

# Tried in this order: the formats with the most distinctive required columns come first.
FORMATS: tuple[ExportFormat, ...] = (CANONICAL, SPROUT, META, X, X_LEGACY, LINKEDIN)

"""The exports we recognise: which header spellings mean which field, and how to tell them apart.

Each format is data, not code, so adding a tool's export (or a spelling a new version of it uses,
or its headers in another language) means adding spellings rather than a parser. The spellings
of the platform exports live by language and era in ``aliases_*.py`` with their sources; headers
are compared after ``normalise`` (case, spaces and underscores, full-width forms), so "Post ID",
"post id" and "post_id" are one column.

Every column of an export is one of: a field winsbot reads, a paid part ``added`` to one (X's
"promoted impressions"), a column saying which part of a post a row holds (``parts``), or a
column the export has that winsbot reads as nothing on purpose (``ignored``). Any other column
is reported once for the file, so a count winsbot does not understand is never dropped in
silence.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field

from bot.domain.models import METRIC_NAMES, Platform

from .aliases import normalise
from .aliases_linkedin import LINKEDIN as LINKEDIN_SPELLINGS
from .aliases_meta import INSTAGRAM_HEADERS
from .aliases_meta import META as META_SPELLINGS
from .aliases_x import X_ACTIVITY, X_CONTENT
from .links import linkedin_post_id, x_handle, x_post_id

__all__ = ["FORMATS", "Column", "Columns", "ExportFormat", "normalise"]

# Keys of a match besides the fields: the columns saying which part of a post a row holds, and
# "+metric" for a column whose count is added to the metric's.
PART = "part"
ADDED = "+"


@dataclass(frozen=True, slots=True)
class Column:
    index: int
    header: str  # as written in the file, for messages that point at the column


# field -> the file's columns for it, preferred spelling first (later ones fill empty cells).
Columns = dict[str, list[Column]]


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
    ignored: tuple[str, ...] = ()
    added: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    parts: tuple[str, ...] = ()
    _lookup: dict[str, tuple[str, int]] = field(init=False, repr=False)
    _ignored: frozenset[str] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        lookup: dict[str, tuple[str, int]] = {}
        named = [(name, spellings) for name, spellings in self.columns.items()]
        named += [(ADDED + name, spellings) for name, spellings in self.added.items()]
        named.append((PART, self.parts))
        for name, spellings in named:
            for rank, spelling in enumerate(spellings):
                key = normalise(spelling)
                if key in lookup and lookup[key][0] != name:
                    raise ValueError(
                        f"{self.name}: {spelling!r} is both {lookup[key][0]} and {name}"
                    )
                lookup.setdefault(key, (name, rank))
        ignored = frozenset(map(normalise, self.ignored))
        if clash := sorted(ignored & lookup.keys()):
            raise ValueError(f"{self.name}: {clash} are both read and ignored")
        object.__setattr__(self, "_lookup", lookup)
        object.__setattr__(self, "_ignored", ignored)
        by_header = {normalise(key): value for key, value in self.platform_by_header.items()}
        object.__setattr__(self, "platform_by_header", by_header)

    def match(self, header: Sequence[str]) -> Columns | None:
        """The file's columns for each field, or None if this header is not this export's."""
        found: dict[str, list[tuple[int, Column]]] = {}
        for index, cell in enumerate(header):
            known = self._lookup.get(normalise(cell))
            if known is not None:
                name, rank = known
                found.setdefault(name, []).append((rank, Column(index, _shown(cell))))
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

    def unrecognised(self, header: Sequence[str]) -> list[str]:
        """The header's columns this export neither reads nor ignores on purpose, as written."""
        return [
            _shown(cell)
            for cell in header
            if (key := normalise(cell)) and key not in self._lookup and key not in self._ignored
        ]

    def _present(self, header: Sequence[str]) -> set[str]:
        return {self._lookup[key][0] for key in map(normalise, header) if key in self._lookup}

    def describe(self) -> str:
        required = ", ".join(self.columns[name][0] for name in self.required)
        return f"{self.name} ({self.title}): {required}, and at least one of: {self.metrics()}"

    def metrics(self) -> str:
        """The metric columns, as the export's first language names them."""
        return ", ".join(self.columns[name][0] for name in METRIC_NAMES if name in self.columns)


def _shown(cell: str) -> str:
    """A header cell as messages quote it: without the BOM or padding it may carry."""
    return cell.replace("\ufeff", "").strip()


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
        "format": ("format",),
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
    required=("url", "published_at"),
    date_example="07/14/2026",
    date_formats=_US_DATES,
    platform=Platform.LINKEDIN,
    post_id_from_url=linkedin_post_id,
    missing_account=(
        "this LinkedIn export does not say which page it belongs to: pass --account with the "
        "page's handle, e.g. --account acme-corp"
    ),
    columns=LINKEDIN_SPELLINGS.columns,
    ignored=LINKEDIN_SPELLINGS.ignored,
    added=LINKEDIN_SPELLINGS.added,
    parts=LINKEDIN_SPELLINGS.parts,
)

X = ExportFormat(
    name="x",
    title="X account analytics, account_analytics_content_*.csv",
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
    columns=X_CONTENT.columns,
    ignored=X_CONTENT.ignored,
    added=X_CONTENT.added,
    parts=X_CONTENT.parts,
)

X_LEGACY = ExportFormat(
    name="x-legacy",
    title="X/Twitter legacy tweet activity export",
    required=("post_id", "url", "published_at"),
    date_example="2026-07-14 09:30 +0000",
    date_formats=("%Y-%m-%d %H:%M %z", "%Y-%m-%d %H:%M:%S %z", *_US_DATES),
    platform=Platform.X,
    post_id_from_url=x_post_id,
    account_from_url=x_handle,
    missing_account=X.missing_account,
    columns=X_ACTIVITY.columns,
    ignored=X_ACTIVITY.ignored,
    added=X_ACTIVITY.added,
    parts=X_ACTIVITY.parts,
)

META = ExportFormat(
    name="meta",
    title="Meta Business Suite per-post export, Facebook or Instagram",
    required=("post_id", "published_at"),
    date_example="07/14/2026 09:30",
    date_formats=(*_US_DATES, *_DOTTED_DATES),
    platform=Platform.FACEBOOK,
    platform_by_header=dict.fromkeys(INSTAGRAM_HEADERS, Platform.INSTAGRAM),
    platform_by_url=(("instagram.com", Platform.INSTAGRAM),),
    missing_account=(
        "this Meta export has no Page name or Account username column: pass --account with "
        "the page or account handle"
    ),
    columns=META_SPELLINGS.columns,
    ignored=META_SPELLINGS.ignored,
    added=META_SPELLINGS.added,
    parts=META_SPELLINGS.parts,
)

# Facebook rows carry their likes in Reactions (a superset), other networks' in Likes. Sprout
# splits impressions and reach into organic and paid parts beside the totals it reads.
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
        "format": ("Content Type",),
        "impressions": ("Impressions",),
        "reach": ("Reach",),
        "likes": ("Reactions", "Likes"),
        "comments": ("Comments",),
        "shares": ("Shares",),
        "saves": ("Saves",),
        "clicks": ("Post Link Clicks",),
        "video_views": ("Video Views",),
    },
    ignored=(
        "Post Type", "Sent by", "Organic Impressions", "Paid Impressions",
        "Organic Reach", "Paid Reach", "Engagement Rate (per Impression)", "Engagements",
        "Love Reactions", "Haha Reactions", "Wow Reactions", "Sad Reactions", "Angry Reactions",
    ),
    required=("published_at", "post_id", "platform", "account"),
    date_example="07/14/2026 9:30 am",
    date_formats=(*_US_DATES, *_DOTTED_DATES),
)  # fmt: skip

# Tried in this order: the formats with the most distinctive required columns come first.
FORMATS: tuple[ExportFormat, ...] = (CANONICAL, SPROUT, META, X, X_LEGACY, LINKEDIN)

"""Header spellings of one export family, one language or era at a time, with where each was seen.

An export's columns change with the tool's version and with the language of the account that
exported it. Each ``Spellings`` is one such set, written as the export writes it and labelled
with its source, so a reader can check it against a real file and a guess is never mistaken for
a fact: ``verified=False`` marks spellings translated by analogy because no real export or
public importer showing them was found (see tests/importing/data/SOURCES.md).

``combine`` merges the sets of one family into what ``ExportFormat`` needs: for each field its
spellings (first set first, so English names the columns in messages), the columns the export
has that winsbot deliberately does not read, the paid parts added to a count, and the columns
that say which part of a post a row holds.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field


def normalise(header: str) -> str:
    """A header as compared: NFKC (full-width and no-break forms), case-folded, `_` as space.

    Exports, spreadsheets and people write one column as "Post ID", "post_id", "POST ID" or
    "Ｐｏｓｔ ＩＤ"; all of them are one column.
    """
    text = unicodedata.normalize("NFKC", header.replace("\ufeff", "")).replace("_", " ")
    return " ".join(text.casefold().split())


@dataclass(frozen=True)
class Spellings:
    """One language's or era's headers for one export family."""

    language: str
    era: str
    source: str  # where these exact headers were seen (a repository and file, a sample export)
    verified: bool  # False: translated by analogy, not seen in a real export
    fields: Mapping[str, tuple[str, ...]]
    # Columns the export has that winsbot reads on purpose as nothing (rates, sums of other
    # columns, account-level counts): known, so they are not reported as not understood.
    ignored: tuple[str, ...] = ()
    # metric -> columns holding a paid part of it that the export leaves out of the metric's own
    # column (X's "promoted impressions"): added, so the stored count is the whole.
    added: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    # Columns whose value says whether a row is a post's organic part, its sponsored part or its
    # total (LinkedIn lists a boosted post on three rows).
    parts: tuple[str, ...] = ()


@dataclass(frozen=True)
class Combined:
    """The spellings of every set of a family, merged and without repeats."""

    columns: dict[str, tuple[str, ...]]
    ignored: tuple[str, ...]
    added: dict[str, tuple[str, ...]]
    parts: tuple[str, ...]


def combine(*sets: Spellings) -> Combined:
    """Merge sets in order; a spelling two sets share is kept once, where it first appeared."""
    columns: dict[str, list[str]] = {}
    added: dict[str, list[str]] = {}
    for spellings in sets:
        for name, names in spellings.fields.items():
            columns.setdefault(name, [])
            _extend(columns[name], names)
        for name, names in spellings.added.items():
            added.setdefault(name, [])
            _extend(added[name], names)
    ignored: list[str] = []
    parts: list[str] = []
    for spellings in sets:
        _extend(ignored, spellings.ignored)
        _extend(parts, spellings.parts)
    return Combined(
        {name: tuple(names) for name, names in columns.items()},
        tuple(ignored),
        {name: tuple(names) for name, names in added.items()},
        tuple(parts),
    )


def _extend(into: list[str], names: Iterable[str]) -> None:
    seen = {normalise(name) for name in into}
    for name in names:
        if normalise(name) not in seen:
            seen.add(normalise(name))
            into.append(name)

"""Header matching, where the input is whatever a tool or a person wrote in the first rows.

Properties over generated headers: any spelling of a known column, in any case, with any
spacing, in any order, among any other columns, is found as its field; every column not
understood is reported once for the file; and every language's spellings stand on their own.
"""

from __future__ import annotations

import string
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from adapters.sources.exports import FORMATS, ExportFormat, open_export
from adapters.sources.exports.aliases import Spellings, normalise
from adapters.sources.exports.aliases_linkedin import SETS as LINKEDIN_SETS
from adapters.sources.exports.aliases_meta import SETS as META_SETS
from adapters.sources.exports.aliases_x import ACTIVITY_SETS, CONTENT_SETS
from adapters.sources.exports.formats import ADDED, PART
from bot.domain.models import METRIC_NAMES, RowProblem, SnapshotRecord

BY_NAME = {fmt.name: fmt for fmt in FORMATS}
FAMILIES: list[tuple[str, Spellings]] = [
    *(("x", spellings) for spellings in CONTENT_SETS),
    *(("x-legacy", spellings) for spellings in ACTIVITY_SETS),
    *(("meta", spellings) for spellings in META_SETS),
    *(("linkedin", spellings) for spellings in LINKEDIN_SETS),
]


def known(fmt: ExportFormat) -> frozenset[str]:
    spellings = [name for names in fmt.columns.values() for name in names]
    spellings += [name for names in fmt.added.values() for name in names]
    return frozenset(normalise(name) for name in (*spellings, *fmt.parts, *fmt.ignored))


KNOWN = {fmt.name: known(fmt) for fmt in FORMATS}


@st.composite
def variant(draw: st.DrawFn, spelling: str) -> str:
    """The same header as another tool, a spreadsheet or a person may write it."""
    words = normalise(spelling).split(" ")
    cased = draw(st.sampled_from([str.lower, str.upper, str.title, str.casefold]))
    joined = draw(st.sampled_from([" ", "_", "  "])).join(cased(word) for word in words)
    pad = st.sampled_from(["", " ", "\u00a0", "\t"])
    return draw(pad) + joined + draw(pad)


junk_words = st.text(alphabet=string.ascii_letters + "äöüé ", min_size=1, max_size=12)


@settings(max_examples=150, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_any_spelling_of_known_columns_in_any_order_among_others_is_matched(
    data: st.DataObject,
) -> None:
    fmt = data.draw(st.sampled_from(FORMATS))
    fields = list(fmt.required) + data.draw(
        st.lists(st.sampled_from(sorted(fmt.columns)), min_size=1, unique=True)
    )
    if not any(name in METRIC_NAMES for name in fields):
        fields.append(next(name for name in METRIC_NAMES if name in fmt.columns))
    fields = list(dict.fromkeys(fields))
    cells = {
        name: data.draw(variant(data.draw(st.sampled_from(fmt.columns[name])))) for name in fields
    }
    others = data.draw(
        st.lists(
            junk_words.filter(lambda text: normalise(text) not in KNOWN[fmt.name] | {""}),
            max_size=3,
            unique_by=normalise,
        )
    )
    header = data.draw(st.permutations([*cells.values(), *others]))
    if data.draw(st.booleans()):
        header = ["\ufeff" + header[0], *header[1:]]

    columns = fmt.match(header)

    assert columns is not None
    for name in fields:
        assert normalise(header[columns[name][0].index]) == normalise(cells[name])
    assert sorted(fmt.unrecognised(header)) == sorted(other.strip() for other in others)
    assert all("\ufeff" not in column.header for found in columns.values() for column in found)


@given(st.text(max_size=30))
def test_normalising_a_header_twice_changes_nothing(header: str) -> None:
    assert normalise(normalise(header)) == normalise(header)


@given(st.text(alphabet=string.ascii_letters + " _", max_size=30))
def test_case_spaces_and_underscores_do_not_make_another_column(header: str) -> None:
    assert normalise(header.upper().replace(" ", "_")) == normalise(header.lower())


@pytest.mark.parametrize(
    ("name", "spellings"),
    FAMILIES,
    ids=[
        f"{name}-{s.language}-{s.era}-{'real' if s.verified else 'guess'}" for name, s in FAMILIES
    ],
)
def test_each_language_and_era_is_read_as_its_own_fields(name: str, spellings: Spellings) -> None:
    """A file with only one set's headers is that export's, each column read as its field;
    a set without the required columns adds spellings to another set of its language."""
    fmt = BY_NAME[name]
    header = [names[0] for names in spellings.fields.values()]
    header += [names[0] for names in spellings.added.values()]
    header += [*spellings.parts, *spellings.ignored]

    columns = fmt.match(header)

    assert fmt.unrecognised(header) == []
    if columns is None:
        assert fmt.missing_in(header), "a set that is no export on its own must lack something"
        assert any(required not in spellings.fields for required in fmt.required)
        return
    for field_name, names in spellings.fields.items():
        assert columns[field_name][0].header == names[0]
    for metric, names in spellings.added.items():
        assert columns[ADDED + metric][0].header == names[0]
    assert len(columns.get(PART, ())) == len(spellings.parts)


def test_a_guess_says_so_in_its_source_and_a_verified_set_names_where_it_was_seen() -> None:
    """SOURCES.md lists the sets; the code must not present a guess as a seen export."""
    for _, spellings in FAMILIES:
        assert spellings.source.startswith("unverified: ") != spellings.verified, spellings


def test_a_spelling_given_to_two_fields_is_refused_when_the_format_is_made() -> None:
    with pytest.raises(ValueError, match="broken: 'likes' is both likes and shares"):
        ExportFormat(
            name="broken",
            title="broken",
            columns={"likes": ("Likes",), "shares": ("Reposts", "likes")},
            required=(),
            date_example="",
        )
    with pytest.raises(ValueError, match="both read and ignored"):
        ExportFormat(
            name="broken",
            title="broken",
            columns={"likes": ("Likes",)},
            required=(),
            date_example="",
            ignored=("LIKES",),
        )


def test_a_metric_column_not_understood_is_reported_once_and_the_rest_imported(
    tmp_path: Path,
) -> None:
    export = tmp_path / "account_analytics_content.csv"
    export.write_text(
        "Post id,Date,Post text,Post Link,Impressions,Likes,Video completions,Replies\n"
        '1,"Tue, Jul 14, 2026",a,https://x.com/acme/status/1,100,5,40,2\n'
        '2,"Mon, Jul 13, 2026",b,https://x.com/acme/status/2,200,6,50,3\n',
        encoding="utf-8",
    )

    with open_export(export) as reader:
        note, *records = list(reader)

    assert note == RowProblem(
        1,
        "column 'Video completions' was not imported: winsbot does not know it as a column of "
        "the X account analytics, account_analytics_content_*.csv, so it cannot tell what it "
        "holds. The rest of each row was imported; if one is a count winsbot keeps, rename "
        "it to the export's name for that count (Impressions, Likes, Replies, Reposts, Quotes, "
        "Bookmarks, URL Clicks, Video views) and import the file again.",
    )
    assert [(r.post_id, r.metrics.likes) for r in records if isinstance(r, SnapshotRecord)] == [
        ("1", 5),
        ("2", 6),
    ]


def test_a_workbooks_unknown_column_is_reported_with_its_sheet(tmp_path: Path) -> None:
    import openpyxl

    export = tmp_path / "content.xlsx"
    workbook = openpyxl.Workbook()
    metrics = workbook.active
    assert metrics is not None
    metrics.title = "Metrics"
    posts = workbook.create_sheet("All posts")
    posts.append(["Post title", "Post link", "Created date", "Impressions", "Saves"])
    posts.append(
        ["Hi", "https://www.linkedin.com/feed/update/urn:li:activity:1", "07/01/2026", 5, 2]
    )
    workbook.save(export)

    with open_export(export, account="acme-corp") as reader:
        note, _ = list(reader)

    assert isinstance(note, RowProblem)
    assert note.reason.startswith("sheet 'All posts': column 'Saves' was not imported")


def test_the_italian_columns_seen_in_real_exports_are_read_as_their_fields() -> None:
    """The columns two public readers take from real Italian Business Suite files (SOURCES.md);
    the post id column they do not name is the one guess, so it is matched on its own."""
    fmt = BY_NAME["meta"]
    instagram = [
        "Nome utente dell'account", "Descrizione", "Durata (s)", "Orario di pubblicazione",
        "Tipo di post", "Visualizzazioni", "Copertura", "Mi piace", "Condivisioni", "Commenti",
        "Salvataggi",
    ]  # fmt: skip
    facebook = [
        "Titolo", "Descrizione", "Orario di pubblicazione", "Visualizzazioni", "Copertura",
        "Reazioni, commenti e condivisioni", "Reazioni", "Commenti", "Condivisioni",
    ]  # fmt: skip

    assert fmt.unrecognised(instagram) == [] and fmt.unrecognised(facebook) == []
    assert fmt.match(instagram) is None  # no post id column: refused, never misread
    columns = fmt.match(["ID del post", *instagram])
    assert columns is not None
    assert {name: columns[name][0].header for name in columns if name != "post_id"} == {
        "account": "Nome utente dell'account",
        "text": "Descrizione",
        "published_at": "Orario di pubblicazione",
        "format": "Tipo di post",
        "impressions": "Visualizzazioni",
        "reach": "Copertura",
        "likes": "Mi piace",
        "comments": "Commenti",
        "shares": "Condivisioni",
        "saves": "Salvataggi",
    }
    facebook_columns = fmt.match(["ID del post", *facebook])
    assert facebook_columns is not None
    assert facebook_columns["likes"][0].header == "Reazioni"
    assert facebook_columns["text"][0].header == "Descrizione"

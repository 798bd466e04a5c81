"""Export words for a post's format: the ones real exports write, and nothing guessed."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from adapters.sources.exports.post_formats import post_format
from bot.domain.models import PostFormat


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        # Meta Business Suite (English samples of public importers; French real exports).
        ("IG reel", PostFormat.REEL),
        ("IG image", PostFormat.IMAGE),
        ("IG carousel", PostFormat.CAROUSEL),
        ("Photos", PostFormat.IMAGE),
        ("Reels", PostFormat.REEL),
        ("Reel IG", PostFormat.REEL),
        ("Carrousel IG", PostFormat.CAROUSEL),
        ("Vidéos", PostFormat.VIDEO),
        # Sprout Social's Content Type.
        ("Photo", PostFormat.IMAGE),
        ("Link", PostFormat.LINK),
        ("  text ", PostFormat.TEXT),
        # Not a format: no format, never a guess.
        ("", None),
        ("Story", None),
        ("Post", None),
        ("IG", None),
    ],
)
def test_export_words_name_formats(cell: str, expected: PostFormat | None) -> None:
    assert post_format(cell) is expected


@given(st.text(max_size=40))
def test_any_cell_is_a_format_or_none_and_never_an_error(cell: str) -> None:
    assert post_format(cell) is None or isinstance(post_format(cell), PostFormat)

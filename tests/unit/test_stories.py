"""Structured stories: the form's answers cleaned, joined for search, and shown within budget."""

from __future__ import annotations

from datetime import UTC, datetime

from hypothesis import given
from hypothesis import strategies as st

from bot.config import Settings
from bot.domain.models import CaseStudy
from bot.domain.stories import MAX_PART_CHARS, StoryParts, is_structured, story_lines, story_text

WHEN = datetime(2026, 11, 23, tzinfo=UTC)


def case(**fields: object) -> CaseStudy:
    return CaseStudy.model_validate({"id": 1, "body": "", "created_at": WHEN, **fields})


def test_answers_are_stripped_and_blank_ones_are_unanswered() -> None:
    parts = StoryParts.of("  We filmed it \n", "   ", None)
    assert parts == StoryParts("We filmed it", None, None)
    assert not parts.empty and StoryParts.of("", " \t", None).empty
    assert len(StoryParts.of("x" * 5000, None, None).what_we_did or "") == MAX_PART_CHARS


def test_the_body_joins_the_answers_with_their_labels_in_the_forms_order() -> None:
    parts = StoryParts.of("We filmed it", None, "Timing matters")
    assert parts.body() == "What we did: We filmed it\n\nWhat we learned: Timing matters"


def test_a_reply_reads_as_written_and_a_form_story_by_its_parts() -> None:
    reply = case(body="We replied in 5 minutes", what_we_did="We replied in 5 minutes")
    assert not is_structured(reply)
    assert story_lines(reply, 300) == [(None, "We replied in 5 minutes")]
    form = case(body="…", what_we_did="Filmed it", result="38 applications", learned=None)
    assert story_lines(form, 300) == [
        ("What we did", "Filmed it"),
        ("The result", "38 applications"),
    ]
    assert story_text(form, 300) == "What we did: Filmed it\nThe result: 38 applications"


@given(
    answers=st.tuples(*(st.one_of(st.none(), st.text(max_size=4000)) for _ in range(3))),
    chars=st.integers(min_value=120, max_value=2000),
)
def test_a_story_is_shown_within_its_budget_whatever_was_written(
    answers: tuple[str | None, str | None, str | None], chars: int
) -> None:
    parts = StoryParts.of(*answers)
    story = case(body=parts.body(), what_we_did=parts.what_we_did, result=parts.result,
                 learned=parts.learned)  # fmt: skip
    shown = story_text(story, chars)
    assert len(shown) <= chars + 60  # labels and line breaks on top of the cut answers
    for label, _ in parts.labelled() if is_structured(story) else []:
        assert f"{label}:" in shown  # every answer keeps its place, however short the budget


def test_the_social_team_is_a_comma_separated_list_or_a_toml_list() -> None:
    assert Settings(social_team="U1, U2,,").social_team_ids == frozenset({"U1", "U2"})
    assert Settings(social_team=["U3"]).social_team_ids == frozenset({"U3"})
    assert Settings().social_team_ids == frozenset()

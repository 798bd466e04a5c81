"""A structured story behind a win: what we did, the result, what we learned.

The form asks the three questions separately because a leader reading a digest wants the result
and the lesson, not a paragraph to dig them out of. A thread reply is one free text and fills
"what we did". Stories keep a ``body`` as well, the parts joined with their labels, so search
and anything that reads a story as one text keep working.
"""

from __future__ import annotations

from dataclasses import dataclass

from bot.domain.formatting import excerpt
from bot.domain.models import CaseStudy

MAX_PART_CHARS = 3000  # what the form accepts per answer (the Teams inputs say the same)
LABELS = {"what_we_did": "What we did", "result": "The result", "learned": "What we learned"}


@dataclass(frozen=True, slots=True)
class StoryParts:
    """The three answers, each stripped and cut; an unanswered question is None."""

    what_we_did: str | None = None
    result: str | None = None
    learned: str | None = None

    @classmethod
    def of(cls, what_we_did: str | None, result: str | None, learned: str | None) -> StoryParts:
        def clean(answer: str | None) -> str | None:
            text = (answer or "").strip()
            return text[:MAX_PART_CHARS] or None

        return cls(clean(what_we_did), clean(result), clean(learned))

    @property
    def empty(self) -> bool:
        return not (self.what_we_did or self.result or self.learned)

    def labelled(self) -> list[tuple[str, str]]:
        """(label, answer) for each question answered, in the form's order."""
        answers = {"what_we_did": self.what_we_did, "result": self.result, "learned": self.learned}
        return [(LABELS[name], text) for name, text in answers.items() if text]

    def body(self) -> str:
        """The story as one text: each answer after its label, a blank line between them."""
        return "\n\n".join(f"{label}: {text}" for label, text in self.labelled())


def parts_of(case: CaseStudy) -> StoryParts:
    return StoryParts(case.what_we_did, case.result, case.learned)


def is_structured(case: CaseStudy) -> bool:
    """A story told with the form (a result or a lesson), not one free-text reply."""
    return bool(case.result or case.learned)


def story_lines(case: CaseStudy, chars: int) -> list[tuple[str | None, str]]:
    """What a reader sees of a story within about ``chars`` characters: (label, text) lines.

    A form's story shows each answer after its label, each cut to its share of the budget so
    the result and the lesson survive a short digest; a reply (label None) shows as written.
    """
    if not is_structured(case):
        return [(None, excerpt(case.body, chars))]
    answered = parts_of(case).labelled()
    share = max(40, chars // len(answered) - 16)
    return [(label, excerpt(text, share)) for label, text in answered]


def story_text(case: CaseStudy, chars: int) -> str:
    """``story_lines`` as plain text, one line each: for the terminal and notices."""
    return "\n".join(
        f"{label}: {text}" if label else text for label, text in story_lines(case, chars)
    )

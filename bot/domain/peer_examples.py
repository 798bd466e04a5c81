"""Peer examples: a peer's standout post saved with a note on what we can learn from it.

The product asks for "case studies from your own industry, preferably from your biggest
competitors"; a peer win shows what worked for them, the note says why it matters to us. Pure:
the note's rules live here so chat forms and the CLI refuse the same things with the same words.
"""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel

from bot.domain.models import Platform

MAX_NOTE_CHARS = 1000
NOTE_LABEL = "What to learn from it"
EMPTY_NOTE = "Write what to learn from this post: that is what the digest shows."
LONG_NOTE = f"Keep the note to {MAX_NOTE_CHARS:,} characters: it is read in a digest."


class PeerExample(BaseModel):
    """A saved example, with the post it is about as readers need it (who, where, link)."""

    id: int
    note: str
    saved_by: str
    saved_by_name: str | None = None
    saved_at: datetime
    win_id: int | None = None
    platform: Platform | None = None
    account: str | None = None
    post_external_id: str | None = None
    post_url: str | None = None
    post_text: str | None = None

    @property
    def post_line(self) -> str:
        """The post in one line: "acme-rival on LinkedIn: We're hiring…" (no link, no markup)."""
        where = f" on {self.platform.label}" if self.platform is not None else ""
        text = " ".join((self.post_text or "").split())
        if len(text) > 120:
            text = text[:119].rstrip() + "…"
        head = f"{self.account or 'a peer'}{where}"
        return f"{head}: {text}" if text else head


def note_problem(note: str) -> str | None:
    """Why ``note`` cannot be saved, or None; whitespace alone is no note."""
    if not note.strip():
        return EMPTY_NOTE
    if len(note.strip()) > MAX_NOTE_CHARS:
        return LONG_NOTE
    return None

"""The words of `pilot new` and `pilot edit NAME` (also `campaign new/edit`), read into commands.

Kept beside bot.domain.grammar, which hands these over, so the main grammar stays about wins
and digests. ``pilot NAME`` already lists a pilot's wins, so these two words could clash with a
pilot someone named "New" or "Edit posts". The choice: a pilot whose whole name is what was
typed after ``pilot`` wins, when such a pilot exists (``pilot new`` then shows the pilot called
"New", as it did before these words existed); otherwise ``new`` and ``edit`` open the form. The
form is still reachable for such a pilot under the other word: ``campaign new``.
"""

from __future__ import annotations

from collections.abc import Collection

from bot.domain.commands import CommandError, OpenPilotForm

PILOT_WORDS = ("pilot", "campaign")
_EDIT_EXAMPLE = "e.g. `pilot edit Graduate hiring pilot`"


def parse_pilot_form(
    verb: str, rest: str, known_campaigns: Collection[str]
) -> OpenPilotForm | CommandError | None:
    """``rest`` is the text after ``pilot`` (or ``campaign``); None when it is not a form
    command (then it names a pilot to show, as before)."""
    if verb not in PILOT_WORDS:
        return None
    words = rest.split()
    if not words or words[0].lower() not in ("new", "edit"):
        return None
    known = {" ".join(name.split()).lower() for name in known_campaigns}
    if " ".join(words).lower() in known:
        return None  # a pilot with exactly this name exists: show it (see the module's note)
    if words[0].lower() == "new":
        if len(words) > 1:
            return CommandError(
                "`pilot new` opens an empty form; the name goes in the form.", "type `pilot new`"
            )
        return OpenPilotForm()
    name = " ".join(words[1:]).strip("\"'“”‘’").strip()
    if not name:
        return CommandError("Which pilot? Put its name after `pilot edit`.", _EDIT_EXAMPLE)
    return OpenPilotForm(name=name[:200])

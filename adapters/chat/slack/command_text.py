"""A /wins command's text as the person typed it, from Slack's escaped form.

The manifest turns on "Escape channels, users, and links" (``should_escape: true``) so that a
person picked from the list arrives as their id (``<@U012AB3CD|dana>``) rather than as the
words ``@dana``, which could name anyone. The price is that channels and links arrive escaped
too: a tag typed as ``#recruiting`` becomes ``<#C0REC|recruiting>`` when a channel has that
name, and a URL becomes ``<https://…|label>``. This module undoes that, so the core's grammar
reads the same words whichever way the app is set up: a user stays ``<@U…>`` (the one form the
owner grammar takes as a person), a channel goes back to ``#name``, a link to its URL, and
``<!here>`` to ``@here``. Slack's ``&lt;``/``&gt;``/``&amp;`` are left for the grammar, which
decodes them after splitting, so a ``<`` the person typed never reads as an entity.
"""

from __future__ import annotations

import re

_ENTITY = re.compile(r"<([^<>\s|][^<>|]*)(?:\|([^<>]*))?>")


def plain_command_text(text: str) -> str:
    """``text`` with each Slack entity put back as the person would have typed it."""
    return _ENTITY.sub(_plain, text)


def _plain(match: re.Match[str]) -> str:
    target, label = match[1], match[2]
    if target.startswith("@"):
        return f"<{target}>"  # a user: their id, whatever name they go by
    if target.startswith("#"):
        # A channel: the name the person typed; an unnamed one keeps its id.
        return f"#{label}" if label else target
    if target.startswith("!subteam^"):
        return label or "@" + target.removeprefix("!subteam^")
    if target.startswith("!"):
        return "@" + target[1:].split("^", 1)[0]  # <!here>, <!channel>, <!everyone>
    if target.startswith("mailto:"):
        return label or target.removeprefix("mailto:")
    return target  # a link: its URL, which is what was typed or pasted

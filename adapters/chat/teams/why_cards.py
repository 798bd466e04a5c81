"""Adaptive Card bodies for `@winsbot wins why 7` and the notes above a wins list.

Apart from ``cards`` (which dispatches here and wraps the body in its card) so that file stays
about digests and lists; the rules are the same: every text a ``TextRun``, each value fitted,
the card measured as botbuilder sends it. The command prefix is passed in by ``cards``, the
one place that states how Teams invokes winsbot.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import UTC
from typing import Any

from adapters.chat.teams.runs import Run, heading, line, rich, run, sentence, subheading, value
from adapters.chat.teams.text import fit, is_safe_url
from bot.domain.formatting import excerpt, invoked, where, win_strength
from bot.domain.views import WhyPost, WhyView

Element = dict[str, Any]

# What the body may take of Teams' ~28 KB: the card and activity around it need the rest.
BODY_BYTES = 25_000
MAX_BODY = 50  # elements in a card's body, as ``cards`` keeps every card
_COMPARED = 40  # 30 by default; the facts above name the median whatever is cut


def why_body(view: WhyView, command: str) -> list[Element]:
    """The claim, the figures it rests on, then the compared posts with the median marked."""
    win = view.win
    when = " · ".join(part for part in (win_strength(win), _date(view)) if part)
    body = [
        heading(view.title),
        rich([value(where(win), 200, weight="bolder")]),
        line(when, isSubtle=True, spacing="none"),
        rich([value(win.reason, 500)]),
        *(rich(sentence(invoked(fact, command), 500)) for fact in view.facts),
    ]
    if win.post_url and is_safe_url(win.post_url):
        view_post = {"type": "Action.OpenUrl", "title": "View post", "url": win.post_url}
        body.append({"type": "ActionSet", "actions": [view_post]})
    tail = [rich(sentence(invoked(view.note, command), 500, isSubtle=True))] if view.note else []
    posts = [_post(post) for post in view.compared[:_COMPARED]]
    title = [subheading(view.compared_heading or "Compared with")] if posts else []
    dropped = len(view.compared) - len(posts)
    while True:
        more = [line(f"…and {dropped:,} more, lower down the list", isSubtle=True)]
        shown = [*body, *title, *posts, *(more if dropped else []), *tail]
        fits = len(json.dumps(shown)) <= BODY_BYTES and len(shown) <= MAX_BODY
        if fits or not posts:
            return shown
        posts.pop()
        dropped += 1


def note_elements(notes: Sequence[str], command: str) -> list[Element]:
    """A list's notes (a campaign's pace, how to ask `why`), under its heading."""
    return [rich(sentence(invoked(note, command), 500), spacing="small") for note in notes[:5]]


def _post(post: WhyPost) -> Element:
    runs: list[Run] = [value(post.label, 120, **({"weight": "bolder"} if post.median else {}))]
    if post.text and (words := fit(excerpt(post.text, 80), 100)):
        runs.append(run(f"  “{words}”", isSubtle=True))
    if not (post.url and is_safe_url(post.url)):
        return rich(runs, spacing="small")
    # The whole row opens the post: a TextRun's own selectAction is not drawn by every client.
    runs.append(run("  View post", color="accent"))
    open_url = {"type": "Action.OpenUrl", "url": post.url, "title": "View post"}
    return {
        "type": "Container",
        "items": [rich(runs)],
        "selectAction": open_url,
        "spacing": "small",
    }


def _date(view: WhyView) -> str:
    moment = view.win.occurred_at
    moment = moment.astimezone(UTC) if moment.tzinfo is not None else moment
    return f"{moment.day} {moment:%b %Y}"

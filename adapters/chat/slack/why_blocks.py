"""Block Kit for `/wins why 7` and the notes above a wins list: pure, view in, JSON out.

Apart from ``blocks`` (which dispatches here) so that file stays about digests and lists; the
rules are the same: every text in ``rich_text`` elements (never mrkdwn), each block under 3,000
characters, the message under 50 blocks. The command prefix is passed in by ``blocks``, the one
place that states how Slack invokes winsbot.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from adapters.chat.slack import richtext as rt
from adapters.chat.slack.mrkdwn import fit_plain
from adapters.chat.slack.richtext import Paragraph
from bot.domain.formatting import excerpt, invoked, where, win_strength
from bot.domain.views import WhyPost, WhyView

Block = dict[str, Any]
Message = dict[str, Any]

MAX_SECTION = 3_000
# Every compared post fits with room to spare (30 by default); a baseline of hundreds is cut
# and counted, and the facts above still name the median.
_COMPARED = 40
_FALLBACK = 3_000


def render_why(view: WhyView, command: str) -> Message:
    """The claim, the figures it rests on, then the compared posts with the median marked."""
    win = view.win
    head: Paragraph = [rt.value(where(win), 220, bold=True)]
    if strength := win_strength(win):
        head.append(rt.text(f"  ·  {strength}"))
    head += [rt.text("  ·  "), rt.date(win.occurred_at)]
    lines = [head, [rt.value(win.reason, 1_000)]]
    lines += [rt.sentence(invoked(fact, command), 500) for fact in view.facts]
    if win.post_url:
        lines.append([rt.link(win.post_url, "View post")])
    blocks = [_header(view.title), *map(rt.block, _pack(lines))]
    if view.compared:
        shown = view.compared[:_COMPARED]
        heading = rt.value(view.compared_heading or "Compared with", 300, bold=True)
        items = [[heading], *(_post_line(post) for post in shown)]
        blocks += [rt.block(group) for group in _pack(items)]
        if dropped := len(view.compared) - len(shown):
            blocks.append(_small(f"…and {dropped:,} more, lower down the list"))
    if view.note:
        blocks.append(rt.block([rt.sentence(invoked(view.note, command), 1_000)]))
    summary = rt.unmarked(invoked(view.facts[0], command)) if view.facts else win.reason
    return {"text": fit_plain(f"{view.title}: {summary}", _FALLBACK), "blocks": blocks}


def note_blocks(notes: Sequence[str], command: str) -> list[Block]:
    """A list's notes (a campaign's pace, how to ask `/wins why 7`) as one small block."""
    lines = [rt.sentence(invoked(note, command), 600) for note in notes[:5]]
    return [rt.block(lines)] if lines else []


def _post_line(post: WhyPost) -> Paragraph:
    # Budget: 120 (label) + 100 (first words) + a link (URL cut at 800) stays under 1,100.
    line: Paragraph = [rt.value(post.label, 120, bold=post.median)]
    if post.text and (words := excerpt(post.text, 80)):
        line += [rt.value(words, 100, lead="  “"), rt.text("”")]
    if post.url and len(post.url) <= 800:
        line += [rt.text("  "), rt.link(post.url, "View post")]
    return line


def _pack(lines: Sequence[Paragraph], limit: int = MAX_SECTION - 100) -> list[list[Paragraph]]:
    """Lines grouped into blocks under ``limit`` characters, never splitting a line."""
    groups: list[list[Paragraph]] = []
    size = 0
    for line in lines:
        cost = rt.size(line) + 1
        if not groups or size + cost > limit:
            groups.append([])
            size = 0
        groups[-1].append(line)
        size += cost
    return groups


def _header(text: str) -> Block:
    plain = {"type": "plain_text", "text": fit_plain(text, 150) or rt.BLANK, "emoji": False}
    return {"type": "header", "text": plain}


def _small(text: str) -> Block:
    plain = {"type": "plain_text", "text": fit_plain(text, 1_000) or rt.BLANK, "emoji": False}
    return {"type": "context", "elements": [plain]}

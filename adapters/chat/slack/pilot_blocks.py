"""A pilot's report and its learnings ask, in Block Kit.

The report reads like the CLI's (`winsbot campaign report`): goal, result, best posts, what
was learned, the stories, the next step. Each section is rich text packed under Slack's 3,000
characters per block, and the whole stays far inside 50 blocks (at most about 16: three best
posts and five stories are all a report shows). Both messages carry metadata naming their
ledger row, so a worker taking over a stopped one's send can find them in the history.
"""

from __future__ import annotations

from typing import Any

from adapters.chat.slack import richtext as rt
from adapters.chat.slack.block_parts import (
    MAX_BLOCKS,
    Block,
    Message,
    actions,
    header,
    message,
    pack,
    small,
)
from adapters.chat.slack.richtext import Paragraph
from bot.domain.pilot_end import NO_LEARNINGS, PilotAskView
from bot.domain.pilot_report import PilotReport

PILOT_EVENT = "winsbot_pilot"  # message metadata event_type of every ask and report
OPEN_LEARNINGS_ACTION = "winsbot_pilot_learnings_open"
_STORY_CHARS = 600  # one story's answers, each: five stories stay inside a block or two


def pilot_metadata(message_id: int) -> dict[str, Any]:
    return {"event_type": PILOT_EVENT, "event_payload": {"pilot_message_id": message_id}}


def names_pilot_message(found: dict[str, Any], message_id: int) -> bool:
    metadata = found.get("metadata")
    if not isinstance(metadata, dict) or metadata.get("event_type") != PILOT_EVENT:
        return False
    payload = metadata.get("event_payload")
    value = payload.get("pilot_message_id") if isinstance(payload, dict) else None
    return value is not None and not isinstance(value, bool) and str(value) == str(message_id)


def _section(title: str, lines: list[Paragraph]) -> list[Block]:
    blocks: list[Block] = [rt.block([[rt.text(title, bold=True)]])]
    blocks += [rt.block(group) for group in pack(lines)]
    return blocks


def render_report(report: PilotReport, *, message_id: int | None = None) -> Message:
    """Goal and result first (what a leader reads in thirty seconds), then the evidence."""
    blocks: list[Block] = [header(f"Pilot report: {report.name}")]
    facts = [
        [rt.text("Goal: ", bold=True), rt.value(report.goal, 1000)],
        [rt.text("Result: ", bold=True), rt.value(report.result, 1000)],
    ]
    blocks.append(rt.block(facts))
    if report.best_posts:
        lines: list[Paragraph] = []
        for n, post in enumerate(report.best_posts, start=1):
            line: Paragraph = [
                rt.text(f"{n}. {post.platform.label} · "),
                rt.value(post.account, 200),
                rt.text(f"  {post.value:,} {report.unit}"),
            ]
            if post.text:
                line.append(rt.value(" ".join(post.text.split()), 200, lead="  “"))
                line.append(rt.text("”"))
            if post.url:
                line += [rt.text("  "), rt.link(post.url, "Open the post")]
            lines.append(line)
        blocks += _section("Best posts", lines)
    # No next step means no owner answered the learnings form (it asks for both).
    learned = [[rt.text(NO_LEARNINGS)]] if report.next_step is None else []
    learned += [[rt.value(learning, 1000, lead="• ")] for learning in report.learnings]
    blocks += _section("What we learned", learned or [[rt.text(NO_LEARNINGS)]])
    if report.stories:
        stories: list[Paragraph] = []
        for story in report.stories:
            who = story.author_name or story.author or "someone"
            answers = [
                f"{label}: {answer}"
                for label, answer in (
                    ("What we did", story.what_we_did),
                    ("The result", story.result),
                    ("What we learned", story.learned),
                )
                if answer
            ]
            said = " · ".join(answers) if answers else story.body
            stories.append(
                [rt.value(who, 100, bold=True, lead="• "), rt.value(said, _STORY_CHARS, lead=": ")]
            )
        blocks += _section("The stories behind it", stories)
    step = report.next_step or "No recommendation yet (extend, scale or stop)."
    blocks.append(rt.block([[rt.text("Next step: ", bold=True), rt.value(step, 300)]]))
    if report.next_step is None:
        blocks.append(
            small("Posted two working days after the pilot ended, without its owner's learnings.")
        )
    blocks = blocks[:MAX_BLOCKS]
    out = message(f"Pilot report: {report.name}. {report.result}", blocks)
    if message_id is not None:
        out["metadata"] = pilot_metadata(message_id)
    return out


def render_ask(view: PilotAskView) -> Message:
    """The ask to one owner: the pilot's numbers and the button that opens the form."""
    blocks: list[Block] = [
        rt.block([rt.sentence(view.intro, 1000)]),
        rt.block(
            [
                [rt.text("Goal: ", bold=True), rt.value(view.goal, 1000)],
                [rt.text("Result: ", bold=True), rt.value(view.result, 1000)],
            ]
        ),
        actions("Write the learnings", OPEN_LEARNINGS_ACTION, str(view.campaign_id)),
    ]
    out = message(view.intro, blocks)
    if view.message_id is not None:
        out["metadata"] = pilot_metadata(view.message_id)
    return out

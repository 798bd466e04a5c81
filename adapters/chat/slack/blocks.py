"""Draw neutral views as Slack Block Kit messages: pure, view in, JSON out.

Text reaches the reader as it was written. Everything from people or data (post text, reasons,
case studies, handles, campaign names, time zones, commands) is drawn in ``rich_text`` blocks,
whose text Slack never parses (see ``richtext``); the few ``plain_text`` objects (titles in
headers, small print, buttons) are never formatted either, and only carry ``&<>`` as entities.
No mrkdwn object is left, so there is nothing for anyone's words to turn into markup, and no
character is swapped for a lookalike: what a reader copies is what was written.

Each line has a budget chosen so a rich text block can never pass 3,000 characters (Slack
documents no limit of its own for rich text; 3,000 is the section limit it replaced), and each
list is cut so a message never passes 50 blocks: the dropped items are counted into "…and N
more" rather than Slack rejecting the whole message with ``invalid_blocks``.
"""

from __future__ import annotations

import re
from typing import assert_never

from adapters.chat.slack import block_parts as bp
from adapters.chat.slack import richtext as rt
from adapters.chat.slack.block_parts import MAX_SECTION as MAX_SECTION
from adapters.chat.slack.block_parts import Block as Block
from adapters.chat.slack.block_parts import Message as Message
from adapters.chat.slack.digest_blocks import trend_blocks
from adapters.chat.slack.mrkdwn import cut, fit_plain, is_safe_url
from adapters.chat.slack.peer_blocks import example_blocks, save_example_button
from adapters.chat.slack.richtext import Paragraph
from adapters.chat.slack.story_form import add_story_button
from adapters.chat.slack.why_blocks import note_blocks, render_why
from bot.domain.campaigns import campaign_pace
from bot.domain.formatting import (
    audience_label,
    campaign_goal,
    excerpt,
    headline_value,
    invoked,
    plural,
    progress_bar,
    where,
    win_numbers,
    win_strength,
)
from bot.domain.layout import (
    CampaignsSection,
    CaseStudiesSection,
    PeersSection,
    QuietSection,
    Section,
    WinsSection,
    digest_layout,
)
from bot.domain.models import Audience, CampaignProgress, CaseStudy, Subscription, Win
from bot.domain.stories import story_lines
from bot.domain.views import (
    CaseStudyListView,
    ChatView,
    DigestView,
    ErrorView,
    Headline,
    HelpView,
    NoticeView,
    SubscriptionListView,
    WhyView,
    WinListView,
)

COMMAND = "/wins"  # how Slack users invoke winsbot; the slash command the manifest registers
SHARE_WIN_ACTION = "winsbot_share_win"
SHARE_CASE_ACTION = "winsbot_share_case"

# compose_digest keeps five top wins, but a DigestView may hold any number: this cap is what
# keeps such a digest under 50 blocks (the tests render one with a hundred).
_DIGEST_WINS = 10
_DIGEST_CAMPAIGNS = 10
_DIGEST_CASES = 5
_HEADLINES = 20  # 20 lines of at most 140 characters stay under one block's 3,000
_NOTICE = {True: "Done.", False: "That did not work."}
_SLACK_USER_ID = re.compile(r"[UW][A-Z0-9]{2,30}")


def render(view: ChatView) -> Message:
    """Render any view as ``{"text", "blocks"}`` for chat.postMessage or a response_url."""
    match view:
        case DigestView():
            return render_digest(view)
        case WinListView():
            return _render_win_list(view)
        case CaseStudyListView():
            return _render_case_studies(view)
        case HelpView():
            return _render_help(view)
        case ErrorView():
            return _render_error(view)
        case SubscriptionListView():
            return _render_subscriptions(view)
        case NoticeView():
            return _render_notice(view)
        case WhyView():
            return render_why(view, COMMAND)


def render_digest(view: DigestView, *, chart_url: str | None = None) -> Message:
    """A digest for a channel: numbers, chart, wins, campaigns, case studies; no share buttons."""
    layout = digest_layout(view)
    period = layout.period
    # The zone as the reader's settings name it ("America/Los_Angeles"), not respelled.
    blocks = [
        bp.header(layout.title),
        bp.small(f"{period.text} ({period.label}) · {period.timezone}"),
    ]
    if layout.so_what:
        blocks.append(rt.block([[rt.value(layout.so_what, 600, bold=True)]]))
    if layout.show_numbers:
        blocks.append(rt.block(_headline(h) for h in layout.headlines[:_HEADLINES]))
    blocks += trend_blocks(layout)  # the 13-week shape and honest misses, as text
    if chart_url is not None and is_safe_url(chart_url):
        alt = fit_plain(layout.chart_alt, 500) or "Chart"
        blocks.append({"type": "image", "image_url": chart_url, "alt_text": alt})
    for section in layout.sections:
        blocks += _digest_section(section)
    return bp.message(layout.summary(), blocks)


def _digest_section(section: Section) -> list[Block]:
    # The caps keep a busy digest under 50 blocks and the campaigns text under 3,000
    # characters; what they leave out is counted into "…and N more".
    match section:
        case QuietSection():
            return [rt.block([_heading(section.heading), rt.sentence(section.text, 2_500)])]
        case WinsSection() if section.wins:
            shown = section.wins[:_DIGEST_WINS]
            blocks = [rt.block([_heading(section.heading)])]
            blocks += bp.join([[rt.block(_win_lines(win))] for win in shown])
            more = section.more + len(section.wins) - len(shown)
            return [*blocks, bp.and_more(more, section.noun)] if more else blocks
        case WinsSection():
            empty = section.empty_text
            return [rt.block([rt.sentence(empty, MAX_SECTION)])] if empty else []
        case CampaignsSection():
            lines = [line for p in section.campaigns[:_DIGEST_CAMPAIGNS] for line in _campaign(p)]
            if (dropped := len(section.campaigns) - _DIGEST_CAMPAIGNS) > 0:
                lines.append([rt.text(f"…and {dropped} more {plural(dropped, section.noun)}")])
            return [rt.block([_heading(section.heading)]), *map(rt.block, bp.pack(lines))]
        case CaseStudiesSection():
            cases = section.case_studies[:_DIGEST_CASES]
            blocks = [rt.block([_heading(section.heading)])]
            blocks += [rt.block(_case_lines(case, 300)) for case in cases]
            dropped = len(section.case_studies) - len(cases)
            return [*blocks, bp.and_more(dropped, section.noun)] if dropped else blocks
        case PeersSection():
            peers = bp.join([[rt.block(_win_lines(win))] for win in section.wins])
            lead = [[rt.value(section.growth, 600)]] if section.growth else []
            examples = example_blocks(section.examples)
            return [rt.block([_heading(section.heading), *lead]), *examples, *peers]
        case _:
            assert_never(section)


def render_win(win: Win, *, shared_by: str | None = None) -> Message:
    """One win shared to a channel, credited to the Slack user who shared it.

    The mention is a ``user`` element built from ``shared_by`` (a user id from Slack's own
    payload), never from text, so this is the one place a message can ping anyone.
    """
    lines = _win_lines(win)
    if shared_by is not None:
        if not _SLACK_USER_ID.fullmatch(shared_by):
            raise ValueError(f"not a Slack user id: {shared_by!r}")
        lines.append([rt.text("Shared by "), rt.user(shared_by)])
    blocks = [rt.block(lines), add_story_button(win.id)]  # the form: the story behind it
    return bp.message(f"A social media win: {where(win)}", blocks)


def _render_win_list(view: WinListView) -> Message:
    notes = note_blocks(view.notes, COMMAND)  # a campaign's pace; how to ask `why`
    if not view.wins:
        empty = _empty(view.title, view.empty_message)
        return bp.message(f"{view.title}: no wins", [*empty[:1], *notes, *empty[1:]])

    def item(win: Win) -> list[Block]:
        lines = _win_lines(win)
        lines[0].insert(0, rt.text(f"#{win.id}  "))  # the number `/wins why` takes
        blocks = [rt.block(lines)]
        if view.shareable:
            blocks.append(bp.actions("Share to channel", SHARE_WIN_ACTION, str(win.id)))
        elif view.peers and win.post_external_id is not None:
            blocks.append({"type": "actions", "elements": [save_example_button(win.id)]})
        return blocks

    head = [bp.header(view.title), *notes]
    blocks = bp.fit_items(head, [item(w) for w in view.wins], view.more, "win")
    total = len(view.wins) + view.more
    return bp.message(f"{view.title}: {total} {plural(total, 'win')}", blocks)


def _render_case_studies(view: CaseStudyListView) -> Message:
    if not view.case_studies:
        return bp.message(f"{view.title}: none yet", _empty(view.title, view.empty_message))

    def item(case: CaseStudy) -> list[Block]:
        blocks = [rt.block(_case_lines(case, 600))]
        # A story told in a private channel stays there: no button offers to share it wider.
        if case.private_to is None:
            blocks.append(bp.actions("Share to channel", SHARE_CASE_ACTION, str(case.id)))
        return blocks

    items = [item(case) for case in view.case_studies]
    blocks = bp.fit_items([bp.header(view.title)], items, view.more, "case study")
    total = len(view.case_studies) + view.more
    return bp.message(f"{view.title}: {total} {plural(total, 'case study')}", blocks)


def _render_help(view: HelpView) -> Message:
    title = view.title or f"How to use {COMMAND}"
    lines = [[rt.code(_usage(u), 300), *rt.sentence(d, 500, lead="  ")] for u, d in view.commands]
    items = [[rt.block(group)] for group in bp.pack(lines)]
    if view.examples:
        examples = [[rt.code(_usage(e), 300)] for e in view.examples]
        items += [[rt.block(group)] for group in bp.pack([_heading("Examples"), *examples])]
    blocks = bp.fit_items([bp.header(title)], items, 0, "line", divide=False)
    return bp.message(title, blocks)


def _render_error(view: ErrorView) -> Message:
    message = invoked(view.message, COMMAND)
    lines = [[rt.emoji("warning"), *rt.sentence(message, 1_500, lead=" ")]]
    if view.suggestion:
        lines.append(rt.sentence(invoked(view.suggestion, COMMAND), 700))
    if view.usage:
        lines.append([rt.text("Usage: "), rt.code(_usage(view.usage), 500)])
    if view.hint:
        lines.append(rt.sentence(invoked(view.hint, COMMAND), 700))
    return bp.message(rt.unmarked(message), [rt.block(lines)])


def _render_notice(view: NoticeView) -> Message:
    text = invoked(view.text.strip(), COMMAND)
    lead = "" if view.ok else " "
    line = rt.sentence(text, MAX_SECTION - 30, lead=lead) if text else []
    line = line or [rt.text(lead + _NOTICE[view.ok])]
    if not view.ok:
        line = [rt.emoji("no_entry"), *line]
    return bp.message(rt.unmarked(text), [rt.block([line])])


def _render_subscriptions(view: SubscriptionListView) -> Message:
    if not view.subscriptions:
        return bp.message(f"{view.title}: none", _empty(view.title, view.empty_message))
    items = [[rt.block(_subscription_lines(s))] for s in view.subscriptions]
    blocks = bp.fit_items([bp.header(view.title)], items, 0, "subscription")
    total = len(view.subscriptions)
    return bp.message(f"{view.title}: {total} {plural(total, 'subscription')}", blocks)


# --- pieces -------------------------------------------------------------------------------


def _win_lines(win: Win) -> list[Paragraph]:
    # Budgets: 220 + 30 + 1,000 + 602 + 40 + 809 (link) stays under 3,000, and under it with
    # "Shared by" too.
    head = [
        rt.value(where(win), 220, bold=True),
        rt.text(f"  ·  {strength}  ·  " if (strength := win_strength(win)) else "  ·  "),
        rt.date(win.occurred_at),
    ]
    lines = [head, [rt.value(win.reason, 1_000)]]
    if win.post_text:
        lines.append([rt.text(f"“{cut(excerpt(win.post_text, 200), 600)}”")])
    numbers = " · ".join(win_numbers(win))
    if win.post_url:
        numbers += " · " if numbers else ""
        view_post = rt.link(win.post_url, "View post")
        lines.append([rt.text(numbers), view_post] if numbers else [view_post])
    elif numbers:
        lines.append([rt.text(numbers)])
    return lines


def _case_lines(case: CaseStudy, chars: int) -> list[Paragraph]:
    # The name readers know the author by, else whatever identifies them.
    author = case.byline if case.byline and case.byline.strip() else None
    byline = rt.value(author, 200) if author else rt.text("anonymous")
    byline["text"] += " · "
    lines = [[byline, rt.date(case.created_at)]]
    if case.win_reason:
        lines.append([rt.text("About:", bold=True), rt.value(case.win_reason, 600, lead=" ")])
    for label, text in story_lines(case, chars):  # a form's answers each after its label
        lead = [rt.text(f"{label}:", bold=True)] if label else []
        lines.append([*lead, rt.value(text, 2_000, lead=" " if label else "")])
    return lines


def _campaign(progress: CampaignProgress) -> list[Paragraph]:
    bar = f"  {progress_bar(progress)} {progress.fraction:.0%}"
    return [
        [rt.value(progress.campaign.name, 150, bold=True), rt.text(bar)],
        [rt.text(campaign_goal(progress))],
        *([[rt.text(pace)]] if (pace := campaign_pace(progress)) else []),  # on track, behind
    ]


def _headline(headline: Headline) -> Paragraph:
    return [rt.value(headline.label, 100, bold=True), rt.text(f"  {headline_value(headline)}")]


def _subscription_lines(sub: Subscription) -> list[Paragraph]:
    state = "active" if sub.active else "paused"
    lines = [
        _audience_line(sub.audience),
        [rt.value(sub.schedule.describe(), 200), rt.text(f" · {state}")],
    ]
    if sub.broken_reason:
        reason = rt.value(sub.broken_reason, 1_000, lead=" Not delivering: ")
        lines.append([rt.emoji("warning"), reason])
    return lines


def _audience_line(audience: Audience) -> Paragraph:
    filters = [
        ("tags", ", ".join(f"#{tag}" for tag in audience.tags)),
        ("platforms", ", ".join(p.label for p in audience.platforms)),
        ("accounts", ", ".join(audience.accounts)),
    ]
    detail = "; ".join(f"{name}: {values}" for name, values in filters if values)
    name = rt.value(audience_label(audience.name), 200, bold=True)
    return [name, rt.text(f" ({cut(detail, 1_000)})")] if detail else [name]


def _usage(text: str) -> str:
    # Usage lines may be written with or without the slash command; show it exactly once.
    return text if text.startswith("/") else f"{COMMAND} {text}".rstrip()


def _heading(text: str) -> Paragraph:
    return [rt.value(text, 150, bold=True)]


def _empty(title: str, message: str | None) -> list[Block]:
    text = invoked(message.strip(), COMMAND) if message else ""
    line = rt.sentence(text, MAX_SECTION) if text else [rt.text("Nothing to show yet.")]
    return [bp.header(title), rt.block([line])]

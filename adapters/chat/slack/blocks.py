"""Draw neutral views as Slack Block Kit messages: pure, view in, JSON out.

Every user string goes through ``mrkdwn.fit`` (escape, then cut within a budget), and every mrkdwn
object is ``verbatim`` so Slack does not turn "@here" or "#general" into live mentions. Each line
has a fixed budget chosen so a section can never pass 3,000 characters, and each list is cut so a
message never passes 50 blocks: the dropped items are counted into "…and N more" rather than
Slack rejecting the whole message with ``invalid_blocks``.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any, assert_never

# ``escape`` is re-exported: listeners escape the odd string they send without a view.
from adapters.chat.slack.mrkdwn import escape as escape
from adapters.chat.slack.mrkdwn import (
    fit,
    fit_fallback,
    fit_plain,
    is_safe_url,
    link,
    slack_len,
)
from bot.domain.formatting import (
    audience_label,
    campaign_goal,
    excerpt,
    headline_value,
    invoked,
    plural,
    progress_bar,
    score_text,
    where,
    win_numbers,
    zone_name,
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
from bot.domain.views import (
    CaseStudyListView,
    ChatView,
    DigestView,
    ErrorView,
    HelpView,
    NoticeView,
    SubscriptionListView,
    WinListView,
)

Block = dict[str, Any]
Message = dict[str, Any]

COMMAND = "/wins"  # how Slack users invoke winsbot; the slash command the manifest registers
SHARE_WIN_ACTION = "winsbot_share_win"
SHARE_CASE_ACTION = "winsbot_share_case"

MAX_BLOCKS = 50
MAX_SECTION = 3_000
MAX_HEADER = 150
MAX_FIELDS = 10
MAX_FALLBACK = 3_000
# compose_digest keeps five top wins, but a DigestView may hold any number: this cap is what
# keeps such a digest under 50 blocks (the tests render one with a hundred).
_DIGEST_WINS = 10
_DIGEST_CAMPAIGNS = 10
_DIGEST_CASES = 5
_NOTICE = {True: "Done.", False: ":no_entry: That did not work."}
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
            prefix = "" if view.ok else ":no_entry: "
            text = invoked(view.text.strip(), COMMAND)
            body = fit(text, MAX_SECTION - len(prefix))
            return _message(text, [_section(prefix + body if body else _NOTICE[view.ok])])


def render_digest(view: DigestView, *, chart_url: str | None = None) -> Message:
    """A digest for a channel: numbers, chart, wins, campaigns, case studies; no share buttons."""
    layout = digest_layout(view)
    period = layout.period
    blocks = [
        _header(layout.title),
        _context(fit(f"{period.text} ({period.label}) · {period.zone}", 1_000)),
    ]
    if layout.show_numbers:
        fields = [_mrkdwn(f"*{fit(h.label, 200)}*\n{headline_value(h)}") for h in layout.headlines]
        blocks += [
            {"type": "section", "fields": fields[start : start + MAX_FIELDS]}
            for start in range(0, min(len(fields), 2 * MAX_FIELDS), MAX_FIELDS)
        ]
    if chart_url is not None and is_safe_url(chart_url):
        alt = fit_plain(layout.chart_alt, 500)
        blocks.append({"type": "image", "image_url": chart_url, "alt_text": alt})
    for section in layout.sections:
        blocks += _digest_section(section)
    return _message(layout.summary(), blocks)


def _digest_section(section: Section) -> list[Block]:
    # The caps keep a busy digest under 50 blocks and the campaigns text under 3,000
    # characters; what they leave out is counted into "…and N more".
    match section:
        case QuietSection():
            return [_section(f"{_heading(section.heading)}\n{fit(section.text, 2_500)}")]
        case WinsSection() if section.wins:
            shown = section.wins[:_DIGEST_WINS]
            blocks = [_section(_heading(section.heading))]
            blocks += _join([[_section(_win_text(win))] for win in shown])
            more = section.more + len(section.wins) - len(shown)
            return [*blocks, _more(more, section.noun)] if more else blocks
        case WinsSection():
            return [_section(fit(section.empty_text, MAX_SECTION))] if section.empty_text else []
        case CampaignsSection():
            lines = [_campaign_line(p) for p in section.campaigns[:_DIGEST_CAMPAIGNS]]
            if dropped := len(section.campaigns) - len(lines):
                lines.append(f"…and {dropped} more {plural(dropped, section.noun)}")
            return [_section(_heading(section.heading)), _section("\n\n".join(lines))]
        case CaseStudiesSection():
            cases = section.case_studies[:_DIGEST_CASES]
            blocks = [_section(_heading(section.heading))]
            blocks += [_section(_case_text(case, 300)) for case in cases]
            dropped = len(section.case_studies) - len(cases)
            return [*blocks, _more(dropped, section.noun)] if dropped else blocks
        case PeersSection():
            peers = _join([[_section(_win_text(win))] for win in section.wins])
            return [_section(_heading(section.heading)), *peers]
        case _:
            assert_never(section)


def render_win(win: Win, *, shared_by: str | None = None) -> Message:
    """One win shared to a channel, credited to the Slack user who shared it.

    The mention is built from ``shared_by`` (a user id from Slack's own payload), never from
    text, so this is the one place a message can ping anyone.
    """
    blocks = [_section(_win_text(win))]
    if shared_by is not None:
        if not _SLACK_USER_ID.fullmatch(shared_by):
            raise ValueError(f"not a Slack user id: {shared_by!r}")
        blocks.append(_context(f"Shared by <@{shared_by}>"))
    return _message(f"A social media win: {where(win)}", blocks)


def _render_win_list(view: WinListView) -> Message:
    if not view.wins:
        return _message(f"{view.title}: no wins", _empty(view.title, view.empty_message))

    def section(win: Win) -> list[Block]:
        block = _section(_win_text(win))
        if view.shareable:
            block["accessory"] = _button("Share to channel", SHARE_WIN_ACTION, str(win.id))
        return [block]

    blocks = _fit_items([_header(view.title)], [section(w) for w in view.wins], view.more, "win")
    total = len(view.wins) + view.more
    return _message(f"{view.title}: {total} {plural(total, 'win')}", blocks)


def _render_case_studies(view: CaseStudyListView) -> Message:
    if not view.case_studies:
        return _message(f"{view.title}: none yet", _empty(view.title, view.empty_message))

    def section(case: CaseStudy) -> list[Block]:
        block = _section(_case_text(case, 600))
        # A story told in a private channel stays there: no button offers to share it wider.
        if case.private_to is None:
            block["accessory"] = _button("Share to channel", SHARE_CASE_ACTION, str(case.id))
        return [block]

    items = [section(case) for case in view.case_studies]
    blocks = _fit_items([_header(view.title)], items, view.more, "case study")
    total = len(view.case_studies) + view.more
    return _message(f"{view.title}: {total} {plural(total, 'case study')}", blocks)


def _render_help(view: HelpView) -> Message:
    title = view.title or f"How to use {COMMAND}"
    lines = [f"`{fit(_usage(u), 300)}`  {fit(d, 500)}" for u, d in view.commands]
    items = [[_section(text)] for text in _pack(lines)]
    if view.examples:
        examples = [f"`{fit(_usage(e), 300)}`" for e in view.examples]
        items += [[_section(text)] for text in _pack(["*Examples*", *examples])]
    blocks = _fit_items([_header(title)], items, 0, "line", divide=False)
    return _message(title, blocks)


def _render_error(view: ErrorView) -> Message:
    lines = [f":warning: {fit(invoked(view.message, COMMAND), 1_500)}"]
    if view.suggestion:
        lines.append(fit(invoked(view.suggestion, COMMAND), 700))
    if view.usage:
        lines.append(f"Usage: `{fit(_usage(view.usage), 500)}`")
    if view.hint:
        lines.append(fit(invoked(view.hint, COMMAND), 700))
    return _message(view.message, [_section("\n".join(lines))])


def _render_subscriptions(view: SubscriptionListView) -> Message:
    if not view.subscriptions:
        return _message(f"{view.title}: none", _empty(view.title, view.empty_message))
    items = [[_section(_subscription_text(s))] for s in view.subscriptions]
    blocks = _fit_items([_header(view.title)], items, 0, "subscription")
    total = len(view.subscriptions)
    return _message(f"{view.title}: {total} {plural(total, 'subscription')}", blocks)


# --- pieces -------------------------------------------------------------------------------


def _win_text(win: Win) -> str:
    # Budgets: 220 + 70 + 1,000 + 602 + 40 + 815 (link) stays under 3,000 with the newlines.
    when = _date(win.occurred_at)
    head = f"*{fit(where(win), 220)}*  ·  score {score_text(win.score)}  ·  {when}"
    lines = [head, fit(win.reason, 1_000)]
    if win.post_text:
        lines.append(f"“{fit(excerpt(win.post_text, 200), 600)}”")
    numbers = win_numbers(win)
    if win.post_url:
        numbers.append(link(win.post_url, "View post"))
    if numbers:
        lines.append(" · ".join(numbers))
    return "\n".join(lines)


def _case_text(case: CaseStudy, chars: int) -> str:
    byline = fit(case.author, 200) if case.author else "anonymous"
    lines = [f"{byline} · {_date(case.created_at)}"]
    if case.win_reason:
        lines.append(f"*About:* {fit(case.win_reason, 600)}")
    lines.append(fit(excerpt(case.body, chars), 2_000))
    return "\n".join(lines)


def _campaign_line(progress: CampaignProgress) -> str:
    bar = f"{progress_bar(progress)} {progress.fraction:.0%}"
    return f"*{fit(progress.campaign.name, 150)}*  {bar}\n{campaign_goal(progress)}"


def _subscription_text(sub: Subscription) -> str:
    state = "active" if sub.active else "paused"
    lines = [
        f"*{_audience_text(sub.audience)}*",
        f"{fit(zone_name(sub.schedule.describe()), 200)} · {state}",
    ]
    if sub.broken_reason:
        lines.append(f":warning: Not delivering: {fit(sub.broken_reason, 1_000)}")
    return "\n".join(lines)


def _audience_text(audience: Audience) -> str:
    filters = [
        ("tags", ", ".join(f"#{tag}" for tag in audience.tags)),
        ("platforms", ", ".join(p.label for p in audience.platforms)),
        ("accounts", ", ".join(audience.accounts)),
    ]
    detail = "; ".join(f"{name}: {values}" for name, values in filters if values)
    name = fit(audience_label(audience.name), 200)
    return f"{name} ({fit(detail, 1_000)})" if detail else name


def _usage(text: str) -> str:
    # Usage lines may be written with or without the slash command; show it exactly once.
    return text if text.startswith("/") else f"{COMMAND} {text}"


def _date(moment: datetime) -> str:
    # Slack shows <!date> in each reader's own zone; the fallback is for clients that cannot.
    aware = moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)
    utc = aware.astimezone(UTC)
    return f"<!date^{int(utc.timestamp())}^{{date_short}}|{utc.day} {utc:%b %Y}>"


# --- blocks -------------------------------------------------------------------------------


def _message(fallback: str, blocks: list[Block]) -> Message:
    return {"text": fit_fallback(fallback, MAX_FALLBACK) or "winsbot", "blocks": blocks}


def _mrkdwn(text: str) -> dict[str, Any]:
    # verbatim: no auto-linking of channel names or parsing of "@here" in what we escaped.
    # Slack rejects blank text, and user text can be all whitespace.
    return {"type": "mrkdwn", "text": text if text.strip() else "–", "verbatim": True}


def _section(text: str) -> Block:
    return {"type": "section", "text": _mrkdwn(text)}


def _context(text: str) -> Block:
    return {"type": "context", "elements": [_mrkdwn(text)]}


def _header(text: str) -> Block:
    plain = fit_plain(text, MAX_HEADER) or "winsbot"
    return {"type": "header", "text": {"type": "plain_text", "text": plain, "emoji": True}}


def _button(label: str, action_id: str, value: str) -> Block:
    return {
        "type": "button",
        "text": {"type": "plain_text", "text": label, "emoji": True},
        "action_id": action_id,
        "value": value,
    }


def _heading(text: str) -> str:
    # Headings are ours, but escaped like any text so a wording change cannot become markup.
    return f"*{fit(text, 150)}*"


def _more(count: int, noun: str) -> Block:
    return _context(f"…and {count:,} more {plural(count, noun)}")


def _empty(title: str, message: str | None) -> list[Block]:
    text = fit(invoked(message.strip(), COMMAND), MAX_SECTION) if message else ""
    return [_header(title), _section(text or "Nothing to show yet.")]


def _join(items: Sequence[list[Block]], divide: bool = True) -> list[Block]:
    blocks: list[Block] = []
    for index, item in enumerate(items):
        if divide and index:
            blocks.append({"type": "divider"})
        blocks += item
    return blocks


def _fit_items(
    head: list[Block], items: Sequence[list[Block]], more: int, noun: str, *, divide: bool = True
) -> list[Block]:
    """Head, then as many items as fit in 50 blocks with room for "…and N more" (N counts drops)."""
    room = MAX_BLOCKS - len(head) - 1
    shown: list[list[Block]] = []
    used = 0
    for item in items:
        cost = len(item) + (1 if divide and shown else 0)
        if used + cost > room:
            break
        shown.append(item)
        used += cost
    blocks = head + _join(shown, divide)
    more += len(items) - len(shown)
    if more > 0:
        blocks.append(_more(more, noun))
    return blocks


def _pack(lines: Sequence[str], limit: int = MAX_SECTION) -> list[str]:
    """Group lines into section texts of at most ``limit`` chars, never splitting a line."""
    texts: list[str] = []
    current: list[str] = []
    size = 0
    for line in lines:
        cost = slack_len(line) + (1 if current else 0)
        if current and size + cost > limit:
            texts.append("\n".join(current))
            current, size, cost = [], 0, slack_len(line)
        current.append(line)
        size += cost
    if current:
        texts.append("\n".join(current))
    return texts

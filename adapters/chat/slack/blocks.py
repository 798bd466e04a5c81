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
from typing import Any

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
    excerpt,
    format_count,
    headline_change,
    platform_label,
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

SHARE_WIN_ACTION = "winsbot_share_win"
SHARE_CASE_ACTION = "winsbot_share_case"

MAX_BLOCKS = 50
MAX_SECTION = 3_000
MAX_HEADER = 150
MAX_FIELD = 2_000
MAX_FIELDS = 10
MAX_FALLBACK = 3_000
MAX_ALT = 2_000
_DIGEST_WINS = 10  # a digest is skimmed: the rest are one "/wins" away
_DIGEST_CAMPAIGNS = 10
_DIGEST_CASES = 5
_BAR_CELLS = 10
_NOTICE = {True: "Done.", False: ":no_entry: That did not work."}
_SLACK_USER_ID = re.compile(r"[UW][A-Z0-9]{2,30}")


def render(view: ChatView, *, command: str = "/wins") -> Message:
    """Render any view as ``{"text", "blocks"}`` for chat.postMessage or a response_url."""
    match view:
        case DigestView():
            return render_digest(view)
        case WinListView():
            return _render_win_list(view)
        case CaseStudyListView():
            return _render_case_studies(view)
        case HelpView():
            return _render_help(view, command)
        case ErrorView():
            return _render_error(view, command)
        case SubscriptionListView():
            return _render_subscriptions(view)
        case NoticeView():
            prefix = "" if view.ok else ":no_entry: "
            body = fit(view.text.strip(), MAX_SECTION - len(prefix))
            return _message(view.text, [_section(prefix + body if body else _NOTICE[view.ok])])


def render_digest(view: DigestView, *, chart_url: str | None = None) -> Message:
    """A digest for a channel: numbers, chart, wins, campaigns, case studies; no share buttons."""
    title = f"Social media wins: {audience_label(view.audience.name)}"
    blocks = [
        _header(title),
        _context(fit(f"{view.period_text} ({view.period_label}) · {_zone(view.timezone)}", 1_000)),
    ]
    # Engagement on older posts can be earned in a quiet week, so numbers show unless all zero.
    if any(h.value or h.previous for h in view.headlines):
        fields = [
            _mrkdwn(f"*{fit(h.label, 200)}*\n{format_count(h.value)} ({headline_change(h)})")
            for h in view.headlines
        ]
        blocks += [
            {"type": "section", "fields": fields[start : start + MAX_FIELDS]}
            for start in range(0, min(len(fields), 2 * MAX_FIELDS), MAX_FIELDS)
        ]
    if chart_url is not None and is_safe_url(chart_url):
        alt = f"Engagement by platform, {view.period_text}"
        blocks.append({"type": "image", "image_url": chart_url, "alt_text": fit_plain(alt, 500)})
    if view.quiet_message:
        blocks.append(_section(f"*Quiet week*\n{fit(view.quiet_message, 2_500)}"))
    if view.top_wins:
        blocks.append(_section("*Top wins*"))
        shown = view.top_wins[:_DIGEST_WINS]
        blocks += _join([[_section(_win_text(win))] for win in shown])
        more = view.more_wins + len(view.top_wins) - len(shown)
        if more:
            blocks.append(_more(more, "win"))
    elif not view.is_quiet:
        blocks.append(_section("No wins this week: no post beat its account's usual numbers."))
    if view.campaigns:
        lines = [_campaign_line(p) for p in view.campaigns[:_DIGEST_CAMPAIGNS]]
        dropped = len(view.campaigns) - len(lines)
        if dropped:
            lines.append(f"…and {dropped} more {_plural(dropped, 'campaign')}")
        blocks += [_section("*Campaigns*"), _section("\n\n".join(lines))]
    if view.case_studies:
        blocks.append(_section("*Case studies*"))
        shown_cases = view.case_studies[:_DIGEST_CASES]
        blocks += [_section(_case_text(case, 300)) for case in shown_cases]
        if len(view.case_studies) > len(shown_cases):
            blocks.append(_more(len(view.case_studies) - len(shown_cases), "case study"))
    if view.peer_wins:
        blocks.append(_section("*What peers did well*"))
        blocks += _join([[_section(_win_text(win))] for win in view.peer_wins[:3]])
    total = len(view.top_wins) + view.more_wins
    return _message(f"{title}, {view.period_text}: {total} {_plural(total, 'win')}", blocks)


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
    return _message(f"A social media win: {_where(win)}", blocks)


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
    return _message(f"{view.title}: {total} {_plural(total, 'win')}", blocks)


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
    return _message(f"{view.title}: {total} {_plural(total, 'case study')}", blocks)


def _render_help(view: HelpView, command: str) -> Message:
    lines = [f"`{fit(_usage(u, command), 300)}`  {fit(d, 500)}" for u, d in view.commands]
    items = [[_section(text)] for text in _pack(lines)]
    if view.examples:
        examples = [f"`{fit(_usage(e, command), 300)}`" for e in view.examples]
        items += [[_section(text)] for text in _pack(["*Examples*", *examples])]
    blocks = _fit_items([_header(view.title)], items, 0, "line", divide=False)
    return _message(view.title, blocks)


def _render_error(view: ErrorView, command: str) -> Message:
    lines = [f":warning: {fit(view.message, 1_500)}"]
    if view.suggestion:
        lines.append(fit(view.suggestion, 700))
    if view.usage:
        lines.append(f"Usage: `{fit(_usage(view.usage, command), 500)}`")
    return _message(view.message, [_section("\n".join(lines))])


def _render_subscriptions(view: SubscriptionListView) -> Message:
    if not view.subscriptions:
        return _message(f"{view.title}: none", _empty(view.title, view.empty_message))
    items = [[_section(_subscription_text(s))] for s in view.subscriptions]
    blocks = _fit_items([_header(view.title)], items, 0, "subscription")
    total = len(view.subscriptions)
    return _message(f"{view.title}: {total} {_plural(total, 'subscription')}", blocks)


# --- pieces -------------------------------------------------------------------------------


def _win_text(win: Win) -> str:
    # Budgets: 220 + 70 + 1,000 + 602 + 40 + 815 (link) stays under 3,000 with the newlines.
    head = f"*{fit(_where(win), 220)}*  ·  score {_score(win.score)}  ·  {_date(win.occurred_at)}"
    lines = [head, fit(win.reason, 1_000)]
    if win.post_text:
        lines.append(f"“{fit(excerpt(win.post_text, 200), 600)}”")
    numbers = [
        f"{label} {format_count(value)}"
        for label, value in (("Engagement", win.engagement), ("Impressions", win.impressions))
        if value is not None
    ]
    if win.post_url:
        numbers.append(link(win.post_url, "View post"))
    if numbers:
        lines.append(" · ".join(numbers))
    return "\n".join(lines)


def _score(score: float) -> str:
    # Scores are small; a runaway one must not print 300 digits into the section budget.
    return f"{score:.1f}" if abs(score) < 1e6 else f"{score:.3g}"


def _where(win: Win) -> str:
    # "LinkedIn · acme" for posts and milestones; campaign wins name the campaign instead.
    parts = [platform_label(win.platform), win.account or win.campaign or ""]
    return " · ".join(part for part in parts if part) or "All accounts"


def _case_text(case: CaseStudy, chars: int) -> str:
    byline = fit(case.author, 200) if case.author else "anonymous"
    lines = [f"{byline} · {_date(case.created_at)}"]
    if case.win_reason:
        lines.append(f"*About:* {fit(case.win_reason, 600)}")
    lines.append(fit(excerpt(case.body, chars), 2_000))
    return "\n".join(lines)


def _campaign_line(progress: CampaignProgress) -> str:
    campaign = progress.campaign
    filled = int(max(0.0, min(progress.fraction, 1.0)) * _BAR_CELLS)
    bar = "▓" * filled + "░" * (_BAR_CELLS - filled)
    metric = campaign.metric.value.replace("_", " ")
    goal = (
        f"{format_count(progress.value)} of {format_count(campaign.target)} {metric} "
        f"by {campaign.ends_on.day} {campaign.ends_on:%b}"
    )
    done = " · goal reached ✓" if progress.reached else ""
    return f"*{fit(campaign.name, 150)}*  {bar} {progress.fraction:.0%}\n{goal}{done}"


def _subscription_text(sub: Subscription) -> str:
    state = "active" if sub.active else "paused"
    lines = [
        f"*{_audience_text(sub.audience)}*",
        f"{fit(_zone(sub.schedule.describe()), 200)} · {state}",
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


def _usage(text: str, command: str) -> str:
    # Usage lines may be written with or without the slash command; show it exactly once.
    return text if text.startswith("/") else f"{command} {text}"


def _date(moment: datetime) -> str:
    # Slack shows <!date> in each reader's own zone; the fallback is for clients that cannot.
    aware = moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)
    utc = aware.astimezone(UTC)
    return f"<!date^{int(utc.timestamp())}^{{date_short}}|{utc.day} {utc:%b %Y}>"


def _zone(text: str) -> str:
    # "America/New York" reads as people say it, where escaping would show "NewˍYork".
    return text.replace("_", " ")


def _plural(count: int, noun: str) -> str:
    if count == 1:
        return noun
    return noun[:-1] + "ies" if noun.endswith("y") else noun + "s"


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


def _more(count: int, noun: str) -> Block:
    return _context(f"…and {count:,} more {_plural(count, noun)}")


def _empty(title: str, message: str | None) -> list[Block]:
    text = fit(message.strip(), MAX_SECTION) if message else ""
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

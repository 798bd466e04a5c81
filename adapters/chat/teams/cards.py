"""Draw neutral views as Adaptive Cards 1.5 for Microsoft Teams: pure, view in, dicts out.

Text reaches the reader as it was written: every string, people's and ours, is a ``TextRun`` in a
``RichTextBlock`` (see ``runs``), which Teams never reads as Markdown, so nothing is escaped or
swapped for a lookalike, and no TextBlock or FactSet is used. Every value is cleaned and cut by
``text.fit`` within a budget. Teams rejects a message over about 28 KB outright, so each card is
measured as botbuilder sends it (``json.dumps`` with ASCII escapes, which is never smaller than
the UTF-8 form) against ``MAX_CARD_BYTES`` less room for the activity around it. Lists are cut
first to a length people will read, then item by item until the card fits; dropped items are
counted into "…and N more" rather than Teams refusing the whole reply.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any, assert_never

from adapters.chat.teams.card_fit import MAX_BODY as MAX_BODY
from adapters.chat.teams.card_fit import MAX_CARD_BYTES as MAX_CARD_BYTES
from adapters.chat.teams.card_fit import SCHEMA as SCHEMA
from adapters.chat.teams.card_fit import Card as Card
from adapters.chat.teams.card_fit import Element as Element
from adapters.chat.teams.card_fit import Section, fit_card, make_card
from adapters.chat.teams.card_fit import card_bytes as card_bytes
from adapters.chat.teams.peer_cards import example_elements, save_example_action
from adapters.chat.teams.runs import (
    Run,
    facts,
    heading,
    line,
    rich,
    run,
    sentence,
    subheading,
    unmarked,
    value,
)
from adapters.chat.teams.story_form import add_story_action
from adapters.chat.teams.text import fit, is_safe_url
from adapters.chat.teams.trend_card import trend_elements
from adapters.chat.teams.why_cards import note_elements, why_body
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
    HelpView,
    NoticeView,
    SubscriptionListView,
    WhyView,
    WinListView,
)

COMMAND = "@winsbot wins"  # how Teams users invoke winsbot: mention the bot, then the grammar
SHARE_WIN = "share_win"
SHARE_CASE = "share_case"
CARD_CONTENT_TYPE = "application/vnd.microsoft.card.adaptive"
_DIGEST_WINS = 10
_DIGEST_CAMPAIGNS = 10
_DIGEST_CASES = 5
_FACTS = 10
_FALLBACK = 300
_ALARM: dict[bool, dict[str, str]] = {True: {}, False: {"color": "attention"}}


def render(view: ChatView) -> Card:
    """Render any view as an Adaptive Card, the ``content`` of a Teams attachment."""
    match view:
        case DigestView():
            return render_digest(view)
        case WinListView():
            wins = [_win(w, share=view.shareable, peer=view.peers, number=True) for w in view.wins]
            notes = note_elements(view.notes, COMMAND)  # a campaign's pace; how to ask `why`
            return _list(view.title, wins, "win", view.more, view.empty_message, notes)
        case CaseStudyListView():
            cases = [_case(c, 1_000, share=True) for c in view.case_studies]
            return _list(view.title, cases, "case study", view.more, view.empty_message)
        case HelpView():
            return _render_help(view)
        case ErrorView():
            return _render_error(view)
        case SubscriptionListView():
            subs = [_subscription(s) for s in view.subscriptions]
            return _list(view.title, subs, "subscription", 0, view.empty_message)
        case NoticeView():
            return make_card([_notice(view)])
        case WhyView():
            return make_card(why_body(view, COMMAND))


def render_digest(view: DigestView, *, chart_url: str | None = None) -> Card:
    """A digest for a channel: numbers, chart, wins, campaigns, case studies; no share buttons."""
    layout = digest_layout(view)
    period = layout.period
    # The zone as the reader's settings name it ("America/Los_Angeles"), not respelled.
    when = f"{fit(period.text, 100)} ({fit(period.label, 50)}) · {fit(period.timezone, 60)}"
    head = [heading(layout.title), line(when, isSubtle=True, spacing="none")]
    if layout.so_what:
        head.append(rich([value(layout.so_what, 600, weight="bolder")]))
    if layout.show_numbers:
        head.append(facts([(h.label, headline_value(h)) for h in layout.headlines[:_FACTS]]))
    head += trend_elements(layout, chart_url)  # a native Chart.Line, and any honest misses
    sections: list[Section] = []
    for section in layout.sections:
        match section:
            case QuietSection(title, text):  # in the head, which is never cut to make room
                head += [subheading(title), rich(sentence(text, 500))]
            case WinsSection(title, wins, more, empty_text, noun):
                empty = [rich(sentence(empty_text, 500))] if empty_text else []
                items = [_win(w) for w in wins]
                sections.append(Section(items, noun, title, more, _DIGEST_WINS, empty))
            case CampaignsSection(title, campaigns, noun):
                items = [_campaign(p) for p in campaigns]
                sections.append(Section(items, noun, title, cap=_DIGEST_CAMPAIGNS))
            case CaseStudiesSection(title, cases, noun):
                items = [_case(c, 300, share=False) for c in cases]
                sections.append(Section(items, noun, title, cap=_DIGEST_CASES))
            case PeersSection(title, peers, noun, growth, examples):
                lead = [rich([value(growth, 600)])] if growth else []
                items = [*lead, *example_elements(examples), *(_win(w) for w in peers)]
                sections.append(Section(items, noun, title))
            case _:
                assert_never(section)
    return fit_card(head, sections)


def render_win(win: Win, *, shared_by: str | None = None) -> Card:
    """One win shared to a channel, credited by display name: plain text, never a mention."""
    body = [_win(win, separator=False)]
    name = fit(shared_by, 100) if shared_by else ""
    if name:
        body.append(line(f"Shared by {name}", isSubtle=True))
    return make_card(body, actions=[add_story_action(win.id)])  # the form: the story behind it


def render_case_share(notice: NoticeView, case_id: int) -> Card:
    """A notice with the one button that shares a case study beyond the channel it came from."""
    data = {"winsbot": SHARE_CASE, "case_id": case_id}
    return make_card([_notice(notice)], actions=[_submit("Share beyond this channel", data)])


def attachment(card: Card) -> dict[str, Any]:
    """Wrap a card as a Bot Framework attachment."""
    return {"contentType": CARD_CONTENT_TYPE, "content": card}


def plain_text(view: ChatView) -> str:
    """A one-line summary for notifications and the activity's ``summary``: the words as
    written, cleaned and cut like card text, without the core's code-span backticks."""
    match view:
        case DigestView():
            summary = digest_layout(view).summary(none="no wins")
        case WinListView():
            count = _count(len(view.wins) + view.more, "win", "no wins", shown=len(view.wins))
            summary = f"{view.title}: {count}"
        case CaseStudyListView():
            total, shown = len(view.case_studies) + view.more, len(view.case_studies)
            summary = f"{view.title}: {_count(total, 'case study', 'none yet', shown=shown)}"
        case SubscriptionListView():
            summary = f"{view.title}: {_count(len(view.subscriptions), 'subscription', 'none')}"
        case HelpView():
            summary = _help_title(view)
        case ErrorView():
            summary = unmarked(invoked(view.message, COMMAND))
        case NoticeView():
            summary = unmarked(invoked(view.text, COMMAND))
        case WhyView():
            summary = unmarked(invoked(" ".join([view.title + ":", *view.facts[:1]]), COMMAND))
    return fit(summary, _FALLBACK) or "winsbot"


# --- views ----------------------------------------------------------------------------------


def _list(
    title: str,
    items: list[Element],
    noun: str,
    more: int,
    empty: str | None,
    notes: Sequence[Element] = (),
) -> Card:
    if items:
        return fit_card([heading(title), *notes], [Section(items, noun, more=more)])
    # An empty list still answers: with what to try instead, or at least that there is nothing.
    text = invoked(empty, COMMAND) if empty else ""
    runs = sentence(text, 1_000) if fit(text, 1_000) else [run("Nothing to show yet.")]
    return make_card([heading(title), *notes, rich(runs)])


def _help_title(view: HelpView) -> str:
    return view.title or f"How to use {COMMAND}"


def _render_help(view: HelpView) -> Card:
    def usage(text: str, **style: Any) -> Element:
        return rich([value(_usage(text), 300, fontType="monospace", **style)])

    def command(text: str, description: str) -> Element:
        described = rich(sentence(description, 500), spacing="none")
        return _container([usage(text, weight="bolder"), described], separator=False)

    commands = [command(u, d) for u, d in view.commands]
    examples = [usage(e) for e in view.examples]
    sections = [Section(commands, "command"), Section(examples, "example", "Examples")]
    return fit_card([heading(_help_title(view))], sections)


def _render_error(view: ErrorView) -> Card:
    alarm = {"color": "attention", "weight": "bolder"}
    body = [rich(sentence(invoked(view.message, COMMAND), 1_000, lead="⚠️ ", **alarm))]
    if view.suggestion:
        body.append(rich(sentence(invoked(view.suggestion, COMMAND), 500)))
    if view.usage:
        usage = value(_usage(view.usage), 300, isSubtle=True, fontType="monospace")
        body.append(rich([run("Usage: ", isSubtle=True), usage]))
    if view.hint:
        body.append(rich(sentence(invoked(view.hint, COMMAND), 500, isSubtle=True)))
    return make_card(body)


# --- pieces ---------------------------------------------------------------------------------


def _win(
    win: Win,
    *,
    share: bool = False,
    separator: bool = True,
    number: bool = False,
    peer: bool = False,
) -> Element:
    # How big, in words ("6.2x its usual engagement"), then when: never a bare score.
    when = " · ".join(part for part in (win_strength(win), _date(win.occurred_at)) if part)
    items = [
        # A listed win leads with the number `why` takes ("#7").
        rich(
            [
                *([run(f"#{win.id}  ", isSubtle=True)] if number else []),
                value(where(win), 200, weight="bolder"),
            ]
        ),
        line(when, isSubtle=True, spacing="none"),
        rich([value(win.reason, 500)]),
    ]
    if win.post_text and (quote := fit(excerpt(win.post_text, 200), 200)):
        items.append(line(f"“{quote}”", isSubtle=True))
    numbers = win_numbers(win)
    if numbers:
        items.append(line(" · ".join(numbers), spacing="small"))
    actions = []
    if win.post_url and is_safe_url(win.post_url):
        actions.append({"type": "Action.OpenUrl", "title": "View post", "url": win.post_url})
    if share:
        actions.append(_submit("Share to channel", {"winsbot": SHARE_WIN, "win_id": win.id}))
    if peer and win.post_external_id is not None:  # a peer's post: save it as an example
        actions.append(save_example_action(win.id))
    if actions:
        items.append({"type": "ActionSet", "actions": actions})
    return _container(items, separator=separator)


def _case(case: CaseStudy, chars: int, *, share: bool) -> Element:
    byline = (fit(case.byline, 100) if case.byline else "") or "anonymous"  # name, else id
    items = [line(f"{byline} · {_date(case.created_at)}", weight="bolder")]
    if case.win_reason:
        about = value(case.win_reason, 300, lead="About: ", isSubtle=True)
        items.append(rich([about], spacing="none"))
    for label, text in story_lines(case, chars):  # a form's answers each after its label
        lead = [run(f"{label}: ", weight="bolder")] if label else []
        items.append(rich([*lead, value(text, chars)]))
    # A story told in a private channel stays there: no button offers to share it wider.
    if share and case.private_to is None:
        data = {"winsbot": SHARE_CASE, "case_id": case.id}
        items.append({"type": "ActionSet", "actions": [_submit("Share to channel", data)]})
    return _container(items)


def _campaign(progress: CampaignProgress) -> Element:
    bar = f"{progress_bar(progress)} {progress.fraction:.0%}"
    return _container(
        [
            rich([value(progress.campaign.name, 150, weight="bolder")]),
            line(bar, fontType="monospace", spacing="none"),
            line(campaign_goal(progress), isSubtle=True, spacing="none"),
            *([line(pace, spacing="none")] if (pace := campaign_pace(progress)) else []),
        ]
    )


def _subscription(sub: Subscription) -> Element:
    state = "active" if sub.active else "paused"
    schedule = [value(sub.schedule.describe(), 200, tail=f" · {state}")]
    items = [rich([_audience(sub.audience)]), rich(schedule, spacing="none")]
    if sub.broken_reason:
        reason = value(sub.broken_reason, 500, lead="⚠️ Not delivering: ", color="attention")
        items.append(rich([reason]))
    return _container(items)


def _audience(audience: Audience) -> Run:
    filters = [
        ("tags", ", ".join(f"#{tag}" for tag in audience.tags)),
        ("platforms", ", ".join(p.label for p in audience.platforms)),
        ("accounts", ", ".join(audience.accounts)),
    ]
    detail = fit("; ".join(f"{name}: {values}" for name, values in filters if values), 500)
    tail = f" ({detail})" if detail else ""
    return value(audience_label(audience.name), 100, tail=tail, weight="bolder")


def _notice(view: NoticeView) -> Element:
    text = invoked(view.text, COMMAND)
    if not fit(text, 1_000):
        return line("Done." if view.ok else "⛔ That did not work.", **_ALARM[view.ok])
    return rich(sentence(text, 1_000, lead="" if view.ok else "⛔ ", **_ALARM[view.ok]))


def _usage(text: str) -> str:
    # Usage lines may arrive with the command, with Slack's "/wins", or bare; show it once.
    stripped = text.strip()
    if stripped.startswith("/wins"):
        stripped = stripped.removeprefix("/wins").lstrip()
    elif stripped.startswith(COMMAND) or COMMAND in stripped:
        return stripped
    return f"{COMMAND} {stripped}".strip()


def _date(moment: datetime) -> str:
    aware = moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)
    utc = aware.astimezone(UTC)
    return f"{utc.day} {utc:%b %Y}"


def _count(total: int, noun: str, none: str, *, shown: int | None = None) -> str:
    # "7 wins", or "no wins" when the list itself is empty (its card says so, whatever "more").
    empty = (total if shown is None else shown) == 0
    return none if empty else f"{total} {plural(total, noun)}"


# --- elements and fitting -------------------------------------------------------------------


def _container(items: list[Element], *, separator: bool = True) -> Element:
    return {"type": "Container", "items": items, "separator": separator, "spacing": "medium"}


def _submit(title: str, data: dict[str, Any]) -> Element:
    return {"type": "Action.Submit", "title": title, "data": data}

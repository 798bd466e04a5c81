"""Draw neutral views in a terminal with rich: the CLI's renderer, peer of Block Kit and Cards.

Rich parses "[...]" in strings as markup, and post text, handles and case studies are written by
other people: every such string goes through ``escape`` before it meets markup, so a post that
says "[bold]" prints "[bold]". Our own labels are the only markup.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import assert_never
from zoneinfo import ZoneInfo

from rich.console import Console, Group
from rich.markup import escape
from rich.padding import Padding
from rich.panel import Panel
from rich.progress_bar import ProgressBar
from rich.style import Style
from rich.table import Table
from rich.text import Text

from bot.cli.render_trend import trend_lines, usual_cell
from bot.domain.campaigns import campaign_pace
from bot.domain.formatting import (
    change_direction,
    excerpt,
    format_count,
    headline_change,
    invoked,
    plural,
    where,
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
from bot.domain.models import CampaignProgress, CaseStudy, Win
from bot.domain.peer_examples import PeerExample
from bot.domain.stories import story_lines
from bot.domain.views import DigestView, Headline, WhyView

_CASE_STUDY_CHARS = 400  # a case study is the story; show more of it than a post preview
_COMMAND = "winsbot wins"  # how a terminal invokes what the core writes as `wins ...`
_INDENT = 3  # a win's reason, text and link sit under its "1. " heading
WIDE_TABLE_COLUMNS = 100  # `winsbot wins` draws a table from this width, a list below it
_MIN_BAR, _MAX_BAR = 8, 24
_CAMPAIGN_FIXED = 4 + 14 + 10  # percentage, "✓ goal reached" and the columns' padding


def render_digest(view: DigestView, console: Console) -> None:
    """Print a digest the way a reader skims it: numbers, then wins, then campaigns and stories."""
    layout = digest_layout(view)
    period = layout.period
    title = f"[bold]{escape(layout.title)}[/bold]"
    subtitle = f"{escape(period.text)} ({escape(period.label)}) · {escape(period.timezone)}"
    console.print(Panel(Text.from_markup(subtitle, justify="center"), title=title, expand=True))
    if layout.so_what:
        console.print(Text(layout.so_what, style="bold"))
    if layout.show_numbers:
        console.print(_headline_table(layout.headlines, layout.period.noun))
    for line in trend_lines(layout):  # the 13-week shape and any honest misses
        console.print(line)
    for section in layout.sections:
        match section:
            case QuietSection():
                quiet = escape(section.text)
                console.print(Panel(quiet, border_style="dim", title=escape(section.heading)))
            case WinsSection() if section.wins:
                _print_wins(console, section.heading, section.wins, period.timezone)
                if section.more:
                    more = f"…and {section.more} more {plural(section.more, section.noun)}"
                    # The terminal can name the command that lists the rest.
                    console.print(f"[dim]{more} (see `winsbot wins`)[/dim]")
            case WinsSection():
                if section.empty_text:
                    console.print(f"\n[dim]{escape(section.empty_text)}[/dim]")
            case CampaignsSection():
                console.print(f"\n[bold]{escape(section.heading)}[/bold]")
                console.print(_campaign_table(section.campaigns, console.width))
                for progress in section.campaigns:  # on track or behind, under the table
                    if pace := campaign_pace(progress):
                        console.print(
                            f"[dim]{escape(progress.campaign.name)}: {escape(pace)}[/dim]"
                        )
            case CaseStudiesSection():
                console.print(f"\n[bold]{escape(section.heading)}[/bold]")
                for case in section.case_studies:
                    console.print(_case_study_block(case))
            case PeersSection():
                _print_wins(
                    console, section.heading, section.wins, period.timezone, lead=section.growth,
                    examples=section.examples,
                )  # fmt: skip
            case _:
                assert_never(section)


def render_wins_table(wins: Sequence[Win], console: Console, *, timezone: str = "UTC") -> None:
    """One row per win for `winsbot wins`: enough to scan and to open the post.

    ``timezone`` is the reader's, so a win dates to the day they saw it happen.
    """
    if not wins:
        console.print(
            "No wins to show. Try a longer period or a wider audience, "
            "or import posts first so there is something to compare."
        )
        return
    tz = ZoneInfo(timezone)
    if console.width < WIDE_TABLE_COLUMNS:
        # At 80 columns a table leaves the reason ~20 characters and cuts links: a list reads
        # better, and the reason keeps the whole width.
        for win in wins:
            console.print(_win_block(f"#{win.id}", win, tz))
        _why_hint(wins, console)
        return
    table = Table(show_lines=False, expand=True)
    table.add_column("#", justify="right", style="dim")  # the id `winsbot wins why` takes
    table.add_column("How big")
    table.add_column("When", no_wrap=True)
    table.add_column("Where", no_wrap=True)
    table.add_column("Why it is a win", ratio=1)
    for win in wins:
        why = Text(win.reason, overflow="fold")
        if win.post_url:  # folded, not cut: a link must stay whole to be opened
            why.append("\n" + win.post_url, style=_link(win.post_url))
        table.add_row(
            f"#{win.id}",
            win_strength(win),
            _local_date(win.occurred_at, tz),
            escape(where(win)),
            why,
        )
    console.print(table)
    _why_hint(wins, console)


def _why_hint(wins: Sequence[Win], console: Console) -> None:
    console.print(
        f"[dim]`winsbot wins why {wins[0].id}` shows the numbers behind #{wins[0].id}.[/dim]"
    )


def render_why(view: WhyView, console: Console) -> None:
    """`winsbot wins why 7`: the claim, its figures, then the compared posts, median in bold."""
    win = view.win
    console.print(f"[bold]{escape(view.title)}[/bold]")
    strength = " · ".join(part for part in (escape(win_strength(win)), _day(win)) if part)
    console.print(Text.from_markup(f"{escape(where(win))}  [dim]{strength}[/dim]"))
    body = [Text(win.reason), *(Text(invoked(fact, _COMMAND)) for fact in view.facts)]
    if win.post_url:
        body.append(Text(win.post_url, style=_link(win.post_url), overflow="fold"))
    for line in body:
        console.print(Padding(line, (0, 0, 0, _INDENT), expand=False))
    if view.compared:
        console.print(f"\n[bold]{escape(view.compared_heading or 'Compared with')}[/bold]")
    for post in view.compared:
        line = Text(post.label, style="bold" if post.median else "")
        if post.text:
            line.append(f"  “{excerpt(post.text, 60)}”", style="italic")
        if post.url:
            line.append("  " + post.url, style=_link(post.url))
        console.print(Padding(line, (0, 0, 0, _INDENT), expand=False))
    if view.note:
        console.print(Text("\n" + invoked(view.note, _COMMAND), style="dim"))


def _day(win: Win) -> str:
    return f"{win.occurred_at.day} {win.occurred_at:%b %Y}"


def render_case_studies(cases: Sequence[CaseStudy], console: Console) -> None:
    """Print case studies in full enough to read, newest first as the store returns them."""
    if not cases:
        console.print(
            "No case studies yet. Reply to a win's message in Slack or Teams with the story "
            "behind it (what you did, the result, what you learned) and it will appear here."
        )
        return
    for case in cases:
        console.print(_case_study_block(case))


def _headline_table(headlines: Sequence[Headline], noun: str = "week") -> Table:
    table = Table(title=f"This {noun} in numbers", title_justify="left", expand=False)
    table.add_column("")
    table.add_column(f"This {noun}", justify="right")
    table.add_column(f"Last {noun}", justify="right")
    table.add_column("Change", justify="right")
    averages = [h.usual_weeks for h in headlines if h.usual is not None]
    if averages:
        table.add_column(f"{max(averages)}-wk avg", justify="right")
    for headline in headlines:
        # Colour carries direction only; the sign is always in the text for colour-blind
        # readers and for logs without colour.
        style = {1: "green", -1: "red", 0: "dim"}[change_direction(headline)]
        table.add_row(
            escape(headline.label),
            format_count(headline.value),
            format_count(headline.previous),
            f"[{style}]{headline_change(headline)}[/{style}]",
            *([usual_cell(headline)] if averages else []),
        )
    return table


def _print_wins(
    console: Console,
    heading: str,
    wins: Sequence[Win],
    timezone: str,
    *,
    lead: str | None = None,
    examples: Sequence[PeerExample] = (),
) -> None:
    console.print(f"\n[bold]{escape(heading)}[/bold]")
    if lead:
        console.print(Text(lead))
    for example in examples:  # saved by people: their note first, then the post in one line
        console.print(Text(example.note, style="bold"))
        console.print(Text(f"  {example.post_line}", style="dim"))
    tz = ZoneInfo(timezone)
    for number, win in enumerate(wins, start=1):
        console.print(_win_block(number, win, tz))


def _win_block(number: int | str, win: Win, tz: ZoneInfo) -> Group:
    # A digest numbers its wins "1."; `winsbot wins` shows each one's id ("#7"), for `why`.
    label = f"{number}." if isinstance(number, int) else number
    heading = Text.from_markup(
        f"[bold]{label}[/bold] {escape(where(win))}  [dim]{_strength_and_date(win, tz)}[/dim]"
    )
    # Indented as a block, so a reason that wraps keeps its indent under the heading.
    body = [Text(win.reason)]
    if win.post_text:
        body.append(Text(f"“{excerpt(win.post_text)}”", style="italic"))
    if win.post_url:
        body.append(Text(win.post_url, style=_link(win.post_url), overflow="fold"))
    return Group(heading, *(Padding(line, (0, 0, 0, _INDENT), expand=False) for line in body))


def _campaign_table(campaigns: Sequence[CampaignProgress], width: int) -> Table:
    goals = [
        f"{format_count(p.campaign.target)} {p.campaign.metric.value.replace('_', ' ')} "
        f"by {p.campaign.ends_on:%-d %b}"
        for p in campaigns
    ]
    # The bar takes what the words leave (up to 24), so names and goals do not wrap at 80.
    words = max(len(p.campaign.name) for p in campaigns) + max(map(len, goals))
    bar = max(_MIN_BAR, min(_MAX_BAR, width - words - _CAMPAIGN_FIXED))
    table = Table(show_header=True, box=None, padding=(0, 1))
    table.add_column("Campaign")
    table.add_column("Goal")
    table.add_column("Progress", width=bar)
    table.add_column("", justify="right")
    table.add_column("")
    for progress, goal in zip(campaigns, goals, strict=True):
        campaign = progress.campaign
        table.add_row(
            escape(campaign.name),
            goal,
            # The bar stops at full; the percentage keeps going so overshoot is still visible.
            ProgressBar(
                total=campaign.target,
                completed=min(progress.value, campaign.target),
                complete_style="cyan",
                finished_style="green",
            ),
            f"{progress.fraction:.0%}",
            "[green]✓ goal reached[/green]" if progress.reached else "",
        )
    return table


def _case_study_block(case: CaseStudy) -> Panel:
    byline = escape(case.byline) if case.byline else "anonymous"
    header = f"[dim]{byline} · {case.created_at:%-d %b %Y}[/dim]"
    parts = [header]
    if case.win_reason:
        parts.append(f"[bold]About:[/bold] {escape(case.win_reason)}")
    for label, text in story_lines(case, _CASE_STUDY_CHARS):  # a form's answers, labelled
        parts.append(f"[bold]{label}:[/bold] {escape(text)}" if label else escape(text))
    return Panel("\n".join(parts), border_style="cyan")


def _link(url: str) -> Style:
    """Blue, and a hyperlink where the terminal knows them: whole even when folded."""
    return Style(color="blue", link=url)


def _local_date(moment: datetime, tz: ZoneInfo) -> str:
    # A Sunday-evening post is still Sunday for a reader in that zone, even if UTC says Monday.
    return f"{moment.astimezone(tz):%a %-d %b}"


def _strength_and_date(win: Win, tz: ZoneInfo) -> str:
    # How big a win is in words ("6.2x its usual engagement"), never a bare score.
    return " · ".join(
        part for part in (escape(win_strength(win)), _local_date(win.occurred_at, tz)) if part
    )

"""What a digest says and in what order, once: Block Kit, Adaptive Cards and the terminal draw it.

The three renderers used to each spell out the headings, the quiet-week and "no wins" texts,
the title, the summary and the order of sections, and a wording fix had to be made three times
(and was not always). Here those decisions are data: a renderer walks ``DigestLayout.sections``
with a ``match`` and only draws, escaping every text as it would user text and applying its own
platform's limits (blocks, bytes, characters), which are facts about Slack or Teams, not about
the digest.

Pure, like the rest of ``bot.domain``: plain text in, plain text out, no markup and no I/O.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TypeAlias

from bot.domain.formatting import audience_label, plural, zone_name
from bot.domain.models import CampaignProgress, CaseStudy, Win
from bot.domain.peer_examples import PeerExample
from bot.domain.trend import (
    BASELINE_WEEKS,
    METRIC_WORDS,
    Usual,
    chart_metric,
    chart_series,
    trend_alt,
    trend_sentence,
    usual_of,
    week_label,
)
from bot.domain.views import DigestView, Headline

TITLE = "Social media wins: {audience}"
QUIET_HEADING = "Quiet {noun}"  # noun: "week", or "month" for a monthly digest
WINS_HEADING = "Top wins"
NO_WINS = "No wins this {noun}: no post beat its account's usual numbers."
CAMPAIGNS_HEADING = "Campaigns"
CASE_STUDIES_HEADING = "Case studies"
PEERS_HEADING = "What peers did well"
CHART_ALT = "Engagement by platform, {period}"
TREND_TITLE = "{metric} per week"
WINS_MARK = "★"  # beside a week's label in the charts: that week had wins


@dataclass(frozen=True, slots=True)
class PeriodLine:
    """The parts of "16–22 Nov 2026 (2026-W47) · Europe/London", kept apart because each
    renderer budgets and escapes them differently."""

    text: str
    label: str
    timezone: str
    noun: str = "week"  # "month" for a monthly digest: "this month", "last month"

    @property
    def zone(self) -> str:
        return zone_name(self.timezone)


@dataclass(frozen=True, slots=True)
class QuietSection:
    """Said instead of wins in a week with nothing to report, so a reader knows none were missed."""

    heading: str
    text: str


@dataclass(frozen=True, slots=True)
class WinsSection:
    """The week's top wins; ``more`` counts the ones left for "/wins" to show.

    ``empty_text`` stands in for the wins when there are none, saying why; it is None when there
    are wins, and in a quiet week, whose note has already said so.
    """

    heading: str
    wins: tuple[Win, ...]
    more: int
    empty_text: str | None
    noun: str = "win"


@dataclass(frozen=True, slots=True)
class CampaignsSection:
    """Campaigns that ran during the period, with their progress towards the goal."""

    heading: str
    campaigns: tuple[CampaignProgress, ...]
    noun: str = "campaign"


@dataclass(frozen=True, slots=True)
class CaseStudiesSection:
    """Stories people wrote about the period's wins: the part of a digest worth reading slowly."""

    heading: str
    case_studies: tuple[CaseStudy, ...]
    noun: str = "case study"


@dataclass(frozen=True, slots=True)
class PeersSection:
    """Competitors' and industry examples' standout posts, to learn from rather than to rank."""

    heading: str
    wins: tuple[Win, ...]
    noun: str = "peer example"
    growth: str | None = None  # how our follower growth compares with theirs, said first
    examples: tuple[PeerExample, ...] = ()  # saved by people, note first; before ``wins``


@dataclass(frozen=True, slots=True)
class TrendChart:
    """The audience's headline outcome over the digest's week and the 12 before it: what the
    PNG, the Teams chart and the one-line sparkline all draw, so they show the same numbers.

    ``series`` is per platform (biggest first, the smallest summed as "Other"), ``totals`` the
    audience's, ``wins`` the number of wins each week; all oldest first, the last is this week.
    """

    metric: str  # a PlatformWeek field: "impressions", or "engagement" where none are reported
    title: str  # "Impressions per week"
    weeks: tuple[str, ...]  # "16 Nov"
    series: tuple[tuple[str, tuple[int, ...]], ...]
    totals: tuple[int, ...]
    wins: tuple[int, ...]
    usual: float | None  # the weekly average of ``totals`` over up to 12 weeks before
    usual_weeks: int  # how many weeks ``usual`` counts
    sentence: str  # "Impressions, last 13 weeks: ▂▃▅▆█ this week 402k, 12-week average 380k"


Section: TypeAlias = (
    QuietSection | WinsSection | CampaignsSection | CaseStudiesSection | PeersSection
)


@dataclass(frozen=True, slots=True)
class DigestLayout:
    """A digest as every renderer shows it: the head, then ``sections`` top to bottom.

    ``headlines`` are only drawn when ``show_numbers`` is true; ``sections`` holds only those
    with something to say, so a renderer never has to decide whether a heading stands alone.
    """

    title: str
    period: PeriodLine
    so_what: str | None  # the first sentence, under the period: what changed, why it matters
    show_numbers: bool
    headlines: tuple[Headline, ...]
    chart_alt: str
    win_count: int
    sections: tuple[Section, ...]
    trend: TrendChart | None = None  # drawn under the numbers, by each chat its own way
    misses: tuple[str, ...] = ()  # under the numbers: the honest lines about a week below usual

    def summary(self, *, none: str | None = None) -> str:
        """One line for notifications and clients that cannot draw the message.

        "0 wins" reads as a count; a chat that words empty lists its own way ("no wins")
        passes that as ``none``.
        """
        if none is not None and self.win_count == 0:
            count = none
        else:
            count = f"{self.win_count} {plural(self.win_count, 'win')}"
        return f"{self.title}, {self.period.text}: {count}"


def digest_layout(view: DigestView) -> DigestLayout:
    """Decide what the digest says and in what order; the renderers then only draw it."""
    sections: list[Section] = []
    noun = view.cadence.noun
    if view.quiet_message:
        sections.append(QuietSection(QUIET_HEADING.format(noun=noun), view.quiet_message))
    # A quiet week's note already says there were no wins; any other week says why there are none.
    no_wins = NO_WINS.format(noun=noun) if not view.top_wins and not view.is_quiet else None
    if view.top_wins or view.more_wins or no_wins:
        sections.append(WinsSection(WINS_HEADING, tuple(view.top_wins), view.more_wins, no_wins))
    if view.campaigns:
        sections.append(CampaignsSection(CAMPAIGNS_HEADING, tuple(view.campaigns)))
    if view.case_studies:
        sections.append(CaseStudiesSection(CASE_STUDIES_HEADING, tuple(view.case_studies)))
    if view.peer_wins or view.peer_growth or view.peer_examples:
        sections.append(
            PeersSection(
                PEERS_HEADING,
                tuple(view.peer_wins),
                growth=view.peer_growth,
                examples=tuple(view.peer_examples),
            )
        )
    chart = trend_chart(view)
    return DigestLayout(
        title=TITLE.format(audience=audience_label(view.audience.name)),
        period=PeriodLine(view.period_text, view.period_label, view.timezone, noun),
        so_what=view.so_what,
        # Engagement on older posts can be earned in a week with no new posts, so a quiet
        # week still shows its numbers unless every one of them is zero.
        show_numbers=any(h.value or h.previous for h in view.headlines),
        headlines=tuple(view.headlines),
        chart_alt=_alt(chart, view) if chart else CHART_ALT.format(period=view.period_text),
        win_count=len(view.top_wins) + view.more_wins,
        sections=tuple(sections),
        trend=chart,
        misses=tuple(view.misses),
    )


def _alt(chart: TrendChart, view: DigestView) -> str:
    average = Usual(chart.usual, chart.usual_weeks) if chart.usual is not None else None
    return trend_alt(
        chart.metric, view.audience, chart.weeks, chart.totals, chart.series, chart.wins,
        average,
    )  # fmt: skip


def trend_chart(view: DigestView) -> TrendChart | None:
    """The trend to draw, or None when the weeks hold nothing to draw (a line along zero
    would say "nothing happened" twelve times)."""
    if not view.trend:
        return None
    metric = chart_metric(view.trend)
    totals = tuple(week.total(metric) for week in view.trend)
    if not any(totals):
        return None
    average = usual_of(view.trend, metric)
    return TrendChart(
        metric=metric,
        title=TREND_TITLE.format(metric=METRIC_WORDS[metric].capitalize()),
        weeks=tuple(week_label(week) for week in view.trend),
        series=tuple((name, tuple(values)) for name, values in chart_series(view.trend, metric)),
        totals=totals,
        wins=tuple(week.wins for week in view.trend),
        usual=average.value if average else None,
        usual_weeks=average.weeks if average else BASELINE_WEEKS,
        sentence=trend_sentence(metric, totals, average),
    )

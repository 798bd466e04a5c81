"""Compose one audience's digest for one period: pure, so every rule here is tested without a store.

The store does the querying (stats, the period's wins and case studies, campaign progress); this
module decides what a busy reader sees first and what is left out.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

from bot.domain.formatting import audience_label
from bot.domain.models import Audience, Cadence, CampaignProgress, CaseStudy, Platform, Win
from bot.domain.peer_examples import PeerExample
from bot.domain.periods import Period
from bot.domain.so_what import so_what
from bot.domain.trend import BASELINE_WEEKS, honest_misses, usual_of
from bot.domain.views import DigestView, Headline, PeriodStats, TrendWeek

# Two wins from one account is a trend; five is that account's newsletter. The cap only applies
# while other accounts have wins left to show (see ``pick_top_wins``).
MAX_WINS_PER_ACCOUNT = 2

# Outcomes before applause: the audience won and reached, and who acted, before the likes
# (inside engagement) and the effort (posts published).
HEADLINE_LABELS: tuple[tuple[str, str], ...] = (
    ("followers_gained", "Followers gained"),
    ("impressions", "Impressions"),
    ("clicks", "Link clicks"),
    ("engagement", "Engagement"),
    ("posts", "Posts published"),
)
# Shown only where the platforms report them: "Link clicks 0 (no change)" is noise, not news.
OPTIONAL_HEADLINES = frozenset({"clicks"})


MAX_PEER_WINS = 3  # a few examples to learn from, not a second leaderboard
MAX_PEER_EXAMPLES = 3  # saved examples with their notes, shown before the automatic ones


def compose_digest(
    audience: Audience,
    period: Period,
    current: PeriodStats,
    previous: PeriodStats,
    wins: Sequence[Win],
    campaigns: Sequence[CampaignProgress],
    case_studies: Sequence[CaseStudy],
    *,
    peer_wins: Sequence[Win] = (),
    max_wins: int = 5,
    trend: Sequence[TrendWeek] = (),
    peer_growth: str | None = None,
    peer_examples: Sequence[PeerExample] = (),
) -> DigestView:
    """Turn a period's facts into the digest every renderer draws.

    ``wins`` and ``case_studies`` are taken as the caller's selection for the period and
    audience (the store filters them); ``campaigns`` may include ones outside the period,
    which are dropped here so that rule lives next to the others.
    """
    if period.cadence is Cadence.MONTHLY:
        # The trend is 13 weeks with a 12-week yardstick: a weekly picture. A month is compared
        # with the month before only (no chart, no "12-week average", no honest-miss lines).
        trend = ()
    top = pick_top_wins(wins, max_wins)
    shown_campaigns = [p for p in campaigns if campaign_overlaps(p, period)]
    quiet = not wins and not case_studies and current.posts == 0
    # A post someone saved with a note is shown with it, not a second time as a standout.
    saved = {e.win_id for e in peer_examples}
    return DigestView(
        audience=audience,
        period_label=period.label,
        period_text=period.describe(),
        cadence=period.cadence,
        timezone=period.tz,
        starts_at=period.start,
        ends_at=period.end,
        headlines=headlines(current, previous, trend),
        top_wins=top,
        more_wins=len(wins) - len(top),
        campaigns=shown_campaigns,
        case_studies=list(case_studies),
        peer_wins=[w for w in peer_wins if w.id not in saved][:MAX_PEER_WINS],
        peer_growth=peer_growth,
        peer_examples=list(peer_examples)[:MAX_PEER_EXAMPLES],
        engagement_by_platform=_engagement_by_platform(current),
        quiet_message=quiet_message(audience, period) if quiet else None,
        so_what=None
        if quiet
        else so_what(current, previous, wins, shown_campaigns, noun=period.cadence.noun),
        trend=list(trend),
        # A quiet week's note already says nothing was posted; a list of -100%s adds nothing.
        misses=[] if quiet else honest_misses(trend, audience),
    )


def headlines(
    current: PeriodStats, previous: PeriodStats, trend: Sequence[TrendWeek] = ()
) -> list[Headline]:
    """The numbers leaders ask about, outcomes first, each with last period's figure and,
    given the trend, the 12-week weekly average."""
    found = [
        (field, label, usual_of(trend, field))
        for field, label in HEADLINE_LABELS
        if field not in OPTIONAL_HEADLINES or getattr(current, field) or getattr(previous, field)
    ]
    return [
        Headline(
            label=label,
            value=getattr(current, field),
            previous=getattr(previous, field),
            usual=average.value if average else None,
            usual_weeks=average.weeks if average else BASELINE_WEEKS,
        )
        for field, label, average in found
    ]


def pick_top_wins(wins: Sequence[Win], max_wins: int) -> list[Win]:
    """The best ``max_wins`` wins, highest score first, with no more than two per account.

    A greedy pass takes wins in score order, skipping an account's third and later wins; if
    that leaves free places (too few other accounts had wins) the skipped wins fill them, so
    the cap never hides a win just to leave a slot empty. Wins with no account (campaign
    goals) are never capped. Ties keep the more recent win first, then the lower id, so the
    same data always gives the same digest.
    """
    if max_wins <= 0:
        return []
    ranked = sorted(wins, key=lambda w: (-w.score, -w.occurred_at.timestamp(), w.id))
    chosen: list[int] = []  # positions in ``ranked``
    skipped: list[int] = []
    per_account: Counter[tuple[Platform | None, str]] = Counter()
    for position, win in enumerate(ranked):
        if len(chosen) == max_wins:
            break
        key = _account_key(win)
        if key is not None and per_account[key] >= MAX_WINS_PER_ACCOUNT:
            skipped.append(position)
            continue
        if key is not None:
            per_account[key] += 1
        chosen.append(position)
    chosen.extend(skipped[: max_wins - len(chosen)])
    # Back-filled wins can outscore capped-in ones; readers expect the list in score order.
    return [ranked[position] for position in sorted(chosen)]


def campaign_overlaps(progress: CampaignProgress, period: Period) -> bool:
    """Whether the campaign ran on any day of the period (both ranges include their last day)."""
    campaign = progress.campaign
    return campaign.starts_on <= period.last_day and campaign.ends_on >= period.first_day


def quiet_message(audience: Audience, period: Period) -> str:
    """What a quiet week (or month) says: that nothing was missed, and what will make the digest
    fill up."""
    whose = "our" if audience.is_leadership else f"the {audience_label(audience.name)}"
    return (
        f"A quiet {period.cadence.noun} ({period.describe()}): no posts from {whose} accounts "
        "and no wins to report. Wins will show up here as soon as a post outperforms its "
        "account's usual numbers, a follower milestone is passed or a campaign reaches its goal."
    )


def _account_key(win: Win) -> tuple[Platform | None, str] | None:
    # The same handle on two platforms is two audiences, so the platform is part of the key.
    return (win.platform, win.account) if win.account else None


def _engagement_by_platform(stats: PeriodStats) -> dict[Platform, int]:
    # Largest first, zeros dropped: the chart and any list read top-down without re-sorting.
    ordered = sorted(stats.engagement_by_platform.items(), key=lambda item: (-item[1], item[0]))
    return {platform: count for platform, count in ordered if count > 0}

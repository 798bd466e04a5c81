"""The digest's trend as Teams draws it natively: a ``Chart.Line`` element, with a fallback.

Teams renders Adaptive Card charts itself (in the reader's theme, dark mode included, with its
own tooltips), so the card no longer needs a PNG served from WINSBOT_PUBLIC_URL over https.
Hosts without chart support, and Microsoft's reference renderer, show the ``fallback``: the same
numbers as text. Week labels carry "★" where the week had wins and the last one says "This week",
since a chart element has no way to highlight a point.
"""

from __future__ import annotations

from typing import Any

from adapters.chat.teams.runs import rich, run, value
from adapters.chat.teams.text import fit, is_safe_url
from bot.domain.formatting import format_count
from bot.domain.layout import WINS_MARK, DigestLayout, TrendChart

Element = dict[str, Any]

ALL = "All platforms"
_SENTENCE = 600
_MISS = 300


def trend_elements(layout: DigestLayout, chart_url: str | None = None) -> list[Element]:
    """The chart and the honest misses, for the digest's head.

    ``chart_url`` (a PNG served by winsbot) is drawn only for a digest without a trend, i.e. a
    view composed without one: with a trend, Teams draws the chart itself, and an image beside
    it would show the same numbers twice.
    """
    elements: list[Element] = []
    if layout.trend is not None:
        elements.append(trend_chart(layout.trend))
    elif chart_url is not None and is_safe_url(chart_url) and chart_url.startswith("https://"):
        alt = fit(layout.chart_alt, 130) or "Chart"
        elements.append({"type": "Image", "url": chart_url, "altText": alt, "size": "stretch"})
    if layout.misses:
        # Plain words in the attention colour; the words alone say it for a reader without it.
        misses = [value(m, _MISS, lead="▼ ", tail="\n" if i < len(layout.misses) - 1 else "",
                        color="attention")
                  for i, m in enumerate(layout.misses)]  # fmt: skip
        elements.append(rich(misses))
    return elements


def trend_chart(chart: TrendChart) -> Element:
    """A ``Chart.Line`` of the audience's total and each platform, week by week."""
    weeks = _week_labels(chart)
    series = list(chart.series)
    if len(series) > 1:  # the total is the headline outcome; one platform is its own total
        series.insert(0, (ALL, chart.totals))
    return {
        "type": "Chart.Line",
        "title": fit(f"{chart.title}, last {len(weeks)} weeks ({WINS_MARK} week with wins)", 120),
        "colorSet": "categorical",
        "data": [
            {
                "legend": fit(name, 40),
                "values": [
                    {"x": week, "y": count} for week, count in zip(weeks, values, strict=True)
                ],
            }
            for name, values in series
        ],
        "fallback": _numbers(chart),
    }


def _week_labels(chart: TrendChart) -> list[str]:
    last = len(chart.weeks) - 1
    labels = ["This week" if i == last else week for i, week in enumerate(chart.weeks)]
    return [
        f"{label} {WINS_MARK}" if wins else label
        for label, wins in zip(labels, chart.wins, strict=True)
    ]


def _numbers(chart: TrendChart) -> Element:
    # Where charts are not drawn: the sentence with its sparkline, then every week's total,
    # "★" after the number so it cannot be read as belonging to the next week.
    last = len(chart.weeks) - 1
    listed = " · ".join(
        f"{'This week' if i == last else week} {format_count(n)}{f' {WINS_MARK}' if won else ''}"
        for i, (week, n, won) in enumerate(zip(chart.weeks, chart.totals, chart.wins, strict=True))
    )
    return rich([value(chart.sentence, _SENTENCE), run("\n"), value(listed, 1_000, isSubtle=True)])

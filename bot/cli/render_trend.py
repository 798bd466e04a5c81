"""The digest's trend in the terminal: the sparkline sentence and the honest misses as lines,
and the "12-wk avg" cell of the numbers table (kept here so ``render`` stays a walk of the
layout)."""

from __future__ import annotations

from rich.text import Text

from bot.domain.formatting import format_count, usual_change
from bot.domain.layout import DigestLayout
from bot.domain.views import Headline


def trend_lines(layout: DigestLayout) -> list[Text]:
    """The chart in words, then each miss in red with a "▼" that survives a log without colour."""
    lines = [Text(layout.trend.sentence)] if layout.trend is not None else []
    lines += [Text(f"▼ {miss}", style="red") for miss in layout.misses]
    return lines


def usual_cell(headline: Headline) -> str:
    """ "137k (+187%)": the 12-week average and this week against it; "–" without one."""
    if headline.usual is None:
        return "–"
    return f"{format_count(round(headline.usual))} ({usual_change(headline)})"

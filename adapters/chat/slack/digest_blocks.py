"""The digest's trend in Block Kit: the 13-week shape and the honest misses, as text.

Slack shows a digest's PNG in its thread, not in the message (see ``sender``), so the message
itself carries the numbers: a sparkline sentence a leader reads in a second, and a line for each
number well below its 12-week usual. Both are rich text, like everything else in ``blocks``.
"""

from __future__ import annotations

from typing import Any

from adapters.chat.slack import richtext as rt
from bot.domain.layout import DigestLayout

_SENTENCE = 600
_MISS = 300


def trend_blocks(layout: DigestLayout) -> list[dict[str, Any]]:
    """At most one block, under the headline numbers; none when there is nothing to say."""
    lines: list[rt.Paragraph] = []
    if layout.trend is not None:
        lines.append(
            [
                rt.emoji("chart_with_upwards_trend"),
                rt.value(layout.trend.sentence, _SENTENCE, lead=" "),
            ]
        )
    # A miss is said plainly, with a sign a reader cannot mistake for good news.
    lines += [[rt.emoji("small_red_triangle_down"), rt.value(m, _MISS, lead=" ")]
              for m in layout.misses]  # fmt: skip
    return [rt.block(lines)] if lines else []

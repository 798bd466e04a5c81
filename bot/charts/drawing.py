"""The digest's one picture: the audience's headline outcome over 13 weeks, this week last.

A leader glances at it in Slack's thread preview (about 360 pixels wide), so everything that
must be read is large (the figure is drawn at 800 px and shrinks by more than half), platforms
are told apart by pattern and a direct label as well as by colour, and the picture answers one
question: is this week good *for us*? Hence the 12-week average line and the highlighted bar.

matplotlib is imported inside the function: it costs most of a second to import, and the CLI,
the server and the tests mostly never draw a chart. The Figure object API with the Agg canvas
keeps pyplot's global state (and any GUI backend) out of a long-running server.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from bot.domain.formatting import audience_label, format_count, platform_label
from bot.domain.layout import WINS_MARK, TrendChart, digest_layout
from bot.domain.models import Platform
from bot.domain.views import DigestView

if TYPE_CHECKING:  # only for annotations: importing matplotlib at start-up is what we avoid
    from matplotlib.axes import Axes
    from matplotlib.ticker import MaxNLocator

WIDTH_PX, HEIGHT_PX, DPI = 800, 450, 100
EMPTY_TEXT = "No impressions or engagement recorded\nin the last 13 weeks"
_MUTED, _INK, _WIN_COLOUR = "#555555", "#222222", "#B8860B"
_PAST_ALPHA = 0.45
# Each platform also gets a pattern, in the legend order, so the chart survives greyscale
# printing and colour-blind readers; the direct labels name each one besides.
_HATCHES = ("", "//", "..", "xx", "\\\\")

# Close to each network's own colour, so readers match a bar to a platform at a glance;
# unknown platforms fall back to a neutral grey.
PLATFORM_COLOURS: dict[Platform, str] = {
    Platform.MASTODON: "#6364FF",
    Platform.BLUESKY: "#1185FE",
    Platform.X: "#14171A",
    Platform.LINKEDIN: "#0A66C2",
    Platform.FACEBOOK: "#1877F2",
    Platform.INSTAGRAM: "#E1306C",
    Platform.YOUTUBE: "#FF0000",
    Platform.THREADS: "#333333",
    Platform.TIKTOK: "#25F4EE",
    Platform.PINTEREST: "#E60023",
    Platform.REDDIT: "#FF4500",
}
_FALLBACK_COLOUR = "#888888"


def render_trend_chart(view: DigestView, path: Path) -> Path:
    """Write a PNG of the audience's 13-week trend to ``path`` and return it.

    A digest with nothing to draw still gets a picture that says so: the chart is attached to a
    message that has already been promised, and a missing image reads like a bug.
    """
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    layout = digest_layout(view)
    fig = Figure(figsize=(WIDTH_PX / DPI, HEIGHT_PX / DPI), dpi=DPI)
    FigureCanvasAgg(fig)  # attaches itself to fig; savefig then never consults pyplot
    ax = fig.add_subplot()
    chart = layout.trend
    title = chart.title if chart else "Impressions and engagement"
    fig.suptitle(
        f"{title}: {audience_label(view.audience.name)}",
        fontsize=20, fontweight="bold", x=0.02, ha="left",
    )  # fmt: skip
    if chart is not None:
        _draw_trend(ax, chart)
        note = f"{len(chart.weeks)} weeks to {view.period_text}   {WINS_MARK} week with wins"
    else:
        ax.set_axis_off()
        ax.text(0.5, 0.5, EMPTY_TEXT, ha="center", va="center", fontsize=18, color=_MUTED)
        note = view.period_text
    ax.set_title(note, fontsize=14, color=_MUTED, loc="left")
    fig.tight_layout()
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path, format="png", dpi=DPI)
    return path


def _draw_trend(ax: Axes, chart: TrendChart) -> None:
    from matplotlib.colors import to_rgba

    weeks = list(range(len(chart.weeks)))
    last = len(chart.weeks) - 1
    bottom = [0] * len(chart.weeks)
    labels: list[tuple[float, str, str]] = []  # (height of the segment's middle, text, colour)
    for index, (name, values) in enumerate(chart.series):
        colour = _colour(name)
        hatch = _HATCHES[index % len(_HATCHES)]
        # Past weeks muted, this week solid: the eye lands on the bar the digest is about.
        # One call per platform (a colour per bar), not one per bar: a fifth of the drawing time.
        colours = [to_rgba(colour, _PAST_ALPHA)] * last + [to_rgba(colour, 1.0)]
        ax.bar(
            weeks, values, bottom=bottom, width=0.72, color=colours, hatch=hatch,
            edgecolor="white", linewidth=0.8,
        )  # fmt: skip
        if values[last]:
            labels.append((bottom[last] + values[last] / 2, name, colour))
        bottom = [b + v for b, v in zip(bottom, values, strict=True)]
    top = max(chart.totals) or 1
    ax.set_ylim(0, top * 1.22)
    ax.set_xlim(-0.6, last + 3.4)  # room on the right for the platforms' names
    _label_platforms(ax, labels, last, top)
    if chart.usual is not None:
        ax.axhline(chart.usual, color=_INK, linestyle=(0, (5, 3)), linewidth=1.6, xmax=0.78)
        label = f"{chart.usual_weeks}-week avg {format_count(round(chart.usual))}"
        ax.text(
            -0.5, chart.usual + top * 0.02, label,
            fontsize=14, color=_INK, va="bottom",
            bbox={"facecolor": "white", "alpha": 0.8, "edgecolor": "none", "pad": 1},
        )  # fmt: skip
    for week, count in enumerate(chart.wins):
        if count:
            ax.text(
                week, top * 1.13, WINS_MARK, ha="center", va="center", fontsize=20,
                color=_WIN_COLOUR,
            )  # fmt: skip
    ticks = sorted({0, last // 3, 2 * last // 3, last})
    ax.set_xticks(ticks, [_tick(chart, t, last) for t in ticks], fontsize=14)
    ax.get_xticklabels()[-1].set_fontweight("bold")
    ax.yaxis.set_major_locator(_max_ticks(4))
    ax.yaxis.set_major_formatter(lambda y, _pos: format_count(int(y)))
    ax.tick_params(axis="y", labelsize=14, length=0)
    ax.tick_params(axis="x", length=0)
    ax.grid(axis="y", color="#e6e6e6", linewidth=0.8)
    ax.set_axisbelow(True)
    for side in ("top", "right", "left"):
        ax.spines[side].set_visible(False)


def _label_platforms(ax: Axes, labels: list[tuple[float, str, str]], last: int, top: int) -> None:
    # Names beside this week's bar, nudged apart so small segments' labels never overlap.
    gap, ceiling = top * 0.11, top * 1.05
    placed: list[float] = []
    for middle, _name, _colour in labels:  # upwards from each segment's middle...
        placed.append(max(middle, placed[-1] + gap) if placed else middle)
    for i in reversed(range(len(placed))):  # ...then down again from under the stars
        placed[i] = min(placed[i], ceiling if i == len(placed) - 1 else placed[i + 1] - gap)
    for (middle, name, colour), y in zip(labels, placed, strict=True):
        ax.annotate(
            name, xy=(last + 0.38, middle), xytext=(last + 0.6, y), fontsize=14,
            va="center", color=_INK, arrowprops={"arrowstyle": "-", "color": colour, "lw": 2},
        )  # fmt: skip


def _tick(chart: TrendChart, week: int, last: int) -> str:
    # This week's total sits under its bar, where the eye ends, not in the labels' way above.
    return f"This week {format_count(chart.totals[last])}" if week == last else chart.weeks[week]


def _colour(name: str) -> str:
    for platform, colour in PLATFORM_COLOURS.items():
        if platform_label(platform) == name:
            return colour
    return _FALLBACK_COLOUR


def _max_ticks(count: int) -> MaxNLocator:
    from matplotlib.ticker import MaxNLocator

    return MaxNLocator(nbins=count, integer=True)

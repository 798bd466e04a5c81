"""The digest's one picture: where the period's engagement came from, by platform.

matplotlib is imported inside the function: it costs most of a second to import, and the CLI,
the server and the tests mostly never draw a chart. The Figure object API with the Agg canvas
keeps pyplot's global state (and any GUI backend) out of a long-running server.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from bot.domain.formatting import audience_label, format_count, platform_label
from bot.domain.models import Platform
from bot.domain.views import DigestView

if TYPE_CHECKING:  # only for annotations: importing matplotlib at start-up is what we avoid
    from matplotlib.axes import Axes

WIDTH_PX, HEIGHT_PX, DPI = 800, 450, 100
EMPTY_TEXT = "No engagement recorded this week"

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


def render_engagement_chart(view: DigestView, path: Path) -> Path:
    """Write a PNG of the period's engagement by platform to ``path`` and return it.

    A period with no engagement still gets a picture that says so: the chart is attached to a
    message that has already been promised, and a missing image reads like a bug.
    """
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    fig = Figure(figsize=(WIDTH_PX / DPI, HEIGHT_PX / DPI), dpi=DPI)
    FigureCanvasAgg(fig)  # attaches itself to fig; savefig then never consults pyplot
    ax = fig.add_subplot()
    fig.suptitle(
        f"Engagement by platform: {audience_label(view.audience.name)}",
        fontsize=14,
        fontweight="bold",
    )
    ax.set_title(f"{view.period_text} ({view.period_label})", fontsize=10, color="#555555")

    data = [(p, n) for p, n in view.engagement_by_platform.items() if n > 0]
    if data:
        _draw_bars(ax, data)
    else:
        ax.set_axis_off()
        ax.text(0.5, 0.5, EMPTY_TEXT, ha="center", va="center", fontsize=14, color="#555555")

    fig.tight_layout()
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path, format="png", dpi=DPI)
    return path


def _draw_bars(ax: Axes, data: list[tuple[Platform, int]]) -> None:
    # barh draws bottom-up; reverse so the biggest platform sits at the top where reading starts.
    ordered = sorted(data, key=lambda item: item[1])
    labels = [platform_label(p) for p, _ in ordered]
    values = [n for _, n in ordered]
    colours = [PLATFORM_COLOURS.get(p, _FALLBACK_COLOUR) for p, _ in ordered]
    bars = ax.barh(labels, values, color=colours, height=0.6)
    ax.bar_label(bars, labels=[format_count(n) for n in values], padding=4, fontsize=10)
    # Head-room for the value labels, which sit outside the longest bar.
    ax.set_xlim(0, max(values) * 1.15)
    ax.set_xlabel("Interactions (likes, comments, shares, quotes, saves, clicks)")
    ax.xaxis.set_major_formatter(lambda x, _pos: format_count(int(x)))
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    ax.tick_params(axis="y", length=0, labelsize=11)

from __future__ import annotations

import struct
import subprocess
import sys
import textwrap
from pathlib import Path

from bot.charts.drawing import HEIGHT_PX, WIDTH_PX, render_trend_chart
from bot.domain.digest import compose_digest
from bot.domain.layout import digest_layout
from bot.domain.models import Audience, Platform
from bot.domain.periods import Period
from bot.domain.views import DigestView, PeriodStats, PlatformWeek, TrendWeek

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
WEEK = Period(2026, 47, "Europe/London")


def trend_of(engagement: dict[Platform, int], *, weeks: int = 13) -> list[TrendWeek]:
    """Weeks with this engagement (growing 5% a week), wins every third week; no impressions."""
    series = []
    for i in range(weeks):
        week = WEEK
        for _ in range(weeks - 1 - i):
            week = week.previous()
        platforms = {
            p: PlatformWeek(engagement=round(n * 1.05 ** (i - weeks + 1)), posts=2)
            for p, n in engagement.items()
        }
        series.append(
            TrendWeek(label=week.label, starts_on=week.first_day, platforms=platforms,
                      wins=1 if i % 3 == 0 else 0)
        )  # fmt: skip
    return series


def digest_with(engagement: dict[Platform, int], audience: str = "leadership") -> DigestView:
    stats = PeriodStats(
        posts=3, engagement=sum(engagement.values()), engagement_by_platform=engagement
    )
    trend = trend_of(engagement) if engagement else []
    return compose_digest(
        Audience(name=audience), WEEK, stats, PeriodStats(), [], [], [], trend=trend
    )


def png_size(path: Path) -> tuple[int, int]:
    data = path.read_bytes()
    assert data[:8] == PNG_SIGNATURE
    # The IHDR chunk always comes first: length, b"IHDR", then width and height as big-endian.
    assert data[12:16] == b"IHDR"
    width, height = struct.unpack(">II", data[16:24])
    return width, height


def test_chart_of_engagement_is_a_png_of_the_promised_size(tmp_path: Path) -> None:
    view = digest_with({Platform.LINKEDIN: 40_200, Platform.X: 812, Platform.MASTODON: 95})

    path = render_trend_chart(view, tmp_path / "chart.png")

    assert path == tmp_path / "chart.png"
    assert png_size(path) == (WIDTH_PX, HEIGHT_PX)


def test_week_without_engagement_still_gets_a_chart(tmp_path: Path) -> None:
    view = digest_with({}, audience="Marketing")

    path = render_trend_chart(view, tmp_path / "nested" / "empty.png")

    assert png_size(path) == (WIDTH_PX, HEIGHT_PX)


def test_charts_with_and_without_data_differ(tmp_path: Path) -> None:
    full = render_trend_chart(digest_with({Platform.X: 5}), tmp_path / "full.png")
    empty = render_trend_chart(digest_with({}), tmp_path / "empty.png")

    assert full.read_bytes() != empty.read_bytes()


def test_importing_the_chart_module_does_not_load_matplotlib_or_pyplot(tmp_path: Path) -> None:
    # A fresh interpreter: this test process may already have matplotlib loaded by other tests.
    script = textwrap.dedent(
        f"""
        import sys
        from pathlib import Path
        import bot.charts.drawing
        assert "matplotlib" not in sys.modules, "matplotlib imported at start-up"
        from bot.domain.digest import compose_digest
        from bot.domain.models import Audience, Platform
        from bot.domain.periods import Period
        from bot.domain.views import PeriodStats
        from bot.domain.views import PlatformWeek, TrendWeek
        stats = PeriodStats(engagement_by_platform={{Platform.X: 3}})
        week = TrendWeek(label="2026-W47", starts_on="2026-11-16",
                         platforms={{Platform.X: PlatformWeek(engagement=3)}})
        view = compose_digest(Audience(), Period(2026, 47, "UTC"), stats, stats, [], [], [],
                              trend=[week])
        bot.charts.drawing.render_trend_chart(view, Path({str(tmp_path)!r}) / "c.png")
        assert "matplotlib.pyplot" not in sys.modules, "pyplot's global state was used"
        """
    )
    result = subprocess.run(
        [sys.executable, "-c", script],
        capture_output=True,
        text=True,
        check=False,
        cwd=Path(__file__).resolve().parents[2],
    )

    assert result.returncode == 0, result.stderr


def test_trend_chart_is_drawn_at_a_size_that_survives_slacks_preview(tmp_path: Path) -> None:
    view = digest_with({Platform.LINKEDIN: 40_200, Platform.X: 812, Platform.MASTODON: 95})

    path = render_trend_chart(view, tmp_path / "trend.png")

    width, height = png_size(path)
    assert (width, height) == (WIDTH_PX, HEIGHT_PX)
    # Shrunk to Slack's ~360-pixel preview it must stay wider than tall, and big enough that
    # the 14-point labels are still ~8 pixels high.
    assert width / height > 1.5 and 360 / width >= 0.45


def test_alt_text_states_the_numbers_the_chart_draws() -> None:
    view = digest_with({Platform.LINKEDIN: 40_200, Platform.X: 812})

    alt = digest_layout(view).chart_alt

    # No impressions reported: the chart (and its alt text) falls back to engagement.
    assert alt.startswith("Engagement per week, Leadership, 13 weeks")
    assert "16 Nov 41k" in alt  # this week's total, 40,200 + 812
    assert "LinkedIn 40.2k" in alt and "X 812" in alt
    assert "12-week average" in alt
    assert "Weeks with wins:" in alt


def test_charts_of_different_weeks_differ(tmp_path: Path) -> None:
    big = render_trend_chart(digest_with({Platform.X: 5_000}), tmp_path / "big.png")
    small = render_trend_chart(digest_with({Platform.X: 50}), tmp_path / "small.png")

    assert big.read_bytes() != small.read_bytes()

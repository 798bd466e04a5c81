from __future__ import annotations

import struct
import subprocess
import sys
import textwrap
from pathlib import Path

from bot.charts.drawing import HEIGHT_PX, WIDTH_PX, render_engagement_chart
from bot.domain.digest import compose_digest
from bot.domain.models import Audience, Platform
from bot.domain.periods import Period
from bot.domain.views import DigestView, PeriodStats

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
WEEK = Period(2026, 47, "Europe/London")


def digest_with(engagement: dict[Platform, int], audience: str = "leadership") -> DigestView:
    stats = PeriodStats(
        posts=3, engagement=sum(engagement.values()), engagement_by_platform=engagement
    )
    return compose_digest(Audience(name=audience), WEEK, stats, PeriodStats(), [], [], [])


def png_size(path: Path) -> tuple[int, int]:
    data = path.read_bytes()
    assert data[:8] == PNG_SIGNATURE
    # The IHDR chunk always comes first: length, b"IHDR", then width and height as big-endian.
    assert data[12:16] == b"IHDR"
    width, height = struct.unpack(">II", data[16:24])
    return width, height


def test_chart_of_engagement_is_a_png_of_the_promised_size(tmp_path: Path) -> None:
    view = digest_with({Platform.LINKEDIN: 40_200, Platform.X: 812, Platform.MASTODON: 95})

    path = render_engagement_chart(view, tmp_path / "chart.png")

    assert path == tmp_path / "chart.png"
    assert png_size(path) == (WIDTH_PX, HEIGHT_PX)


def test_week_without_engagement_still_gets_a_chart(tmp_path: Path) -> None:
    view = digest_with({}, audience="Marketing")

    path = render_engagement_chart(view, tmp_path / "nested" / "empty.png")

    assert png_size(path) == (WIDTH_PX, HEIGHT_PX)


def test_charts_with_and_without_data_differ(tmp_path: Path) -> None:
    full = render_engagement_chart(digest_with({Platform.X: 5}), tmp_path / "full.png")
    empty = render_engagement_chart(digest_with({}), tmp_path / "empty.png")

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
        stats = PeriodStats(engagement_by_platform={{Platform.X: 3}})
        view = compose_digest(Audience(), Period(2026, 47, "UTC"), stats, stats, [], [], [])
        bot.charts.drawing.render_engagement_chart(view, Path({str(tmp_path)!r}) / "c.png")
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

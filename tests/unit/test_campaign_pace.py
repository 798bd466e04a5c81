"""A running pilot's pace in words: on track or behind, and what it needs, on every kind of day."""

from __future__ import annotations

import json
from datetime import date

import pytest

from bot.domain.campaigns import campaign_pace
from bot.domain.models import Campaign, CampaignMetric, CampaignProgress

PILOT = Campaign(
    name="Pilot", metric=CampaignMetric.CLICKS, target=1_000,
    starts_on=date(2026, 11, 1), ends_on=date(2026, 11, 10), tag="recruiting",
)  # fmt: skip


def pace(value: int, day: int, month: int = 11) -> str | None:
    progress = CampaignProgress(campaign=PILOT, value=value, posts=3)
    return campaign_pace(progress, today=date(2026, month, day))


@pytest.mark.parametrize(
    ("value", "day", "said"),
    [
        (640, 6, "On track: 640 of 1,000 clicks with 40% of the time left"),
        (350, 6, "Behind: 350 of 1,000 clicks; needs 163 a day, averaging 58"),
        (0, 6, "Behind: no clicks yet; needs 250 a day for the 4 days left"),
        (0, 1, "First day: 0 of 1,000 clicks so far; needs 112 a day from tomorrow"),
        (100, 1, "On track: 100 of 1,000 clicks with 90% of the time left"),
        (900, 10, "Last day: 900 of 1,000 clicks, 100 to go today"),
        (1_200, 7, "Goal reached: 1,200 of 1,000 clicks with 3 days to spare"),
        (1_000, 10, "Goal reached: 1,000 of 1,000 clicks"),
        (1_200, 20, "Goal reached: 1,200 of 1,000 clicks"),
        (640, 11, "Ended short: 640 of 1,000 clicks (64%)"),
        (3, 4, "Behind: 3 of 1,000 clicks; needs 167 a day, averaging 0.8"),
    ],
)
def test_pace_in_words(value: int, day: int, said: str) -> None:
    assert pace(value, day) == said


def test_a_pilot_not_started_says_when_it_starts() -> None:
    assert pace(0, 30, month=10) == "Starts 1 Nov"


def test_a_one_day_pilot_is_on_its_last_day_from_the_start() -> None:
    one_day = PILOT.model_copy(update={"ends_on": PILOT.starts_on})
    progress = CampaignProgress(campaign=one_day, value=10, posts=1)
    assert (
        campaign_pace(progress, today=one_day.starts_on)
        == "Last day: 10 of 1,000 clicks, 990 to go today"
    )


def test_pace_defaults_to_the_day_progress_was_counted_and_is_none_without_one() -> None:
    counted = CampaignProgress(campaign=PILOT, value=640, posts=3, as_of=date(2026, 11, 6))
    assert campaign_pace(counted) == "On track: 640 of 1,000 clicks with 40% of the time left"
    assert campaign_pace(CampaignProgress(campaign=PILOT, value=640, posts=3)) is None


def test_every_digest_renderer_says_the_pace_under_the_progress() -> None:
    """Block Kit, Adaptive Cards and the terminal each draw the pace line of a running pilot."""
    from rich.console import Console

    from adapters.chat.slack.blocks import render_digest as slack_digest
    from adapters.chat.teams.cards import render_digest as teams_digest
    from bot.cli.render import render_digest as terminal_digest
    from bot.domain.digest import compose_digest
    from bot.domain.models import Audience
    from bot.domain.periods import Period
    from bot.domain.views import PeriodStats

    counted = CampaignProgress(campaign=PILOT, value=640, posts=3, as_of=date(2026, 11, 6))
    view = compose_digest(
        Audience(), Period(2026, 45, "UTC"), PeriodStats(posts=1), PeriodStats(), [], [counted], []
    )
    said = "On track: 640 of 1,000 clicks with 40% of the time left"
    assert said in json.dumps(slack_digest(view), ensure_ascii=False)
    assert said in json.dumps(teams_digest(view), ensure_ascii=False)
    console = Console(record=True, width=160, color_system=None)
    terminal_digest(view, console)
    assert f"Pilot: {said}" in console.export_text()

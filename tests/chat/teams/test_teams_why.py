"""`@winsbot wins why 7` end to end in Teams, the numbers people type in wins lists, a campaign's
pace in `wins campaign NAME`; and that a `why` card stays within what Teams takes."""

from __future__ import annotations

import json
from datetime import date

from adapters.chat.teams.cards import plain_text, render
from bot.domain.models import Campaign, CampaignMetric
from bot.domain.views import WhyPost, WhyView
from bot.store.wins import WinFilter
from tests.chat.sample_views import make_win
from tests.chat.teams.conftest import TeamsHarness
from tests.chat.teams.test_teams_cards import assert_teams_accepts, texts


async def test_why_shows_the_numbers_and_the_posts_with_the_median(teams: TeamsHarness) -> None:
    [win] = await teams.server.service.wins(WinFilter(limit=1))
    await teams.send(teams.activity("wins 30d"))
    await teams.send(teams.activity(f"wins why {win.id}"))
    listed, card = teams.cards()
    assert f"#{win.id}  " in texts(listed)
    assert f"@winsbot wins why {win.id}" in texts(listed)
    assert_teams_accepts(card)
    shown = list(texts(card))
    assert f"Why #{win.id} is a win" in shown
    assert "The 30 posts it was compared with, highest first, each counted at the same age" in shown
    assert any("· the median" in text for text in shown)
    opened = json.dumps(card)
    assert "https://www.linkedin.com/feed/update/urn:li:activity:7029/" in opened


async def test_why_for_no_win_says_what_to_type(teams: TeamsHarness) -> None:
    await teams.send(teams.activity("wins why 424242"))
    await teams.send(teams.activity("wins why seven"))
    missing, typo = teams.cards()
    assert "There is no win #424242." in " ".join(texts(missing))
    assert "@winsbot wins 30d" in texts(missing)
    assert "@winsbot wins why 7" in texts(typo)


async def test_campaign_answer_says_its_pace(teams: TeamsHarness) -> None:
    await teams.server.service.add_campaign(
        Campaign(
            name="Grad pilot", metric=CampaignMetric.ENGAGEMENT, target=100_000,
            starts_on=date(2026, 11, 1), ends_on=date(2026, 11, 30), tag="recruiting",
        )
    )  # fmt: skip
    await teams.send(teams.activity("wins campaign Grad pilot"))
    [card] = teams.cards()
    shown = " ".join(texts(card))
    assert "of 100k engagement by 30 Nov" in shown and "Behind: " in shown


def test_a_why_card_with_hundreds_of_compared_posts_fits() -> None:
    long_url = "https://www.linkedin.com/feed/update/urn:li:activity:" + "7" * 700
    posts = [
        WhyPost(published_at=None, engagement=n, url=long_url, text="word " * 200,
                label=f"a post no longer stored · {n} interactions", median=n == 250)
        for n in range(500, 0, -1)
    ]  # fmt: skip
    view = WhyView(
        win=make_win(7, reason="x" * 5_000), title="Why #7 is a win", facts=["f" * 900] * 4,
        compared_heading="The 500 posts it was compared with", compared=posts,
        note="run `winsbot detect --all` to record them.",
    )  # fmt: skip
    card = render(view)
    assert_teams_accepts(card)
    assert any(
        t.startswith("…and ") and t.endswith("more, lower down the list") for t in texts(card)
    )
    assert plain_text(view).startswith("Why #7 is a win: ffff")

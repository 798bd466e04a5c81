"""`/wins why 7` end to end in Slack, the numbers people type in wins lists, and a campaign's pace
in `/wins campaign NAME`; and that a `why` answer stays within Slack's limits, however long."""

from __future__ import annotations

import json
from datetime import date
from typing import Any

from adapters.chat.slack.blocks import render
from bot.domain.models import Campaign, CampaignMetric
from bot.domain.views import WhyPost, WhyView
from bot.store.wins import WinFilter
from tests.chat.sample_views import make_win
from tests.chat.slack.conftest import SlackHarness
from tests.chat.slack.test_slack_blocks import assert_slack_accepts


def text_of(reply: dict[str, Any]) -> str:
    return json.dumps(reply.get("blocks", []), ensure_ascii=False) + str(reply.get("text", ""))


async def test_why_shows_the_numbers_and_the_posts_with_the_median(harness: SlackHarness) -> None:
    [win] = await harness.server.service.wins(WinFilter(limit=1))
    status, listed = await harness.command("30d")
    assert status == 200
    assert f'"#{win.id}  "' in text_of(listed)  # the number, where people see the win
    assert f"/wins why {win.id}" in text_of(listed)  # and how to ask about it
    status, reply = await harness.command(f"why #{win.id}")
    assert status == 200 and reply["response_type"] == "ephemeral"
    assert_slack_accepts({"text": reply["text"], "blocks": reply["blocks"]})
    body = text_of(reply)
    assert f"Why #{win.id} is a win" in body
    assert "the median of acme-careers's last 30 LinkedIn posts at the same age" in body
    assert "The 30 posts it was compared with" in body
    assert "· the median" in body
    assert "https://www.linkedin.com/feed/update/urn:li:activity:7029/" in body


async def test_why_without_a_number_or_for_no_win_says_what_to_type(
    harness: SlackHarness,
) -> None:
    _, reply = await harness.command("why")
    assert "Which win? Put its number after" in text_of(reply)
    assert "/wins why 7" in text_of(reply)  # the renderer's prefix on the core's `why 7`
    _, reply = await harness.command("why 424242")
    assert "There is no win #424242." in text_of(reply)
    assert "/wins 30d" in text_of(reply)


async def test_campaign_answer_says_its_pace(harness: SlackHarness) -> None:
    await harness.server.service.add_campaign(
        Campaign(
            name="Grad pilot", metric=CampaignMetric.ENGAGEMENT, target=100_000,
            starts_on=date(2026, 11, 1), ends_on=date(2026, 11, 30), tag="recruiting",
        )
    )  # fmt: skip
    _, reply = await harness.command("campaign Grad pilot")
    body = text_of(reply)
    assert "Grad pilot: " in body and "of 100k engagement by 30 Nov" in body
    assert "Behind: " in body and "a day, averaging" in body
    assert "No wins match yet" in body  # no goal reached yet: the pace is said all the same


def test_a_why_answer_with_hundreds_of_compared_posts_fits_in_one_message() -> None:
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
    message = render(view)
    assert_slack_accepts(message)
    assert len(message["blocks"]) <= 50
    assert "…and 460 more, lower down the list" in text_of(message)

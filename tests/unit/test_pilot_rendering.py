"""A pilot report at its largest stays inside Slack's and Teams' limits, and reads the same.

Slack refuses more than 50 blocks or a rich_text block over 3,000 characters; Teams refuses a
card over ~28 KB. The largest report a pilot can produce (three best posts, five stories with
every answer at its 3,000-character maximum, five learnings) is measured here; so is the
learnings modal against the fake's Block Kit checks. The CLI shows the same next step.
"""

from __future__ import annotations

import io
import json
from datetime import UTC, date, datetime

from rich.console import Console

from adapters.chat.slack.block_parts import MAX_BLOCKS
from adapters.chat.slack.pilot_blocks import render_report as slack_report
from adapters.chat.slack.pilot_form import learnings_modal
from adapters.chat.slack.richtext import size
from adapters.chat.teams.card_fit import MAX_BODY, MAX_CARD_BYTES, card_bytes
from adapters.chat.teams.pilot_cards import render_report as teams_report
from bot.cli.pilot_report import print_report, report_json
from bot.domain.models import Campaign, CampaignMetric, CampaignProgress, CaseStudy, Platform
from bot.domain.pilot_end import NEXT_STEP_LABELS, NO_LEARNINGS
from bot.domain.pilot_report import PilotPost, PilotReport, compose_pilot_report
from tests.fakes.slack_views import modal_problems

NOW = datetime(2026, 11, 25, 9, tzinfo=UTC)


def report(*, long: bool, next_step: str | None) -> PilotReport:
    campaign = Campaign(
        id=1, name="P" * 200 if long else "Graduate hiring pilot", metric=CampaignMetric.CLICKS,
        target=1000, starts_on=date(2026, 11, 2), ends_on=date(2026, 11, 22), tag="recruiting",
        hashtag="GradPilot",
    )  # fmt: skip
    words = "ü & <b> " * 400 if long else "Post at 7:30"
    posts = [
        PilotPost(
            Platform.LINKEDIN, "acme-careers", NOW, 500 - n, f"https://x.test/{n}" * 50, words
        )
        for n in range(5)
    ]
    stories = [
        CaseStudy(
            id=n,
            body=words,
            author="U1",
            author_name="Dana",
            created_at=NOW,
            what_we_did=words[:3000],
            result=words[:3000],
            learned=words[:3000],
        )
        for n in range(8)
    ]
    progress = CampaignProgress(campaign=campaign, value=1474, posts=6)
    return compose_pilot_report(
        progress, posts, stories if long or next_step else [], today=NOW.date(),
        next_step=NEXT_STEP_LABELS.get(next_step or ""),
    )  # fmt: skip


def test_the_largest_report_fits_slack_and_teams() -> None:
    big = report(long=True, next_step="scale")
    message = slack_report(big, message_id=7)
    blocks = message["blocks"]
    assert len(blocks) <= MAX_BLOCKS
    for block in blocks:
        if block["type"] == "rich_text":
            assert size(block["elements"][0]["elements"]) <= 3000
    card = teams_report(big)
    assert card_bytes(card) < MAX_CARD_BYTES and len(card["body"]) <= MAX_BODY
    print(
        f"largest: slack {len(blocks)} blocks, {len(json.dumps(message)):,} bytes; "
        f"teams {card_bytes(card):,} bytes, {len(card['body'])} elements"
    )


def test_a_report_without_learnings_says_so_in_both_chats() -> None:
    bare = report(long=False, next_step=None)
    assert NO_LEARNINGS in json.dumps(slack_report(bare))
    assert NO_LEARNINGS in json.dumps(teams_report(bare))


def test_the_cli_shows_the_same_next_step() -> None:
    answered = report(long=False, next_step="stop")
    assert answered.next_step == NEXT_STEP_LABELS["stop"]
    out = io.StringIO()
    print_report(answered, Console(file=out, width=100))
    assert NEXT_STEP_LABELS["stop"] in out.getvalue()
    assert report_json(answered)["next_step"] == NEXT_STEP_LABELS["stop"]
    assert NEXT_STEP_LABELS["stop"] in json.dumps(slack_report(answered), ensure_ascii=False)
    assert NEXT_STEP_LABELS["stop"] in json.dumps(teams_report(answered), ensure_ascii=False)


def test_the_learnings_modal_is_within_block_kit_limits() -> None:
    assert modal_problems(learnings_modal(3, "P" * 3000)) == []

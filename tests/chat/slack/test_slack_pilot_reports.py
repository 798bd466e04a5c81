"""A pilot's end in Slack, end to end: real HTTP to the fake Slack Web API.

The day after a pilot ends its owners are asked, once each, in a DM with a "Write the
learnings" button; the modal stores learnings as a case study and the next step; once every
owner asked has answered, the report goes once to leadership's channel and to the pilot's
department's, not elsewhere.
Without an answer the report goes two working days after the end and says so. Another pass,
another worker or a restart sends nothing more.
"""

from __future__ import annotations

import asyncio
import json
from collections import Counter
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest

from bot.app import build_server
from bot.domain.models import Audience, Campaign, CampaignMetric, Chat, Schedule
from bot.ports import FixedClock
from bot.store.campaigns import add_campaign
from bot.store.case_studies import CaseStudyFilter
from bot.store.feedback import list_feedback
from bot.store.owners import StoredOwner, add_owner
from bot.store.pilot_messages import answers_of, pilot_ledger
from bot.store.subscriptions import subscribe
from bot.usecases.pilot_end import PilotRunner
from bot.usecases.pilot_reports import pilot_report
from tests.chat.slack.conftest import NOW, SlackHarness
from tests.chat.slack.story_payloads import eventually, send
from tests.fakes.slack_api import TEAM_ID, FakeSlackApi

DANA, ELI, LEADER = "U0DANA", "U0ELI", "U0LEAD"
LEAD, RECRUITING, BRAND = "C0LEAD", "C0REC", "C0BRAND"
NAME = "Graduate hiring pilot"
ANSWERS = {
    "what_we_did": "Three graduate videos a week, posted at 7:30",
    "result": "1,474 clicks, 38 applications",
    "learned": "Students watch on the commute: post before 8",
}


async def ended_pilot(harness: SlackHarness) -> int:
    """A recruiting pilot that ended yesterday (Sunday 22 Nov; NOW is Monday 09:00 UTC)."""
    now = harness.server.service.clock.now()
    async with harness.server.service.db.engine.begin() as conn:
        campaign_id = await add_campaign(
            conn,
            Campaign(
                name=NAME, metric=CampaignMetric.LIKES, target=1000, tag="recruiting",
                starts_on=date(2026, 10, 26), ends_on=date(2026, 11, 22),
            ),
            now=now - timedelta(days=30),
        )  # fmt: skip
        for user in (DANA, ELI):
            await add_owner(conn, StoredOwner("tag", "recruiting", user), created_by=None, now=now)
        for channel, audience in (
            (LEAD, Audience()),
            (RECRUITING, Audience(name="recruiting", tags=("recruiting",))),
            (BRAND, Audience(name="brand", tags=("brand",))),
        ):
            await subscribe(
                conn, chat=Chat.SLACK, workspace_id=TEAM_ID, channel_id=channel,
                audience=audience, schedule=Schedule(), created_by="UADMIN", now=now,
            )  # fmt: skip
    return campaign_id


def runner(harness: SlackHarness, worker: str = "test") -> PilotRunner:
    return PilotRunner(harness.server.service, harness.server.pilots, worker=worker)


def dms(slack: FakeSlackApi, user: str) -> list[dict[str, Any]]:
    channel = slack.ims.get(user)
    return [m for (c, _), m in sorted(slack.messages.items()) if c == channel]


def reports(slack: FakeSlackApi) -> Counter[str]:
    return Counter(
        channel
        for (channel, _), m in slack.messages.items()
        if (m.get("metadata") or {}).get("event_type") == "winsbot_pilot"
        and m["text"].startswith("Pilot report")
    )


def report_in(slack: FakeSlackApi, channel: str) -> str:
    [found] = [m for (c, _), m in slack.messages.items() if c == channel]
    return json.dumps(found["blocks"], ensure_ascii=False)


def click(campaign_id: int, user: str = DANA) -> dict[str, Any]:
    return {
        "type": "block_actions", "team": {"id": TEAM_ID, "domain": "acme"},
        "user": {"id": user, "username": "dana", "name": "dana", "team_id": TEAM_ID},
        "api_app_id": "A0001", "token": "legacy", "trigger_id": f"12345.98765.{user.lower()}",
        "container": {"type": "message", "message_ts": "1700000000.000100", "channel_id": "D0X",
                      "is_ephemeral": False},
        "actions": [{"action_id": "winsbot_pilot_learnings_open", "block_id": "b",
                     "value": str(campaign_id), "type": "button",
                     "action_ts": "1700000001.000001",
                     "text": {"type": "plain_text", "text": "Write the learnings"}}],
    }  # fmt: skip


def submission(view: dict[str, Any], step: str | None, user: str = DANA) -> dict[str, Any]:
    values: dict[str, Any] = {
        f"story_{name}": {name: {"type": "plain_text_input", "value": value}}
        for name, value in ANSWERS.items()
    }
    chosen = {"value": step, "text": {"type": "plain_text", "text": step}} if step else None
    values["pilot_next_step"] = {"next_step": {"type": "radio_buttons", "selected_option": chosen}}
    return {
        "type": "view_submission", "team": {"id": TEAM_ID, "domain": "acme"},
        "user": {"id": user, "username": "dana", "name": "dana", "team_id": TEAM_ID},
        "api_app_id": "A0001", "token": "legacy", "trigger_id": "12345.98766.abcdef",
        "view": {**view, "state": {"values": values}, "app_installed_team_id": TEAM_ID},
        "response_urls": [], "is_enterprise_install": False, "enterprise": None,
    }  # fmt: skip


async def open_form(harness: SlackHarness, campaign_id: int, user: str = DANA) -> dict[str, Any]:
    opened = len(harness.slack.views.opened)
    status, body = await send(harness, click(campaign_id, user))
    assert status == 200 and not body
    await eventually(lambda: len(harness.slack.views.opened) > opened)
    return harness.slack.views.opened[-1]


async def test_the_pilots_end_asks_each_owner_once_and_reports_once_after_an_answer(
    harness: SlackHarness,
) -> None:
    campaign_id = await ended_pilot(harness)
    outcomes = await runner(harness).run()
    assert sorted((o.kind, o.target, o.result) for o in outcomes) == [
        ("ask", DANA, "sent"), ("ask", ELI, "sent"),
    ]  # fmt: skip
    for user in (DANA, ELI):
        [ask] = dms(harness.slack, user)
        assert ask["metadata"]["event_type"] == "winsbot_pilot"
        assert NAME in ask["text"] and "Goal:" in json.dumps(ask["blocks"])
        assert ask["blocks"][-1]["elements"][0]["action_id"] == "winsbot_pilot_learnings_open"
    assert await runner(harness, "w2").run() == []  # asked; no answer yet, not two days yet
    assert reports(harness.slack) == Counter()

    view = await open_form(harness, campaign_id)
    assert view["callback_id"] == "winsbot_pilot_learnings"
    radio = next(b for b in view["blocks"] if b.get("block_id") == "pilot_next_step")["element"]
    assert radio["type"] == "radio_buttons"
    assert [o["value"] for o in radio["options"]] == ["extend", "scale", "stop"]
    status, body = await send(harness, submission(view, "scale"))
    assert status == 200 and not body  # closes the modal
    async with harness.server.service.db.engine.connect() as conn:
        [answer] = await answers_of(conn, campaign_id)
    assert (answer.user_id, answer.next_step) == (DANA, "scale")
    [story] = await harness.server.service.case_studies(CaseStudyFilter())
    assert (story.what_we_did, story.result, story.learned) == tuple(ANSWERS.values())
    assert story.id == answer.case_study_id and story.author == DANA
    # Eli was asked too: the report waits for his learnings as well.
    assert await runner(harness).run() == []
    assert reports(harness.slack) == Counter()
    view = await open_form(harness, campaign_id, ELI)
    status, body = await send(harness, submission(view, "scale", user=ELI))
    assert status == 200 and not body

    outcomes = await runner(harness).run()
    assert sorted((o.kind, o.target) for o in outcomes) == [
        ("report", f"slack:{LEAD}"), ("report", f"slack:{RECRUITING}"),
    ]  # fmt: skip
    assert reports(harness.slack) == Counter({LEAD: 1, RECRUITING: 1})  # not brand's channel
    text = report_in(harness.slack, LEAD)
    assert "Pilot report: Graduate hiring pilot" in text and "Goal: " in text
    assert ANSWERS["learned"] in text and "Scale" in text
    assert "has not written learnings" not in text
    # The CLI's report says the same next step.
    report = await pilot_report(harness.server.service, NAME)
    assert report is not None and report.next_step is not None
    assert report.next_step.startswith("Scale") and ANSWERS["learned"] in report.learnings

    # Another pass, another worker, a restart: nothing more.
    assert await runner(harness).run() == []
    assert await runner(harness, "w2").run() == []
    again = await build_server(harness.server.service.settings, clock=FixedClock(NOW))
    try:
        assert await PilotRunner(again.service, again.pilots, worker="restarted").run() == []
    finally:
        for close in again.on_stop:
            await close()
    assert reports(harness.slack) == Counter({LEAD: 1, RECRUITING: 1})
    assert all(len(dms(harness.slack, u)) == 1 for u in (DANA, ELI))


async def test_without_an_answer_the_report_goes_after_two_working_days_and_says_so(
    harness: SlackHarness,
) -> None:
    await ended_pilot(harness)
    clock = harness.server.service.clock
    assert isinstance(clock, FixedClock)
    await runner(harness).run()  # the asks
    clock.moment = NOW + timedelta(days=1, hours=14, minutes=59)  # Tuesday 23:59
    assert await runner(harness).run() == []
    clock.moment = NOW + timedelta(days=1, hours=15)  # Wednesday 00:00: two working days
    outcomes = await runner(harness).run()
    assert sorted(o.target for o in outcomes) == [f"slack:{LEAD}", f"slack:{RECRUITING}"]
    text = report_in(harness.slack, RECRUITING)
    assert "The owner has not written learnings yet." in text
    assert "likes" in text and "Goal: " in text  # still the numbers
    clock.moment = NOW + timedelta(days=5)
    assert await runner(harness).run() == []
    async with harness.server.service.db.engine.connect() as conn:
        ledger = await pilot_ledger(conn)
    assert Counter(m.kind for m in ledger) == Counter({"ask": 2, "report": 2})
    assert {m.state for m in ledger} == {"sent"}
    assert reports(harness.slack) == Counter({LEAD: 1, RECRUITING: 1})


async def test_a_malformed_form_is_refused_and_a_missing_step_keeps_the_modal_open(
    harness: SlackHarness,
) -> None:
    campaign_id = await ended_pilot(harness)
    view = await open_form(harness, campaign_id)
    status, body = await send(harness, submission(view, "double-down"))
    assert status == 400 and "pilot learnings form" in str(body)
    status, body = await send(harness, submission({**view, "private_metadata": "x"}, "stop"))
    assert status == 400
    status, body = await send(harness, submission(view, None))
    assert status == 200 and body["response_action"] == "errors"
    assert "pilot_next_step" in body["errors"]
    async with harness.server.service.db.engine.connect() as conn:
        assert await answers_of(conn, campaign_id) == []


async def test_a_pilot_still_running_or_long_over_asks_nobody(harness: SlackHarness) -> None:
    await ended_pilot(harness)
    clock = harness.server.service.clock
    assert isinstance(clock, FixedClock)
    clock.moment = NOW - timedelta(hours=10)  # Sunday 23:00, its last day
    assert await runner(harness).run() == []
    clock.moment = NOW + timedelta(days=31)
    assert await runner(harness).run() == []


async def test_leaders_reactions_and_replies_under_the_report_count_for_the_pilot(
    harness: SlackHarness, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The report is a message leaders respond to: a reaction and an applause reply under it
    show in `winsbot buy-in` as the pilot's; an owner's reply there is one of its stories."""
    from tests.chat.slack.test_slack_buy_in import buy_in_json, reaction
    from tests.chat.slack.test_slack_story_form import reply

    monkeypatch.chdir(tmp_path)
    harness.slack.channel_members[LEAD] = [LEADER, "U0BOT"]
    harness.slack.users[LEADER] = {"real_name": "Lee Leader", "profile": {"display_name": "Lee"}}
    await ended_pilot(harness)
    clock = harness.server.service.clock
    assert isinstance(clock, FixedClock)
    await runner(harness).run()  # the asks
    clock.moment = NOW + timedelta(days=2)  # no answer: the report goes anyway
    await runner(harness).run()
    [ts] = [t for (c, t), m in harness.slack.messages.items() if c == LEAD]

    status, _ = await harness.event(reaction(ts, channel=LEAD), event_id="EvP1")
    assert status == 200
    applause = {**reply(ts, LEADER, "Great pilot, let's scale it", "1800000000.000200"),
                "channel": LEAD}  # fmt: skip
    story = {**reply(ts, DANA, "We learned to post before 8", "1800000000.000300"),
             "channel": LEAD}  # fmt: skip
    for n, event in enumerate((applause, story)):
        status, _ = await harness.event(event, event_id=f"EvP{n + 2}")
        assert status == 200

    async def stored() -> bool:
        async with harness.server.service.db.engine.connect() as conn:
            return len(await list_feedback(conn)) == 1 and bool(
                await harness.server.service.case_studies(CaseStudyFilter())
            )

    for _ in range(100):
        if await stored():
            break
        await asyncio.sleep(0.05)
    [told] = await harness.server.service.case_studies(CaseStudyFilter())
    assert told.body == "We learned to post before 8" and told.author == DANA
    report = await pilot_report(harness.server.service, NAME)
    assert report is not None and "We learned to post before 8" in report.learnings + tuple(
        s.body for s in report.stories
    )

    found = await asyncio.to_thread(buy_in_json, harness, tmp_path)
    [item] = found["items"]
    assert item["kind"] == "pilot_report" and item["label"] == f"Pilot report: {NAME}"
    assert item["campaign_id"] is not None and item["win_id"] is None
    assert (item["reactions"], item["replies"], item["leaders"]) == (1, 1, ["Lee"])

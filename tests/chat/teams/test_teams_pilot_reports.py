"""A pilot's end in Teams, end to end: the real server and the fake Bot Connector.

The owner is asked in their 1:1 chat with a card whose ShowCard holds the story questions and
an Input.ChoiceSet for the next step; submitting stores both; the report then goes once to the
channel subscribed for leadership and for the pilot's department (one channel, one report),
within Teams' card size, and is drawn for a person to look at.
"""

from __future__ import annotations

import asyncio
import json
import os
import subprocess
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from adapters.chat.teams.card_fit import MAX_CARD_BYTES, card_bytes
from bot.app import build_server
from bot.domain.models import Audience, Campaign, CampaignMetric, Chat, Schedule
from bot.ports import FixedClock
from bot.store.campaigns import add_campaign
from bot.store.pilot_messages import answers_of
from bot.store.subscriptions import subscribe
from bot.usecases.pilot_end import PilotRunner
from tests.chat.teams.conftest import CHANNEL, NOW, TEAM, TeamsHarness

DANA = "6f1c2b7e-0d3a-4c55-9a1e-2b8f3c4d5e6f"
PERSONAL = "a:1personal-chat-id"
RENDER_CARD = "/work/shared/tools/render-card"
ANSWERS = {
    "what_we_did": "Three graduate videos a week, posted at 7:30",
    "result": "1,474 clicks, 38 applications",
    "learned": "Students watch on the commute: post before 8",
}


def cards_in(teams: TeamsHarness, conversation: str) -> list[dict[str, Any]]:
    return [
        a["content"]
        for body in teams.connector.sent_to(conversation)
        for a in body.get("attachments") or []
    ]


def channel_reports(teams: TeamsHarness) -> list[dict[str, Any]]:
    return [
        r.body["activity"]["attachments"][0]["content"]
        for r in teams.connector.requests_to("POST", None)
        if "Pilot report" in json.dumps(r.body.get("activity") or {})
    ]


async def ended_pilot(teams: TeamsHarness) -> int:
    assert await teams.send(teams.activity("help", kind="personal", mention=False, user=DANA)) < 300
    install = teams.activity("", mention=False)
    install.update({"type": "conversationUpdate", "text": None, "membersAdded": [{"id": "28:x"}]})
    await teams.send(install)
    assert await teams.send(teams.activity(f"wins owner #recruiting {DANA}", user="aad-boss")) < 300
    async with teams.server.service.db.engine.begin() as conn:
        campaign_id = await add_campaign(
            conn,
            Campaign(
                name="Graduate hiring pilot", metric=CampaignMetric.LIKES, target=1000,
                tag="recruiting", starts_on=date(2026, 10, 26), ends_on=date(2026, 11, 22),
            ),
            now=NOW - timedelta(days=30),
        )  # fmt: skip
        for audience in (Audience(), Audience(name="recruiting", tags=("recruiting",))):
            await subscribe(
                conn, chat=Chat.TEAMS, workspace_id=TEAM, channel_id=CHANNEL, audience=audience,
                schedule=Schedule(), created_by="aad-boss", now=NOW,
            )  # fmt: skip
    return campaign_id


def submit(teams: TeamsHarness, campaign_id: int, step: str) -> dict[str, Any]:
    value = {"winsbot": "pilot_learnings", "campaign_id": campaign_id, **ANSWERS, "next_step": step}
    activity = teams.activity("", kind="personal", mention=False, user=DANA, value=value)
    activity["text"] = None
    return activity


def render(card: dict[str, Any], tmp_path: Path, name: str) -> None:
    if not Path(RENDER_CARD).exists():
        return
    path = tmp_path / f"{name}.json"
    path.write_text(json.dumps(card, indent=2))
    out = Path(os.environ.get("WINSBOT_CARD_OUT", tmp_path)) / f"{name}.png"
    subprocess.run([RENDER_CARD, str(path), str(out)], check=True, timeout=120)
    assert out.stat().st_size > 1000


async def test_the_owner_answers_in_the_card_and_the_report_goes_once(
    teams: TeamsHarness, tmp_path: Path
) -> None:
    campaign_id = await ended_pilot(teams)
    runner = PilotRunner(teams.server.service, teams.server.pilots, worker="test")
    before = len(cards_in(teams, PERSONAL))
    outcomes = await runner.run()
    assert [(o.kind, o.target, o.result) for o in outcomes] == [("ask", DANA, "sent")]
    [ask] = cards_in(teams, PERSONAL)[before:]
    [form] = [a for a in ask["actions"] if a["type"] == "Action.ShowCard"]
    inputs = {i["id"]: i for i in form["card"]["body"]}
    assert list(inputs) == ["what_we_did", "result", "learned", "next_step"]
    assert inputs["next_step"]["type"] == "Input.ChoiceSet"
    assert [c["value"] for c in inputs["next_step"]["choices"]] == ["extend", "scale", "stop"]
    assert form["card"]["actions"][0]["data"] == {
        "winsbot": "pilot_learnings",
        "campaign_id": campaign_id,
    }

    assert await teams.send(submit(teams, campaign_id, "bogus")) == 400  # refused at the edge
    assert await teams.send(submit(teams, campaign_id, "extend")) < 300
    async with teams.server.service.db.engine.connect() as conn:
        [answer] = await answers_of(conn, campaign_id)
    assert answer.next_step == "extend" and answer.user_id == DANA
    assert "Saved your learnings" in json.dumps(cards_in(teams, PERSONAL)[-1])

    outcomes = await runner.run()
    assert [(o.kind, o.target, o.result) for o in outcomes] == [
        ("report", f"teams:{CHANNEL}", "sent")
    ]
    again = await build_server(teams.server.service.settings, clock=FixedClock(NOW))
    try:
        assert await PilotRunner(again.service, again.pilots, worker="restarted").run() == []
    finally:
        for close in again.on_stop:
            await close()
    assert await runner.run() == []
    [report] = channel_reports(teams)
    text = json.dumps(report, ensure_ascii=False)
    assert "Pilot report: Graduate hiring pilot" in text and ANSWERS["learned"] in text
    assert "Extend" in text
    assert card_bytes(report) < MAX_CARD_BYTES
    print(f"teams report card: {card_bytes(report):,} bytes, {len(report['body'])} elements")
    await asyncio.to_thread(render, report, tmp_path, "teams-pilot-report")
    await asyncio.to_thread(render, ask, tmp_path, "teams-pilot-ask")


async def test_without_an_answer_teams_gets_the_report_saying_so(teams: TeamsHarness) -> None:
    await ended_pilot(teams)
    clock = teams.server.service.clock
    assert isinstance(clock, FixedClock)
    runner = PilotRunner(teams.server.service, teams.server.pilots, worker="test")
    await runner.run()
    assert channel_reports(teams) == []
    clock.moment = NOW + timedelta(days=1, hours=15)  # Wednesday 00:00 UTC
    assert [o.result for o in await runner.run()] == ["sent"]
    [report] = channel_reports(teams)
    assert "The owner has not written learnings yet." in json.dumps(report)
    assert await runner.run() == []


async def test_a_leaders_reaction_on_the_teams_report_counts_for_the_pilot(
    teams: TeamsHarness,
) -> None:
    from bot.usecases.buy_in import BuyInSignals
    from tests.chat.teams.test_teams_buy_in import reaction
    from tests.fakes.bot_connector import _account

    campaign_id = await ended_pilot(teams)
    clock = teams.server.service.clock
    assert isinstance(clock, FixedClock)
    runner = PilotRunner(teams.server.service, teams.server.pilots, worker="test")
    await runner.run()
    clock.moment = NOW + timedelta(days=2)
    [outcome] = await runner.run()
    assert outcome.result == "sent" and outcome.message_id is not None
    teams.connector.members[CHANNEL] = [
        _account("29:1-lead", "Lee Leader", "lee@example.com", "aad-lead"),
    ]
    assert 200 <= await teams.send(reaction(teams, outcome.message_id)) < 300
    found = (
        await BuyInSignals(teams.server.service).report(
            since=NOW - timedelta(days=30), until=NOW + timedelta(days=3)
        )
    ).as_json()
    [item] = found["items"]
    assert (item["kind"], item["campaign_id"], item["label"]) == (
        "pilot_report", campaign_id, "Pilot report: Graduate hiring pilot",
    )  # fmt: skip
    assert (item["reactions"], item["leaders"]) == (1, ["Lee Leader"])
